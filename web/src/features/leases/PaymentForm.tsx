import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost, type Schemas } from '@/api/client';
import { FormError, MoneyField, SelectField, TextField } from '@/components/Field';
import { formatMoney, toMinor } from '@/lib/money';
import { todayIn } from '@/lib/dates';
import { useOrg } from '@/lib/org';
import { amountProblem, moneyInput } from './amount';
import { useFocusFirst } from './focus';
import { keys } from './data';
import { useSubmissionKey } from './idempotency';

const METHODS: { value: Schemas['PaymentMethod']; label: string }[] = [
  { value: 'check', label: 'Check' },
  { value: 'ach', label: 'ACH' },
  { value: 'cash', label: 'Cash' },
  { value: 'card', label: 'Card' },
  { value: 'other', label: 'Other' },
];

/**
 * "Record payment": amount, received on, method, reference, and whether it is still in flight
 * (`pending: true`) → `POST …/payments` with an Idempotency-Key.
 */
export function PaymentForm({ leaseId, currency, onDone, onCancel }: { leaseId: string; currency: string; onDone: (p: Schemas['Payment']) => void; onCancel: () => void }) {
  const { orgId, org } = useOrg();
  const focusRef = useFocusFirst<HTMLFormElement>();
  const qc = useQueryClient();
  const submission = useSubmissionKey();
  const [amount, setAmount] = useState('');
  const [receivedOn, setReceivedOn] = useState(() => todayIn(org.timezone));
  const [method, setMethod] = useState<Schemas['PaymentMethod']>('check');
  const [reference, setReference] = useState('');
  const [pending, setPending] = useState(false);
  const [checked, setChecked] = useState(false);

  const amountMsg = amountProblem(amount, currency, { required: true });
  const dateMsg = receivedOn ? null : 'Enter the day the payment was received.';

  const save = useMutation({
    mutationFn: (body: Schemas['CreatePayment']) => apiPost('/api/v1/orgs/{orgId}/leases/{leaseId}/payments', { orgId, leaseId }, body, { idempotencyKey: submission.keyFor(body) }),
    onSuccess: async (payment) => {
      submission.renew();
      setAmount('');
      setReference('');
      setPending(false);
      setChecked(false);
      await Promise.all([qc.invalidateQueries({ queryKey: keys.lease(orgId, leaseId) }), qc.invalidateQueries({ queryKey: keys.delinquency(orgId) })]);
      onDone(payment);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (amountMsg || dateMsg) return;
    const body: Schemas['CreatePayment'] = { amount: moneyInput(amount, currency), receivedOn, method, reference: reference.trim() || null };
    // Sent only when ticked: a payment is cleared unless the API is told otherwise.
    if (pending) body.pending = true;
    save.mutate(body);
  };

  return (
    <form ref={focusRef} className="form card leases-form" onSubmit={submit} noValidate aria-labelledby="payment-form-title">
      <h3 id="payment-form-title">Record payment</h3>
      <FormError error={save.error} shown={['amount', 'receivedOn', 'method', 'reference']} />
      <div className="form-row">
        <MoneyField label="Amount" name="amount" currency={currency} value={amount} onChange={setAmount} error={save.error} invalid={checked ? amountMsg : null} required />
        <TextField label="Received on" name="receivedOn" type="date" value={receivedOn} onChange={(e) => setReceivedOn(e.target.value)} error={save.error} invalid={checked ? dateMsg : null} required />
        <SelectField label="Method" name="method" value={method} onChange={(e) => setMethod(e.target.value as Schemas['PaymentMethod'])} error={save.error}>
          {METHODS.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </SelectField>
        <TextField label="Reference" name="reference" value={reference} maxLength={100} onChange={(e) => setReference(e.target.value)} error={save.error} hint="Optional, e.g. check 101" />
      </div>
      <div className="leases-checkbox">
        <input id="payment-pending" type="checkbox" checked={pending} onChange={(e) => setPending(e.target.checked)} aria-describedby="payment-pending-hint" />
        <label htmlFor="payment-pending">Not yet cleared (ACH or card in flight)</label>
      </div>
      <p id="payment-pending-hint" className="muted leases-checkbox-hint">
        It shows as pending on the ledger until you clear it.
      </p>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={save.isPending}>
          Save payment
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function paymentSummary(p: Schemas['Payment']): string {
  const applied = p.allocations.length ? `, ${p.allocations.length} ${p.allocations.length === 1 ? 'charge' : 'charges'} paid` : '';
  const unapplied = (toMinor(p.unapplied.amount, p.unapplied.currency) ?? 0n) !== 0n ? `, ${formatMoney(p.unapplied)} left as credit` : '';
  const pending = p.status === 'pending' ? ' as pending' : '';
  return `Payment of ${formatMoney(p.amount)} recorded${pending}${applied}${unapplied}.`;
}
