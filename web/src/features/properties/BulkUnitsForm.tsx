/**
 * "Add units": a pattern (`1{01..12}` → 101–112) or a comma-separated list of labels, sent to
 * `POST …/units:bulk` (all or nothing; labels that already exist answer 409 naming them).
 */
import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost, type Schemas } from '@/api/client';
import { ApiError } from '@/api/problem';
import { FormError, TextField } from '@/components/Field';
import { useOrg } from '@/lib/org';
import { buildingsKey, occupancyKey, unitsPagedKey } from './keys';

/** `"101, 102 ,,103"` → `["101", "102", "103"]`. */
export function parseLabels(typed: string): string[] {
  return typed
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The labels a 409 names (`"labels already exist in this building: 101, 102"`), if it names them. */
export function duplicateLabels(error: ApiError): string[] {
  const fromErrors = (error.problem.errors ?? []).map((e) => e.message);
  if (fromErrors.length) return fromErrors;
  const detail = error.problem.detail ?? '';
  const i = detail.lastIndexOf(':');
  return i >= 0 ? parseLabels(detail.slice(i + 1)) : [];
}

export function unitsCreatedMessage(n: number): string {
  return `${n} ${n === 1 ? 'unit' : 'units'} created`;
}

export function BulkUnitsForm({ buildingId, onClose }: { buildingId: string; onClose: () => void }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const headingId = useId();
  const [pattern, setPattern] = useState('');
  const [labels, setLabels] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const [created, setCreated] = useState<number | null>(null);

  const bulk = useMutation({
    mutationFn: (body: Schemas['BulkUnits']) => apiPost('/api/v1/orgs/{orgId}/buildings/{buildingId}/units:bulk', { orgId, buildingId }, body),
    onSuccess: async (res) => {
      setCreated(res.items.length);
      setPattern('');
      setLabels('');
      // A first read of the units may still be in flight from before they existed (the refetch
      // would join it rather than ask again): cancel it, then read the building's units, its unit
      // count and occupancy (more units, more vacancy) afresh.
      await qc.cancelQueries({ queryKey: unitsPagedKey(orgId, buildingId) });
      void qc.invalidateQueries({ queryKey: buildingsKey(orgId) });
      void qc.invalidateQueries({ queryKey: occupancyKey(orgId) });
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    setCreated(null);
    const p = pattern.trim();
    const list = parseLabels(labels);
    if (p && list.length) return setInvalid('Enter a pattern or labels, not both.');
    if (!p && !list.length) return setInvalid('Enter a pattern such as 1{01..12}, or labels separated by commas.');
    if (list.length > 500) return setInvalid('At most 500 units at once.');
    setInvalid(null);
    bulk.mutate(p ? { pattern: p } : { labels: list });
  }

  const conflict = bulk.error instanceof ApiError && bulk.error.status === 409 ? bulk.error : null;
  const dups = conflict ? duplicateLabels(conflict) : [];

  return (
    <form className="form card" onSubmit={submit} aria-labelledby={headingId}>
      <h3 id={headingId} className="props-form-title">Add units</h3>
      {created !== null ? (
        <div className="ok-box" role="status">
          {unitsCreatedMessage(created)}
        </div>
      ) : null}
      {invalid ? (
        <div className="error-box" role="alert">
          {invalid}
        </div>
      ) : null}
      {conflict ? (
        <div className="error-box" role="alert">
          <strong>Nothing was created: some labels already exist in this building.</strong>
          {dups.length ? (
            <ul aria-label="Labels that already exist">
              {dups.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          ) : (
            <> {conflict.problem.detail}</>
          )}
        </div>
      ) : (
        <FormError error={bulk.error} shown={['pattern', 'labels']} />
      )}
      <div className="form-row">
        <TextField
          label="Pattern"
          name="pattern"
          error={bulk.error}
          autoComplete="off"
          spellCheck={false}
          maxLength={50}
          hint={
            <>
              <code>1{'{01..12}'}</code> creates 101–112; <code>{'{A..D}'}</code> creates A–D.
            </>
          }
          value={pattern}
          onChange={(e) => setPattern(e.target.value)}
        />
        <TextField
          label="Labels"
          name="labels"
          error={bulk.error}
          autoComplete="off"
          hint="Or list labels separated by commas: 1A, 1B, 2A"
          value={labels}
          onChange={(e) => setLabels(e.target.value)}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={bulk.isPending}>
          {bulk.isPending ? 'Creating…' : 'Create units'}
        </button>
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
