import { lazy } from 'react';
import { Navigate, type RouteObject } from 'react-router-dom';

const BooksLayout = lazy(() => import('./BooksLayout'));
const AccountsTab = lazy(() => import('./AccountsTab'));
const RegisterPage = lazy(() => import('./RegisterPage'));
const JournalTab = lazy(() => import('./JournalTab'));
const JournalEntryPage = lazy(() => import('./JournalEntryPage'));
const TrialBalanceTab = lazy(() => import('./TrialBalanceTab'));
const PeriodsTab = lazy(() => import('./PeriodsTab'));
const FixedAssetsTab = lazy(() => import('./FixedAssetsTab'));
const FxRatesTab = lazy(() => import('./FxRatesTab'));

export const routes: RouteObject[] = [
  {
    path: 'books',
    element: <BooksLayout />,
    children: [
      { index: true, element: <Navigate to="accounts" replace /> },
      { path: 'accounts', element: <AccountsTab /> },
      { path: 'accounts/:accountId', element: <RegisterPage /> },
      { path: 'journal', element: <JournalTab /> },
      { path: 'journal/:entryId', element: <JournalEntryPage /> },
      { path: 'trial-balance', element: <TrialBalanceTab /> },
      { path: 'periods', element: <PeriodsTab /> },
      { path: 'fixed-assets', element: <FixedAssetsTab /> },
      { path: 'fx-rates', element: <FxRatesTab /> },
    ],
  },
];
