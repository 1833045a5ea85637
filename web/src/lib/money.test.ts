import { describe, expect, it } from 'vitest';
import { formatMoney, fromMinor, minorDigits, normalizeAmount, perMille, sumAmounts, toMinor } from './money';

describe('money', () => {
  it('formats the API decimal string with its currency, exactly', () => {
    expect(formatMoney({ amount: '1250.5', currency: 'USD' }, 'en-US')).toBe('USD 1,250.50');
    expect(formatMoney({ amount: '-42.10', currency: 'USD' }, 'en-US')).toBe('-USD 42.10');
    expect(formatMoney({ amount: '1000', currency: 'JPY' }, 'en-US')).toBe('JPY 1,000');
    // Beyond double precision: a float would print 90071992547409.92 as …09.9 or worse.
    expect(formatMoney({ amount: '90071992547409.93', currency: 'USD' }, 'en-US')).toBe('USD 90,071,992,547,409.93');
    expect(formatMoney(null)).toBe('—');
  });

  it('knows minor units per currency', () => {
    expect(minorDigits('USD')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('BHD')).toBe(3);
  });

  it('parses and prints minor units without floating point', () => {
    expect(toMinor('0.1', 'USD')).toBe(10n);
    expect(toMinor('1,250.05', 'USD')).toBe(125005n);
    expect(toMinor('-3.5', 'USD')).toBe(-350n);
    expect(toMinor('12.345', 'USD')).toBeNull();
    expect(toMinor('abc', 'USD')).toBeNull();
    expect(toMinor('1e3', 'USD')).toBeNull();
    expect(fromMinor(125005n, 'USD')).toBe('1250.05');
    expect(fromMinor(-5n, 'USD')).toBe('-0.05');
    expect(fromMinor(7n, 'JPY')).toBe('7');
  });

  it('sums exactly where floats drift', () => {
    // 0.1 + 0.2 in floats is 0.30000000000000004.
    expect(sumAmounts(['0.10', '0.20'], 'USD')).toBe('0.30');
    expect(sumAmounts(['33.33', '33.33', '33.34'], 'USD')).toBe('100.00');
    expect(sumAmounts(['1', 'x'], 'USD')).toBeNull();
  });

  it('normalizes what a user typed', () => {
    expect(normalizeAmount(' 1,250.5 ', 'USD')).toBe('1250.50');
    expect(normalizeAmount('12.345', 'USD')).toBeNull();
  });

  it('computes bar lengths on integers', () => {
    expect(perMille(50n, 200n)).toBe(250);
    expect(perMille(-50n, 200n)).toBe(250);
    expect(perMille(1n, 0n)).toBe(0);
  });
});
