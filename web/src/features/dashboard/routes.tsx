import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const DashboardPage = lazy(() => import('./DashboardPage'));

export const routes: RouteObject[] = [{ path: 'dashboard', element: <DashboardPage /> }];
