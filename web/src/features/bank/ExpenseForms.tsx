/**
 * Booking money that left the bank: one new expense for the whole transaction ("Create expense"),
 * or several summing exactly to it ("Split"). Date, amount and the account it was paid from are
 * the bank's; the remainder of a split is computed in integer minor units as the user types.
 */
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost, type Schemas } from '@/api/client';
import { ApiError } from '@/api/problem';
import { FormError, MoneyField, SelectField, TextField } from '@/components/Field';
import { formatMoney, fromMinor, normalizeAmount, toMinor } from '@/lib/money';
import { useOrg } from '@/lib/org';
import { bankTransactionsKey } from '@/lib/plaid';
import { accountLabel, expenseAccounts, keys, useAccounts, useBuildings, useFocusFirst, useUnits, useVendors, type BankTransaction } from './lookups';

export type ScopeKind = 'portfolio' | 'building' | 'unit';
export interface Scope {
  kind: ScopeKind;
  buildingId: string;
  unitId: string;
}
export const PORTFOLIO: Scope = { kind: 'portfolio', buildingId: '', unitId: '' };

/** The problems with a scope before the API is asked. */
export function scopeProblem(s: Scope): string | null {
  if (s.kind === 'building' && !s.buildingId) return 'Choose a building.';
  if (s.kind === 'unit' && !s.buildingId) return 'Choose a building, then a unit.';
  if (s.kind === 'unit' && !s.unitId) return 'Choose a unit.';
  return null;
}

export function scopeBody(s: Scope): Schemas['ExpenseScope'] {
  if (s.kind === 'building') return { type: 'building', id: s.buildingId };
  if (s.kind === 'unit') return { type: 'unit', id: s.unitId };
  return { type: 'portfolio' };
}

/** Portfolio, a building, or a unit of a building. `name` is the API's field for the error. */
export function ScopePicker({ value, onChange, name, error, invalid }: { value: Scope; onChange: (s: Scope) => void; name: string; error: unknown; invalid?: string | null }) {
  const buildings = useBuildings();
  const units = useUnits(value.kind === 'unit' ? value.buildingId : '');
  const list = (buildings.data ?? []).filter((b) => !b.archived);
  return (
    <div className="form-row">
      <SelectField label="Scope" name={`${name}Type`} value={value.kind} onChange={(e) => onChange({ ...PORTFOLIO, kind: e.target.value as ScopeKind })}>
        <option value="portfolio">Portfolio</option>
        <option value="building">Building</option>
        <option value="unit">Unit</option>
      </SelectField>
      {value.kind !== 'portfolio' ? (
        <SelectField
          label="Building"
          name={value.kind === 'building' ? name : `${name}Building`}
          value={value.buildingId}
          onChange={(e) => onChange({ ...value, buildingId: e.target.value, unitId: '' })}
          error={value.kind === 'building' ? error : undefined}
          invalid={value.kind === 'building' || !value.buildingId ? invalid : null}
          required
        >
          <option value="">Choose a building…</option>
          {list.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </SelectField>
      ) : null}
      {value.kind === 'unit' ? (
        <SelectField label="Unit" name={name} value={value.unitId} onChange={(e) => onChange({ ...value, unitId: e.target.value })} error={error} invalid={value.buildingId ? invalid : null} disabled={!value.buildingId} required>
          <option value="">{value.buildingId ? 'Choose a unit…' : 'Choose a building first'}</option>
          {(units.data ?? []).map((u) => (
            <option key={u.id} value={u.id}>
              {u.label}
            </option>
          ))}
        </SelectField>
      ) : null}
    </div>
  );
}

function useMatch(t: BankTransaction, onDone: (after: BankTransaction) => void) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['MatchBankTransaction']) => apiPost('/api/v1/orgs/{orgId}/bank-transactions/{id}:match', { orgId, id: t.id }, body),
    onSuccess: async (after) => {
      await Promise.all([qc.invalidateQueries({ queryKey: bankTransactionsKey(orgId) }), qc.invalidateQueries({ queryKey: keys.expenses(orgId) })]);
      onDone(after);
    },
  });
}

