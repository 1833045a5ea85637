/** The books: one heading, tabs for the chart, the journal, the trial balance, the periods, fixed assets and FX rates. */
import { Suspense } from 'react';
import { NavLink, Outlet } from 'react-router-dom';
import { PageHeader } from '@/components/Page';
import { Loading } from '@/components/QueryState';
import { useOrg } from '@/lib/org';
import './books.css';

const TABS: [string, string][] = [
  ['accounts', 'Accounts'],
  ['journal', 'Journal'],
  ['trial-balance', 'Trial balance'],
  ['periods', 'Periods'],
  ['fixed-assets', 'Fixed assets'],
  ['fx-rates', 'FX rates'],
];

export default function BooksLayout() {
  const { orgId } = useOrg();
  return (
    <>
      <PageHeader title="Books">
        <p className="muted">Double-entry: every money event is one balanced journal entry on the chart of accounts.</p>
      </PageHeader>
      <nav className="tabs" aria-label="Books">
        {TABS.map(([to, label]) => (
          <NavLink key={to} to={`/orgs/${orgId}/books/${to}`}>
            {label}
          </NavLink>
        ))}
      </nav>
      <Suspense fallback={<Loading />}>
        <Outlet />
      </Suspense>
    </>
  );
}
