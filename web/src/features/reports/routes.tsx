import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';

const ReportsPage = lazy(() => import('./ReportsPage'));
const CashFlowPage = lazy(() => import('./CashFlowPage'));
const ProfitAndLossPage = lazy(() => import('./ProfitAndLossPage'));
const NoiPage = lazy(() => import('./NoiPage'));
const RentRollPage = lazy(() => import('./RentRollPage'));
const ScheduleEPage = lazy(() => import('./ScheduleEPage'));
const OwnerStatementPage = lazy(() => import('./OwnerStatementPage'));
const Vendors1099Page = lazy(() => import('./Vendors1099Page'));

export const routes: RouteObject[] = [
  { path: 'reports', element: <ReportsPage /> },
  { path: 'reports/cash-flow', element: <CashFlowPage /> },
  { path: 'reports/profit-and-loss', element: <ProfitAndLossPage /> },
  { path: 'reports/noi', element: <NoiPage /> },
  { path: 'reports/rent-roll', element: <RentRollPage /> },
  { path: 'reports/schedule-e', element: <ScheduleEPage /> },
  { path: 'reports/owner-statement', element: <OwnerStatementPage /> },
  { path: 'reports/vendors-1099', element: <Vendors1099Page /> },
];
