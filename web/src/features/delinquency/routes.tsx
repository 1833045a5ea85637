import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const DelinquencyPage = lazy(() => import('./DelinquencyPage'));

export const routes: RouteObject[] = [{ path: 'delinquency', element: <DelinquencyPage /> }];
