/** Recurring expenses: what the daily job books each month, quarter or year (each occurrence once). */
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiDelete, apiGet, apiPatch, apiPost, type Schemas } from '@/api/client';
import { FormError, MoneyField, SelectField, TextAreaField, TextField } from '@/components/Field';
import { PageHeader, Section } from '@/components/Page';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { MoneyText } from '@/components/Money';
import { formatDay, todayIn } from '@/lib/dates';
import { normalizeAmount, toMinor } from '@/lib/money';
import { useCan, useOrg } from '@/lib/org';
import { AccountName, ScopeSummary, VendorName } from './ExpenseBits';
import { AccountSelect, EXPENSE_FIELDS, VendorSelect } from './ExpenseForm';
import { cashAccounts, expenseAccounts, keys, moneyInput, useAccounts, useVendors } from './lookups';
import { PaymentFields, type PaidMode } from './PaymentFields';
import { initialScope, ScopeEditor, scopeBody, validateScope, type ScopeState } from './ScopeEditor';
import './expenses.css';

type Recurring = Schemas['RecurringExpense'];
const FREQ: Record<Schemas['Frequency'], string> = { monthly: 'Monthly', quarterly: 'Quarterly', yearly: 'Yearly' };

function whenText(r: Pick<Recurring, 'frequency' | 'day'>): string {
  return `${FREQ[r.frequency]} on day ${r.day}`;
}

