import { apiGet, type GetResponse } from '@/api/client';
import { Section } from '@/components/Page';
import { LoadMore, usePaged } from '@/components/Paged';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatInstant } from '@/lib/dates';
import { useCan, useOrg } from '@/lib/org';
import { NotAllowed, useMemberEmails } from './common';

type Entry = GetResponse<'/api/v1/orgs/{orgId}/audit'>['items'][number];

function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

/**
 * What changed: a creation lists what was set, a removal what was there, an update each field of
 * `after` (which may hold only the changed fields) that differs from `before`.
 */
export function changes(before: unknown, after: unknown): [string, string][] {
  const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
  const b = obj(before);
  const a = obj(after);
  if (!a && !b) return [];
  if (!b) return Object.entries(a ?? {}).map(([k, v]) => [k, show(v)]);
  if (!a) return Object.entries(b).map(([k, v]) => [k, `${show(v)} → removed`]);
  const out: [string, string][] = [];
  for (const [k, now] of Object.entries(a)) {
    if (JSON.stringify(b[k]) === JSON.stringify(now)) continue;
    out.push([k, k in b ? `${show(b[k])} → ${show(now)}` : show(now)]);
  }
  return out;
}

function Details({ e }: { e: Entry }) {
  const list = changes(e.before, e.after);
  if (!list.length) return <span className="muted">—</span>;
  return (
    <ul className="changes wrap-cell">
      {list.map(([k, v]) => (
        <li key={k}>
          <code>{k}</code>: {v}
        </li>
      ))}
    </ul>
  );
}

/** `settings/audit`: who did what to which record, newest first (owners and accountants). */
export default function AuditPage() {
  const { orgId, org } = useOrg();
  const allowed = useCan('auditRead');
  const list = usePaged<Entry>(['orgs', orgId, 'audit'], (cursor, signal) => apiGet('/api/v1/orgs/{orgId}/audit', { orgId }, { limit: 50, cursor }, { signal }), allowed);
  const members = useMemberEmails(orgId, allowed);
  if (!allowed) return <NotAllowed what="the audit log" />;
  const actor = (id: string) => members.data?.get(id) ?? id;
  return (
    <Section title="Audit log">
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : !list.items.length ? (
        <Empty>Nothing recorded yet.</Empty>
      ) : (
        <>
          <Table<Entry>
            caption={`Audit log (times in ${org.timezone})`}
            rowKey={(e) => e.id}
            rows={list.items}
            columns={[
              { header: 'When', cell: (e) => formatInstant(e.at, org.timezone) },
              { header: 'Actor', cell: (e) => actor(e.actor) },
              { header: 'Action', cell: (e) => <code>{e.action}</code> },
              { header: 'Subject', cell: (e) => <span className="subject-cell">{`${e.target.type} ${e.target.id}`}</span> },
              { header: 'Details', cell: (e) => <Details e={e} /> },
            ]}
          />
          <LoadMore query={list} />
        </>
      )}
    </Section>
  );
}
