import { Link, useParams } from 'react-router-dom';
import { apiGet } from '@/api/client';
import { MoneyText } from '@/components/Money';
import { PageHeader, Section } from '@/components/Page';
import { LoadMore, usePaged } from '@/components/Paged';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatDay } from '@/lib/dates';
import { useOrg } from '@/lib/org';
import { keys, useBuilding, useUnit, type Lease } from './data';
import { LeaseStatus } from './LeaseStatus';
import { TenantNames } from './names';
import './leases.css';

/** A lease's term in words: start – end (or move-out, or month-to-month). */
export function termText(l: Pick<Lease, 'startDate' | 'endDate' | 'moveOutDate'>): string {
  const end = l.moveOutDate ? `${formatDay(l.moveOutDate)} (moved out)` : l.endDate ? formatDay(l.endDate) : 'month-to-month';
  return `${formatDay(l.startDate)} – ${end}`;
}

/** `/orgs/:orgId/units/:unitId/leases`: every lease the unit has had, oldest start first (paged). */
export default function UnitLeasesPage() {
  const { orgId } = useOrg();
  const { unitId = '' } = useParams();
  const unit = useUnit(orgId, unitId);
  const building = useBuilding(orgId, unit.data?.buildingId);
  const leases = usePaged(keys.unitLeases(orgId, unitId), (cursor, signal) => apiGet('/api/v1/orgs/{orgId}/units/{unitId}/leases', { orgId, unitId }, { cursor }, { signal }));

  const title = unit.data ? `Lease history · ${unit.data.label}` : 'Lease history';
  return (
    <>
      <p className="leases-breadcrumb">
        <Link to={`/orgs/${orgId}/leases`}>Leases</Link>
        {building.data ? (
          <>
            {' · '}
            <Link to={`/orgs/${orgId}/buildings/${building.data.id}`}>{building.data.name}</Link>
          </>
        ) : null}
      </p>
      <PageHeader title={title}>
        {building.data && unit.data ? (
          <p className="leases-subtitle muted">
            {building.data.name} · {unit.data.label}
          </p>
        ) : null}
      </PageHeader>
      <Section title="Leases of this unit">
        {leases.isPending ? (
          <Loading label="Loading the unit's leases…" />
        ) : leases.error ? (
          <ErrorState error={leases.error} />
        ) : leases.items.length === 0 ? (
          <Empty>This unit has had no lease yet.</Empty>
        ) : (
          <>
            <Table<Lease>
              caption={unit.data ? `Leases of unit ${unit.data.label}, oldest first` : 'Leases of the unit, oldest first'}
              rowKey={(l) => l.id}
              rows={leases.items}
              columns={[
                { header: 'Term', cell: (l) => <Link to={`/orgs/${orgId}/leases/${l.id}`}>{termText(l)}</Link> },
                { header: 'Tenants', cell: (l) => <TenantNames orgId={orgId} tenantIds={l.tenantIds} links /> },
                { header: 'Rent', numeric: true, cell: (l) => <MoneyText value={l.rent} /> },
                { header: 'Status', cell: (l) => <LeaseStatus status={l.status} /> },
              ]}
            />
            <LoadMore query={leases} />
          </>
        )}
      </Section>
    </>
  );
}
