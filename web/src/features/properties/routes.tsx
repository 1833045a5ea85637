import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const BuildingsPage = lazy(() => import('./BuildingsPage'));

export const routes: RouteObject[] = [{ path: 'buildings', element: <BuildingsPage /> }];
