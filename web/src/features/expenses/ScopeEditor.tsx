/**
 * Where an expense belongs: the portfolio, a building, a unit, or split across buildings/units —
 * either in exact parts (which must add up to the amount to the cent: the remainder is computed in
 * BigInt minor units as the user types) or by a rule (unit count or floor area) the API applies.
 */
import { useId } from 'react';
import type { Schemas } from '@/api/client';
import { ApiError } from '@/api/problem';
import { errorFor, MoneyField, SelectField } from '@/components/Field';
import { formatMoney, fromMinor, normalizeAmount, sumAmounts, toMinor } from '@/lib/money';
import { moneyInput, useBuildings, useUnit, useUnits, type Building } from './lookups';

export type ScopeKind = 'portfolio' | 'building' | 'unit' | 'split';
export type SplitMode = 'exact' | 'units' | 'area';

export interface Part {
  key: number;
  buildingId: string;
  unitId: string;
  amount: string;
}

export interface ScopeState {
  kind: ScopeKind;
  buildingId: string;
  unitId: string;
  mode: SplitMode;
  parts: Part[];
  ruleBuildingIds: string[];
}

let partKey = 0;
export function newPart(p: Partial<Part> = {}): Part {
  partKey += 1;
  return { key: partKey, buildingId: '', unitId: '', amount: '', ...p };
}

export function initialScope(): ScopeState {
  return { kind: 'portfolio', buildingId: '', unitId: '', mode: 'exact', parts: [newPart()], ruleBuildingIds: [] };
}

/** The form's state from an expense's scope or parts (for editing). */
export function scopeFromExpense(e: Pick<Schemas['Expense'], 'scope' | 'splits'>): ScopeState {
  const s = initialScope();
  if (e.splits && e.splits.length) {
    return { ...s, kind: 'split', parts: e.splits.map((p) => newPart({ buildingId: p.buildingId ?? '', unitId: p.unitId ?? '', amount: p.amount.amount })) };
  }
  if (e.scope?.type === 'building') return { ...s, kind: 'building', buildingId: e.scope.id ?? '' };
  if (e.scope?.type === 'unit') return { ...s, kind: 'unit', unitId: e.scope.id ?? '' };
  return s;
}

export interface Remainder {
  /** The amount left to allocate (amount − Σ parts) as a decimal string, or null when an amount is not a valid number. */
  remaining: string | null;
  exact: boolean;
}

/** amount − Σ parts, exactly (BigInt minor units). */
export function remainder(amount: string, parts: Part[], currency: string): Remainder {
  const total = toMinor(amount, currency);
  const sum = sumAmounts(
    parts.map((p) => p.amount.trim() || '0'),
    currency,
  );
  if (total === null || sum === null) return { remaining: null, exact: false };
  const sumMinor = toMinor(sum, currency) ?? 0n;
  const rem = total - sumMinor;
  return { remaining: fromMinor(rem, currency), exact: rem === 0n };
}

export interface ScopeBody {
  scope?: Schemas['ExpenseScope'] | null;
  splits?: Schemas['Split'][] | null;
  split?: Schemas['SplitRule'] | null;
}

/** The client-side problems with a scope, keyed like the API's field names. */
export function validateScope(s: ScopeState, amount: string, currency: string, allowRule = true): Record<string, string> {
  const errs: Record<string, string> = {};
  if (s.kind === 'building' && !s.buildingId) errs.scope = 'Choose a building.';
  if (s.kind === 'unit' && !s.unitId) errs.scope = 'Choose a unit.';
  if (s.kind === 'split') {
    if (s.mode !== 'exact' && allowRule) {
      if (!s.ruleBuildingIds.length) errs.split = 'Choose at least one building to split across.';
      return errs;
    }
    if (!s.parts.length) errs.splits = 'Add at least one part.';
    s.parts.forEach((p, i) => {
      if (!p.amount.trim()) errs[`splits[${i}].amount`] = 'Enter an amount.';
      else if (normalizeAmount(p.amount, currency) === null) errs[`splits[${i}].amount`] = `Not a valid amount in ${currency}.`;
    });
    const r = remainder(amount, s.parts, currency);
    if (r.remaining !== null && !r.exact) {
      errs.splits = `The parts must add up to the amount exactly: ${formatMoney({ amount: r.remaining, currency })} remaining.`;
    }
  }
  return errs;
}

