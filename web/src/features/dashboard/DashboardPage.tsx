/**
 * The dashboard: the KPI mart's figures (written by the nightly rollup, so empty for a new org)
 * with daily charts and the live count of open maintenance, and below them live occupancy and
 * delinquency straight from the API, which change as soon as a lease is activated or a payment
 * recorded.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { apiGet, type Schemas } from '@/api/client';
import { LeaseTenants, UnitName } from '@/components/EntityNames';
import { BarChart } from '@/components/BarChart';
import { MoneyText } from '@/components/Money';
import { PageHeader, Section } from '@/components/Page';
import { Empty, QueryView } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatDay, formatInstant, todayIn } from '@/lib/dates';
import { sumAmounts } from '@/lib/money';
import { useOrg } from '@/lib/org';
import { formatRate, rateToPercent } from './formatRate';
import './dashboard.css';

type KpiDay = Schemas['KpiDay'];
type BuildingOccupancy = Schemas['BuildingOccupancy'];
type CurrencyTotal = Schemas['CurrencyTotal'];
type LeaseDelinquency = Schemas['LeaseDelinquency'];

const DAYS = 30;
/** Live figures are read afresh each time the dashboard opens (another screen may have changed them). */
const LIVE = { staleTime: 0, refetchOnMount: 'always' as const };

export default function DashboardPage() {
  return (
    <>
      <PageHeader title="Dashboard" />
      <KpiSection />
      <OccupancySection />
      <DelinquencySection />
    </>
  );
}

function Tile({ label, children, sub, testId }: { label: string; children: ReactNode; sub?: ReactNode; testId?: string }) {
  return (
    <div className="tile" role="group" aria-label={label}>
      <div className="label" aria-hidden="true">
        {label}
      </div>
      <div className="value" data-testid={testId}>
        {children}
      </div>
      {sub ? <div className="muted dash-sub">{sub}</div> : null}
    </div>
  );
}

/** Requests not yet completed or cancelled: a live count (not the nightly mart's), linking to them. */
function MaintenanceTile({ open }: { open: number }) {
  const { orgId } = useOrg();
  return (
    <Tile
      label="Open maintenance"
      testId="open-maintenance"
      sub={
        <>
          Not yet completed or cancelled · <Link to={`/orgs/${orgId}/maintenance`}>Maintenance requests</Link>
        </>
      }
    >
      {open}
    </Tile>
  );
}

// ---- the KPI mart ---------------------------------------------------------------------------

function KpiSection() {
  const { orgId } = useOrg();
  const q = useQuery({
    queryKey: ['orgs', orgId, 'dashboard', DAYS],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/dashboard', { orgId }, { days: DAYS }, { signal }),
    ...LIVE,
  });
  return (
    <Section title="Key figures">
      <QueryView query={q}>
        {(d) =>
          !d.today && d.series.length === 0 ? (
            <>
              <Empty>
                <strong>No figures yet.</strong> Occupancy, billed, collected, the collection rate, delinquency and NOI appear here after the
                nightly rollup has run for your organization. The live occupancy and delinquency below are current now.
              </Empty>
              <div className="grid dash-live-tiles">
                <MaintenanceTile open={d.openMaintenance} />
              </div>
            </>
          ) : (
            <KpiView dashboard={d} />
          )
        }
      </QueryView>
    </Section>
  );
}

