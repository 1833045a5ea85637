/**
 * The "new rule" form as typed, and the `CreatePolicy` body it becomes: which terms each area
 * takes (only those are sent), and the API's limits checked before it is asked (it checks
 * again). Pure, so it is tested without a screen. Decimals are compared as scaled integers,
 * never as floats.
 */
import type { Schemas } from '@/api/client';
import { normalizeAmount, toScaled } from '@/lib/money';
import type { PolicyArea, RuleTerms } from '@/lib/policies';

export type CreatePolicy = Schemas['CreatePolicy'];

export type TermKey = Exclude<keyof RuleTerms, 'tiers'>;

export interface TermSpec {
  key: TermKey;
  label: string;
  kind: 'decimal' | 'int' | 'money' | 'flag';
  min?: number;
  max?: number;
  hint?: string;
}

/** The terms of each area, in the order the form shows them (`tiers` is its own editor). */
export const AREA_TERMS: Record<PolicyArea, TermSpec[]> = {
  deposit: [
    { key: 'maxMonths', label: "At most (months' rent)", kind: 'decimal', max: 12, hint: 'e.g. 1, or 1.5.' },
    { key: 'maxMonthsFurnished', label: "Furnished: at most (months' rent)", kind: 'decimal', max: 12, hint: 'Optional.' },
    { key: 'maxWeeks', label: "At most (weeks' rent)", kind: 'int', min: 0, max: 52, hint: 'A week is a year’s rent over 52.' },
    { key: 'highRentWeeks', label: "High rent: at most (weeks' rent)", kind: 'int', min: 0, max: 52, hint: 'With the threshold below.' },
    { key: 'highRentAnnualThreshold', label: 'High rent from (annual rent)', kind: 'money' },
    { key: 'instalments', label: 'Instalments allowed', kind: 'int', min: 1, max: 12, hint: 'The tenant may pay in up to this many monthly instalments.' },
  ],
  late_fee: [
    { key: 'graceDays', label: 'Grace days', kind: 'int', min: 0, max: 366, hint: 'No fee until rent is more than this many days late.' },
    { key: 'maxFlat', label: 'Fee at most', kind: 'money' },
    { key: 'maxPercentOfRent', label: 'Fee at most (% of rent)', kind: 'decimal', max: 100, hint: '5 means 5 %.' },
    { key: 'interestOverBaseRate', label: 'Interest above the base rate (points)', kind: 'decimal', max: 100, hint: 'Per day outstanding; the base rates are a billing setting.' },
    { key: 'reasonableOnly', label: 'No fixed cap: a fee must be a reasonable estimate of the damages', kind: 'flag' },
  ],
  notice: [{ key: 'byWorkingDayOfMonth', label: 'Arrives by working day', kind: 'int', min: 1, max: 20, hint: 'Optional: notice counts for a month only if it arrives by this working day of it.' }],
  rent_increase: [{ key: 'maxPercent', label: 'Rise at most (%)', kind: 'decimal', max: 100 }],
  deposit_return: [{ key: 'returnWithinDays', label: 'Return within (days of move-out)', kind: 'int', min: 0, max: 366 }],
};

export const hasTiers = (area: PolicyArea) => area === 'notice';
export const hasMoney = (area: PolicyArea) => AREA_TERMS[area].some((t) => t.kind === 'money');

/** Unknown / yes / no: a condition names a fact only when it is yes or no. */
export type Tri = '' | 'yes' | 'no';

export interface TierDraft {
  minTenureMonths: string;
  length: string;
  unit: 'days' | 'months';
}

export interface RuleDraft {
  name: string;
  area: PolicyArea;
  country: string;
  region: string;
  effectiveFrom: string;
  effectiveTo: string;
  priority: string;
  smallLandlord: Tri;
  serviceMember: Tri;
  notes: string;
  /** Money terms' currency. */
  currency: string;
  /** Every term typed, by key (only the area's are read). */
  terms: Partial<Record<TermKey, string>>;
  flags: Partial<Record<TermKey, boolean>>;
  tiers: TierDraft[];
}

export function emptyDraft(country: string, currency: string, today: string): RuleDraft {
  return {
    name: '',
    area: 'deposit',
    country,
    region: '',
    effectiveFrom: today,
    effectiveTo: '',
    priority: '0',
    smallLandlord: '',
    serviceMember: '',
    notes: '',
    currency,
    terms: {},
    flags: {},
    tiers: [{ minTenureMonths: '0', length: '', unit: 'days' }],
  };
}

const INT = /^-?\d{1,6}$/;
const DECIMAL = /^\d{1,6}(\.\d{1,6})?$/;

function intIn(s: string, min: number, max: number): number | null {
  if (!INT.test(s.trim())) return null;
  const n = Number.parseInt(s.trim(), 10);
  return n >= min && n <= max ? n : null;
}

const range = (min: number, max: number) => `Enter a whole number from ${min} to ${max}.`;

/** A non-negative decimal of at most `max`, compared as integers of 10⁻⁶. */
function decimalUpTo(s: string, max: number): boolean {
  const v = DECIMAL.test(s) ? toScaled(s, 6) : null;
  return v !== null && v <= BigInt(max) * 10n ** 6n;
}

