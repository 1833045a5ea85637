import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { apiGet, type Schemas } from '@/api/client';
import { MoneyText } from '@/components/Money';
import { PageHeader, Section } from '@/components/Page';
import { QueryView } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatDay } from '@/lib/dates';
import { useOrg } from '@/lib/org';
import { ExportButtons } from './exports';
import { DayField, isDay, ParamsBar, Tile, useDefaults, useParam } from './shared';
import './reports.css';

type Unit = Schemas['RentRollUnit'];
type Total = Schemas['RentRollTotal'];

const STATUS: Record<Schemas['UnitStatus'], string> = { occupied: 'Occupied', vacant: 'Vacant', notice: 'Notice' };

/** `reports/rent-roll`: every unit as of a day, with its lease, rent, deposit and balance. */
export default function RentRollPage() {
  const { orgId } = useOrg();
  const d = useDefaults();
  const [asOf, setAsOf] = useParam('asOf', d.today);
  const valid = isDay(asOf);
  const q = useQuery({
    queryKey: ['orgs', orgId, 'reports', 'rent-roll', { asOf }],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/reports/rent-roll', { orgId }, { asOf }, { signal }),
    enabled: valid,
    placeholderData: keepPreviousData,
  });
  const year = valid ? Number.parseInt(asOf.slice(0, 4), 10) : null;
  return (
    <>
      <PageHeader title="Rent roll">
        <p className="muted">Every unit as of {formatDay(asOf)}: the lease that covered it, its rent, the deposit held and the balance owed that day.</p>
      </PageHeader>
      <ParamsBar>
        <DayField label="As of" name="asOf" value={asOf} onChange={setAsOf} error={q.error} />
      </ParamsBar>
      <ExportButtons requests={[{ kind: 'year-end', body: year && year >= 2000 && year <= 2100 ? { kind: 'year-end', year } : null }]} shown={['year']} />
      {valid ? (
        <QueryView query={q} empty={(data) => (data.units.length ? null : 'No units yet.')}>
          {(data) => (
            <>
              <div className="grid report-tiles">
                <Tile label="Units">{data.units.length}</Tile>
                <Tile label="Occupied">{data.occupied}</Tile>
                <Tile label="On notice">{data.notice}</Tile>
                <Tile label="Vacant">{data.vacant}</Tile>
              </div>
              <Section title="Units">
                <Table<Unit>
                  caption={`Rent roll as of ${formatDay(data.asOf)}`}
                  rowKey={(u) => u.unitId}
                  rows={data.units}
                  columns={[
                    { header: 'Building', cell: (u) => <Link to={`/orgs/${orgId}/buildings/${u.buildingId}`}>{u.buildingName}</Link> },
                    { header: 'Unit', cell: (u) => u.label },
                    { header: 'Status', cell: (u) => <span className={`status unit-${u.status}`}>{STATUS[u.status]}</span> },
                    {
                      header: 'Tenants',
                      cell: (u) =>
                        u.lease ? (
                          <Link to={`/orgs/${orgId}/leases/${u.lease.leaseId}`}>{u.lease.tenants.map((t) => t.name).join(', ') || 'Lease'}</Link>
                        ) : (
                          <span className="muted">—</span>
                        ),
                    },
                    { header: 'Lease start', cell: (u) => (u.lease ? formatDay(u.lease.startDate) : '—') },
                    { header: 'Lease end', cell: (u) => (u.lease ? (u.lease.endDate ? formatDay(u.lease.endDate) : 'Month-to-month') : '—') },
                    { header: 'Move-out', cell: (u) => formatDay(u.lease?.moveOutDate) },
                    { header: 'Rent', numeric: true, cell: (u) => <MoneyText value={u.lease?.rent} /> },
                    { header: 'Market rent', numeric: true, cell: (u) => <MoneyText value={u.marketRent} /> },
                    { header: 'Deposit held', numeric: true, cell: (u) => <MoneyText value={u.lease?.depositHeld} /> },
                    { header: 'Balance', numeric: true, cell: (u) => <MoneyText value={u.lease?.balance} /> },
                  ]}
                />
              </Section>
              <Section title="Totals">
                {data.totals.length ? (
                  <Table<Total>
                    caption="Rent roll totals per currency"
                    rowKey={(t) => t.currency}
                    rows={data.totals}
                    columns={[
                      { header: 'Currency', cell: (t) => t.currency },
                      { header: 'Monthly rent', numeric: true, cell: (t) => <MoneyText value={t.rent} /> },
                      { header: 'Deposits held', numeric: true, cell: (t) => <MoneyText value={t.depositsHeld} /> },
                      { header: 'Balances owed', numeric: true, cell: (t) => <MoneyText value={t.balance} /> },
                    ]}
                  />
                ) : (
                  <p className="muted">No leases on this day.</p>
                )}
              </Section>
            </>
          )}
        </QueryView>
      ) : (
        <p className="muted">Enter a day to see the rent roll.</p>
      )}
    </>
  );
}
