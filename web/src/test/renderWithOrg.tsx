/** Test harness: a fresh query client, a router at `path`, and an owner's org context. */
import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { OrgContext, type OrgContextValue } from '@/lib/org';
import type { Role } from '@/lib/permissions';

export const ORG_ID = 'org_01TEST';

export function orgValue(role: Role = 'owner'): OrgContextValue {
  return {
    orgId: ORG_ID,
    role,
    org: {
      id: ORG_ID,
      name: 'Test Org',
      baseCurrency: 'USD',
      country: 'US',
      timezone: 'America/New_York',
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    },
  };
}

/** Renders `element` at `/orgs/:orgId/<route>` with other org routes showing their path. */
export function renderWithOrg(element: ReactElement, { route, at, role = 'owner' }: { route: string; at: string; role?: Role }) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <OrgContext.Provider value={orgValue(role)}>
        <MemoryRouter initialEntries={[`/orgs/${ORG_ID}/${at}`]}>
          <Routes>
            <Route path={`/orgs/:orgId/${route}`} element={element} />
            <Route path="*" element={<LocationProbe />} />
          </Routes>
        </MemoryRouter>
      </OrgContext.Provider>
    </QueryClientProvider>,
  );
}

/** Where the app navigated to (any route other than the one under test). */
function LocationProbe() {
  return <p data-testid="location">{useLocation().pathname}</p>;
}
