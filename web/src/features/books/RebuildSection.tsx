/**
 * Rebuilding the books from their sources: the last rebuild (status, when, what it found) and, for
 * the owner, asking for one. A rebuild is queued behind the org's money events; while it is
 * requested or running its status is polled until it is done or failed.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiPost, type Schemas } from '@/api/client';
import { ApiError } from '@/api/problem';
import { FormError, TextField } from '@/components/Field';
import { ErrorState, Loading } from '@/components/QueryState';
import { formatInstant } from '@/lib/dates';
import { useCan, useMe, useOrg } from '@/lib/org';
import { keys } from './lookups';

type Rebuild = Schemas['Rebuild'];
type RebuildStatus = Schemas['RebuildStatus'];

/** How often the status is asked for while a rebuild is under way. */
export const REBUILD_POLL_MS = 2000;

export function underWay(status: RebuildStatus | undefined): boolean {
  return status === 'requested' || status === 'running';
}

const STATUS_LABEL: Record<RebuildStatus, string> = { requested: 'Requested', running: 'Running', done: 'Done', failed: 'Failed' };

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Summary({ r }: { r: Rebuild }) {
  if (r.status === 'requested') return <p className="muted">Rebuild requested: it starts once the money events queued before it are posted…</p>;
  if (r.status === 'running') return <p className="muted">Rebuilding the books: the journal is re-posted from its sources…</p>;
  if (r.status === 'failed') {
    return (
      <p className="error-box">
        <strong>The last rebuild failed; the journal was left as it was.</strong> {r.error ?? ''}
      </p>
    );
  }
  const n = r.entries ?? 0;
  return r.sameHash === false ? (
    <p className="error-box">
      <strong>The last rebuild re-posted {n} {n === 1 ? 'entry' : 'entries'}, and the chain now ends on a different hash.</strong> The journal before it did not match
      what its sources give; the journal now does.
    </p>
  ) : (
    <p className="ok-box">
      <strong>
        The last rebuild re-posted {n} {n === 1 ? 'entry' : 'entries'}
        {r.sameHash ? ': the chain ends on the same hash as before.' : '.'}
      </strong>{' '}
      {r.sameHash ? 'The journal matched its sources.' : ''}
    </p>
  );
}

function LastRebuild({ r }: { r: Rebuild }) {
  const { org } = useOrg();
  const me = useMe();
  const by = me.data?.userId === r.requestedBy ? 'you' : r.requestedBy;
  return (
    <>
      <div role="status" aria-live="polite">
        <Summary r={r} />
      </div>
      <dl className="facts">
        <Fact label="Status">
          <span className={`status rebuild-${r.status}`}>{STATUS_LABEL[r.status]}</span>
        </Fact>
        <Fact label="Requested">
          {formatInstant(r.requestedAt, org.timezone)} by {by}
        </Fact>
        {r.reason ? <Fact label="Reason">{r.reason}</Fact> : null}
        {r.finishedAt ? <Fact label="Finished">{formatInstant(r.finishedAt, org.timezone)}</Fact> : null}
        {r.entries !== null && r.entries !== undefined ? <Fact label="Entries re-posted">{r.entries}</Fact> : null}
        {r.previousHash ? (
          <Fact label="Last hash before">
            <span className="hash">{r.previousHash}</span>
          </Fact>
        ) : null}
        {r.hash ? (
          <Fact label="Last hash after">
            <span className="hash">{r.hash}</span>
          </Fact>
        ) : null}
      </dl>
    </>
  );
}

export function RebuildSection() {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const canRebuild = useCan('booksRebuild');
  const last = useQuery({
    queryKey: keys.rebuild(orgId),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/books/rebuild', { orgId }, undefined, { signal }),
    refetchInterval: (q) => (underWay(q.state.data?.status) ? REBUILD_POLL_MS : false),
  });
  const never = last.error instanceof ApiError && last.error.status === 404 && !last.data;
  const status = last.data?.status;

  // When a rebuild this screen watched finishes, what it re-posted is read again.
  const seen = useRef(status);
  useEffect(() => {
    const was = seen.current;
    seen.current = status;
    if (underWay(was) && (status === 'done' || status === 'failed')) {
      void qc.invalidateQueries({ queryKey: keys.journal(orgId) });
      void qc.invalidateQueries({ queryKey: keys.trialBalance(orgId) });
      void qc.invalidateQueries({ queryKey: keys.accounts(orgId) });
      void qc.resetQueries({ queryKey: keys.verify(orgId) });
    }
  }, [status, qc, orgId]);

  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const rebuild = useMutation({
    mutationFn: (body: Schemas['RebuildRequest']) => apiPost('/api/v1/orgs/{orgId}/books:rebuild', { orgId }, body),
    onSuccess: (r) => {
      qc.setQueryData(keys.rebuild(orgId), r);
      setConfirming(false);
      setReason('');
    },
    onError: (e) => {
      // 409: one is already under way — show it (and poll it).
      if (e instanceof ApiError && e.status === 409) void qc.invalidateQueries({ queryKey: keys.rebuild(orgId) });
    },
  });
  const busy = underWay(status);

  return (
    <div className="rebuild">
      <p className="muted">Deletes the journal and re-posts every entry from its sources (money events, depreciation, manual entries) in the same order; the same sources give the same hashes. Owner only; audited.</p>
      {last.isPending ? <Loading /> : never ? <p className="empty">The books have not been rebuilt.</p> : last.error && !last.data ? <ErrorState error={last.error} /> : last.data ? <LastRebuild r={last.data} /> : null}
      {canRebuild ? (
        confirming ? (
          <form
            className="form card"
            aria-label="Rebuild the books"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              rebuild.mutate(reason.trim() ? { reason: reason.trim() } : {});
            }}
          >
            <FormError error={rebuild.error} shown={['reason']} />
            <p>New postings wait until the rebuild finishes. If an entry cannot be derived again, nothing is deleted.</p>
            <TextField label="Reason" name="reason" value={reason} onChange={(e) => setReason(e.target.value)} error={rebuild.error} maxLength={500} hint="Optional; kept in the audit log" />
            <div className="form-actions">
              <button type="submit" className="btn danger" disabled={rebuild.isPending}>
                Confirm rebuild
              </button>
              <button
                type="button"
                className="btn"
                onClick={() => {
                  setConfirming(false);
                  rebuild.reset();
                }}
              >
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setConfirming(true)} disabled={busy}>
              Rebuild books
            </button>
          </div>
        )
      ) : null}
    </div>
  );
}
