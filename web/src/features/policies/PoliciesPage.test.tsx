import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { formatDay } from '@/lib/dates';
import { formatMoney } from '@/lib/money';
import type { Role } from '@/lib/permissions';
import { ORG_ID, renderWithOrg } from '@/test/renderWithOrg';

const apiGet = vi.fn();
const apiPost = vi.fn();
const apiDelete = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
  apiDelete: (...a: unknown[]) => apiDelete(...a),
}));

const { default: PoliciesPage } = await import('./PoliciesPage');

const NY_LATE_FEE = {
  id: 'us-ny-late-fee-rpl-238a',
  origin: 'pack',
  name: 'New York late fee (RPL §238-a)',
  area: 'late_fee',
  country: 'US',
  region: 'NY',
  effectiveFrom: '2019-06-14',
  priority: 0,
  rule: { graceDays: 5, maxFlat: { amount: '50.00', currency: 'USD' }, maxPercentOfRent: '5' },
  sources: ['https://legalservicesli.org/?p=1414'],
};
const NY_DEPOSIT = { ...NY_LATE_FEE, id: 'us-ny-deposit-hstpa', name: 'New York deposit cap (HSTPA 2019)', area: 'deposit', rule: { maxMonths: '1' }, sources: ['https://nysba.org/a', 'https://example.org/b'] };
const DE_DEPOSIT = {
  id: 'de-deposit-bgb-551',
  origin: 'pack',
  name: 'Germany Mietkaution (BGB §551)',
  area: 'deposit',
  country: 'DE',
  effectiveFrom: '2013-05-01',
  priority: 0,
  rule: { maxMonths: '3', instalments: 3 },
  notes: "3 months' rent net of operating costs",
  sources: ['https://lexetius.com/BGB/551'],
};
const OWN = {
  id: 'pol_01ABC',
  origin: 'org',
  name: 'Our NY deposit cap',
  area: 'deposit',
  country: 'US',
  region: 'NY',
  effectiveFrom: '2024-01-01',
  priority: 0,
  rule: { maxMonths: '0.5' },
};

/** The org's own rules as the API holds them. */
let own: Record<string, unknown>[] = [];

function show(role: Role = 'owner') {
  renderWithOrg(<PoliciesPage />, { route: 'policies', at: 'policies', role });
  return userEvent.setup();
}

const problem = (status: number, title: string, errors?: { field: string; message: string }[]) =>
  new ApiError({ type: 'about:blank', title, status, detail: errors?.map((e) => `${e.field}: ${e.message}`).join('; ') ?? title, errors });

