import { describe, expect, it } from 'vitest';
import { formatRate, rateToPercent } from './formatRate';

describe('formatRate', () => {
  it('shows the API decimal strings as percentages', () => {
    expect(formatRate('0.9500')).toBe('95.0%');
    expect(formatRate('0.0000')).toBe('0.0%');
    expect(formatRate('1.0000')).toBe('100.0%');
    expect(formatRate('1')).toBe('100.0%');
    expect(formatRate('0.7500', 0)).toBe('75%');
    expect(formatRate('0.9800', 2)).toBe('98.00%');
  });

  it('rounds half up on integers, without floating-point drift', () => {
    // 0.3333 → 33.33 → 33.3; 0.6667 → 66.67 → 66.7; 0.0005 → 0.05 → 0.1.
    expect(formatRate('0.3333')).toBe('33.3%');
    expect(formatRate('0.6667')).toBe('66.7%');
    expect(formatRate('0.0005')).toBe('0.1%');
    expect(formatRate('0.0004')).toBe('0.0%');
    // 0.145 × 100 is 14.499999999999998 in floating point; the exact answer rounds to 15.
    expect(formatRate('0.145', 0)).toBe('15%');
    expect(formatRate('1.2500')).toBe('125.0%');
    expect(formatRate('12345678901234567890.1234', 0)).toBe('1234567890123456789012%');
  });

  it('keeps the sign of a negative rate and drops it at zero', () => {
    expect(formatRate('-0.2500')).toBe('-25.0%');
    expect(formatRate('-0.0001')).toBe('0.0%');
  });

  it('shows a dash for missing or malformed rates', () => {
    expect(formatRate(null)).toBe('—');
    expect(formatRate(undefined)).toBe('—');
    expect(formatRate('')).toBe('—');
    expect(formatRate('abc')).toBe('—');
    expect(formatRate('0.95%')).toBe('—');
  });

  it('gives the bare percentage for charts', () => {
    expect(rateToPercent('0.9500')).toBe('95.0');
    expect(rateToPercent('0.5', 2)).toBe('50.00');
    expect(rateToPercent('nope')).toBeNull();
  });
});
