import { beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import { apiGet } from '@/api/client';
import DashboardPage from './DashboardPage';
import { ORG_ID, renderWithOrg } from '@/test/renderWithOrg';

vi.mock('@/api/client', () => ({ apiGet: vi.fn() }));

const get = vi.mocked(apiGet);
const usd = (amount: string) => ({ amount, currency: 'USD' });
const aging = (total: string) => ({ current: usd('0.00'), d1_30: usd(total), d31_60: usd('0.00'), d61_90: usd('0.00'), d90_plus: usd('0.00'), total: usd(total) });

function day(date: string, collected: string, rate: string) {
  return {
    date,
    billed: usd('1550.00'),
    billedMonthToDate: usd('3100.00'),
    collected: usd(collected),
    collectedMonthToDate: usd('2945.00'),
    collectionRate: '0.9500',
    computedAt: '2027-03-02T05:00:00Z',
    delinquent: usd('155.00'),
    noiMonthToDate: usd('2400.50'),
    occupancyRate: rate,
    occupied: 19,
    units: 20,
  };
}

function answer(responses: Record<string, unknown>) {
  get.mockImplementation(((path: string) => Promise.resolve(responses[path])) as never);
}

const EMPTY_OCC = { date: '2027-03-02', portfolio: { units: 2, occupied: 0, vacant: 2, rate: '0.0000' }, buildings: [] };
const EMPTY_DELQ = { asOf: '2027-03-02', source: 'live', leases: [], totals: [], baseTotal: usd('0.00'), unconvertedCharges: 0 };

beforeEach(() => vi.resetAllMocks());

describe('DashboardPage', () => {
  it('says the figures come after the nightly rollup, and still shows live occupancy and delinquency', async () => {
    answer({
      '/api/v1/orgs/{orgId}/dashboard': { days: 30, series: [], openMaintenance: 2 },
      '/api/v1/orgs/{orgId}/occupancy': EMPTY_OCC,
      '/api/v1/orgs/{orgId}/delinquency': EMPTY_DELQ,
    });
    renderWithOrg(<DashboardPage />, { route: 'dashboard', at: 'dashboard' });
    expect(screen.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeInTheDocument();
    expect(await screen.findByText(/after the\s+nightly rollup/)).toBeInTheDocument();
    expect(await screen.findByTestId('occupied-units')).toHaveTextContent('0');
    expect(await screen.findByTestId('delinquent-total')).toHaveTextContent('USD 0.00');
    expect(screen.getByText('Nobody owes anything today.')).toBeInTheDocument();
    // Open maintenance is live, so it shows before the first rollup too, linking to the requests.
    const maintenance = screen.getByRole('group', { name: 'Open maintenance' });
    expect(within(maintenance).getByTestId('open-maintenance')).toHaveTextContent('2');
    expect(within(maintenance).getByRole('link', { name: 'Maintenance requests' })).toHaveAttribute('href', `/orgs/${ORG_ID}/maintenance`);
    // Occupancy is asked for today in the org's timezone.
    const occ = get.mock.calls.find((c) => c[0] === '/api/v1/orgs/{orgId}/occupancy')!;
    expect(occ[2]).toEqual({ date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(get).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/dashboard', { orgId: ORG_ID }, { days: 30 }, expect.anything());
  });

  it('shows the KPI tiles with rates as percentages, the charts, and the live sections', async () => {
    answer({
      '/api/v1/orgs/{orgId}/dashboard': {
        days: 30,
        asOf: '2027-03-02',
        today: day('2027-03-02', '1550.00', '0.9500'),
        series: [day('2027-03-01', '0.00', '0.9000'), day('2027-03-02', '1550.00', '0.9500')],
        openMaintenance: 0,
      },
      '/api/v1/orgs/{orgId}/occupancy': {
        date: '2027-03-02',
        portfolio: { units: 2, occupied: 1, vacant: 1, rate: '0.5000' },
        buildings: [{ buildingId: 'bld_1', name: 'Maple Court', archived: false, units: 2, occupied: 1, vacant: 1, rate: '0.5000' }],
      },
      '/api/v1/orgs/{orgId}/delinquency': {
        asOf: '2027-03-02',
        source: 'live',
        leases: [{ leaseId: 'lse_1', unitId: 'unt_1', currency: 'USD', oldestDueDate: '2027-02-01', aging: aging('550.00') }],
        totals: [{ currency: 'USD', aging: aging('550.00') }],
        baseTotal: usd('550.00'),
        unconvertedCharges: 0,
      },
    });
    renderWithOrg(<DashboardPage />, { route: 'dashboard', at: 'dashboard' });
    const tile = async (label: string) => screen.findByRole('group', { name: label });
    expect(await tile('Occupancy')).toHaveTextContent('95.0%');
    expect(await tile('Billed')).toHaveTextContent('USD 3,100.00');
    expect(await tile('Collected')).toHaveTextContent('USD 2,945.00');
    expect(await tile('Collection rate')).toHaveTextContent('95.0%');
    expect(await tile('Delinquent')).toHaveTextContent('USD 155.00');
    expect(await tile('NOI month to date')).toHaveTextContent('USD 2,400.50');
    expect(within(await tile('Open maintenance')).getByTestId('open-maintenance')).toHaveTextContent(/^0$/);
    expect(screen.getByText('Collected per day (USD)', { selector: 'figcaption' })).toBeInTheDocument();
    expect(screen.getByText('Occupancy per day (%)', { selector: 'figcaption' })).toBeInTheDocument();

    expect(await screen.findByTestId('occupied-units')).toHaveTextContent('1');
    expect(screen.getByRole('link', { name: 'Maple Court' })).toHaveAttribute('href', `/orgs/${ORG_ID}/buildings/bld_1`);
    expect(await screen.findByTestId('delinquent-total')).toHaveTextContent('USD 550.00');
    expect(await tile('Leases owing')).toHaveTextContent('1');
    const overdue = screen.getByRole('table', { name: 'Most overdue leases' });
    expect(within(overdue).getByRole('link', { name: 'lse_1' })).toHaveAttribute('href', `/orgs/${ORG_ID}/leases/lse_1`);
  });
});
