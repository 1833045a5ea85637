/**
 * Settings → Integrations → SFTP: the org's SFTP server, whose new files the poll (every 15
 * minutes) turns into imports of one kind — the connection as the API shows it (never its private
 * key), the pinned host key's fingerprint and how the last poll went; and, for owners, connecting
 * it, changing it (the stored private key is kept unless another is pasted) and disconnecting it
 * (the imports it made stay).
 */
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiDelete, apiGet, apiPut, type Schemas } from '@/api/client';
import { FormError, SelectField, TextAreaField, TextField } from '@/components/Field';
import { Section } from '@/components/Page';
import { ErrorState, Loading } from '@/components/QueryState';
import { formatInstant } from '@/lib/dates';
import { IMPORT_KINDS, importKindLabel, type ImportKind } from '@/lib/importKinds';
import { useCan, useOrg } from '@/lib/org';
import { ConfirmDisconnect, Facts } from './common';

type SftpConnection = Schemas['SftpConnection'];
type PutSftp = Schemas['PutSftp'];

const sftpKey = (orgId: string) => ['orgs', orgId, 'integrations', 'sftp'] as const;

function useSftpConnection() {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: sftpKey(orgId),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/integrations/sftp', { orgId }, undefined, { signal }),
    staleTime: 30_000,
  });
}

const isConnected = (c: SftpConnection | undefined) => c?.status === 'connected';

