import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { todayIn } from '@/lib/dates';
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

function answer(path: string, _params: unknown, query?: { asOf?: string }) {
  if (path === '/api/v1/orgs/{orgId}/delinquency') {
    if (query?.asOf === '1900-01-01') {
      return Promise.reject(
        new ApiError({ type: 'urn:portfolioos:problem:validation', title: 'Invalid request', status: 400, detail: 'asOf: too far back', errors: [{ field: 'asOf', message: 'too far back' }] }),
      );
    }
    return Promise.resolve(report);
  }
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
});
