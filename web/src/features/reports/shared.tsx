/**
 * What every report screen shares: its parameters kept in the URL (so a report can be linked and
 * reloaded), the defaults (this year, today in the org's timezone), the building picker, the
 * tiles, and the month-by-month tables built from the API's figures (totals added in BigInt
 * minor units, never in floating point).
 */
import { useId, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { apiGet, type Schemas } from '@/api/client';
import { SelectField, TextField } from '@/components/Field';
import { MoneyText } from '@/components/Money';
import type { Column } from '@/components/Table';
import { monthLabel, todayIn } from '@/lib/dates';
import { fromMinor, sumAmounts } from '@/lib/money';
import { useOrg } from '@/lib/org';

export type MoneyDto = Schemas['MoneyDto'];
export type Basis = Schemas['Basis'];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A complete `YYYY-MM-DD` that names a real day. */
export function isDay(s: string): boolean {
  if (!DAY.test(s)) return false;
  const [y, m, d] = s.split('-').map((x) => Number.parseInt(x, 10));
  const t = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1));
  return t.getUTCFullYear() === y && t.getUTCMonth() + 1 === m && t.getUTCDate() === d;
}

/** A tax year the API takes (2000–2100). */
export function isYear(s: string): boolean {
  if (!/^\d{4}$/.test(s)) return false;
  const y = Number.parseInt(s, 10);
  return y >= 2000 && y <= 2100;
}

/** Today, this year and its first day, in the org's timezone. */
export function useDefaults() {
  const { org } = useOrg();
  const today = todayIn(org.timezone);
  const year = today.slice(0, 4);
  return { today, year, startOfYear: `${year}-01-01`, endOfYear: `${year}-12-31` };
}

/** A report parameter kept in the URL (`?from=…`); absent → the default, cleared → empty. */
export function useParam(name: string, fallback: string): [string, (v: string) => void] {
  const [params, setParams] = useSearchParams();
  const value = params.has(name) ? (params.get(name) ?? '') : fallback;
  const set = (v: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set(name, v);
        return next;
      },
      { replace: true },
    );
  return [value, set];
}

export type Building = {
  id: string;
  name: string;
  archived: boolean;
};

/** Every building of the org (all pages), for pickers and names. */
export function useBuildings() {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: ['orgs', orgId, 'buildings', 'options'],
    staleTime: 60_000,
    queryFn: async ({ signal }) => {
      const all: Building[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 25; i++) {
        const page = await apiGet('/api/v1/orgs/{orgId}/buildings', { orgId }, { limit: 200, cursor }, { signal });
        all.push(...page.items.map((b) => ({ id: b.id, name: b.name, archived: b.archived })));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return all;
    },
  });
}

export function buildingName(buildings: Building[] | undefined, id: string | null | undefined): string {
  if (!id) return 'Not tagged to a property';
  return buildings?.find((b) => b.id === id)?.name ?? id;
}

/** The parameters above a report: labelled fields in a row that stacks on narrow screens. */
export function ParamsBar({ children }: { children: ReactNode }) {
  return <div className="card form-row report-params">{children}</div>;
}

export function DayField({ label, name, value, onChange, error }: { label: string; name: string; value: string; onChange: (v: string) => void; error?: unknown }) {
  const invalid = value === '' ? 'Enter a date.' : isDay(value) ? null : 'Use a date like 2026-01-31.';
  return <TextField label={label} name={name} type="date" value={value} onChange={(e) => onChange(e.target.value)} error={error} invalid={invalid} required />;
}

export function YearField({ value, onChange, error, label = 'Year', name = 'year' }: { value: string; onChange: (v: string) => void; error?: unknown; label?: string; name?: string }) {
  const invalid = isYear(value) ? null : 'Enter a year from 2000 to 2100.';
  return (
    <TextField
      label={label}
      name={name}
      type="number"
      inputMode="numeric"
      min={2000}
      max={2100}
      step={1}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      invalid={invalid}
      required
    />
  );
}

export function BasisField({ value, onChange, error }: { value: string; onChange: (v: string) => void; error?: unknown }) {
  return (
    <SelectField label="Basis" name="basis" value={value} onChange={(e) => onChange(e.target.value)} error={error}>
      <option value="cash">Cash</option>
      <option value="accrual">Accrual</option>
    </SelectField>
  );
}

export function BuildingField({ value, onChange, error, label = 'Building', allLabel = 'All buildings' }: { value: string; onChange: (v: string) => void; error?: unknown; label?: string; allLabel?: string }) {
  const buildings = useBuildings();
  return (
    <SelectField label={label} name="buildingId" value={value} onChange={(e) => onChange(e.target.value)} error={error} hint={buildings.isPending ? 'Loading buildings…' : undefined}>
      <option value="">{allLabel}</option>
      {(buildings.data ?? []).map((b) => (
        <option key={b.id} value={b.id}>
          {b.name}
          {b.archived ? ' (archived)' : ''}
        </option>
      ))}
      {value && buildings.data && !buildings.data.some((b) => b.id === value) ? <option value={value}>{value}</option> : null}
    </SelectField>
  );
}

export function asBasis(v: string): Basis {
  return v === 'accrual' ? 'accrual' : 'cash';
}

/** A figure in a tile; `role="group"` names the value by its label. */
export function Tile({ label, children }: { label: string; children: ReactNode }) {
  const id = useId();
  return (
    <div className="tile" role="group" aria-labelledby={id}>
      <div className="label" id={id}>
        {label}
      </div>
      <div className="value">{children}</div>
    </div>
  );
}

export function zero(currency: string): MoneyDto {
  return { amount: fromMinor(0n, currency), currency };
}

/** The exact sum of amounts in one currency (the API's strings, added as integers). */
export function sum(values: (MoneyDto | null | undefined)[], currency: string): MoneyDto | null {
  const amounts = values.filter((v): v is MoneyDto => !!v).map((v) => v.amount);
  const total = sumAmounts(amounts, currency);
  return total === null ? null : { amount: total, currency };
}

/** One row of a month-by-month table: a group heading, a line, or a total. */
export interface MatrixRow {
  key: string;
  label: ReactNode;
  kind?: 'group' | 'line' | 'total';
  cells: (MoneyDto | null)[];
  total?: MoneyDto | null;
}

/** Columns of a month-by-month table: the line, one per month (`YYYY-MM`), and the span's total. */
export function matrixColumns(first: string, months: string[], withTotal = true): Column<MatrixRow>[] {
  const cols: Column<MatrixRow>[] = [
    { header: first, cell: (r) => (r.kind === 'group' || r.kind === 'total' ? <strong>{r.label}</strong> : r.label) },
    ...months.map((m, i) => ({
      header: monthLabel(m),
      numeric: true,
      cell: (r: MatrixRow) => (r.kind === 'group' ? null : r.kind === 'total' ? <strong><MoneyText value={r.cells[i]} /></strong> : <MoneyText value={r.cells[i]} />),
    })),
  ];
  if (withTotal)
    cols.push({
      header: 'Total',
      numeric: true,
      cell: (r) => (r.kind === 'group' ? null : <strong><MoneyText value={r.total} /></strong>),
    });
  return cols;
}
