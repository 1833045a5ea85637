import { lazy } from 'react';
import { Navigate, type RouteObject } from 'react-router-dom';

const SettingsLayout = lazy(() => import('./SettingsLayout'));
const OrgSettingsPage = lazy(() => import('./OrgSettingsPage'));
const MembersPage = lazy(() => import('./MembersPage'));
const BillingSettingsPage = lazy(() => import('./BillingSettingsPage'));
const WebhooksPage = lazy(() => import('./WebhooksPage'));
const WebhookPage = lazy(() => import('./WebhookPage'));
const IntegrationsPage = lazy(() => import('./IntegrationsPage'));
const AuditPage = lazy(() => import('./AuditPage'));
const EventsPage = lazy(() => import('./EventsPage'));

export const routes: RouteObject[] = [
  {
    path: 'settings',
    element: <SettingsLayout />,
    children: [
      { index: true, element: <Navigate to="org" replace /> },
      { path: 'org', element: <OrgSettingsPage /> },
      { path: 'members', element: <MembersPage /> },
      { path: 'billing', element: <BillingSettingsPage /> },
      { path: 'webhooks', element: <WebhooksPage /> },
      { path: 'webhooks/:webhookId', element: <WebhookPage /> },
      { path: 'integrations', element: <IntegrationsPage /> },
      { path: 'audit', element: <AuditPage /> },
      { path: 'events', element: <EventsPage /> },
    ],
  },
];
