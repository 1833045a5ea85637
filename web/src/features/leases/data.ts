/**
 * Query keys and lookups of the leases screens. Leases carry ids only (unit, building, tenants),
 * so names come from small cached lookups: one GET per id on a lease's page, or the whole
 * directory (buildings → units, every tenant) where a form or a list needs many of them.
 */
import { useQueries, useQuery } from '@tanstack/react-query';
import { apiGet, type Schemas } from '@/api/client';

export type Lease = Schemas['Lease'];
export type Tenant = Schemas['Tenant'];
export type Unit = Schemas['Unit'];
export type Building = Schemas['Building'];
export type Ledger = Schemas['Ledger'];
export type LedgerEntry = Schemas['LedgerEntry'];
export type Payment = Schemas['Payment'];
export type ChargeListItem = Awaited<ReturnType<typeof listCharges>>['items'][number];

const LOOKUP_STALE = 60_000;
/** Pages of a list read for a directory (200 a page): enough for any portfolio this screen serves. */
const MAX_PAGES = 25;

export const keys = {
  leases: (orgId: string) => ['orgs', orgId, 'leases'] as const,
  leaseList: (orgId: string) => ['orgs', orgId, 'leases', 'list'] as const,
  lease: (orgId: string, leaseId: string) => ['orgs', orgId, 'leases', leaseId] as const,
  ledger: (orgId: string, leaseId: string) => ['orgs', orgId, 'leases', leaseId, 'ledger'] as const,
  /** Every payment of the lease (all pages): their status (pending) and unapplied credit. */
  payments: (orgId: string, leaseId: string) => ['orgs', orgId, 'leases', leaseId, 'payments'] as const,
  /** Every charge of the lease (all pages), with what is still open on each. */
  charges: (orgId: string, leaseId: string) => ['orgs', orgId, 'leases', leaseId, 'charges'] as const,
  unitLeases: (orgId: string, unitId: string) => ['orgs', orgId, 'units', unitId, 'leases'] as const,
  delinquency: (orgId: string) => ['orgs', orgId, 'delinquency'] as const,
  unit: (orgId: string, unitId: string) => ['orgs', orgId, 'units', unitId] as const,
  building: (orgId: string, buildingId: string) => ['orgs', orgId, 'buildings', buildingId] as const,
  tenant: (orgId: string, tenantId: string) => ['orgs', orgId, 'tenants', tenantId] as const,
  allBuildings: (orgId: string) => ['orgs', orgId, 'buildings', 'directory', 'leases'] as const,
  allUnits: (orgId: string, buildingId: string) => ['orgs', orgId, 'buildings', buildingId, 'units', 'directory', 'leases'] as const,
  allTenants: (orgId: string) => ['orgs', orgId, 'tenants', 'directory', 'leases'] as const,
};

export function tenantName(t: Pick<Tenant, 'firstName' | 'lastName'>): string {
  return `${t.firstName} ${t.lastName}`.trim();
}

/** Reads every page of a cursor list. */
export async function readAll<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | null }>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const p = await page(cursor);
    out.push(...p.items);
    if (!p.nextCursor) break;
    cursor = p.nextCursor;
  }
  return out;
}

export function useLease(orgId: string, leaseId: string) {
  return useQuery({
    queryKey: keys.lease(orgId, leaseId),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/leases/{leaseId}', { orgId, leaseId }, undefined, { signal }),
  });
}

export function useUnit(orgId: string, unitId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: keys.unit(orgId, unitId ?? ''),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/units/{unitId}', { orgId, unitId: unitId ?? '' }, undefined, { signal }),
    enabled: enabled && !!unitId,
    staleTime: LOOKUP_STALE,
  });
}

export function useBuilding(orgId: string, buildingId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: keys.building(orgId, buildingId ?? ''),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/buildings/{buildingId}', { orgId, buildingId: buildingId ?? '' }, undefined, { signal }),
    enabled: enabled && !!buildingId,
    staleTime: LOOKUP_STALE,
  });
}

