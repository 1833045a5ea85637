/**
 * A building's units, page by page: "Add units" (pattern or labels), and per unit an inline edit
 * and a delete for units that never had a lease.
 */
import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { apiDelete, apiGet, apiPatch, type Schemas } from '@/api/client';
import { FormError, MoneyField, TextField } from '@/components/Field';
import { MoneyText } from '@/components/Money';
import { Section } from '@/components/Page';
import { LoadMore, usePaged } from '@/components/Paged';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { normalizeAmount } from '@/lib/money';
import { useCan, useOrg } from '@/lib/org';
import { BulkUnitsForm } from './BulkUnitsForm';
import { buildingsKey, occupancyKey, unitKey, unitsPagedKey } from './keys';

type Building = Schemas['Building'];
type Unit = Schemas['Unit'];

export function UnitsSection({ building }: { building: Building }) {
  const { orgId } = useOrg();
  const canWrite = useCan('propertyWrite');
  const qc = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Unit | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);

  const units = usePaged<Unit>(unitsPagedKey(orgId, building.id), (cursor, signal) =>
    apiGet('/api/v1/orgs/{orgId}/buildings/{buildingId}/units', { orgId, buildingId: building.id }, { cursor, limit: 100 }, { signal }),
  );

  const remove = useMutation({
    mutationFn: (unitId: string) => apiDelete('/api/v1/orgs/{orgId}/units/{unitId}', { orgId, unitId }),
    onSuccess: () => {
      setConfirmDelete(null);
      void qc.invalidateQueries({ queryKey: buildingsKey(orgId) });
      void qc.invalidateQueries({ queryKey: occupancyKey(orgId) });
    },
  });

  const canAdd = canWrite && !building.archived;
  const writeColumn = canWrite
    ? [
        {
          header: 'Actions',
          cell: (u: Unit) =>
            confirmDelete === u.id ? (
              <span className="props-row-actions">
                <button type="button" className="btn danger" aria-label={`Confirm delete unit ${u.label}`} disabled={remove.isPending} onClick={() => remove.mutate(u.id)}>
                  Confirm delete
                </button>
                <button type="button" className="btn" onClick={() => setConfirmDelete(null)}>
                  Cancel
                </button>
              </span>
            ) : (
              <span className="props-row-actions">
                <button
                  type="button"
                  className="btn"
                  aria-label={`Edit unit ${u.label}`}
                  onClick={() => {
                    setConfirmDelete(null);
                    setEditing(u);
                  }}
                >
                  Edit
                </button>
                {u.leaseCount === 0 ? (
                  <button
                    type="button"
                    className="btn danger"
                    aria-label={`Delete unit ${u.label}`}
                    onClick={() => {
                      remove.reset();
                      setConfirmDelete(u.id);
                    }}
                  >
                    Delete
                  </button>
                ) : null}
              </span>
            ),
        },
      ]
    : [];

  return (
    <Section
      title="Units"
      actions={
        canAdd && !adding ? (
          <button type="button" className="btn primary" onClick={() => setAdding(true)}>
            Add units
          </button>
        ) : null
      }
    >
      <div className="props-stack">
        {adding && canAdd ? <BulkUnitsForm buildingId={building.id} onClose={() => setAdding(false)} /> : null}
        {editing && canWrite ? <UnitEditForm key={editing.id} unit={editing} onDone={() => setEditing(null)} /> : null}
        {remove.error ? <FormError error={remove.error} /> : null}
        {units.isPending ? (
          <Loading />
        ) : units.error ? (
          <ErrorState error={units.error} />
        ) : units.items.length === 0 ? (
          <Empty>No units yet.{canAdd ? ' Add them with “Add units” — a pattern like 1{01..12} creates 101 to 112.' : ''}</Empty>
        ) : (
          <>
            <Table<Unit>
              caption={`Units of ${building.name}`}
              rowKey={(u) => u.id}
              rows={units.items}
              columns={[
                { header: 'Label', cell: (u) => u.label },
                { header: 'Bedrooms', numeric: true, cell: (u) => u.bedrooms ?? '—' },
                { header: 'Bathrooms', numeric: true, cell: (u) => u.bathrooms ?? '—' },
                { header: 'Area (sq ft)', numeric: true, cell: (u) => (u.areaSqft != null ? u.areaSqft.toLocaleString() : '—') },
                { header: 'Market rent', numeric: true, cell: (u) => <MoneyText value={u.marketRent} /> },
                {
                  header: 'Leases',
                  numeric: true,
                  cell: (u) =>
                    u.leaseCount > 0 ? (
                      <Link to={`/orgs/${orgId}/units/${u.id}/leases`} aria-label={`${u.leaseCount} leases: history of unit ${u.label}`}>
                        {u.leaseCount}
                      </Link>
                    ) : (
                      0
                    ),
                },
                ...writeColumn,
              ]}
            />
            <LoadMore query={units} />
          </>
        )}
      </div>
    </Section>
  );
}

