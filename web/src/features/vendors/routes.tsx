import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const VendorsPage = lazy(() => import('./VendorsPage'));

export const routes: RouteObject[] = [{ path: 'vendors', element: <VendorsPage /> }];
