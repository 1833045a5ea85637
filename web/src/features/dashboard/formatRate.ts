/**
 * Rates as the API writes them — decimal strings such as `"0.9500"` (occupied / units,
 * collected / billed) — turned into percentages on integers (BigInt), never through floating point.
 */
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** `"0.9500"` → `"95.0"` (percent, `fractionDigits` decimals, half up); `null` if not a decimal. */
export function rateToPercent(rate: string | null | undefined, fractionDigits = 1): string | null {
  if (rate === null || rate === undefined) return null;
  const m = DECIMAL.exec(rate.trim());
  if (!m) return null;
  const [, sign = '', whole = '0', frac = ''] = m;
  // rate = n / 10^scale; percent × 10^digits = n × 100 × 10^digits / 10^scale.
  const n = BigInt(whole + frac);
  const num = n * 100n * 10n ** BigInt(fractionDigits);
  const den = 10n ** BigInt(frac.length);
  let q = num / den;
  if ((num % den) * 2n >= den) q += 1n;
  const digits = q.toString().padStart(fractionDigits + 1, '0');
  const int = digits.slice(0, digits.length - fractionDigits);
  const dec = digits.slice(digits.length - fractionDigits);
  const body = fractionDigits > 0 ? `${int}.${dec}` : int;
  return `${sign && q !== 0n ? '-' : ''}${body}`;
}

/** `"0.9500"` → `"95.0%"`, `"1"` → `"100.0%"`; `"—"` when absent or not a decimal. */
export function formatRate(rate: string | null | undefined, fractionDigits = 1): string {
  const p = rateToPercent(rate, fractionDigits);
  return p === null ? '—' : `${p}%`;
}
