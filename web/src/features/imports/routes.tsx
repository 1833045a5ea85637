import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const ImportsPage = lazy(() => import('./ImportsPage'));

export const routes: RouteObject[] = [{ path: 'imports', element: <ImportsPage /> }];
