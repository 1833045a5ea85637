/**
 * `/orgs/:orgId/maintenance`: the org's maintenance requests — what is still to do first,
 * emergencies leading — filtered by status on the pages loaded, and "New request" for owners
 * and managers.
 */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { UnitName } from '@/components/EntityNames';
import { SelectField } from '@/components/Field';
import { PageHeader, Section } from '@/components/Page';
import { LoadMore } from '@/components/Paged';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatDay, formatInstant } from '@/lib/dates';
import { useVendors } from '@/lib/lookups';
import { useCan, useOrg } from '@/lib/org';
import { PriorityBadge, StatusBadge } from './Badges';
import { boardOrder, isStillOpen, matches, STATUSES, useRequests, type StatusFilter } from './data';
import { NewRequestForm } from './RequestForm';
import './maintenance.css';

type Row = ReturnType<typeof useRequests>['items'][number];

const FILTERS: { value: StatusFilter; label: string }[] = [
  { value: 'all', label: 'All requests' },
  { value: 'to_do', label: 'Still to do (open, assigned, in progress)' },
  ...STATUSES.map((s) => ({ value: s.value as StatusFilter, label: s.label })),
];

function When({ r }: { r: Row }) {
  const { org } = useOrg();
  if (r.status === 'completed' && r.completedOn) return <>Completed {formatDay(r.completedOn)}</>;
  if (r.scheduledFor && isStillOpen(r.status)) return <>Scheduled {formatDay(r.scheduledFor)}</>;
  return <>Reported {formatInstant(r.createdAt, org.timezone)}</>;
}

export default function MaintenancePage() {
  const { orgId } = useOrg();
  const canWrite = useCan('maintenanceWrite');
  const requests = useRequests();
  const vendors = useVendors();
  const [creating, setCreating] = useState(false);
  const [filter, setFilter] = useState<StatusFilter>('all');

  const all = requests.items;
  const shown = boardOrder(all.filter((r) => matches(filter, r.status)));
  const toDo = all.filter((r) => isStillOpen(r.status));
  const emergencies = toDo.filter((r) => r.priority === 'emergency').length;
  const vendorName = (id: string | null | undefined) => (id ? (vendors.data?.find((v) => v.id === id)?.name ?? '…') : null);

  const actions =
    canWrite && !creating ? (
      <button type="button" className="btn primary" onClick={() => setCreating(true)}>
        New request
      </button>
    ) : null;

  return (
    <>
      <PageHeader title="Maintenance" actions={actions}>
        <p className="muted">Repairs and cleaning on your units, from the report to the vendor’s work and its cost, booked as an expense on the unit.</p>
      </PageHeader>
      {creating ? <NewRequestForm onCancel={() => setCreating(false)} /> : null}
      <form className="form card narrow mnt-filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter requests">
        <SelectField label="Show" name="status" value={filter} onChange={(e) => setFilter(e.target.value as StatusFilter)}>
          {FILTERS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </SelectField>
      </form>
      <Section title="Requests">
        {requests.isPending ? (
          <Loading label="Loading requests…" />
        ) : requests.error ? (
          <ErrorState error={requests.error} />
        ) : all.length === 0 ? (
          <Empty>No maintenance requests yet.{canWrite ? ' “New request” records one.' : ''}</Empty>
        ) : (
          <>
            <p className="muted mnt-summary" data-testid="maintenance-summary">
              {toDo.length} still to do{emergencies ? ` (${emergencies} ${emergencies === 1 ? 'emergency' : 'emergencies'})` : ''} · {all.length - toDo.length} completed or cancelled
              {requests.hasNextPage ? ', of the requests loaded so far' : ''}.
            </p>
            {shown.length === 0 ? (
              <Empty>No requests {FILTERS.find((f) => f.value === filter)?.label.toLowerCase()}.</Empty>
            ) : (
              <Table<Row>
                caption="Maintenance requests"
                rows={shown}
                rowKey={(r) => r.id}
                columns={[
                  {
                    header: 'Request',
                    cell: (r) => (
                      <span className="mnt-title-cell">
                        <Link to={`/orgs/${orgId}/maintenance/${r.id}`}>{r.title}</Link>
                        {r.reportedBy ? <small className="muted">Reported by {r.reportedBy}</small> : null}
                      </span>
                    ),
                  },
                  { header: 'Priority', cell: (r) => <PriorityBadge priority={r.priority} /> },
                  { header: 'Status', cell: (r) => <StatusBadge status={r.status} /> },
                  { header: 'Unit', cell: (r) => <UnitName orgId={orgId} unitId={r.unitId} /> },
                  { header: 'Vendor', cell: (r) => vendorName(r.vendorId) ?? <span className="muted">—</span> },
                  { header: 'When', cell: (r) => <When r={r} /> },
                ]}
              />
            )}
            <LoadMore query={requests} />
          </>
        )}
      </Section>
    </>
  );
}
