/**
 * "New request" (a unit picked by building, then unit; what is wrong; how urgent; who reported it)
 * and "Edit request" (the same texts and priority). Checked before sending; the API's field
 * errors show under their inputs.
 */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPatch, apiPost, type Schemas } from '@/api/client';
import { FormError, SelectField, TextAreaField, TextField } from '@/components/Field';
import { useBuildings, useUnits } from '@/lib/lookups';
import { useOrg } from '@/lib/org';
import { keys, PRIORITIES, type MaintenanceRequest, type Priority } from './data';
import { buildCreateRequest, buildUpdateRequest, editDraftOf, emptyRequest, type EditDraft, type RequestDraft } from './draft';

const TEXT_FIELDS = ['title', 'description', 'priority', 'reportedBy'];

function PriorityHint({ priority }: { priority: Priority }) {
  const { orgId, org } = useOrg();
  if (priority !== 'emergency') return <>Emergency texts the org’s alert phone at once.</>;
  if (org.alertPhone) return <>{`Texted to ${org.alertPhone} as soon as it is saved.`}</>;
  return (
    <>
      No alert phone is set, so nobody is texted: set one in <Link to={`/orgs/${orgId}/settings/org`}>organization settings</Link>.
    </>
  );
}

/** Title, description, priority and reporter: the fields a request is created and edited with. */
function RequestFields({ draft, set, error, invalid }: { draft: EditDraft; set: (patch: Partial<EditDraft>) => void; error: unknown; invalid: Record<string, string> }) {
  return (
    <>
      <TextField
        label="Title"
        name="title"
        value={draft.title}
        onChange={(e) => set({ title: e.target.value })}
        error={error}
        invalid={invalid.title}
        maxLength={200}
        autoComplete="off"
        hint="What is wrong, in a few words."
        required
      />
      <TextAreaField
        label="Description"
        name="description"
        value={draft.description}
        onChange={(e) => set({ description: e.target.value })}
        error={error}
        invalid={invalid.description}
        rows={3}
        maxLength={500}
        hint="Optional: where exactly, since when, access notes."
      />
      <div className="form-row">
        <SelectField label="Priority" name="priority" value={draft.priority} onChange={(e) => set({ priority: e.target.value as Priority })} error={error} hint={<PriorityHint priority={draft.priority} />}>
          {PRIORITIES.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Reported by"
          name="reportedBy"
          value={draft.reportedBy}
          onChange={(e) => set({ reportedBy: e.target.value })}
          error={error}
          invalid={invalid.reportedBy}
          maxLength={200}
          autoComplete="off"
          hint="Optional: a tenant’s name, a phone call…"
        />
      </div>
    </>
  );
}

function UnitSelect({ buildingId, value, onChange, error, invalid }: { buildingId: string; value: string; onChange: (v: string) => void; error: unknown; invalid?: string }) {
  const units = useUnits(buildingId);
  return (
    <SelectField label="Unit" name="unitId" value={value} onChange={(e) => onChange(e.target.value)} error={error} invalid={invalid} disabled={!buildingId} required>
      <option value="">{buildingId ? (units.isPending ? 'Loading units…' : 'Choose a unit…') : 'Choose a building first'}</option>
      {(units.data ?? []).map((u) => (
        <option key={u.id} value={u.id}>
          {u.label}
        </option>
      ))}
    </SelectField>
  );
}

export function NewRequestForm({ onCancel }: { onCancel: () => void }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const buildings = useBuildings();
  const [draft, setDraft] = useState<RequestDraft>(emptyRequest);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const set = (patch: Partial<RequestDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const create = useMutation({
    mutationFn: (body: Schemas['CreateMaintenanceRequest']) => apiPost('/api/v1/orgs/{orgId}/maintenance-requests', { orgId }, body),
    onSuccess: async (r) => {
      qc.setQueryData(keys.one(orgId, r.id), r);
      await Promise.all([qc.invalidateQueries({ queryKey: keys.list(orgId) }), qc.invalidateQueries({ queryKey: keys.dashboard(orgId) })]);
      navigate(`/orgs/${orgId}/maintenance/${r.id}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { body, errors } = buildCreateRequest(draft);
    setInvalid(errors);
    if (body) create.mutate(body);
  };
  const active = (buildings.data ?? []).filter((b) => !b.archived);
  return (
    <form className="form card mnt-form" onSubmit={submit} noValidate aria-labelledby="mnt-new-heading">
      <h2 id="mnt-new-heading">New request</h2>
      <FormError error={create.error} shown={['unitId', ...TEXT_FIELDS]} />
      {buildings.data && active.length === 0 ? (
        <p className="muted">
          No buildings yet: <Link to={`/orgs/${orgId}/buildings`}>add a building</Link> and its units first.
        </p>
      ) : null}
      <div className="form-row">
        <SelectField
          label="Building"
          name="buildingId"
          value={draft.buildingId}
          onChange={(e) => set({ buildingId: e.target.value, unitId: '' })}
          error={buildings.error}
          invalid={invalid.buildingId}
          required
        >
          <option value="">{buildings.isPending ? 'Loading buildings…' : 'Choose a building…'}</option>
          {active.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </SelectField>
        <UnitSelect buildingId={draft.buildingId} value={draft.unitId} onChange={(v) => set({ unitId: v })} error={create.error} invalid={invalid.unitId} />
      </div>
      <RequestFields draft={draft} set={set} error={create.error} invalid={invalid} />
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create request'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Changes a request still to do; `onConflict` takes a 409 (it was completed or cancelled meanwhile). */
export function EditRequestForm({ request, onDone, onCancel, onConflict }: { request: MaintenanceRequest; onDone: (r: MaintenanceRequest) => void; onCancel: () => void; onConflict: (e: unknown) => void }) {
  const { orgId } = useOrg();
  const [draft, setDraft] = useState<EditDraft>(() => editDraftOf(request));
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [nothing, setNothing] = useState(false);
  const save = useMutation({
    mutationFn: (body: Schemas['UpdateMaintenanceRequest']) => apiPatch('/api/v1/orgs/{orgId}/maintenance-requests/{requestId}', { orgId, requestId: request.id }, body),
    onSuccess: onDone,
    onError: onConflict,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { body, errors } = buildUpdateRequest(draft, request);
    setInvalid(errors);
    setNothing(!!body && Object.keys(body).length === 0);
    if (body && Object.keys(body).length) save.mutate(body);
  };
  return (
    <form className="form card mnt-form" onSubmit={submit} noValidate aria-labelledby="mnt-edit-heading">
      <h2 id="mnt-edit-heading">Edit request</h2>
      <FormError error={save.error} shown={TEXT_FIELDS} />
      {nothing ? (
        <p className="muted" role="status">
          Nothing changed.
        </p>
      ) : null}
      <RequestFields draft={draft} set={(patch) => setDraft((d) => ({ ...d, ...patch }))} error={save.error} invalid={invalid} />
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save changes'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Close
        </button>
      </div>
    </form>
  );
}
