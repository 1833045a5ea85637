/** "New expense": date, amount, account, vendor, where it belongs (or its split), how it was paid. */
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost, type Schemas } from '@/api/client';
import { FormError, MoneyField, SelectField, TextAreaField, TextField } from '@/components/Field';
import { normalizeAmount } from '@/lib/money';
import { todayIn } from '@/lib/dates';
import { useOrg } from '@/lib/org';
import { cashAccounts, expenseAccounts, keys, moneyInput, useAccounts, useIdempotencyKey, useVendors, type Account, type Expense } from './lookups';
import { DueDateField, PaymentFields, type PaidMode } from './PaymentFields';
import { initialScope, ScopeEditor, scopeBody, validateScope, type ScopeState } from './ScopeEditor';

export const EXPENSE_FIELDS = ['date', 'amount', 'accountId', 'vendorId', 'scope', 'splits', 'split', 'paidFrom', 'dueDate', 'status', 'memo', 'reference'];

/** Option text: the account's name (with its code only when two accounts share a name). */
function optionText(a: Account, all: Account[]): string {
  return all.filter((x) => x.name === a.name).length > 1 ? `${a.name} (${a.code})` : a.name;
}

export function AccountSelect({ label = 'Account', value, onChange, error, invalid }: { label?: string; value: string; onChange: (v: string) => void; error: unknown; invalid?: string | null }) {
  const accounts = useAccounts();
  const list = expenseAccounts(accounts.data);
  return (
    <SelectField label={label} name="accountId" value={value} onChange={(e) => onChange(e.target.value)} error={error} invalid={invalid} required>
      <option value="">Choose an account…</option>
      <optgroup label="Expense accounts">
        {list
          .filter((a) => a.type === 'expense')
          .map((a) => (
            <option key={a.id} value={a.id}>
              {optionText(a, list)}
            </option>
          ))}
      </optgroup>
      <optgroup label="Fixed assets (capital improvements)">
        {list
          .filter((a) => a.type !== 'expense')
          .map((a) => (
            <option key={a.id} value={a.id}>
              {optionText(a, list)}
            </option>
          ))}
      </optgroup>
    </SelectField>
  );
}

export function VendorSelect({ label = 'Vendor', value, onChange, error }: { label?: string; value: string; onChange: (v: string) => void; error: unknown }) {
  const vendors = useVendors();
  return (
    <SelectField label={label} name="vendorId" value={value} onChange={(e) => onChange(e.target.value)} error={error} hint="Optional">
      <option value="">— No vendor —</option>
      {(vendors.data ?? [])
        .filter((v) => !v.archived || v.id === value)
        .map((v) => (
          <option key={v.id} value={v.id}>
            {v.name}
          </option>
        ))}
    </SelectField>
  );
}

export function ExpenseForm({ onDone, onCancel }: { onDone: (e: Expense) => void; onCancel: () => void }) {
  const { orgId, org } = useOrg();
  const currency = org.baseCurrency;
  const qc = useQueryClient();
  const accounts = useAccounts();
  const vendors = useVendors();
  const idem = useIdempotencyKey();

  const [date, setDate] = useState(() => todayIn(org.timezone));
  const [amount, setAmount] = useState('');
  const [accountId, setAccountId] = useState('');
  const [vendorId, setVendorId] = useState('');
  const [scope, setScope] = useState<ScopeState>(initialScope);
  const [mode, setMode] = useState<PaidMode>('paid');
  const [paidFrom, setPaidFrom] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [memo, setMemo] = useState('');
  const [reference, setReference] = useState('');
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});

  // Defaults derived, not copied: the vendor's default account, the first bank account.
  const vendor = vendors.data?.find((v) => v.id === vendorId);
  const effectiveAccount = accountId || (vendor?.defaultAccountId && expenseAccounts(accounts.data).some((a) => a.id === vendor.defaultAccountId) ? vendor.defaultAccountId : '');
  const effectivePaidFrom = paidFrom || cashAccounts(accounts.data)[0]?.id || '';

  const create = useMutation({
    mutationFn: ({ body, key }: { body: Schemas['CreateExpense']; key: string }) => apiPost('/api/v1/orgs/{orgId}/expenses', { orgId }, body, { idempotencyKey: key }),
    onSuccess: async (e) => {
      idem.reset();
      await qc.invalidateQueries({ queryKey: keys.expenses(orgId) });
      onDone(e);
    },
  });

  const validate = (): Record<string, string> => {
    const errs: Record<string, string> = {};
    if (!date) errs.date = 'Enter the date.';
    const norm = normalizeAmount(amount, currency);
    if (!amount.trim()) errs.amount = 'Enter the amount.';
    else if (norm === null) errs.amount = `Not a valid amount in ${currency}.`;
    if (!effectiveAccount) errs.accountId = 'Choose an account.';
    if (mode === 'paid' && !effectivePaidFrom) errs.paidFrom = 'Choose the account it was paid from.';
    if (mode === 'unpaid' && !dueDate) errs.dueDate = 'Enter the due date.';
    return { ...errs, ...validateScope(scope, amount, currency) };
  };

  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    const errs = validate();
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    const body: Schemas['CreateExpense'] = {
      date,
      amount: moneyInput(normalizeAmount(amount, currency) ?? amount, currency),
      accountId: effectiveAccount,
      vendorId: vendorId || null,
      ...scopeBody(scope, currency),
      ...(mode === 'paid' ? { paidFrom: effectivePaidFrom } : { status: 'unpaid' as const, dueDate }),
      memo: memo.trim() || null,
      reference: reference.trim() || null,
    };
    create.mutate({ body, key: idem.keyFor(body) });
  };

  return (
    <form className="form card" onSubmit={submit} noValidate aria-label="New expense">
      <FormError error={create.error} shown={EXPENSE_FIELDS} />
      <div className="form-row">
        <TextField label="Date" name="date" type="date" value={date} onChange={(e) => setDate(e.target.value)} error={create.error} invalid={clientErrors.date} required />
        <MoneyField label="Amount" name="amount" currency={currency} value={amount} onChange={setAmount} error={create.error} invalid={clientErrors.amount} required />
      </div>
      <div className="form-row">
        <AccountSelect value={effectiveAccount} onChange={setAccountId} error={create.error} invalid={clientErrors.accountId} />
        <VendorSelect value={vendorId} onChange={setVendorId} error={create.error} />
      </div>
      <ScopeEditor value={scope} onChange={setScope} amount={amount} currency={currency} error={create.error} clientErrors={clientErrors} />
      <PaymentFields
        mode={mode}
        onMode={setMode}
        paidFrom={effectivePaidFrom}
        onPaidFrom={setPaidFrom}
        error={create.error}
        clientErrors={clientErrors}
        due={<DueDateField value={dueDate} onChange={setDueDate} error={create.error} invalid={clientErrors.dueDate} />}
      />
      <div className="form-row">
        <TextAreaField label="Memo" name="memo" value={memo} onChange={(e) => setMemo(e.target.value)} error={create.error} rows={2} maxLength={500} />
        <TextField label="Reference" name="reference" value={reference} onChange={(e) => setReference(e.target.value)} error={create.error} maxLength={100} hint="Invoice or check number" />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={create.isPending} aria-busy={create.isPending || undefined}>
          Save expense
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
