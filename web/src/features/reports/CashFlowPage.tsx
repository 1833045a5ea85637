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
import { BuildingField, buildingName, DayField, isDay, matrixColumns, ParamsBar, sum, Tile, useBuildings, useDefaults, useParam, zero, type MatrixRow } from './shared';
import './reports.css';

type CurrencyCashFlow = Schemas['CurrencyCashFlow'];
type FlowLine = Schemas['FlowLine'];

/** The accounts of one side over the months, in first-seen order, each with a cell per month. */
function flowRows(prefix: string, months: Schemas['CashMonth'][], pick: (m: Schemas['CashMonth']) => FlowLine[], currency: string): MatrixRow[] {
  const names = new Map<string, string>();
  for (const m of months) for (const l of pick(m)) if (!names.has(l.code)) names.set(l.code, l.name);
  return [...names].map(([code, name]) => {
    const cells = months.map((m) => pick(m).find((l) => l.code === code)?.amount ?? zero(currency));
    return { key: `${prefix}-${code}`, label: code === 'unallocated' ? name : `${code} ${name}`, cells, total: sum(cells, currency) };
  });
}

function CashSection({ flow, multi }: { flow: CurrencyCashFlow; multi: boolean }) {
  const { currency, months } = flow;
  const first = months[0];
  const last = months[months.length - 1];
  const totalIn = sum(months.map((m) => m.totalIn), currency);
  const totalOut = sum(months.map((m) => m.totalOut), currency);
  const net = sum(months.map((m) => m.net), currency);
  const rows: MatrixRow[] = [
    { key: 'opening', label: 'Opening cash', kind: 'total', cells: months.map((m) => m.opening), total: first?.opening ?? null },
    { key: 'in', label: 'Money in', kind: 'group', cells: [] },
    ...flowRows('in', months, (m) => m.inflows, currency),
    { key: 'total-in', label: 'Total in', kind: 'total', cells: months.map((m) => m.totalIn), total: totalIn },
    { key: 'out', label: 'Money out', kind: 'group', cells: [] },
    ...flowRows('out', months, (m) => m.outflows, currency),
    { key: 'total-out', label: 'Total out', kind: 'total', cells: months.map((m) => m.totalOut), total: totalOut },
    { key: 'net', label: 'Net cash flow', kind: 'total', cells: months.map((m) => m.net), total: net },
    { key: 'closing', label: 'Closing cash', kind: 'total', cells: months.map((m) => m.closing), total: last?.closing ?? null },
  ];
  const body = (
    <>
      <div className="grid report-tiles">
        <Tile label="Opening cash">
          <MoneyText value={first?.opening} />
        </Tile>
        <Tile label="Money in">
          <MoneyText value={totalIn} />
        </Tile>
        <Tile label="Money out">
          <MoneyText value={totalOut} />
        </Tile>
        <Tile label="Closing cash">
          <MoneyText value={last?.closing} />
        </Tile>
      </div>
      <div className="report-charts">
        <BarChart title={`Net cash flow per month (${currency})`} currency={currency} bars={months.map((m) => ({ label: monthLabel(m.month), value: m.net.amount }))} />
      </div>
      <Table caption={`Cash flow by month in ${currency}`} columns={matrixColumns('Line', months.map((m) => m.month))} rows={rows} rowKey={(r) => r.key} />
    </>
  );
  return multi ? <Section title={`Cash in ${currency}`}>{body}</Section> : body;
}

/** `reports/cash-flow`: opening + in − out = closing, per month and currency. */
export default function CashFlowPage() {
  const { orgId } = useOrg();
  const d = useDefaults();
  const [from, setFrom] = useParam('from', d.startOfYear);
  const [to, setTo] = useParam('to', d.today);
  const [buildingId, setBuildingId] = useParam('buildingId', '');
  const buildings = useBuildings();
  const valid = isDay(from) && isDay(to);
  const q = useQuery({
    queryKey: ['orgs', orgId, 'reports', 'cash-flow', { from, to, buildingId }],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/reports/cash-flow', { orgId }, { from, to, buildingId: buildingId || undefined }, { signal }),
    enabled: valid,
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader title="Cash flow">
        <p className="muted">
          {buildingId ? buildingName(buildings.data, buildingId) : 'The whole portfolio'}, {formatDay(from)} – {formatDay(to)}: opening cash, money in and out by the
          account on the other side, and closing cash.
        </p>
      </PageHeader>
      <ParamsBar>
        <DayField label="From" name="from" value={from} onChange={setFrom} error={q.error} />
        <DayField label="To" name="to" value={to} onChange={setTo} error={q.error} />
        <BuildingField value={buildingId} onChange={setBuildingId} error={q.error} />
      </ParamsBar>
      <ExportButtons requests={[{ kind: 'general-ledger-csv', body: valid ? { kind: 'general-ledger-csv', from, to } : null }]} shown={['from', 'to']} />
      {valid ? (
        <QueryView query={q} empty={(data) => (data.currencies.length ? null : 'No cash moved in these months.')}>
          {(data) => data.currencies.map((c) => <CashSection key={c.currency} flow={c} multi={data.currencies.length > 1} />)}
        </QueryView>
      ) : (
        <p className="muted">Enter the first and last day to see the cash flow.</p>
      )}
    </>
  );
}