function NewRecurring({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { orgId, org } = useOrg();
  const currency = org.baseCurrency;
  const qc = useQueryClient();
  const accounts = useAccounts();
  const vendors = useVendors();
  const [frequency, setFrequency] = useState<Schemas['Frequency']>('monthly');
  const [day, setDay] = useState('1');
  const [startDate, setStartDate] = useState(() => todayIn(org.timezone));
  const [endDate, setEndDate] = useState('');
  const [amount, setAmount] = useState('');
  const [accountId, setAccountId] = useState('');
  const [vendorId, setVendorId] = useState('');
  const [scope, setScope] = useState<ScopeState>(initialScope);
  const [mode, setMode] = useState<PaidMode>('paid');
  const [paidFrom, setPaidFrom] = useState('');
  const [dueInDays, setDueInDays] = useState('30');
  const [memo, setMemo] = useState('');
  const [reference, setReference] = useState('');
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const vendor = vendors.data?.find((v) => v.id === vendorId);
  const effectiveAccount = accountId || (vendor?.defaultAccountId && expenseAccounts(accounts.data).some((a) => a.id === vendor.defaultAccountId) ? vendor.defaultAccountId : '');
  const effectivePaidFrom = paidFrom || cashAccounts(accounts.data)[0]?.id || '';

  const create = useMutation({
    mutationFn: (body: Schemas['CreateRecurring']) => apiPost('/api/v1/orgs/{orgId}/recurring-expenses', { orgId }, body),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: keys.recurring(orgId) });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    const dayN = /^\d{1,2}$/.test(day.trim()) ? Number.parseInt(day, 10) : NaN;
    if (!(dayN >= 1 && dayN <= 31)) errs.day = 'A day of the month, 1–31 (past a month’s end, its last day).';
    if (!startDate) errs.startDate = 'Enter the first day it applies.';
    if (endDate && startDate && endDate < startDate) errs.endDate = 'The end date is before the start date.';
    const norm = normalizeAmount(amount, currency);
    if (norm === null || (toMinor(norm, currency) ?? 0n) <= 0n) errs.amount = `Enter an amount in ${currency}.`;
    if (!effectiveAccount) errs.accountId = 'Choose an account.';
    if (mode === 'paid' && !effectivePaidFrom) errs.paidFrom = 'Choose the account it is paid from.';
    const dueN = /^\d{1,3}$/.test(dueInDays.trim()) ? Number.parseInt(dueInDays, 10) : NaN;
    if (mode === 'unpaid' && Number.isNaN(dueN)) errs.dueInDays = 'Days after each occurrence, e.g. 30.';
    Object.assign(errs, validateScope(scope, amount, currency));
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    create.mutate({
      frequency,
      day: dayN,
      startDate,
      endDate: endDate || null,
      amount: moneyInput(norm ?? amount, currency),
      accountId: effectiveAccount,
      vendorId: vendorId || null,
      ...scopeBody(scope, currency),
      ...(mode === 'paid' ? { paidFrom: effectivePaidFrom } : { status: 'unpaid' as const, dueInDays: dueN }),
      memo: memo.trim() || null,
      reference: reference.trim() || null,
    });
  };
  return (
    <form className="form card" onSubmit={submit} noValidate aria-label="New recurring expense">
      <FormError error={create.error} shown={[...EXPENSE_FIELDS, 'frequency', 'day', 'startDate', 'endDate', 'dueInDays']} />
      <div className="form-row">
        <SelectField label="Frequency" name="frequency" value={frequency} onChange={(e) => setFrequency(e.target.value as Schemas['Frequency'])} error={create.error}>
          <option value="monthly">Monthly</option>
          <option value="quarterly">Quarterly</option>
          <option value="yearly">Yearly</option>
        </SelectField>
        <TextField label="Day" name="day" type="number" min={1} max={31} inputMode="numeric" value={day} onChange={(e) => setDay(e.target.value)} error={create.error} invalid={clientErrors.day} hint="Of the month (31 = its last day)" required />
        <TextField label="Start date" name="startDate" type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} error={create.error} invalid={clientErrors.startDate} required />
        <TextField label="End date" name="endDate" type="date" value={endDate} onChange={(e) => setEndDate(e.target.value)} error={create.error} invalid={clientErrors.endDate} hint="Optional" />
      </div>
      <div className="form-row">
        <MoneyField label="Amount" name="amount" currency={currency} value={amount} onChange={setAmount} error={create.error} invalid={clientErrors.amount} required />
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
        due={
          <TextField label="Due in days" name="dueInDays" type="number" min={0} inputMode="numeric" value={dueInDays} onChange={(e) => setDueInDays(e.target.value)} error={create.error} invalid={clientErrors.dueInDays} hint="Each bill is due this many days after its date" />
        }
      />
      <div className="form-row">
        <TextAreaField label="Memo" name="memo" value={memo} onChange={(e) => setMemo(e.target.value)} error={create.error} rows={2} maxLength={500} />
        <TextField label="Reference" name="reference" value={reference} onChange={(e) => setReference(e.target.value)} error={create.error} maxLength={100} />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={create.isPending}>
          Save recurring expense
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function EditRecurring({ item, onDone, onCancel }: { item: Recurring; onDone: () => void; onCancel: () => void }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const currency = item.amount.currency;
  const [amount, setAmount] = useState(item.amount.amount);
  const [endDate, setEndDate] = useState(item.endDate ?? '');
  const [memo, setMemo] = useState(item.memo ?? '');
  const [reference, setReference] = useState(item.reference ?? '');
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: (body: Schemas['UpdateRecurring']) => apiPatch('/api/v1/orgs/{orgId}/recurring-expenses/{recurringId}', { orgId, recurringId: item.id }, body),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: keys.recurring(orgId) });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const norm = normalizeAmount(amount, currency);
    const errs: Record<string, string> = {};
    if (norm === null || (toMinor(norm, currency) ?? 0n) <= 0n) errs.amount = `Enter an amount in ${currency}.`;
    setInvalid(errs);
    if (Object.keys(errs).length) return;
    const body: Schemas['UpdateRecurring'] = {};
    if (norm !== item.amount.amount) body.amount = moneyInput(norm ?? amount, currency);
    if ((endDate || null) !== (item.endDate ?? null)) body.endDate = endDate || null;
    if (memo.trim() !== (item.memo ?? '')) body.memo = memo.trim() || null;
    if (reference.trim() !== (item.reference ?? '')) body.reference = reference.trim() || null;
    save.mutate(body);
  };
  return (
    <form className="form card" onSubmit={submit} noValidate aria-label="Edit recurring expense">
      <FormError error={save.error} shown={['amount', 'endDate', 'memo', 'reference']} />
      <div className="form-row">
        <MoneyField label="Amount" name="amount" currency={currency} value={amount} onChange={setAmount} error={save.error} invalid={invalid.amount} required />
        <TextField label="End date" name="endDate" type="date" value={endDate} onChange={(e) => setEndDate(e.target.value)} error={save.error} hint="Empty: no end" />
      </div>
      <div className="form-row">
        <TextAreaField label="Memo" name="memo" value={memo} onChange={(e) => setMemo(e.target.value)} error={save.error} rows={2} maxLength={500} />
        <TextField label="Reference" name="reference" value={reference} onChange={(e) => setReference(e.target.value)} error={save.error} maxLength={100} />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={save.isPending}>
          Save changes
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function DeleteRecurring({ item }: { item: Recurring }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const del = useMutation({
    mutationFn: () => apiDelete('/api/v1/orgs/{orgId}/recurring-expenses/{recurringId}', { orgId, recurringId: item.id }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.recurring(orgId) }),
  });
  if (!confirming)
    return (
      <button type="button" className="btn danger" onClick={() => setConfirming(true)}>
        Delete
      </button>
    );
  return (
    <span className="confirm-row">
      <button type="button" className="btn danger" onClick={() => del.mutate()} disabled={del.isPending}>
        Confirm delete
      </button>
      <button type="button" className="btn" onClick={() => setConfirming(false)}>
        Cancel
      </button>
      {del.error ? <ErrorState error={del.error} /> : null}
    </span>
  );
}

