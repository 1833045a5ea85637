import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { apiGet, type Schemas } from '@/api/client';
import { MoneyText } from '@/components/Money';
import { PageHeader, Section } from '@/components/Page';
import { QueryView } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { useOrg } from '@/lib/org';
import { ExportButtons } from './exports';
import { asBasis, BasisField, isYear, ParamsBar, useDefaults, useParam, YearField } from './shared';
import './reports.css';

type Property = Schemas['ScheduleEProperty'];
type Line = Schemas['ScheduleELine'];
type Account = Schemas['ScheduleEAccount'];
type MoneyDto = Schemas['MoneyDto'];

/** Line 1b codes (Form 1040 Schedule E). */
const PROPERTY_TYPES: Record<number, string> = {
  1: 'Single family residence',
  2: 'Multi-family residence',
  3: 'Vacation/short-term rental',
  4: 'Commercial',
  5: 'Land',
  6: 'Royalties',
  7: 'Self-rental',
  8: 'Other',
};

function Accounts({ accounts }: { accounts: Account[] }) {
  if (!accounts.length) return <span className="muted">—</span>;
  return (
    <ul className="accounts-list">
      {accounts.map((a) => (
        <li key={a.code}>
          {a.code} {a.name}: <MoneyText value={a.amount} />
        </li>
      ))}
    </ul>
  );
}

interface Row {
  key: string;
  line: string;
  name: string;
  amount: MoneyDto;
  accounts?: Account[];
  strong?: boolean;
}

function LinesTable({ rows, caption }: { rows: Row[]; caption: string }) {
  return (
    <Table<Row>
      caption={caption}
      rowKey={(r) => r.key}
      rows={rows}
      columns={[
        { header: 'Line', cell: (r) => (r.strong ? <strong>{r.line}</strong> : r.line) },
        { header: 'Description', cell: (r) => (r.strong ? <strong>{r.name}</strong> : r.name) },
        { header: 'Amount', numeric: true, cell: (r) => (r.strong ? <strong><MoneyText value={r.amount} /></strong> : <MoneyText value={r.amount} />) },
        { header: 'Accounts', cell: (r) => (r.accounts ? <Accounts accounts={r.accounts} /> : null) },
      ]}
    />
  );
}

function PropertySection({ p, year }: { p: Property; year: number }) {
  const { orgId } = useOrg();
  const a = p.address;
  const rows: Row[] = [
    ...p.lines.map((l: Line) => ({ key: l.line, line: l.line, name: l.name, amount: l.amount, accounts: l.accounts })),
    { key: '20', line: '20', name: 'Total expenses (lines 5 through 19)', amount: p.totalExpenses, strong: true },
    { key: '21', line: '21', name: p.loss ? 'Loss (lines 3 and 4 less line 20)' : 'Income (lines 3 and 4 less line 20)', amount: p.incomeOrLoss, strong: true },
  ];
  return (
    <Section title={p.name}>
      <dl className="property-facts">
        <dt>1a Address</dt>
        <dd>{[a.line1, a.line2, a.city, a.region, a.postalCode, a.country].filter(Boolean).join(', ')}</dd>
        <dt>1b Type</dt>
        <dd>
          {p.propertyType ? (
            `${p.propertyType} — ${PROPERTY_TYPES[p.propertyType] ?? 'Other'}`
          ) : (
            <>
              Not set yet: <Link to={`/orgs/${orgId}/buildings/${p.buildingId}`}>set the building&apos;s property type</Link>
            </>
          )}
        </dd>
        <dt>2 Fair rental days</dt>
        <dd>{p.fairRentalDays}</dd>
      </dl>
      {p.loss ? (
        <p className="loss-flag" role="note">
          Line 21 is a loss. Line 22 (deductible rental real estate loss) needs Form 8582 (and Form 6198 if at risk rules apply).
        </p>
      ) : null}
      <LinesTable rows={rows} caption={`Schedule E ${year}: ${p.name}`} />
    </Section>
  );
}

/** `reports/schedule-e`: Form 1040 Schedule E Part I per building for a tax year. */
export default function ScheduleEPage() {
  const { orgId } = useOrg();
  const d = useDefaults();
  const [year, setYear] = useParam('year', d.year);
  const [basis, setBasis] = useParam('basis', 'cash');
  const valid = isYear(year);
  const q = useQuery({
    queryKey: ['orgs', orgId, 'reports', 'schedule-e', { year, basis }],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/reports/schedule-e', { orgId }, { year: Number.parseInt(year, 10), basis: asBasis(basis) }, { signal }),
    enabled: valid,
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader title="Schedule E">
        <p className="muted">Form 1040 Schedule E Part I per building, lines 3–21 with the accounts behind each line, and the totals 23a–e.</p>
      </PageHeader>
      <ParamsBar>
        <YearField value={year} onChange={setYear} error={q.error} />
        <BasisField value={basis} onChange={setBasis} error={q.error} />
      </ParamsBar>
      <ExportButtons requests={[{ kind: 'year-end', body: valid ? { kind: 'year-end', year: Number.parseInt(year, 10) } : null }]} shown={['year']} />
      {valid ? (
        <QueryView query={q}>
          {(data) => {
            const t = data.totals;
            const totals: Row[] = [
              { key: '23a', line: '23a', name: 'Rents received (line 3, all properties)', amount: t.rents },
              { key: '23b', line: '23b', name: 'Royalties received (line 4)', amount: t.royalties },
              { key: '23c', line: '23c', name: 'Mortgage interest (line 12)', amount: t.mortgageInterest },
              { key: '23d', line: '23d', name: 'Depreciation (line 18)', amount: t.depreciation },
              { key: '23e', line: '23e', name: 'Total expenses (line 20)', amount: t.totalExpenses },
            ];
            return (
              <>
                <p className="muted">
                  Tax year {data.year}, {data.basis} basis, in {data.currency}.
                </p>
                {data.properties.length ? data.properties.map((p) => <PropertySection key={p.buildingId} p={p} year={data.year} />) : <div className="empty">No buildings yet.</div>}
                <Section title="Totals (lines 23a–e)">
                  <LinesTable rows={totals} caption={`Schedule E ${data.year} totals`} />
                </Section>
                {data.unassigned.length ? (
                  <Section title="Not assigned to a property">
                    <p className="muted">Income and expenses no building carries: allocate them to the properties.</p>
                    <LinesTable
                      rows={data.unassigned.map((l) => ({ key: l.line, line: l.line, name: l.name, amount: l.amount, accounts: l.accounts }))}
                      caption={`Schedule E ${data.year}: not assigned to a property`}
                    />
                  </Section>
                ) : null}
                {data.notReported.length ? (
                  <Section title="Accounts mapped to no line">
                    <Table<Account>
                      caption="Accounts not reported on Schedule E"
                      rowKey={(a) => a.code}
                      rows={data.notReported}
                      columns={[
                        { header: 'Code', cell: (a) => a.code },
                        { header: 'Account', cell: (a) => a.name },
                        { header: 'Amount', numeric: true, cell: (a) => <MoneyText value={a.amount} /> },
                      ]}
                    />
                  </Section>
                ) : null}
              </>
            );
          }}
        </QueryView>
      ) : (
        <p className="muted">Enter a tax year from 2000 to 2100.</p>
      )}
    </>
  );
}
