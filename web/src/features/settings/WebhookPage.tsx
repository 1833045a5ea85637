import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiDelete, apiGet, apiPatch, apiPost, type Schemas } from '@/api/client';
import { FormError, SelectField, TextField } from '@/components/Field';
import { Section } from '@/components/Page';
import { LoadMore, usePaged } from '@/components/Paged';
import { Empty, ErrorState, Loading, QueryView } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatInstant } from '@/lib/dates';
import { useCan, useOrg } from '@/lib/org';
import { ConfirmButton, Facts, NotAllowed } from './common';
import { asFilters, EventTypesField, parseTypes, webhooksKey, WebhookStatus } from './webhookParts';

type Webhook = Schemas['Webhook'];
type Delivery = Schemas['Delivery'];

const DELIVERY_STATUS: Record<Schemas['DeliveryStatus'], string> = { pending: 'Retrying', succeeded: 'Delivered', failed: 'Failed' };

function EditWebhook({ hook }: { hook: Webhook }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const [url, setUrl] = useState(hook.url);
  const [types, setTypes] = useState(hook.eventTypes.join(', '));
  const [description, setDescription] = useState(hook.description ?? '');
  const [status, setStatus] = useState<Schemas['WebhookStatus']>(hook.status);
  const [invalid, setInvalid] = useState<{ url?: string; eventTypes?: string }>({});
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (body: Schemas['UpdateWebhook']) => apiPatch('/api/v1/orgs/{orgId}/webhooks/{webhookId}', { orgId, webhookId: hook.id }, body),
    onSuccess: async (w) => {
      qc.setQueryData([...webhooksKey(orgId), hook.id], w);
      setSaved(true);
      await qc.invalidateQueries({ queryKey: webhooksKey(orgId), exact: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const eventTypes = parseTypes(types);
    const errs = { url: url.trim() ? undefined : 'Enter the URL to deliver to.', eventTypes: eventTypes.length ? undefined : 'Choose at least one event type.' };
    setInvalid(errs);
    if (errs.url || errs.eventTypes) return;
    save.mutate({ url: url.trim(), eventTypes: asFilters(eventTypes), description: description.trim() || null, status });
  };
  return (
    <form className="form card settings-form" onSubmit={submit} noValidate aria-labelledby="edit-webhook-heading">
      <h3 id="edit-webhook-heading">Edit</h3>
      <FormError error={save.error} shown={['url', 'eventTypes', 'description', 'status']} />
      {saved && !save.isPending ? (
        <div className="ok-box" role="status">
          Webhook saved.
        </div>
      ) : null}
      <TextField label="URL" name="url" type="url" inputMode="url" value={url} onChange={(e) => setUrl(e.target.value)} error={save.error} invalid={invalid.url} required />
      <EventTypesField value={types} onChange={setTypes} error={save.error} invalid={invalid.eventTypes} />
      <TextField label="Description (optional)" name="description" value={description} onChange={(e) => setDescription(e.target.value)} error={save.error} maxLength={500} />
      <SelectField
        label="Status"
        name="status"
        value={status}
        onChange={(e) => setStatus(e.target.value as Schemas['WebhookStatus'])}
        error={save.error}
        hint="A disabled webhook receives nothing; setting it active again re-enables it."
      >
        <option value="active">Active</option>
        <option value="disabled">Disabled</option>
      </SelectField>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save webhook'}
        </button>
      </div>
    </form>
  );
}

function DeleteWebhook({ hook }: { hook: Webhook }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const del = useMutation({
    mutationFn: () => apiDelete('/api/v1/orgs/{orgId}/webhooks/{webhookId}', { orgId, webhookId: hook.id }),
    onSuccess: async () => {
      qc.removeQueries({ queryKey: [...webhooksKey(orgId), hook.id] });
      await qc.invalidateQueries({ queryKey: webhooksKey(orgId), exact: true });
      navigate(`/orgs/${orgId}/settings/webhooks`);
    },
  });
  return (
    <div className="form-section">
      <ConfirmButton label="Delete webhook" confirmLabel="Confirm delete" pending={del.isPending} onConfirm={() => del.mutate()} />
      <FormError error={del.error} />
    </div>
  );
}

function Redeliver({ delivery }: { delivery: Delivery }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const redeliver = useMutation({
    mutationFn: () =>
      apiPost('/api/v1/orgs/{orgId}/webhooks/{webhookId}/deliveries/{deliveryId}:redeliver', { orgId, webhookId: delivery.webhookId, deliveryId: delivery.id }, {}),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: [...webhooksKey(orgId), delivery.webhookId, 'deliveries'] });
    },
  });
  return (
    <div>
      <button type="button" className="btn" disabled={redeliver.isPending} onClick={() => redeliver.mutate()}>
        {redeliver.isPending ? 'Sending…' : 'Redeliver'}
      </button>
      {redeliver.isSuccess ? <span className="muted"> Sent again.</span> : null}
      {redeliver.error ? (
        <div className="row-error">
          <FormError error={redeliver.error} />
        </div>
      ) : null}
    </div>
  );
}

