import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { ORG_ID, renderWithOrg } from '@/test/renderWithOrg';
import type { Role } from '@/lib/permissions';
import { RULES, lookup } from './testing';

const apiGet = vi.fn();
const apiPost = vi.fn();
const apiDelete = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
  apiDelete: (...a: unknown[]) => apiDelete(...a),
}));

const { default: RulesTab } = await import('./RulesTab');

const RULES_PATH = '/api/v1/orgs/{orgId}/bank-rules';
let rules: unknown[] = RULES;

function show(role: Role = 'owner') {
  renderWithOrg(<RulesTab />, { route: 'bank/rules', at: 'bank/rules', role });
  return userEvent.setup();
}

describe('bank → rules', () => {
  beforeEach(() => {
    for (const f of [apiGet, apiPost, apiDelete]) f.mockReset();
    rules = RULES;
    apiGet.mockImplementation(async (path: string) => {
      if (path === RULES_PATH) return { items: rules, nextCursor: null };
      const found = lookup(path);
      if (found !== undefined) return found;
      throw new Error(`unexpected GET ${path}`);
    });
  });

  it('lists the rules in the order they are tried: conditions → how they book', async () => {
    show();
    const table = await screen.findByRole('table', { name: 'Bank rules, in the order they are tried' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('1Water bill');
    expect(rows[0]).toHaveTextContent('description contains “city water” and amount from USD 50.00 to USD 500.00');
    await waitFor(() => expect(rows[0]).toHaveTextContent('5170 · Utilities · Maple Court'));
    expect(rows[0]).toHaveTextContent('Future');
    expect(rows[1]).toHaveTextContent('description contains “service fee” and in 1000 · Operating account');
    await waitFor(() => expect(rows[1]).toHaveTextContent('5140 · Repairs · Ace Hardware · portfolio'));
    expect(rows[1]).toHaveTextContent('Past and future');
  });

  it('checks a new rule before asking the API: a condition, the account, an amount range in order', async () => {
    const user = show();
    await user.click(await screen.findByRole('button', { name: 'New rule' }));
    const form = screen.getByRole('form', { name: 'New bank rule' });
    await user.click(within(form).getByRole('button', { name: 'Save rule' }));
    expect(within(form).getByText(/Give at least one condition/)).toBeInTheDocument();
    expect(within(form).getByLabelText('Expense account')).toHaveAccessibleDescription('Choose the expense account it books to.');
    await user.type(within(form).getByLabelText('Amount from'), '500');
    await user.type(within(form).getByLabelText('Amount to'), '50');
    await user.click(within(form).getByRole('button', { name: 'Save rule' }));
    expect(within(form).getByLabelText('Amount to')).toHaveAccessibleDescription('Must not be below the amount it starts from.');
    expect(within(form).queryByText(/Give at least one condition/)).toBeNull();
    await user.clear(within(form).getByLabelText('Amount to'));
    await user.type(within(form).getByLabelText('Amount to'), '1.234');
    await user.click(within(form).getByRole('button', { name: 'Save rule' }));
    expect(within(form).getByLabelText('Amount to')).toHaveAccessibleDescription('A positive amount in USD, e.g. 500.00.');
    expect(apiPost).not.toHaveBeenCalled();
  });

  it('saves a rule for the past too and says how many transactions it booked', async () => {
    const created = { ...RULES[0], id: 'rul_new', name: 'Hardware', applyTo: 'past_and_future', appliedToPast: 2 };
    apiPost.mockRejectedValueOnce(
      new ApiError({ type: 'about:blank', title: 'Invalid request', status: 400, detail: 'x', errors: [{ field: 'actions.accountId', message: 'must be an expense account' }] }),
    );
    const user = show();
    await user.click(await screen.findByRole('button', { name: 'New rule' }));
    const form = screen.getByRole('form', { name: 'New bank rule' });
    await user.type(within(form).getByLabelText('Name (optional)'), 'Hardware');
    await user.type(within(form).getByLabelText('Description contains'), ' hardware store ');
    await user.type(within(form).getByLabelText('Amount to'), '200');
    await user.selectOptions(within(form).getByLabelText('Expense account'), '5140 · Repairs');
    await user.selectOptions(within(form).getByLabelText('Building (optional)'), 'Oak Row');
    await user.click(within(form).getByRole('radio', { name: 'New transactions, and the unmatched ones already here' }));
    await user.click(within(form).getByRole('button', { name: 'Save rule' }));
    expect(await within(form).findByText('must be an expense account')).toBeInTheDocument();
    expect(within(form).getByLabelText('Expense account')).toHaveAttribute('aria-invalid', 'true');

    apiPost.mockImplementationOnce(async () => {
      rules = [...RULES, created];
      return created;
    });
    await user.click(within(form).getByRole('button', { name: 'Save rule' }));
    expect(apiPost).toHaveBeenLastCalledWith(
      RULES_PATH,
      { orgId: ORG_ID },
      {
        name: 'Hardware',
        conditions: { descriptionContains: 'hardware store', amountMin: null, amountMax: '200.00', accountId: null },
        actions: { accountId: 'acc_repairs', vendorId: null, buildingId: 'bld_b' },
        applyTo: 'past_and_future',
      },
    );
    expect(await screen.findByRole('status')).toHaveTextContent('Saved the rule “Hardware”. It booked 2 unmatched transactions already here.');
    expect(screen.queryByRole('form')).toBeNull();
    await waitFor(() => expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(4));
  });

  it('deletes a rule after a second click; what it booked stays', async () => {
    apiDelete.mockImplementation(async () => {
      rules = [RULES[1]];
      return undefined;
    });
    const user = show();
    await user.click(await screen.findByRole('button', { name: 'Delete Water bill' }));
    expect(apiDelete).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Confirm delete Water bill' }));
    expect(apiDelete).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/bank-rules/{ruleId}', { orgId: ORG_ID, ruleId: 'rul_water' });
    expect(await screen.findByRole('status')).toHaveTextContent('Deleted Water bill. What it booked stays.');
    await waitFor(() => expect(screen.queryByText('Water bill')).toBeNull());
    // An unnamed rule is named by its place.
    expect(screen.getByRole('button', { name: 'Delete rule 1' })).toBeInTheDocument();
  });

  it('shows a readonly member the rules without New rule or Delete', async () => {
    show('readonly');
    expect(await screen.findByText('Water bill')).toBeInTheDocument();
    expect(screen.queryByRole('button')).toBeNull();
  });
});
