/**
 * Snap first, book later: a receipt uploaded without an expense becomes a draft the API fills from
 * what it reads; each draft here is polled until its receipt is read, and confirmed (booked) with
 * the suggestion pre-filled.
 */
import { useEffect, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiPost, type Schemas } from '@/api/client';
import { FormError, MoneyField, TextField } from '@/components/Field';
import { LoadMore, usePaged } from '@/components/Paged';
import { ErrorState, Loading } from '@/components/QueryState';
import { formatDay } from '@/lib/dates';
import { formatMoney, normalizeAmount, toMinor } from '@/lib/money';
import { useCan, useOrg } from '@/lib/org';
import { AccountSelect, VendorSelect } from './ExpenseForm';
import { confidenceText } from './ExpenseBits';
import { cashAccounts, keys, moneyInput, putToPresigned, RECEIPT_TYPES, useAccounts, type ExpenseWithReceipts, type UploadingReceipt } from './lookups';
import { DueDateField, PaymentFields, type PaidMode } from './PaymentFields';

export function contentTypeOf(file: File): string {
  if (file.type) return file.type;
  const ext = file.name.toLowerCase().split('.').pop();
  return ext === 'pdf' ? 'application/pdf' : ext === 'png' ? 'image/png' : ext === 'jpg' || ext === 'jpeg' ? 'image/jpeg' : 'application/octet-stream';
}

