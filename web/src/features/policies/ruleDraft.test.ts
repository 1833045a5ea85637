import { describe, expect, it } from 'vitest';
import { buildCreatePolicy, emptyDraft, type RuleDraft } from './ruleDraft';

const draft = (over: Partial<RuleDraft>): RuleDraft => ({ ...emptyDraft('US', 'USD', '2026-01-01'), ...over });

describe('the new rule as the API takes it', () => {
  it('sends only the chosen area’s terms, money with its currency, and a condition only when one is set', () => {
    const { body, errors } = buildCreatePolicy(
      draft({
        area: 'late_fee',
        name: ' Our late fee ',
        region: 'NY',
        priority: '10',
        smallLandlord: 'yes',
        // A deposit term typed before the area changed is not sent.
        terms: { graceDays: '7', maxFlat: '25', maxPercentOfRent: '4.5', maxMonths: '1' },
      }),
    );
    expect(errors).toEqual({});
    expect(body).toEqual({
      name: 'Our late fee',
      area: 'late_fee',
      country: 'US',
      region: 'NY',
      effectiveFrom: '2026-01-01',
      priority: 10,
      when: { smallLandlord: true },
      rule: { graceDays: 7, maxFlat: { amount: '25.00', currency: 'USD' }, maxPercentOfRent: '4.5' },
    });
  });

  it('builds notice tiers in days or months, and checks that they rise in tenure', () => {
    const tiers = [
      { minTenureMonths: '0', length: '30', unit: 'days' as const },
      { minTenureMonths: '12', length: '2', unit: 'months' as const },
    ];
    expect(buildCreatePolicy(draft({ area: 'notice', tiers, terms: { byWorkingDayOfMonth: '3' } })).body?.rule).toEqual({
      byWorkingDayOfMonth: 3,
      tiers: [
        { minTenureMonths: 0, days: 30 },
        { minTenureMonths: 12, months: 2 },
      ],
    });
    const { body, errors } = buildCreatePolicy(draft({ area: 'notice', tiers: [tiers[0]!, { minTenureMonths: '0', length: '', unit: 'days' }] }));
    expect(body).toBeNull();
    expect(errors).toEqual({ 'rule.tiers[1].minTenureMonths': 'Each tier starts after the one before.', 'rule.tiers[1].length': 'Enter the notice in days, from 1 to 730.' });
  });

  it('names each field the API would refuse, with a message for people', () => {
    const { body, errors } = buildCreatePolicy(
      draft({ area: 'deposit', country: 'USA', effectiveFrom: '2026-02-01', effectiveTo: '2026-01-31', priority: '5000', terms: { maxMonths: '13', maxWeeks: '60', highRentWeeks: '6' } }),
    );
    expect(body).toBeNull();
    expect(errors).toEqual({
      country: 'Enter a two-letter country code, such as US or GB.',
      effectiveTo: 'The last day cannot be before the first.',
      priority: 'Enter a whole number from -1000 to 1000.',
      'rule.maxMonths': 'Enter a number from 0 to 12, such as 1 or 2.5.',
      'rule.maxWeeks': 'Enter a whole number from 0 to 52.',
      'rule.highRentWeeks': 'Give the high-rent weeks and the threshold together.',
    });
  });

  it('asks for at least one term, and refuses a negative or over-precise amount', () => {
    expect(buildCreatePolicy(draft({ area: 'deposit_return' })).errors).toEqual({ rule: 'Give at least one term.' });
    expect(buildCreatePolicy(draft({ area: 'late_fee', terms: { maxFlat: '-5' } })).errors).toEqual({ 'rule.maxFlat': 'Enter an amount in USD, such as 50.00.' });
    expect(buildCreatePolicy(draft({ area: 'late_fee', terms: { maxFlat: '5.001' } })).errors).toEqual({ 'rule.maxFlat': 'Enter an amount in USD, such as 50.00.' });
    expect(buildCreatePolicy(draft({ area: 'late_fee', flags: { reasonableOnly: true } })).body?.rule).toEqual({ reasonableOnly: true });
  });
});