/** Integers typed into a number input; `undefined` when empty, `null` when not a whole number. */
function wholeNumber(typed: string): number | undefined | null {
  const t = typed.trim();
  if (!t) return undefined;
  return /^\d+$/.test(t) ? Number.parseInt(t, 10) : null;
}

function UnitEditForm({ unit, onDone }: { unit: Unit; onDone: () => void }) {
  const { orgId, org } = useOrg();
  const qc = useQueryClient();
  const headingId = useId();
  const currency = unit.marketRent?.currency ?? org.baseCurrency;
  const [label, setLabel] = useState(unit.label);
  const [bedrooms, setBedrooms] = useState(unit.bedrooms != null ? String(unit.bedrooms) : '');
  const [bathrooms, setBathrooms] = useState(unit.bathrooms ?? '');
  const [area, setArea] = useState(unit.areaSqft != null ? String(unit.areaSqft) : '');
  const [rent, setRent] = useState(unit.marketRent?.amount ?? '');
  const [tried, setTried] = useState(false);

  const save = useMutation({
    mutationFn: (body: Schemas['UpdateUnit']) => apiPatch('/api/v1/orgs/{orgId}/units/{unitId}', { orgId, unitId: unit.id }, body),
    onSuccess: (u) => {
      qc.setQueryData(unitKey(orgId, u.id), u);
      void qc.invalidateQueries({ queryKey: buildingsKey(orgId) });
      onDone();
    },
  });

  const beds = wholeNumber(bedrooms);
  const sqft = wholeNumber(area);
  const rentAmount = rent.trim() ? normalizeAmount(rent, currency) : undefined;
  const baths = bathrooms.trim();
  const bathsOk = !baths || /^\d{1,2}(\.[05]0*)?$/.test(baths);

  function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    if (beds === null || sqft === null || rentAmount === null || !bathsOk) return;
    const body: Schemas['UpdateUnit'] = { label: label.trim() };
    if (beds !== undefined) body.bedrooms = beds;
    if (baths) body.bathrooms = baths;
    if (sqft !== undefined) body.areaSqft = sqft;
    if (rentAmount) body.marketRent = { amount: rentAmount, currency } as Schemas['MoneyInput'];
    save.mutate(body);
  }

  return (
    <form className="form card" onSubmit={submit} aria-labelledby={headingId}>
      <h3 id={headingId} className="props-form-title">Edit unit {unit.label}</h3>
      <FormError error={save.error} shown={['label', 'bedrooms', 'bathrooms', 'areaSqft', 'marketRent']} />
      <div className="form-row">
        <TextField label="Label" name="label" error={save.error} required maxLength={50} value={label} onChange={(e) => setLabel(e.target.value)} />
        <TextField
          label="Bedrooms"
          name="bedrooms"
          error={save.error}
          inputMode="numeric"
          invalid={tried && beds === null ? 'A whole number, 0 to 50.' : null}
          value={bedrooms}
          onChange={(e) => setBedrooms(e.target.value)}
        />
        <TextField
          label="Bathrooms"
          name="bathrooms"
          error={save.error}
          inputMode="decimal"
          hint="In halves: 1.5"
          invalid={tried && !bathsOk ? 'A multiple of 0.5 from 0 to 50.' : null}
          value={bathrooms}
          onChange={(e) => setBathrooms(e.target.value)}
        />
        <TextField
          label="Area (sq ft)"
          name="areaSqft"
          error={save.error}
          inputMode="numeric"
          invalid={tried && sqft === null ? 'A whole number of square feet.' : null}
          value={area}
          onChange={(e) => setArea(e.target.value)}
        />
        <MoneyField
          label="Market rent"
          name="marketRent"
          error={save.error}
          currency={currency}
          value={rent}
          onChange={setRent}
          invalid={tried && rentAmount === null ? 'Enter an amount such as 1250.00.' : null}
        />
      </div>
      <p className="muted">Details already recorded can be changed but not removed.</p>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save unit'}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
