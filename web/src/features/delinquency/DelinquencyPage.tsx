import { useState } from 'react';
import { Link } from 'react-router-dom';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiGet, type Schemas } from '@/api/client';
import { BarChart } from '@/components/BarChart';
import { TextField } from '@/components/Field';
import { MoneyText } from '@/components/Money';
import { PageHeader, Section } from '@/components/Page';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table, type Column } from '@/components/Table';
import { formatDay, todayIn } from '@/lib/dates';
import { useOrg } from '@/lib/org';
import { LeaseTenants, UnitName } from '@/components/EntityNames';
import { DelinquencyHistory } from './History';
import './delinquency.css';

type Aging = Schemas['Aging'];
type LeaseRow = Schemas['LeaseDelinquency'];

const BUCKETS: { key: Exclude<keyof Aging, 'total'>; label: string; short: string }[] = [
  { key: 'current', label: 'Current', short: 'Current' },
  { key: 'd1_30', label: '1–30 days', short: '1–30' },
  { key: 'd31_60', label: '31–60 days', short: '31–60' },
  { key: 'd61_90', label: '61–90 days', short: '61–90' },
  { key: 'd90_plus', label: '90+ days', short: '90+' },
];

const SOURCES: Record<string, string> = {
  live: 'open charges today',
  ledgers: 'each lease’s ledger replayed to that day',
  snapshot: 'the daily snapshot of that day',
};

/** `/orgs/:orgId/delinquency`: what is owed as of a day, aged, per currency and per lease, and its daily history. */
export default function DelinquencyPage() {
  const { orgId, org } = useOrg();
  const [asOf, setAsOf] = useState(() => todayIn(org.timezone));
  const report = useQuery({
    queryKey: ['orgs', orgId, 'delinquency', asOf],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/delinquency', { orgId }, { asOf }, { signal }),
    enabled: !!asOf,
    placeholderData: keepPreviousData,
  });
  const data = report.data;

  return (
    <>
      <PageHeader title="Delinquency">
        <p className="muted">Open balances by how long they have been due.</p>
      </PageHeader>
      <form className="form card narrow delinquency-form" onSubmit={(e) => e.preventDefault()}>
        <TextField
          label="As of"
          name="asOf"
          type="date"
          value={asOf}
          onChange={(e) => setAsOf(e.target.value)}
          error={report.error}
          invalid={asOf ? null : 'Enter a day.'}
          hint={data ? `Figures from ${SOURCES[data.source] ?? data.source}.` : undefined}
        />
      </form>
      {!asOf ? null : report.isPending ? (
        <Loading label="Loading delinquency…" />
      ) : report.error && !data ? (
        <ErrorState error={report.error} />
      ) : data ? (
        <div aria-busy={report.isFetching}>
          <Section title="Totals">
            {data.totals.length === 0 ? (
              <Empty>Nothing is owed as of {formatDay(data.asOf)}.</Empty>
            ) : (
              <>
                {data.totals.map((t) => (
                  <CurrencyTotals key={t.currency} total={t} />
                ))}
                {data.baseTotal && data.totals.length > 1 ? (
                  <p>
                    All currencies in {data.baseTotal.currency}: <MoneyText value={data.baseTotal} />
                    {data.unconvertedCharges > 0 ? <span className="muted"> ({data.unconvertedCharges} charges without an exchange rate are not included)</span> : null}
                  </p>
                ) : null}
              </>
            )}
          </Section>
          <Section title="Leases owing">
            {data.leases.length === 0 ? <Empty>No lease owes anything as of {formatDay(data.asOf)}.</Empty> : <LeasesTable orgId={orgId} rows={data.leases} />}
          </Section>
        </div>
      ) : null}
      <DelinquencyHistory orgId={orgId} baseCurrency={org.baseCurrency} />
    </>
  );
}

function CurrencyTotals({ total }: { total: Schemas['CurrencyTotal'] }) {
  const a = total.aging;
  return (
    <div className="delinquency-currency">
      <h3>{total.currency}</h3>
      <div className="grid">
        {BUCKETS.map((b) => (
          <div key={b.key} className="tile">
            <div className="label">{b.label}</div>
            <div className="value">
              <MoneyText value={a[b.key]} />
            </div>
          </div>
        ))}
        <div className="tile">
          <div className="label">Total</div>
          <div className="value">
            <MoneyText value={a.total} />
          </div>
        </div>
      </div>
      <BarChart title={`Open balance by age (${total.currency})`} currency={total.currency} bars={BUCKETS.map((b) => ({ label: b.short, value: a[b.key].amount }))} />
    </div>
  );
}

function LeasesTable({ orgId, rows }: { orgId: string; rows: LeaseRow[] }) {
  const columns: Column<LeaseRow>[] = [
    {
      header: 'Tenants',
      cell: (r) => (
        <Link to={`/orgs/${orgId}/leases/${r.leaseId}`}>
          <LeaseTenants orgId={orgId} leaseId={r.leaseId} />
        </Link>
      ),
    },
    { header: 'Unit', cell: (r) => <UnitName orgId={orgId} unitId={r.unitId} /> },
    { header: 'Oldest due', cell: (r) => formatDay(r.oldestDueDate) },
    { header: 'Balance', numeric: true, cell: (r) => <MoneyText value={r.aging.total} /> },
    ...BUCKETS.map((b) => ({ header: b.short, numeric: true, cell: (r: LeaseRow) => <MoneyText value={r.aging[b.key]} /> })),
  ];
  return <Table caption="Leases owing, most overdue first" rows={rows} rowKey={(r) => `${r.leaseId}:${r.currency}`} columns={columns} />;
}
