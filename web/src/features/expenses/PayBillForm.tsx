/** `:pay` — pays an unpaid bill on a day from a bank/cash account. */
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '@/api/client';
import { FormError, TextField } from '@/components/Field';
import { todayIn } from '@/lib/dates';
import { useOrg } from '@/lib/org';
import { cashAccounts, keys, useAccounts, type Expense } from './lookups';
import { PaidFromSelect } from './PaymentFields';

export function PayBillForm({ expense, onDone, onCancel, label }: { expense: Expense; onDone: (e: Expense) => void; onCancel: () => void; label: string }) {
  const { orgId, org } = useOrg();
  const qc = useQueryClient();
  const accounts = useAccounts();
  const [paidOn, setPaidOn] = useState(() => todayIn(org.timezone));
  const [paidFrom, setPaidFrom] = useState('');
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const effectivePaidFrom = paidFrom || cashAccounts(accounts.data)[0]?.id || '';
  const pay = useMutation({
    mutationFn: () => apiPost('/api/v1/orgs/{orgId}/expenses/{expenseId}:pay', { orgId, expenseId: expense.id }, { paidOn, paidFrom: effectivePaidFrom }),
    onSuccess: async (e) => {
      await qc.invalidateQueries({ queryKey: keys.expenses(orgId) });
      onDone(e);
    },
  });
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    const errs: Record<string, string> = {};
    if (!paidOn) errs.paidOn = 'Enter the day it was paid.';
    if (!effectivePaidFrom) errs.paidFrom = 'Choose the account it was paid from.';
    setInvalid(errs);
    if (Object.keys(errs).length) return;
    pay.mutate();
  };
  return (
    <form className="form card pay-form" onSubmit={submit} noValidate aria-label={label}>
      <FormError error={pay.error} shown={['paidOn', 'paidFrom']} />
      <div className="form-row">
        <TextField label="Paid on" name="paidOn" type="date" value={paidOn} onChange={(e) => setPaidOn(e.target.value)} error={pay.error} invalid={invalid.paidOn} required />
        <PaidFromSelect value={effectivePaidFrom} onChange={setPaidFrom} error={pay.error} invalid={invalid.paidFrom} />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={pay.isPending}>
          Pay bill
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
