/**
 * What an obligation is about, named and linked where the SPA has a page for it: a lease (its
 * tenants, linked, and its unit), a building, a unit (its building's page), a tenant, an expense.
 * Each name is one cached GET under the same keys the feature pages use.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { apiGet, type Schemas } from '@/api/client';
import { LeaseTenants, UnitName } from '@/components/EntityNames';

const STALE = 60_000;

export const SUBJECT_LABELS: Record<Schemas['SubjectType'], string> = {
  lease: 'Lease',
  building: 'Building',
  unit: 'Unit',
  tenant: 'Tenant',
  expense: 'Expense',
  maintenance: 'Maintenance request',
  workflow: 'Workflow',
};

function BuildingLink({ orgId, buildingId }: { orgId: string; buildingId: string }) {
  const b = useQuery({
    queryKey: ['orgs', orgId, 'buildings', buildingId],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/buildings/{buildingId}', { orgId, buildingId }, undefined, { signal }),
    staleTime: STALE,
  });
  return <Link to={`/orgs/${orgId}/buildings/${buildingId}`}>{b.data?.name ?? buildingId}</Link>;
}

function TenantLink({ orgId, tenantId }: { orgId: string; tenantId: string }) {
  const t = useQuery({
    queryKey: ['orgs', orgId, 'tenants', tenantId],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/tenants/{tenantId}', { orgId, tenantId }, undefined, { signal }),
    staleTime: STALE,
  });
  const name = t.data ? `${t.data.firstName} ${t.data.lastName}`.trim() : '';
  return <Link to={`/orgs/${orgId}/tenants/${tenantId}`}>{name || tenantId}</Link>;
}

/** A unit has no page of its own: it links to its building's once the unit is known. */
function UnitLink({ orgId, unitId }: { orgId: string; unitId: string }) {
  const u = useQuery({
    queryKey: ['orgs', orgId, 'units', unitId],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/units/{unitId}', { orgId, unitId }, undefined, { signal }),
    staleTime: STALE,
  });
  const name = <UnitName orgId={orgId} unitId={unitId} />;
  return u.data?.buildingId ? <Link to={`/orgs/${orgId}/buildings/${u.data.buildingId}`}>{name}</Link> : name;
}

/** The unit a lease is of (`<building> · <unit>`), under its tenants: a deposit or a notice is about a home. */
function LeaseUnit({ orgId, leaseId }: { orgId: string; leaseId: string }) {
  const lease = useQuery({
    queryKey: ['orgs', orgId, 'leases', leaseId],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/leases/{leaseId}', { orgId, leaseId }, undefined, { signal }),
    staleTime: STALE,
  });
  if (!lease.data?.unitId) return null;
  return (
    <small className="obligation-unit muted">
      <UnitName orgId={orgId} unitId={lease.data.unitId} />
    </small>
  );
}

export function SubjectLink({ orgId, subject }: { orgId: string; subject: Schemas['DocumentSubject'] }) {
  const { type, id } = subject;
  let target;
  switch (type) {
    case 'lease':
      target = (
        <>
          <Link to={`/orgs/${orgId}/leases/${id}`}>
            <LeaseTenants orgId={orgId} leaseId={id} />
          </Link>
          <LeaseUnit orgId={orgId} leaseId={id} />
        </>
      );
      break;
    case 'building':
      target = <BuildingLink orgId={orgId} buildingId={id} />;
      break;
    case 'tenant':
      target = <TenantLink orgId={orgId} tenantId={id} />;
      break;
    case 'unit':
      target = <UnitLink orgId={orgId} unitId={id} />;
      break;
    case 'expense':
      target = <Link to={`/orgs/${orgId}/expenses/${id}`}>{id}</Link>;
      break;
    case 'workflow':
      target = <Link to={`/orgs/${orgId}/workflows/${id}`}>{id}</Link>;
      break;
    case 'maintenance':
      target = <Link to={`/orgs/${orgId}/maintenance/${id}`}>{id}</Link>;
      break;
    default:
      target = <>{id}</>;
  }
  return (
    <span className="obligation-subject">
      <span className="muted">{SUBJECT_LABELS[type] ?? type}</span>
      {target}
    </span>
  );
}
