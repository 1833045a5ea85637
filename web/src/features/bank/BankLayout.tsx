/** The Bank page: one heading, the connected banks in a line, tabs for each status and the rules. */
import { Suspense } from 'react';
import { Link, NavLink, Outlet } from 'react-router-dom';
import { PageHeader } from '@/components/Page';
import { Loading } from '@/components/QueryState';
import { formatInstant } from '@/lib/dates';
import { useCan, useOrg } from '@/lib/org';
import { usePlaidItems } from '@/lib/plaid';
import './bank.css';

const TABS: [string, string][] = [
  ['unmatched', 'Unmatched'],
  ['matched', 'Matched'],
  ['ignored', 'Ignored'],
  ['rules', 'Rules'],
];

/** "First Platypus Bank, last synced …" — or how to connect one (who may see the integrations). */
function Banks() {
  const { orgId, org } = useOrg();
  const items = usePlaidItems(orgId);
  if (items.isPending || items.error) return null;
  const active = items.data.filter((i) => i.status === 'active');
  const settings = <Link to={`/orgs/${orgId}/settings/integrations`}>Settings → Integrations</Link>;
  if (!active.length) return <p className="muted">No bank is connected: connect one in {settings} to see its transactions here.</p>;
  return (
    <p className="muted" data-testid="bank-feeds-summary">
      {active.map((i, n) => (
        <span key={i.itemId}>
          {n > 0 ? '; ' : null}
          {i.institutionName || 'Bank'}: {i.lastSyncedAt ? `last synced ${formatInstant(i.lastSyncedAt, org.timezone)}` : 'first sync on its way'}
          {i.lastSyncError ? ' (the last sync failed)' : null}
        </span>
      ))}{' '}
      · {settings}
    </p>
  );
}

export default function BankLayout() {
  const { orgId } = useOrg();
  const integrations = useCan('integrationRead');
  return (
    <>
      <PageHeader title="Bank">
        <p className="muted">What the bank shows, matched to what the books recorded: deposits to payments and payouts, money out to expenses.</p>
        {integrations ? <Banks /> : null}
      </PageHeader>
      <nav className="tabs" aria-label="Bank">
        {TABS.map(([to, label]) => (
          <NavLink key={to} to={`/orgs/${orgId}/bank/${to}`}>
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