export function useTenants(orgId: string, tenantIds: string[], enabled = true) {
  return useQueries({
    queries: tenantIds.map((tenantId) => ({
      queryKey: keys.tenant(orgId, tenantId),
      queryFn: ({ signal }: { signal: AbortSignal }) => apiGet('/api/v1/orgs/{orgId}/tenants/{tenantId}', { orgId, tenantId }, undefined, { signal }),
      enabled,
      staleTime: LOOKUP_STALE,
    })),
  });
}

export interface UnitChoice {
  id: string;
  label: string;
  buildingId: string;
  buildingName: string;
  /** `<building name> · <unit label>` */
  text: string;
}

/** Every (non-archived) building's units, as `<building> · <unit>` choices. */
export function useUnitDirectory(orgId: string, enabled = true) {
  const buildings = useQuery({
    queryKey: keys.allBuildings(orgId),
    queryFn: ({ signal }) => readAll((cursor) => apiGet('/api/v1/orgs/{orgId}/buildings', { orgId }, { limit: 200, cursor }, { signal })),
    enabled,
    staleTime: LOOKUP_STALE,
  });
  const list = buildings.data ?? [];
  const units = useQueries({
    queries: list.map((b) => ({
      queryKey: keys.allUnits(orgId, b.id),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        readAll((cursor) => apiGet('/api/v1/orgs/{orgId}/buildings/{buildingId}/units', { orgId, buildingId: b.id }, { limit: 200, cursor }, { signal })),
      enabled,
      staleTime: LOOKUP_STALE,
    })),
  });
  const choices: UnitChoice[] = [];
  list.forEach((b, i) => {
    for (const u of units[i]?.data ?? []) {
      choices.push({ id: u.id, label: u.label, buildingId: b.id, buildingName: b.name, text: `${b.name} · ${u.label}` });
    }
  });
  const error = buildings.error ?? units.find((u) => u.error)?.error ?? null;
  const isPending = buildings.isPending || units.some((u) => u.isPending);
  return { choices, byId: new Map(choices.map((c) => [c.id, c])), isPending: enabled && isPending, error };
}

/** Every tenant of the org, by name. */
export function useTenantDirectory(orgId: string, enabled = true) {
  const q = useQuery({
    queryKey: keys.allTenants(orgId),
    queryFn: ({ signal }) => readAll((cursor) => apiGet('/api/v1/orgs/{orgId}/tenants', { orgId }, { limit: 200, cursor }, { signal })),
    enabled,
    staleTime: LOOKUP_STALE,
  });
  const tenants = [...(q.data ?? [])].sort((a, b) => tenantName(a).localeCompare(tenantName(b)));
  return { tenants, byId: new Map(tenants.map((t) => [t.id, t])), isPending: enabled && q.isPending, error: q.error };
}

function listCharges(orgId: string, leaseId: string, cursor: string | undefined, signal: AbortSignal) {
  return apiGet('/api/v1/orgs/{orgId}/leases/{leaseId}/charges', { orgId, leaseId }, { limit: 200, cursor }, { signal });
}

/** The lease's payments, every page (a lease has a few a month): which are pending, which carry credit. */
export function usePayments(orgId: string, leaseId: string, enabled = true) {
  return useQuery({
    queryKey: keys.payments(orgId, leaseId),
    queryFn: ({ signal }) => readAll((cursor) => apiGet('/api/v1/orgs/{orgId}/leases/{leaseId}/payments', { orgId, leaseId }, { limit: 200, cursor }, { signal })),
    enabled,
  });
}

/** The lease's charges, every page, by due date. */
export function useCharges(orgId: string, leaseId: string, enabled = true) {
  return useQuery({
    queryKey: keys.charges(orgId, leaseId),
    queryFn: ({ signal }) => readAll((cursor) => listCharges(orgId, leaseId, cursor, signal)),
    enabled,
  });
}
