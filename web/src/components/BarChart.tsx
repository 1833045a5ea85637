/**
 * A small accessible bar chart of money or counts. Bar lengths are computed on integers (the
 * decimal strings scaled to integers, `perMille`), so no amount passes through floating point;
 * the figures are shown as the API gave them, in a table screen readers read.
 */
import { formatMoney, minorDigits, perMille, toScaled } from '@/lib/money';

export interface Bar {
  label: string;
  /** A decimal string: money in `currency`, or a plain figure (a count, a rate) without it. */
  value: string;
}

export function BarChart({ title, bars, currency }: { title: string; bars: Bar[]; currency?: string }) {
  const digits = currency ? minorDigits(currency) : 6;
  const scaled = bars.map((b) => toScaled(b.value, digits) ?? 0n);
  const max = scaled.reduce<bigint>((m, v) => (v < 0n ? -v : v) > m ? (v < 0n ? -v : v) : m, 0n);
  const show = (v: string) => (currency ? formatMoney({ amount: v, currency }) : v);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div className="bars" aria-hidden="true">
        {bars.map((b, i) => {
          const v = scaled[i] ?? 0n;
          return (
            // Labels may repeat (two buildings of the same name): the position keeps keys unique.
            <div key={`${i}:${b.label}`} className="bar-col" title={`${b.label}: ${show(b.value)}`}>
              <div className={`bar${v < 0n ? ' negative' : ''}`} style={{ height: `${perMille(v, max) / 10}%` }} />
              <span className="bar-label">{b.label}</span>
            </div>
          );
        })}
      </div>
      <table className="sr-only">
        <caption>{title}</caption>
        <tbody>
          {bars.map((b, i) => (
            <tr key={`${i}:${b.label}`}>
              <th scope="row">{b.label}</th>
              <td>{show(b.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
