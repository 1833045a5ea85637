/**
 * Money in the UI: the API's decimal strings (`"1250.00"`) are shown as they are, formatted with
 * their currency by `Intl.NumberFormat` (which formats a decimal *string* exactly), and any
 * arithmetic the UI needs (a split's remainder, a chart's bar) is done in integer minor units as
 * `BigInt`, never in floating point.
 */
export interface Money {
  amount: string;
  currency: string;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Minor-unit digits of a currency (USD 2, JPY 0, BHD 3), as Intl knows them. */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

const formatters = new Map<string, Intl.NumberFormat>();
function formatter(currency: string, locale?: string): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code' });
    formatters.set(key, f);
  }
  return f;
}

/** `formatMoney({amount: "1250.5", currency: "USD"})` → `"USD 1,250.50"` (locale-dependent separators). */
export function formatMoney(m: Money | null | undefined, locale?: string): string {
  if (!m) return '—';
  if (!DECIMAL.test(m.amount)) return `${m.amount} ${m.currency}`;
  // Intl formats a numeric string as the exact decimal it spells (ECMA-402 "Intl mathematical value").
  return formatter(m.currency, locale).format(m.amount as unknown as number).replace(/\u00a0/g, ' ');
}

/** Parses a decimal string into integer minor units; `null` when it is not a valid amount. */
export function toMinor(amount: string, currency: string): bigint | null {
  return toScaled(amount, minorDigits(currency));
}

/** A decimal string as an integer of `10^-digits` units; `null` if invalid or more precise. */
export function toScaled(amount: string, digits: number): bigint | null {
  const s = amount.trim().replace(/,/g, '');
  if (!DECIMAL.test(s)) return null;
  const neg = s.startsWith('-');
  const [whole = '0', frac = ''] = (neg ? s.slice(1) : s).split('.');
  if (frac.length > digits) return null;
  const v = BigInt(whole) * 10n ** BigInt(digits) + BigInt((frac + '0'.repeat(digits)).slice(0, digits) || '0');
  return neg ? -v : v;
}

/** Integer minor units back to the API's decimal string. */
export function fromMinor(minor: bigint, currency: string): string {
  const digits = minorDigits(currency);
  const neg = minor < 0n;
  const abs = (neg ? -minor : minor).toString().padStart(digits + 1, '0');
  const whole = abs.slice(0, abs.length - digits);
  const frac = abs.slice(abs.length - digits);
  return `${neg ? '-' : ''}${whole}${digits ? '.' + frac : ''}`;
}

/** Sum of decimal strings in one currency, exactly. */
export function sumAmounts(amounts: string[], currency: string): string | null {
  let total = 0n;
  for (const a of amounts) {
    const m = toMinor(a, currency);
    if (m === null) return null;
    total += m;
  }
  return fromMinor(total, currency);
}

/** Normalizes what a user typed (`"1,250.5"`) to the API's string (`"1250.50"`); `null` if invalid. */
export function normalizeAmount(typed: string, currency: string): string | null {
  const m = toMinor(typed, currency);
  return m === null ? null : fromMinor(m, currency);
}

const abs = (x: bigint) => (x < 0n ? -x : x);

/** `|part| / |whole|` in per mille (0–1000), for bar lengths; computed on integers. */
export function perMille(part: bigint, whole: bigint): number {
  if (whole === 0n) return 0;
  return Number((abs(part) * 1000n) / abs(whole));
}

export function isNegative(amount: string): boolean {
  return amount.trim().startsWith('-');
}
