import { useId, useRef, useState, type DragEvent, type MouseEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiPost, type Schemas } from '@/api/client';
import { ApiError } from '@/api/problem';
import { FormError, TextField } from '@/components/Field';
import { Section } from '@/components/Page';
import { LoadMore, usePaged } from '@/components/Paged';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatInstant } from '@/lib/dates';
import { useCan, useOrg } from '@/lib/org';
import { formatSize, putToPresigned } from '@/lib/upload';
import { keys } from './data';

type ContentType = Schemas['ContentType'];
type DocumentListItem = Awaited<ReturnType<typeof listDocuments>>['items'][number];

const BY_EXTENSION: Record<string, ContentType> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  heic: 'image/heic',
  webp: 'image/webp',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv',
};
const ACCEPTED = new Set<string>(Object.values(BY_EXTENSION));
const ACCEPT_ATTR = ['.pdf', '.png', '.jpg', '.jpeg', '.heic', '.webp', '.docx', '.csv', ...ACCEPTED].join(',');
/** Polls of a pending upload before leaving it to the next visit. */
const MAX_POLLS = 15;
const POLL_MS = 700;

/** The file's type as the browser knows it, or as its extension says; the API refuses the rest (400). */
export function contentTypeOf(file: { name: string; type: string }): string {
  if (ACCEPTED.has(file.type)) return file.type;
  const ext = file.name.includes('.') ? file.name.split('.').pop()?.toLowerCase() ?? '' : '';
  return BY_EXTENSION[ext] ?? (file.type || 'application/octet-stream');
}

const FIELD_WORDS: Record<string, string> = { contentType: 'File type', sizeBytes: 'File size', name: 'File name', expiresOn: 'Expires on' };

/** Why an upload failed, in words: the API's field errors (type, size) or its detail. */
export function uploadErrorText(error: unknown): string {
  if (error instanceof ApiError) {
    const errs = error.problem.errors ?? [];
    if (errs.length) return errs.map((e) => `${FIELD_WORDS[e.field] ?? e.field}: ${e.message}.`).join(' ');
    if (error.status === 413) return 'The file is too large (at most 25 MB).';
    return error.problem.detail || error.problem.title;
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}

function listDocuments(orgId: string, leaseId: string, cursor: string | undefined, signal: AbortSignal) {
  return apiGet('/api/v1/orgs/{orgId}/documents', { orgId }, { subjectType: 'lease', subjectId: leaseId, cursor }, { signal });
}

/**
 * The lease's documents: list, download, upload by drop or file picker (with an optional expiry),
 * each one's versions, and a new version of it.
 */
export function DocumentsSection({ leaseId }: { leaseId: string }) {
  const { orgId } = useOrg();
  const canUpload = useCan('documentWrite');
  const docs = usePaged(keys.documents(orgId, leaseId), (cursor, signal) => listDocuments(orgId, leaseId, cursor, signal));
  return (
    <Section title="Documents">
      {canUpload ? <UploadZone leaseId={leaseId} /> : null}
      {docs.isPending ? (
        <Loading label="Loading documents…" />
      ) : docs.error ? (
        <ErrorState error={docs.error} />
      ) : docs.items.length === 0 ? (
        <Empty>No documents yet.</Empty>
      ) : (
        <>
          <Table<DocumentListItem>
            caption="Lease documents"
            rows={docs.items}
            rowKey={(d) => d.id}
            columns={[
              { header: 'Name', cell: (d) => d.name },
              { header: 'Size', numeric: true, cell: (d) => <DocumentFacts documentId={d.id} show="size" /> },
              { header: 'Status', cell: (d) => <DocumentFacts documentId={d.id} show="status" /> },
              { header: 'Uploaded', cell: (d) => <DocumentFacts documentId={d.id} show="uploaded" /> },
              { header: 'Download', cell: (d) => <DownloadLink documentId={d.id} name={d.name} /> },
              { header: 'Versions', cell: (d) => <Versions documentId={d.id} name={d.name} /> },
              ...(canUpload ? [{ header: 'New version', cell: (d: DocumentListItem) => <NewVersion leaseId={leaseId} documentId={d.id} name={d.name} /> }] : []),
            ]}
          />
          <LoadMore query={docs} />
        </>
      )}
    </Section>
  );
}

/** One document with its versions; polled a few times while its latest version is pending. */
function useDocument(documentId: string) {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: keys.document(orgId, documentId),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/documents/{documentId}', { orgId, documentId }, undefined, { signal }),
    refetchInterval: (q) => {
      const d = q.state.data;
      const latest = d?.versions.find((v) => v.version === d.latestVersion);
      return latest?.status === 'pending' && q.state.dataUpdateCount <= MAX_POLLS ? POLL_MS : false;
    },
  });
}

