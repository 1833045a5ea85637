import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const BuildingsPage = lazy(() => import('./BuildingsPage'));
const BuildingPage = lazy(() => import('./BuildingPage'));

export const routes: RouteObject[] = [
  { path: 'buildings', element: <BuildingsPage /> },
  { path: 'buildings/:buildingId', element: <BuildingPage /> },
];
