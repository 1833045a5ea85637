import { Suspense } from 'react';
import { NavLink, Outlet } from 'react-router-dom';
import { PageHeader } from '@/components/Page';
import { Loading } from '@/components/QueryState';
import { useCan, useOrg } from '@/lib/org';
import './settings.css';

/** `settings/*`: the org's settings in tabs (webhooks, integrations, the audit and event logs only for who may read them). */
export default function SettingsLayout() {
  const { orgId } = useOrg();
  const webhooks = useCan('webhookRead');
  const audit = useCan('auditRead');
  const events = useCan('eventRead');
  const integrations = useCan('integrationRead');
  const base = `/orgs/${orgId}/settings`;
  const tabs = [
    { to: 'org', label: 'Organization', show: true },
    { to: 'members', label: 'Members', show: true },
    { to: 'billing', label: 'Billing', show: true },
    { to: 'webhooks', label: 'Webhooks', show: webhooks },
    { to: 'integrations', label: 'Integrations', show: integrations },
    { to: 'audit', label: 'Audit log', show: audit },
    { to: 'events', label: 'Event log', show: events },
  ];
  return (
    <>
      <PageHeader title="Settings" />
      <nav className="tabs" aria-label="Settings">
        {tabs
          .filter((t) => t.show)
          .map((t) => (
            <NavLink key={t.to} to={`${base}/${t.to}`}>
              {t.label}
            </NavLink>
          ))}
      </nav>
      <Suspense fallback={<Loading />}>
        <Outlet />
      </Suspense>
    </>
  );
}
