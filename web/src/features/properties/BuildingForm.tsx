/**
 * The building form, for creating (all of `CreateBuilding`) and editing (the same fields sent as
 * `UpdateBuilding`). The API's field errors (`address.city`, `marketValue.amount`, …) show under
 * the input they name.
 */
import { useId, useState, type FormEvent } from 'react';
import type { Schemas } from '@/api/client';
import { FormError, MoneyField, SelectField, TextField } from '@/components/Field';
import { normalizeAmount } from '@/lib/money';
import { useOrg } from '@/lib/org';
import { PROPERTY_TYPES } from './propertyTypes';

type Building = Schemas['Building'];
export type BuildingBody = Schemas['CreateBuilding'];

interface Values {
  name: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  propertyType: string;
  marketValue: string;
  purchaseDate: string;
  purchasePrice: string;
}

function valuesFrom(b: Building | undefined, defaultCountry: string): Values {
  return {
    name: b?.name ?? '',
    line1: b?.address.line1 ?? '',
    line2: b?.address.line2 ?? '',
    city: b?.address.city ?? '',
    region: b?.address.region ?? '',
    postalCode: b?.address.postalCode ?? '',
    country: b?.address.country ?? defaultCountry,
    propertyType: b?.propertyType ? String(b.propertyType) : '',
    marketValue: b?.marketValue?.amount ?? '',
    purchaseDate: b?.purchaseDate ?? '',
    purchasePrice: b?.purchasePrice?.amount ?? '',
  };
}

/** The money a user typed, as the API takes it; `undefined` when left empty, `null` when invalid. */
function moneyInput(typed: string, currency: string): Schemas['MoneyInput'] | undefined | null {
  if (!typed.trim()) return undefined;
  const amount = normalizeAmount(typed, currency);
  return amount === null ? null : ({ amount, currency } as Schemas['MoneyInput']);
}

const SHOWN = ['name', 'address', 'propertyType', 'marketValue', 'purchaseDate', 'purchasePrice'];

export function BuildingForm({
  title,
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  title: string;
  initial?: Building;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (body: BuildingBody) => void;
  onCancel: () => void;
}) {
  const { org } = useOrg();
  // Facts keep the currency they were stored in; new ones are in the org's base currency.
  const valueCurrency = initial?.marketValue?.currency ?? org.baseCurrency;
  const priceCurrency = initial?.purchasePrice?.currency ?? org.baseCurrency;
  // A new building is most likely in the org's own country.
  const [v, setV] = useState<Values>(() => valuesFrom(initial, org.country));
  const [tried, setTried] = useState(false);
  const headingId = useId();
  const set = (k: keyof Values) => (value: string) => setV((old) => ({ ...old, [k]: value }));

  const marketValue = moneyInput(v.marketValue, valueCurrency);
  const purchasePrice = moneyInput(v.purchasePrice, priceCurrency);
  const badAmount = 'Enter an amount such as 250000.00.';

  function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    if (marketValue === null || purchasePrice === null) return;
    const body: BuildingBody = {
      name: v.name.trim(),
      address: {
        line1: v.line1.trim(),
        line2: v.line2.trim() || null,
        city: v.city.trim(),
        region: v.region.trim() || null,
        postalCode: v.postalCode.trim(),
        country: v.country.trim().toUpperCase() as Schemas['Country'],
      },
    };
    if (v.propertyType) body.propertyType = Number.parseInt(v.propertyType, 10);
    if (marketValue) body.marketValue = marketValue;
    if (v.purchaseDate) body.purchaseDate = v.purchaseDate;
    if (purchasePrice) body.purchasePrice = purchasePrice;
    onSubmit(body);
  }

  return (
    <form className="form card props-form" onSubmit={submit} aria-labelledby={headingId}>
      <h2 id={headingId} className="props-form-title">{title}</h2>
      <FormError error={error} shown={SHOWN} />
      <TextField label="Name" name="name" error={error} required autoFocus maxLength={200} value={v.name} onChange={(e) => set('name')(e.target.value)} />
      <div className="form-row">
        <TextField label="Address line 1" name="address.line1" error={error} required autoComplete="address-line1" value={v.line1} onChange={(e) => set('line1')(e.target.value)} />
        <TextField label="Address line 2" name="address.line2" error={error} autoComplete="address-line2" value={v.line2} onChange={(e) => set('line2')(e.target.value)} />
      </div>
      <div className="form-row">
        <TextField label="City" name="address.city" error={error} required autoComplete="address-level2" value={v.city} onChange={(e) => set('city')(e.target.value)} />
        <TextField label="Region" name="address.region" error={error} autoComplete="address-level1" hint="State or province" value={v.region} onChange={(e) => set('region')(e.target.value)} />
      </div>
      <div className="form-row">
        <TextField label="Postal code" name="address.postalCode" error={error} required autoComplete="postal-code" value={v.postalCode} onChange={(e) => set('postalCode')(e.target.value)} />
        <TextField
          label="Country"
          name="address.country"
          error={error}
          required
          hint="Two-letter code, such as US"
          maxLength={2}
          autoComplete="country"
          value={v.country}
          onChange={(e) => set('country')(e.target.value.toUpperCase())}
        />
      </div>
      <fieldset className="form">
        <legend>Facts for reports (optional)</legend>
        <div className="form-row">
          <SelectField label="Property type" name="propertyType" error={error} hint="Schedule E line 1b" value={v.propertyType} onChange={(e) => set('propertyType')(e.target.value)}>
            <option value="">Not set</option>
            {PROPERTY_TYPES.map((t) => (
              <option key={t.code} value={String(t.code)}>
                {t.code} · {t.label}
              </option>
            ))}
          </SelectField>
          <TextField label="Purchase date" name="purchaseDate" error={error} type="date" value={v.purchaseDate} onChange={(e) => set('purchaseDate')(e.target.value)} />
        </div>
        <div className="form-row">
          <MoneyField
            label="Market value"
            name="marketValue"
            error={error}
            currency={valueCurrency}
            value={v.marketValue}
            onChange={set('marketValue')}
            invalid={tried && marketValue === null ? badAmount : null}
          />
          <MoneyField
            label="Purchase price"
            name="purchasePrice"
            error={error}
            currency={priceCurrency}
            value={v.purchasePrice}
            onChange={set('purchasePrice')}
            invalid={tried && purchasePrice === null ? badAmount : null}
          />
        </div>
        {initial ? <p className="muted">Facts already recorded can be changed but not removed.</p> : null}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
