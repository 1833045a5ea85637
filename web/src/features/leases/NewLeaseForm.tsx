import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost, type Schemas } from '@/api/client';
import { ApiError } from '@/api/problem';
import { FormError, MoneyField, SelectField, TextField } from '@/components/Field';
import { ErrorState, Loading } from '@/components/QueryState';
import { useOrg } from '@/lib/org';
import { amountProblem, moneyInput } from './amount';
import { useFocusFirst } from './focus';
import { INSTALMENTS_HINT, instalmentsProblem, parseInstalments } from './instalments';
import { keys, tenantName, useTenantDirectory, useUnitDirectory } from './data';

/** The API names tenants by position: `tenantIds` / `tenantIds[0]` is the primary, the rest roommates. */
function tenantErrors(error: unknown): { primary?: string; roommates?: string } {
  if (!(error instanceof ApiError)) return {};
  const errs = error.problem.errors ?? [];
  return {
    primary: errs.find((e) => e.field === 'tenantIds' || e.field === 'tenantIds[0]')?.message,
    roommates: errs.find((e) => /^tenantIds\[[1-9]\d*\]/.test(e.field))?.message,
  };
}

export function NewLeaseForm({ onCancel }: { onCancel: () => void }) {
  const { orgId, org } = useOrg();
  const currency = org.baseCurrency;
  const navigate = useNavigate();
  const qc = useQueryClient();
  const units = useUnitDirectory(orgId);
  const tenants = useTenantDirectory(orgId);
  const focusRef = useFocusFirst<HTMLFormElement>(!units.isPending && !tenants.isPending);

  const [unitId, setUnitId] = useState('');
  const [tenantId, setTenantId] = useState('');
  const [roommates, setRoommates] = useState<string[]>([]);
  const [startDate, setStartDate] = useState('');
  const [endDate, setEndDate] = useState('');
  const [rent, setRent] = useState('');
  const [dueDay, setDueDay] = useState('1');
  const [deposit, setDeposit] = useState('');
  const [instalments, setInstalments] = useState('');
  const [checked, setChecked] = useState(false);

  const dueDayN = /^\d+$/.test(dueDay.trim()) ? Number.parseInt(dueDay, 10) : NaN;
  const problems = {
    unitId: unitId ? null : 'Choose a unit.',
    tenantIds: tenantId ? null : 'Choose the primary tenant.',
    startDate: startDate ? null : 'Enter the start date.',
    endDate: endDate && startDate && endDate <= startDate ? 'The end date must be after the start date.' : null,
    rent: amountProblem(rent, currency, { required: true }),
    dueDay: dueDayN >= 1 && dueDayN <= 28 ? null : 'Enter a day from 1 to 28.',
    deposit: amountProblem(deposit, currency),
    depositInstalments: instalmentsProblem(instalments, deposit),
  };
  const show = (k: keyof typeof problems) => (checked ? problems[k] : null);

  const create = useMutation({
    mutationFn: () => {
      const body: Schemas['CreateLease'] = {
        unitId,
        tenantIds: [tenantId, ...roommates.filter((r) => r !== tenantId)],
        startDate,
        endDate: endDate || null,
        rent: moneyInput(rent, currency),
        dueDay: dueDayN,
        deposit: deposit.trim() ? moneyInput(deposit, currency) : null,
      };
      const n = parseInstalments(instalments);
      if (n !== null) body.depositInstalments = n;
      return apiPost('/api/v1/orgs/{orgId}/leases', { orgId }, body);
    },
    onSuccess: async (lease) => {
      qc.setQueryData(keys.lease(orgId, lease.id), lease);
      await qc.invalidateQueries({ queryKey: keys.leaseList(orgId) });
      navigate(`/orgs/${orgId}/leases/${lease.id}`);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (Object.values(problems).some(Boolean)) return;
    create.mutate();
  };

  if (units.isPending || tenants.isPending) return <Loading label="Loading units and tenants…" />;
  if (units.error || tenants.error) return <ErrorState error={units.error ?? tenants.error} />;

  const tErr = tenantErrors(create.error);
  const others = tenants.tenants.filter((t) => t.id !== tenantId);
  return (
    <form ref={focusRef} className="form card leases-form" onSubmit={submit} noValidate aria-labelledby="new-lease-title">
      <h2 id="new-lease-title">New lease</h2>
      <FormError error={create.error} shown={['unitId', 'tenantIds', 'startDate', 'endDate', 'rent', 'dueDay', 'deposit', 'depositInstalments']} />
      {units.choices.length === 0 ? <p className="muted">No units yet: add a building and its units first.</p> : null}
      {tenants.tenants.length === 0 ? <p className="muted">No tenants yet: add a tenant first.</p> : null}
      <div className="form-row">
        <SelectField label="Unit" name="unitId" value={unitId} onChange={(e) => setUnitId(e.target.value)} error={create.error} invalid={show('unitId')} required>
          <option value="">Choose a unit…</option>
          {units.choices.map((u) => (
            <option key={u.id} value={u.id}>
              {u.text}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Tenant"
          name="tenantIds"
          value={tenantId}
          onChange={(e) => {
            setTenantId(e.target.value);
            setRoommates((r) => r.filter((x) => x !== e.target.value));
          }}
          invalid={show('tenantIds') ?? tErr.primary}
          hint="The primary tenant"
          required
        >
          <option value="">Choose a tenant…</option>
          {tenants.tenants.map((t) => (
            <option key={t.id} value={t.id}>
              {tenantName(t)}
            </option>
          ))}
        </SelectField>
      </div>
      <SelectField
        label="Roommates"
        name="roommates"
        multiple
        size={Math.min(6, Math.max(2, others.length))}
        value={roommates}
        onChange={(e) => setRoommates(Array.from(e.target.selectedOptions, (o) => o.value))}
        invalid={tErr.roommates}
        hint="Optional. Hold Ctrl (⌘ on a Mac) or Shift to choose several."
      >
        {others.map((t) => (
          <option key={t.id} value={t.id}>
            {tenantName(t)}
          </option>
        ))}
      </SelectField>
      <div className="form-row">
        <TextField label="Start date" name="startDate" type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} error={create.error} invalid={show('startDate')} required />
        <TextField
          label="End date"
          name="endDate"
          type="date"
          value={endDate}
          onChange={(e) => setEndDate(e.target.value)}
          error={create.error}
          invalid={show('endDate')}
          hint="Leave empty for month-to-month"
        />
      </div>
      <div className="form-row">
        <MoneyField label="Rent" name="rent" currency={currency} value={rent} onChange={setRent} error={create.error} invalid={show('rent')} required />
        <TextField
          label="Due day"
          name="dueDay"
          type="number"
          min={1}
          max={28}
          inputMode="numeric"
          value={dueDay}
          onChange={(e) => setDueDay(e.target.value)}
          error={create.error}
          invalid={show('dueDay')}
          hint="Day of the month, 1–28"
          required
        />
        <MoneyField label="Deposit" name="deposit" currency={currency} value={deposit} onChange={setDeposit} error={create.error} invalid={show('deposit')} hint="Optional" />
        <TextField
          label="Deposit instalments"
          name="depositInstalments"
          type="number"
          min={1}
          max={12}
          inputMode="numeric"
          value={instalments}
          onChange={(e) => setInstalments(e.target.value)}
          error={create.error}
          invalid={show('depositInstalments')}
          hint={INSTALMENTS_HINT}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create lease'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
