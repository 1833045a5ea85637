/**
 * Dates as the org lives them: API dates (`2027-03-01`) are calendar days and shown as such;
 * instants (`2027-03-01T14:05:00Z`) are shown in the org's IANA timezone.
 */
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function formatDay(day: string | null | undefined, locale?: string): string {
  if (!day) return '—';
  if (!DAY.test(day)) return day;
  const [y, m, d] = day.split('-').map((x) => Number.parseInt(x, 10));
  // A calendar day has no timezone: format it at noon UTC as UTC so no offset can move it.
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12)),
  );
}

export function formatInstant(instant: string | null | undefined, timeZone: string, locale?: string): string {
  if (!instant) return '—';
  const t = new Date(instant);
  if (Number.isNaN(t.getTime())) return instant;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(t);
}

/** Today's date in `timeZone`, as the API writes days. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function monthLabel(yyyyMm: string, locale?: string): string {
  const [y, m] = yyyyMm.split('-').map((x) => Number.parseInt(x, 10));
  if (!y || !m) return yyyyMm;
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 15)));
}
