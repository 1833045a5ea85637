/** Checking an amount the user typed before the API is asked (the API checks again). */
import type { Schemas } from '@/api/client';
import { minorDigits, normalizeAmount, toMinor } from '@/lib/money';

const NUMBER = /^-?[\d,]*(\.\d*)?$/;

/**
 * `null` when `typed` is a valid amount in `currency`, else the message to show. Empty is valid
 * unless `required`; zero and negative amounts are refused unless `allowZero`.
 */
export function amountProblem(typed: string, currency: string, opts: { required?: boolean; allowZero?: boolean } = {}): string | null {
  const s = typed.trim();
  if (!s) return opts.required ? 'Enter an amount.' : null;
  const digits = minorDigits(currency);
  if (!NUMBER.test(s) || !/\d/.test(s)) return 'Enter an amount like 1250.00.';
  const frac = s.split('.')[1] ?? '';
  if (frac.length > digits) return digits === 0 ? `${currency} amounts have no decimal places.` : `${currency} amounts have at most ${digits} decimal places.`;
  const minor = toMinor(s, currency);
  if (minor === null) return 'Enter an amount like 1250.00.';
  if (minor < 0n) return 'Enter a positive amount.';
  if (minor === 0n && !opts.allowZero) return 'Enter an amount greater than zero.';
  return null;
}

/** The API's money input for a checked amount (call only when `amountProblem` is null). */
export function moneyInput(typed: string, currency: string): Schemas['MoneyInput'] {
  return { amount: normalizeAmount(typed, currency) ?? typed.trim(), currency } as Schemas['MoneyInput'];
}
