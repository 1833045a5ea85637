import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const ObligationsPage = lazy(() => import('./ObligationsPage'));

export const routes: RouteObject[] = [{ path: 'obligations', element: <ObligationsPage /> }];
