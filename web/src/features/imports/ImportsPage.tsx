/**
 * Import: tenants, units, leases, payments, expenses or opening balances from a CSV file. A dry run (the default) checks every row and reports
 * each problem by line and column; a clean dry run is then committed. Processing is asynchronous:
 * after the upload the import is polled until it is checked, imported or failed. Past imports
 * are listed below, each one reopened with "Show".
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormError, SelectField } from '@/components/Field';
import { PageHeader, Section } from '@/components/Page';
import { LoadMore, usePaged } from '@/components/Paged';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatInstant } from '@/lib/dates';
import { IMPORT_KINDS, importKindLabel, type ImportKind } from '@/lib/importKinds';
import { useCan, useOrg } from '@/lib/org';
import { formatSize } from '@/lib/upload';
import { commitImport, downloadTemplate, getImport, keys, listImports, PENDING, startImport, STATUS_WORDS, type Import } from './data';
import './imports.css';

const POLL_MS = 1000;
const MAX_BYTES = 10 * 1024 * 1024;
const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

export default function ImportsPage() {
  const canWrite = useCan('leasingWrite');
  const [current, setCurrent] = useState<string | null>(null);
  return (
    <>
      <PageHeader title="Import">
        <p className="muted">Bring tenants, units, leases, payments, expenses or opening balances in from a spreadsheet saved as CSV: check the file first, fix what it reports, then import it.</p>
      </PageHeader>
      {canWrite ? <ImportForm onStarted={setCurrent} /> : <p className="muted">Your role can see past imports but not start one.</p>}
      {current ? <CurrentImport importId={current} /> : null}
      <PastImports current={current} onShow={setCurrent} />
    </>
  );
}

/** Kind, template, file, then "Check (dry run)" or "Import now". */
function ImportForm({ onStarted }: { onStarted: (importId: string) => void }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const fileId = useId();
  const [kind, setKind] = useState<ImportKind>('tenants');
  const [file, setFile] = useState<File | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const [inputKey, setInputKey] = useState(0);
  const [phase, setPhase] = useState<'idle' | 'sending'>('idle');
  const template = useMutation({ mutationFn: () => downloadTemplate(orgId, kind) });
  const start = useMutation({
    mutationFn: ({ f, dryRun }: { f: File; dryRun: boolean }) => startImport(orgId, kind, f, dryRun),
    onMutate: () => setPhase('sending'),
    onSettled: () => setPhase('idle'),
    onSuccess: async (imp) => {
      qc.setQueryData(keys.one(orgId, imp.id), imp);
      onStarted(imp.id);
      setFile(null);
      setInputKey((k) => k + 1);
      await qc.invalidateQueries({ queryKey: keys.list(orgId) });
    },
  });
  const info = IMPORT_KINDS.find((k) => k.value === kind) ?? IMPORT_KINDS[0];

  const go = (dryRun: boolean) => {
    const why = !file ? 'Choose a CSV file.' : file.size === 0 ? 'The file is empty.' : file.size > MAX_BYTES ? 'The file is larger than 10 MB: split it in parts.' : null;
    setInvalid(why);
    if (why || !file) return;
    start.mutate({ f: file, dryRun });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go(true);
  };
  const busy = phase === 'sending';

  return (
    <form className="form card imports-form" onSubmit={submit} noValidate aria-labelledby="new-import-heading">
      <h2 id="new-import-heading">New import</h2>
      <FormError error={start.error} shown={[]} />
      <div className="form-row">
        <SelectField label="What to import" name="kind" value={kind} onChange={(e) => setKind(e.target.value as ImportKind)} hint={`Columns: ${info?.columns}. Required: ${info?.required}.`}>
          {IMPORT_KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </SelectField>
        <div className={`field${invalid ? ' has-error' : ''}`}>
          <label htmlFor={fileId}>CSV file</label>
          <input
            key={inputKey}
            id={fileId}
            type="file"
            accept=".csv,text/csv"
            aria-invalid={invalid ? true : undefined}
            aria-describedby={invalid ? `${fileId}-err` : `${fileId}-hint`}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setInvalid(null);
            }}
          />
          {invalid ? (
            <small id={`${fileId}-err`} className="field-error" role="alert">
              {invalid}
            </small>
          ) : (
            <small id={`${fileId}-hint`} className="hint">
              {file ? `${file.name}, ${formatSize(file.size)}` : 'Saved as CSV (UTF-8), the header on line 1, up to 10 MB.'}
            </small>
          )}
        </div>
      </div>
      <p className="imports-template">
        <button type="button" className="btn" disabled={template.isPending} onClick={() => template.mutate()}>
          {template.isPending ? 'Downloading…' : `Download the ${info?.label.toLowerCase()} template`}
        </button>{' '}
        <span className="muted">Its header and two example rows: replace them with yours.</span>
      </p>
      <FormError error={template.error} />
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={busy}>
          Check (dry run)
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => go(false)}>
          Import now
        </button>
        <span className="muted">A dry run writes nothing: it shows every problem, and a clean file is then imported with “Commit”.</span>
      </div>
      <div role="status" aria-live="polite">
        {busy ? <p className="muted">Uploading the file…</p> : null}
      </div>
    </form>
  );
}

