import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPatch, apiPost, type Schemas } from '@/api/client';
import { FormError, MoneyField, TextField } from '@/components/Field';
import { todayIn } from '@/lib/dates';
import { useOrg } from '@/lib/org';
import { amountProblem, moneyInput } from './amount';
import { useFocusFirst } from './focus';
import { INSTALMENTS_HINT, instalmentsProblem, parseInstalments } from './instalments';
import { keys, type Lease } from './data';

export type LeaseForm = 'end' | 'renew' | 'edit' | null;

function nextDay(day: string | null | undefined): string {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return '';
  const [y, m, d] = day.split('-').map((x) => Number.parseInt(x, 10));
  const t = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + 1));
  return t.toISOString().slice(0, 10);
}

function useLeaseSaved(lease: Lease) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  return async (updated: Lease) => {
    qc.setQueryData(keys.lease(orgId, updated.id), updated);
    await Promise.all([
      qc.invalidateQueries({ queryKey: keys.lease(orgId, lease.id) }),
      qc.invalidateQueries({ queryKey: keys.leaseList(orgId) }),
      qc.invalidateQueries({ queryKey: keys.delinquency(orgId) }),
    ]);
  };
}

/**
 * draft → active; a 409 (another lease of the unit overlaps, or the deposit is over the
 * jurisdiction's cap) is shown as the API words it.
 */
export function useActivate(lease: Lease) {
  const { orgId } = useOrg();
  const saved = useLeaseSaved(lease);
  return useMutation({
    mutationFn: () => apiPost('/api/v1/orgs/{orgId}/leases/{leaseId}:activate', { orgId, leaseId: lease.id }, {}),
    onSuccess: saved,
  });
}

/** draft → active past a jurisdiction rule's limit: an owner's override, with the reason the audit log keeps. */
export function useActivateAnyway(lease: Lease) {
  const { orgId } = useOrg();
  const saved = useLeaseSaved(lease);
  return useMutation({
    mutationFn: (reason: string) => apiPost('/api/v1/orgs/{orgId}/leases/{leaseId}:activate', { orgId, leaseId: lease.id }, { override: { reason } }),
    onSuccess: saved,
  });
}

