import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { cumulativeMinor, depreciationToDate } from './depreciation';
import { lookupGet, Providers } from './testing';

const apiGet = vi.fn();
const apiPost = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
}));

const { FixedAssetForm } = await import('./FixedAssetForm');
const { default: FixedAssetsTab } = await import('./FixedAssetsTab');

const ASSET = {
  id: 'fa_1',
  buildingId: 'bld_a',
  name: 'Maple Court building',
  cost: { amount: '250000.00', currency: 'USD' },
  landValue: { amount: '30000.00', currency: 'USD' },
  basis: { amount: '220000.00', currency: 'USD' },
  placedInService: '2025-01-15',
  method: 'residential_27_5',
  depreciatedThrough: '2025-12',
  createdAt: '2025-01-15T12:00:00Z',
};

function renderForm() {
  const onDone = vi.fn();
  render(
    <Providers>
      <FixedAssetForm onDone={onDone} onCancel={() => {}} />
    </Providers>,
  );
  return { onDone, user: userEvent.setup() };
}

describe('a new fixed asset', () => {
  beforeEach(() => {
    apiGet.mockReset();
    apiPost.mockReset();
    apiGet.mockImplementation(async (path: string) => (path.endsWith('/fixed-assets') ? { items: [ASSET], nextCursor: null } : lookupGet(path)));
  });

  it('shows the API’s field errors next to the fields they name, and sends money as decimal strings', async () => {
    apiPost.mockRejectedValue(
      new ApiError({
        type: 'urn:portfolioos:problem:validation',
        title: 'Invalid request',
        status: 400,
        detail: 'landValue.amount: must be less than the cost; lifeYears: straight_line needs 1–100 years',
        errors: [
          { field: 'landValue.amount', message: 'must be less than the cost' },
          { field: 'lifeYears', message: 'straight_line needs 1–100 years' },
          { field: 'currency', message: 'not a field of this form' },
        ],
      }),
    );
    const { user, onDone } = renderForm();
    await screen.findByRole('option', { name: 'Maple Court' });
    await user.selectOptions(screen.getByLabelText('Building'), 'bld_a');
    await user.type(screen.getByLabelText('Name'), 'New roof');
    await user.type(screen.getByLabelText('Cost'), '18,500.5');
    await user.type(screen.getByLabelText('Land value'), '0');
    await user.clear(screen.getByLabelText('Placed in service'));
    await user.type(screen.getByLabelText('Placed in service'), '2026-03-10');
    expect(screen.queryByLabelText('Life (years)')).toBeNull();
    await user.selectOptions(screen.getByLabelText('Method'), 'straight_line');
    await user.type(screen.getByLabelText('Life (years)'), '15');
    await user.click(screen.getByRole('button', { name: 'Create fixed asset' }));

    const land = await screen.findByLabelText('Land value');
    expect(land).toHaveAttribute('aria-invalid', 'true');
    expect(land).toHaveAccessibleDescription(/must be less than the cost/);
    expect(screen.getByLabelText('Life (years)')).toHaveAccessibleDescription(/straight_line needs 1–100 years/);
    expect(screen.getByLabelText('Cost')).not.toHaveAttribute('aria-invalid');
    // The summary points at the fields and lists the error no input shows.
    const summary = screen.getAllByRole('alert').find((el) => el.classList.contains('error-box'))!;
    expect(summary).toHaveTextContent('Invalid request. Check the fields marked below.');
    expect(within(summary).getByText('currency')).toBeInTheDocument();
    expect(summary).not.toHaveTextContent('must be less than the cost');
    expect(apiPost).toHaveBeenCalledWith(
      '/api/v1/orgs/{orgId}/fixed-assets',
      { orgId: 'org_1' },
      {
        buildingId: 'bld_a',
        name: 'New roof',
        cost: { amount: '18500.50', currency: 'USD' },
        landValue: { amount: '0.00', currency: 'USD' },
        placedInService: '2026-03-10',
        method: 'straight_line',
        lifeYears: 15,
      },
    );
    expect(onDone).not.toHaveBeenCalled();
  });

  it('lists an API error about the life in the summary when the life field is not shown', async () => {
    apiPost.mockRejectedValue(
      new ApiError({ type: 'urn:portfolioos:problem:validation', title: 'Invalid request', status: 400, detail: 'lifeYears: only with straight_line', errors: [{ field: 'lifeYears', message: 'only with straight_line' }] }),
    );
    const { user } = renderForm();
    await screen.findByRole('option', { name: 'Maple Court' });
    await user.selectOptions(screen.getByLabelText('Building'), 'bld_a');
    await user.type(screen.getByLabelText('Name'), 'Maple Court building');
    await user.type(screen.getByLabelText('Cost'), '250000');
    await user.click(screen.getByRole('button', { name: 'Create fixed asset' }));
    expect(await screen.findByText('only with straight_line', { exact: false })).toBeInTheDocument();
    expect(apiPost.mock.calls[0]![2]).toMatchObject({ method: 'residential_27_5', lifeYears: null, landValue: null, cost: { amount: '250000.00', currency: 'USD' } });
  });

  it('checks the form before asking the API', async () => {
    const { user } = renderForm();
    await screen.findByRole('option', { name: 'Maple Court' });
    await user.type(screen.getByLabelText('Cost'), '1000');
    await user.type(screen.getByLabelText('Land value'), '1000.00');
    await user.selectOptions(screen.getByLabelText('Method'), 'straight_line');
    await user.type(screen.getByLabelText('Life (years)'), '101');
    await user.click(screen.getByRole('button', { name: 'Create fixed asset' }));
    expect(screen.getByLabelText('Building')).toHaveAccessibleDescription('Choose the building.');
    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription(/Name the asset/);
    expect(screen.getByLabelText('Land value')).toHaveAccessibleDescription(/Less than the cost \(USD 1,000\.00\)/);
    expect(screen.getByLabelText('Life (years)')).toHaveAccessibleDescription(/Whole years, 1–100/);
    await user.clear(screen.getByLabelText('Cost'));
    await user.type(screen.getByLabelText('Cost'), '12.345');
    await user.click(screen.getByRole('button', { name: 'Create fixed asset' }));
    expect(screen.getByLabelText('Cost')).toHaveAccessibleDescription(/An amount of more than zero in USD/);
    expect(apiPost).not.toHaveBeenCalled();
  });

  it('lists assets with their depreciation, and offers no form to a read-only member', async () => {
    render(
      <Providers role="readonly">
        <FixedAssetsTab />
      </Providers>,
    );
    const table = await screen.findByRole('table');
    expect(within(table).getByText('Maple Court building')).toBeInTheDocument();
    expect(await within(table).findByText('Maple Court')).toBeInTheDocument();
    expect(within(table).getByText('Residential 27.5')).toBeInTheDocument();
    expect(within(table).getByText('27.5 years')).toBeInTheDocument();
    // 220,000 over 330 months, 11.5 months (mid-month) through December: 7,666.67.
    expect(within(table).getByText('USD 7,666.67')).toBeInTheDocument();
    expect(within(table).getByText('USD 212,333.33')).toBeInTheDocument();
    expect(screen.getByText(/posted by a nightly job to Schedule E line 18/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'New fixed asset' })).toBeNull();
  });
});

describe('depreciation as the job posts it', () => {
  it('takes half a month in the first month, rounds half up, and stops at the basis', () => {
    expect(cumulativeMinor(100n, 12n, '2026-01-20', '2026-01')).toBe(4n); // 100 / 24 = 4.17
    expect(cumulativeMinor(100n, 12n, '2026-01-20', '2026-02')).toBe(13n); // 100 * 3 / 24 = 12.5 → 13
    expect(cumulativeMinor(100n, 12n, '2026-01-20', '2025-12')).toBe(0n);
    expect(cumulativeMinor(100n, 12n, '2026-01-20', '2027-06')).toBe(100n);
    expect(depreciationToDate({ basis: { amount: '1000', currency: 'JPY' }, method: 'straight_line', lifeYears: null, placedInService: '2026-01-01', depreciatedThrough: null })).toBeNull();
    expect(depreciationToDate({ basis: { amount: '1000', currency: 'JPY' }, method: 'straight_line', lifeYears: 1, placedInService: '2026-01-01', depreciatedThrough: null })).toEqual({
      posted: { amount: '0', currency: 'JPY' },
      remaining: { amount: '1000', currency: 'JPY' },
    });
  });
});
