import { formatDay } from '@/lib/dates';

/** Calendar-day arithmetic on the API's `YYYY-MM-DD` days: whole days on UTC dates, no time zone, no fractions. */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `day` plus `n` whole days (`2027-01-30` + 30 → `2027-03-01`); anything not a day is returned as is. */
export function addDays(day: string, n: number): string {
  const m = DAY.exec(day);
  if (!m) return day;
  const [y, mo, d] = [m[1], m[2], m[3]].map((x) => Number.parseInt(x ?? '', 10));
  const t = new Date(Date.UTC(y ?? 1970, (mo ?? 1) - 1, (d ?? 1) + Math.trunc(n)));
  const pad = (v: number, w: number) => String(v).padStart(w, '0');
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1, 2)}-${pad(t.getUTCDate(), 2)}`;
}

/** The day of the week of `day`, 0 for Monday to 6 for Sunday (on its UTC date: no time zone can move it). */
function mondayIndex(day: string): number | null {
  const m = DAY.exec(day);
  if (!m) return null;
  const [y, mo, d] = [m[1], m[2], m[3]].map((x) => Number.parseInt(x ?? '', 10));
  return (new Date(Date.UTC(y ?? 1970, (mo ?? 1) - 1, d ?? 1)).getUTCDay() + 6) % 7;
}

/** The Monday that starts the week `day` is in (a Sunday belongs to the Monday before it); anything not a day is returned as is. */
export function weekStart(day: string): string {
  const i = mondayIndex(day);
  return i === null ? day : addDays(day, -i);
}

/** A day with its weekday, as a week's first day is named: `Mon 7 Dec`, or with its year `Mon 21 Dec 2026`. */
export function formatWeekday(day: string, withYear: boolean, locale?: string): string {
  const m = DAY.exec(day);
  if (!m) return day;
  const [y, mo, d] = [m[1], m[2], m[3]].map((x) => Number.parseInt(x ?? '', 10));
  const noon = new Date(Date.UTC(y ?? 1970, (mo ?? 1) - 1, d ?? 1, 12));
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(noon);
  const date = withYear ? formatDay(day, locale) : new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(noon);
  return `${weekday} ${date}`;
}
