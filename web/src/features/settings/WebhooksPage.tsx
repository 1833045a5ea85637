import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiPost, type Schemas } from '@/api/client';
import { FormError, TextField } from '@/components/Field';
import { Section } from '@/components/Page';
import { LoadMore, usePaged } from '@/components/Paged';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatInstant } from '@/lib/dates';
import { useCan, useOrg } from '@/lib/org';
import { NotAllowed } from './common';
import { asFilters, EventTypesField, parseTypes, webhooksKey, WebhookStatus } from './webhookParts';

type Webhook = Schemas['Webhook'];

/** The secret, once: the create response is the only place it is ever shown. */
function SecretOnce({ hook, onDone }: { hook: Webhook; onDone: () => void }) {
  const { orgId } = useOrg();
  const [copied, setCopied] = useState(false);
  return (
    <div className="ok-box secret-box" role="status">
      <p>
        <strong>Webhook created.</strong> Copy its signing secret now and keep it safe: it is shown only this once and cannot be read again. Use it to verify the{' '}
        <code>Portfolio-Signature</code> header of each delivery.
      </p>
      <p>
        <strong>Signing secret:</strong>
      </p>
      <code className="secret-value">{hook.secret}</code>
      <div className="form-actions">
        {navigator.clipboard ? (
          <button
            type="button"
            className="btn"
            onClick={() => {
              // Writing may be refused (no permission, page not focused): the secret stays on screen to copy by hand.
              void navigator.clipboard.writeText(hook.secret ?? '').then(
                () => setCopied(true),
                () => setCopied(false),
              );
            }}
          >
            {copied ? 'Copied' : 'Copy secret'}
          </button>
        ) : null}
        <Link className="btn" to={`/orgs/${orgId}/settings/webhooks/${hook.id}`}>
          Open the webhook
        </Link>
        <button type="button" className="btn" onClick={onDone}>
          I have saved the secret
        </button>
      </div>
    </div>
  );
}

function NewWebhookForm({ onCreated, onCancel }: { onCreated: (w: Webhook) => void; onCancel: () => void }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState('');
  const [description, setDescription] = useState('');
  const [invalid, setInvalid] = useState<{ url?: string; eventTypes?: string }>({});
  const create = useMutation({
    mutationFn: (body: Schemas['CreateWebhook']) => apiPost('/api/v1/orgs/{orgId}/webhooks', { orgId }, body),
    onSuccess: async (w) => {
      onCreated(w);
      await qc.invalidateQueries({ queryKey: webhooksKey(orgId) });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const eventTypes = parseTypes(types);
    const errs = { url: url.trim() ? undefined : 'Enter the URL to deliver to.', eventTypes: eventTypes.length ? undefined : 'Choose at least one event type.' };
    setInvalid(errs);
    if (errs.url || errs.eventTypes) return;
    create.mutate({ url: url.trim(), eventTypes: asFilters(eventTypes), description: description.trim() || null });
  };
  return (
    <form className="form card settings-form" onSubmit={submit} noValidate aria-labelledby="new-webhook-heading">
      <h3 id="new-webhook-heading">New webhook</h3>
      <FormError error={create.error} shown={['url', 'eventTypes', 'description']} />
      <TextField
        label="URL"
        name="url"
        type="url"
        inputMode="url"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        error={create.error}
        invalid={invalid.url}
        hint="https (http only to localhost in development)."
        autoComplete="off"
        required
      />
      <EventTypesField value={types} onChange={setTypes} error={create.error} invalid={invalid.eventTypes} />
      <TextField label="Description (optional)" name="description" value={description} onChange={(e) => setDescription(e.target.value)} error={create.error} maxLength={500} />
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create webhook'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** `settings/webhooks`: the org's endpoints; managers register new ones (the secret shown once). */
export default function WebhooksPage() {
  const { orgId, org } = useOrg();
  const read = useCan('webhookRead');
  const manage = useCan('webhookManage');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Webhook | null>(null);
  const list = usePaged<Webhook>(webhooksKey(orgId), (cursor, signal) => apiGet('/api/v1/orgs/{orgId}/webhooks', { orgId }, { limit: 50, cursor }, { signal }), read);
  if (!read) return <NotAllowed what="webhooks" />;
  return (
    <Section
      title="Webhooks"
      actions={
        manage && !creating && !created ? (
          <button type="button" className="btn primary" onClick={() => setCreating(true)}>
            New webhook
          </button>
        ) : null
      }
    >
      {created ? <SecretOnce hook={created} onDone={() => setCreated(null)} /> : null}
      {creating ? (
        <div className="form-section">
          <NewWebhookForm
            onCreated={(w) => {
              setCreated(w);
              setCreating(false);
            }}
            onCancel={() => setCreating(false)}
          />
        </div>
      ) : null}
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : !list.items.length ? (
        <Empty>No webhooks yet.{manage ? ' Register an endpoint to receive the org’s events.' : ''}</Empty>
      ) : (
        <>
          <Table<Webhook>
            caption="Webhooks"
            rowKey={(w) => w.id}
            rows={list.items}
            columns={[
              { header: 'URL', cell: (w) => <Link to={`/orgs/${orgId}/settings/webhooks/${w.id}`}>{w.url}</Link> },
              { header: 'Event types', cell: (w) => <span className="wrap-cell">{w.eventTypes.join(', ')}</span> },
              { header: 'Status', cell: (w) => <WebhookStatus hook={w} /> },
              { header: 'Failing since', cell: (w) => (w.failingSince ? formatInstant(w.failingSince, org.timezone) : '—') },
              { header: 'Description', cell: (w) => w.description ?? '—' },
              { header: 'Created', cell: (w) => formatInstant(w.createdAt, org.timezone) },
            ]}
          />
          <LoadMore query={list} />
        </>
      )}
    </Section>
  );
}
