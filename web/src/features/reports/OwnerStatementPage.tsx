import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiGet, type Schemas } from '@/api/client';
import { MoneyText } from '@/components/Money';
import { PageHeader, Section } from '@/components/Page';
import { QueryView } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatDay } from '@/lib/dates';
import { useOrg } from '@/lib/org';
import { ExportButtons } from './exports';
import { BuildingField, buildingName, DayField, isDay, ParamsBar, Tile, useBuildings, useDefaults, useParam } from './shared';
import './reports.css';

type Statement = Schemas['PropertyStatement'];
type Entry = Schemas['StatementLine'];

function PropertySection({ s, name }: { s: Statement; name: string }) {
  return (
    <Section title={`${name} (${s.currency})`}>
      <div className="grid report-tiles">
        <Tile label="Beginning balance">
          <MoneyText value={s.beginning} />
        </Tile>
        <Tile label="Money in">
          <MoneyText value={s.moneyIn} />
        </Tile>
        <Tile label="Money out">
          <MoneyText value={s.moneyOut} />
        </Tile>
        <Tile label="Ending balance">
          <MoneyText value={s.ending} />
        </Tile>
      </div>
      <p className="equation">
        <MoneyText value={s.beginning} /> + <MoneyText value={s.moneyIn} /> − <MoneyText value={s.moneyOut} /> = <MoneyText value={s.ending} />
      </p>
      {s.entries.length ? (
        <Table<Entry & { i: number }>
          caption={`Entries for ${name} in ${s.currency}`}
          rowKey={(e) => `${e.entryId}-${e.accountCode}-${e.i}`}
          rows={s.entries.map((e, i) => ({ ...e, i }))}
          columns={[
            { header: 'Date', cell: (e) => formatDay(e.date) },
            { header: 'Memo', cell: (e) => e.memo },
            { header: 'Account', cell: (e) => (e.accountCode === 'unallocated' ? e.accountName : `${e.accountCode} ${e.accountName}`) },
            { header: 'Source', cell: (e) => `${e.source.type} ${e.source.id}` },
            { header: 'Amount', numeric: true, cell: (e) => <MoneyText value={e.amount} /> },
          ]}
        />
      ) : (
        <p className="muted">No money moved in this period.</p>
      )}
    </Section>
  );
}

/** `reports/owner-statement`: per property, beginning + money in − money out = ending. */
export default function OwnerStatementPage() {
  const { orgId } = useOrg();
  const d = useDefaults();
  const [from, setFrom] = useParam('from', d.startOfYear);
  const [to, setTo] = useParam('to', d.today);
  const [buildingId, setBuildingId] = useParam('buildingId', '');
  const buildings = useBuildings();
  const valid = isDay(from) && isDay(to);
  const q = useQuery({
    queryKey: ['orgs', orgId, 'reports', 'owner-statement', { from, to, buildingId }],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/reports/owner-statement', { orgId }, { from, to, buildingId: buildingId || undefined }, { signal }),
    enabled: valid,
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader title="Owner statement">
        <p className="muted">
          {formatDay(from)} – {formatDay(to)}: each property&apos;s cash at the start, every movement with the account it was for, and cash at the end.
        </p>
      </PageHeader>
      <ParamsBar>
        <DayField label="From" name="from" value={from} onChange={setFrom} error={q.error} />
        <DayField label="To" name="to" value={to} onChange={setTo} error={q.error} />
        <BuildingField value={buildingId} onChange={setBuildingId} error={q.error} />
      </ParamsBar>
      <ExportButtons
        requests={[{ kind: 'owner-pack-pdf', body: valid ? { kind: 'owner-pack-pdf', from, to, buildingId: buildingId || undefined } : null }]}
        shown={['from', 'to', 'buildingId']}
      />
      {valid ? (
        <QueryView query={q} empty={(data) => (data.properties.length ? null : 'No money moved for these properties in this period.')}>
          {(data) => data.properties.map((s) => <PropertySection key={`${s.buildingId ?? 'none'}-${s.currency}`} s={s} name={buildingName(buildings.data, s.buildingId)} />)}
        </QueryView>
      ) : (
        <p className="muted">Enter the first and last day to see the statement.</p>
      )}
    </>
  );
}
