/** One expense: its facts and parts, void / pay / edit, and its receipts (with what was read from them). */
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiPatch, apiPost, type Schemas } from '@/api/client';
import { FormError, TextAreaField, TextField } from '@/components/Field';
import { PageHeader, Section } from '@/components/Page';
import { ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { MoneyText } from '@/components/Money';
import { formatDay, formatInstant } from '@/lib/dates';
import { formatMoney } from '@/lib/money';
import { useCan, useOrg } from '@/lib/org';
import { contentTypeOf, ReceiptDropzone, receiptStatusText } from './Drafts';
import { AccountName, BuildingName, confidenceText, ScopeSummary, StatusBadge, UnitName, VendorName } from './ExpenseBits';
import { AccountSelect, EXPENSE_FIELDS, VendorSelect } from './ExpenseForm';
import { keys, putToPresigned, type ExpenseWithReceipts, type UploadingReceipt } from './lookups';
import { PayBillForm } from './PayBillForm';
import { ScopeEditor, scopeBody, scopeFromExpense, validateScope, type ScopeState } from './ScopeEditor';
import './expenses.css';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function EditExpense({ expense, onDone, onCancel }: { expense: ExpenseWithReceipts; onDone: () => void; onCancel: () => void }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const currency = expense.amount.currency;
  const [accountId, setAccountId] = useState(expense.accountId);
  const [vendorId, setVendorId] = useState(expense.vendorId ?? '');
  const [memo, setMemo] = useState(expense.memo ?? '');
  const [reference, setReference] = useState(expense.reference ?? '');
  const [scope, setScope] = useState<ScopeState>(() => scopeFromExpense(expense));
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [nothing, setNothing] = useState(false);
  const save = useMutation({
    mutationFn: (body: Schemas['UpdateExpense']) => apiPatch('/api/v1/orgs/{orgId}/expenses/{expenseId}', { orgId, expenseId: expense.id }, body),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: keys.expenses(orgId) });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateScope(scope, expense.amount.amount, currency, false);
    if (!accountId) errs.accountId = 'Choose an account.';
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    // Only what changed: a re-classification (account or scope) posts a correcting entry.
    const body: Schemas['UpdateExpense'] = {};
    if (accountId !== expense.accountId) body.accountId = accountId;
    if ((vendorId || null) !== (expense.vendorId ?? null)) body.vendorId = vendorId || null;
    if (memo.trim() !== (expense.memo ?? '')) body.memo = memo.trim() || null;
    if (reference.trim() !== (expense.reference ?? '')) body.reference = reference.trim() || null;
    const before = scopeBody(scopeFromExpense(expense), currency, false);
    const after = scopeBody(scope, currency, false);
    if (JSON.stringify(before) !== JSON.stringify(after)) Object.assign(body, after);
    if (Object.keys(body).length === 0) {
      setNothing(true);
      return;
    }
    setNothing(false);
    save.mutate(body);
  };
  return (
    <form className="form card" onSubmit={submit} noValidate aria-label="Edit expense">
      <FormError error={save.error} shown={EXPENSE_FIELDS} />
      {nothing ? (
        <p className="muted" role="status">
          Nothing changed.
        </p>
      ) : null}
      <div className="form-row">
        <AccountSelect value={accountId} onChange={setAccountId} error={save.error} invalid={clientErrors.accountId} />
        <VendorSelect value={vendorId} onChange={setVendorId} error={save.error} />
      </div>
      <ScopeEditor value={scope} onChange={setScope} amount={expense.amount.amount} currency={currency} error={save.error} clientErrors={clientErrors} allowRule={false} />
      <div className="form-row">
        <TextAreaField label="Memo" name="memo" value={memo} onChange={(e) => setMemo(e.target.value)} error={save.error} rows={2} maxLength={500} />
        <TextField label="Reference" name="reference" value={reference} onChange={(e) => setReference(e.target.value)} error={save.error} maxLength={100} />
      </div>
      <p className="muted">Changing the account or where it belongs posts a correcting entry (only while its month is open). To change the amount, void it and record a new one.</p>
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

function VoidAction({ expense }: { expense: ExpenseWithReceipts }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const voidIt = useMutation({
    mutationFn: () => apiPost('/api/v1/orgs/{orgId}/expenses/{expenseId}:void', { orgId, expenseId: expense.id }, {}),
    onSuccess: async () => {
      setConfirming(false);
      await qc.invalidateQueries({ queryKey: keys.expenses(orgId) });
    },
  });
  return (
    <>
      {confirming ? (
        <span className="confirm-row">
          <button type="button" className="btn danger" onClick={() => voidIt.mutate()} disabled={voidIt.isPending}>
            Confirm void
          </button>
          <button type="button" className="btn" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </span>
      ) : (
        <button type="button" className="btn danger" onClick={() => setConfirming(true)}>
          {expense.status === 'draft' ? 'Discard draft' : 'Void'}
        </button>
      )}
      {voidIt.error ? <ErrorState error={voidIt.error} /> : null}
    </>
  );
}

function Receipts({ expense }: { expense: ExpenseWithReceipts }) {
  const { orgId, org } = useOrg();
  const qc = useQueryClient();
  const canWrite = useCan('booksWrite');
  const [uploaded, setUploaded] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: async (file: File) => {
      const r = (await apiPost('/api/v1/orgs/{orgId}/expenses/{expenseId}/receipts', { orgId, expenseId: expense.id }, { name: file.name, contentType: contentTypeOf(file), sizeBytes: file.size })) as UploadingReceipt;
      if (!r.upload) throw new Error('The API gave no upload for this receipt.');
      await putToPresigned(r.upload, file);
      return file;
    },
    onMutate: () => setUploaded(null),
    onSuccess: (file) => setUploaded(`Uploaded ${file.name}. It is being read.`),
    // Success or not, the receipt may exist now (created before its bytes failed to go up).
    onSettled: () => qc.invalidateQueries({ queryKey: keys.expense(orgId, expense.id) }),
  });
  return (
    <>
      {expense.receipts.length === 0 ? (
        <p className="empty">No receipts yet.</p>
      ) : (
        <Table
          caption="Receipts"
          rows={expense.receipts}
          rowKey={(r) => r.id}
          columns={[
            { header: 'File', cell: (r) => r.name },
            {
              header: 'Status',
              cell: (r) => (
                <>
                  <span className="status">{receiptStatusText(r.status)}</span>
                  {r.reason ? <span className="muted"> {r.reason}</span> : null}
                </>
              ),
            },
            { header: 'Vendor name', cell: (r) => r.extracted?.vendorName ?? '—' },
            { header: 'Date', cell: (r) => formatDay(r.extracted?.date) },
            { header: 'Total', numeric: true, cell: (r) => <MoneyText value={r.extracted?.total} /> },
            { header: 'Confidence', numeric: true, cell: (r) => confidenceText(r.extracted?.confidence) },
            { header: 'Uploaded', cell: (r) => formatInstant(r.createdAt, org.timezone) },
          ]}
        />
      )}
      {canWrite && expense.status !== 'void' ? (
        <div className="section">
          <ReceiptDropzone label="Upload a receipt" hint="PDF, PNG or JPEG: it is checked and read, and what it says shows here." onFile={(f) => upload.mutate(f)} busy={upload.isPending} />
          {upload.isPending ? <Loading label="Uploading…" /> : null}
          <FormError error={upload.error} />
          {uploaded ? (
            <p className="ok-box" role="status">
              {uploaded}
            </p>
          ) : null}
        </div>
      ) : null}
    </>
  );
}