export default function RecurringPage() {
  const { orgId } = useOrg();
  const canWrite = useCan('booksWrite');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Recurring | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = useQuery({
    queryKey: keys.recurring(orgId),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/recurring-expenses', { orgId }, undefined, { signal }),
  });
  const items = (list.data?.items ?? []) as Recurring[];
  return (
    <>
      <PageHeader
        title="Recurring expenses"
        actions={
          <>
            <Link to={`/orgs/${orgId}/expenses`} className="btn">
              All expenses
            </Link>
            {canWrite && !creating ? (
              <button
                type="button"
                className="btn primary"
                onClick={() => {
                  setEditing(null);
                  setNotice(null);
                  setCreating(true);
                }}
              >
                New recurring expense
              </button>
            ) : null}
          </>
        }
      >
        <p className="muted">Booked by a daily job on each occurrence’s day — once each, however often it runs.</p>
      </PageHeader>
      {notice ? (
        <p className="ok-box" role="status">
          {notice}
        </p>
      ) : null}
      {creating && canWrite ? (
        <Section title="New recurring expense">
          <NewRecurring
            onCancel={() => setCreating(false)}
            onDone={() => {
              setCreating(false);
              setNotice('Recurring expense saved.');
            }}
          />
        </Section>
      ) : null}
      {editing && canWrite ? (
        <Section title="Edit recurring expense">
          <EditRecurring
            key={editing.id}
            item={editing}
            onCancel={() => setEditing(null)}
            onDone={() => {
              setEditing(null);
              setNotice('Recurring expense updated.');
            }}
          />
        </Section>
      ) : null}
      <Section title="Schedules">
        {list.isPending ? (
          <Loading />
        ) : list.error ? (
          <ErrorState error={list.error} />
        ) : items.length === 0 ? (
          <Empty>No recurring expenses yet.</Empty>
        ) : (
          <Table
            caption="Recurring expenses"
            rows={items}
            rowKey={(r) => r.id}
            columns={[
              { header: 'When', cell: (r) => whenText(r) },
              { header: 'Amount', numeric: true, cell: (r) => <MoneyText value={r.amount} /> },
              { header: 'Account', cell: (r) => <AccountName id={r.accountId} /> },
              { header: 'Vendor', cell: (r) => <VendorName id={r.vendorId} /> },
              { header: 'Scope', cell: (r) => (r.split ? `Split by ${r.split.by === 'units' ? 'unit count' : 'area'}` : <ScopeSummary expense={{ scope: r.scope, splits: r.splits }} />) },
              { header: 'Paid', cell: (r) => (r.status === 'unpaid' ? `Bill, due in ${r.dueInDays ?? 0} days` : <AccountName id={r.paidFrom} />) },
              { header: 'Starts', cell: (r) => formatDay(r.startDate) },
              { header: 'Ends', cell: (r) => formatDay(r.endDate) },
              { header: 'Booked through', cell: (r) => formatDay(r.bookedThrough) },
              ...(canWrite
                ? [
                    {
                      header: 'Actions',
                      cell: (r: Recurring) => (
                        <span className="confirm-row">
                          <button
                            type="button"
                            className="btn"
                            onClick={() => {
                              setCreating(false);
                              setNotice(null);
                              setEditing(r);
                            }}
                          >
                            Edit
                          </button>
                          <DeleteRecurring item={r} />
                        </span>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Section>
    </>
  );
}
