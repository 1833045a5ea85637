/**
 * Depreciation facts of a fixed asset, computed as the API's depreciation job computes them
 * (`shared/src/books/assets.rs`): mid-month convention — half a month in the month placed in
 * service, a whole one for each month after — rounded half up to the minor unit, never more than
 * the basis. All in BigInt minor units; never floating point.
 */
import type { Schemas } from '@/api/client';
import { fromMinor, toMinor, type Money } from '@/lib/money';

export type Method = Schemas['Method'];

export const METHOD_LABEL: Record<Method, string> = {
  residential_27_5: 'Residential rental (27.5 years)',
  commercial_39: 'Commercial (39 years)',
  straight_line: 'Straight line',
};

export const METHOD_SHORT: Record<Method, string> = {
  residential_27_5: 'Residential 27.5',
  commercial_39: 'Commercial 39',
  straight_line: 'Straight line',
};

/** The asset's life in months (`null` for a straight-line asset without its years). */
export function lifeMonths(method: Method, lifeYears: number | null | undefined): bigint | null {
  if (method === 'residential_27_5') return 330n;
  if (method === 'commercial_39') return 468n;
  return lifeYears && lifeYears > 0 ? BigInt(lifeYears) * 12n : null;
}

/** The life as shown: "27.5", "39", or the straight-line years. */
export function lifeLabel(method: Method, lifeYears: number | null | undefined): string {
  if (method === 'residential_27_5') return '27.5 years';
  if (method === 'commercial_39') return '39 years';
  return lifeYears ? `${lifeYears} ${lifeYears === 1 ? 'year' : 'years'}` : '—';
}

/** Months from `from` to `to` (both `YYYY-MM…`): 0 in the same month. */
function monthsBetween(from: string, to: string): bigint {
  const idx = (s: string) => BigInt(Number.parseInt(s.slice(0, 4), 10)) * 12n + BigInt(Number.parseInt(s.slice(5, 7), 10) - 1);
  return idx(to) - idx(from);
}

/** Depreciation in minor units through the end of `month` (`YYYY-MM`), as the job posts it. */
export function cumulativeMinor(basis: bigint, life: bigint, placedInService: string, month: string): bigint {
  const months = monthsBetween(placedInService, month);
  if (months < 0n || basis <= 0n || life <= 0n) return 0n;
  const num = basis * (1n + 2n * months);
  const den = 2n * life;
  const rounded = (2n * num + den) / (2n * den);
  return rounded < basis ? rounded : basis;
}

/** What has been posted so far (through `depreciatedThrough`) and what is left of the basis. */
export function depreciationToDate(a: Pick<Schemas['FixedAsset'], 'basis' | 'method' | 'lifeYears' | 'placedInService' | 'depreciatedThrough'>): { posted: Money; remaining: Money } | null {
  const currency = a.basis.currency;
  const basis = toMinor(a.basis.amount, currency);
  const life = lifeMonths(a.method, a.lifeYears);
  if (basis === null || life === null) return null;
  const posted = a.depreciatedThrough ? cumulativeMinor(basis, life, a.placedInService, a.depreciatedThrough) : 0n;
  return { posted: { amount: fromMinor(posted, currency), currency }, remaining: { amount: fromMinor(basis - posted, currency), currency } };
}
