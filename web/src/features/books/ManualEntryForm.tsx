/**
 * A manual journal entry: lines of an account and a debit or a credit, balanced per currency — the
 * totals are summed live in BigInt minor units, and an unbalanced entry is not sent.
 */
import { useRef, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost, newIdempotencyKey, type Schemas } from '@/api/client';
import { ApiError } from '@/api/problem';
import { FormError, MoneyField, SelectField, TextField } from '@/components/Field';
import { todayIn } from '@/lib/dates';
import { formatMoney, fromMinor, normalizeAmount, toMinor } from '@/lib/money';
import { useOrg } from '@/lib/org';
import { accountLabel, keys, TYPE_LABEL, useAccounts, useBuildings, type Account } from './lookups';

export interface LineState {
  key: number;
  accountId: string;
  debit: string;
  credit: string;
  buildingId: string;
}

let lineKey = 0;
function newLine(): LineState {
  lineKey += 1;
  return { key: lineKey, accountId: '', debit: '', credit: '', buildingId: '' };
}

export interface CurrencyBalance {
  currency: string;
  debits: string;
  credits: string;
  /** debits − credits, as a decimal string. */
  difference: string;
  balanced: boolean;
}

/** Σ debits and Σ credits per currency (a line's currency is its account's, else the base currency); lines with an invalid amount are left out. */
export function balances(lines: LineState[], currencyOf: (accountId: string) => string): CurrencyBalance[] {
  const by = new Map<string, { d: bigint; c: bigint }>();
  for (const l of lines) {
    const cur = currencyOf(l.accountId);
    const d = l.debit.trim() ? toMinor(l.debit, cur) : 0n;
    const c = l.credit.trim() ? toMinor(l.credit, cur) : 0n;
    if (!l.debit.trim() && !l.credit.trim()) continue;
    const t = by.get(cur) ?? { d: 0n, c: 0n };
    by.set(cur, { d: t.d + (d ?? 0n), c: t.c + (c ?? 0n) });
  }
  return [...by.entries()].map(([currency, t]) => ({
    currency,
    debits: fromMinor(t.d, currency),
    credits: fromMinor(t.c, currency),
    difference: fromMinor(t.d - t.c, currency),
    balanced: t.d === t.c,
  }));
}

function balanceText(b: CurrencyBalance): string {
  const d = formatMoney({ amount: b.debits, currency: b.currency });
  const c = formatMoney({ amount: b.credits, currency: b.currency });
  if (b.balanced) return `${b.currency}: debits ${d} = credits ${c}. Balanced.`;
  const diff = b.difference.startsWith('-') ? b.difference.slice(1) : b.difference;
  return `${b.currency}: debits ${d}, credits ${c}. Out of balance by ${formatMoney({ amount: diff, currency: b.currency })}.`;
}

function exactFieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.problem.errors?.find((e) => e.field === field)?.message : undefined;
}

