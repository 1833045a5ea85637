/**
 * Jurisdiction rules (the built-in pack and an org's own) as people read them: areas, places,
 * effective dates and terms in words. Pure: no requests. Decimal terms (months, percentages)
 * stay the API's strings and money is formatted from its decimal string — nothing is computed.
 */
import type { Schemas } from '@/api/client';
import { formatDay } from './dates';
import { formatMoney } from './money';

export type Policy = Schemas['Policy'];
export type PolicyArea = Schemas['PolicyArea'];
export type RuleTerms = Schemas['RuleTerms'];
export type NoticeTier = Schemas['NoticeTier'];
export type Condition = Schemas['Condition'];
export type Outcome = Schemas['Outcome'];

export const POLICY_AREAS: readonly { value: PolicyArea; label: string; about: string }[] = [
  { value: 'deposit', label: 'Deposit cap', about: 'The most a security deposit may be, and whether it may be paid in instalments.' },
  { value: 'late_fee', label: 'Late fee', about: 'When a late fee may be charged, and how much.' },
  { value: 'notice', label: 'Notice', about: 'How long before a lease ends a rent rise or a non-renewal must be announced.' },
  { value: 'rent_increase', label: 'Rent increase', about: 'How much the rent may rise.' },
  { value: 'deposit_return', label: 'Deposit return', about: 'How soon after move-out the deposit must be returned.' },
];

export function areaLabel(area: PolicyArea): string {
  return POLICY_AREAS.find((a) => a.value === area)?.label ?? area;
}

export const OUTCOME_LABELS: Record<Outcome, string> = {
  outranked: 'Outranked',
  not_in_effect: 'Not in effect',
  condition_not_met: 'Condition not met',
};

/**
 * What the app's own lease checks ask for (entity type `lease` and this action), so the tester
 * answers as activation, a late fee, a renewal's notice or a move-out would: a mirror of the
 * backend (`leasing/compliance.rs`, `leasing/obligations.rs`, `billing/late_fees.rs`). A rule
 * naming no entity type or action applies to every check.
 */
export const LEASE_CHECK_ACTION: Record<PolicyArea, string | undefined> = {
  deposit: 'activate',
  late_fee: 'late_fee',
  notice: 'renew',
  deposit_return: 'end',
  rent_increase: undefined,
};

// ---- places ------------------------------------------------------------------------------------

/** US states and DC, and the UK's nations, by the codes rules use (as the backend's `jurisdiction.rs`). */
const REGION_NAMES: Record<string, Record<string, string>> = {
  US: {
    AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado', CT: 'Connecticut', DE: 'Delaware',
    DC: 'District of Columbia', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii', ID: 'Idaho', IL: 'Illinois', IN: 'Indiana', IA: 'Iowa',
    KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana', ME: 'Maine', MD: 'Maryland', MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota',
    MS: 'Mississippi', MO: 'Missouri', MT: 'Montana', NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey',
    NM: 'New Mexico', NY: 'New York', NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma', OR: 'Oregon',
    PA: 'Pennsylvania', RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee', TX: 'Texas', UT: 'Utah',
    VT: 'Vermont', VA: 'Virginia', WA: 'Washington', WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming',
  },
  GB: { ENG: 'England', SCT: 'Scotland', WLS: 'Wales', NIR: 'Northern Ireland' },
};

let countryNames: Intl.DisplayNames | null | undefined;