/** `host:port`, an IPv6 address in brackets. */
function serverLabel(c: Pick<SftpConnection, 'host' | 'port'>): string {
  const host = c.host ?? '';
  return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${c.port ?? 22}`;
}

/** The API's message as a sentence (its errors end without a full stop). */
const sentence = (text: string) => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The body's fields, each shown under its input when the API names it. */
const FIELDS = ['host', 'port', 'username', 'privateKey', 'hostKey', 'path', 'kind'];

/** The form as typed; `privateKey` is empty until one is pasted (the API never gives it back). */
interface Draft {
  host: string;
  port: string;
  username: string;
  privateKey: string;
  hostKey: string;
  path: string;
  kind: ImportKind | '';
}

function draftOf(c: SftpConnection | null): Draft {
  return { host: c?.host ?? '', port: String(c?.port ?? 22), username: c?.username ?? '', privateKey: '', hostKey: c?.hostKey ?? '', path: c?.path ?? '', kind: c?.kind ?? '' };
}

/** The API's rules, checked before asking it (it checks again, and reads the keys): a message per field. */
function validate(d: Draft, keyRequired: boolean): Record<string, string> {
  const errs: Record<string, string> = {};
  const host = d.host.trim();
  if (!host) errs.host = 'Enter the server’s host name or IP address.';
  else if (/\s/.test(host)) errs.host = 'A host name has no spaces.';
  const port = d.port.trim();
  const n = /^\d{1,5}$/.test(port) ? Number.parseInt(port, 10) : 0;
  if (n < 1 || n > 65535) errs.port = 'Enter a port from 1 to 65535 (SFTP’s usual port is 22).';
  const user = d.username.trim();
  if (!user) errs.username = 'Enter the user to log in as.';
  else if (/\s/.test(user)) errs.username = 'A user name has no spaces.';
  if (keyRequired && !d.privateKey.trim()) errs.privateKey = 'Paste the private key to log in with.';
  if (!d.hostKey.trim()) errs.hostKey = 'Paste the server’s public host key.';
  if (!d.path.trim().startsWith('/')) errs.path = 'Enter the directory’s absolute path, starting with /.';
  if (!d.kind) errs.kind = 'Choose what the files are.';
  return errs;
}

function bodyOf(d: Draft, kind: ImportKind): PutSftp {
  const body: PutSftp = { host: d.host.trim(), port: Number.parseInt(d.port.trim(), 10), username: d.username.trim(), hostKey: d.hostKey.trim(), path: d.path.trim(), kind };
  // Write-only: left out, the API keeps the key it has.
  if (d.privateKey.trim()) body.privateKey = d.privateKey.trim();
  return body;
}

const unchanged = (body: PutSftp, c: SftpConnection) =>
  body.privateKey === undefined && body.host === c.host && body.port === c.port && body.username === c.username && body.hostKey === c.hostKey && body.path === c.path && body.kind === c.kind;

/** Connects a server (`current` null) or changes the one connected (prefilled, the key left blank). */
function SftpForm({ current, onCancel, onSaved }: { current: SftpConnection | null; onCancel?: () => void; onSaved: (c: SftpConnection) => void }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const editing = current !== null;
  const [draft, setDraft] = useState(() => draftOf(current));
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [nothing, setNothing] = useState(false);
  const save = useMutation({
    mutationFn: (body: PutSftp) => apiPut('/api/v1/orgs/{orgId}/integrations/sftp', { orgId }, body),
    onSuccess: async (connection) => {
      qc.setQueryData(sftpKey(orgId), connection);
      onSaved(connection);
      await qc.invalidateQueries({ queryKey: sftpKey(orgId) });
    },
  });
  const set = (field: keyof Draft) => (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => setDraft((d) => ({ ...d, [field]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validate(draft, !editing);
    setInvalid(errs);
    if (Object.keys(errs).length || !draft.kind) return;
    const body = bodyOf(draft, draft.kind);
    // Saving what is stored already would only reset the last poll and tell the webhooks.
    const same = editing && unchanged(body, current);
    setNothing(same);
    if (!same) save.mutate(body);
  };
  const headingId = editing ? 'sftp-edit-heading' : 'sftp-connect-heading';
  const kind = IMPORT_KINDS.find((k) => k.value === draft.kind);
  const host = draft.host.trim() || 'host';
  const port = draft.port.trim() && draft.port.trim() !== '22' ? ` -p ${draft.port.trim()}` : '';
  const field = (name: keyof Draft) => ({ name, value: draft[name], onChange: set(name), error: save.error, invalid: invalid[name] });
  return (
    <form className="form card settings-form form-section" onSubmit={submit} noValidate aria-labelledby={headingId}>
      <h3 id={headingId}>{editing ? 'Edit the SFTP server' : 'Connect an SFTP server'}</h3>
      {editing ? null : <p className="muted">Every 15 minutes each new file in the server’s directory becomes an import of the kind chosen below, as if uploaded on the Import page.</p>}
      <FormError error={save.error} shown={FIELDS} />
      {nothing ? (
        <p className="muted" role="status">
          Nothing changed.
        </p>
      ) : null}
      <div className="form-row sftp-server">
        <TextField label="Host" {...field('host')} hint="A host name or IP address, e.g. sftp.example-bank.com." autoComplete="off" spellCheck={false} maxLength={253} required />
        <TextField label="Port" {...field('port')} hint="Usually 22." inputMode="numeric" autoComplete="off" maxLength={5} required />
      </div>
      <TextField label="Username" {...field('username')} autoComplete="off" spellCheck={false} maxLength={64} required />
      <TextAreaField
        label="Private key"
        {...field('privateKey')}
        hint={
          editing
            ? 'Leave blank to keep the current key.'
            : 'The key the server accepts for this user, in OpenSSH or PEM format and without a passphrase (e.g. the contents of id_ed25519). It is stored encrypted and never shown again.'
        }
        className="key-input"
        rows={editing ? 3 : 6}
        autoComplete="off"
        spellCheck={false}
        maxLength={16384}
        required={!editing}
      />
      <TextAreaField
        label="Host key"
        {...field('hostKey')}
        hint={
          <>
            The server’s public host key, pinned: a server presenting any other key is refused. Paste the server’s <code>/etc/ssh/ssh_host_ed25519_key.pub</code>, or the output of{' '}
            <code>
              ssh-keyscan -t ed25519{port} {host}
            </code>
            .
          </>
        }
        className="key-input"
        rows={3}
        autoComplete="off"
        spellCheck={false}
        required
      />
      <TextField label="Directory" {...field('path')} hint="The absolute path of the directory whose new files are imported, e.g. /outgoing/rent." autoComplete="off" spellCheck={false} maxLength={512} required />
      <SelectField
        label="What the files are"
        {...field('kind')}
        hint={kind ? `CSV files with the ${kind.label.toLowerCase()} template’s columns: ${kind.columns}. Required: ${kind.required}.` : 'Each file is imported as this kind, with the columns of its template on the Import page.'}
        required
      >
        <option value="">Choose…</option>
        {IMPORT_KINDS.map((k) => (
          <option key={k.value} value={k.value}>
            {k.label}
          </option>
        ))}
      </SelectField>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : editing ? 'Save changes' : 'Connect SFTP server'}
        </button>
        {onCancel ? (
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** When the server was last polled and what came of it. */
function lastPollText(poll: SftpConnection['lastPoll'], timeZone: string): string {
  if (!poll) return 'Not yet: the server is polled every 15 minutes.';
  const at = formatInstant(poll.at, timeZone);
  if (poll.status === 'error') return `${at}: failed`;
  return `${at}: ${poll.newFiles === 0 ? 'no new files' : `${plural(poll.newFiles, 'new file', 'new files')}, each now an import`}`;
}

function Summary({ connection }: { connection: SftpConnection }) {
  const { orgId, org } = useOrg();
  const poll = connection.lastPoll;
  const algorithm = connection.hostKey?.split(' ')[0];
  const changed = connection.updatedAt && connection.updatedAt !== connection.connectedAt;
  return (
    <div className="card settings-form" data-testid="sftp-status">
      <Facts
        items={[
          ['Status', <span className="status integrations-connected">Connected</span>],
          ['Server', <code>{serverLabel(connection)}</code>],
          ['User', <code>{connection.username}</code>],
          ['Directory', <code>{connection.path}</code>],
          ['Files are', connection.kind ? `${importKindLabel(connection.kind)} imports` : '—'],
          [
            'Host key fingerprint',
            <>
              <code>{connection.hostKeyFingerprint ?? '—'}</code>
              {algorithm ? <span className="muted"> ({algorithm})</span> : null}
            </>,
          ],
          ['Connected on', formatInstant(connection.connectedAt, org.timezone)],
          ...(changed ? ([['Changed on', formatInstant(connection.updatedAt, org.timezone)]] as [string, string][]) : []),
          ['Last poll', lastPollText(poll, org.timezone)],
        ]}
      />
      {poll?.status === 'error' ? (
        <p className="error-box" data-testid="sftp-poll-error">
          <strong>The last poll failed.</strong> {sentence(poll.error ?? 'The server could not be read')} Nothing was imported; the next poll tries again.
          {/host key/i.test(poll.error ?? '') ? ' If the server’s host key really changed, check the new one with whoever runs the server before pasting it under Edit.' : null}
        </p>
      ) : poll && poll.newFiles > 0 ? (
        <p>
          <Link to={`/orgs/${orgId}/imports`}>See the imports</Link>
        </p>
      ) : null}
    </div>
  );
}

/** "Edit" and "Disconnect" → an inline confirmation that says the imports stay. */
function Manage({ connection, onEdit, onDisconnected }: { connection: SftpConnection; onEdit: () => void; onDisconnected: () => void }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const [armed, setArmed] = useState(false);
  const disconnect = useMutation({
    mutationFn: () => apiDelete('/api/v1/orgs/{orgId}/integrations/sftp', { orgId }),
    onSuccess: async () => {
      setArmed(false);
      onDisconnected();
      await qc.invalidateQueries({ queryKey: sftpKey(orgId) });
    },
  });
  if (!armed) {
    return (
      <div className="form-actions form-section">
        <button type="button" className="btn" onClick={onEdit}>
          Edit SFTP server
        </button>
        <button
          type="button"
          className="btn danger"
          onClick={() => {
            disconnect.reset();
            setArmed(true);
          }}
        >
          Disconnect SFTP server
        </button>
      </div>
    );
  }
  return (
    <ConfirmDisconnect
      title={<>Disconnect {serverLabel(connection)}?</>}
      explain="Polling stops: files that arrive on the server are no longer imported, and the stored private key is deleted (connecting again needs it). The imports it already made stay on the Import page."
      mutation={disconnect}
      onConfirm={() => disconnect.mutate()}
      onCancel={() => setArmed(false)}
    />
  );
}

/** The "SFTP" section of Settings → Integrations. */
export function Sftp() {
  const { orgId } = useOrg();
  const manage = useCan('integrationManage');
  const sftp = useSftpConnection();
  const [editing, setEditing] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const connected = isConnected(sftp.data);
  return (
    <Section title="SFTP">
      <p className="muted">
        Files another system drops on an SFTP server: the server is polled every 15 minutes and each new file becomes an import, listed on the <Link to={`/orgs/${orgId}/imports`}>Import page</Link>.
      </p>
      {done ? (
        <p className="ok-box" role="status">
          {done}
        </p>
      ) : null}
      {sftp.isPending ? (
        <Loading />
      ) : sftp.error ? (
        <ErrorState error={sftp.error} />
      ) : connected ? (
        <>
          <Summary connection={sftp.data} />
          {!manage ? (
            <p className="muted">Only an owner can connect, edit or disconnect the SFTP server.</p>
          ) : editing ? (
            <SftpForm
              current={sftp.data}
              onCancel={() => setEditing(false)}
              onSaved={() => {
                setEditing(false);
                setDone('Saved: the next poll uses the new settings.');
              }}
            />
          ) : (
            <Manage
              connection={sftp.data}
              onEdit={() => {
                setDone(null);
                setEditing(true);
              }}
              onDisconnected={() => setDone('Disconnected: the server is no longer polled. The imports it made stay.')}
            />
          )}
        </>
      ) : (
        <>
          <p className="card settings-form">No SFTP server is connected.</p>
          {manage ? (
            <SftpForm current={null} onSaved={(c) => setDone(`Connected ${serverLabel(c)}: its new files are imported from the next poll, within 15 minutes.`)} />
          ) : (
            <p className="muted">Only an owner can connect, edit or disconnect the SFTP server.</p>
          )}
        </>
      )}
    </Section>
  );
}
