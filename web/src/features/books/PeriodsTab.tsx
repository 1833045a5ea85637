/**
 * Periods: months open or closed (a closed month takes no new postings), closing and reopening
 * them, verifying the books' hash chain and totals, and rebuilding the books from their sources.
 */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiPost, type Schemas } from '@/api/client';
import { Section } from '@/components/Page';
import { ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatInstant, monthLabel, todayIn } from '@/lib/dates';
import { formatMoney } from '@/lib/money';
import { useCan, useOrg } from '@/lib/org';
import { keys } from './lookups';
import { RebuildSection } from './RebuildSection';

interface MonthRow {
  month: string;
  status: Schemas['PeriodStatus'];
  changedAt?: string;
}

/** `YYYY-MM` of the `n` months up to and including `today`'s, newest first. */
export function recentMonths(today: string, n: number): string[] {
  let y = Number.parseInt(today.slice(0, 4), 10);
  let m = Number.parseInt(today.slice(5, 7), 10);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return out;
}

function MonthActions({ row }: { row: MonthRow }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const canClose = useCan('periodClose');
  const canReopen = useCan('periodReopen');
  const [confirming, setConfirming] = useState(false);
  const done = async () => {
    setConfirming(false);
    await Promise.all([qc.invalidateQueries({ queryKey: keys.periods(orgId) }), qc.invalidateQueries({ queryKey: keys.journal(orgId) })]);
  };
  const close = useMutation({ mutationFn: () => apiPost('/api/v1/orgs/{orgId}/periods/{month}:close', { orgId, month: row.month }, {}), onSuccess: done });
  const reopen = useMutation({ mutationFn: () => apiPost('/api/v1/orgs/{orgId}/periods/{month}:reopen', { orgId, month: row.month }, {}), onSuccess: done });
  const error = close.error ?? reopen.error;
  return (
    <span className="row-actions">
      {row.status === 'open' && canClose ? (
        <button type="button" className="btn" onClick={() => close.mutate()} disabled={close.isPending}>
          Close
        </button>
      ) : null}
      {row.status === 'closed' && canReopen ? (
        confirming ? (
          <>
            <button type="button" className="btn danger" onClick={() => reopen.mutate()} disabled={reopen.isPending}>
              Confirm reopen
            </button>
            <button type="button" className="btn" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" className="btn" onClick={() => setConfirming(true)}>
            Reopen
          </button>
        )
      ) : null}
      {error ? <ErrorState error={error} /> : null}
    </span>
  );
}

function Verify() {
  const { orgId } = useOrg();
  const v = useQuery({
    queryKey: keys.verify(orgId),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/books/verify', { orgId }, undefined, { signal }),
    enabled: false,
  });
  const r = v.data;
  return (
    <div className="verify">
      <button type="button" className="btn" onClick={() => void v.refetch()} disabled={v.isFetching}>
        Verify books
      </button>
      {v.isFetching ? <Loading label="Verifying the hash chain…" /> : null}
      {v.error && !v.isFetching ? <ErrorState error={v.error} /> : null}
      {r && !v.isFetching ? (
        r.ok ? (
          <div className="ok-box" role="status">
            <strong>The books verify.</strong> {r.entries} entries: the hash chain is intact and debits equal credits
            {r.totals.length ? ` (${r.totals.map((t) => `${formatMoney(t.debits)} each side`).join('; ')})` : ''}.
          </div>
        ) : (
          <div className="error-box" role="alert">
            <strong>The books do not verify.</strong>{' '}
            {r.firstBreak ? (
              <>
                First break at entry #{r.firstBreak.seq}
                {r.firstBreak.id ? (
                  <>
                    {' '}
                    (<Link to={`/orgs/${orgId}/books/journal/${r.firstBreak.id}`}>view it</Link>)
                  </>
                ) : null}
                : {r.firstBreak.reason}.
              </>
            ) : (
              'The totals do not balance.'
            )}{' '}
            {r.entries} entries checked.
          </div>
        )
      ) : null}
    </div>
  );
}

export default function PeriodsTab() {
  const { orgId, org } = useOrg();
  const canClose = useCan('periodClose');
  const canReopen = useCan('periodReopen');
  const canAct = canClose || canReopen;
  const periods = useQuery({
    queryKey: keys.periods(orgId),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/periods', { orgId }, undefined, { signal }),
  });
  const listed = new Map<string, Schemas['Period']>((periods.data?.items ?? []).map((p) => [p.month, p]));
  const months = new Set([...recentMonths(todayIn(org.timezone), 12), ...listed.keys()]);
  const rows: MonthRow[] = [...months]
    .sort((a, b) => b.localeCompare(a))
    .map((month) => {
      const p = listed.get(month);
      return { month, status: p?.status ?? 'open', changedAt: p?.changedAt };
    });
  return (
    <>
      <Section title="Verify">
        <p className="muted">Recomputes every entry’s hash from the one before it, and the totals.</p>
        <Verify />
      </Section>
      <Section title="Rebuild">
        <RebuildSection />
      </Section>
      <Section title="Periods">
        <p className="muted">A closed month takes no new postings: automatic ones dated in it land on the first open day; manual ones are refused. Reopening is the owner’s and is audited.</p>
        {periods.isPending ? (
          <Loading />
        ) : periods.error ? (
          <ErrorState error={periods.error} />
        ) : (
          <Table
            caption="Months and whether they are closed"
            rows={rows}
            rowKey={(r) => r.month}
            columns={[
              { header: 'Month', cell: (r) => monthLabel(r.month) },
              { header: 'Status', cell: (r) => <span className={`status period-${r.status}`}>{r.status === 'open' ? 'Open' : 'Closed'}</span> },
              { header: 'Last change', cell: (r) => (r.changedAt ? formatInstant(r.changedAt, org.timezone) : '—') },
              ...(canAct ? [{ header: 'Actions', cell: (r: MonthRow) => <MonthActions row={r} /> }] : []),
            ]}
          />
        )}
      </Section>
    </>
  );
}