/** `US` → "United States" (the code itself where the runtime has no names). */
export function countryName(code: string): string {
  if (countryNames === undefined) {
    try {
      countryNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
    } catch {
      countryNames = null;
    }
  }
  try {
    return countryNames?.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** `US`, `NY` → "New York, United States"; a region the app does not know keeps its code. */
export function placeName(country: string, region?: string | null): string {
  const c = countryName(country);
  if (!region) return c;
  return `${REGION_NAMES[country.toUpperCase()]?.[region.toUpperCase()] ?? region}, ${c}`;
}

/** `US-NY`, or `DE` for a whole country. */
export function placeCode(country: string, region?: string | null): string {
  return region ? `${country}-${region}` : country;
}

export interface Jurisdiction {
  code: string;
  name: string;
  rules: Policy[];
}

const AREA_ORDER = new Map(POLICY_AREAS.map((a, i) => [a.value, i]));

/** Rules by place (countries by name, a country's own rules before its regions'), each place's by area then start. */
export function byJurisdiction(rules: readonly Policy[]): Jurisdiction[] {
  const groups = new Map<string, Jurisdiction & { country: string; region: string }>();
  for (const p of rules) {
    const code = placeCode(p.country, p.region);
    let g = groups.get(code);
    if (!g) {
      g = { code, name: placeName(p.country, p.region), rules: [], country: countryName(p.country), region: p.region ?? '' };
      groups.set(code, g);
    }
    g.rules.push(p);
  }
  const out = [...groups.values()].sort((a, b) => a.country.localeCompare(b.country) || a.region.localeCompare(b.region));
  for (const g of out) {
    g.rules.sort((a, b) => (AREA_ORDER.get(a.area) ?? 9) - (AREA_ORDER.get(b.area) ?? 9) || a.effectiveFrom.localeCompare(b.effectiveFrom) || a.id.localeCompare(b.id));
  }
  return out.map(({ code, name, rules: r }) => ({ code, name, rules: r }));
}

// ---- dates -------------------------------------------------------------------------------------

/** The pack's floor for rules in force before any date the product deals with (not an enactment date). */
export const LONG_STANDING_FROM = '1900-01-01';

/** "In effect from Jun 14, 2019 through Aug 17, 2024" (`effectiveTo` is the last day in effect). */
export function effectiveText(p: Pick<Policy, 'effectiveFrom' | 'effectiveTo'>): string {
  const from = p.effectiveFrom <= LONG_STANDING_FROM ? null : formatDay(p.effectiveFrom);
  if (!p.effectiveTo) return from ? `In effect from ${from}` : 'Long-standing';
  return from ? `In effect from ${from} through ${formatDay(p.effectiveTo)}` : `Long-standing, through ${formatDay(p.effectiveTo)}`;
}

/** Whether the rule is in effect on `day`, not yet, or no longer. */
export function standingOn(p: Pick<Policy, 'effectiveFrom' | 'effectiveTo'>, day: string): 'in_effect' | 'upcoming' | 'ended' {
  if (day < p.effectiveFrom) return 'upcoming';
  if (p.effectiveTo && day > p.effectiveTo) return 'ended';
  return 'in_effect';
}

// ---- terms in words ----------------------------------------------------------------------------

const isOne = (n: number | string) => /^0*1(\.0+)?$/.test(String(n));
const count = (n: number | string, one: string, many: string) => `${n} ${isOne(n) ? one : many}`;
/** "1 month" → "1 month's", "3 months" → "3 months'". */
const possessive = (phrase: string) => (phrase.endsWith('s') ? `${phrase}'` : `${phrase}'s`);
/** A decimal string as written, without trailing zeros (`"5.00"` → `"5"`); no arithmetic. */
const plainDecimal = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
const percent = (s: string) => `${plainDecimal(s)}%`;

export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

/** 12 → "1 year", 30 → "30 months". */
export function tenure(months: number): string {
  return months > 0 && months % 12 === 0 ? count(months / 12, 'year', 'years') : count(months, 'month', 'months');
}

const tierPeriod = (t: NoticeTier) => (t.days != null ? count(t.days, 'day', 'days') : t.months != null ? count(t.months, 'month', 'months') : '?');

function depositWords(r: RuleTerms): string[] {
  const out: string[] = [];
  if (r.maxMonths != null) {
    const furnished = r.maxMonthsFurnished != null ? `, ${possessive(count(plainDecimal(r.maxMonthsFurnished), 'month', 'months'))} rent if furnished` : '';
    out.push(`at most ${possessive(count(plainDecimal(r.maxMonths), 'month', 'months'))} rent${furnished}`);
  } else if (r.maxMonthsFurnished != null) {
    out.push(`at most ${possessive(count(plainDecimal(r.maxMonthsFurnished), 'month', 'months'))} rent if furnished`);
  }
  if (r.maxWeeks != null) {
    const high =
      r.highRentWeeks != null && r.highRentAnnualThreshold
        ? `, ${possessive(count(r.highRentWeeks, 'week', 'weeks'))} rent when the annual rent is ${formatMoney(r.highRentAnnualThreshold)} or more`
        : '';
    out.push(`at most ${possessive(count(r.maxWeeks, 'week', 'weeks'))} rent${high}`);
  } else if (r.highRentWeeks != null && r.highRentAnnualThreshold) {
    out.push(`at most ${possessive(count(r.highRentWeeks, 'week', 'weeks'))} rent when the annual rent is ${formatMoney(r.highRentAnnualThreshold)} or more`);
  }
  if (r.instalments != null) out.push(`payable in up to ${count(r.instalments, 'monthly instalment', 'monthly instalments')}`);
  return out;
}

function lateFeeWords(r: RuleTerms): string[] {
  const out: string[] = [];
  if (r.graceDays != null) out.push(`no fee until more than ${count(r.graceDays, 'day', 'days')} late`);
  const caps = [r.maxFlat ? formatMoney(r.maxFlat) : null, r.maxPercentOfRent != null ? `${percent(r.maxPercentOfRent)} of rent` : null].filter(Boolean);
  if (caps.length) out.push(`at most ${caps.join(' and ')}`);
  if (r.interestOverBaseRate != null) out.push(`interest of at most ${plainDecimal(r.interestOverBaseRate)} percentage points above the bank base rate, per day outstanding`);
  if (r.reasonableOnly) out.push('no fixed cap: a fee must be a reasonable estimate of the landlord’s damages');
  return out;
}

function noticeWords(r: RuleTerms): string[] {
  const out: string[] = [];
  const tiers = [...(r.tiers ?? [])].sort((a, b) => a.minTenureMonths - b.minTenureMonths);
  tiers.forEach((t, i) => {
    if (i === 0 && t.minTenureMonths === 0) out.push(`${possessive(tierPeriod(t))} notice`);
    else out.push(`${tierPeriod(t)}${i === 0 ? ' notice' : ''} from ${tenure(t.minTenureMonths)} of tenancy`);
  });
  if (r.byWorkingDayOfMonth != null) out.push(`notice counts for a month only if it arrives by the ${ordinal(r.byWorkingDayOfMonth)} working day`);
  return out;
}

/**
 * A rule's terms as a sentence: NY's late fee reads "no fee until more than 5 days late; at most
 * USD 50.00 and 5% of rent". Only the terms of the rule's area are read.
 */
export function termsInWords(area: PolicyArea, rule: RuleTerms): string {
  const parts =
    area === 'deposit'
      ? depositWords(rule)
      : area === 'late_fee'
        ? lateFeeWords(rule)
        : area === 'notice'
          ? noticeWords(rule)
          : area === 'rent_increase'
            ? rule.maxPercent != null
              ? [`a rise of at most ${percent(rule.maxPercent)}`]
              : []
            : rule.returnWithinDays != null
              ? [`return the deposit within ${count(rule.returnWithinDays, 'day', 'days')} of move-out`]
              : [];
  if (!parts.length) return 'No terms given.';
  const text = parts.join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** "Only when the landlord is a small landlord and the tenant is not a service member"; null: always. */
export function conditionInWords(when: Condition | null | undefined): string | null {
  if (!when) return null;
  const parts: string[] = [];
  if (when.smallLandlord != null) parts.push(when.smallLandlord ? 'the landlord is a small landlord' : 'the landlord is not a small landlord');
  if (when.serviceMemberTenant != null) parts.push(when.serviceMemberTenant ? 'the tenant is a service member' : 'the tenant is not a service member');
  return parts.length ? `Only when ${parts.join(' and ')}.` : null;
}
