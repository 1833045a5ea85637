import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost, type Schemas } from '@/api/client';
import { FormError, MoneyField, SelectField, TextField } from '@/components/Field';
import { todayIn } from '@/lib/dates';
import { useOrg } from '@/lib/org';
import { amountProblem, moneyInput } from './amount';
import { useFocusFirst } from './focus';
import { keys } from './data';
import { useSubmissionKey } from './idempotency';

export const CHARGE_KINDS: { value: Schemas['ChargeKind']; label: string }[] = [
  { value: 'rent', label: 'Rent' },
  { value: 'late_fee', label: 'Late fee' },
  { value: 'deposit', label: 'Deposit' },
  { value: 'utility', label: 'Utility' },
  { value: 'fee', label: 'Fee' },
  { value: 'credit', label: 'Credit' },
];

export function kindLabel(kind: Schemas['ChargeKind'] | null | undefined): string {
  return CHARGE_KINDS.find((k) => k.value === kind)?.label ?? 'Charge';
}

/** "Add charge": kind, amount, due date, memo → `POST …/charges` with an Idempotency-Key. */
export function ChargeForm({ leaseId, currency, onDone, onCancel }: { leaseId: string; currency: string; onDone: (c: Schemas['Charge']) => void; onCancel: () => void }) {
  const { orgId, org } = useOrg();
  const focusRef = useFocusFirst<HTMLFormElement>();
  const qc = useQueryClient();
  const submission = useSubmissionKey();
  const [kind, setKind] = useState<Schemas['ChargeKind']>('fee');
  const [amount, setAmount] = useState('');
  const [dueDate, setDueDate] = useState(() => todayIn(org.timezone));
  const [memo, setMemo] = useState('');
  const [checked, setChecked] = useState(false);

  const amountMsg = amountProblem(amount, currency, { required: true });
  const dateMsg = dueDate ? null : 'Enter the due date.';

  const save = useMutation({
    mutationFn: (body: Schemas['CreateCharge']) => apiPost('/api/v1/orgs/{orgId}/leases/{leaseId}/charges', { orgId, leaseId }, body, { idempotencyKey: submission.keyFor(body) }),
    onSuccess: async (charge) => {
      submission.renew();
      await Promise.all([qc.invalidateQueries({ queryKey: keys.lease(orgId, leaseId) }), qc.invalidateQueries({ queryKey: keys.delinquency(orgId) })]);
      onDone(charge);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (amountMsg || dateMsg) return;
    save.mutate({ kind, amount: moneyInput(amount, currency), dueDate, memo: memo.trim() || null });
  };

  return (
    <form ref={focusRef} className="form card leases-form" onSubmit={submit} noValidate aria-labelledby="charge-form-title">
      <h3 id="charge-form-title">Add charge</h3>
      <FormError error={save.error} shown={['kind', 'amount', 'dueDate', 'memo']} />
      <div className="form-row">
        <SelectField label="Kind" name="kind" value={kind} onChange={(e) => setKind(e.target.value as Schemas['ChargeKind'])} error={save.error} hint={kind === 'credit' ? 'A credit lowers the balance and is applied at once.' : undefined}>
          {CHARGE_KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </SelectField>
        <MoneyField label="Amount" name="amount" currency={currency} value={amount} onChange={setAmount} error={save.error} invalid={checked ? amountMsg : null} required />
        <TextField label="Due date" name="dueDate" type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} error={save.error} invalid={checked ? dateMsg : null} required />
        <TextField label="Memo" name="memo" value={memo} maxLength={500} onChange={(e) => setMemo(e.target.value)} error={save.error} hint="Optional" />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={save.isPending}>
          Save charge
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
