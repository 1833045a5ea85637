import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const LeasesPage = lazy(() => import('./LeasesPage'));
const LeasePage = lazy(() => import('./LeasePage'));
const UnitLeasesPage = lazy(() => import('./UnitLeasesPage'));

export const routes: RouteObject[] = [
  { path: 'leases', element: <LeasesPage /> },
  { path: 'leases/:leaseId', element: <LeasePage /> },
  { path: 'units/:unitId/leases', element: <UnitLeasesPage /> },
];
