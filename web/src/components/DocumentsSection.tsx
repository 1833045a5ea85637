/**
 * A subject's documents (a lease's papers, a maintenance request's photos): list, download,
 * upload by drop or file picker, each one's versions, and a new version of it. Shared by the
 * features whose records carry documents (`subject: {type, id}` of the documents API).
 */
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

type ContentType = Schemas['ContentType'];
export type DocumentSubject = Schemas['DocumentSubject'];
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
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/heic', 'image/webp', 'application/pdf'];

/** Query keys of documents: a subject's list, and one document (with its versions and download). */
export const documentKeys = {
  list: (orgId: string, subject: DocumentSubject) => ['orgs', orgId, 'documents', subject.type, subject.id] as const,
  one: (orgId: string, documentId: string) => ['orgs', orgId, 'documents', documentId] as const,
};

/** What the section is for: papers of any accepted type (with an optional expiry), or photos. */
export type DocumentsKind = 'documents' | 'photos';

const WORDS: Record<DocumentsKind, { upload: string; drop: string; empty: string; loading: string; accept: string }> = {
  documents: {
    upload: 'Upload a document',
    drop: 'Drop files here (PDF, image, Word .docx or CSV, up to 25 MB), or choose one:',
    empty: 'No documents yet.',
    loading: 'Loading documents…',
    accept: ['.pdf', '.png', '.jpg', '.jpeg', '.heic', '.webp', '.docx', '.csv', ...ACCEPTED].join(','),
  },
  photos: {
    upload: 'Upload a photo',
    drop: 'Drop photos here (JPEG, PNG, HEIC or WebP, or a PDF, up to 25 MB), or choose one:',
    empty: 'No photos yet.',
    loading: 'Loading photos…',
    accept: ['.jpg', '.jpeg', '.png', '.heic', '.webp', '.pdf', ...PHOTO_TYPES].join(','),
  },
};
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

function listDocuments(orgId: string, subject: DocumentSubject, cursor: string | undefined, signal: AbortSignal) {
  return apiGet('/api/v1/orgs/{orgId}/documents', { orgId }, { subjectType: subject.type, subjectId: subject.id, cursor }, { signal });
}

/**
 * The subject's documents: list, download, upload by drop or file picker (with an optional
 * expiry where `expiry` is set), each one's versions, and a new version of it. `photos` words it
 * for pictures and shows a preview of each image.
 */
