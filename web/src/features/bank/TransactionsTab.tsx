/**
 * `bank/unmatched|matched|ignored`: the bank transactions in one status, newest first, paged.
 * Unmatched ones carry the API's ranked suggestions (each matched with one click) and can be
 * booked as a new expense (or several: a split) or ignored; matched ones say what they matched
 * and who matched them, and can be unmatched; ignored ones can be restored.
 */
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiPost, type Schemas } from '@/api/client';
import { ApiError } from '@/api/problem';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { SelectField, TextField } from '@/components/Field';
import { LoadMore, usePaged } from '@/components/Paged';
import { Table, type Column } from '@/components/Table';
import { formatDay, formatInstant } from '@/lib/dates';
import { formatMoney } from '@/lib/money';
import { useCan, useOrg } from '@/lib/org';
import { bankTransactionsKey } from '@/lib/plaid';
import { BankAmount, Description, MatchedBy, MatchedLines, kindLabel } from './BankBits';
import { CreateExpenseForm, SplitForm } from './ExpenseForms';
import { accountLabel, bankAccounts, useAccounts, type BankTransaction, type Suggestion } from './lookups';

export type Status = 'unmatched' | 'matched' | 'ignored';

interface Filters {
  accountId: string;
  from: string;
  to: string;
}
const NO_FILTERS: Filters = { accountId: '', from: '', to: '' };

type Notice = { ok: ReactNode } | { error: unknown; what: string } | null;

function FilterBar({ value, onChange }: { value: Filters; onChange: (f: Filters) => void }) {
  const accounts = useAccounts();
  const set = (patch: Partial<Filters>) => onChange({ ...value, ...patch });
  return (
    <form className="form filters" role="search" aria-label="Filter bank transactions" onSubmit={(e) => e.preventDefault()}>
      <div className="form-row">
        <SelectField label="Bank account" name="accountId" value={value.accountId} onChange={(e) => set({ accountId: e.target.value })}>
          <option value="">All bank accounts</option>
          {bankAccounts(accounts.data).map((a) => (
            <option key={a.id} value={a.id}>
              {accountLabel(a)}
            </option>
          ))}
        </SelectField>
        <TextField label="From" name="from" type="date" value={value.from} onChange={(e) => set({ from: e.target.value })} />
        <TextField label="To" name="to" type="date" value={value.to} onChange={(e) => set({ to: e.target.value })} />
      </div>
      {Object.values(value).some(Boolean) ? (
        <div className="form-actions">
          <button type="button" className="btn" onClick={() => onChange(NO_FILTERS)}>
            Clear filters
          </button>
        </div>
      ) : null}
    </form>
  );
}

/** POSTs `…:match|:unmatch|:ignore` and refreshes every list (a transaction moves between tabs). */
function useAction(onDone: (after: BankTransaction) => void, onError: (e: unknown) => void) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ t, action, body }: { t: BankTransaction; action: 'match' | 'unmatch' | 'ignore'; body?: Schemas['MatchBankTransaction'] }) => {
      const params = { orgId, id: t.id };
      if (action === 'match') return apiPost('/api/v1/orgs/{orgId}/bank-transactions/{id}:match', params, body ?? {});
      if (action === 'unmatch') return apiPost('/api/v1/orgs/{orgId}/bank-transactions/{id}:unmatch', params, undefined);
      return apiPost('/api/v1/orgs/{orgId}/bank-transactions/{id}:ignore', params, undefined);
    },
    onSuccess: async (after) => {
      await Promise.all([qc.invalidateQueries({ queryKey: bankTransactionsKey(orgId) }), qc.invalidateQueries({ queryKey: ['orgs', orgId, 'expenses'] })]);
      onDone(after);
    },
    onError,
  });
}

function matchBody(s: Suggestion): Schemas['MatchBankTransaction'] {
  if (s.kind === 'payment') return { paymentId: s.id };
  if (s.kind === 'payout') return { payoutId: s.id };
  return { expenseId: s.id };
}

const what = (s: Suggestion) => `${kindLabel(s.kind).toLowerCase()} of ${formatMoney(s.amount)} on ${formatDay(s.date)}`;

