import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const PoliciesPage = lazy(() => import('./PoliciesPage'));

export const routes: RouteObject[] = [{ path: 'policies', element: <PoliciesPage /> }];
