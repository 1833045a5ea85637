import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const TenantsPage = lazy(() => import('./TenantsPage'));

export const routes: RouteObject[] = [{ path: 'tenants', element: <TenantsPage /> }];
