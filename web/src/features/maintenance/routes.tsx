import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const MaintenancePage = lazy(() => import('./MaintenancePage'));
const RequestPage = lazy(() => import('./RequestPage'));

export const routes: RouteObject[] = [
  { path: 'maintenance', element: <MaintenancePage /> },
  { path: 'maintenance/:requestId', element: <RequestPage /> },
];