/** The file input labelled `label` inside a drop zone: each file chosen or dropped is handed to `onFile`. */
export function ReceiptDropzone({ label, hint, onFile, busy }: { label: string; hint: string; onFile: (f: File) => void; busy: boolean }) {
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer.files[0];
    if (f) onFile(f);
  };
  return (
    <div
      className={`dropzone${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <label className="dropzone-label">
        <span>{label}</span>
        <input
          type="file"
          accept={RECEIPT_TYPES.join(',')}
          disabled={busy}
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) onFile(f);
            e.target.value = '';
          }}
        />
      </label>
      <p className="muted">{hint}</p>
    </div>
  );
}

/** The "Upload receipt" drop zone: `POST …/receipts` (a draft), then the bytes to the presigned URL. */
export function SnapReceipt() {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const [done, setDone] = useState<string | null>(null);
  const snap = useMutation({
    mutationFn: async (file: File) => {
      const res = await apiPost('/api/v1/orgs/{orgId}/receipts', { orgId }, { name: file.name, contentType: contentTypeOf(file), sizeBytes: file.size });
      // The draft exists from here on: show it (pending) while the bytes go up.
      await qc.invalidateQueries({ queryKey: keys.expenses(orgId) });
      const receipt = res.receipt as UploadingReceipt;
      if (!receipt.upload) throw new Error('The API gave no upload for this receipt.');
      await putToPresigned(receipt.upload, file);
      return { file, res };
    },
    onMutate: () => setDone(null),
    onSuccess: async ({ file }) => {
      setDone(`Uploaded ${file.name}. It is being read; its draft is under “Drafts to confirm”.`);
      await qc.invalidateQueries({ queryKey: keys.expenses(orgId) });
    },
  });
  return (
    <div className="form">
      <ReceiptDropzone label="Upload receipt" hint="PDF, PNG or JPEG. Drop it here or choose a file: a draft expense is filled from what it says." onFile={(f) => snap.mutate(f)} busy={snap.isPending} />
      {snap.isPending ? <Loading label="Uploading…" /> : null}
      <FormError error={snap.error} />
      {done ? (
        <p className="ok-box" role="status">
          {done}
        </p>
      ) : null}
    </div>
  );
}

const POLL_MS = 1500;
const MAX_POLLS = 120;

function ReceiptLine({ receipt }: { receipt: Schemas['Receipt'] }) {
  const x = receipt.extracted;
  return (
    <div className="receipt-read">
      <p>
        <strong>{receipt.name}</strong> — <span className="status">{receiptStatusText(receipt.status)}</span>
        {receipt.reason ? <span className="muted"> ({receipt.reason})</span> : null}
      </p>
      {x ? (
        <dl className="facts">
          <div>
            <dt>Vendor name</dt>
            <dd>{x.vendorName ?? '—'}</dd>
          </div>
          <div>
            <dt>Date</dt>
            <dd>{formatDay(x.date)}</dd>
          </div>
          <div>
            <dt>Total</dt>
            <dd>{x.total ? formatMoney(x.total) : '—'}</dd>
          </div>
          <div>
            <dt>Confidence</dt>
            <dd>{confidenceText(x.confidence)}</dd>
          </div>
        </dl>
      ) : null}
    </div>
  );
}

export function receiptStatusText(s: Schemas['ReceiptStatus']): string {
  return s === 'pending' ? 'Reading…' : s === 'read' ? 'Read' : s === 'unreadable' ? 'Unreadable' : 'Rejected';
}

function ConfirmDraft({ draft, onBooked }: { draft: ExpenseWithReceipts; onBooked: (b: Booked) => void }) {
  const { orgId, org } = useOrg();
  const currency = draft.amount.currency || org.baseCurrency;
  const qc = useQueryClient();
  const accounts = useAccounts();
  const extracted = draft.receipts.find((r) => r.extracted)?.extracted;
  const draftAmount = toMinor(draft.amount.amount, currency) ? draft.amount.amount : extracted?.total?.amount ?? '';
  const [date, setDate] = useState(draft.date || extracted?.date || '');
  const [amount, setAmount] = useState(draftAmount);
  const [accountId, setAccountId] = useState(draft.accountId);
  const [vendorId, setVendorId] = useState(draft.vendorId ?? '');
  const [mode, setMode] = useState<PaidMode>('paid');
  const [paidFrom, setPaidFrom] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const effectivePaidFrom = paidFrom || cashAccounts(accounts.data)[0]?.id || '';
  const confirm = useMutation({
    mutationFn: (body: Schemas['ConfirmExpense']) => apiPost('/api/v1/orgs/{orgId}/expenses/{expenseId}:confirm', { orgId, expenseId: draft.id }, body),
    onSuccess: async (e) => {
      onBooked({ id: e.id, name: draft.receipts[0]?.name ?? e.id, amount: formatMoney(e.amount) });
      await qc.invalidateQueries({ queryKey: keys.expenses(orgId) });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    const norm = normalizeAmount(amount, currency);
    if (!date) errs.date = 'Enter the date.';
    if (norm === null || (toMinor(norm, currency) ?? 0n) <= 0n) errs.amount = `Enter an amount in ${currency}.`;
    if (!accountId) errs.accountId = 'Choose an account.';
    if (mode === 'paid' && !effectivePaidFrom) errs.paidFrom = 'Choose the account it was paid from.';
    if (mode === 'unpaid' && !dueDate) errs.dueDate = 'Enter the due date.';
    setInvalid(errs);
    if (Object.keys(errs).length) return;
    confirm.mutate({
      date,
      amount: moneyInput(norm ?? amount, currency),
      accountId,
      vendorId: vendorId || null,
      ...(mode === 'paid' ? { paidFrom: effectivePaidFrom, status: 'paid' as const } : { status: 'unpaid' as const, dueDate }),
    });
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={`Confirm draft ${draft.receipts[0]?.name ?? draft.id}`}>
      <FormError error={confirm.error} shown={['date', 'amount', 'accountId', 'vendorId', 'paidFrom', 'dueDate', 'status']} />
      <div className="form-row">
        <TextField label="Draft date" name="date" type="date" value={date} onChange={(e) => setDate(e.target.value)} error={confirm.error} invalid={invalid.date} required />
        <MoneyField label="Draft amount" name="amount" currency={currency} value={amount} onChange={setAmount} error={confirm.error} invalid={invalid.amount} required />
      </div>
      <div className="form-row">
        <AccountSelect label="Draft account" value={accountId} onChange={setAccountId} error={confirm.error} invalid={invalid.accountId} />
        <VendorSelect label="Draft vendor" value={vendorId} onChange={setVendorId} error={confirm.error} />
      </div>
      <PaymentFields
        mode={mode}
        onMode={setMode}
        paidFrom={effectivePaidFrom}
        onPaidFrom={setPaidFrom}
        error={confirm.error}
        clientErrors={invalid}
        labels={{ paidFrom: 'Draft paid from', legend: 'Draft payment' }}
        due={<DueDateField label="Draft due date" value={dueDate} onChange={setDueDate} error={confirm.error} invalid={invalid.dueDate} />}
      />
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={confirm.isPending}>
          Confirm
        </button>
      </div>
    </form>
  );
}

function DraftCard({ id, onBooked }: { id: string; onBooked: (b: Booked) => void }) {
  const { orgId } = useOrg();
  const canWrite = useCan('booksWrite');
  const q = useQuery({
    queryKey: keys.expense(orgId, id),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/expenses/{expenseId}', { orgId, expenseId: id }, undefined, { signal }),
    refetchInterval: (query) => {
      const d = query.state.data;
      const pending = !d || d.receipts.some((r) => r.status === 'pending');
      return pending && query.state.dataUpdateCount < MAX_POLLS ? POLL_MS : false;
    },
  });
  const qc = useQueryClient();
  const pending = q.data?.receipts.some((r) => r.status === 'pending') ?? false;
  const wasPending = useRef(pending);
  useEffect(() => {
    // The read filled the draft: the lists showing it (amount, date, vendor) are stale.
    if (wasPending.current && !pending) void qc.invalidateQueries({ queryKey: [...keys.expenses(orgId), 'list'] });
    wasPending.current = pending;
  }, [pending, qc, orgId]);
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorState error={q.error} />;
  const draft = q.data;
  const title = draft.receipts[0]?.name ?? 'Receipt';
  return (
    <article className="card draft-card" aria-label={`Draft from ${title}`}>
      <h3>
        <Link to={`/orgs/${orgId}/expenses/${draft.id}`}>{title}</Link>
      </h3>
      {draft.receipts.length === 0 ? <p className="muted">No receipt uploaded yet.</p> : null}
      {draft.receipts.map((r) => (
        <ReceiptLine key={r.id} receipt={r} />
      ))}
      {pending ? (
        <p className="muted" role="status">
          Reading the receipt… the form fills in when it is read.
        </p>
      ) : null}
      {draft.status !== 'draft' ? (
        <p className="ok-box" role="status">
          Booked. <Link to={`/orgs/${orgId}/expenses/${draft.id}`}>View the expense</Link>
        </p>
      ) : canWrite ? (
        // Re-mounted when the read fills the draft, so the suggestion lands in the form.
        <ConfirmDraft key={draft.updatedAt} draft={draft} onBooked={onBooked} />
      ) : null}
    </article>
  );
}

interface Booked {
  id: string;
  name: string;
  amount: string;
}

export function DraftsSection() {
  const { orgId } = useOrg();
  const [booked, setBooked] = useState<Booked[]>([]);
  const bookedList = booked.length ? (
    <ul className="ok-box booked" role="status">
      {booked.map((b) => (
        <li key={b.id}>
          Booked {b.amount} from {b.name}. <Link to={`/orgs/${orgId}/expenses/${b.id}`}>View the expense</Link>
        </li>
      ))}
    </ul>
  ) : null;
  const onBooked = (b: Booked) => setBooked((xs) => [b, ...xs.filter((x) => x.id !== b.id)]);
  const drafts = usePaged(['orgs', orgId, 'expenses', 'list', { status: 'draft' }], (cursor, signal) =>
    apiGet('/api/v1/orgs/{orgId}/expenses', { orgId }, { status: 'draft', cursor, limit: 20 }, { signal }),
  );
  if (drafts.isPending) return <Loading />;
  if (drafts.error) return <ErrorState error={drafts.error} />;
  if (!drafts.items.length)
    return (
      <>
        {bookedList}
        <p className="empty">No drafts. Upload a receipt to start one.</p>
      </>
    );
  return (
    <div className="drafts">
      {bookedList}
      {drafts.items.map((d) => (
        <DraftCard key={d.id} id={d.id} onBooked={onBooked} />
      ))}
      <LoadMore query={drafts} />
    </div>
  );
}