function KpiView({ dashboard }: { dashboard: Schemas['Dashboard'] }) {
  const { org } = useOrg();
  const today = dashboard.today ?? dashboard.series[dashboard.series.length - 1];
  if (!today) return null;
  const currency = today.collected.currency;
  const series = dashboard.series;
  const label = (d: KpiDay) => d.date.slice(5);
  return (
    <>
      <p className="muted">
        As of {formatDay(dashboard.asOf ?? today.date)} · computed {formatInstant(today.computedAt, org.timezone)}
      </p>
      <div className="grid">
        <Tile label="Occupancy" sub={`${today.occupied} of ${today.units} units occupied`}>
          {formatRate(today.occupancyRate)}
        </Tile>
        <Tile
          label="Billed"
          sub={
            <>
              Month to date · <MoneyText value={today.billed} /> that day
            </>
          }
        >
          <MoneyText value={today.billedMonthToDate} />
        </Tile>
        <Tile
          label="Collected"
          sub={
            <>
              Month to date · <MoneyText value={today.collected} /> that day
            </>
          }
        >
          <MoneyText value={today.collectedMonthToDate} />
        </Tile>
        <Tile label="Collection rate" sub={today.collectionRate ? 'Collected ÷ billed, month to date' : 'Nothing billed this month yet'}>
          {formatRate(today.collectionRate)}
        </Tile>
        <Tile label="Delinquent" sub="Past due or due">
          <MoneyText value={today.delinquent} />
        </Tile>
        <Tile label="NOI month to date" sub="Cash basis">
          <MoneyText value={today.noiMonthToDate} />
        </Tile>
        <MaintenanceTile open={dashboard.openMaintenance} />
      </div>
      {series.length > 0 ? (
        <div className="dash-charts">
          <BarChart
            title={`Collected per day (${currency})`}
            currency={currency}
            bars={series.filter((d) => d.collected.currency === currency).map((d) => ({ label: label(d), value: d.collected.amount }))}
          />
          <BarChart title="Occupancy per day (%)" bars={series.map((d) => ({ label: label(d), value: rateToPercent(d.occupancyRate) ?? '0' }))} />
        </div>
      ) : null}
    </>
  );
}

// ---- live occupancy -------------------------------------------------------------------------

function OccupancySection() {
  const { orgId, org } = useOrg();
  const today = todayIn(org.timezone);
  const q = useQuery({
    queryKey: ['orgs', orgId, 'occupancy', today],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/occupancy', { orgId }, { date: today }, { signal }),
    ...LIVE,
  });
  return (
    <Section title="Occupancy">
      <QueryView query={q}>
        {(o) => (
          <>
            <p className="muted">Today, {formatDay(o.date)}, from active leases.</p>
            <div className="grid">
              <Tile label="Units">{o.portfolio.units}</Tile>
              <Tile label="Occupied units" testId="occupied-units">
                {o.portfolio.occupied}
              </Tile>
              <Tile label="Vacant units">{o.portfolio.vacant}</Tile>
              <Tile label="Occupancy rate">{formatRate(o.portfolio.rate)}</Tile>
            </div>
            {o.buildings.length === 0 ? (
              <Empty>
                No buildings yet. <Link to={`/orgs/${orgId}/buildings`}>Add a building</Link> and its units to see occupancy.
              </Empty>
            ) : (
              <div className="dash-table">
                <Table<BuildingOccupancy>
                  caption="Occupancy by building"
                  rowKey={(b) => b.buildingId}
                  rows={o.buildings}
                  columns={[
                    {
                      header: 'Building',
                      cell: (b) => (
                        <>
                          <Link to={`/orgs/${orgId}/buildings/${b.buildingId}`}>{b.name}</Link>
                          {b.archived ? <span className="status dash-archived">Archived</span> : null}
                        </>
                      ),
                    },
                    { header: 'Units', numeric: true, cell: (b) => b.units },
                    { header: 'Occupied', numeric: true, cell: (b) => b.occupied },
                    { header: 'Vacant', numeric: true, cell: (b) => b.vacant },
                    { header: 'Rate', numeric: true, cell: (b) => formatRate(b.rate) },
                  ]}
                />
              </div>
            )}
          </>
        )}
      </QueryView>
    </Section>
  );
}

// ---- live delinquency -----------------------------------------------------------------------

const TOP = 10;

function DelinquencySection() {
  const { orgId } = useOrg();
  const q = useQuery({
    queryKey: ['orgs', orgId, 'delinquency', 'live'],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/delinquency', { orgId }, undefined, { signal }),
    ...LIVE,
  });
  return (
    <Section
      title="Delinquency"
      actions={
        <Link to={`/orgs/${orgId}/delinquency`} className="btn">
          All delinquency
        </Link>
      }
    >
      <QueryView query={q}>{(d) => <DelinquencyView d={d} />}</QueryView>
    </Section>
  );
}

