/** The journal, newest first (filtered by dates, account and source), and manual entries. */
import { Fragment, useState } from 'react';
import { Link } from 'react-router-dom';
import { apiGet, type Schemas } from '@/api/client';
import { SelectField, TextField } from '@/components/Field';
import { Section } from '@/components/Page';
import { LoadMore, usePaged } from '@/components/Paged';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { MoneyText } from '@/components/Money';
import { formatDay } from '@/lib/dates';
import { formatMoney, sumAmounts } from '@/lib/money';
import { useCan, useOrg } from '@/lib/org';
import { ManualEntryForm } from './ManualEntryForm';
import { AccountName } from './names';
import { accountLabel, keys, SOURCE_TYPES, sourceLabel, useAccounts } from './lookups';

type Entry = Schemas['JournalEntry'];

interface Filters {
  from: string;
  to: string;
  accountId: string;
  source: string;
}
const NONE: Filters = { from: '', to: '', accountId: '', source: '' };

/** Σ debits per currency of an entry, exactly. */
export function entryTotals(e: Pick<Entry, 'lines'>): Schemas['MoneyDto'][] {
  const by = new Map<string, string[]>();
  for (const l of e.lines) if (l.debit) by.set(l.debit.currency, [...(by.get(l.debit.currency) ?? []), l.debit.amount]);
  return [...by.entries()].map(([currency, amounts]) => ({ currency, amount: sumAmounts(amounts, currency) ?? '—' }));
}

function EntryLines({ entry }: { entry: Entry }) {
  return (
    <table className="lines-table">
      <caption className="sr-only">Lines of entry #{entry.seq}</caption>
      <thead>
        <tr>
          <th scope="col">Account</th>
          <th scope="col" className="num">
            Debit
          </th>
          <th scope="col" className="num">
            Credit
          </th>
        </tr>
      </thead>
      <tbody>
        {entry.lines.map((l, i) => (
          <tr key={i}>
            <td>
              <AccountName id={l.accountId} code={l.accountCode} />
            </td>
            <td className="num">{l.debit ? <MoneyText value={l.debit} /> : ''}</td>
            <td className="num">{l.credit ? <MoneyText value={l.credit} /> : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EntriesTable({ entries }: { entries: Entry[] }) {
  const { orgId } = useOrg();
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  return (
    <div className="table-wrap journal-wrap" role="region" aria-label="Journal entries" tabIndex={0}>
      <table>
        <caption className="sr-only">Journal entries, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Seq</th>
            <th scope="col">Date</th>
            <th scope="col">Memo</th>
            <th scope="col">Source</th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col">Lines</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <Fragment key={e.id}>
              <tr>
                <td>
                  <Link to={`/orgs/${orgId}/books/journal/${e.id}`}>#{e.seq}</Link>
                </td>
                <td>
                  {formatDay(e.date)}
                  {e.originalDate ? <span className="muted"> (for {formatDay(e.originalDate)})</span> : null}
                </td>
                <td className="wrap">{e.memo}</td>
                <td>{sourceLabel(e.source.type)}</td>
                <td className="num">{entryTotals(e).map((m) => formatMoney(m)).join(', ')}</td>
                <td>
                  <button type="button" className="link-button" aria-expanded={open.has(e.id)} onClick={() => toggle(e.id)}>
                    {open.has(e.id) ? 'Hide' : 'Show'} {e.lines.length} lines<span className="sr-only"> of entry #{e.seq}</span>
                  </button>
                </td>
              </tr>
              {open.has(e.id) ? (
                <tr className="expanded">
                  <td colSpan={6}>
                    <EntryLines entry={e} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function JournalTab() {
  const { orgId } = useOrg();
  const canWrite = useCan('booksWrite');
  const accounts = useAccounts();
  const [filters, setFilters] = useState<Filters>(NONE);
  const [creating, setCreating] = useState(false);
  const [posted, setPosted] = useState<Entry | null>(null);
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const list = usePaged([...keys.journal(orgId), 'list', filters], (cursor, signal) =>
    apiGet(
      '/api/v1/orgs/{orgId}/journal',
      { orgId },
      { cursor, from: filters.from || undefined, to: filters.to || undefined, accountId: filters.accountId || undefined, source: filters.source || undefined },
      { signal },
    ),
  );

  if (creating && canWrite) {
    return (
      <Section title="New journal entry">
        <ManualEntryForm
          onCancel={() => setCreating(false)}
          onDone={(e) => {
            setPosted(e);
            setCreating(false);
          }}
        />
      </Section>
    );
  }

  const sorted = [...(accounts.data ?? [])].sort((a, b) => a.code.localeCompare(b.code, undefined, { numeric: true }));
  return (
    <Section
      title="Journal"
      actions={
        canWrite ? (
          <button
            type="button"
            className="btn primary"
            onClick={() => {
              setPosted(null);
              setCreating(true);
            }}
          >
            New journal entry
          </button>
        ) : null
      }
    >
      {posted ? (
        <p className="ok-box" role="status">
          Posted entry <Link to={`/orgs/${orgId}/books/journal/${posted.id}`}>#{posted.seq}</Link>.
        </p>
      ) : null}
      <form className="form filters" role="search" aria-label="Filter the journal" onSubmit={(e) => e.preventDefault()}>
        <div className="form-row">
          <TextField label="From" name="from" type="date" value={filters.from} onChange={(e) => set({ from: e.target.value })} />
          <TextField label="To" name="to" type="date" value={filters.to} onChange={(e) => set({ to: e.target.value })} />
          <SelectField label="Account" name="accountId" value={filters.accountId} onChange={(e) => set({ accountId: e.target.value })}>
            <option value="">All accounts</option>
            {sorted.map((a) => (
              <option key={a.id} value={a.id}>
                {accountLabel(a)}
              </option>
            ))}
          </SelectField>
          <SelectField label="Source" name="source" value={filters.source} onChange={(e) => set({ source: e.target.value })}>
            <option value="">All sources</option>
            {SOURCE_TYPES.map(([t, label]) => (
              <option key={t} value={t}>
                {label}
              </option>
            ))}
          </SelectField>
        </div>
        {Object.values(filters).some(Boolean) ? (
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setFilters(NONE)}>
              Clear filters
            </button>
          </div>
        ) : null}
      </form>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : list.items.length === 0 ? (
        <Empty>{Object.values(filters).some(Boolean) ? 'No entries match these filters.' : 'No journal entries yet.'}</Empty>
      ) : (
        <>
          <EntriesTable entries={list.items} />
          <LoadMore query={list} />
        </>
      )}
    </Section>
  );
}
