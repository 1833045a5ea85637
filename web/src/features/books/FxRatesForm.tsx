/**
 * Records a day's FX rates into the org's base currency: units of base per one unit of each
 * currency. Rates stay decimal strings end to end (normalized as text, never parsed to a float).
 */
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost, type Schemas } from '@/api/client';
import { ApiError } from '@/api/problem';
import { FormError, TextField } from '@/components/Field';
import { todayIn } from '@/lib/dates';
import { useOrg } from '@/lib/org';
import { keys } from './lookups';

/** The API's pattern for a rate (`FxRateInput.rate`): more than 0, at most 1,000,000, at most 10 decimals. */
const RATE = /^(1000000(\.0{1,10})?|[1-9][0-9]{0,5}(\.[0-9]{1,10})?|0\.[0-9]{0,9}[1-9])$/;

/**
 * A typed rate as the API takes it (`" 01.08320 "` → `"1.0832"`), or `null` when it is not a
 * plain positive decimal in range. String operations only.
 */
export function normalizeRate(typed: string): string | null {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(typed.trim());
  if (!m) return null;
  const [, whole = '', frac = ''] = m;
  if (!whole && !frac) return null;
  const w = whole.replace(/^0+/, '') || '0';
  const f = frac.replace(/0+$/, '');
  const out = f ? `${w}.${f}` : w;
  return RATE.test(out) ? out : null;
}

interface RateRow {
  key: number;
  currency: string;
  rate: string;
}

let rowKey = 0;
function newRow(): RateRow {
  rowKey += 1;
  return { key: rowKey, currency: '', rate: '' };
}

const MAX_RATES = 50;

function exactFieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.problem.errors?.find((e) => e.field === field)?.message : undefined;
}

export function FxRatesForm({ onDone, onCancel }: { onDone: (r: Schemas['FxRate'][], date: string) => void; onCancel: () => void }) {
  const { orgId, org } = useOrg();
  const qc = useQueryClient();
  const base = org.baseCurrency;
  const [date, setDate] = useState(() => todayIn(org.timezone));
  const [rows, setRows] = useState<RateRow[]>(() => [newRow()]);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const setRow = (i: number, patch: Partial<RateRow>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const save = useMutation({
    mutationFn: (body: Schemas['RecordFxRates']) => apiPost('/api/v1/orgs/{orgId}/fx-rates', { orgId }, body),
    onSuccess: async (r, body) => {
      await Promise.all([qc.invalidateQueries({ queryKey: keys.fxRates(orgId) }), qc.invalidateQueries({ queryKey: keys.trialBalance(orgId) })]);
      onDone(r.items, body.date);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!date) errs.date = 'Enter the day the rates apply from.';
    const seen = new Set<string>();
    const rates: Schemas['FxRateInput'][] = [];
    rows.forEach((r, i) => {
      const cur = r.currency.trim().toUpperCase();
      if (!/^[A-Z]{3}$/.test(cur)) errs[`rates[${i}].currency`] = 'A three-letter ISO code, such as EUR.';
      else if (cur === base) errs[`rates[${i}].currency`] = `${base} is the base currency; its rate is always 1.`;
      else if (seen.has(cur)) errs[`rates[${i}].currency`] = `${cur} is named twice.`;
      seen.add(cur);
      const rate = normalizeRate(r.rate);
      if (rate === null) errs[`rates[${i}].rate`] = 'A decimal more than 0 and at most 1,000,000, with up to 10 decimals (1.0832).';
      rates.push({ currency: cur as Schemas['CurrencyCode'], rate: rate ?? r.rate.trim() });
    });
    if (rows.length === 0) errs.rates = 'Add at least one currency.';
    setInvalid(errs);
    if (Object.keys(errs).length) return;
    save.mutate({ date, rates });
  };

  const ratesMessage = invalid.rates ?? exactFieldError(save.error, 'rates');

  return (
    <form className="form card" onSubmit={submit} noValidate aria-label="Record FX rates">
      <FormError error={save.error} shown={['date', 'rates']} />
      <div className="form-row">
        <TextField label="Date" name="date" type="date" value={date} onChange={(e) => setDate(e.target.value)} error={save.error} invalid={invalid.date} required hint="Entries dated on or after this day use these rates" />
      </div>
      <fieldset className="parts" aria-describedby={ratesMessage ? 'fx-rates-err' : undefined}>
        <legend>Rates into {base}</legend>
        {rows.map((r, i) => {
          const cur = r.currency.trim().toUpperCase();
          return (
            <div key={r.key} className="line-row">
              <TextField
                label={`Currency ${i + 1}`}
                name={`rates[${i}].currency`}
                value={r.currency}
                onChange={(e) => setRow(i, { currency: e.target.value })}
                error={save.error}
                invalid={invalid[`rates[${i}].currency`]}
                maxLength={3}
                autoCapitalize="characters"
                autoComplete="off"
                spellCheck={false}
                required
                hint="ISO code, such as EUR"
              />
              <TextField
                label={`Rate ${i + 1}`}
                name={`rates[${i}].rate`}
                value={r.rate}
                onChange={(e) => setRow(i, { rate: e.target.value })}
                error={save.error}
                invalid={invalid[`rates[${i}].rate`]}
                inputMode="decimal"
                autoComplete="off"
                required
                hint={`${base} per 1 ${/^[A-Z]{3}$/.test(cur) ? cur : 'unit'}`}
              />
              <div className="line-remove">
                <button type="button" className="btn" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))} disabled={rows.length <= 1}>
                  Remove currency {i + 1}
                </button>
              </div>
            </div>
          );
        })}
        <div className="form-actions lines-footer">
          <button type="button" className="btn" onClick={() => setRows((rs) => [...rs, newRow()])} disabled={rows.length >= MAX_RATES}>
            Add currency
          </button>
        </div>
        {ratesMessage ? (
          <p id="fx-rates-err" className="field-error" role="alert">
            {ratesMessage}
          </p>
        ) : null}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={save.isPending}>
          Save rates
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
