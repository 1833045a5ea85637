/** Test fixtures for the books screens. */
import { useState, type ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import { OrgContext, type OrgContextValue } from '@/lib/org';

const t = '2027-01-01T00:00:00Z';
export const ORG: OrgContextValue = {
  orgId: 'org_1',
  role: 'owner',
  org: { id: 'org_1', name: 'Ann Apartments', baseCurrency: 'USD', country: 'US', timezone: 'America/New_York', createdAt: t, updatedAt: t },
};

export const ACCOUNTS = [
  { id: 'acc_bank', code: '1000', name: 'Operating account', type: 'asset', subtype: 'bank', archived: false, seeded: true, createdAt: t, updatedAt: t },
  { id: 'acc_eur', code: '1010', name: 'Euro account', type: 'asset', subtype: 'bank', currency: 'EUR', archived: false, seeded: false, createdAt: t, updatedAt: t },
  { id: 'acc_equity', code: '3000', name: 'Owner contributions', type: 'equity', archived: false, seeded: true, createdAt: t, updatedAt: t },
  { id: 'acc_repairs', code: '5140', name: 'Repairs', type: 'expense', scheduleE: '14', archived: false, seeded: true, createdAt: t, updatedAt: t },
];

export async function lookupGet(path: string): Promise<unknown> {
  if (path.endsWith('/accounts')) return { items: ACCOUNTS, nextCursor: null };
  if (path.endsWith('/buildings')) return { items: [{ id: 'bld_a', name: 'Maple Court', archived: false }], nextCursor: null };
  if (path.endsWith('/trial-balance')) return { asOf: '2027-01-31', accounts: [], totals: [], balanced: true, baseBalanced: true, baseTotals: { currency: 'USD', debits: { amount: '0.00', currency: 'USD' }, credits: { amount: '0.00', currency: 'USD' } }, unvalued: [] };
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