/** The `scope` / `splits` / `split` the API takes. */
export function scopeBody(s: ScopeState, currency: string, allowRule = true): ScopeBody {
  switch (s.kind) {
    case 'portfolio':
      return { scope: { type: 'portfolio' } };
    case 'building':
      return { scope: { type: 'building', id: s.buildingId } };
    case 'unit':
      return { scope: { type: 'unit', id: s.unitId } };
    case 'split':
      if (s.mode !== 'exact' && allowRule) return { split: { by: s.mode, buildingIds: s.ruleBuildingIds } };
      return {
        splits: s.parts.map((p) => ({
          buildingId: p.buildingId || null,
          unitId: p.unitId || null,
          amount: moneyInput(normalizeAmount(p.amount, currency) ?? p.amount.trim(), currency),
        })),
      };
  }
}

function UnitSelect({ label, name, buildingId, value, onChange, error, invalid, optional }: { label: string; name: string; buildingId: string; value: string; onChange: (v: string) => void; error: unknown; invalid?: string | null; optional?: boolean }) {
  const units = useUnits(buildingId);
  return (
    <SelectField label={label} name={name} value={value} onChange={(e) => onChange(e.target.value)} error={error} invalid={invalid} disabled={!buildingId}>
      <option value="">{optional ? '— Whole building —' : buildingId ? 'Choose a unit…' : 'Choose a building first'}</option>
      {(units.data ?? []).map((u) => (
        <option key={u.id} value={u.id}>
          {u.label}
        </option>
      ))}
    </SelectField>
  );
}

function BuildingOptions({ buildings }: { buildings: Building[] }) {
  return (
    <>
      {buildings
        .filter((b) => !b.archived)
        .map((b) => (
          <option key={b.id} value={b.id}>
            {b.name}
          </option>
        ))}
    </>
  );
}