function DelinquencyView({ d }: { d: Schemas['Delinquency'] }) {
  const { orgId } = useOrg();
  const single = d.totals.length === 1 ? d.totals[0] : undefined;
  // The total owed: the base-currency total when the API gives it, else each currency's.
  const total = d.baseTotal ? (
    <MoneyText value={d.baseTotal} />
  ) : single ? (
    <MoneyText value={single.aging.total} />
  ) : (
    <span className="dash-totals">
      {d.totals.map((t) => (
        <MoneyText key={t.currency} value={t.aging.total} />
      ))}
    </span>
  );
  return (
    <>
      <p className="muted">As of {formatDay(d.asOf)}: everything past due or due.</p>
      <div className="grid">
        <Tile label="Total owed" testId="delinquent-total" sub={d.totals.length > 1 ? 'In the base currency' : undefined}>
          {total}
        </Tile>
        <Tile label="Leases owing">{d.leases.length}</Tile>
      </div>
      {d.unconvertedCharges > 0 ? (
        <p className="muted">
          {d.unconvertedCharges} {d.unconvertedCharges === 1 ? 'charge has' : 'charges have'} no exchange rate to the base currency and{' '}
          {d.unconvertedCharges === 1 ? 'is' : 'are'} left out of the base total.
        </p>
      ) : null}
      {d.totals.length === 0 ? (
        <Empty>Nobody owes anything today.</Empty>
      ) : (
        <>
          <h3 className="dash-h3">Aging</h3>
          <div className="dash-table">
            <Table<CurrencyTotal>
              caption="Amounts owed by age"
              rowKey={(t) => t.currency}
              rows={d.totals}
              columns={[
                { header: 'Currency', cell: (t) => t.currency },
                { header: 'Current', numeric: true, cell: (t) => <MoneyText value={t.aging.current} /> },
                { header: '1–30 days', numeric: true, cell: (t) => <MoneyText value={t.aging.d1_30} /> },
                { header: '31–60 days', numeric: true, cell: (t) => <MoneyText value={t.aging.d31_60} /> },
                { header: '61–90 days', numeric: true, cell: (t) => <MoneyText value={t.aging.d61_90} /> },
                { header: '90+ days', numeric: true, cell: (t) => <MoneyText value={t.aging.d90_plus} /> },
                { header: 'Total', numeric: true, cell: (t) => <MoneyText value={t.aging.total} /> },
              ]}
            />
          </div>
          <h3 className="dash-h3">Most overdue leases</h3>
          <div className="dash-table">
            <Table<LeaseDelinquency>
              caption="Most overdue leases"
              rowKey={(l) => l.leaseId}
              rows={d.leases.slice(0, TOP)}
              columns={[
                {
                  header: 'Tenants',
                  cell: (l) => (
                    <Link to={`/orgs/${orgId}/leases/${l.leaseId}`}>
                      <LeaseTenants orgId={orgId} leaseId={l.leaseId} />
                    </Link>
                  ),
                },
                { header: 'Unit', cell: (l) => <UnitName orgId={orgId} unitId={l.unitId} /> },
                { header: 'Oldest due', cell: (l) => formatDay(l.oldestDueDate) },
                { header: 'Past 30 days', numeric: true, cell: (l) => <MoneyText value={pastThirty(l)} /> },
                { header: 'Owed', numeric: true, cell: (l) => <MoneyText value={l.aging.total} /> },
              ]}
            />
          </div>
          {d.leases.length > TOP ? (
            <p className="muted">
              {d.leases.length - TOP} more — see <Link to={`/orgs/${orgId}/delinquency`}>all delinquency</Link>.
            </p>
          ) : null}
        </>
      )}
    </>
  );
}

/** What is more than 30 days late: the 31–60, 61–90 and 90+ buckets (summed exactly, in minor units). */
function pastThirty(l: LeaseDelinquency): Schemas['MoneyDto'] | null {
  const a = l.aging;
  const amount = sumAmounts([a.d31_60.amount, a.d61_90.amount, a.d90_plus.amount], l.currency);
  return amount === null ? null : { amount, currency: l.currency };
}
