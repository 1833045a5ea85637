import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const TenantsPage = lazy(() => import('./TenantsPage'));
const TenantPage = lazy(() => import('./TenantPage'));

export const routes: RouteObject[] = [
  { path: 'tenants', element: <TenantsPage /> },
  { path: 'tenants/:tenantId', element: <TenantPage /> },
];
