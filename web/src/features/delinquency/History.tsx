/**
 * The delinquency page's "History": the daily snapshots the nightly job stores (newest first from
 * the API, paged by cursor), charted oldest → newest per currency and listed in a small table.
 */
import { apiGet, type Schemas } from '@/api/client';
import { BarChart, type Bar } from '@/components/BarChart';
import { MoneyText } from '@/components/Money';
import { Section } from '@/components/Page';
import { LoadMore, usePaged } from '@/components/Paged';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatDay } from '@/lib/dates';
import { fromMinor } from '@/lib/money';

export type Snapshot = Schemas['Delinquency'];

/** Currencies owed in any snapshot: the base currency first, then alphabetically. */
export function currenciesOf(snapshots: Snapshot[], base: string): string[] {
  const set = new Set<string>();
  for (const s of snapshots) for (const t of s.totals) set.add(t.currency);
  return [...set].sort((a, b) => (a === base ? -1 : b === base ? 1 : a.localeCompare(b)));
}

/** `Mar 15` for a bar's label (the table below has the full day). */
function shortDay(day: string): string {
  const [y, m, d] = day.split('-').map((x) => Number.parseInt(x, 10));
  if (!y || !m || !d) return day;
  return new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d, 12)));
}

/** Total owed in `currency` per snapshot day, oldest first; a day owing nothing in it is zero. */
export function totalsPerDay(snapshots: Snapshot[], currency: string): Bar[] {
  return [...snapshots]
    .sort((a, b) => a.asOf.localeCompare(b.asOf))
    .map((s) => ({ label: shortDay(s.asOf), value: s.totals.find((t) => t.currency === currency)?.aging.total.amount ?? fromMinor(0n, currency) }));
}

function Owed({ s }: { s: Snapshot }) {
  if (!s.totals.length) return <span className="muted">Nothing</span>;
  return (
    <span className="history-owed">
      {s.totals.map((t) => (
        <MoneyText key={t.currency} value={t.aging.total} />
      ))}
    </span>
  );
}

export function DelinquencyHistory({ orgId, baseCurrency }: { orgId: string; baseCurrency: string }) {
  const list = usePaged<Snapshot>(['orgs', orgId, 'delinquency', 'snapshots'], (cursor, signal) =>
    apiGet('/api/v1/orgs/{orgId}/delinquency/snapshots', { orgId }, { limit: 30, cursor }, { signal }),
  );
  const snapshots = list.items;
  const currencies = currenciesOf(snapshots, baseCurrency);
  const multi = snapshots.some((s) => s.totals.length > 1);
  return (
    <Section title="History">
      {list.isPending ? (
        <Loading label="Loading history…" />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : !snapshots.length ? (
        <Empty>No daily snapshots yet: the nightly job stores what is owed each day.</Empty>
      ) : (
        <div className="history">
          {currencies.length ? (
            <div className="history-charts">
              {currencies.map((c) => (
                <BarChart key={c} title={`Total owed per day (${c})`} currency={c} bars={totalsPerDay(snapshots, c)} />
              ))}
            </div>
          ) : (
            <p className="muted">Nothing was owed on any of these days.</p>
          )}
          <Table<Snapshot>
            caption="Daily snapshots, newest first"
            rows={snapshots}
            rowKey={(s) => s.asOf}
            columns={[
              { header: 'Day', cell: (s) => formatDay(s.asOf) },
              { header: 'Total owed', numeric: true, cell: (s) => <Owed s={s} /> },
              ...(multi ? [{ header: `All in ${baseCurrency}`, numeric: true, cell: (s: Snapshot) => (s.baseTotal ? <MoneyText value={s.baseTotal} /> : '—') }] : []),
              { header: 'Leases owing', numeric: true, cell: (s) => String(s.leases.length) },
            ]}
          />
          <LoadMore query={list} />
        </div>
      )}
    </Section>
  );
}
