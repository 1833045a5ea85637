/**
 * A new fixed asset (a building's depreciable basis or a capital improvement): cost and land value
 * in the org's base currency as decimal strings; the life only for straight line.
 */
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost, type Schemas } from '@/api/client';
import { FormError, MoneyField, SelectField, TextField } from '@/components/Field';
import { todayIn } from '@/lib/dates';
import { formatMoney, fromMinor, toMinor } from '@/lib/money';
import { useOrg } from '@/lib/org';
import { METHOD_LABEL, type Method } from './depreciation';
import { keys, useBuildings } from './lookups';

const FIELDS = ['buildingId', 'name', 'cost', 'landValue', 'placedInService', 'method'];
const METHODS: Method[] = ['residential_27_5', 'commercial_39', 'straight_line'];

export function FixedAssetForm({ onDone, onCancel }: { onDone: (a: Schemas['FixedAsset']) => void; onCancel: () => void }) {
  const { orgId, org } = useOrg();
  const qc = useQueryClient();
  const buildings = useBuildings();
  const currency = org.baseCurrency;
  const [buildingId, setBuildingId] = useState('');
  const [name, setName] = useState('');
  const [cost, setCost] = useState('');
  const [landValue, setLandValue] = useState('');
  const [placedInService, setPlacedInService] = useState(() => todayIn(org.timezone));
  const [method, setMethod] = useState<Method>('residential_27_5');
  const [lifeYears, setLifeYears] = useState('');
  const [invalid, setInvalid] = useState<Record<string, string>>({});

  const create = useMutation({
    mutationFn: (body: Schemas['CreateFixedAsset']) => apiPost('/api/v1/orgs/{orgId}/fixed-assets', { orgId }, body),
    onSuccess: async (a) => {
      await qc.invalidateQueries({ queryKey: keys.fixedAssets(orgId) });
      onDone(a);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!buildingId) errs.buildingId = 'Choose the building.';
    if (!name.trim()) errs.name = 'Name the asset (the building itself, a new roof…).';
    const costMinor = toMinor(cost, currency);
    if (costMinor === null || costMinor <= 0n) errs.cost = `An amount of more than zero in ${currency}.`;
    const landMinor = landValue.trim() ? toMinor(landValue, currency) : null;
    if (landValue.trim()) {
      if (landMinor === null || landMinor < 0n) errs.landValue = `An amount in ${currency}, or leave it empty.`;
      else if (costMinor !== null && landMinor >= costMinor) errs.landValue = `Less than the cost (${formatMoney({ amount: fromMinor(costMinor, currency), currency })}).`;
    }
    if (!placedInService) errs.placedInService = 'Enter the day it was placed in service.';
    let years: number | null = null;
    if (method === 'straight_line') {
      years = /^\d{1,3}$/.test(lifeYears.trim()) ? Number.parseInt(lifeYears.trim(), 10) : null;
      if (years === null || years < 1 || years > 100) errs.lifeYears = 'Whole years, 1–100.';
    }
    setInvalid(errs);
    if (Object.keys(errs).length || costMinor === null) return;
    create.mutate({
      buildingId,
      name: name.trim(),
      cost: { amount: fromMinor(costMinor, currency), currency } as Schemas['MoneyInput'],
      landValue: landMinor !== null ? ({ amount: fromMinor(landMinor, currency), currency } as Schemas['MoneyInput']) : null,
      placedInService,
      method,
      lifeYears: method === 'straight_line' ? years : null,
    });
  };

  return (
    <form className="form card" onSubmit={submit} noValidate aria-label="New fixed asset">
      <FormError error={create.error} shown={method === 'straight_line' ? [...FIELDS, 'lifeYears'] : FIELDS} />
      <div className="form-row">
        <SelectField label="Building" name="buildingId" value={buildingId} onChange={(e) => setBuildingId(e.target.value)} error={create.error} invalid={invalid.buildingId} required>
          <option value="">{buildings.isPending ? 'Loading buildings…' : 'Choose a building…'}</option>
          {(buildings.data ?? [])
            .filter((b) => !b.archived || b.id === buildingId)
            .map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
        </SelectField>
        <TextField label="Name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={create.error} invalid={invalid.name} maxLength={200} required hint="The building, or an improvement: “New roof”" />
      </div>
      <div className="form-row">
        <MoneyField label="Cost" name="cost" currency={currency} value={cost} onChange={setCost} error={create.error} invalid={invalid.cost} required />
        <MoneyField label="Land value" name="landValue" currency={currency} value={landValue} onChange={setLandValue} error={create.error} invalid={invalid.landValue} hint="Optional; land is not depreciated" />
        <TextField label="Placed in service" name="placedInService" type="date" value={placedInService} onChange={(e) => setPlacedInService(e.target.value)} error={create.error} invalid={invalid.placedInService} required />
      </div>
      <div className="form-row">
        <SelectField label="Method" name="method" value={method} onChange={(e) => setMethod(e.target.value as Method)} error={create.error}>
          {METHODS.map((m) => (
            <option key={m} value={m}>
              {METHOD_LABEL[m]}
            </option>
          ))}
        </SelectField>
        {method === 'straight_line' ? (
          <TextField label="Life (years)" name="lifeYears" value={lifeYears} onChange={(e) => setLifeYears(e.target.value)} error={create.error} invalid={invalid.lifeYears} inputMode="numeric" maxLength={3} required hint="1–100" />
        ) : null}
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={create.isPending}>
          Create fixed asset
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
