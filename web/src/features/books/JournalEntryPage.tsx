/** One journal entry: its lines, what it was posted from, and its place in the hash chain. */
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { apiGet, type Schemas } from '@/api/client';
import { Section } from '@/components/Page';
import { ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { MoneyText } from '@/components/Money';
import { formatDay, formatInstant } from '@/lib/dates';
import { useOrg } from '@/lib/org';
import { AccountName, BuildingName, UnitName } from './names';
import { keys, sourceLabel } from './lookups';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function SourceLink({ source }: { source: Schemas['Source'] }) {
  const { orgId } = useOrg();
  const label = sourceLabel(source.type);
  if (source.type.startsWith('expense')) {
    return (
      <>
        {label}: <Link to={`/orgs/${orgId}/expenses/${source.id}`}>{source.id}</Link>
      </>
    );
  }
  return (
    <>
      {label}: <span className="mono">{source.id}</span>
    </>
  );
}

export default function JournalEntryPage() {
  const { entryId = '' } = useParams();
  const { orgId, org } = useOrg();
  const q = useQuery({
    queryKey: keys.entry(orgId, entryId),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/journal/{entryId}', { orgId, entryId }, undefined, { signal }),
  });
  const back = (
    <Link className="btn" to={`/orgs/${orgId}/books/journal`}>
      Journal
    </Link>
  );
  if (q.isPending)
    return (
      <Section title="Journal entry" actions={back}>
        <Loading />
      </Section>
    );
  if (q.error)
    return (
      <Section title="Journal entry" actions={back}>
        <ErrorState error={q.error} />
      </Section>
    );
  const e = q.data;
  return (
    <>
      <Section title={`Journal entry #${e.seq}`} actions={back}>
        <dl className="facts card">
          <Fact label="Date">{formatDay(e.date)}</Fact>
          {e.originalDate ? <Fact label="Original date">{formatDay(e.originalDate)} (its month was closed)</Fact> : null}
          <Fact label="Memo">{e.memo}</Fact>
          <Fact label="Source">
            <SourceLink source={e.source} />
          </Fact>
          <Fact label="Seq">{e.seq}</Fact>
          <Fact label="Posted">{formatInstant(e.postedAt, org.timezone)}</Fact>
          <Fact label="Posted by">{e.postedBy === 'system:books' ? 'The books (from an event)' : e.postedBy}</Fact>
          <Fact label="Hash">
            <code className="hash">{e.hash}</code>
          </Fact>
          <Fact label="Previous hash">
            <code className="hash">{e.prevHash}</code>
          </Fact>
        </dl>
      </Section>
      <Section title="Lines">
        <Table
          caption={`Lines of entry #${e.seq}`}
          rows={e.lines.map((l, i) => ({ ...l, i }))}
          rowKey={(l) => String(l.i)}
          columns={[
            { header: 'Account', cell: (l) => <AccountName id={l.accountId} code={l.accountCode} /> },
            { header: 'Debit', numeric: true, cell: (l) => (l.debit ? <MoneyText value={l.debit} /> : '') },
            { header: 'Credit', numeric: true, cell: (l) => (l.credit ? <MoneyText value={l.credit} /> : '') },
            { header: 'Building', cell: (l) => (l.buildingId ? <BuildingName id={l.buildingId} /> : '—') },
            { header: 'Unit', cell: (l) => (l.unitId ? <UnitName id={l.unitId} /> : '—') },
            { header: 'Owed for', cell: (l) => l.owedFor ?? '—' },
            {
              header: 'Base amount',
              numeric: true,
              cell: (l) => (l.baseDebit && l.debit && l.baseDebit.currency !== l.debit.currency ? <MoneyText value={l.baseDebit} /> : l.baseCredit && l.credit && l.baseCredit.currency !== l.credit.currency ? <MoneyText value={l.baseCredit} /> : ''),
            },
          ]}
        />
      </Section>
    </>
  );
}
