/**
 * Exports: a button asks for a file (`POST …/exports`, answered `pending`), the screen polls
 * `GET …/exports/{exportId}` until it is `ready` (a "Download …" link to its short-lived URL) or
 * `failed` (the reason); the recent exports list pages with the API's cursors.
 */
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiPost, type Schemas } from '@/api/client';
import { FormError } from '@/components/Field';
import { LoadMore, usePaged } from '@/components/Paged';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatDay, formatInstant } from '@/lib/dates';
import { useOrg } from '@/lib/org';

export type ExportKind = Schemas['ExportKind'];
export type Export = Schemas['Export'];
export type CreateExport = Schemas['CreateExport'];

/** What each kind is called: the button reads "Export <name>", the link "Download <name>". */
export const EXPORT_NAMES: Record<ExportKind, string> = {
  'year-end': 'year-end (ZIP)',
  'general-ledger-csv': 'general ledger (CSV)',
  hledger: 'hledger',
  beancount: 'Beancount',
  'owner-pack-pdf': 'owner pack (PDF)',
};

export const exportsKey = (orgId: string) => ['orgs', orgId, 'exports'] as const;
const exportsListKey = (orgId: string) => [...exportsKey(orgId), 'list'] as const;
const exportKey = (orgId: string, id: string) => [...exportsKey(orgId), 'item', id] as const;

/** How often a pending export is asked about again, and a ready one's link renewed. */
const POLL_MS = 1500;
const RENEW_MS = 4 * 60_000;

export interface ExportRequest {
  kind: ExportKind;
  /** The body to send; `null` while the parameters it needs are not valid. */
  body: CreateExport | null;
}

/**
 * One button per kind; each request is followed until its file is ready. `fields` are the
 * fields the page shows (so their errors show there rather than in the summary).
 */
export function ExportButtons({ requests, shown = [], pollMs = POLL_MS, onError }: { requests: ExportRequest[]; shown?: string[]; pollMs?: number; onError?: (e: unknown) => void }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const [started, setStarted] = useState<Export[]>([]);
  const create = useMutation({
    mutationFn: (body: CreateExport) => apiPost('/api/v1/orgs/{orgId}/exports', { orgId }, body),
    onSuccess: (exp) => {
      setStarted((s) => [exp, ...s]);
      onError?.(null);
      void qc.invalidateQueries({ queryKey: exportsListKey(orgId) });
    },
    onError: (e) => onError?.(e),
  });
  return (
    <div className="export-buttons">
      <div className="actions">
        {requests.map((r) => (
          <button
            key={r.kind}
            type="button"
            className="btn"
            disabled={!r.body || (create.isPending && create.variables?.kind === r.kind)}
            onClick={() => {
              if (r.body) create.mutate(r.body);
            }}
          >
            Export {EXPORT_NAMES[r.kind]}
          </button>
        ))}
      </div>
      <FormError error={create.error} shown={shown} />
      {started.length ? (
        <ul className="export-progress" aria-label="Requested exports">
          {started.map((e) => (
            <li key={e.id}>
              <ExportProgress initial={e} pollMs={pollMs} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * Follows one export: asked at once and again every `pollMs` while pending, its link renewed
 * while ready (the list carries none); the list is refreshed when its status changes.
 */
function useExport(initial: Export, pollMs: number) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  return useQuery({
    queryKey: exportKey(orgId, initial.id),
    queryFn: async ({ signal }) => {
      const exp = await apiGet('/api/v1/orgs/{orgId}/exports/{exportId}', { orgId, exportId: initial.id }, undefined, { signal });
      if (exp.status !== initial.status) void qc.invalidateQueries({ queryKey: exportsListKey(orgId) });
      return exp;
    },
    // Shown until the first answer; a failed one is final.
    placeholderData: initial,
    enabled: initial.status !== 'failed',
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'pending' ? pollMs : status === 'ready' ? RENEW_MS : false;
    },
  });
}

/** One export being built: pending → "Preparing…"; ready → Download link; failed → the reason. */
export function ExportProgress({ initial, pollMs = POLL_MS }: { initial: Export; pollMs?: number }) {
  const q = useExport(initial, pollMs);
  const exp = q.data ?? initial;
  const name = EXPORT_NAMES[exp.kind];
  if (exp.status === 'ready' && exp.download) {
    return (
      <div className="ok-box export-ready">
        <a className="btn primary" href={exp.download.url} download={exp.filename}>
          Download {name}
        </a>{' '}
        <span className="muted">
          {exp.filename}
          {exp.size != null ? ` · ${formatSize(exp.size)}` : ''}
        </span>
      </div>
    );
  }
  if (exp.status === 'failed') {
    return (
      <div role="alert" className="error-box">
        <strong>The {name} export failed.</strong> {exp.error ?? 'No reason was given.'}
      </div>
    );
  }
  return (
    <div className="export-pending" role="status">
      Preparing {name}… <span className="muted">({exp.filename})</span>
      {q.error ? <ErrorState error={q.error} /> : null}
    </div>
  );
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A row's status and file: a pending one is followed like a new one; a ready one's link is read. */
function ListStatus({ exp }: { exp: Export }) {
  const q = useExport(exp, POLL_MS);
  const cur = q.data ?? exp;
  return (
    <span className={`status export-${cur.status}`} title={cur.error ?? undefined}>
      {STATUS_TEXT[cur.status]}
    </span>
  );
}

function ListFile({ exp }: { exp: Export }) {
  const q = useExport(exp, POLL_MS);
  const cur = q.data ?? exp;
  if (cur.status === 'ready' && cur.download) {
    return (
      <a href={cur.download.url} download={cur.filename}>
        {cur.filename}
      </a>
    );
  }
  if (cur.status === 'failed') return <span className="field-error">{cur.error ?? 'Failed'}</span>;
  return <span className="muted">{cur.filename}</span>;
}

const STATUS_TEXT: Record<Schemas['ExportStatus'], string> = { pending: 'Preparing', ready: 'Ready', failed: 'Failed' };

/** The org's exports, newest first, with their status and (when ready) a link to the file. */
export function RecentExports() {
  const { orgId, org } = useOrg();
  const list = usePaged<Export>(exportsListKey(orgId), (cursor, signal) => apiGet('/api/v1/orgs/{orgId}/exports', { orgId }, { limit: 20, cursor }, { signal }));
  if (list.isPending) return <Loading />;
  if (list.error) return <ErrorState error={list.error} />;
  if (!list.items.length) return <Empty>No exports yet.</Empty>;
  return (
    <>
      <Table
        caption="Recent exports"
        rowKey={(e) => e.id}
        rows={list.items}
        columns={[
          { header: 'Kind', cell: (e) => EXPORT_NAMES[e.kind] },
          { header: 'Covers', cell: (e) => `${formatDay(e.from)} – ${formatDay(e.to)}` },
          { header: 'Status', cell: (e) => <ListStatus exp={e} /> },
          { header: 'Requested', cell: (e) => formatInstant(e.createdAt, org.timezone) },
          { header: 'File', cell: (e) => <ListFile exp={e} /> },
          { header: 'Size', numeric: true, cell: (e) => (e.size != null ? formatSize(e.size) : '—') },
        ]}
      />
      <LoadMore query={list} />
    </>
  );
}
