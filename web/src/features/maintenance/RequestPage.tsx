/**
 * `/orgs/:orgId/maintenance/:requestId`: one request — its facts, the actions its status allows
 * (owners and managers), the expense its cost was booked as, and its photos. A 409 (the request
 * moved on meanwhile) is shown with the API's words and the request is read again.
 */
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError } from '@/api/problem';
import { DocumentsSection } from '@/components/DocumentsSection';
import { UnitName } from '@/components/EntityNames';
import { FormError } from '@/components/Field';
import { MoneyText } from '@/components/Money';
import { PageHeader, Section } from '@/components/Page';
import { ErrorState, Loading } from '@/components/QueryState';
import { formatDay, formatInstant } from '@/lib/dates';
import { useAccounts, useVendors } from '@/lib/lookups';
import { useCan, useOrg } from '@/lib/org';
import { AssignForm, CancelForm, CompleteForm, useApplied, useStart } from './Actions';
import { PriorityBadge, StatusBadge } from './Badges';
import { actionsFor, keys, useExpense, useRequest, type Action, type MaintenanceRequest } from './data';
import { EditRequestForm } from './RequestForm';
import './maintenance.css';

export default function RequestPage() {
  const { orgId } = useOrg();
  const { requestId = '' } = useParams();
  const request = useRequest(requestId);
  if (request.isPending) return <Loading label="Loading the request…" />;
  if (request.error || !request.data) {
    return (
      <>
        <PageHeader title="Maintenance request" />
        <ErrorState error={request.error} />
        <p>
          <Link to={`/orgs/${orgId}/maintenance`}>All maintenance requests</Link>
        </p>
      </>
    );
  }
  return <RequestView key={request.data.id} request={request.data} />;
}