export function ScopeEditor({
  value,
  onChange,
  amount,
  currency,
  error,
  clientErrors,
  allowRule = true,
}: {
  value: ScopeState;
  onChange: (s: ScopeState) => void;
  amount: string;
  currency: string;
  error: unknown;
  /** Client-side messages keyed like the API's fields (`splits`, `splits[1].amount`, `scope`, `split`). */
  clientErrors: Record<string, string>;
  allowRule?: boolean;
}) {
  const id = useId();
  const buildings = useBuildings();
  const list = buildings.data ?? [];
  const set = (patch: Partial<ScopeState>) => onChange({ ...value, ...patch });
  // A unit scope read from an expense names only the unit: its building comes from the unit.
  const scopeUnit = useUnit(value.kind === 'unit' && !value.buildingId ? value.unitId : null);
  const unitBuildingId = value.buildingId || scopeUnit.data?.buildingId || '';
  const setPart = (i: number, patch: Partial<Part>) => set({ parts: value.parts.map((p, j) => (j === i ? { ...p, ...patch } : p)) });
  const rem = remainder(amount, value.parts, currency);
  const splitsMessage = clientErrors.splits ?? exactFieldError(error, 'splits');
  const ruleMessage = clientErrors.split ?? errorFor(error, 'split');

  return (
    <div className="form">
      <SelectField label="Scope" name="scopeType" value={value.kind} onChange={(e) => set({ kind: e.target.value as ScopeKind })}>
        <option value="portfolio">Portfolio</option>
        <option value="building">Building</option>
        <option value="unit">Unit</option>
        <option value="split">Split</option>
      </SelectField>

      {value.kind === 'building' ? (
        <SelectField label="Building" name="scope" value={value.buildingId} onChange={(e) => set({ buildingId: e.target.value })} error={error} invalid={clientErrors.scope} required>
          <option value="">Choose a building…</option>
          <BuildingOptions buildings={list} />
        </SelectField>
      ) : null}

      {value.kind === 'unit' ? (
        <div className="form-row">
          <SelectField label="Building" name="scopeBuilding" value={unitBuildingId} onChange={(e) => set({ buildingId: e.target.value, unitId: '' })}>
            <option value="">Choose a building…</option>
            <BuildingOptions buildings={list} />
          </SelectField>
          <UnitSelect label="Unit" name="scope" buildingId={unitBuildingId} value={value.unitId} onChange={(v) => set({ unitId: v, buildingId: unitBuildingId })} error={error} invalid={clientErrors.scope} />
        </div>
      ) : null}

      {value.kind === 'split' ? (
        <div className="form">
          {allowRule ? (
            <fieldset className="choice">
              <legend>Split by</legend>
              {(
                [
                  ['exact', 'Exact amounts'],
                  ['units', 'Unit count'],
                  ['area', 'Area'],
                ] as const
              ).map(([m, label]) => (
                <label key={m} className="choice-option">
                  <input type="radio" name={`${id}-split-by`} value={m} checked={value.mode === m} onChange={() => set({ mode: m })} /> {label}
                </label>
              ))}
            </fieldset>
          ) : null}

          {value.mode !== 'exact' && allowRule ? (
            <fieldset className="choice" aria-describedby={ruleMessage ? `${id}-rule-err` : undefined}>
              <legend>Buildings to split across</legend>
              {list.length === 0 ? <p className="muted">No buildings yet.</p> : null}
              {list
                .filter((b) => !b.archived)
                .map((b) => (
                  <label key={b.id} className="choice-option">
                    <input
                      type="checkbox"
                      checked={value.ruleBuildingIds.includes(b.id)}
                      onChange={(e) => set({ ruleBuildingIds: e.target.checked ? [...value.ruleBuildingIds, b.id] : value.ruleBuildingIds.filter((x) => x !== b.id) })}
                    />{' '}
                    {b.name}
                  </label>
                ))}
              <p className="muted">The API divides the amount by {value.mode === 'units' ? 'each building’s unit count' : 'each building’s floor area'}, to the cent.</p>
              {ruleMessage ? (
                <p id={`${id}-rule-err`} className="field-error" role="alert">
                  {ruleMessage}
                </p>
              ) : null}
            </fieldset>
          ) : (
            <fieldset className="parts" aria-describedby={`${id}-remaining${splitsMessage ? ` ${id}-parts-err` : ''}`}>
              <legend>Parts</legend>
              {value.parts.map((p, i) => (
                <div key={p.key} className="part-row">
                  <SelectField
                    label={`Part ${i + 1} building`}
                    name={`splits[${i}].buildingId`}
                    value={p.buildingId}
                    onChange={(e) => setPart(i, { buildingId: e.target.value, unitId: '' })}
                    error={error}
                  >
                    <option value="">— Portfolio —</option>
                    <BuildingOptions buildings={list} />
                  </SelectField>
                  <UnitSelect label={`Part ${i + 1} unit`} name={`splits[${i}].unitId`} buildingId={p.buildingId} value={p.unitId} onChange={(v) => setPart(i, { unitId: v })} error={error} optional />
                  <MoneyField
                    label={`Part ${i + 1} amount`}
                    name={`splits[${i}].amount`}
                    currency={currency}
                    value={p.amount}
                    onChange={(v) => setPart(i, { amount: v })}
                    error={error}
                    invalid={clientErrors[`splits[${i}].amount`]}
                    required
                  />
                  {exactFieldError(error, `splits[${i}]`) ? (
                    <p className="field-error part-error" role="alert">
                      {exactFieldError(error, `splits[${i}]`)}
                    </p>
                  ) : null}
                  <div className="part-remove">
                    <button type="button" className="btn" onClick={() => set({ parts: value.parts.filter((_, j) => j !== i) })} disabled={value.parts.length <= 1}>
                      Remove part {i + 1}
                    </button>
                  </div>
                </div>
              ))}
              <div className="form-actions parts-footer">
                <button type="button" className="btn" onClick={() => set({ parts: [...value.parts, newPart()] })}>
                  Add part
                </button>
                <p id={`${id}-remaining`} className={`remaining${rem.remaining !== null && !rem.exact ? ' off' : ''}`} aria-live="polite">
                  {rem.remaining === null ? 'Remaining —' : `Remaining ${formatMoney({ amount: rem.remaining, currency })}`}
                </p>
              </div>
              {splitsMessage ? (
                <p id={`${id}-parts-err`} className="field-error" role="alert">
                  {splitsMessage}
                </p>
              ) : null}
            </fieldset>
          )}
        </div>
      ) : null}
    </div>
  );
}

/** The API's message for exactly `field` (not for something nested under it). */
function exactFieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.problem.errors?.find((e) => e.field === field)?.message : undefined;
}
