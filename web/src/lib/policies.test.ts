import { describe, expect, it } from 'vitest';
import { formatDay } from './dates';
import { formatMoney } from './money';
import { byJurisdiction, conditionInWords, effectiveText, ordinal, placeCode, placeName, standingOn, tenure, termsInWords, type Policy } from './policies';

const rule = (over: Partial<Policy>): Policy => ({
  id: 'x',
  origin: 'pack',
  name: 'X',
  area: 'deposit',
  country: 'US',
  effectiveFrom: '2019-06-14',
  priority: 0,
  rule: {},
  ...over,
});

describe('termsInWords', () => {
  it('says a deposit cap in months, weeks and instalments', () => {
    expect(termsInWords('deposit', { maxMonths: '1' })).toBe("At most 1 month's rent.");
    expect(termsInWords('deposit', { maxMonths: '2', maxMonthsFurnished: '3' })).toBe("At most 2 months' rent, 3 months' rent if furnished.");
    expect(termsInWords('deposit', { maxMonths: '1.50' })).toBe("At most 1.5 months' rent.");
    expect(termsInWords('deposit', { maxMonths: '3', instalments: 3 })).toBe("At most 3 months' rent; payable in up to 3 monthly instalments.");
    expect(termsInWords('deposit', { maxWeeks: 5, highRentWeeks: 6, highRentAnnualThreshold: { amount: '50000.00', currency: 'GBP' } })).toBe(
      `At most 5 weeks' rent, 6 weeks' rent when the annual rent is ${formatMoney({ amount: '50000.00', currency: 'GBP' })} or more.`,
    );
  });

  it('says a late fee: grace, caps by amount and percentage, interest over the base rate, or only reasonable', () => {
    expect(termsInWords('late_fee', { graceDays: 5, maxFlat: { amount: '50.00', currency: 'USD' }, maxPercentOfRent: '5' })).toBe(
      `No fee until more than 5 days late; at most ${formatMoney({ amount: '50.00', currency: 'USD' })} and 5% of rent.`,
    );
    expect(termsInWords('late_fee', { graceDays: 1 })).toBe('No fee until more than 1 day late.');
    expect(termsInWords('late_fee', { graceDays: 4, maxPercentOfRent: '5.00' })).toBe('No fee until more than 4 days late; at most 5% of rent.');
    expect(termsInWords('late_fee', { graceDays: 14, interestOverBaseRate: '3' })).toBe('No fee until more than 14 days late; interest of at most 3 percentage points above the bank base rate, per day outstanding.');
    expect(termsInWords('late_fee', { reasonableOnly: true })).toBe('No fixed cap: a fee must be a reasonable estimate of the landlord’s damages.');
  });

  it('says notice tiers by tenancy, in years where whole, and the working-day rule', () => {
    const ny = { tiers: [{ minTenureMonths: 0, days: 30 }, { minTenureMonths: 12, days: 60 }, { minTenureMonths: 24, days: 90 }] };
    expect(termsInWords('notice', ny)).toBe("30 days' notice; 60 days from 1 year of tenancy; 90 days from 2 years of tenancy.");
    const de = { tiers: [{ minTenureMonths: 0, months: 3 }, { minTenureMonths: 60, months: 6 }, { minTenureMonths: 96, months: 9 }], byWorkingDayOfMonth: 3 };
    expect(termsInWords('notice', de)).toBe("3 months' notice; 6 months from 5 years of tenancy; 9 months from 8 years of tenancy; notice counts for a month only if it arrives by the 3rd working day.");
    expect(termsInWords('notice', { tiers: [{ minTenureMonths: 0, months: 1 }] })).toBe("1 month's notice.");
  });

  it('says rent rises and deposit returns, reads only the area’s terms, and says when there are none', () => {
    expect(termsInWords('rent_increase', { maxPercent: '5' })).toBe('A rise of at most 5%.');
    expect(termsInWords('deposit_return', { returnWithinDays: 14 })).toBe('Return the deposit within 14 days of move-out.');
    expect(termsInWords('late_fee', { maxMonths: '1' })).toBe('No terms given.');
  });
});

describe('conditions, dates and places', () => {
  it('says a condition, or nothing when the rule always applies', () => {
    expect(conditionInWords({ smallLandlord: true, serviceMemberTenant: false })).toBe('Only when the landlord is a small landlord and the tenant is not a service member.');
    expect(conditionInWords({ serviceMemberTenant: true })).toBe('Only when the tenant is a service member.');
    expect(conditionInWords({})).toBeNull();
    expect(conditionInWords(null)).toBeNull();
  });

  it('says when a rule is in effect, the pack’s 1900 floor as long-standing', () => {
    expect(effectiveText({ effectiveFrom: '2019-06-14' })).toBe(`In effect from ${formatDay('2019-06-14')}`);
    expect(effectiveText({ effectiveFrom: '2019-06-14', effectiveTo: '2024-08-17' })).toBe(`In effect from ${formatDay('2019-06-14')} through ${formatDay('2024-08-17')}`);
    expect(effectiveText({ effectiveFrom: '1900-01-01' })).toBe('Long-standing');
    expect(effectiveText({ effectiveFrom: '1900-01-01', effectiveTo: '2024-06-30' })).toBe(`Long-standing, through ${formatDay('2024-06-30')}`);
  });

  it('knows whether a rule is in effect on a day, its last day included', () => {
    const p = { effectiveFrom: '2019-06-14', effectiveTo: '2024-08-17' };
    expect(standingOn(p, '2019-06-13')).toBe('upcoming');
    expect(standingOn(p, '2019-06-14')).toBe('in_effect');
    expect(standingOn(p, '2024-08-17')).toBe('in_effect');
    expect(standingOn(p, '2024-08-18')).toBe('ended');
  });

  it('names places and orders the pack by them', () => {
    expect(placeName('US', 'NY')).toBe('New York, United States');
    expect(placeName('GB', 'ENG')).toBe('England, United Kingdom');
    expect(placeName('DE')).toBe('Germany');
    expect(placeName('US', 'XX')).toBe('XX, United States');
    expect(placeCode('US', 'NY')).toBe('US-NY');
    expect(placeCode('DE', null)).toBe('DE');
    const groups = byJurisdiction([
      rule({ id: 'ny-notice', area: 'notice', region: 'NY' }),
      rule({ id: 'ny-deposit', area: 'deposit', region: 'NY' }),
      rule({ id: 'de', country: 'DE' }),
      rule({ id: 'ca', region: 'CA' }),
      rule({ id: 'eng', country: 'GB', region: 'ENG' }),
    ]);
    expect(groups.map((g) => g.code)).toEqual(['DE', 'GB-ENG', 'US-CA', 'US-NY']);
    expect(groups[3]?.rules.map((r) => r.id)).toEqual(['ny-deposit', 'ny-notice']);
  });

  it('counts tenancy in years when whole, and ordinals', () => {
    expect(tenure(12)).toBe('1 year');
    expect(tenure(30)).toBe('30 months');
    expect(tenure(1)).toBe('1 month');
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd']);
  });
});
