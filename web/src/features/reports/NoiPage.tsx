import type { ReactNode } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { apiGet, type Schemas } from '@/api/client';
import { BarChart } from '@/components/BarChart';
import { MoneyText } from '@/components/Money';
import { PageHeader, Section } from '@/components/Page';
import { QueryView } from '@/components/QueryState';
import { Table, type Column } from '@/components/Table';
import { monthLabel } from '@/lib/dates';
import { useOrg } from '@/lib/org';
import { ExportButtons } from './exports';
import { asBasis, BasisField, isYear, ParamsBar, Tile, useDefaults, useParam, YearField } from './shared';
import './reports.css';

type NoiSeries = Schemas['NoiSeries'];
type MoneyDto = Schemas['MoneyDto'];

interface Row {
  key: string;
  name: ReactNode;
  series: NoiSeries;
  marketValue?: MoneyDto | null;
  capRate?: string | null;
  strong?: boolean;
}

/** `reports/noi`: NOI per building and month of a year, the portfolio's, and cap rates. */
export default function NoiPage() {
  const { orgId } = useOrg();
  const d = useDefaults();
  const [year, setYear] = useParam('year', d.year);
  const [basis, setBasis] = useParam('basis', 'cash');
  const valid = isYear(year);
  const q = useQuery({
    queryKey: ['orgs', orgId, 'reports', 'noi', { year, basis }],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/reports/noi', { orgId }, { year: Number.parseInt(year, 10), basis: asBasis(basis) }, { signal }),
    enabled: valid,
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader title="NOI">
        <p className="muted">Net operating income (operating income less operating expenses, before interest and depreciation) per building and month.</p>
      </PageHeader>
      <ParamsBar>
        <YearField value={year} onChange={setYear} error={q.error} />
        <BasisField value={basis} onChange={setBasis} error={q.error} />
      </ParamsBar>
      <ExportButtons requests={[{ kind: 'owner-pack-pdf', body: valid ? { kind: 'owner-pack-pdf', year: Number.parseInt(year, 10) } : null }]} shown={['year']} />
      {valid ? (
        <QueryView query={q}>
          {(data) => {
            const months = data.portfolio.months.map((m) => m.month);
            const rows: Row[] = [
              ...data.buildings.map((b) => ({
                key: b.buildingId,
                name: <Link to={`/orgs/${orgId}/buildings/${b.buildingId}`}>{b.name}</Link>,
                series: b,
                marketValue: b.marketValue,
                capRate: b.capRate,
              })),
              { key: 'unassigned', name: 'Not assigned to a building', series: data.unassigned },
              { key: 'portfolio', name: <strong>Portfolio</strong>, series: data.portfolio, strong: true },
            ];
            const money = (v: MoneyDto | null | undefined, strong?: boolean) => (strong ? <strong><MoneyText value={v} /></strong> : <MoneyText value={v} />);
            const columns: Column<Row>[] = [
              { header: 'Building', cell: (r) => r.name },
              ...months.map((m, i) => ({ header: monthLabel(m), numeric: true, cell: (r: Row) => money(r.series.months[i]?.noi, r.strong) })),
              { header: `NOI ${data.year}`, numeric: true, cell: (r) => <strong><MoneyText value={r.series.total} /></strong> },
              { header: 'Income', numeric: true, cell: (r) => money(r.series.income, r.strong) },
              { header: 'Operating expenses', numeric: true, cell: (r) => money(r.series.operatingExpenses, r.strong) },
              { header: 'Market value', numeric: true, cell: (r) => (r.marketValue ? <MoneyText value={r.marketValue} /> : r.strong ? null : <span className="muted">—</span>) },
              { header: 'Cap rate', numeric: true, cell: (r) => (r.capRate ? `${r.capRate} %` : r.strong ? null : <span className="muted">—</span>) },
            ];
            return (
              <>
                <div className="grid report-tiles">
                  <Tile label={`Portfolio NOI ${data.year}`}>
                    <MoneyText value={data.portfolio.total} />
                  </Tile>
                  <Tile label="Operating income">
                    <MoneyText value={data.portfolio.income} />
                  </Tile>
                  <Tile label="Operating expenses">
                    <MoneyText value={data.portfolio.operatingExpenses} />
                  </Tile>
                </div>
                <div className="report-charts">
                  <BarChart
                    title={`NOI per building, ${data.year} (${data.currency})`}
                    currency={data.currency}
                    bars={[...data.buildings.map((b) => ({ label: b.name, value: b.total.amount })), { label: 'Not assigned', value: data.unassigned.total.amount }]}
                  />
                  <BarChart title={`Portfolio NOI per month (${data.currency})`} currency={data.currency} bars={data.portfolio.months.map((m) => ({ label: monthLabel(m.month), value: m.noi.amount }))} />
                </div>
                <Section title={`By building and month (${data.currency}, ${data.basis} basis)`}>
                  {data.buildings.length ? null : <p className="muted">No buildings yet: everything is portfolio-wide.</p>}
                  <Table caption={`NOI by building and month, ${data.year}`} columns={columns} rows={rows} rowKey={(r) => r.key} />
                </Section>
              </>
            );
          }}
        </QueryView>
      ) : (
        <p className="muted">Enter a year from 2000 to 2100.</p>
      )}
    </>
  );
}