describe('the policies screen', () => {
  beforeEach(() => {
    for (const f of [apiGet, apiPost, apiDelete]) f.mockReset();
    own = [];
    apiGet.mockImplementation(async (path: string) => {
      if (path === '/api/v1/policy-packs') return { items: [NY_LATE_FEE, DE_DEPOSIT, NY_DEPOSIT] };
      if (path === '/api/v1/orgs/{orgId}/policies') return { items: own, nextCursor: null };
      throw new Error(`unexpected GET ${path}`);
    });
  });

  it('shows the built-in pack by place, each rule with its terms in words, dates, notes and sources', async () => {
    show();
    expect(screen.getByRole('heading', { level: 1, name: 'Policies' })).toBeInTheDocument();
    const ny = await screen.findByRole('region', { name: 'New York, United States (US-NY)' });
    const places = screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(places).toEqual(['Germany (DE)', 'New York, United States (US-NY)']);
    // Deposit before late fee within a place.
    expect(within(ny).getAllByRole('heading', { level: 4 }).map((h) => h.textContent)).toEqual(['New York deposit cap (HSTPA 2019)', 'New York late fee (RPL §238-a)']);
    const fee = within(ny).getByRole('article', { name: 'New York late fee (RPL §238-a)' });
    expect(fee).toHaveTextContent(`No fee until more than 5 days late; at most ${formatMoney({ amount: '50.00', currency: 'USD' })} and 5% of rent.`);
    expect(fee).toHaveTextContent('Late fee');
    expect(fee).toHaveTextContent(`In effect from ${formatDay('2019-06-14')}`);
    expect(within(fee).getByRole('link', { name: 'legalservicesli.org/?p=1414' })).toHaveAttribute('href', 'https://legalservicesli.org/?p=1414');
    const de = screen.getByRole('article', { name: 'Germany Mietkaution (BGB §551)' });
    expect(de).toHaveTextContent("At most 3 months' rent; payable in up to 3 monthly instalments.");
    expect(de).toHaveTextContent("3 months' rent net of operating costs");
    expect(await screen.findByText('No rules of your own: the built-in rules apply.')).toBeInTheDocument();
  });

  it('lets an owner create a rule of the area’s terms only, showing the API’s field errors next to their fields', async () => {
    apiPost.mockRejectedValueOnce(
      problem(400, 'Invalid request', [
        { field: 'rule.maxFlat.amount', message: 'must not be negative' },
        { field: 'effectiveTo', message: 'must not be before effectiveFrom' },
        { field: 'rule', message: 'maxWeeks is not a term of a late_fee rule' },
      ]),
    );
    const user = show();
    await user.click(await screen.findByRole('button', { name: 'New rule' }));
    const form = screen.getByRole('form', { name: 'New rule' });
    expect(within(form).getByLabelText('Country')).toHaveValue('US');
    // The deposit terms first; the late fee's once that area is chosen.
    expect(within(form).getByLabelText("At most (months' rent)")).toBeInTheDocument();
    await user.selectOptions(within(form).getByLabelText('Area'), 'late_fee');
    expect(within(form).queryByLabelText("At most (months' rent)")).not.toBeInTheDocument();
    await user.type(within(form).getByLabelText('Name'), 'Our late fee');
    await user.type(within(form).getByLabelText('Region'), 'NY');
    await user.clear(within(form).getByLabelText('In effect from'));
    await user.type(within(form).getByLabelText('In effect from'), '2026-01-01');
    await user.type(within(form).getByLabelText('Grace days'), '10');
    await user.type(within(form).getByLabelText('Fee at most (USD)'), '25');
    await user.click(within(form).getByRole('button', { name: 'Create rule' }));

    await waitFor(() => expect(within(form).getByLabelText('Fee at most (USD)')).toHaveAttribute('aria-invalid', 'true'));
    expect(within(form).getByText('must not be negative')).toBeInTheDocument();
    expect(within(form).getByLabelText('In effect through')).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByText('maxWeeks is not a term of a late_fee rule')).toBeInTheDocument();
    expect(within(form).getByLabelText('Grace days')).not.toHaveAttribute('aria-invalid');
    expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/policies', { orgId: ORG_ID }, {
      name: 'Our late fee',
      area: 'late_fee',
      country: 'US',
      region: 'NY',
      effectiveFrom: '2026-01-01',
      priority: 0,
      rule: { graceDays: 10, maxFlat: { amount: '25.00', currency: 'USD' } },
    });

    const created = { ...OWN, id: 'pol_02', name: 'Our late fee', area: 'late_fee', effectiveFrom: '2026-01-01', rule: { graceDays: 10, maxFlat: { amount: '25.00', currency: 'USD' } } };
    apiPost.mockImplementationOnce(async () => {
      own = [created];
      return created;
    });
    await user.click(within(form).getByRole('button', { name: 'Create rule' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Created “Our late fee” for US-NY.');
    const table = await screen.findByRole('table', { name: 'Rules of your own' });
    expect(table).toHaveTextContent('Our late fee');
    expect(table).toHaveTextContent('New York, United States');
    expect(screen.queryByRole('form', { name: 'New rule' })).not.toBeInTheDocument();
  });

  it('checks the form before asking the API', async () => {
    const user = show();
    await user.click(await screen.findByRole('button', { name: 'New rule' }));
    const form = screen.getByRole('form', { name: 'New rule' });
    await user.clear(within(form).getByLabelText('Country'));
    await user.type(within(form).getByLabelText('Country'), 'U');
    await user.click(within(form).getByRole('button', { name: 'Create rule' }));
    expect(within(form).getByText('Enter a two-letter country code, such as US or GB.')).toBeInTheDocument();
    expect(within(form).getByText('Give at least one term.')).toBeInTheDocument();
    expect(apiPost).not.toHaveBeenCalled();
  });

  it('deletes an own rule only after a confirmation', async () => {
    own = [OWN];
    apiDelete.mockImplementation(async () => {
      own = [];
    });
    const user = show();
    const table = await screen.findByRole('table', { name: 'Rules of your own' });
    expect(table).toHaveTextContent("At most 0.5 months' rent.");
    await user.click(within(table).getByRole('button', { name: 'Delete Our NY deposit cap' }));
    expect(apiDelete).not.toHaveBeenCalled();
    const confirm = within(table).getByRole('group', { name: 'Delete Our NY deposit cap?' });
    await user.click(within(confirm).getByRole('button', { name: 'Confirm delete' }));
    expect(apiDelete).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/policies/{policyId}', { orgId: ORG_ID, policyId: 'pol_01ABC' });
    expect(await screen.findByText('No rules of your own: the built-in rules apply.')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Deleted “Our NY deposit cap”.');
  });

  it('shows a manager the rules but neither the form nor delete', async () => {
    own = [OWN];
    show('manager');
    const table = await screen.findByRole('table', { name: 'Rules of your own' });
    expect(within(table).queryByRole('button')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'New rule' })).not.toBeInTheDocument();
    expect(screen.getByText('Only an owner can create or delete rules.')).toBeInTheDocument();
  });
});