function buildTerms(d: RuleDraft, errs: Record<string, string>): RuleTerms {
  const rule: Record<string, unknown> = {};
  const currency = d.currency.trim().toUpperCase();
  for (const spec of AREA_TERMS[d.area]) {
    const field = `rule.${spec.key}`;
    if (spec.kind === 'flag') {
      if (d.flags[spec.key]) rule[spec.key] = true;
      continue;
    }
    const typed = (d.terms[spec.key] ?? '').trim();
    if (!typed) continue;
    if (spec.kind === 'int') {
      const n = intIn(typed, spec.min ?? 0, spec.max ?? 1000);
      if (n === null) errs[field] = range(spec.min ?? 0, spec.max ?? 1000);
      else rule[spec.key] = n;
    } else if (spec.kind === 'decimal') {
      if (!decimalUpTo(typed, spec.max ?? 100)) errs[field] = `Enter a number from 0 to ${spec.max ?? 100}, such as 1 or 2.5.`;
      else rule[spec.key] = typed;
    } else {
      const amount = /^[A-Z]{3}$/.test(currency) ? normalizeAmount(typed, currency) : null;
      if (!/^[A-Z]{3}$/.test(currency)) errs.currency = 'Enter a currency code, such as USD.';
      else if (amount === null || amount.startsWith('-')) errs[field] = `Enter an amount in ${currency}, such as 50.00.`;
      else rule[spec.key] = { amount, currency };
    }
  }
  if (d.area === 'deposit' && (rule.highRentWeeks === undefined) !== (rule.highRentAnnualThreshold === undefined) && !errs['rule.highRentWeeks'] && !errs['rule.highRentAnnualThreshold']) {
    errs['rule.highRentWeeks'] = 'Give the high-rent weeks and the threshold together.';
  }
  if (hasTiers(d.area)) {
    const blank = (t: TierDraft) => !t.length.trim() && (!t.minTenureMonths.trim() || t.minTenureMonths.trim() === '0');
    // Rows are checked as shown (their index is the API's `rule.tiers[i]`); all blank: no tiers.
    if (!d.tiers.every(blank)) {
      const out: { minTenureMonths: number; days?: number; months?: number }[] = [];
      d.tiers.forEach((t, i) => {
        const from = intIn(t.minTenureMonths, 0, 1200);
        const length = t.unit === 'days' ? intIn(t.length, 1, 730) : intIn(t.length, 1, 24);
        const before = out[i - 1];
        if (from === null) errs[`rule.tiers[${i}].minTenureMonths`] = range(0, 1200);
        else if (before && from <= before.minTenureMonths) errs[`rule.tiers[${i}].minTenureMonths`] = 'Each tier starts after the one before.';
        if (length === null) errs[`rule.tiers[${i}].length`] = t.unit === 'days' ? 'Enter the notice in days, from 1 to 730.' : 'Enter the notice in months, from 1 to 24.';
        out.push({ minTenureMonths: from ?? 0, ...(t.unit === 'days' ? { days: length ?? 0 } : { months: length ?? 0 }) });
      });
      rule.tiers = out;
    }
  }
  return rule as RuleTerms;
}

/** The body for `POST …/policies`, or the message for each field the API would refuse. */
export function buildCreatePolicy(d: RuleDraft): { body: CreatePolicy | null; errors: Record<string, string> } {
  const errs: Record<string, string> = {};
  const country = d.country.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) errs.country = 'Enter a two-letter country code, such as US or GB.';
  if (d.region.trim().length > 40) errs.region = 'At most 40 characters.';
  if (d.name.trim().length > 200) errs.name = 'At most 200 characters.';
  if (d.notes.trim().length > 200) errs.notes = 'At most 200 characters.';
  if (!d.effectiveFrom) errs.effectiveFrom = 'Enter the first day the rule is in effect.';
  if (d.effectiveTo && d.effectiveFrom && d.effectiveTo < d.effectiveFrom) errs.effectiveTo = 'The last day cannot be before the first.';
  const priority = intIn(d.priority.trim() || '0', -1000, 1000);
  if (priority === null) errs.priority = range(-1000, 1000);
  const rule = buildTerms(d, errs);
  if (Object.keys(rule).length === 0 && !Object.keys(errs).some((k) => k.startsWith('rule'))) errs.rule = 'Give at least one term.';
  if (Object.keys(errs).length) return { body: null, errors: errs };
  const when: Schemas['Condition'] = {};
  if (d.smallLandlord) when.smallLandlord = d.smallLandlord === 'yes';
  if (d.serviceMember) when.serviceMemberTenant = d.serviceMember === 'yes';
  const body: CreatePolicy = {
    area: d.area,
    country: country as Schemas['Country'],
    effectiveFrom: d.effectiveFrom,
    priority: priority ?? 0,
    rule,
  };
  if (d.name.trim()) body.name = d.name.trim();
  if (d.region.trim()) body.region = d.region.trim();
  if (d.effectiveTo) body.effectiveTo = d.effectiveTo;
  if (Object.keys(when).length) body.when = when;
  if (d.notes.trim()) body.notes = d.notes.trim();
  return { body, errors: {} };
}
