import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const ReportsPage = lazy(() => import('./ReportsPage'));

export const routes: RouteObject[] = [{ path: 'reports', element: <ReportsPage /> }];
