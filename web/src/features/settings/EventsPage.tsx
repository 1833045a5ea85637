import { useState } from 'react';
import { apiGet, type GetResponse } from '@/api/client';
import { TextField } from '@/components/Field';
import { Section } from '@/components/Page';
import { LoadMore, usePaged } from '@/components/Paged';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatInstant } from '@/lib/dates';
import { useCan, useOrg } from '@/lib/org';
import { NotAllowed, useMemberEmails } from './common';

export type OrgEvent = GetResponse<'/api/v1/orgs/{orgId}/events'>['items'][number];

/** An event's `data` as indented JSON, or null when it carries nothing. */
export function formatData(data: unknown): string | null {
  if (data === null || data === undefined) return null;
  if (typeof data === 'object' && !Array.isArray(data) && Object.keys(data).length === 0) return null;
  return JSON.stringify(data, null, 2);
}

function EventData({ e }: { e: OrgEvent }) {
  const text = formatData(e.data);
  if (text === null) return <span className="muted">—</span>;
  return (
    <details className="event-data">
      <summary>Data</summary>
      <pre>{text}</pre>
    </details>
  );
}

/** `settings/events`: the org's domain events of the last 30 days, oldest first (who may read them). */
export default function EventsPage() {
  const { orgId, org } = useOrg();
  const allowed = useCan('eventRead');
  const [prefix, setPrefix] = useState('');
  const list = usePaged<OrgEvent>(['orgs', orgId, 'events'], (cursor, signal) => apiGet('/api/v1/orgs/{orgId}/events', { orgId }, { limit: 50, cursor }, { signal }), allowed);
  const members = useMemberEmails(orgId, allowed);
  if (!allowed) return <NotAllowed what="the event log" />;
  const actor = (id: string) => members.data?.get(id) ?? id;
  const wanted = prefix.trim().toLowerCase();
  const rows = wanted ? list.items.filter((e) => e.type.toLowerCase().startsWith(wanted)) : list.items;
  return (
    <Section title="Event log">
      <p className="muted">What happened in this organization over the last 30 days, oldest first — the events webhooks deliver.</p>
      <form className="form event-filter" role="search" aria-label="Filter events" onSubmit={(e) => e.preventDefault()}>
        <TextField
          label="Type starts with"
          name="type"
          value={prefix}
          onChange={(e) => setPrefix(e.target.value)}
          placeholder="payment."
          autoComplete="off"
          spellCheck={false}
          hint="Filters the events loaded so far."
        />
      </form>
      {list.isPending ? (
        <Loading label="Loading events…" />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : !list.items.length ? (
        <Empty>No events in the last 30 days.</Empty>
      ) : (
        <>
          {rows.length ? (
            <Table<OrgEvent>
              caption={`Event log, oldest first (times in ${org.timezone})`}
              rowKey={(e) => e.id}
              rows={rows}
              columns={[
                { header: 'When', cell: (e) => formatInstant(e.occurredAt, org.timezone) },
                {
                  header: 'Type',
                  cell: (e) => (
                    <>
                      <code>{e.type}</code>
                      {e.version && e.version > 1 ? <span className="muted"> v{e.version}</span> : null}
                    </>
                  ),
                },
                { header: 'Subject', cell: (e) => <span className="subject-cell">{`${e.subject.type} ${e.subject.id}`}</span> },
                { header: 'Actor', cell: (e) => <span className="subject-cell">{actor(e.actor)}</span> },
                { header: 'Data', cell: (e) => <EventData e={e} /> },
              ]}
            />
          ) : (
            <Empty>No loaded event’s type starts with “{prefix.trim()}”.</Empty>
          )}
          <p className="muted" role="status">
            {wanted ? `${rows.length} of ${list.items.length} loaded events shown.` : `${list.items.length} events loaded.`}
          </p>
          <LoadMore query={list} />
        </>
      )}
    </Section>
  );
}