export function DocumentsSection({
  subject,
  title = 'Documents',
  caption = 'Documents',
  kind = 'documents',
  expiry = false,
}: {
  subject: DocumentSubject;
  title?: string;
  caption?: string;
  kind?: DocumentsKind;
  expiry?: boolean;
}) {
  const { orgId } = useOrg();
  const canUpload = useCan('documentWrite');
  const words = WORDS[kind];
  const docs = usePaged(documentKeys.list(orgId, subject), (cursor, signal) => listDocuments(orgId, subject, cursor, signal));
  return (
    <Section title={title}>
      {canUpload ? <UploadZone subject={subject} kind={kind} expiry={expiry} /> : null}
      {docs.isPending ? (
        <Loading label={words.loading} />
      ) : docs.error ? (
        <ErrorState error={docs.error} />
      ) : docs.items.length === 0 ? (
        <Empty>{words.empty}</Empty>
      ) : (
        <>
          <Table<DocumentListItem>
            caption={caption}
            rows={docs.items}
            rowKey={(d) => d.id}
            columns={[
              ...(kind === 'photos' ? [{ header: 'Preview', cell: (d: DocumentListItem) => <Preview documentId={d.id} name={d.name} /> }] : []),
              { header: 'Name', cell: (d) => d.name },
              { header: 'Size', numeric: true, cell: (d) => <DocumentFacts documentId={d.id} show="size" /> },
              { header: 'Status', cell: (d) => <DocumentFacts documentId={d.id} show="status" /> },
              { header: 'Uploaded', cell: (d) => <DocumentFacts documentId={d.id} show="uploaded" /> },
              { header: 'Download', cell: (d) => <DownloadLink documentId={d.id} name={d.name} /> },
              { header: 'Versions', cell: (d) => <Versions documentId={d.id} name={d.name} /> },
              ...(canUpload ? [{ header: 'New version', cell: (d: DocumentListItem) => <NewVersion subject={subject} kind={kind} documentId={d.id} name={d.name} /> }] : []),
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
    queryKey: documentKeys.one(orgId, documentId),
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
    <span className={`status doc-status-${latest.status}`}>
      {latest.status}
      {latest.status === 'rejected' && latest.rejectedReason ? `: ${latest.rejectedReason}` : null}
      {d && d.latestVersion > 1 ? ` (version ${d.latestVersion})` : null}
    </span>
  );
}

/** A small picture of an available image (its download link); nothing for a PDF or while pending. */
function Preview({ documentId, name }: { documentId: string; name: string }) {
  const doc = useDocument(documentId);
  const d = doc.data;
  const latest = d?.versions.find((v) => v.version === d.latestVersion);
  if (!d?.download || !latest || !latest.contentType.startsWith('image/') || latest.contentType === 'image/heic') return <span className="muted">—</span>;
  return <img className="doc-preview" src={d.download.url} alt={`Photo: ${name}`} loading="lazy" />;
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
        queryKey: documentKeys.one(orgId, documentId),
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
function UploadZone({ subject, kind, expiry }: { subject: DocumentSubject; kind: DocumentsKind; expiry: boolean }) {
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
        subject: { type: subject.type, id: subject.id },
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
      qc.setQueryData(documentKeys.one(orgId, doc.id), { ...doc, upload: null });
      await qc.invalidateQueries({ queryKey: documentKeys.list(orgId, subject) });
      // The version turns from pending to available once its bytes are checked.
      await qc.invalidateQueries({ queryKey: documentKeys.one(orgId, doc.id) });
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
    <div className="doc-upload">
      {expiry ? (
        <div className="form-row doc-upload-expiry">
          <TextField
            label="Expires on"
            name="expiresOn"
            type="date"
            value={expiresOn}
            onChange={(e) => setExpiresOn(e.target.value)}
            hint="Optional, for the next upload: a document that lapses (insurance, a permit) falls due then."
          />
        </div>
      ) : null}
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
        <p className="muted">{WORDS[kind].drop}</p>
        <label htmlFor={inputId}>{WORDS[kind].upload}</label>{' '}
        <input
          id={inputId}
          type="file"
          accept={WORDS[kind].accept}
          multiple
          onChange={(e) => {
            start(e.target.files);
            e.target.value = '';
          }}
        />
      </div>
      <div role="status" aria-live="polite">
        {statusText ? <p className="muted doc-uploads">{statusText}</p> : null}
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
    <details className="doc-versions" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Versions ({d.versions.length})</summary>
      {open ? (
        <ul aria-label={`Versions of ${name}`}>
          {versions.map((v) => (
            <li key={v.version}>
              Version {v.version}
              {v.version === d.latestVersion ? ' (latest)' : ''} · {formatSize(v.sizeBytes)} ·{' '}
              <span className={`status doc-status-${v.status}`}>
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
function NewVersion({ subject, kind, documentId, name }: { subject: DocumentSubject; kind: DocumentsKind; documentId: string; name: string }) {
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
      qc.setQueryData(documentKeys.one(orgId, doc.id), { ...doc, upload: null });
      await qc.invalidateQueries({ queryKey: documentKeys.list(orgId, subject) });
      await qc.invalidateQueries({ queryKey: documentKeys.one(orgId, doc.id) });
      setUpload({ state: 'done', version: doc.latestVersion });
    } catch (err) {
      setUpload({ state: 'failed', error: err });
    }
  };

  const busy = upload.state === 'sending' || upload.state === 'checking';
  return (
    <div className="doc-new-version">
      <input
        type="file"
        accept={WORDS[kind].accept}
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