/** "End lease": the move-out date (the tenants' last day in the unit). */
export function EndLeaseForm({ lease, onClose }: { lease: Lease; onClose: () => void }) {
  const { orgId, org } = useOrg();
  const focusRef = useFocusFirst<HTMLFormElement>();
  const saved = useLeaseSaved(lease);
  const [moveOut, setMoveOut] = useState(() => todayIn(org.timezone));
  const [checked, setChecked] = useState(false);
  const end = useMutation({
    mutationFn: () => apiPost('/api/v1/orgs/{orgId}/leases/{leaseId}:end', { orgId, leaseId: lease.id }, { moveOutDate: moveOut }),
    onSuccess: async (l) => {
      await saved(l);
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (!moveOut) return;
    end.mutate();
  };
  return (
    <form ref={focusRef} className="form card narrow leases-form" onSubmit={submit} noValidate aria-labelledby="end-lease-title">
      <h2 id="end-lease-title">End the lease</h2>
      <FormError error={end.error} shown={['moveOutDate']} />
      <TextField
        label="Move-out date"
        name="moveOutDate"
        type="date"
        value={moveOut}
        onChange={(e) => setMoveOut(e.target.value)}
        error={end.error}
        invalid={checked && !moveOut ? 'Enter the move-out date.' : null}
        hint="The last day the tenants occupy the unit"
        required
      />
      <div className="form-actions">
        <button type="submit" className="btn danger" disabled={end.isPending}>
          End lease
        </button>
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** "Renew": a new draft continuing this lease (same unit and tenants), then its page. */
export function RenewForm({ lease, onClose }: { lease: Lease; onClose: () => void }) {
  const { orgId } = useOrg();
  const focusRef = useFocusFirst<HTMLFormElement>();
  const navigate = useNavigate();
  const saved = useLeaseSaved(lease);
  const currency = lease.rent.currency;
  const [startDate, setStart] = useState(() => nextDay(lease.moveOutDate ?? lease.endDate));
  const [endDate, setEnd] = useState('');
  const [rent, setRent] = useState(lease.rent.amount);
  const [checked, setChecked] = useState(false);
  const rentMsg = amountProblem(rent, currency);
  const endMsg = endDate && startDate && endDate <= startDate ? 'The end date must be after the start date.' : null;
  const renew = useMutation({
    mutationFn: () => {
      const body: Schemas['RenewLease'] = {};
      if (startDate) body.startDate = startDate;
      if (endDate) body.endDate = endDate;
      if (rent.trim()) body.rent = moneyInput(rent, currency);
      return apiPost('/api/v1/orgs/{orgId}/leases/{leaseId}:renew', { orgId, leaseId: lease.id }, body);
    },
    onSuccess: async (draft) => {
      await saved(draft);
      onClose();
      navigate(`/orgs/${orgId}/leases/${draft.id}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (rentMsg || endMsg) return;
    renew.mutate();
  };
  return (
    <form ref={focusRef} className="form card leases-form" onSubmit={submit} noValidate aria-labelledby="renew-title">
      <h2 id="renew-title">Renew the lease</h2>
      <p className="muted">Creates a new draft lease for the same unit and tenants; activate it when it is signed.</p>
      <FormError error={renew.error} shown={['startDate', 'endDate', 'rent']} />
      <div className="form-row">
        <TextField
          label="Start date"
          name="startDate"
          type="date"
          value={startDate}
          onChange={(e) => setStart(e.target.value)}
          error={renew.error}
          hint={lease.endDate ? 'Default: the day after this lease ends' : 'Required for a month-to-month lease'}
        />
        <TextField label="End date" name="endDate" type="date" value={endDate} onChange={(e) => setEnd(e.target.value)} error={renew.error} invalid={checked ? endMsg : null} hint="Leave empty for month-to-month" />
        <MoneyField label="Rent" name="rent" currency={currency} value={rent} onChange={setRent} error={renew.error} invalid={checked ? rentMsg : null} />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={renew.isPending}>
          Renew
        </button>
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A draft's terms (`PATCH`): dates, rent, due day, deposit and its instalments. */
export function EditDraftForm({ lease, onClose }: { lease: Lease; onClose: () => void }) {
  const { orgId } = useOrg();
  const focusRef = useFocusFirst<HTMLFormElement>();
  const saved = useLeaseSaved(lease);
  const currency = lease.rent.currency;
  const [startDate, setStart] = useState(lease.startDate);
  const [endDate, setEnd] = useState(lease.endDate ?? '');
  const [rent, setRent] = useState(lease.rent.amount);
  const [dueDay, setDueDay] = useState(String(lease.dueDay));
  const [deposit, setDeposit] = useState(lease.deposit?.amount ?? '');
  const initialInstalments = lease.depositInstalments && lease.depositInstalments > 1 ? String(lease.depositInstalments) : '';
  const [instalments, setInstalments] = useState(initialInstalments);
  const [checked, setChecked] = useState(false);
  const dueDayN = /^\d+$/.test(dueDay.trim()) ? Number.parseInt(dueDay, 10) : NaN;
  const problems = {
    startDate: startDate ? null : 'Enter the start date.',
    endDate: endDate && startDate && endDate <= startDate ? 'The end date must be after the start date.' : null,
    rent: amountProblem(rent, currency, { required: true }),
    dueDay: dueDayN >= 1 && dueDayN <= 28 ? null : 'Enter a day from 1 to 28.',
    deposit: amountProblem(deposit, currency),
    depositInstalments: instalmentsProblem(instalments, deposit),
  };
  const show = (k: keyof typeof problems) => (checked ? problems[k] : null);
  const save = useMutation({
    mutationFn: () => {
      const body: Schemas['UpdateLease'] = { startDate, rent: moneyInput(rent, currency), dueDay: dueDayN };
      // Only what changed: `null` clears an end date (month-to-month) or the deposit.
      if ((lease.endDate ?? '') !== endDate) body.endDate = endDate || null;
      if ((lease.deposit?.amount ?? '') !== deposit) body.deposit = deposit.trim() ? moneyInput(deposit, currency) : null;
      // `null` leaves the instalments as they are; 1 (at once) is how they are cleared.
      if (initialInstalments !== instalments.trim()) body.depositInstalments = parseInstalments(instalments) ?? 1;
      return apiPatch('/api/v1/orgs/{orgId}/leases/{leaseId}', { orgId, leaseId: lease.id }, body);
    },
    onSuccess: async (l) => {
      await saved(l);
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (Object.values(problems).some(Boolean)) return;
    save.mutate();
  };
  return (
    <form ref={focusRef} className="form card leases-form" onSubmit={submit} noValidate aria-labelledby="edit-lease-title">
      <h2 id="edit-lease-title">Edit terms</h2>
      <FormError error={save.error} shown={['startDate', 'endDate', 'rent', 'dueDay', 'deposit', 'depositInstalments']} />
      <div className="form-row">
        <TextField label="Start date" name="startDate" type="date" value={startDate} onChange={(e) => setStart(e.target.value)} error={save.error} invalid={show('startDate')} required />
        <TextField label="End date" name="endDate" type="date" value={endDate} onChange={(e) => setEnd(e.target.value)} error={save.error} invalid={show('endDate')} hint="Leave empty for month-to-month" />
      </div>
      <div className="form-row">
        <MoneyField label="Rent" name="rent" currency={currency} value={rent} onChange={setRent} error={save.error} invalid={show('rent')} required />
        <TextField label="Due day" name="dueDay" type="number" min={1} max={28} value={dueDay} onChange={(e) => setDueDay(e.target.value)} error={save.error} invalid={show('dueDay')} required />
        <MoneyField label="Deposit" name="deposit" currency={currency} value={deposit} onChange={setDeposit} error={save.error} invalid={show('deposit')} hint="Optional" />
        <TextField
          label="Deposit instalments"
          name="depositInstalments"
          type="number"
          min={1}
          max={12}
          inputMode="numeric"
          value={instalments}
          onChange={(e) => setInstalments(e.target.value)}
          error={save.error}
          invalid={show('depositInstalments')}
          hint={INSTALMENTS_HINT}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={save.isPending}>
          Save changes
        </button>
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
