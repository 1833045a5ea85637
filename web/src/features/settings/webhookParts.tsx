/**
 * Pieces of the webhook screens. A webhook's event types: typed as a comma-separated list (`payment.received, lease.*` or `*`),
 * or picked from the API's catalog (`GET /api/v1/event-types`), the two kept in step.
 */
import { useQuery } from '@tanstack/react-query';
import { apiGet, type Schemas } from '@/api/client';
import { TextField } from '@/components/Field';
import { Checkbox } from './common';

export function parseTypes(text: string): string[] {
  const out: string[] = [];
  for (const t of text.split(/[\s,]+/)) if (t && !out.includes(t)) out.push(t);
  return out;
}

export function asFilters(types: string[]): Schemas['EventTypeFilter'][] {
  // The API checks each against its catalog and names `eventTypes[i]` if unknown.
  return types as Schemas['EventTypeFilter'][];
}

export function EventTypesField({ value, onChange, error, invalid }: { value: string; onChange: (v: string) => void; error?: unknown; invalid?: string | null }) {
  const catalog = useQuery({
    queryKey: ['event-types'],
    staleTime: 60 * 60_000,
    queryFn: ({ signal }) => apiGet('/api/v1/event-types', {}, undefined, { signal }),
  });
  const chosen = parseTypes(value);
  const toggle = (t: string, on: boolean) => onChange((on ? [...chosen, t] : chosen.filter((x) => x !== t)).join(', '));
  const types = (catalog.data?.items ?? []).map((e) => e.type);
  const prefixes = [...new Set(types.map((t) => t.split('.')[0] ?? t))];
  return (
    <div className="form">
      <TextField
        label="Event types"
        name="eventTypes"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        error={error}
        invalid={invalid}
        hint="Comma-separated: payment.received, lease.* (every lease event) or * (everything)."
        autoComplete="off"
        required
      />
      {types.length ? (
        <details className="catalog">
          <summary>Choose from the event catalog</summary>
          <fieldset>
            <legend>Event catalog</legend>
            <Checkbox label="*" checked={chosen.includes('*')} onChange={(on) => toggle('*', on)} />
            {prefixes.map((p) => (
              <div key={p} className="form">
                <Checkbox label={`${p}.*`} checked={chosen.includes(`${p}.*`)} onChange={(on) => toggle(`${p}.*`, on)} />
                {types
                  .filter((t) => t.startsWith(`${p}.`))
                  .map((t) => (
                    <Checkbox key={t} label={t} checked={chosen.includes(t)} onChange={(on) => toggle(t, on)} />
                  ))}
              </div>
            ))}
          </fieldset>
        </details>
      ) : null}
    </div>
  );
}

export const webhooksKey = (orgId: string) => ['orgs', orgId, 'webhooks'] as const;

export function WebhookStatus({ hook }: { hook: Pick<Schemas['Webhook'], 'status' | 'failingSince'> }) {
  if (hook.status === 'disabled') return <span className="status">Disabled</span>;
  if (hook.failingSince) return <span className="status">Failing</span>;
  return <span className="status">Active</span>;
}

