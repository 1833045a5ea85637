import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import type { Role } from '@/lib/permissions';
import { ORG_ID, renderWithOrg } from '@/test/renderWithOrg';

const apiGet = vi.fn();
const apiPut = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPut: (...a: unknown[]) => apiPut(...a),
}));

const { default: BillingSettingsPage, baseRateProblems } = await import('./BillingSettingsPage');

const SETTINGS = { rentLeadDays: 5, rentReminderDays: 3, bankBaseRates: [{ ratePercent: '5.25', effectiveFrom: '2023-08-03' }] };

function show(role: Role = 'owner') {
  renderWithOrg(<BillingSettingsPage />, { route: 'settings/billing', at: 'settings/billing', role });
  return userEvent.setup();
}

describe('billing settings → bank base rates', () => {
  beforeEach(() => {
    apiGet.mockReset();
    apiPut.mockReset();
    apiGet.mockResolvedValue(SETTINGS);
  });

  it('checks each rate and its day', () => {
    expect(baseRateProblems([{ ratePercent: '5.25', effectiveFrom: '2024-08-01' }])).toEqual({});
    expect(
      baseRateProblems([
        { ratePercent: '101', effectiveFrom: '2024-08-01' },
        { ratePercent: '4.5', effectiveFrom: '2024-08-01' },
        { ratePercent: '-1', effectiveFrom: '' },
      ]),
    ).toEqual({
      'bankBaseRates[0].ratePercent': 'Enter a rate from 0 to 100, such as 5.25.',
      'bankBaseRates[1].effectiveFrom': 'Another rate starts that day.',
      'bankBaseRates[2].ratePercent': 'Enter a rate from 0 to 100, such as 5.25.',
      'bankBaseRates[2].effectiveFrom': 'Enter the day it took effect.',
    });
  });

  it('adds a rate and saves every setting with the rates (the PUT replaces them all)', async () => {
    apiPut.mockImplementation(async (_p: string, _q: unknown, body: unknown) => body);
    const user = show();
    const rates = await screen.findByRole('group', { name: 'Bank base rates' });
    expect(within(rates).getByLabelText('Rate 1 (% a year)')).toHaveValue('5.25');
    await user.click(within(rates).getByRole('button', { name: 'Add base rate' }));
    await user.type(within(rates).getByLabelText('Rate 2 (% a year)'), '5');
    await user.type(within(rates).getByLabelText('Rate 2 in effect from'), '2024-08-01');
    await user.click(screen.getByRole('button', { name: 'Save billing settings' }));
    expect(await screen.findByText('Billing settings saved.')).toBeInTheDocument();
    expect(apiPut).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/billing-settings', { orgId: ORG_ID }, {
      rentLeadDays: 5,
      rentReminderDays: 3,
      lateFeePolicy: null,
      bankBaseRates: [
        { ratePercent: '5.25', effectiveFrom: '2023-08-03' },
        { ratePercent: '5', effectiveFrom: '2024-08-01' },
      ],
    });
  });

  it('shows the API’s error under the rate it names', async () => {
    apiPut.mockRejectedValue(
      new ApiError({ type: 'about:blank', title: 'Invalid request', status: 400, detail: 'bankBaseRates[0].ratePercent: must be at most 100', errors: [{ field: 'bankBaseRates[0].ratePercent', message: 'must be at most 100' }] }),
    );
    const user = show();
    await screen.findByRole('group', { name: 'Bank base rates' });
    await user.click(screen.getByRole('button', { name: 'Save billing settings' }));
    await waitFor(() => expect(screen.getByLabelText('Rate 1 (% a year)')).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByText('must be at most 100')).toBeInTheDocument();
  });

  it('lists the rates to a member who may not change them', async () => {
    show('accountant');
    expect(await screen.findByText(/5\.25 % from/)).toBeInTheDocument();
  });
});
