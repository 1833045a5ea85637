import { lazy } from 'react';
import { Navigate, type RouteObject } from 'react-router-dom';

const BankLayout = lazy(() => import('./BankLayout'));
const TransactionsTab = lazy(() => import('./TransactionsTab'));
const RulesTab = lazy(() => import('./RulesTab'));

export const routes: RouteObject[] = [
  {
    path: 'bank',
    element: <BankLayout />,
    children: [
      { index: true, element: <Navigate to="unmatched" replace /> },
      { path: 'unmatched', element: <TransactionsTab key="unmatched" status="unmatched" /> },
      { path: 'matched', element: <TransactionsTab key="matched" status="matched" /> },
      { path: 'ignored', element: <TransactionsTab key="ignored" status="ignored" /> },
      { path: 'rules', element: <RulesTab /> },
    ],
  },
];