function Deliveries({ webhookId }: { webhookId: string }) {
  const { orgId, org } = useOrg();
  const manage = useCan('webhookManage');
  const list = usePaged<Delivery>([...webhooksKey(orgId), webhookId, 'deliveries'], (cursor, signal) =>
    apiGet('/api/v1/orgs/{orgId}/webhooks/{webhookId}/deliveries', { orgId, webhookId }, { limit: 50, cursor }, { signal }),
  );
  if (list.isPending) return <Loading />;
  if (list.error) return <ErrorState error={list.error} />;
  if (!list.items.length) return <Empty>No deliveries yet.</Empty>;
  return (
    <>
      <Table<Delivery>
        caption="Deliveries"
        rowKey={(d) => d.id}
        rows={list.items}
        columns={[
          { header: 'Event type', cell: (d) => <code>{d.eventType}</code> },
          { header: 'Status', cell: (d) => <span className="status">{DELIVERY_STATUS[d.status]}</span> },
          { header: 'Attempts', numeric: true, cell: (d) => d.attempts.length },
          { header: 'Status codes', cell: (d) => d.attempts.map((a) => (a.statusCode != null ? String(a.statusCode) : 'no answer')).join(', ') || '—' },
          { header: 'Last error', cell: (d) => <span className="wrap-cell">{d.attempts[d.attempts.length - 1]?.error ?? '—'}</span> },
          { header: 'Next retry', cell: (d) => (d.nextRetryAt ? formatInstant(d.nextRetryAt, org.timezone) : '—') },
          { header: 'Created', cell: (d) => formatInstant(d.createdAt, org.timezone) },
          ...(manage ? [{ header: 'Action', cell: (d: Delivery) => <Redeliver delivery={d} /> }] : []),
        ]}
      />
      <LoadMore query={list} />
    </>
  );
}

/** `settings/webhooks/:webhookId`: an endpoint, its edit form, and its deliveries. */
export default function WebhookPage() {
  const { webhookId = '' } = useParams();
  const { orgId, org } = useOrg();
  const read = useCan('webhookRead');
  const manage = useCan('webhookManage');
  const q = useQuery({
    queryKey: [...webhooksKey(orgId), webhookId],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/webhooks/{webhookId}', { orgId, webhookId }, undefined, { signal }),
    enabled: read,
  });
  if (!read) return <NotAllowed what="webhooks" />;
  return (
    <QueryView query={q}>
      {(hook) => (
        <>
          <Section title={`Webhook ${hook.url}`}>
            <div className="card">
              <Facts
                items={[
                  ['URL', hook.url],
                  ['Event types', hook.eventTypes.join(', ')],
                  ['Status', <WebhookStatus key="s" hook={hook} />],
                  ...(hook.disabledReason ? ([['Disabled because', hook.disabledReason]] as [string, string][]) : []),
                  ...(hook.failingSince ? ([['Failing since', formatInstant(hook.failingSince, org.timezone)]] as [string, string][]) : []),
                  ['Description', hook.description ?? '—'],
                  ['Created', formatInstant(hook.createdAt, org.timezone)],
                  ['Updated', formatInstant(hook.updatedAt, org.timezone)],
                ]}
              />
            </div>
            {manage ? (
              <>
                <div className="form-section">
                  <EditWebhook hook={hook} />
                </div>
                <DeleteWebhook hook={hook} />
              </>
            ) : null}
          </Section>
          <Section title="Deliveries">
            <Deliveries webhookId={hook.id} />
          </Section>
        </>
      )}
    </QueryView>
  );
}
