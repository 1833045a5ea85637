/**
 * A request's lifecycle actions: assign a vendor (on a day), start, complete (with its cost booked
 * as an expense on the unit, paid from a bank or cash account or left as the vendor's bill) and
 * cancel (with a reason, after a confirmation). Each answers the request as it now is; a 409 (its
 * status moved meanwhile) goes to the page, which reads the request again and says why.
 */
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost, type Schemas } from '@/api/client';
import { FormError, MoneyField, SelectField, TextAreaField, TextField } from '@/components/Field';
import { todayIn } from '@/lib/dates';
import { useAccounts, useVendors } from '@/lib/lookups';
import { useOrg } from '@/lib/org';
import { CATEGORIES, keys, type CostCategory, type MaintenanceRequest } from './data';
import { buildAssign, buildCancel, buildComplete, emptyComplete, type AssignDraft, type CompleteDraft } from './draft';

type Account = Schemas['Account'];

export interface ActionProps {
  request: MaintenanceRequest;
  onDone: (r: MaintenanceRequest) => void;
  onCancel: () => void;
  /** Takes a 409 (the page shows it and reads the request again). */
  onConflict: (e: unknown) => void;
}

/** After any action: the request as answered, the list, the dashboard's open count, and a booked expense. */
export function useApplied() {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  return async (r: MaintenanceRequest) => {
    qc.setQueryData(keys.one(orgId, r.id), r);
    await Promise.all([
      qc.invalidateQueries({ queryKey: keys.list(orgId) }),
      qc.invalidateQueries({ queryKey: keys.dashboard(orgId) }),
      r.expenseId ? qc.invalidateQueries({ queryKey: keys.expenses(orgId) }) : null,
    ]);
  };
}

/** `:start` — no body: the vendor has begun. */
export function useStart(request: MaintenanceRequest, onDone: (r: MaintenanceRequest) => void, onConflict: (e: unknown) => void) {
  const { orgId } = useOrg();
  return useMutation({
    mutationFn: () => apiPost('/api/v1/orgs/{orgId}/maintenance-requests/{requestId}:start', { orgId, requestId: request.id }, undefined),
    onSuccess: onDone,
    onError: onConflict,
  });
}

