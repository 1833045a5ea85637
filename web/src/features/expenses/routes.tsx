import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const ExpensesPage = lazy(() => import('./ExpensesPage'));
const ExpensePage = lazy(() => import('./ExpensePage'));
const RecurringPage = lazy(() => import('./RecurringPage'));

export const routes: RouteObject[] = [
  { path: 'expenses', element: <ExpensesPage /> },
  { path: 'expenses/:expenseId', element: <ExpensePage /> },
  { path: 'recurring-expenses', element: <RecurringPage /> },
];
