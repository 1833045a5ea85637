import { Fragment } from 'react';
import { Link } from 'react-router-dom';
import { tenantName, useBuilding, useTenants, useUnit, type Tenant, type UnitChoice } from './data';

/** `<building> · <unit>` for a unit id: from `known` when the directory has it, else one GET. */
export function UnitText({ orgId, unitId, known, defer = false }: { orgId: string; unitId: string; known?: UnitChoice; defer?: boolean }) {
  const unit = useUnit(orgId, unitId, !known && !defer);
  const building = useBuilding(orgId, unit.data?.buildingId, !known && !defer);
  if (known) return <>{known.text}</>;
  if (unit.data) return <>{building.data ? `${building.data.name} · ${unit.data.label}` : unit.data.label}</>;
  if (unit.error) return <span className="muted">{unitId}</span>;
  return <span className="muted">…</span>;
}

/** The lease's tenants, primary first; links to the tenant pages when `links`. */
export function TenantNames({
  orgId,
  tenantIds,
  known,
  links = false,
  defer = false,
}: {
  orgId: string;
  tenantIds: string[];
  known?: Map<string, Tenant>;
  links?: boolean;
  /** Fetch nothing yet (the directory that would know them is loading). */
  defer?: boolean;
}) {
  const missing = known ? tenantIds.filter((id) => !known.has(id)) : tenantIds;
  const fetched = useTenants(orgId, missing, !defer);
  const byId = new Map<string, Tenant>(known ?? []);
  missing.forEach((id, i) => {
    const t = fetched[i]?.data;
    if (t) byId.set(id, t);
  });
  return (
    <>
      {tenantIds.map((id, i) => {
        const t = byId.get(id);
        const name = t ? tenantName(t) : '…';
        return (
          <Fragment key={id}>
            {i > 0 ? ', ' : null}
            {links ? <Link to={`/orgs/${orgId}/tenants/${id}`}>{name}</Link> : name}
          </Fragment>
        );
      })}
    </>
  );
}