function Fact({ label, children, wide = false }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={wide ? 'mnt-wide' : undefined}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

type Form = Exclude<Action, 'start'> | null;

const DONE_WORDS: Record<Exclude<Form, null> | 'start', string> = {
  assign: 'Vendor assigned.',
  start: 'Work started.',
  complete: 'Request completed.',
  edit: 'Changes saved.',
  cancel: 'Request cancelled.',
};

function RequestView({ request }: { request: MaintenanceRequest }) {
  const { orgId, org } = useOrg();
  const qc = useQueryClient();
  const canWrite = useCan('maintenanceWrite');
  const vendors = useVendors();
  const applied = useApplied();
  const [form, setForm] = useState<Form>(null);
  const [conflict, setConflict] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const onConflict = (e: unknown) => {
    if (!(e instanceof ApiError) || e.status !== 409) return;
    setConflict(e);
    setForm(null);
    setDone(null);
    void qc.invalidateQueries({ queryKey: keys.one(orgId, request.id) });
  };
  const onDone = (what: keyof typeof DONE_WORDS) => async (r: MaintenanceRequest) => {
    setForm(null);
    setConflict(null);
    setDone(DONE_WORDS[what]);
    await applied(r);
  };
  const start = useStart(request, onDone('start'), onConflict);
  const open = (f: Form) => {
    setDone(null);
    start.reset();
    setForm(f);
  };

  const vendor = request.vendorId ? vendors.data?.find((v) => v.id === request.vendorId) : undefined;
  const allowed = canWrite ? actionsFor(request.status) : [];
  const button = (a: Action) => {
    if (a === 'start')
      return (
        <button
          key={a}
          type="button"
          className="btn primary"
          disabled={start.isPending}
          onClick={() => {
            setDone(null);
            setForm(null);
            start.mutate();
          }}
        >
          {start.isPending ? 'Starting…' : 'Start work'}
        </button>
      );
    if (form === a) return null;
    const label = { assign: request.status === 'assigned' ? 'Reassign' : 'Assign vendor', complete: 'Complete', edit: 'Edit', cancel: 'Cancel request' }[a];
    const primary = (a === 'assign' && request.status === 'open') || (a === 'complete' && request.status === 'in_progress');
    return (
      <button key={a} type="button" className={`btn${a === 'cancel' ? ' danger' : primary ? ' primary' : ''}`} onClick={() => open(a)}>
        {label}
      </button>
    );
  };
  const formProps = { request, onCancel: () => setForm(null), onConflict };

  return (
    <>
      <p className="mnt-breadcrumb">
        <Link to={`/orgs/${orgId}/maintenance`}>Maintenance</Link>
      </p>
      <PageHeader title={request.title} actions={allowed.length ? <>{allowed.map(button)}</> : null}>
        <p className="mnt-subtitle mnt-badges">
          <span data-testid="request-status">
            <StatusBadge status={request.status} />
          </span>
          <PriorityBadge priority={request.priority} />
        </p>
      </PageHeader>

      {conflict ? (
        <div className="mnt-conflict">
          <FormError error={conflict} />
          <p className="muted">The request was read again: below is where it stands now.</p>
        </div>
      ) : null}
      {start.error && !(start.error instanceof ApiError && start.error.status === 409) ? <FormError error={start.error} /> : null}
      {done ? (
        <p className="ok-box" role="status">
          {done}
        </p>
      ) : null}

      {form === 'assign' ? <AssignForm {...formProps} onDone={onDone('assign')} /> : null}
      {form === 'complete' ? <CompleteForm {...formProps} onDone={onDone('complete')} /> : null}
      {form === 'cancel' ? <CancelForm {...formProps} onDone={onDone('cancel')} /> : null}
      {form === 'edit' ? <EditRequestForm {...formProps} onDone={onDone('edit')} /> : null}

      <dl className="mnt-facts card">
        <Fact label="Unit">
          <UnitName orgId={orgId} unitId={request.unitId} />
          <Link className="mnt-fact-link" to={`/orgs/${orgId}/buildings/${request.buildingId}`}>
            The building
          </Link>
        </Fact>
        <Fact label="Reported by">{request.reportedBy || <span className="muted">—</span>}</Fact>
        <Fact label="Reported">{formatInstant(request.createdAt, org.timezone)}</Fact>
        <Fact label="Vendor">{request.vendorId ? (vendor?.name ?? (vendors.isPending ? '…' : request.vendorId)) : <span className="muted">Not assigned</span>}</Fact>
        {request.vendorId ? <Fact label="Scheduled for">{request.scheduledFor ? formatDay(request.scheduledFor) : <span className="muted">No day set</span>}</Fact> : null}
        {request.completedOn ? <Fact label="Completed on">{formatDay(request.completedOn)}</Fact> : null}
        {request.status === 'completed' ? (
          <Fact label="Cost">
            <MoneyText value={request.cost} />
          </Fact>
        ) : null}
        {request.status === 'cancelled' ? <Fact label="Why cancelled">{request.cancelReason || <span className="muted">No reason given</span>}</Fact> : null}
        <Fact label="Description" wide>
          {request.description || <span className="muted">No description.</span>}
        </Fact>
      </dl>

      {request.status === 'completed' ? <CostSection request={request} /> : null}
      <DocumentsSection subject={{ type: 'maintenance', id: request.id }} title="Photos" caption="Photos of this request" kind="photos" />
    </>
  );
}

/** An expense's other states, in words (an approval workflow may hold a new expense). */
const OTHER_STANDING: Record<string, string> = { draft: 'A draft, not booked', pending_approval: 'Awaiting approval: booked once approved' };

/** The expense a completed job's cost was booked as: a link to it, its account and whether it is paid. */
function CostSection({ request }: { request: MaintenanceRequest }) {
  const { orgId } = useOrg();
  const expense = useExpense(request.expenseId);
  const accounts = useAccounts();
  const accountName = (id: string | null | undefined) => {
    const a = id ? accounts.data?.find((x) => x.id === id) : undefined;
    return a ? `${a.code} · ${a.name}` : (id ?? '—');
  };
  if (!request.expenseId) {
    return (
      <Section title="Cost">
        <p className="muted">Completed without a cost: nothing was booked.</p>
      </Section>
    );
  }
  const e = expense.data;
  const payment = !e
    ? null
    : e.status === 'paid'
      ? `Paid from ${accountName(e.paidFrom)}${e.paidOn ? ` on ${formatDay(e.paidOn)}` : ''}`
      : e.status === 'unpaid'
        ? `The vendor’s bill, unpaid${e.dueDate ? `, due ${formatDay(e.dueDate)}` : ''}`
        : e.status === 'void'
          ? `Voided${e.voidedOn ? ` on ${formatDay(e.voidedOn)}` : ''}`
          : (OTHER_STANDING[e.status] ?? e.status.replace(/_/g, ' '));
  return (
    <Section title="Cost">
      <dl className="mnt-facts card">
        <Fact label="Booked as">
          <Link to={`/orgs/${orgId}/expenses/${request.expenseId}`}>View the expense</Link>
        </Fact>
        <Fact label="Amount">
          <MoneyText value={e?.amount ?? request.cost} />
        </Fact>
        <Fact label="Account">{e ? accountName(e.accountId) : '…'}</Fact>
        <Fact label="Payment">{expense.error ? <span className="muted">Could not be read.</span> : (payment ?? '…')}</Fact>
      </dl>
    </Section>
  );
}
