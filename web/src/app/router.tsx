/**
 * Routes. Each feature declares its own (`src/features/<feature>/routes.tsx`) with `lazy`
 * imports, so every screen is its own chunk and the initial bundle carries only the frame.
 */
import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router-dom';
import { useAuth } from '@/auth/AuthProvider';
import { Loading } from '@/components/QueryState';
import { routes as dashboard } from '@/features/dashboard/routes';
import { routes as properties } from '@/features/properties/routes';
import { routes as tenants } from '@/features/tenants/routes';
import { routes as imports } from '@/features/imports/routes';
import { routes as leases } from '@/features/leases/routes';
import { routes as delinquency } from '@/features/delinquency/routes';
import { routes as expenses } from '@/features/expenses/routes';
import { routes as bank } from '@/features/bank/routes';
import { routes as vendors } from '@/features/vendors/routes';
import { routes as books } from '@/features/books/routes';
import { routes as reports } from '@/features/reports/routes';
import { routes as settings } from '@/features/settings/routes';
import { routes as obligations } from '@/features/obligations/routes';
import { routes as policies } from '@/features/policies/routes';
import { routes as maintenance } from '@/features/maintenance/routes';
import { routes as workflows } from '@/features/workflows/routes';

const OrgLayout = lazy(() => import('@/layouts/OrgLayout'));
const PlainLayout = lazy(() => import('@/layouts/PlainLayout'));
const Home = lazy(() => import('./Home'));
const CallbackPage = lazy(() => import('@/auth/CallbackPage'));
const SignInPage = lazy(() => import('@/auth/SignInPage'));
const CreateOrgPage = lazy(() => import('@/features/orgs/CreateOrgPage'));
const NotFoundPage = lazy(() => import('@/layouts/NotFoundPage'));

/** Signed-out visitors see the sign-in screen wherever they land (and return there after). */
function RequireAuth({ children }: { children: ReactNode }) {
  const auth = useAuth();
  if (auth.status === 'loading') return <Loading label="Checking your session…" />;
  if (auth.status === 'signedOut') return <SignInPage />;
  return <>{children}</>;
}

function guarded(node: ReactNode): ReactNode {
  return (
    <Suspense fallback={<Loading />}>
      <RequireAuth>{node}</RequireAuth>
    </Suspense>
  );
}

export const orgChildren: RouteObject[] = [...dashboard, ...properties, ...tenants, ...imports, ...leases, ...delinquency, ...expenses, ...workflows, ...bank, ...vendors, ...books, ...reports, ...maintenance, ...obligations, ...policies, ...settings];

export const appRoutes: RouteObject[] = [
  { path: '/auth/callback', element: <Suspense fallback={<Loading />}><CallbackPage /></Suspense> },
  { path: '/', element: guarded(<PlainLayout />), children: [{ index: true, element: <Home /> }, { path: 'orgs/new', element: <CreateOrgPage /> }] },
  { path: '/orgs/:orgId', element: guarded(<OrgLayout />), children: orgChildren },
  { path: '*', element: guarded(<PlainLayout />), children: [{ path: '*', element: <NotFoundPage /> }] },
];

export function createRouter() {
  return createBrowserRouter(appRoutes);
}
