/**
 * Lookups several screens share: the chart, vendors, buildings and units, every page of them (for
 * selects and names), under one set of query keys so the screens share one cache.
 */
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '@/api/client';
import { useOrg } from '@/lib/org';

interface PageOf<T> {
  items: T[];
  nextCursor?: string | null;
}

/** Every page of a cursor-paged list (for selects and name lookups, not for displayed lists). */
export async function fetchAll<T>(page: (cursor: string | undefined) => Promise<PageOf<T>>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const p = await page(cursor);
    out.push(...p.items);
    if (!p.nextCursor) break;
    cursor = p.nextCursor;
  }
  return out;
}

export const lookupKeys = {
  accounts: (orgId: string) => ['orgs', orgId, 'accounts', 'all'] as const,
  vendorsAll: (orgId: string) => ['orgs', orgId, 'vendors', 'all'] as const,
  buildingsAll: (orgId: string) => ['orgs', orgId, 'buildings', 'all'] as const,
  units: (orgId: string, buildingId: string) => ['orgs', orgId, 'buildings', buildingId, 'units', 'all'] as const,
};

export function useAccounts() {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: lookupKeys.accounts(orgId),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/accounts', { orgId }, undefined, { signal }).then((r) => r.items),
    staleTime: 60_000,
  });
}

export function useVendors() {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: lookupKeys.vendorsAll(orgId),
    queryFn: ({ signal }) => fetchAll((cursor) => apiGet('/api/v1/orgs/{orgId}/vendors', { orgId }, { limit: 200, cursor }, { signal })),
    staleTime: 60_000,
  });
}

export function useBuildings() {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: lookupKeys.buildingsAll(orgId),
    queryFn: ({ signal }) => fetchAll((cursor) => apiGet('/api/v1/orgs/{orgId}/buildings', { orgId }, { limit: 200, cursor }, { signal })),
    staleTime: 60_000,
  });
}

export function useUnits(buildingId: string) {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: lookupKeys.units(orgId, buildingId),
    queryFn: ({ signal }) => fetchAll((cursor) => apiGet('/api/v1/orgs/{orgId}/buildings/{buildingId}/units', { orgId, buildingId }, { limit: 200, cursor }, { signal })),
    enabled: !!buildingId,
    staleTime: 60_000,
  });
}
