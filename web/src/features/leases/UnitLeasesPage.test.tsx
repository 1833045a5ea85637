import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithOrg } from './testing';

const apiGet = vi.fn();
vi.mock('@/api/client', () => ({ apiGet: (...a: unknown[]) => apiGet(...a) }));

const { default: UnitLeasesPage } = await import('./UnitLeasesPage');

const usd = (amount: string) => ({ amount, currency: 'USD' });
const lease = (id: string, startDate: string, status: string, extra: Record<string, unknown> = {}) => ({
  id,
  unitId: 'unt_1',
  buildingId: 'bld_1',
  tenantIds: ['tnt_1'],
  status,
  startDate,
  rent: usd('1500.00'),
  dueDay: 1,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  ...extra,
});

function renderPage() {
  return renderWithOrg(
    <Routes>
      <Route path="/orgs/:orgId/units/:unitId/leases" element={<UnitLeasesPage />} />
    </Routes>,
    { path: '/orgs/org_1/units/unt_1/leases' },
  );
}

describe('a unit’s lease history', () => {
  beforeEach(() => {
    apiGet.mockReset();
    apiGet.mockImplementation(async (path: string, params: Record<string, string>, query?: { cursor?: string }) => {
      if (path === '/api/v1/orgs/{orgId}/units/{unitId}') return { id: 'unt_1', label: '101', buildingId: 'bld_1' };
      if (path === '/api/v1/orgs/{orgId}/buildings/{buildingId}') return { id: 'bld_1', name: 'Maple Court' };
      if (path === '/api/v1/orgs/{orgId}/tenants/{tenantId}') return { id: params.tenantId, firstName: 'Jane', lastName: 'Doe' };
      if (path === '/api/v1/orgs/{orgId}/units/{unitId}/leases') {
        return query?.cursor
          ? { items: [lease('lse_3', '2027-01-01', 'draft')], nextCursor: null }
          : {
              items: [lease('lse_1', '2025-01-01', 'ended', { endDate: '2025-12-31', moveOutDate: '2025-12-20' }), lease('lse_2', '2026-01-01', 'active')],
              nextCursor: 'c2',
            };
      }
      throw new Error(`unexpected GET ${path}`);
    });
  });

  it('lists the unit’s leases with their terms, tenants, rent and status, each linking to its lease', async () => {
    renderPage();
    expect(await screen.findByRole('heading', { level: 1, name: 'Lease history · 101' })).toBeInTheDocument();
    const first = await screen.findByRole('link', { name: 'Jan 1, 2025 – Dec 20, 2025 (moved out)' });
    expect(first).toHaveAttribute('href', '/orgs/org_1/leases/lse_1');
    const row = first.closest('tr') as HTMLElement;
    expect(within(row).getByText('ended')).toBeInTheDocument();
    expect(within(row).getByText('USD 1,500.00')).toBeInTheDocument();
    expect(await within(row).findByRole('link', { name: 'Jane Doe' })).toHaveAttribute('href', '/orgs/org_1/tenants/tnt_1');
    expect(screen.getByRole('link', { name: 'Jan 1, 2026 – month-to-month' })).toHaveAttribute('href', '/orgs/org_1/leases/lse_2');
    // The next page by the API's cursor.
    await userEvent.setup().click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByRole('link', { name: 'Jan 1, 2027 – month-to-month' })).toBeInTheDocument();
    expect(apiGet).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/units/{unitId}/leases', { orgId: 'org_1', unitId: 'unt_1' }, { cursor: 'c2' }, expect.anything());
  });
});
