import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const ExpensesPage = lazy(() => import('./ExpensesPage'));

export const routes: RouteObject[] = [{ path: 'expenses', element: <ExpensesPage /> }];
