/** Query keys and reads of the policies screen: the built-in pack, the org's own rules, a resolution. */
import { useQuery } from '@tanstack/react-query';
import { apiGet, type Schemas } from '@/api/client';
import { fetchAll } from '@/lib/lookups';
import { useOrg } from '@/lib/org';
import type { PolicyArea } from '@/lib/policies';

export type Resolution = Schemas['Resolution'];
export type Candidate = Schemas['Candidate'];

/** What the tester asks (`policies:resolve`), as sent. */
export interface ResolveAsk {
  area: PolicyArea;
  country: string;
  region?: string;
  date: string;
  entityType?: string;
  action?: string;
  smallLandlord?: boolean;
  serviceMember?: boolean;
}

export const keys = {
  /** The pack is the same for every org. */
  pack: ['policy-packs'] as const,
  /** The org's rules; a resolution sits under it, so a rule created or deleted refreshes both. */
  policies: (orgId: string) => ['orgs', orgId, 'policies'] as const,
  orgRules: (orgId: string) => ['orgs', orgId, 'policies', 'all'] as const,
  resolve: (orgId: string, ask: ResolveAsk) => ['orgs', orgId, 'policies', 'resolve', ask] as const,
};

export function usePack() {
  return useQuery({
    queryKey: keys.pack,
    queryFn: ({ signal }) => apiGet('/api/v1/policy-packs', {}, undefined, { signal }).then((r) => r.items),
    staleTime: 60 * 60_000,
  });
}

/** Every one of the org's own rules (an org has a handful; all pages are read). */
export function useOrgRules() {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: keys.orgRules(orgId),
    queryFn: ({ signal }) => fetchAll((cursor) => apiGet('/api/v1/orgs/{orgId}/policies', { orgId }, { limit: 200, cursor }, { signal })),
    staleTime: 30_000,
  });
}

export function useResolution(ask: ResolveAsk | null) {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: keys.resolve(orgId, ask ?? ({} as ResolveAsk)),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/policies:resolve', { orgId }, { ...(ask as ResolveAsk), country: ask?.country as Schemas['Country'] }, { signal }),
    enabled: ask !== null,
  });
}
