import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithOrg, validationError } from './testing';

const apiGet = vi.fn();
const apiPost = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
}));

const { NewLeaseForm } = await import('./NewLeaseForm');

async function answer(path: string, params: Record<string, string>) {
  switch (path) {
    case '/api/v1/orgs/{orgId}/buildings':
      return { items: [{ id: 'bld_1', name: 'Maple Court' }, { id: 'bld_2', name: 'Oak House' }], nextCursor: null };
    case '/api/v1/orgs/{orgId}/buildings/{buildingId}/units':
      return params.buildingId === 'bld_1'
        ? { items: [{ id: 'unt_101', label: '101', buildingId: 'bld_1' }, { id: 'unt_102', label: '102', buildingId: 'bld_1' }], nextCursor: null }
        : { items: [{ id: 'unt_a', label: 'A', buildingId: 'bld_2' }], nextCursor: null };
    case '/api/v1/orgs/{orgId}/tenants':
      return {
        items: [
          { id: 'tnt_1', firstName: 'Jane', lastName: 'Doe' },
          { id: 'tnt_2', firstName: 'Joe', lastName: 'Roe' },
          { id: 'tnt_3', firstName: 'Ann', lastName: 'Lee' },
        ],
        nextCursor: null,
      };
    default:
      throw new Error(`unexpected GET ${path}`);
  }
}

function renderForm() {
  renderWithOrg(
    <Routes>
      <Route path="/orgs/org_1/leases" element={<NewLeaseForm onCancel={() => {}} />} />
      <Route path="/orgs/org_1/leases/:leaseId" element={<p>lease page</p>} />
    </Routes>,
    { path: '/orgs/org_1/leases' },
  );
  return userEvent.setup();
}

async function fill(user: ReturnType<typeof userEvent.setup>) {
  await user.selectOptions(await screen.findByLabelText('Unit'), 'Oak House · A');
  await user.selectOptions(screen.getByLabelText('Tenant'), 'Jane Doe');
  await user.selectOptions(screen.getByLabelText('Roommates'), ['Ann Lee']);
  await user.type(screen.getByLabelText('Start date'), '2027-01-17');
  await user.type(screen.getByLabelText('Rent'), '1550');
  await user.clear(screen.getByLabelText('Due day'));
  await user.type(screen.getByLabelText('Due day'), '3');
}

describe('the new lease form', () => {
  beforeEach(() => {
    apiGet.mockReset();
    apiPost.mockReset();
    apiGet.mockImplementation(answer);
  });

  it('offers every unit as "<building> · <unit>" and tenants by name', async () => {
    renderForm();
    const unit = await screen.findByLabelText('Unit');
    const options = Array.from((unit as HTMLSelectElement).options).map((o) => o.textContent);
    expect(options).toEqual(['Choose a unit…', 'Maple Court · 101', 'Maple Court · 102', 'Oak House · A']);
    expect(Array.from((screen.getByLabelText('Tenant') as HTMLSelectElement).options).map((o) => o.textContent)).toEqual(['Choose a tenant…', 'Ann Lee', 'Jane Doe', 'Joe Roe']);
  });

  it('creates a draft (primary tenant first, month-to-month, no deposit) and opens its page', async () => {
    apiPost.mockResolvedValue({ id: 'lse_9', unitId: 'unt_a', tenantIds: ['tnt_1', 'tnt_3'] });
    const user = renderForm();
    await fill(user);
    await user.click(screen.getByRole('button', { name: 'Create lease' }));
    expect(await screen.findByText('lease page')).toBeInTheDocument();
    expect(apiPost).toHaveBeenCalledWith(
      '/api/v1/orgs/{orgId}/leases',
      { orgId: 'org_1' },
      { unitId: 'unt_a', tenantIds: ['tnt_1', 'tnt_3'], startDate: '2027-01-17', endDate: null, rent: { amount: '1550.00', currency: 'USD' }, dueDay: 3, deposit: null },
    );
  });

  it('checks the rent and due day before asking the API', async () => {
    const user = renderForm();
    await fill(user);
    await user.clear(screen.getByLabelText('Rent'));
    await user.type(screen.getByLabelText('Rent'), '1550.001');
    await user.clear(screen.getByLabelText('Due day'));
    await user.type(screen.getByLabelText('Due day'), '31');
    await user.click(screen.getByRole('button', { name: 'Create lease' }));
    expect(await screen.findByText('USD amounts have at most 2 decimal places.')).toBeInTheDocument();
    expect(screen.getByText('Enter a day from 1 to 28.')).toBeInTheDocument();
    expect(apiPost).not.toHaveBeenCalled();
  });

  it('shows the API field errors where they belong: a roommate named twice under "Roommates"', async () => {
    apiPost.mockRejectedValue(
      validationError([
        { field: 'tenantIds[1]', message: 'names a tenant twice' },
        { field: 'startDate', message: 'overlaps another lease' },
      ]),
    );
    const user = renderForm();
    await fill(user);
    await user.click(screen.getByRole('button', { name: 'Create lease' }));
    await waitFor(() => expect(screen.getByLabelText('Roommates')).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByText('names a tenant twice')).toBeInTheDocument();
    expect(screen.getByLabelText('Start date')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Tenant')).not.toHaveAttribute('aria-invalid');
  });
});

describe('deposit instalments on the new lease form', () => {
  beforeEach(() => {
    apiGet.mockReset();
    apiPost.mockReset();
    apiGet.mockImplementation(answer);
  });

  it('sends the instalments with the deposit', async () => {
    apiPost.mockResolvedValue({ id: 'lse_9', unitId: 'unt_a', tenantIds: ['tnt_1', 'tnt_3'] });
    const user = renderForm();
    await fill(user);
    await user.type(screen.getByLabelText('Deposit'), '3000');
    await user.type(screen.getByLabelText('Deposit instalments'), '3');
    await user.click(screen.getByRole('button', { name: 'Create lease' }));
    expect(await screen.findByText('lease page')).toBeInTheDocument();
    expect(apiPost.mock.calls[0]?.[2]).toMatchObject({ deposit: { amount: '3000.00', currency: 'USD' }, depositInstalments: 3 });
  });

  it('asks for a deposit before instalments, and a number from 1 to 12', async () => {
    const user = renderForm();
    await fill(user);
    await user.type(screen.getByLabelText('Deposit instalments'), '3');
    await user.click(screen.getByRole('button', { name: 'Create lease' }));
    expect(await screen.findByText('Enter a deposit first, or leave this empty.')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Deposit'), '3000');
    await user.clear(screen.getByLabelText('Deposit instalments'));
    await user.type(screen.getByLabelText('Deposit instalments'), '13');
    await user.click(screen.getByRole('button', { name: 'Create lease' }));
    expect(await screen.findByText('Enter a number of instalments from 1 to 12, or leave it empty.')).toBeInTheDocument();
    expect(apiPost).not.toHaveBeenCalled();
  });
});