/** The import being followed: polled while it moves, then its result. */
function CurrentImport({ importId }: { importId: string }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: keys.one(orgId, importId),
    queryFn: ({ signal }) => getImport(orgId, importId, signal),
    refetchInterval: (query) => {
      const s = query.state.data?.status;
      return s && PENDING.has(s) ? POLL_MS : false;
    },
  });
  const status = q.data?.status;
  // Once it settles, the list below shows it as it ended.
  useEffect(() => {
    if (status && !PENDING.has(status)) void qc.invalidateQueries({ queryKey: keys.list(orgId) });
  }, [qc, orgId, importId, status]);
  return (
    <Section title="Result">
      {q.isPending ? <Loading /> : q.error ? <ErrorState error={q.error} /> : <ImportResult imp={q.data} />}
    </Section>
  );
}

function progressText(imp: Import): string {
  switch (imp.status) {
    case 'uploading':
      return 'Uploaded; waiting for the file to reach processing…';
    case 'validating':
      return 'Checking every row…';
    case 'committing':
      return imp.counts.valid ? `Importing… ${count(imp.counts.created)} of ${count(imp.counts.valid)} written.` : 'Importing…';
    default:
      return '';
  }
}

function ImportResult({ imp }: { imp: Import }) {
  const pending = PENDING.has(imp.status);
  const c = imp.counts;
  const committed = imp.status === 'committed';
  return (
    <div className="imports-result" data-testid="import-result">
      <p>
        <strong>{imp.name}</strong> · {importKindLabel(imp.kind)} · {imp.dryRun ? 'dry run' : 'import'} ·{' '}
        <span className={`status imports-status-${imp.status}`}>{STATUS_WORDS[imp.status]}</span>
      </p>
      <div role="status" aria-live="polite">
        {pending ? <p className="muted">{progressText(imp)}</p> : null}
        {!pending ? <p>{summary(imp)}</p> : null}
      </div>
      {imp.status === 'failed' ? (
        <div role="alert" className="error-box">
          <strong>The file could not be read.</strong> {imp.failure ?? ''}
        </div>
      ) : null}
      {imp.status !== 'uploading' && imp.status !== 'failed' ? (
        <dl className="imports-counts" aria-label="Counts">
          <Count label="Rows" value={c.rows} />
          <Count label={committed || imp.status === 'committing' ? 'To write' : 'Valid'} value={c.valid} />
          <Count label="Already there" value={c.existing} />
          <Count label="Rows with errors" value={c.invalid} />
          {committed || imp.status === 'committing' ? (
            <>
              <Count label="Created" value={c.created} />
              <Count label="Could not be written" value={c.failed} />
            </>
          ) : null}
        </dl>
      ) : null}
      <CommitAction imp={imp} />
      {imp.errorCount > 0 ? <RowErrors imp={imp} /> : null}
    </div>
  );
}

function summary(imp: Import): string {
  const c = imp.counts;
  switch (imp.status) {
    case 'validated':
      if (imp.errorCount > 0)
        return imp.dryRun
          ? `Checked ${plural(c.rows, 'row', 'rows')}: ${plural(imp.errorCount, 'error', 'errors')} in ${plural(c.invalid, 'row', 'rows')}. Nothing was written.`
          : `Nothing was imported: the file has ${plural(imp.errorCount, 'error', 'errors')}. Fix them and import it again.`;
      return `Checked ${plural(c.rows, 'row', 'rows')}: no errors. ${plural(c.valid, 'row is', 'rows are')} ready to import${c.existing ? `, ${count(c.existing)} already there` : ''}.`;
    case 'committed':
      return `Imported: ${count(c.created)} created${c.existing ? `, ${count(c.existing)} already there (skipped)` : ''}${c.failed ? `, ${count(c.failed)} could not be written` : ''}.`;
    case 'failed':
      return 'The import failed.';
    default:
      return '';
  }
}

