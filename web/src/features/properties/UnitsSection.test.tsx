import { beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '@/api/problem';
import { apiDelete, apiGet, apiPatch } from '@/api/client';
import { UnitsSection } from './UnitsSection';
import { ORG_ID, renderWithOrg } from '@/test/renderWithOrg';

vi.mock('@/api/client', () => ({ apiGet: vi.fn(), apiPost: vi.fn(), apiPatch: vi.fn(), apiDelete: vi.fn() }));

const get = vi.mocked(apiGet);
const patch = vi.mocked(apiPatch);
const del = vi.mocked(apiDelete);

const building = {
  id: 'bld_1',
  name: 'Maple Court',
  address: { line1: '1 Maple St', city: 'Springfield', postalCode: '12345', country: 'US' as const },
  archived: false,
  unitCount: 2,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};
const unit = (label: string, leaseCount: number) => ({
  id: `unt_${label}`,
  buildingId: 'bld_1',
  label,
  leaseCount,
  bedrooms: 1,
  marketRent: { amount: '1250.00', currency: 'USD' },
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});

function renderSection(archived = false, role: 'owner' | 'readonly' = 'owner') {
  return renderWithOrg(<UnitsSection building={{ ...building, archived }} />, { route: 'buildings/:buildingId', at: 'buildings/bld_1', role });
}

beforeEach(() => {
  vi.resetAllMocks();
  get.mockResolvedValue({ items: [unit('101', 0), unit('102', 1)], nextCursor: null } as never);
});

describe('UnitsSection', () => {
  it('lists units; only a unit without leases can be deleted, after a second click', async () => {
    const user = userEvent.setup();
    del.mockResolvedValue(undefined as never);
    renderSection();
    expect(await screen.findAllByText('USD 1,250.00')).toHaveLength(2);
    expect(screen.queryByRole('button', { name: 'Delete unit 102' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Delete unit 101' }));
    expect(del).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Confirm delete unit 101' }));
    expect(del).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/units/{unitId}', { orgId: ORG_ID, unitId: 'unt_101' });
  });

  it('edits a unit inline with PATCH and maps its field errors', async () => {
    const user = userEvent.setup();
    patch.mockRejectedValueOnce(
      new ApiError({ type: 'x', title: 'Invalid request', status: 400, detail: 'bathrooms', errors: [{ field: 'bathrooms', message: 'must be a multiple of 0.5 from 0 to 50' }] }),
    );
    patch.mockResolvedValueOnce(unit('101A', 0) as never);
    renderSection();
    await user.click(await screen.findByRole('button', { name: 'Edit unit 101' }));
    const label = screen.getByLabelText('Label');
    await user.clear(label);
    await user.type(label, '101A');
    await user.type(screen.getByLabelText('Bathrooms'), '50');
    await user.click(screen.getByRole('button', { name: 'Save unit' }));
    await waitFor(() => expect(screen.getByLabelText('Bathrooms')).toHaveAccessibleDescription(/must be a multiple of 0.5/));
    expect(patch).toHaveBeenLastCalledWith(
      '/api/v1/orgs/{orgId}/units/{unitId}',
      { orgId: ORG_ID, unitId: 'unt_101' },
      { label: '101A', bedrooms: 1, bathrooms: '50', marketRent: { amount: '1250.00', currency: 'USD' } },
    );
    await user.click(screen.getByRole('button', { name: 'Save unit' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Save unit' })).toBeNull());
  });

  it('offers "Add units" only to writers and only on a building that is not archived', async () => {
    const { unmount } = renderSection();
    expect(await screen.findByRole('button', { name: 'Add units' })).toBeInTheDocument();
    unmount();
    const archived = renderSection(true);
    await screen.findByText('101');
    expect(screen.queryByRole('button', { name: 'Add units' })).toBeNull();
    archived.unmount();
    renderSection(false, 'readonly');
    await screen.findByText('101');
    expect(screen.queryByRole('button', { name: 'Add units' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Edit unit/ })).toBeNull();
  });
});