function DocumentFacts({ documentId, show }: { documentId: string; show: 'size' | 'status' | 'uploaded' }) {
  const { org } = useOrg();
  const doc = useDocument(documentId);
  if (doc.error) return show === 'status' ? <span className="field-error">could not be read</span> : null;
  const d = doc.data;
  const latest = d?.versions.find((v) => v.version === d.latestVersion);
  if (!latest) return <span className="muted">…</span>;
  if (show === 'size') return <>{formatSize(latest.sizeBytes)}</>;
  if (show === 'uploaded') return <>{formatInstant(latest.checkedAt ?? latest.createdAt, org.timezone)}</>;
    return (
    <span className={`status leases-doc-status-${latest.status}`}>
      {latest.status}
      {latest.status === 'rejected' && latest.rejectedReason ? `: ${latest.rejectedReason}` : null}
      {d && d.latestVersion > 1 ? ` (version ${d.latestVersion})` : null}
    </span>
  );
}

/**
 * "Download <name>": the link carries the short presigned URL the document's GET answered; a
 * click after it expired asks for a fresh one first.
 */
function DownloadLink({ documentId, name }: { documentId: string; name: string }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const doc = useDocument(documentId);
  const [error, setError] = useState<unknown>(null);
  const download = doc.data?.download;
  if (!download) return <span className="muted">{doc.isPending ? '…' : 'Not available'}</span>;
  const onClick = async (e: MouseEvent<HTMLAnchorElement>) => {
    if (Date.parse(download.expiresAt) - Date.now() > 15_000) return;
    e.preventDefault();
    try {
      const fresh = await qc.fetchQuery({
        queryKey: keys.document(orgId, documentId),
        queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/documents/{documentId}', { orgId, documentId }, undefined, { signal }),
        staleTime: 0,
      });
      if (fresh.download) window.location.assign(fresh.download.url);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <a href={download.url} download={name} onClick={(e) => void onClick(e)} rel="noopener" aria-label={`Download ${name}`}>
        Download
      </a>
      {error ? <FormError error={error} /> : null}
    </>
  );
}

type Upload = { name: string; state: 'creating' | 'sending' | 'checking' | 'done' | 'failed'; error?: unknown };

/** The drop zone with a visible file input: create the document, PUT the bytes, refetch. */
function UploadZone({ leaseId }: { leaseId: string }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const inputId = useId();
  const [over, setOver] = useState(false);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [expiresOn, setExpiresOn] = useState('');
  const count = useRef(0);

  const set = (i: number, u: Partial<Upload>) => setUploads((us) => us.map((x, j) => (j === i ? { ...x, ...u } : x)));

  const uploadOne = async (file: File, i: number, expires: string) => {
    try {
      const body: Schemas['CreateDocument'] = {
        subject: { type: 'lease', id: leaseId },
        name: file.name,
        contentType: contentTypeOf(file) as ContentType,
        sizeBytes: file.size,
      };
      // Only when set: an expiry opens an obligation that falls due that day.
      if (expires) body.expiresOn = expires;
      const doc = await apiPost('/api/v1/orgs/{orgId}/documents', { orgId }, body);
      if (!doc.upload) throw new Error('The API answered no upload link.');
      set(i, { state: 'sending' });
      await putToPresigned(doc.upload, file);
      set(i, { state: 'checking' });
      qc.setQueryData(keys.document(orgId, doc.id), { ...doc, upload: null });
      await qc.invalidateQueries({ queryKey: keys.documents(orgId, leaseId) });
      // The version turns from pending to available once its bytes are checked.
      await qc.invalidateQueries({ queryKey: keys.document(orgId, doc.id) });
      set(i, { state: 'done' });
    } catch (err) {
      set(i, { state: 'failed', error: err });
    }
  };

  const start = (files: FileList | null) => {
    if (!files || files.length === 0) return;
    const list = Array.from(files);
    const base = count.current;
    count.current += list.length;
    setUploads((prev) => [...prev, ...list.map((f) => ({ name: f.name, state: 'creating' as const }))]);
    list.forEach((f, k) => void uploadOne(f, base + k, expiresOn));
    setExpiresOn('');
  };

  const onDrag = (e: DragEvent<HTMLDivElement>, isOver: boolean) => {
    e.preventDefault();
    e.stopPropagation();
    setOver(isOver);
  };

  // The status line names no file: the list below shows it (one name on screen, one match).
  const busy = uploads.filter((u) => u.state === 'creating' || u.state === 'sending').length;
  const checking = uploads.filter((u) => u.state === 'checking').length;
  const done = uploads.filter((u) => u.state === 'done').length;
  const statusText = busy
    ? `Uploading ${busy === 1 ? 'the file' : `${busy} files`}…`
    : checking
      ? 'Checking the upload…'
      : done
        ? `${done === 1 ? 'The file was' : `${done} files were`} uploaded.`
        : '';

  return (
    <div className="leases-upload">
      <div className="form-row leases-upload-expiry">
        <TextField
          label="Expires on"
          name="expiresOn"
          type="date"
          value={expiresOn}
          onChange={(e) => setExpiresOn(e.target.value)}
          hint="Optional, for the next upload: a document that lapses (insurance, a permit) falls due then."
        />
      </div>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        onDragEnter={(e) => onDrag(e, true)}
        onDragOver={(e) => onDrag(e, true)}
        onDragLeave={(e) => onDrag(e, false)}
        onDrop={(e) => {
          onDrag(e, false);
          start(e.dataTransfer.files);
        }}
      >
        <p className="muted">Drop files here (PDF, image, Word .docx or CSV, up to 25 MB), or choose one:</p>
        <label htmlFor={inputId}>Upload a document</label>{' '}
        <input
          id={inputId}
          type="file"
          accept={ACCEPT_ATTR}
          multiple
          onChange={(e) => {
            start(e.target.files);
            e.target.value = '';
          }}
        />
      </div>
      <div role="status" aria-live="polite">
        {statusText ? <p className="muted leases-uploads">{statusText}</p> : null}
      </div>
      {uploads.map((u, i) =>
        u.state === 'failed' ? (
          <div key={i} role="alert" className="error-box">
            <strong>{u.name} was not uploaded.</strong> {uploadErrorText(u.error)}
          </div>
        ) : null,
      )}
    </div>
  );
}

/**
 * "Versions (n)": a disclosure listing every version of the document, newest first (size, status,
 * when uploaded in the org's time zone). Its list is rendered only while open, so the file's name
 * appears once on the page.
 */
function Versions({ documentId, name }: { documentId: string; name: string }) {
  const { org } = useOrg();
  const doc = useDocument(documentId);
  const [open, setOpen] = useState(false);
  const d = doc.data;
  if (!d) return <span className="muted">{doc.error ? '—' : '…'}</span>;
  const versions = [...d.versions].sort((a, b) => b.version - a.version);
  return (
    <details className="leases-versions" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Versions ({d.versions.length})</summary>
      {open ? (
        <ul aria-label={`Versions of ${name}`}>
          {versions.map((v) => (
            <li key={v.version}>
              Version {v.version}
              {v.version === d.latestVersion ? ' (latest)' : ''} · {formatSize(v.sizeBytes)} ·{' '}
              <span className={`status leases-doc-status-${v.status}`}>
                {v.status}
                {v.status === 'rejected' && v.rejectedReason ? `: ${v.rejectedReason}` : null}
              </span>{' '}
              · uploaded {formatInstant(v.createdAt, org.timezone)}
            </li>
          ))}
        </ul>
      ) : null}
    </details>
  );
}

type VersionUpload = { state: 'idle' | 'sending' | 'checking' | 'done' | 'failed'; version?: number; error?: unknown };

/**
 * "Upload new version of <name>": `POST …/documents/{id}/versions`, PUT the bytes to the presigned
 * URL exactly as a first upload does, then refetch. The input is named by `aria-label` so the
 * file's name is not repeated as visible text.
 */
function NewVersion({ leaseId, documentId, name }: { leaseId: string; documentId: string; name: string }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const [upload, setUpload] = useState<VersionUpload>({ state: 'idle' });

  const start = async (file: File | undefined) => {
    if (!file) return;
    setUpload({ state: 'sending' });
    try {
      const doc = await apiPost('/api/v1/orgs/{orgId}/documents/{documentId}/versions', { orgId, documentId }, {
        contentType: contentTypeOf(file) as ContentType,
        sizeBytes: file.size,
      });
      if (!doc.upload) throw new Error('The API answered no upload link.');
      await putToPresigned(doc.upload, file);
      setUpload({ state: 'checking', version: doc.latestVersion });
      qc.setQueryData(keys.document(orgId, doc.id), { ...doc, upload: null });
      await qc.invalidateQueries({ queryKey: keys.documents(orgId, leaseId) });
      await qc.invalidateQueries({ queryKey: keys.document(orgId, doc.id) });
      setUpload({ state: 'done', version: doc.latestVersion });
    } catch (err) {
      setUpload({ state: 'failed', error: err });
    }
  };

  const busy = upload.state === 'sending' || upload.state === 'checking';
  return (
    <div className="leases-new-version">
      <input
        type="file"
        accept={ACCEPT_ATTR}
        aria-label={`Upload new version of ${name}`}
        disabled={busy}
        onChange={(e) => {
          void start(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
      <div role="status" aria-live="polite">
        {upload.state === 'sending' ? <p className="muted">Uploading the new version…</p> : null}
        {upload.state === 'checking' ? <p className="muted">Checking the upload…</p> : null}
        {upload.state === 'done' ? <p className="muted">Version {upload.version} uploaded.</p> : null}
      </div>
      {upload.state === 'failed' ? (
        <p role="alert" className="field-error">
          The new version was not uploaded. {uploadErrorText(upload.error)}
        </p>
      ) : null}
    </div>
  );
}
