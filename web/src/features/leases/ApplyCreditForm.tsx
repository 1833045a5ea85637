import { useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost, type Schemas } from '@/api/client';
import { ApiError } from '@/api/problem';
import { errorFor, FormError, MoneyField, SelectField } from '@/components/Field';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { formatDay } from '@/lib/dates';
import { formatMoney, fromMinor, sumAmounts, toMinor } from '@/lib/money';
import { useOrg } from '@/lib/org';
import { amountProblem, moneyInput } from './amount';
import { kindLabel } from './ChargeForm';
import { keys, useCharges, usePayments, type ChargeListItem, type Payment } from './data';
import { useFocusFirst } from './focus';

/** The API takes at most this many allocations in one request. */
const MAX_ALLOCATIONS = 40;

const minor = (m: { amount: string; currency: string }) => toMinor(m.amount, m.currency) ?? 0n;

/** Payments whose unapplied credit can still be applied (not reversed, credit left). */
export function creditPayments(payments: Payment[]): Payment[] {
  return payments.filter((p) => p.status !== 'reversed' && minor(p.unapplied) > 0n);
}

/** Charges with something still open, by due date (as the API lists them). */
export function openCharges(charges: ChargeListItem[]): ChargeListItem[] {
  return charges.filter((c) => c.status === 'open' && minor(c.open) > 0n);
}

/**
 * What each charge gets by default: its open amount, oldest first, until the credit runs out
 * (in minor units; a charge the credit does not reach gets an empty field).
 */
export function defaultAmounts(charges: ChargeListItem[], credit: Schemas['MoneyDto']): Record<string, string> {
  let left = minor(credit);
  const out: Record<string, string> = {};
  for (const c of charges) {
    const take = left < minor(c.open) ? left : minor(c.open);
    out[c.id] = take > 0n ? fromMinor(take, credit.currency) : '';
    left -= take;
  }
  return out;
}

