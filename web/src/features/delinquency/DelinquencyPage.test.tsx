import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { formatDay, todayIn } from '@/lib/dates';
import { formatMoney } from '@/lib/money';
import { OrgContext } from '@/lib/org';

const apiGet = vi.fn();
vi.mock('@/api/client', () => ({ apiGet: (...a: unknown[]) => apiGet(...a) }));

const { default: DelinquencyPage } = await import('./DelinquencyPage');

const usd = (amount: string) => ({ amount, currency: 'USD' });
const aging = { current: usd('0.00'), d1_30: usd('1550.00'), d31_60: usd('2100.00'), d61_90: usd('0.00'), d90_plus: usd('0.00'), total: usd('3650.00') };
const report = {
  asOf: '2027-03-15',
  source: 'ledgers',
  leases: [{ leaseId: 'lse_1', unitId: 'unt_1', currency: 'USD', oldestDueDate: '2027-01-17', aging }],
  totals: [{ currency: 'USD', aging }],
  baseTotal: usd('3650.00'),
  unconvertedCharges: 0,
};

// The daily snapshots (newest first, as the API sends them); none unless a test says so.
let snapshots: (query: { cursor?: string }) => unknown = () => ({ items: [], nextCursor: null });
const day = (asOf: string, amount: string | null, leases = 1) => ({
  ...report,
  asOf,
  source: 'snapshot',
  leases: report.leases.slice(0, leases),
  totals: amount === null ? [] : [{ currency: 'USD', aging: { ...aging, total: usd(amount) } }],
});

function answer(path: string, _params: unknown, query?: { asOf?: string; cursor?: string }) {
  if (path === '/api/v1/orgs/{orgId}/delinquency') {
    if (query?.asOf === '1900-01-01') {
      return Promise.reject(
        new ApiError({ type: 'urn:portfolioos:problem:validation', title: 'Invalid request', status: 400, detail: 'asOf: too far back', errors: [{ field: 'asOf', message: 'too far back' }] }),
      );
    }
    return Promise.resolve(report);
  }
  if (path === '/api/v1/orgs/{orgId}/delinquency/snapshots') return Promise.resolve(snapshots(query as { cursor?: string }));
  if (path === '/api/v1/orgs/{orgId}/leases/{leaseId}') return Promise.resolve({ id: 'lse_1', unitId: 'unt_1', tenantIds: ['tnt_1', 'tnt_2'] });
  if (path === '/api/v1/orgs/{orgId}/tenants/{tenantId}') {
    const id = (_params as { tenantId: string }).tenantId;
    return Promise.resolve(id === 'tnt_1' ? { id, firstName: 'Jane', lastName: 'Doe' } : { id, firstName: 'Joe', lastName: 'Roe' });
  }
  if (path === '/api/v1/orgs/{orgId}/units/{unitId}') return Promise.resolve({ id: 'unt_1', label: '101', buildingId: 'bld_1' });
  if (path === '/api/v1/orgs/{orgId}/buildings/{buildingId}') return Promise.resolve({ id: 'bld_1', name: 'Maple Court' });
  return Promise.reject(new Error(`unexpected GET ${path}`));
}

function renderPage() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <MemoryRouter>
        <OrgContext.Provider
          value={{
            orgId: 'org_1',
            role: 'readonly',
            org: { id: 'org_1', name: 'Ann', baseCurrency: 'USD', country: 'US', timezone: 'America/New_York', createdAt: '', updatedAt: '' },
          }}
        >
          <DelinquencyPage />
        </OrgContext.Provider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('the delinquency screen', () => {
  beforeEach(() => {
    apiGet.mockReset();
    apiGet.mockImplementation(answer);
    snapshots = () => ({ items: [], nextCursor: null });
  });

  it('asks as of today in the org time zone and shows totals per bucket and the leases owing', async () => {
    renderPage();
    expect(screen.getByLabelText('As of')).toHaveValue(todayIn('America/New_York'));
    await screen.findByRole('heading', { name: 'Leases owing' });
    expect(apiGet).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/delinquency', { orgId: 'org_1' }, { asOf: todayIn('America/New_York') }, expect.anything());
    expect(screen.getByRole('heading', { level: 3, name: 'USD' })).toBeInTheDocument();
    expect(screen.getByRole('figure')).toHaveTextContent('Open balance by age (USD)');

    const table = screen.getByRole('table', { name: /Leases owing/ });
    const row = within(table).getAllByRole('row')[1] as HTMLElement;
    const link = await within(row).findByRole('link', { name: 'Jane Doe, Joe Roe' });
    expect(link).toHaveAttribute('href', '/orgs/org_1/leases/lse_1');
    expect(await within(row).findByText('Maple Court · 101')).toBeInTheDocument();
    expect(row).toHaveTextContent(formatMoney(usd('3650.00')));
    expect(row).toHaveTextContent(formatMoney(usd('2100.00')));
  });

  it('shows the API error for asOf under "As of"', async () => {
    renderPage();
    await screen.findByRole('heading', { name: 'Leases owing' });
    fireEvent.change(screen.getByLabelText('As of'), { target: { value: '1900-01-01' } });
    await waitFor(() => expect(screen.getByLabelText('As of')).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getAllByText('too far back').length).toBeGreaterThan(0);
  });

  it('says so when there is no history yet', async () => {
    renderPage();
    const history = await screen.findByRole('region', { name: 'History' });
    expect(await within(history).findByText(/No daily snapshots yet/)).toBeInTheDocument();
    expect(within(history).queryByRole('figure')).not.toBeInTheDocument();
  });

  it('charts the total owed per snapshot day, oldest first, and lists the days newest first with more on demand', async () => {
    snapshots = (q) =>
      q.cursor === 'c2'
        ? { items: [day('2027-03-12', '900.00')], nextCursor: null }
        : { items: [day('2027-03-15', '3650.00', 1), day('2027-03-14', null, 0), day('2027-03-13', '1550.00', 1)], nextCursor: 'c2' };
    renderPage();
    const history = await screen.findByRole('region', { name: 'History' });
    const chart = await within(history).findByRole('figure');
    expect(chart).toHaveTextContent('Total owed per day (USD)');
    expect(apiGet).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/delinquency/snapshots', { orgId: 'org_1' }, { limit: 30, cursor: undefined }, expect.anything());
    // The chart's table (for screen readers) reads oldest → newest; a day owing nothing is zero.
    const bars = within(chart).getAllByRole('row').map((r) => r.textContent);
    expect(bars).toEqual([`Mar 13${formatMoney(usd('1550.00'))}`, `Mar 14${formatMoney(usd('0.00'))}`, `Mar 15${formatMoney(usd('3650.00'))}`]);

    const table = within(history).getByRole('table', { name: 'Daily snapshots, newest first' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]?.textContent)).toEqual(['2027-03-15', '2027-03-14', '2027-03-13'].map((d) => formatDay(d)));
    expect(rows[0]).toHaveTextContent(formatMoney(usd('3650.00')));
    expect(rows[1]).toHaveTextContent('Nothing');

    fireEvent.click(within(history).getByRole('button', { name: 'Load more' }));
    expect(await within(table).findByText(formatDay('2027-03-12'))).toBeInTheDocument();
    expect(within(chart).getAllByRole('row')[0]).toHaveTextContent(`Mar 12${formatMoney(usd('900.00'))}`);
  });
});
