import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { MoneyText } from '@/components/Money';
import { PageHeader } from '@/components/Page';
import { ErrorState, Loading } from '@/components/QueryState';
import { formatDay, formatInstant } from '@/lib/dates';
import { useCan, useOrg } from '@/lib/org';
import { tenantName, useBuilding, useLease, useTenants, useUnit, type Lease } from './data';
import { LeaseStatus } from './LeaseStatus';
import { EditDraftForm, EndLeaseForm, RenewForm, useActivate, type LeaseForm } from './LeaseActions';
import { LedgerSection } from './LedgerSection';
import { DocumentsSection } from './DocumentsSection';
import { ActivationProblem } from './ActivationProblem';
import './leases.css';

/** `/orgs/:orgId/leases/:leaseId`: the lease's terms, its actions, ledger and documents. */
export default function LeasePage() {
  const { orgId } = useOrg();
  const { leaseId = '' } = useParams();
  const lease = useLease(orgId, leaseId);
  if (lease.isPending) return <Loading />;
  if (lease.error || !lease.data) {
    return (
      <>
        <PageHeader title="Lease" />
        <ErrorState error={lease.error} />
        <p>
          <Link to={`/orgs/${orgId}/leases`}>All leases</Link>
        </p>
      </>
    );
  }
  // Keyed by id so a renewal's page starts with its own forms closed.
  return <LeaseView key={lease.data.id} lease={lease.data} />;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function LeaseView({ lease }: { lease: Lease }) {
  const { orgId, org } = useOrg();
  const canLease = useCan('leasingWrite');
  const [form, setForm] = useState<LeaseForm>(null);
  const unit = useUnit(orgId, lease.unitId);
  const building = useBuilding(orgId, lease.buildingId);
  const tenants = useTenants(orgId, lease.tenantIds);
  const activate = useActivate(lease);
  const primary = tenants[0]?.data;

  const title = unit.data ? `Lease · ${unit.data.label}` : primary ? `Lease · ${tenantName(primary)}` : 'Lease';
  const close = () => setForm(null);

  const actions = canLease ? (
    <>
      {lease.status === 'draft' ? (
        <>
          <button type="button" className="btn primary" disabled={activate.isPending} onClick={() => activate.mutate()}>
            Activate
          </button>
          {form !== 'edit' ? (
            <button type="button" className="btn" onClick={() => setForm('edit')}>
              Edit terms
            </button>
          ) : null}
        </>
      ) : null}
      {lease.status === 'active' && form !== 'end' ? (
        <button type="button" className="btn danger" onClick={() => setForm('end')}>
          End lease
        </button>
      ) : null}
      {lease.status !== 'draft' && !lease.renewedBy && form !== 'renew' ? (
        <button type="button" className="btn" onClick={() => setForm('renew')}>
          Renew
        </button>
      ) : null}
    </>
  ) : null;

  return (
    <>
      <p className="leases-breadcrumb">
        <Link to={`/orgs/${orgId}/leases`}>Leases</Link>
      </p>
      <PageHeader title={title} actions={actions}>
        <p className="leases-subtitle">
          <LeaseStatus status={lease.status} prefix />
          {building.data && unit.data ? (
            <span className="muted">
              {' '}
              {building.data.name} · {unit.data.label}
            </span>
          ) : null}
        </p>
      </PageHeader>
      {lease.status === 'draft' ? <ActivationProblem lease={lease} error={activate.error} onActivated={() => activate.reset()} /> : null}
      {form === 'end' ? <EndLeaseForm lease={lease} onClose={close} /> : null}
      {form === 'renew' ? <RenewForm lease={lease} onClose={close} /> : null}
      {form === 'edit' ? <EditDraftForm lease={lease} onClose={close} /> : null}

      <dl className="leases-facts card">
        <Fact label={lease.tenantIds.length > 1 ? 'Tenants' : 'Tenant'}>
          <ul className="leases-plain-list">
            {lease.tenantIds.map((id, i) => {
              const t = tenants[i]?.data;
              return (
                <li key={id}>
                  <Link to={`/orgs/${orgId}/tenants/${id}`}>{t ? tenantName(t) : tenants[i]?.error ? id : '…'}</Link>
                  {i === 0 && lease.tenantIds.length > 1 ? <span className="muted"> (primary)</span> : null}
                </li>
              );
            })}
          </ul>
        </Fact>
        <Fact label="Unit">
          {building.data && unit.data ? `${building.data.name} · ${unit.data.label}` : unit.data ? unit.data.label : '…'}
          <Link className="leases-fact-link" to={`/orgs/${orgId}/units/${lease.unitId}/leases`}>
            History of this unit
          </Link>
        </Fact>
        <Fact label="Start date">{formatDay(lease.startDate)}</Fact>
        <Fact label="End date">{lease.endDate ? formatDay(lease.endDate) : 'Month-to-month'}</Fact>
        {lease.moveOutDate ? <Fact label="Move-out date">{formatDay(lease.moveOutDate)}</Fact> : null}
        <Fact label="Rent">
          <MoneyText value={lease.rent} />
        </Fact>
        <Fact label="Due day">{lease.dueDay}</Fact>
        <Fact label="Deposit">
          {lease.deposit ? <MoneyText value={lease.deposit} /> : 'None'}
          {lease.deposit && lease.depositInstalments && lease.depositInstalments > 1 ? <span className="leases-fact-note">in {lease.depositInstalments} monthly instalments</span> : null}
        </Fact>
        {lease.activatedAt ? <Fact label="Activated">{formatInstant(lease.activatedAt, org.timezone)}</Fact> : null}
        {lease.renewalOf ? (
          <Fact label="Renewal of">
            <Link to={`/orgs/${orgId}/leases/${lease.renewalOf}`}>the previous lease</Link>
          </Fact>
        ) : null}
        {lease.renewedBy ? (
          <Fact label="Renewed by">
            <Link to={`/orgs/${orgId}/leases/${lease.renewedBy}`}>the renewal</Link>
          </Fact>
        ) : null}
      </dl>

      <LedgerSection lease={lease} />
      <DocumentsSection leaseId={lease.id} />
    </>
  );
}
