/** Test helpers: the providers a leases component needs (query client, router, org). */
import type { ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { ApiError } from '@/api/problem';
import { OrgContext, type OrgContextValue } from '@/lib/org';
import type { Role } from '@/lib/permissions';

export const testOrg = (role: Role = 'owner'): OrgContextValue => ({
  orgId: 'org_1',
  role,
  org: {
    id: 'org_1',
    name: 'Ann Apartments',
    baseCurrency: 'USD',
    country: 'US',
    timezone: 'America/New_York',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  },
});

export function renderWithOrg(ui: ReactNode, { role = 'owner' as Role, path = '/orgs/org_1/leases/lse_1' } = {}) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const result = render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={[path]}>
        <OrgContext.Provider value={testOrg(role)}>{ui}</OrgContext.Provider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return { ...result, qc };
}

export const networkError = () =>
  new ApiError({ type: 'about:blank', title: 'The server could not be reached. Check your connection and try again.', status: 0, detail: 'The server could not be reached. Check your connection and try again.' });

export const validationError = (errors: { field: string; message: string }[]) =>
  new ApiError({ type: 'urn:portfolioos:problem:validation', title: 'Invalid request', status: 400, detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors });
