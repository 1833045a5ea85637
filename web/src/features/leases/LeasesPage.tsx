import { useState } from 'react';
import { Link } from 'react-router-dom';
import { apiGet } from '@/api/client';
import { PageHeader, Section } from '@/components/Page';
import { LoadMore, usePaged } from '@/components/Paged';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { MoneyText } from '@/components/Money';
import { formatDay } from '@/lib/dates';
import { useCan, useOrg } from '@/lib/org';
import { keys, useTenantDirectory, useUnitDirectory, type Lease } from './data';
import { TenantNames, UnitText } from './names';
import { NewLeaseForm } from './NewLeaseForm';
import { RunRentForm } from './RunRentForm';
import { LeaseStatus } from './LeaseStatus';
import './leases.css';

/** `/orgs/:orgId/leases`: every lease (paged), a new lease, and the rent run. */
export default function LeasesPage() {
  const { orgId } = useOrg();
  const canLease = useCan('leasingWrite');
  const canBill = useCan('ledgerWrite');
  const [creating, setCreating] = useState(false);
  const leases = usePaged(keys.leaseList(orgId), (cursor, signal) => apiGet('/api/v1/orgs/{orgId}/leases', { orgId }, { cursor }, { signal }));
  const hasRows = leases.items.length > 0;
  const units = useUnitDirectory(orgId, hasRows);
  const tenants = useTenantDirectory(orgId, hasRows);

  return (
    <>
      <PageHeader
        title="Leases"
        actions={
          canLease ? (
            <button type="button" className="btn primary" aria-expanded={creating} onClick={() => setCreating((c) => !c)}>
              New lease
            </button>
          ) : null
        }
      />
      {creating ? <NewLeaseForm onCancel={() => setCreating(false)} /> : null}
      {canBill ? (
        // Not a labelled region: its name would contain "rent" and make getByLabel('Rent') ambiguous.
        <section className="section">
          <div className="section-header">
            <h2>Run rent</h2>
          </div>
          <RunRentForm />
        </section>
      ) : null}
      <Section title="All leases">
        {leases.isPending ? (
          <Loading />
        ) : leases.error ? (
          <ErrorState error={leases.error} />
        ) : !hasRows ? (
          <Empty>No leases yet.{canLease ? ' Create one with “New lease”.' : ''}</Empty>
        ) : (
          <>
            <Table<Lease>
              caption="Leases"
              rowKey={(l) => l.id}
              rows={leases.items}
              columns={[
                {
                  header: 'Unit',
                  cell: (l) => (
                    <Link to={`/orgs/${orgId}/leases/${l.id}`}>
                      <UnitText orgId={orgId} unitId={l.unitId} known={units.byId.get(l.unitId)} defer={units.isPending} />
                    </Link>
                  ),
                },
                { header: 'Tenants', cell: (l) => <TenantNames orgId={orgId} tenantIds={l.tenantIds} known={tenants.byId} defer={tenants.isPending} /> },
                { header: 'Start', cell: (l) => formatDay(l.startDate) },
                { header: 'End', cell: (l) => (l.moveOutDate ? `${formatDay(l.moveOutDate)} (moved out)` : l.endDate ? formatDay(l.endDate) : 'Month-to-month') },
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