export function ManualEntryForm({ onDone, onCancel }: { onDone: (e: Schemas['JournalEntry']) => void; onCancel: () => void }) {
  const { orgId, org } = useOrg();
  const qc = useQueryClient();
  const accounts = useAccounts();
  const buildings = useBuildings();
  const [date, setDate] = useState(() => todayIn(org.timezone));
  const [memo, setMemo] = useState('');
  const [lines, setLines] = useState<LineState[]>(() => [newLine(), newLine()]);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const idem = useRef<{ body: string; key: string } | null>(null);

  const byId = new Map<string, Account>((accounts.data ?? []).map((a) => [a.id, a]));
  const currencyOf = (accountId: string) => byId.get(accountId)?.currency || org.baseCurrency;
  const totals = balances(lines, currencyOf);
  const allBalanced = totals.length > 0 && totals.every((b) => b.balanced);

  const setLine = (i: number, patch: Partial<LineState>) => setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));

  const post = useMutation({
    mutationFn: ({ body, key }: { body: Schemas['ManualEntry']; key: string }) => apiPost('/api/v1/orgs/{orgId}/journal', { orgId }, body, { idempotencyKey: key }),
    onSuccess: async (entry) => {
      idem.current = null;
      await Promise.all([
        qc.invalidateQueries({ queryKey: keys.journal(orgId) }),
        qc.invalidateQueries({ queryKey: keys.trialBalance(orgId) }),
        qc.invalidateQueries({ queryKey: keys.accounts(orgId) }),
        qc.invalidateQueries({ queryKey: keys.verify(orgId) }),
      ]);
      onDone(entry);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!date) errs.date = 'Enter the date.';
    if (!memo.trim()) errs.memo = 'Say what the entry is for.';
    if (lines.length < 2) errs.lines = 'An entry needs at least two lines.';
    lines.forEach((l, i) => {
      const cur = currencyOf(l.accountId);
      if (!l.accountId) errs[`lines[${i}].accountId`] = 'Choose an account.';
      const hasD = !!l.debit.trim();
      const hasC = !!l.credit.trim();
      if (hasD === hasC) errs[`lines[${i}].debit`] = 'Enter a debit or a credit (one of them).';
      for (const side of ['debit', 'credit'] as const) {
        const v = l[side].trim();
        if (!v) continue;
        const m = toMinor(v, cur);
        if (m === null || m <= 0n) errs[`lines[${i}].${side}`] = `An amount of more than zero in ${cur}.`;
      }
    });
    if (!errs.lines && totals.some((b) => !b.balanced)) errs.lines = 'Debits and credits must be equal in each currency.';
    setInvalid(errs);
    if (Object.keys(errs).length) return;
    const body: Schemas['ManualEntry'] = {
      date,
      memo: memo.trim(),
      lines: lines.map((l) => {
        const cur = currencyOf(l.accountId);
        const side = l.debit.trim() ? 'debit' : 'credit';
        const amount = normalizeAmount(l[side], cur) ?? l[side].trim();
        return { accountId: l.accountId, [side]: { amount, currency: cur } as Schemas['MoneyInput'], buildingId: l.buildingId || null };
      }),
    };
    const b = JSON.stringify(body);
    if (!idem.current || idem.current.body !== b) idem.current = { body: b, key: newIdempotencyKey() };
    post.mutate({ body, key: idem.current.key });
  };

  const linesMessage = invalid.lines ?? exactFieldError(post.error, 'lines');
  const sorted = [...(accounts.data ?? [])].filter((a) => !a.archived).sort((a, b) => a.code.localeCompare(b.code, undefined, { numeric: true }));

  return (
    <form className="form card" onSubmit={submit} noValidate aria-label="New journal entry">
      <FormError error={post.error} shown={['date', 'memo', 'lines']} />
      <div className="form-row">
        <TextField label="Date" name="date" type="date" value={date} onChange={(e) => setDate(e.target.value)} error={post.error} invalid={invalid.date} required />
        <TextField label="Memo" name="memo" value={memo} onChange={(e) => setMemo(e.target.value)} error={post.error} invalid={invalid.memo} maxLength={200} required />
      </div>
      <fieldset className="parts" aria-describedby={`entry-balance${linesMessage ? ' entry-lines-err' : ''}`}>
        <legend>Lines</legend>
        {lines.map((l, i) => {
          const cur = currencyOf(l.accountId);
          return (
            <div key={l.key} className="line-row">
              <SelectField label={`Line ${i + 1} account`} name={`lines[${i}].accountId`} value={l.accountId} onChange={(e) => setLine(i, { accountId: e.target.value })} error={post.error} invalid={invalid[`lines[${i}].accountId`]} required>
                <option value="">Choose an account…</option>
                {(['asset', 'liability', 'equity', 'income', 'expense'] as const).map((t) => (
                  <optgroup key={t} label={TYPE_LABEL[t]}>
                    {sorted
                      .filter((a) => a.type === t)
                      .map((a) => (
                        <option key={a.id} value={a.id}>
                          {accountLabel(a)}
                          {a.currency && a.currency !== org.baseCurrency ? ` (${a.currency})` : ''}
                        </option>
                      ))}
                  </optgroup>
                ))}
              </SelectField>
              <MoneyField label={`Line ${i + 1} debit`} name={`lines[${i}].debit`} currency={cur} value={l.debit} onChange={(v) => setLine(i, { debit: v })} error={post.error} invalid={invalid[`lines[${i}].debit`]} />
              <MoneyField label={`Line ${i + 1} credit`} name={`lines[${i}].credit`} currency={cur} value={l.credit} onChange={(v) => setLine(i, { credit: v })} error={post.error} invalid={invalid[`lines[${i}].credit`]} />
              <SelectField label={`Line ${i + 1} building`} name={`lines[${i}].buildingId`} value={l.buildingId} onChange={(e) => setLine(i, { buildingId: e.target.value })} error={post.error} hint="Optional">
                <option value="">— None —</option>
                {(buildings.data ?? []).map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name}
                  </option>
                ))}
              </SelectField>
              {exactFieldError(post.error, `lines[${i}]`) ? (
                <p className="field-error line-error" role="alert">
                  {exactFieldError(post.error, `lines[${i}]`)}
                </p>
              ) : null}
              <div className="line-remove">
                <button type="button" className="btn" onClick={() => setLines((ls) => ls.filter((_, j) => j !== i))} disabled={lines.length <= 2}>
                  Remove line {i + 1}
                </button>
              </div>
            </div>
          );
        })}
        <div className="form-actions lines-footer">
          <button type="button" className="btn" onClick={() => setLines((ls) => [...ls, newLine()])}>
            Add line
          </button>
        </div>
        <div id="entry-balance" className={`entry-balance${allBalanced ? ' ok' : totals.length ? ' off' : ''}`} aria-live="polite">
          {totals.length === 0 ? <p className="muted">Enter debits and credits: they must be equal in each currency.</p> : totals.map((b) => <p key={b.currency}>{balanceText(b)}</p>)}
        </div>
        {linesMessage ? (
          <p id="entry-lines-err" className="field-error" role="alert">
            {linesMessage}
          </p>
        ) : null}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={post.isPending}>
          Post entry
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