/** The ranked candidates, best first, each with its score and (for who may write) "Match". */
function Suggestions({ t, canWrite, notify }: { t: BankTransaction; canWrite: boolean; notify: (n: Notice) => void }) {
  const match = useAction(
    () => notify({ ok: `Matched ${t.description} (${formatMoney(t.amount)}): it is now under Matched.` }),
    (e) => notify({ error: e, what: `Matching ${t.description}` }),
  );
  const list = t.suggestions ?? [];
  if (!list.length) return <span className="muted bank-note">No recorded payment, payout or expense of this amount nearby.</span>;
  return (
    <ul className="bank-suggestions">
      {list.map((s) => (
        <li key={`${s.kind}:${s.id}`}>
          <span>
            <strong>{kindLabel(s.kind)}</strong> · {formatDay(s.date)} · <BankAmount value={s.amount} />
            {s.description ? <> · {s.description}</> : null} <span className="bank-score">score {s.score}</span>
          </span>
          {canWrite ? (
            <button type="button" className="btn" aria-label={`Match to the ${what(s)}`} disabled={match.isPending} onClick={() => match.mutate({ t, action: 'match', body: matchBody(s) })}>
              Match
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

type Open = { t: BankTransaction; mode: 'expense' | 'split' } | null;

function UnmatchedActions({ t, open, setOpen, notify }: { t: BankTransaction; open: Open; setOpen: (o: Open) => void; notify: (n: Notice) => void }) {
  const ignore = useAction(
    () => notify({ ok: `Ignored ${t.description}: it is under Ignored, off the books.` }),
    (e) => notify({ error: e, what: `Ignoring ${t.description}` }),
  );
  const out = t.direction === 'out';
  const toggle = (mode: 'expense' | 'split') => {
    notify(null);
    setOpen(open?.t.id === t.id && open.mode === mode ? null : { t, mode });
  };
  return (
    <span className="bank-actions">
      {out ? (
        <>
          <button type="button" className="btn" aria-expanded={open?.t.id === t.id && open.mode === 'expense'} onClick={() => toggle('expense')}>
            Create expense
          </button>
          <button type="button" className="btn" aria-expanded={open?.t.id === t.id && open.mode === 'split'} onClick={() => toggle('split')}>
            Split
          </button>
        </>
      ) : null}
      <button type="button" className="btn" disabled={ignore.isPending} onClick={() => ignore.mutate({ t, action: 'ignore' })}>
        Ignore
      </button>
    </span>
  );
}

/** "Unmatch" (a second click confirms: the books move the money back) or "Restore" (an ignored one). */
function UndoAction({ t, notify }: { t: BankTransaction; notify: (n: Notice) => void }) {
  const [armed, setArmed] = useState(false);
  const ignored = t.status === 'ignored';
  const undo = useAction(
    () => {
      setArmed(false);
      notify({ ok: ignored ? `Restored ${t.description}: it is under Unmatched again.` : `Unmatched ${t.description}: the records it matched stay; it is under Unmatched again.` });
    },
    (e) => {
      setArmed(false);
      notify({ error: e, what: `${ignored ? 'Restoring' : 'Unmatching'} ${t.description}` });
    },
  );
  if (ignored)
    return (
      <button type="button" className="btn" disabled={undo.isPending} onClick={() => undo.mutate({ t, action: 'unmatch' })}>
        Restore
      </button>
    );
  if (!armed)
    return (
      <button type="button" className="btn" onClick={() => setArmed(true)}>
        Unmatch
      </button>
    );
  return (
    <span className="bank-actions">
      <button type="button" className="btn danger" disabled={undo.isPending} onClick={() => undo.mutate({ t, action: 'unmatch' })}>
        Confirm unmatch
      </button>
      <button type="button" className="btn" onClick={() => setArmed(false)}>
        Cancel
      </button>
    </span>
  );
}

/** Why a row's action failed, in a sentence (a 409 says the transaction changed meanwhile). */
function failure(error: unknown): string {
  if (error instanceof ApiError) return error.problem.detail === error.problem.title ? error.problem.detail : `${error.problem.title}: ${error.problem.detail}`;
  return error instanceof Error ? error.message : 'Something went wrong.';
}

const EMPTY: Record<Status, string> = {
  unmatched: 'Nothing to match: every bank transaction is matched or ignored.',
  matched: 'No matched bank transactions yet.',
  ignored: 'No ignored bank transactions.',
};
const CAPTION: Record<Status, string> = { unmatched: 'Unmatched bank transactions', matched: 'Matched bank transactions', ignored: 'Ignored bank transactions' };

export default function TransactionsTab({ status }: { status: Status }) {
  const { orgId, org } = useOrg();
  const canWrite = useCan('booksWrite');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const list = usePaged([...bankTransactionsKey(orgId), status, filters], (cursor, signal) =>
    apiGet(
      '/api/v1/orgs/{orgId}/bank-transactions',
      { orgId },
      { status, cursor, accountId: filters.accountId || undefined, from: filters.from || undefined, to: filters.to || undefined },
      { signal },
    ),
  );

  const base: Column<BankTransaction>[] = [
    { header: 'Date', cell: (t) => formatDay(t.date) },
    { header: 'Description', cell: (t) => <Description t={t} /> },
    { header: 'Amount', numeric: true, cell: (t) => <BankAmount value={t.amount} /> },
  ];
  const columns: Column<BankTransaction>[] =
    status === 'unmatched'
      ? [
          ...base,
          { header: 'Suggestions', cell: (t) => <Suggestions t={t} canWrite={canWrite} notify={setNotice} /> },
          ...(canWrite ? [{ header: 'Actions', cell: (t: BankTransaction) => <UnmatchedActions t={t} open={open} setOpen={setOpen} notify={setNotice} /> }] : []),
        ]
      : status === 'matched'
        ? [
            ...base,
            { header: 'Matched to', cell: (t) => <MatchedLines lines={t.matches} /> },
            {
              header: 'Matched by',
              cell: (t) => (
                <span className="bank-by">
                  <MatchedBy by={t.matchedBy} />
                  <br />
                  <span className="muted">{formatInstant(t.matchedAt, org.timezone)}</span>
                </span>
              ),
            },
            ...(canWrite ? [{ header: 'Action', cell: (t: BankTransaction) => <UndoAction t={t} notify={setNotice} /> }] : []),
          ]
        : [...base, ...(canWrite ? [{ header: 'Action', cell: (t: BankTransaction) => <UndoAction t={t} notify={setNotice} /> }] : [])];

  const formLabel = (t: BankTransaction, mode: 'expense' | 'split') =>
    `${mode === 'expense' ? 'Create an expense from' : 'Split'} ${t.description} (${formatMoney(t.amount)} on ${formatDay(t.date)})`;
  const booked = (after: BankTransaction) => {
    setOpen(null);
    const expense = after.matches.find((l) => l.kind === 'expense');
    setNotice({
      ok: (
        <>
          Booked {after.description} as {after.matches.length > 1 ? `${after.matches.length} expenses` : 'an expense'}: it is now under Matched.{' '}
          {expense && after.matches.length === 1 ? <Link to={`/orgs/${orgId}/expenses/${expense.id}`}>View the expense</Link> : null}
        </>
      ),
    });
  };

  return (
    <>
      <FilterBar value={filters} onChange={setFilters} />
      {notice && 'ok' in notice ? (
        <p className="ok-box" role="status">
          {notice.ok}
        </p>
      ) : null}
      {notice && 'error' in notice ? (
        <div role="alert" className="error-box">
          <strong>{notice.what} failed.</strong> {failure(notice.error)}
        </div>
      ) : null}
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : list.items.length === 0 && !list.hasNextPage ? (
        <Empty>{Object.values(filters).some(Boolean) ? 'No bank transactions match these filters.' : EMPTY[status]}</Empty>
      ) : list.items.length === 0 ? (
        <>
          {/* The bank-account filter is applied to each page the API reads: a page can come back empty before the last. */}
          <p className="muted">None so far; there are more to look through.</p>
          <LoadMore query={list} />
        </>
      ) : (
        <>
          <Table caption={CAPTION[status]} rows={list.items} rowKey={(t) => t.id} columns={columns} />
          <LoadMore query={list} />
        </>
      )}
      {open && canWrite && status === 'unmatched' ? (
        open.mode === 'expense' ? (
          <CreateExpenseForm key={`e:${open.t.id}`} t={open.t} label={formLabel(open.t, 'expense')} onCancel={() => setOpen(null)} onDone={booked} />
        ) : (
          <SplitForm key={`s:${open.t.id}`} t={open.t} label={formLabel(open.t, 'split')} onCancel={() => setOpen(null)} onDone={booked} />
        )
      ) : null}
    </>
  );
}
