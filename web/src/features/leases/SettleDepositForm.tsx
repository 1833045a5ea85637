import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost, type Schemas } from '@/api/client';
import { FormError, MoneyField, TextField } from '@/components/Field';
import { MoneyText } from '@/components/Money';
import { formatDay } from '@/lib/dates';
import { formatMoney, fromMinor, sumAmounts, toMinor } from '@/lib/money';
import { useOrg } from '@/lib/org';
import { amountProblem, moneyInput } from './amount';
import { useFocusFirst } from './focus';
import { keys, type Lease } from './data';

interface DeductionRow {
  key: number;
  description: string;
  amount: string;
}

export function settlementSummary(s: Schemas['DepositSettlement']): string {
  const deducted = s.deductions.length ? `, ${s.deductions.length} ${s.deductions.length === 1 ? 'deduction' : 'deductions'}` : '';
  return `Deposit of ${formatMoney(s.held)} settled on ${formatDay(s.settledOn)}${deducted}: ${formatMoney(s.appliedToBalance)} applied to the balance, ${formatMoney(s.refund)} to refund.`;
}

/**
 * "Settle deposit" after move-out: itemized deductions (each becomes a charge paid from the
 * deposit), what is left applied to open charges unless unchecked, and the rest refunded.
 */
export function SettleDepositForm({
  lease,
  currency,
  held,
  onDone,
  onCancel,
}: {
  lease: Lease;
  currency: string;
  held: Schemas['MoneyDto'];
  onDone: (s: Schemas['DepositSettlement']) => void;
  onCancel: () => void;
}) {
  const { orgId } = useOrg();
  const focusRef = useFocusFirst<HTMLFormElement>();
  const qc = useQueryClient();
  const [rows, setRows] = useState<DeductionRow[]>([]);
  const [nextKey, setNextKey] = useState(1);
  const [settledOn, setSettledOn] = useState(lease.moveOutDate ?? '');
  const [applyToBalance, setApply] = useState(true);
  const [checked, setChecked] = useState(false);

  const problems = rows.map((r) => ({
    description: r.description.trim() ? null : 'Say what the deduction is for.',
    amount: amountProblem(r.amount, currency, { required: true }),
  }));
  const invalid = problems.some((p) => p.description || p.amount);
  const total = invalid ? null : sumAmounts(rows.map((r) => r.amount), currency);
  const left = total !== null ? fromMinor((toMinor(held.amount, currency) ?? 0n) - (toMinor(total, currency) ?? 0n), currency) : null;

  const settle = useMutation({
    mutationFn: () =>
      apiPost(
        '/api/v1/orgs/{orgId}/leases/{leaseId}/deposit-settlement',
        { orgId, leaseId: lease.id },
        {
          deductions: rows.map((r) => ({ description: r.description.trim(), amount: moneyInput(r.amount, currency) })),
          applyToBalance,
          settledOn: settledOn || null,
        },
      ),
    onSuccess: async (s) => {
      await Promise.all([qc.invalidateQueries({ queryKey: keys.lease(orgId, lease.id) }), qc.invalidateQueries({ queryKey: keys.delinquency(orgId) })]);
      onDone(s);
    },
  });

  const update = (key: number, patch: Partial<DeductionRow>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (invalid) return;
    settle.mutate();
  };

  return (
    <form ref={focusRef} className="form card leases-form" onSubmit={submit} noValidate>
      <h3>Settle deposit</h3>
      <p>
        Deposit held: <MoneyText value={held} />
        {rows.length && left !== null ? (
          <>
            {' '}
            · left after deductions: <MoneyText value={{ amount: left, currency }} />
          </>
        ) : null}
      </p>
      <FormError error={settle.error} shown={[...rows.map((_, i) => `deductions[${i}]`), 'settledOn']} />
      {rows.map((r, i) => (
        <fieldset key={r.key} className="leases-deduction">
          <legend>Deduction {i + 1}</legend>
          <div className="form-row">
            <TextField
              label={`Deduction ${i + 1} reason`}
              name={`deductions[${i}].description`}
              value={r.description}
              maxLength={200}
              onChange={(e) => update(r.key, { description: e.target.value })}
              error={settle.error}
              invalid={checked ? problems[i]?.description : null}
              required
            />
            <MoneyField
              label={`Deduction ${i + 1} amount`}
              name={`deductions[${i}].amount`}
              currency={currency}
              value={r.amount}
              onChange={(v) => update(r.key, { amount: v })}
              error={settle.error}
              invalid={checked ? problems[i]?.amount : null}
              required
            />
          </div>
          <button type="button" className="link-button" onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}>
            Remove deduction {i + 1}
          </button>
        </fieldset>
      ))}
      <div>
        <button
          type="button"
          className="btn"
          onClick={() => {
            setRows((rs) => [...rs, { key: nextKey, description: '', amount: '' }]);
            setNextKey((k) => k + 1);
          }}
        >
          Add deduction
        </button>
      </div>
      <div className="form-row">
        <TextField label="Settled on" name="settledOn" type="date" value={settledOn} onChange={(e) => setSettledOn(e.target.value)} error={settle.error} hint="Default: the move-out date" />
      </div>
      <div className="leases-checkbox">
        <input id="settle-apply" type="checkbox" checked={applyToBalance} onChange={(e) => setApply(e.target.checked)} />
        <label htmlFor="settle-apply">Apply what is left to charges still open before refunding</label>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={settle.isPending}>
          Settle deposit
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