export default function ExpensePage() {
  const { expenseId = '' } = useParams();
  const { orgId } = useOrg();
  const canWrite = useCan('booksWrite');
  const [mode, setMode] = useState<'view' | 'edit' | 'pay'>('view');
  const [notice, setNotice] = useState<string | null>(null);
  const q = useQuery({
    queryKey: keys.expense(orgId, expenseId),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/expenses/{expenseId}', { orgId, expenseId }, undefined, { signal }),
    refetchInterval: (query) => (query.state.data?.receipts.some((r) => r.status === 'pending') && query.state.dataUpdateCount < 120 ? 1500 : false),
  });
  const back = (
    <Link to={`/orgs/${orgId}/expenses`} className="btn">
      All expenses
    </Link>
  );
  if (q.isPending)
    return (
      <>
        <PageHeader title="Expense" actions={back} />
        <Loading />
      </>
    );
  if (q.error)
    return (
      <>
        <PageHeader title="Expense" actions={back} />
        <ErrorState error={q.error} />
      </>
    );
  const e = q.data;
  const live = e.status !== 'void';
  return (
    <>
      <PageHeader
        title={`Expense of ${formatMoney(e.amount)}`}
        actions={
          <>
            {back}
            {canWrite && live && mode !== 'edit' ? (
              <button
                type="button"
                className="btn"
                onClick={() => {
                  setNotice(null);
                  setMode('edit');
                }}
              >
                Edit expense
              </button>
            ) : null}
            {canWrite && e.status === 'unpaid' && mode !== 'pay' ? (
              <button
                type="button"
                className="btn primary"
                onClick={() => {
                  setNotice(null);
                  setMode('pay');
                }}
              >
                Pay bill
              </button>
            ) : null}
            {canWrite && live ? <VoidAction expense={e} /> : null}
          </>
        }
      >
        <p>
          <StatusBadge status={e.status} /> <span className="muted">{formatDay(e.date)}</span>
        </p>
      </PageHeader>
      {e.status === 'pending_approval' ? (
        <p className="exp-held" role="note">
          <strong>Awaiting approval.</strong> It is not booked until its approval workflow completes (rejected, it is void).{' '}
          <Link to={`/orgs/${orgId}/workflows`}>Open Approvals</Link>
        </p>
      ) : null}
      {notice ? (
        <p className="ok-box" role="status">
          {notice}
        </p>
      ) : null}
      {mode === 'pay' && e.status === 'unpaid' ? (
        <Section title="Pay bill">
          <PayBillForm
            expense={e}
            label="Pay this bill"
            onCancel={() => setMode('view')}
            onDone={(x) => {
              setMode('view');
              setNotice(`Paid on ${formatDay(x.paidOn)}.`);
            }}
          />
        </Section>
      ) : null}
      {mode === 'edit' && live ? (
        <Section title="Edit expense">
          <EditExpense
            expense={e}
            onCancel={() => setMode('view')}
            onDone={() => {
              setMode('view');
              setNotice('Saved.');
            }}
          />
        </Section>
      ) : null}
      <Section title="Details">
        <dl className="facts card">
          <Fact label="Date">{formatDay(e.date)}</Fact>
          <Fact label="Amount">
            <MoneyText value={e.amount} />
          </Fact>
          <Fact label="Status">
            <StatusBadge status={e.status} />
          </Fact>
          <Fact label="Account">
            <AccountName id={e.accountId} />
          </Fact>
          <Fact label="Vendor">
            <VendorName id={e.vendorId} />
          </Fact>
          <Fact label="Where">
            <ScopeSummary expense={e} />
          </Fact>
          {e.paidFrom ? (
            <Fact label="Paid from">
              <AccountName id={e.paidFrom} />
            </Fact>
          ) : null}
          {e.paidOn ? <Fact label="Paid on">{formatDay(e.paidOn)}</Fact> : null}
          {e.dueDate ? <Fact label="Due">{formatDay(e.dueDate)}</Fact> : null}
          {e.voidedOn ? <Fact label="Voided on">{formatDay(e.voidedOn)}</Fact> : null}
          <Fact label="Memo">{e.memo || '—'}</Fact>
          <Fact label="Reference">{e.reference || '—'}</Fact>
          {e.recurringId ? (
            <Fact label="Recurring">
              <Link to={`/orgs/${orgId}/recurring-expenses`}>From a recurring expense</Link>
            </Fact>
          ) : null}
        </dl>
      </Section>
      {e.splits && e.splits.length ? (
        <Section title="Parts">
          <Table
            caption="Parts"
            rows={e.splits.map((p, i) => ({ ...p, i }))}
            rowKey={(p) => String(p.i)}
            columns={[
              { header: 'Part', cell: (p) => `Part ${p.i + 1}` },
              { header: 'Building', cell: (p) => <BuildingName id={p.buildingId} /> },
              { header: 'Unit', cell: (p) => (p.unitId ? <UnitName id={p.unitId} /> : '—') },
              { header: 'Amount', numeric: true, cell: (p) => <MoneyText value={p.amount} /> },
            ]}
          />
        </Section>
      ) : null}
      <Section title="Receipts">
        <Receipts expense={e} />
      </Section>
    </>
  );
}
