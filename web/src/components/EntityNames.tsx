/**
 * Names for what reports carry by id: a lease's tenants and a unit (with its building), each
 * one cached GET shared by every row (same keys as the lease pages use).
 */
import { useQueries, useQuery } from '@tanstack/react-query';
import { apiGet } from '@/api/client';

const STALE = 60_000;

function useLeaseTenants(orgId: string, leaseId: string) {
  const lease = useQuery({
    queryKey: ['orgs', orgId, 'leases', leaseId],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/leases/{leaseId}', { orgId, leaseId }, undefined, { signal }),
    staleTime: STALE,
  });
  const ids = lease.data?.tenantIds ?? [];
  const tenants = useQueries({
    queries: ids.map((tenantId) => ({
      queryKey: ['orgs', orgId, 'tenants', tenantId],
      queryFn: ({ signal }: { signal: AbortSignal }) => apiGet('/api/v1/orgs/{orgId}/tenants/{tenantId}', { orgId, tenantId }, undefined, { signal }),
      staleTime: STALE,
    })),
  });
  if (lease.error) return null;
  if (!lease.data || tenants.some((t) => t.isPending)) return undefined;
  return tenants.map((t, i) => (t.data ? `${t.data.firstName} ${t.data.lastName}`.trim() : (ids[i] ?? '')));
}

/** "Jane Doe, Joe Roe" for a lease; its id while loading fails. */
export function LeaseTenants({ orgId, leaseId }: { orgId: string; leaseId: string }) {
  const names = useLeaseTenants(orgId, leaseId);
  if (names === null) return <>{leaseId}</>;
  if (names === undefined) return <span className="muted">…</span>;
  return <>{names.join(', ') || leaseId}</>;
}

/** `<building> · <unit>` */
export function UnitName({ orgId, unitId }: { orgId: string; unitId: string }) {
  const unit = useQuery({
    queryKey: ['orgs', orgId, 'units', unitId],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/units/{unitId}', { orgId, unitId }, undefined, { signal }),
    staleTime: STALE,
  });
  const buildingId = unit.data?.buildingId ?? '';
  const building = useQuery({
    queryKey: ['orgs', orgId, 'buildings', buildingId],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/buildings/{buildingId}', { orgId, buildingId }, undefined, { signal }),
    enabled: !!buildingId,
    staleTime: STALE,
  });
  if (unit.error) return <>{unitId}</>;
  if (!unit.data) return <span className="muted">…</span>;
  return <>{building.data ? `${building.data.name} · ${unit.data.label}` : unit.data.label}</>;
}
