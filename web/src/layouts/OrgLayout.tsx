/**
 * The frame of every org screen: a skip link, the navigation (what the role may see), the org
 * switcher for users in several orgs, and the screen. An org the caller is not a member of
 * reads as "not found", as the API answers it.
 */
import { Suspense, useState } from 'react';
import { NavLink, Outlet, useNavigate, useParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '@/api/client';
import { useAuth } from '@/auth/AuthProvider';
import { ErrorState, Loading } from '@/components/QueryState';
import { OrgContext, useMe } from '@/lib/org';
import type { Role } from '@/lib/permissions';

interface NavItem {
  to: string;
  label: string;
  show?: (role: Role) => boolean;
}

const NAV: NavItem[] = [
  { to: 'dashboard', label: 'Dashboard' },
  { to: 'buildings', label: 'Buildings' },
  { to: 'tenants', label: 'Tenants' },
  { to: 'imports', label: 'Import' },
  { to: 'leases', label: 'Leases' },
  { to: 'delinquency', label: 'Delinquency' },
  { to: 'expenses', label: 'Expenses' },
  { to: 'workflows', label: 'Approvals' },
  { to: 'bank', label: 'Bank' },
  { to: 'vendors', label: 'Vendors' },
  { to: 'books', label: 'Books' },
  { to: 'reports', label: 'Reports' },
  { to: 'maintenance', label: 'Maintenance' },
  { to: 'obligations', label: 'Obligations' },
  { to: 'policies', label: 'Policies' },
  { to: 'settings', label: 'Settings' },
];

export function OrgSwitcher({ orgId }: { orgId: string }) {
  const me = useMe();
  const navigate = useNavigate();
  const memberships = me.data?.memberships ?? [];
  if (memberships.length < 2) return null;
  return (
    <label className="org-switcher">
      <span className="sr-only">Organization</span>
      <select
        value={orgId}
        onChange={(e) => {
          localStorage.setItem('pos.lastOrg', e.target.value);
          navigate(`/orgs/${e.target.value}/dashboard`);
        }}
      >
        {memberships.map((m) => (
          <option key={m.orgId} value={m.orgId}>
            {m.orgName}
          </option>
        ))}
      </select>
    </label>
  );
}

export default function OrgLayout() {
  const { orgId = '' } = useParams();
  const auth = useAuth();
  const me = useMe();
  const membership = me.data?.memberships.find((m) => m.orgId === orgId);
  const org = useQuery({
    queryKey: ['orgs', orgId],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}', { orgId }, undefined, { signal }),
    enabled: !!membership,
  });
  const [menuOpen, setMenuOpen] = useState(false);

  let body;
  if (me.isPending || (membership && org.isPending)) body = <Loading />;
  else if (me.error) body = <ErrorState error={me.error} />;
  else if (!membership) body = <NotFoundPanel />;
  else if (org.error || !org.data) body = <ErrorState error={org.error} />;
  else
    body = (
      <OrgContext.Provider value={{ orgId, role: membership.role, org: org.data }}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </OrgContext.Provider>
    );

  return (
    <div className="app">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to={membership ? `/orgs/${orgId}/dashboard` : '/'} className="brand">
          PortfolioOS
        </NavLink>
        {membership ? <span className="org-name">{membership.orgName}</span> : null}
        <OrgSwitcher orgId={orgId} />
        <button type="button" className="btn menu-toggle" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen((o) => !o)}>
          Menu
        </button>
        <div className="user">
          <span className="muted">{auth.email}</span>
          {membership ? <span className="role-badge">{membership.role}</span> : null}
          <NavLink to="/orgs/new" className="btn">
            New org
          </NavLink>
          <button type="button" className="btn" onClick={auth.signOut}>
            Sign out
          </button>
        </div>
      </header>
      <div className="frame">
        {membership ? (
          <nav id="nav" aria-label="Main" className={menuOpen ? 'open' : undefined}>
            <ul>
              {NAV.filter((n) => !n.show || n.show(membership.role)).map((n) => (
                <li key={n.to}>
                  <NavLink to={`/orgs/${orgId}/${n.to}`} onClick={() => setMenuOpen(false)}>
                    {n.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <main id="main" tabIndex={-1}>
          {body}
        </main>
      </div>
    </div>
  );
}

export function NotFoundPanel() {
  return (
    <div className="card">
      <h1>Not found</h1>
      <p>This page does not exist, or you do not have access to it.</p>
      <NavLink to="/">Go to your organizations</NavLink>
    </div>
  );
}

