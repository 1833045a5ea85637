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
