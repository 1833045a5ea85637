/**
 * The org's bank feeds (Plaid Items), as Settings → Integrations manages them and the Bank page
 * reads them; and the query keys both invalidate (a new bank brings transactions).
 */
import { useQuery } from '@tanstack/react-query';
import { apiGet, type Schemas } from '@/api/client';

export type PlaidItem = Schemas['PlaidItem'];

export const plaidItemsKey = (orgId: string) => ['orgs', orgId, 'integrations', 'plaid', 'items'] as const;
/** Every bank-transaction list (all statuses and filters) sits under this key. */
export const bankTransactionsKey = (orgId: string) => ['orgs', orgId, 'bank-transactions'] as const;

export function usePlaidItems(orgId: string, enabled = true) {
  return useQuery({
    queryKey: plaidItemsKey(orgId),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/integrations/plaid/items', { orgId }, undefined, { signal }).then((r) => r.items),
    enabled,
    staleTime: 30_000,
  });
}

/** "Plaid Checking ··0000" */
export function plaidAccountLabel(a: { name?: string | null; mask?: string | null }): string {
  const name = a.name || 'Account';
  return a.mask ? `${name} ··${a.mask}` : name;
}