export function AssignForm({ request, onDone, onCancel, onConflict }: ActionProps) {
  const { orgId } = useOrg();
  const vendors = useVendors();
  const [draft, setDraft] = useState<AssignDraft>({ vendorId: request.vendorId ?? '', scheduledFor: request.scheduledFor ?? '' });
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const assign = useMutation({
    mutationFn: (body: Schemas['AssignMaintenance']) => apiPost('/api/v1/orgs/{orgId}/maintenance-requests/{requestId}:assign', { orgId, requestId: request.id }, body),
    onSuccess: onDone,
    onError: onConflict,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { body, errors } = buildAssign(draft);
    setInvalid(errors);
    if (body) assign.mutate(body);
  };
  // The current vendor stays choosable even if archived since; new picks are active vendors.
  const choices = (vendors.data ?? []).filter((v) => !v.archived || v.id === request.vendorId);
  const reassign = request.status === 'assigned';
  return (
    <form className="form card mnt-form" onSubmit={submit} noValidate aria-labelledby="mnt-assign-heading">
      <h2 id="mnt-assign-heading">{reassign ? 'Reassign' : 'Assign a vendor'}</h2>
      <FormError error={assign.error} shown={['vendorId', 'scheduledFor']} />
      {vendors.data && choices.length === 0 ? (
        <p className="muted">
          No vendors yet: <Link to={`/orgs/${orgId}/vendors`}>add the vendor</Link> first.
        </p>
      ) : null}
      <div className="form-row">
        <SelectField
          label="Vendor"
          name="vendorId"
          value={draft.vendorId}
          onChange={(e) => setDraft((d) => ({ ...d, vendorId: e.target.value }))}
          error={assign.error}
          invalid={invalid.vendorId}
          required
        >
          <option value="">{vendors.isPending ? 'Loading vendors…' : 'Choose a vendor…'}</option>
          {choices.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Scheduled for"
          name="scheduledFor"
          type="date"
          value={draft.scheduledFor}
          onChange={(e) => setDraft((d) => ({ ...d, scheduledFor: e.target.value }))}
          error={assign.error}
          hint="Optional: the day the vendor comes."
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={assign.isPending}>
          {assign.isPending ? 'Assigning…' : reassign ? 'Reassign' : 'Assign vendor'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Close
        </button>
      </div>
    </form>
  );
}

/** Bank and cash accounts: what a cost can be paid from. */
const payableFrom = (accounts: Account[] | undefined) => (accounts ?? []).filter((a) => !a.archived && (a.subtype === 'bank' || a.subtype === 'cash'));

export function CompleteForm({ request, onDone, onCancel, onConflict }: ActionProps) {
  const { orgId, org } = useOrg();
  const currency = org.baseCurrency;
  const accounts = useAccounts();
  const [draft, setDraft] = useState<CompleteDraft>(() => emptyComplete(todayIn(org.timezone)));
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const set = (patch: Partial<CompleteDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const complete = useMutation({
    mutationFn: (body: Schemas['CompleteMaintenance']) => apiPost('/api/v1/orgs/{orgId}/maintenance-requests/{requestId}:complete', { orgId, requestId: request.id }, body),
    onSuccess: onDone,
    onError: onConflict,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { body, errors } = buildComplete(draft, currency);
    setInvalid(errors);
    if (body) complete.mutate(body);
  };
  const withCost = !!draft.cost.trim();
  return (
    <form className="form card mnt-form" onSubmit={submit} noValidate aria-labelledby="mnt-complete-heading">
      <h2 id="mnt-complete-heading">Complete the request</h2>
      <p className="muted">A cost is booked as an expense on the unit{request.vendorId ? ', from the vendor' : ''}: paid from an account, or as the vendor’s bill due in 30 days.</p>
      <FormError error={complete.error} shown={['cost', 'category', 'completedOn', 'paidFrom']} />
      {accounts.error ? <p className="muted">The bank and cash accounts could not be read: the cost can still be recorded as the vendor’s bill.</p> : null}
      <div className="form-row">
        <MoneyField label="Cost" name="cost" currency={currency} value={draft.cost} onChange={(v) => set({ cost: v })} error={complete.error} invalid={invalid.cost} hint="Optional: what the job cost." />
        <SelectField label="Category" name="category" value={draft.category} onChange={(e) => set({ category: e.target.value as CostCategory })} error={complete.error} hint={withCost ? 'The expense account it is booked to.' : 'With a cost.'}>
          {CATEGORIES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="form-row">
        <TextField
          label="Completed on"
          name="completedOn"
          type="date"
          value={draft.completedOn}
          onChange={(e) => set({ completedOn: e.target.value })}
          error={complete.error}
          invalid={invalid.completedOn}
          required
        />
        <SelectField
          label="Paid from"
          name="paidFrom"
          value={draft.paidFrom}
          onChange={(e) => set({ paidFrom: e.target.value })}
          error={complete.error}
          invalid={invalid.paidFrom}
          hint="Optional: leave empty to record the vendor’s bill (unpaid, due in 30 days)."
        >
          <option value="">Not paid yet: the vendor’s bill</option>
          {payableFrom(accounts.data).map((a) => (
            <option key={a.id} value={a.id}>
              {`${a.code} · ${a.name}`}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={complete.isPending}>
          {complete.isPending ? 'Completing…' : 'Complete request'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Close
        </button>
      </div>
    </form>
  );
}

/** The confirmation step of cancelling, with an optional reason. */
export function CancelForm({ request, onDone, onCancel, onConflict }: ActionProps) {
  const { orgId } = useOrg();
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const cancel = useMutation({
    mutationFn: (body: Schemas['CancelMaintenance']) => apiPost('/api/v1/orgs/{orgId}/maintenance-requests/{requestId}:cancel', { orgId, requestId: request.id }, body),
    onSuccess: onDone,
    onError: onConflict,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { body, errors } = buildCancel(reason);
    setInvalid(errors);
    if (body) cancel.mutate(body);
  };
  return (
    <form className="form card mnt-form" onSubmit={submit} noValidate aria-labelledby="mnt-cancel-heading">
      <h2 id="mnt-cancel-heading">Cancel this request?</h2>
      <p>“{request.title}” is closed without being done; nothing is booked. This cannot be undone.</p>
      <FormError error={cancel.error} shown={['reason']} />
      <TextAreaField
        label="Reason"
        name="reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={cancel.error}
        invalid={invalid.reason}
        rows={2}
        maxLength={200}
        hint="Optional: why, for the record."
      />
      <div className="form-actions">
        <button type="submit" className="btn danger" disabled={cancel.isPending}>
          {cancel.isPending ? 'Cancelling…' : 'Confirm cancel'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Keep the request
        </button>
      </div>
    </form>
  );
}