function chargeLabels(charges: ChargeListItem[]): Map<string, string> {
  const seen = new Map<string, number>();
  const out = new Map<string, string>();
  for (const c of charges) {
    const base = `Apply to ${kindLabel(c.kind).toLowerCase()} due ${formatDay(c.dueDate)}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    out.set(c.id, n > 1 ? `${base} (${n})` : base);
  }
  return out;
}

function paymentText(p: Payment): string {
  const ref = p.reference ? ` (${p.reference})` : '';
  const pending = p.status === 'pending' ? ', pending' : '';
  return `Payment of ${formatMoney(p.amount)} on ${formatDay(p.receivedOn)}${ref}${pending}: ${formatMoney(p.unapplied)} unapplied`;
}

/**
 * "Apply credit": a payment's unapplied credit applied to the lease's open charges, an amount per
 * charge → `POST …/payments/{paymentId}/allocations` with `{"allocate": [{"chargeId", "amount"}]}`.
 */
export function ApplyCreditForm({ leaseId, onDone, onCancel }: { leaseId: string; onDone: (p: Payment) => void; onCancel: () => void }) {
  const { orgId } = useOrg();
  const payments = usePayments(orgId, leaseId);
  const charges = useCharges(orgId, leaseId);
  const ready = !!payments.data && !!charges.data;
  const focusRef = useFocusFirst<HTMLDivElement>(ready);

  let note: ReactNode = null;
  let fields: ReactNode = null;
  if (payments.isPending || charges.isPending) note = <Loading label="Loading payments and open charges…" />;
  else if (payments.error || charges.error) note = <ErrorState error={payments.error ?? charges.error} />;
  else {
    const credits = creditPayments(payments.data ?? []);
    const open = openCharges(charges.data ?? []);
    if (credits.length === 0) note = <Empty>No payment has unapplied credit left to apply.</Empty>;
    else if (open.length === 0) note = <Empty>Nothing is open on this lease to apply the credit to.</Empty>;
    else fields = <CreditFields leaseId={leaseId} credits={credits} charges={open} onDone={onDone} onCancel={onCancel} />;
  }

  return (
    <div ref={focusRef} className="card leases-form leases-credit">
      <h3 id="credit-form-title">Apply credit</h3>
      {fields ?? (
        <>
          {note}
          <div className="form-actions">
            <button type="button" className="btn" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </>
      )}
    </div>
  );
}

function CreditFields({
  leaseId,
  credits,
  charges,
  onDone,
  onCancel,
}: {
  leaseId: string;
  credits: Payment[];
  charges: ChargeListItem[];
  onDone: (p: Payment) => void;
  onCancel: () => void;
}) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const first = credits[0] as Payment;
  const [paymentId, setPaymentId] = useState(first.id);
  const payment = credits.find((p) => p.id === paymentId) ?? first;
  const currency = payment.unapplied.currency;
  const [amounts, setAmounts] = useState<Record<string, string>>(() => defaultAmounts(charges, first.unapplied));
  const [checked, setChecked] = useState(false);
  const labels = chargeLabels(charges);

  const save = useMutation({
    mutationFn: (v: { paymentId: string; body: Schemas['ApplyCredit'] }) => apiPost('/api/v1/orgs/{orgId}/payments/{paymentId}/allocations', { orgId, paymentId: v.paymentId }, v.body),
    onSuccess: async (p) => {
      await Promise.all([qc.invalidateQueries({ queryKey: keys.lease(orgId, leaseId) }), qc.invalidateQueries({ queryKey: keys.delinquency(orgId) })]);
      onDone(p);
    },
  });

  // Client checks: each amount valid and within what is open on its charge; the total within the credit.
  const problems = new Map<string, string>();
  let total = 0n;
  let count = 0;
  for (const c of charges) {
    const typed = amounts[c.id] ?? '';
    const msg = amountProblem(typed, currency, { allowZero: true });
    if (msg) {
      problems.set(c.id, msg);
      continue;
    }
    const m = typed.trim() ? (toMinor(typed, currency) ?? 0n) : 0n;
    if (m > minor(c.open)) problems.set(c.id, `At most ${formatMoney(c.open)} is open on this charge.`);
    if (m > 0n) {
      total += m;
      count += 1;
    }
  }
  const credit = minor(payment.unapplied);
  const totalText = formatMoney({ amount: fromMinor(total, currency), currency });
  const totalProblem =
    total > credit
      ? `The amounts total ${totalText}, more than the ${formatMoney(payment.unapplied)} of unapplied credit on this payment.`
      : count === 0
        ? 'Enter an amount for at least one charge.'
        : count > MAX_ALLOCATIONS
          ? `At most ${MAX_ALLOCATIONS} charges at a time.`
          : null;

  // The API names explicit allocations by their index in the body sent: map them back to charges.
  const sent = save.variables?.body.allocate;
  const sentIds = Array.isArray(sent) ? sent.map((a) => a.chargeId) : [];
  const apiErrors = save.error instanceof ApiError ? (save.error.problem.errors ?? []) : [];
  const apiMessageFor = (chargeId: string): string | undefined => {
    const i = sentIds.indexOf(chargeId);
    const indexed = i >= 0 ? errorFor(save.error, `allocate[${i}]`) : undefined;
    return indexed ?? apiErrors.find((e) => e.field === 'allocate' && e.message.includes(chargeId))?.message;
  };
  const generalApiMessage = apiErrors.find((e) => e.field === 'allocate' && !charges.some((c) => e.message.includes(c.id)))?.message;

  const choosePayment = (id: string) => {
    const p = credits.find((x) => x.id === id) ?? first;
    setPaymentId(p.id);
    setAmounts(defaultAmounts(charges, p.unapplied));
    setChecked(false);
    save.reset();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (problems.size || totalProblem) return;
    const allocate = charges
      .filter((c) => (toMinor(amounts[c.id] ?? '', currency) ?? 0n) > 0n)
      .map((c) => ({ chargeId: c.id, amount: moneyInput(amounts[c.id] ?? '', currency) }));
    save.mutate({ paymentId: payment.id, body: { allocate } });
  };

  const left = credit - total;
  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="credit-form-title">
      <FormError error={save.error} shown={['allocate']} />
      <div className="form-row">
        <SelectField label="Credit from" name="paymentId" value={payment.id} onChange={(e) => choosePayment(e.target.value)} hint="Payments with credit not yet applied to a charge">
          {credits.map((p) => (
            <option key={p.id} value={p.id}>
              {paymentText(p)}
            </option>
          ))}
        </SelectField>
      </div>
      <fieldset className="leases-credit-charges">
        <legend>Open charges</legend>
        <p className="muted leases-checkbox-hint">Leave an amount empty to skip that charge.</p>
        <div className="form-row">
          {charges.map((c) => (
            <MoneyField
              key={c.id}
              label={labels.get(c.id) ?? c.id}
              name={`charge-${c.id}`}
              currency={currency}
              value={amounts[c.id] ?? ''}
              onChange={(v) => setAmounts((a) => ({ ...a, [c.id]: v }))}
              invalid={(checked ? problems.get(c.id) : null) ?? apiMessageFor(c.id) ?? null}
              hint={`${c.memo ? `${c.memo} · ` : ''}${formatMoney(c.open)} open`}
            />
          ))}
        </div>
      </fieldset>
      <p className="leases-credit-total" id="credit-total">
        To apply: <strong>{totalText}</strong> of {formatMoney(payment.unapplied)};{' '}
        {left >= 0n ? (
          <>left unapplied: {formatMoney({ amount: fromMinor(left, currency), currency })}</>
        ) : (
          <>{formatMoney({ amount: fromMinor(-left, currency), currency })} more than the credit</>
        )}
      </p>
      {(checked && totalProblem) || generalApiMessage ? (
        <p className="field-error" role="alert">
          {(checked && totalProblem) || generalApiMessage}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={save.isPending}>
          Apply credit
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** "USD 250.00 of credit applied to 2 charges." from the API's answer. */
export function creditSummary(p: Payment): string {
  const applied = sumAmounts(
    p.allocations.map((a) => a.amount.amount),
    p.amount.currency,
  );
  const n = p.allocations.length;
  const what = applied ? formatMoney({ amount: applied, currency: p.amount.currency }) : 'Credit';
  return `${what} of credit applied to ${n} ${n === 1 ? 'charge' : 'charges'}.`;
}