/** The bank transaction as money that went out (positive), e.g. "42.50". */
function spent(t: BankTransaction): string {
  const minor = toMinor(t.amount.amount, t.amount.currency) ?? 0n;
  return fromMinor(minor < 0n ? -minor : minor, t.amount.currency);
}

export function CreateExpenseForm({ t, label, onDone, onCancel }: { t: BankTransaction; label: string; onDone: (after: BankTransaction) => void; onCancel: () => void }) {
  const accounts = useAccounts();
  const vendors = useVendors();
  const [accountId, setAccountId] = useState('');
  const [vendorId, setVendorId] = useState('');
  const [scope, setScope] = useState<Scope>(PORTFOLIO);
  const [memo, setMemo] = useState('');
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const match = useMatch(t, onDone);
  const ref = useFocusFirst<HTMLFormElement>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!accountId) errs.accountId = 'Choose the expense account.';
    const sp = scopeProblem(scope);
    if (sp) errs.scope = sp;
    setInvalid(errs);
    if (Object.keys(errs).length) return;
    match.mutate({ createExpense: { accountId, vendorId: vendorId || null, scope: scopeBody(scope), memo: memo.trim() || null } });
  };
  return (
    <form ref={ref} className="form card bank-form" onSubmit={submit} noValidate aria-label={label}>
      <p className="muted">
        An expense of {formatMoney({ amount: spent(t), currency: t.amount.currency })} on the bank’s date, paid from the bank account, matched to this transaction.
      </p>
      <FormError error={match.error} shown={['createExpense.accountId', 'createExpense.vendorId', 'createExpense.scope', 'createExpense.memo']} />
      <div className="form-row">
        <SelectField label="Expense account" name="createExpense.accountId" value={accountId} onChange={(e) => setAccountId(e.target.value)} error={match.error} invalid={invalid.accountId} required>
          <option value="">Choose an account…</option>
          {expenseAccounts(accounts.data).map((a) => (
            <option key={a.id} value={a.id}>
              {accountLabel(a)}
            </option>
          ))}
        </SelectField>
        <SelectField label="Vendor (optional)" name="createExpense.vendorId" value={vendorId} onChange={(e) => setVendorId(e.target.value)} error={match.error}>
          <option value="">— None —</option>
          {(vendors.data ?? [])
            .filter((v) => !v.archived)
            .map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
        </SelectField>
      </div>
      <ScopePicker value={scope} onChange={setScope} name="createExpense.scope" error={match.error} invalid={invalid.scope} />
      <TextField label="Memo (optional)" name="createExpense.memo" value={memo} onChange={(e) => setMemo(e.target.value)} error={match.error} hint={`Empty: the bank’s description (“${t.description}”).`} maxLength={500} autoComplete="off" />
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={match.isPending}>
          {match.isPending ? 'Booking…' : 'Create expense'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

interface Part {
  key: number;
  accountId: string;
  amount: string;
  buildingId: string;
}

let partKey = 0;
function newPart(amount = ''): Part {
  partKey += 1;
  return { key: partKey, accountId: '', amount, buildingId: '' };
}

/** What is left to allocate (the bank amount − Σ parts) as a decimal string; null while an amount is not a number. */
export function remaining(t: BankTransaction, amounts: string[]): string | null {
  const currency = t.amount.currency;
  let left = toMinor(spent(t), currency);
  if (left === null) return null;
  for (const a of amounts) {
    const m = toMinor(a.trim() || '0', currency);
    if (m === null) return null;
    left -= m;
  }
  return fromMinor(left, currency);
}

/** The API's message for exactly `field` (not for something nested under it). */
function exactError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.problem.errors?.find((e) => e.field === field)?.message : undefined;
}

export function SplitForm({ t, label, onDone, onCancel }: { t: BankTransaction; label: string; onDone: (after: BankTransaction) => void; onCancel: () => void }) {
  const accounts = useAccounts();
  const buildings = useBuildings();
  const currency = t.amount.currency;
  const [parts, setParts] = useState<Part[]>(() => [newPart(), newPart()]);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const match = useMatch(t, onDone);
  const ref = useFocusFirst<HTMLFormElement>();
  const left = remaining(
    t,
    parts.map((p) => p.amount),
  );
  const exact = left !== null && toMinor(left, currency) === 0n;
  const setPart = (i: number, patch: Partial<Part>) => setParts((ps) => ps.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    parts.forEach((p, i) => {
      if (!p.accountId) errs[`splits[${i}].createExpense.accountId`] = 'Choose the expense account.';
      const n = normalizeAmount(p.amount, currency);
      if (!p.amount.trim()) errs[`splits[${i}].createExpense.amount`] = 'Enter an amount.';
      else if (n === null || (toMinor(n, currency) ?? 0n) <= 0n) errs[`splits[${i}].createExpense.amount`] = `A positive amount in ${currency}.`;
    });
    if (left !== null && !exact) errs.splits = `The parts must add up to the bank amount exactly: ${formatMoney({ amount: left, currency })} remaining.`;
    setInvalid(errs);
    if (Object.keys(errs).length) return;
    match.mutate({
      splits: parts.map((p) => ({
        createExpense: {
          accountId: p.accountId,
          amount: normalizeAmount(p.amount, currency) ?? p.amount.trim(),
          scope: p.buildingId ? { type: 'building', id: p.buildingId } : { type: 'portfolio' },
        },
      })),
    });
  };
  const splitsMessage = invalid.splits ?? exactError(match.error, 'splits');
  return (
    <form ref={ref} className="form card bank-form" onSubmit={submit} noValidate aria-label={label}>
      <p className="muted">
        New expenses summing exactly to {formatMoney({ amount: spent(t), currency })}, each on the bank’s date and paid from the bank account.
      </p>
      <FormError error={match.error} shown={['splits']} />
      <fieldset className="bank-parts" aria-describedby="bank-split-remaining">
        <legend>Parts</legend>
        {parts.map((p, i) => (
          <div key={p.key} className="bank-part">
            <SelectField
              label={`Part ${i + 1} account`}
              name={`splits[${i}].createExpense.accountId`}
              value={p.accountId}
              onChange={(e) => setPart(i, { accountId: e.target.value })}
              error={match.error}
              invalid={invalid[`splits[${i}].createExpense.accountId`]}
              required
            >
              <option value="">Choose an account…</option>
              {expenseAccounts(accounts.data).map((a) => (
                <option key={a.id} value={a.id}>
                  {accountLabel(a)}
                </option>
              ))}
            </SelectField>
            <MoneyField
              label={`Part ${i + 1} amount`}
              name={`splits[${i}].createExpense.amount`}
              currency={currency}
              value={p.amount}
              onChange={(v) => setPart(i, { amount: v })}
              error={match.error}
              invalid={invalid[`splits[${i}].createExpense.amount`]}
              required
            />
            <SelectField label={`Part ${i + 1} building`} name={`splits[${i}].createExpense.scope`} value={p.buildingId} onChange={(e) => setPart(i, { buildingId: e.target.value })} error={match.error}>
              <option value="">Portfolio</option>
              {(buildings.data ?? [])
                .filter((b) => !b.archived)
                .map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name}
                  </option>
                ))}
            </SelectField>
            <div className="bank-part-remove">
              <button type="button" className="btn" onClick={() => setParts((ps) => ps.filter((_, j) => j !== i))} disabled={parts.length <= 2}>
                Remove part {i + 1}
              </button>
            </div>
          </div>
        ))}
        <div className="form-actions bank-parts-footer">
          <button type="button" className="btn" onClick={() => setParts((ps) => [...ps, newPart(left !== null && (toMinor(left, currency) ?? 0n) > 0n ? left : '')])}>
            Add part
          </button>
          <p id="bank-split-remaining" className={`bank-remaining${exact ? '' : ' off'}`} aria-live="polite">
            {left === null ? 'Remaining —' : `Remaining ${formatMoney({ amount: left, currency })}`}
          </p>
        </div>
        {splitsMessage ? (
          <p className="field-error" role="alert">
            {splitsMessage}
          </p>
        ) : null}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={match.isPending}>
          {match.isPending ? 'Booking…' : 'Book the split'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
