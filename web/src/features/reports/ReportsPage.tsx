import { useState } from 'react';
import { Link } from 'react-router-dom';
import { PageHeader, Section } from '@/components/Page';
import { useOrg } from '@/lib/org';
import { ExportButtons, RecentExports, type ExportKind, type ExportRequest } from './exports';
import { BuildingField, isYear, useDefaults, YearField } from './shared';
import './reports.css';

const REPORTS: { path: string; name: string; about: string }[] = [
  { path: 'cash-flow', name: 'Cash flow', about: 'Opening cash, money in and out by account, and closing cash, month by month.' },
  { path: 'profit-and-loss', name: 'Profit and loss', about: 'Income and expenses by account per month, on the cash or accrual basis.' },
  { path: 'noi', name: 'NOI', about: 'Net operating income per building and month, with cap rates.' },
  { path: 'rent-roll', name: 'Rent roll', about: 'Every unit as of a day: lease, tenants, rent, deposit and balance.' },
  { path: 'schedule-e', name: 'Schedule E', about: 'Form 1040 Schedule E Part I per building for a tax year.' },
  { path: 'owner-statement', name: 'Owner statement', about: 'Per property: beginning cash, money in and out, ending cash, with the entries.' },
  { path: 'vendors-1099', name: '1099 vendors', about: 'Vendors to report on Form 1099 for a year.' },
];

const KINDS: ExportKind[] = ['year-end', 'general-ledger-csv', 'hledger', 'beancount', 'owner-pack-pdf'];

/** `/orgs/:orgId/reports`: the reports, and the exports of the books for a year. */
export default function ReportsPage() {
  const { orgId } = useOrg();
  const defaults = useDefaults();
  const [year, setYear] = useState(defaults.year);
  const [buildingId, setBuildingId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const y = isYear(year) ? Number.parseInt(year, 10) : null;
  const requests: ExportRequest[] = KINDS.map((kind) => ({
    kind,
    body: y === null ? null : kind === 'owner-pack-pdf' && buildingId ? { kind, year: y, buildingId } : { kind, year: y },
  }));
  return (
    <>
      <PageHeader title="Reports" />
      <Section title="All reports">
        <ul className="report-list">
          {REPORTS.map((r) => (
            <li key={r.path} className="card">
              <Link to={`/orgs/${orgId}/reports/${r.path}`}>{r.name}</Link>
              <p className="muted">{r.about}</p>
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Exports">
        <p className="muted">
          Files of the books for a year: the year-end ZIP of CSVs (general ledger, trial balance, P&amp;L by property, Schedule E, rent roll and more), the general
          ledger as CSV, hledger or Beancount, and the owner pack PDF. Each is prepared in the background; its link appears here when it is ready.
        </p>
        <div className="form-row export-params">
          <YearField value={year} onChange={setYear} error={error} />
          <BuildingField value={buildingId} onChange={setBuildingId} label="Owner pack building" allLabel="All buildings" error={error} />
        </div>
        <ExportButtons requests={requests} shown={['year', 'buildingId']} onError={setError} />
        <h3>Recent exports</h3>
        <RecentExports />
      </Section>
    </>
  );
}