function Count({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{count(value)}</dd>
    </div>
  );
}

/** "Commit" for a validated dry run; while errors remain it is disabled, with the reason. */
function CommitAction({ imp }: { imp: Import }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const canWrite = useCan('leasingWrite');
  const reasonId = useId();
  const commit = useMutation({
    mutationFn: () => commitImport(orgId, imp.id),
    onSuccess: async (after) => {
      qc.setQueryData(keys.one(orgId, imp.id), after);
      await qc.invalidateQueries({ queryKey: keys.list(orgId) });
    },
  });
  if (!canWrite || !imp.dryRun || imp.status !== 'validated') return null;
  const blocked = imp.errorCount > 0;
  return (
    <div className="imports-commit">
      <FormError error={commit.error} />
      <button
        type="button"
        className="btn primary"
        disabled={blocked || commit.isPending}
        aria-describedby={blocked ? reasonId : undefined}
        onClick={() => commit.mutate()}
      >
        {commit.isPending ? 'Committing…' : `Commit ${plural(imp.counts.valid, importKindLabel(imp.kind).toLowerCase().replace(/s$/, ''), importKindLabel(imp.kind).toLowerCase())}`}
      </button>
      {blocked ? (
        <p id={reasonId} className="muted">
          Nothing can be committed while the file has errors: fix the lines below in your spreadsheet and check it again.
        </p>
      ) : null}
    </div>
  );
}

type IndexedError = Import['errors'][number] & { i: number };

/** Every error kept (the API keeps the first 1,000; `errorCount` is exact), by line and column. */
function RowErrors({ imp }: { imp: Import }) {
  const rows: IndexedError[] = imp.errors.map((e, i) => ({ ...e, i }));
  return (
    <div className="imports-errors">
      <h3>{plural(imp.errorCount, 'error', 'errors')}</h3>
      {imp.errorCount > imp.errors.length ? (
        <p className="muted">
          The first {count(imp.errors.length)} of {count(imp.errorCount)} are listed.
        </p>
      ) : null}
      <Table<IndexedError>
        caption="Errors by line and column"
        rows={rows}
        rowKey={(e) => String(e.i)}
        columns={[
          { header: 'Line', numeric: true, cell: (e) => e.row },
          { header: 'Column', cell: (e) => <code>{e.field}</code> },
          { header: 'Problem', cell: (e) => <span className="imports-message">{e.message}</span> },
        ]}
      />
    </div>
  );
}

/** The org's imports, newest first. */
function PastImports({ current, onShow }: { current: string | null; onShow: (id: string) => void }) {
  const { orgId, org } = useOrg();
  const list = usePaged(keys.list(orgId), (cursor, signal) => listImports(orgId, cursor, signal));
  return (
    <Section title="Past imports">
      {list.isPending ? (
        <Loading label="Loading imports…" />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : list.items.length === 0 ? (
        <Empty>No imports yet.</Empty>
      ) : (
        <>
          <Table<Import>
            caption="Imports, newest first"
            rows={list.items}
            rowKey={(i) => i.id}
            columns={[
              { header: 'File', cell: (i) => i.name },
              { header: 'Kind', cell: (i) => importKindLabel(i.kind) },
              { header: 'Mode', cell: (i) => (i.dryRun ? 'Dry run' : 'Import') },
              { header: 'Status', cell: (i) => <span className={`status imports-status-${i.status}`}>{STATUS_WORDS[i.status]}</span> },
              { header: 'Rows', numeric: true, cell: (i) => count(i.counts.rows) },
              { header: 'Already there', numeric: true, cell: (i) => count(i.counts.existing) },
              { header: 'Errors', numeric: true, cell: (i) => count(i.errorCount) },
              { header: 'Created', numeric: true, cell: (i) => count(i.counts.created) },
              { header: 'Started', cell: (i) => formatInstant(i.createdAt, org.timezone) },
              {
                header: 'Details',
                cell: (i) =>
                  i.id === current ? (
                    <span className="muted">Shown above</span>
                  ) : (
                    <button type="button" className="btn" onClick={() => onShow(i.id)} aria-label={`Show ${i.name} (${formatInstant(i.createdAt, org.timezone)})`}>
                      Show
                    </button>
                  ),
              },
            ]}
          />
          <LoadMore query={list} />
        </>
      )}
    </Section>
  );
}
