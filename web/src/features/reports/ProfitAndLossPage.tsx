import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiGet, type Schemas } from '@/api/client';
import { BarChart } from '@/components/BarChart';
import { MoneyText } from '@/components/Money';
import { PageHeader, Section } from '@/components/Page';
import { QueryView } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatDay, monthLabel } from '@/lib/dates';
import { useOrg } from '@/lib/org';
import { ExportButtons } from './exports';
import { asBasis, BasisField, BuildingField, buildingName, DayField, isDay, matrixColumns, ParamsBar, Tile, useBuildings, useDefaults, useParam, zero, type MatrixRow } from './shared';
import './reports.css';

type PnlSection = Schemas['PnlSection'];
type PnlLine = Schemas['PnlLine'];

function lineRows(prefix: string, section: PnlSection, pick: (p: Schemas['PnlPeriod']) => PnlLine[]): MatrixRow[] {
  const { currency } = section;
  // The span's total lists every account that moved; months pick theirs from it.
  return pick(section.total).map((l) => ({
    key: `${prefix}-${l.code}`,
    label: (
      <>
        {l.code} {l.name}
        {l.operating ? null : <span className="muted"> (not operating)</span>}
      </>
    ),
    cells: section.months.map((m) => pick(m).find((x) => x.code === l.code)?.amount ?? zero(currency)),
    total: l.amount,
  }));
}

function PnlTable({ section, caption }: { section: PnlSection; caption: string }) {
  const { months, total } = section;
  const rows: MatrixRow[] = [
    { key: 'income', label: 'Income', kind: 'group', cells: [] },
    ...lineRows('in', section, (p) => p.income),
    { key: 'total-income', label: 'Total income', kind: 'total', cells: months.map((m) => m.totalIncome), total: total.totalIncome },
    { key: 'expenses', label: 'Expenses', kind: 'group', cells: [] },
    ...lineRows('ex', section, (p) => p.expenses),
    { key: 'total-expenses', label: 'Total expenses', kind: 'total', cells: months.map((m) => m.totalExpenses), total: total.totalExpenses },
    { key: 'operating', label: 'Operating expenses', kind: 'line', cells: months.map((m) => m.operatingExpenses), total: total.operatingExpenses },
    { key: 'noi', label: 'Net operating income', kind: 'total', cells: months.map((m) => m.noi), total: total.noi },
    { key: 'net', label: 'Income less all expenses', kind: 'total', cells: months.map((m) => m.netIncome), total: total.netIncome },
  ];
  return <Table caption={caption} columns={matrixColumns('Account', months.map((m) => m.period))} rows={rows} rowKey={(r) => r.key} />;
}

function Summary({ section }: { section: PnlSection }) {
  const t = section.total;
  return (
    <>
      <div className="grid report-tiles">
        <Tile label="Income">
          <MoneyText value={t.totalIncome} />
        </Tile>
        <Tile label="Expenses">
          <MoneyText value={t.totalExpenses} />
        </Tile>
        <Tile label="NOI">
          <MoneyText value={t.noi} />
        </Tile>
        <Tile label="Net income">
          <MoneyText value={t.netIncome} />
        </Tile>
      </div>
      <p className="muted report-note">
        Operating figures leave out debt service and depreciation; the last line of the table takes every expense off.
      </p>
      <div className="report-charts">
        <BarChart title={`Net operating income per month (${section.currency})`} currency={section.currency} bars={section.months.map((m) => ({ label: monthLabel(m.period), value: m.noi.amount }))} />
        <BarChart
          title={`Income and expenses (${section.currency})`}
          currency={section.currency}
          bars={[
            { label: 'Income', value: t.totalIncome.amount },
            { label: 'Expenses', value: t.totalExpenses.amount },
          ]}
        />
      </div>
    </>
  );
}

/** `reports/profit-and-loss`: income and expenses by account per month, NOI and net income. */
export default function ProfitAndLossPage() {
  const { orgId } = useOrg();
  const d = useDefaults();
  const [from, setFrom] = useParam('from', d.startOfYear);
  const [to, setTo] = useParam('to', d.endOfYear);
  const [buildingId, setBuildingId] = useParam('buildingId', '');
  const [basis, setBasis] = useParam('basis', 'cash');
  const buildings = useBuildings();
  const valid = isDay(from) && isDay(to);
  const q = useQuery({
    queryKey: ['orgs', orgId, 'reports', 'profit-and-loss', { from, to, buildingId, basis }],
    queryFn: ({ signal }) =>
      apiGet('/api/v1/orgs/{orgId}/reports/profit-and-loss', { orgId }, { from, to, buildingId: buildingId || undefined, basis: asBasis(basis) }, { signal }),
    enabled: valid,
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader title="Profit and loss">
        <p className="muted">
          {buildingId ? buildingName(buildings.data, buildingId) : 'The whole portfolio'}, {formatDay(from)} – {formatDay(to)}, {asBasis(basis)} basis.
        </p>
      </PageHeader>
      <ParamsBar>
        <DayField label="From" name="from" value={from} onChange={setFrom} error={q.error} />
        <DayField label="To" name="to" value={to} onChange={setTo} error={q.error} />
        <BuildingField value={buildingId} onChange={setBuildingId} error={q.error} />
        <BasisField value={basis} onChange={setBasis} error={q.error} />
      </ParamsBar>
      <ExportButtons
        requests={(['general-ledger-csv', 'hledger', 'beancount'] as const).map((kind) => ({ kind, body: valid ? { kind, from, to } : null }))}
        shown={['from', 'to']}
      />
      {valid ? (
        <QueryView query={q}>
          {(data) => {
            const foreign = data.currencies.filter((c) => c.currency !== data.base.currency || data.currencies.length > 1);
            return (
              <>
                {data.unvalued ? (
                  <div className="error-box" role="note">
                    Some amounts in another currency have no exchange rate yet: they are left out of the {data.base.currency} figures below (they appear in their own
                    currency further down).
                  </div>
                ) : null}
                <Summary section={data.base} />
                <Section title={`By account and month (${data.base.currency})`}>
                  <PnlTable section={data.base} caption={`Profit and loss by month in ${data.base.currency}`} />
                </Section>
                {foreign.map((c) => (
                  <Section key={c.currency} title={`As booked in ${c.currency}`}>
                    <PnlTable section={c} caption={`Profit and loss by month as booked in ${c.currency}`} />
                  </Section>
                ))}
              </>
            );
          }}
        </QueryView>
      ) : (
        <p className="muted">Enter the first and last day to see the profit and loss.</p>
      )}
    </>
  );
}
