/** Test fixtures for the expense screens: an org context, lookups as the API answers them. */
import { useState, type ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import { OrgContext, type OrgContextValue } from '@/lib/org';

export const ORG: OrgContextValue = {
  orgId: 'org_1',
  role: 'owner',
  org: { id: 'org_1', name: 'Ann Apartments', baseCurrency: 'USD', country: 'US', timezone: 'America/New_York', createdAt: '2027-01-01T00:00:00Z', updatedAt: '2027-01-01T00:00:00Z' },
};

const t = '2027-01-01T00:00:00Z';
export const ACCOUNTS = [
  { id: 'acc_bank', code: '1000', name: 'Operating account', type: 'asset', subtype: 'bank', archived: false, seeded: true, createdAt: t, updatedAt: t },
  { id: 'acc_fixed', code: '1500', name: 'Fixed assets', type: 'asset', subtype: 'fixed_asset', archived: false, seeded: true, createdAt: t, updatedAt: t },
  { id: 'acc_repairs', code: '5140', name: 'Repairs', type: 'expense', scheduleE: '14', archived: false, seeded: true, createdAt: t, updatedAt: t },
];
export const BUILDINGS = [
  { id: 'bld_a', name: 'Maple Court', archived: false, unitCount: 2 },
  { id: 'bld_b', name: 'Oak Row', archived: false, unitCount: 1 },
];

/** An `apiGet` stand-in answering the lookups every expense form reads. */
export async function lookupGet(path: string): Promise<unknown> {
  if (path.endsWith('/accounts')) return { items: ACCOUNTS, nextCursor: null };
  if (path.endsWith('/vendors')) return { items: [], nextCursor: null };
  if (path.endsWith('/buildings')) return { items: BUILDINGS, nextCursor: null };
  if (path.endsWith('/units')) return { items: [], nextCursor: null };
  throw new Error(`unexpected GET ${path}`);
}

export function Providers({ children, role = 'owner' }: { children: ReactNode; role?: OrgContextValue['role'] }) {
  const [qc] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } }));
  return (
    <QueryClientProvider client={qc}>
      <MemoryRouter>
        <OrgContext.Provider value={{ ...ORG, role }}>{children}</OrgContext.Provider>
      </MemoryRouter>
    </QueryClientProvider>
  );
}
