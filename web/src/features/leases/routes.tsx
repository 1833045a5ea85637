import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const LeasesPage = lazy(() => import('./LeasesPage'));

export const routes: RouteObject[] = [{ path: 'leases', element: <LeasesPage /> }];
