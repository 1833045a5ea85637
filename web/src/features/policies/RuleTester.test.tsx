import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { formatDay } from '@/lib/dates';
import { ORG_ID, renderWithOrg } from '@/test/renderWithOrg';

const apiGet = vi.fn();
vi.mock('@/api/client', () => ({ apiGet: (...a: unknown[]) => apiGet(...a) }));

const { RuleTester } = await import('./RuleTester');

const RESOLVE = '/api/v1/orgs/{orgId}/policies:resolve';
const pack = (over: Record<string, unknown>) => ({ origin: 'pack', country: 'US', region: 'CA', area: 'deposit', priority: 0, effectiveFrom: '2024-07-01', ...over });
const CA_RESOLUTION = {
  area: 'deposit',
  country: 'US',
  region: 'CA',
  date: '2024-08-17',
  winner: pack({ id: 'us-ca-deposit-ab12', name: 'California deposit cap (Civ. Code §1950.5 as amended by AB 12)', rule: { maxMonths: '1' } }),
  reason: 'us-ca-deposit-ab12 is the only rule in effect and applicable',
  candidates: [
    {
      policy: pack({ id: 'us-ca-deposit-ab12-small-landlord', name: 'California small-landlord deposit cap (AB 12 exception)', priority: 10, rule: { maxMonths: '2' }, when: { smallLandlord: true, serviceMemberTenant: false } }),
      outcome: 'condition_not_met',
      reason: 'it applies only when the landlord is a small landlord (not known)',
    },
    {
      policy: pack({ id: 'us-ca-deposit-1950-5', name: 'California deposit cap (Civ. Code §1950.5, before AB 12)', effectiveFrom: '1900-01-01', effectiveTo: '2024-06-30', rule: { maxMonths: '2' } }),
      outcome: 'not_in_effect',
      reason: 'not in effect on 2024-08-17: it ended on 2024-06-30',
    },
  ],
};

function show() {
  renderWithOrg(<RuleTester />, { route: 'policies', at: 'policies' });
  return userEvent.setup();
}

describe('which rule applies?', () => {
  beforeEach(() => {
    apiGet.mockReset();
  });

  it('asks as a lease check would, and shows the winner with its reason and every other candidate with its outcome', async () => {
    apiGet.mockResolvedValue(CA_RESOLUTION);
    const user = show();
    const form = screen.getByRole('form', { name: 'Which rule applies?' });
    expect(within(form).getByLabelText('Country')).toHaveValue('US');
    await user.type(within(form).getByLabelText('Region'), 'CA');
    await user.clear(within(form).getByLabelText('On'));
    await user.type(within(form).getByLabelText('On'), '2024-08-17');
    await user.selectOptions(within(form).getByLabelText('Tenant a service member?'), 'no');
    expect(apiGet).not.toHaveBeenCalled();
    await user.click(within(form).getByRole('button', { name: 'Find the rule' }));

    const answer = await screen.findByTestId('policy-resolution');
    expect(apiGet).toHaveBeenCalledWith(
      RESOLVE,
      { orgId: ORG_ID },
      { area: 'deposit', country: 'US', region: 'CA', date: '2024-08-17', entityType: 'lease', action: 'activate', smallLandlord: undefined, serviceMember: false },
      expect.anything(),
    );
    expect(answer).toHaveTextContent(`Deposit cap in California, United States on ${formatDay('2024-08-17')}:`);
    expect(answer).toHaveTextContent("Applies: California deposit cap (Civ. Code §1950.5 as amended by AB 12). At most 1 month's rent.");
    expect(answer).toHaveTextContent('Why: us-ca-deposit-ab12 is the only rule in effect and applicable.');
    const table = within(answer).getByRole('table', { name: 'Other rules considered' });
    const rows = within(table).getAllByRole('row').slice(1);
    const cells = (r: HTMLElement) => within(r).getAllByRole('cell').map((c) => c.textContent);
    expect(rows.map(cells)).toEqual([
      ['California small-landlord deposit cap (AB 12 exception)us-ca-deposit-ab12-small-landlord', 'Built-in', 'Condition not met', 'it applies only when the landlord is a small landlord (not known)'],
      ['California deposit cap (Civ. Code §1950.5, before AB 12)us-ca-deposit-1950-5', 'Built-in', 'Not in effect', 'not in effect on 2024-08-17: it ended on 2024-06-30'],
    ]);
  });

  it('says when no rule applies, and asks a notice rule as a renewal does', async () => {
    apiGet.mockResolvedValue({ area: 'notice', country: 'US', date: '2024-08-17', winner: null, reason: 'no rule for notice applies here on 2024-08-17', candidates: [] });
    const user = show();
    await user.selectOptions(screen.getByLabelText('Area'), 'notice');
    await user.click(screen.getByRole('button', { name: 'Find the rule' }));
    expect(await screen.findByText('No rule applies: nothing limits this here')).toBeInTheDocument();
    expect(screen.getByText('No other rule was considered.')).toBeInTheDocument();
    expect(apiGet.mock.calls[0]?.[2]).toMatchObject({ area: 'notice', action: 'renew', entityType: 'lease' });
  });

  it('shows the API’s error for a field under it', async () => {
    apiGet.mockRejectedValue(
      new ApiError({ type: 'about:blank', title: 'Invalid request', status: 400, detail: 'country: must be an ISO 3166-1 alpha-2 country code', errors: [{ field: 'country', message: 'must be an ISO 3166-1 alpha-2 country code' }] }),
    );
    const user = show();
    await user.clear(screen.getByLabelText('Country'));
    await user.type(screen.getByLabelText('Country'), 'XX');
    await user.click(screen.getByRole('button', { name: 'Find the rule' }));
    await waitFor(() => expect(screen.getByLabelText('Country')).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByText('must be an ISO 3166-1 alpha-2 country code')).toBeInTheDocument();
  });
});
