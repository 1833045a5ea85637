import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { formatMoney } from '@/lib/money';
import { ORG_ID, renderWithOrg } from '@/test/renderWithOrg';
import type { Role } from '@/lib/permissions';
import { DEPOSIT, HARDWARE, IGNORED, MATCHED, SHOP, lookup } from './testing';

const apiGet = vi.fn();
const apiPost = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
}));

const { default: TransactionsTab } = await import('./TransactionsTab');
const { default: BankLayout } = await import('./BankLayout');

const LIST = '/api/v1/orgs/{orgId}/bank-transactions';
const MATCH = '/api/v1/orgs/{orgId}/bank-transactions/{id}:match';
const usd = (amount: string) => ({ amount, currency: 'USD' });

/** The lists as the API answers them now (tests move transactions between them). */
let lists: Record<string, unknown[]> = {};
let items: unknown[] = [];

function serve() {
  apiGet.mockImplementation(async (path: string, _params: unknown, query?: { status?: string }) => {
    if (path === LIST) return { items: lists[query?.status ?? 'unmatched'] ?? [], nextCursor: null };
    if (path === '/api/v1/orgs/{orgId}/integrations/plaid/items') return { items };
    const found = lookup(path);
    if (found !== undefined) return found;
    throw new Error(`unexpected GET ${path}`);
  });
}

function show(status: 'unmatched' | 'matched' | 'ignored', role: Role = 'owner') {
  renderWithOrg(<TransactionsTab status={status} />, { route: `bank/${status}`, at: `bank/${status}`, role });
  return userEvent.setup();
}

const row = async (text: string) => (await screen.findByText(text)).closest('tr') as HTMLElement;

const problem = (status: number, detail: string, errors?: { field: string; message: string }[]) =>
  new ApiError({ type: 'about:blank', title: status === 409 ? 'Conflict' : 'Invalid request', status, detail, errors });

describe('bank → unmatched', () => {
  beforeEach(() => {
    apiGet.mockReset();
    apiPost.mockReset();
    lists = { unmatched: [DEPOSIT, HARDWARE], matched: MATCHED, ignored: IGNORED };
    items = [];
    serve();
  });

  it('shows each transaction signed as the bank sees it, pending ones badged, with the ranked suggestions', async () => {
    show('unmatched');
    const deposit = await row('MOBILE DEPOSIT CHECK 1042');
    expect(deposit).toHaveTextContent(`+${formatMoney(usd('1550.00'))}`);
    expect(within(deposit).getAllByText(/\(money in\)/)).toHaveLength(3);
    const suggestions = within(deposit).getAllByRole('listitem');
    expect(suggestions).toHaveLength(2);
    expect(suggestions[0]).toHaveTextContent(/Payment · Mar 2, 2027 · .*1,550\.00.* · 1042 score 95/);
    expect(suggestions[1]).toHaveTextContent(/Stripe payout · Feb 27, 2027 .*score 60/);
    expect(within(suggestions[0] as HTMLElement).getByRole('button', { name: /^Match to the payment of USD 1,550\.00 on Mar 2, 2027$/ })).toBeInTheDocument();
    // Money in: no expense to create from it.
    expect(within(deposit).queryByRole('button', { name: 'Create expense' })).toBeNull();

    const hardware = await row('HARDWARE STORE');
    expect(hardware.querySelector('.money.negative')).toHaveTextContent(formatMoney(usd('-42.50')));
    expect(within(hardware).getByText('Pending')).toBeInTheDocument();
    expect(within(hardware).getByText(/Ace Hardware/)).toBeInTheDocument();
    expect(hardware).toHaveTextContent('No recorded payment, payout or expense of this amount nearby.');
    expect(within(hardware).getByRole('button', { name: 'Create expense' })).toBeInTheDocument();
  });

  it('matches a suggestion by its kind, then reads the lists again', async () => {
    apiPost.mockResolvedValue({ ...DEPOSIT, status: 'matched' });
    const user = show('unmatched');
    const matchButtons = async () => within(await row('MOBILE DEPOSIT CHECK 1042')).getAllByRole('button', { name: /^Match/ });
    await user.click((await matchButtons())[1] as HTMLElement);
    expect(apiPost).toHaveBeenLastCalledWith(MATCH, { orgId: ORG_ID, id: 'txn_deposit' }, { payoutId: 'po_1' });
    apiPost.mockImplementation(async () => {
      lists = { ...lists, unmatched: [HARDWARE] };
      return { ...DEPOSIT, status: 'matched' };
    });
    await waitFor(async () => expect((await matchButtons())[0]).toBeEnabled());
    await user.click((await matchButtons())[0] as HTMLElement);
    expect(apiPost).toHaveBeenLastCalledWith(MATCH, { orgId: ORG_ID, id: 'txn_deposit' }, { paymentId: 'pay_1042' });
    expect(await screen.findByRole('status')).toHaveTextContent(/Matched MOBILE DEPOSIT CHECK 1042 .*under Matched/);
    await waitFor(() => expect(screen.queryByText('MOBILE DEPOSIT CHECK 1042')).toBeNull());
  });

  it('a 409 (matched meanwhile) is said above the list', async () => {
    apiPost.mockRejectedValue(problem(409, 'the bank transaction is matched; unmatch it first'));
    const user = show('unmatched');
    const deposit = await row('MOBILE DEPOSIT CHECK 1042');
    await user.click(within(deposit).getAllByRole('button', { name: /^Match/ })[0] as HTMLElement);
    expect(await screen.findByRole('alert')).toHaveTextContent('Matching MOBILE DEPOSIT CHECK 1042 failed. Conflict: the bank transaction is matched; unmatch it first');
  });

  it('creates an expense from money out: checked first, the API’s field errors under their inputs, then booked', async () => {
    const user = show('unmatched');
    await user.click(within(await row('HARDWARE STORE')).getByRole('button', { name: 'Create expense' }));
    const form = screen.getByRole('form', { name: 'Create an expense from HARDWARE STORE (-USD 42.50 on Mar 3, 2027)' });
    expect(form).toHaveTextContent('An expense of USD 42.50 on the bank’s date');
    await waitFor(() => expect(within(form).getByLabelText('Expense account')).toHaveFocus());
    await user.selectOptions(within(form).getByLabelText('Scope'), 'Building');
    await user.click(within(form).getByRole('button', { name: 'Create expense' }));
    expect(within(form).getByLabelText('Expense account')).toHaveAccessibleDescription('Choose the expense account.');
    expect(within(form).getByLabelText('Building')).toHaveAccessibleDescription('Choose a building.');
    expect(apiPost).not.toHaveBeenCalled();
    // Only expense (and fixed-asset) accounts are offered.
    const options = within(within(form).getByLabelText('Expense account')).getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['Choose an account…', '5140 · Repairs', '5170 · Utilities']);

    await user.selectOptions(within(form).getByLabelText('Expense account'), '5140 · Repairs');
    await user.selectOptions(within(form).getByLabelText('Building'), 'Maple Court');
    await user.selectOptions(within(form).getByLabelText('Vendor (optional)'), 'Ace Hardware');
    apiPost.mockRejectedValueOnce(problem(400, 'createExpense.accountId: the period is closed', [{ field: 'createExpense.accountId', message: 'March 2027 is closed' }]));
    await user.click(within(form).getByRole('button', { name: 'Create expense' }));
    expect(await within(form).findByText('March 2027 is closed')).toBeInTheDocument();
    expect(within(form).getByLabelText('Expense account')).toHaveAttribute('aria-invalid', 'true');

    apiPost.mockImplementationOnce(async () => {
      lists = { ...lists, unmatched: [DEPOSIT] };
      return { ...HARDWARE, status: 'matched', matches: [{ kind: 'expense', id: 'exp_new', amount: usd('-42.50'), fromAccountCode: '1000' }], matchedBy: 'u-ann' };
    });
    await user.type(within(form).getByLabelText('Memo (optional)'), ' Hinges ');
    await user.click(within(form).getByRole('button', { name: 'Create expense' }));
    expect(apiPost).toHaveBeenLastCalledWith(
      MATCH,
      { orgId: ORG_ID, id: 'txn_hardware' },
      { createExpense: { accountId: 'acc_repairs', vendorId: 'ven_ace', scope: { type: 'building', id: 'bld_a' }, memo: 'Hinges' } },
    );
    const done = await screen.findByRole('status');
    expect(done).toHaveTextContent('Booked HARDWARE STORE as an expense: it is now under Matched.');
    expect(within(done).getByRole('link', { name: 'View the expense' })).toHaveAttribute('href', `/orgs/${ORG_ID}/expenses/exp_new`);
    expect(screen.queryByRole('form')).toBeNull();
    await waitFor(() => expect(screen.queryByText('HARDWARE STORE')).toBeNull());
  });

  it('splits money out into expenses that must add up to it exactly (computed without floats)', async () => {
    lists = { ...lists, unmatched: [SHOP] };
    const user = show('unmatched');
    await user.click(within(await row('CORNER SHOP')).getByRole('button', { name: 'Split' }));
    const form = screen.getByRole('form', { name: /^Split CORNER SHOP/ });
    const remaining = within(form).getByText(/^Remaining/);
    expect(remaining).toHaveTextContent('Remaining USD 50.00');
    await user.selectOptions(within(form).getByLabelText('Part 1 account'), '5140 · Repairs');
    await user.type(within(form).getByLabelText('Part 1 amount'), '20');
    await user.selectOptions(within(form).getByLabelText('Part 2 account'), '5170 · Utilities');
    await user.type(within(form).getByLabelText('Part 2 amount'), '29.99');
    expect(remaining).toHaveTextContent('Remaining USD 0.01');
    expect(remaining).toHaveClass('off');
    await user.click(within(form).getByRole('button', { name: 'Book the split' }));
    expect(within(form).getByRole('alert')).toHaveTextContent('The parts must add up to the bank amount exactly: USD 0.01 remaining.');
    expect(apiPost).not.toHaveBeenCalled();

    // 0.1 + 0.2 in floating point is 0.30000000000000004: the remainder must still be exact.
    await user.clear(within(form).getByLabelText('Part 1 amount'));
    await user.type(within(form).getByLabelText('Part 1 amount'), '0.1');
    await user.clear(within(form).getByLabelText('Part 2 amount'));
    await user.type(within(form).getByLabelText('Part 2 amount'), '0.2');
    await user.click(within(form).getByRole('button', { name: 'Add part' }));
    expect(within(form).getByLabelText('Part 3 amount')).toHaveValue('49.70');
    await user.selectOptions(within(form).getByLabelText('Part 3 account'), '5140 · Repairs');
    await user.selectOptions(within(form).getByLabelText('Part 3 building'), 'Oak Row');
    expect(remaining).toHaveTextContent('Remaining USD 0.00');
    expect(remaining).not.toHaveClass('off');

    apiPost.mockRejectedValueOnce(problem(400, 'splits: the parts add up to -49.99, the bank transaction is -50.00: they must be equal', [{ field: 'splits', message: 'the parts add up to -49.99, the bank transaction is -50.00: they must be equal' }]));
    await user.click(within(form).getByRole('button', { name: 'Book the split' }));
    expect(apiPost).toHaveBeenCalledWith(
      MATCH,
      { orgId: ORG_ID, id: 'txn_shop' },
      {
        splits: [
          { createExpense: { accountId: 'acc_repairs', amount: '0.10', scope: { type: 'portfolio' } } },
          { createExpense: { accountId: 'acc_utilities', amount: '0.20', scope: { type: 'portfolio' } } },
          { createExpense: { accountId: 'acc_repairs', amount: '49.70', scope: { type: 'building', id: 'bld_b' } } },
        ],
      },
    );
    expect(await within(form).findByText(/the parts add up to -49\.99/)).toBeInTheDocument();
  });

  it('ignores a transaction', async () => {
    apiPost.mockResolvedValue({ ...HARDWARE, status: 'ignored' });
    const user = show('unmatched');
    await user.click(within(await row('HARDWARE STORE')).getByRole('button', { name: 'Ignore' }));
    expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/bank-transactions/{id}:ignore', { orgId: ORG_ID, id: 'txn_hardware' }, undefined);
    expect(await screen.findByRole('status')).toHaveTextContent('Ignored HARDWARE STORE');
  });

  it('shows a readonly member the suggestions but no button that would write', async () => {
    show('unmatched', 'readonly');
    const deposit = await row('MOBILE DEPOSIT CHECK 1042');
    expect(deposit).toHaveTextContent('score 95');
    expect(screen.queryByRole('button', { name: /Match|Create expense|Split|Ignore/ })).toBeNull();
    expect(screen.queryByRole('columnheader', { name: 'Actions' })).toBeNull();
  });

  it('filters by bank account and dates; a page the filter left empty still offers the next', async () => {
    apiGet.mockImplementation(async (path: string, _params: unknown, query?: { accountId?: string; cursor?: string; from?: string }) => {
      if (path === LIST && query?.accountId) return query.cursor ? { items: [HARDWARE], nextCursor: null } : { items: [], nextCursor: 'page2' };
      if (path === LIST) return { items: [DEPOSIT, HARDWARE], nextCursor: null };
      return lookup(path);
    });
    const user = show('unmatched');
    await row('HARDWARE STORE');
    await user.selectOptions(screen.getByLabelText('Bank account'), '1000 · Operating account');
    expect(await screen.findByText('None so far; there are more to look through.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await row('HARDWARE STORE')).toBeInTheDocument();
    expect(apiGet).toHaveBeenLastCalledWith(LIST, { orgId: ORG_ID }, { status: 'unmatched', cursor: 'page2', accountId: 'acc_bank', from: undefined, to: undefined }, expect.anything());
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(await row('MOBILE DEPOSIT CHECK 1042')).toBeInTheDocument();
  });

  it('says so when nothing is left to match', async () => {
    lists = { ...lists, unmatched: [] };
    show('unmatched');
    expect(await screen.findByText('Nothing to match: every bank transaction is matched or ignored.')).toBeInTheDocument();
  });
});

describe('bank → matched and ignored', () => {
  beforeEach(() => {
    apiGet.mockReset();
    apiPost.mockReset();
    lists = { unmatched: [], matched: MATCHED, ignored: IGNORED };
    items = [];
    serve();
  });

  it('says what each matched and who: automatically, a rule by name, a member by email', async () => {
    show('matched');
    const deposit = await row('MOBILE DEPOSIT CHECK 1042');
    expect(deposit).toHaveTextContent(/Payment \+USD 1,550\.00.* from 1050 · Undeposited funds/);
    expect(within(deposit).getByText('Automatically')).toBeInTheDocument();
    const water = await row('CITY WATER DEPT');
    expect(within(water).getByRole('link', { name: 'Expense' })).toHaveAttribute('href', `/orgs/${ORG_ID}/expenses/exp_water`);
    expect(await within(water).findByText('Rule: Water bill')).toBeInTheDocument();
    const plumber = await row('ACE PLUMBING INC');
    expect(await within(plumber).findByText('ann@example.com')).toBeInTheDocument();
    // Matched on: 15:00 UTC is 10:00 in New York (EST until March 14, 2027).
    expect(plumber).toHaveTextContent(/10:00/);
  });

  it('unmatches only after a second click', async () => {
    apiPost.mockResolvedValue({ ...MATCHED[0], status: 'unmatched', matches: [] });
    const user = show('matched');
    const deposit = await row('MOBILE DEPOSIT CHECK 1042');
    await user.click(within(deposit).getByRole('button', { name: 'Unmatch' }));
    expect(apiPost).not.toHaveBeenCalled();
    await user.click(within(deposit).getByRole('button', { name: 'Confirm unmatch' }));
    expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/bank-transactions/{id}:unmatch', { orgId: ORG_ID, id: 'txn_deposit' }, undefined);
    expect(await screen.findByRole('status')).toHaveTextContent('Unmatched MOBILE DEPOSIT CHECK 1042: the records it matched stay');
  });

  it('restores an ignored one (an unmatch)', async () => {
    apiPost.mockResolvedValue({ ...IGNORED[0], status: 'unmatched' });
    const user = show('ignored');
    await user.click(within(await row('TRANSFER TO SAVINGS')).getByRole('button', { name: 'Restore' }));
    expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/bank-transactions/{id}:unmatch', { orgId: ORG_ID, id: 'txn_transfer' }, undefined);
    expect(await screen.findByRole('status')).toHaveTextContent('Restored TRANSFER TO SAVINGS: it is under Unmatched again.');
  });

  it('the page: tabs for each status and the rules, and where to connect a bank when none is', async () => {
    renderWithOrg(<BankLayout />, { route: 'bank', at: 'bank' });
    const tabs = screen.getByRole('navigation', { name: 'Bank' });
    expect(within(tabs).getAllByRole('link').map((l) => l.textContent)).toEqual(['Unmatched', 'Matched', 'Ignored', 'Rules']);
    expect(await screen.findByRole('link', { name: 'Settings → Integrations' })).toHaveAttribute('href', `/orgs/${ORG_ID}/settings/integrations`);
    expect(screen.getByText(/No bank is connected/)).toBeInTheDocument();
  });

  it('the page names the connected banks and when each last synced', async () => {
    items = [{ itemId: 'item1', institutionName: 'First Platypus Bank', accounts: [], status: 'active', lastSyncedAt: '2027-03-03T15:00:00Z', connectedAt: '2027-03-01T15:00:00Z' }];
    renderWithOrg(<BankLayout />, { route: 'bank', at: 'bank' });
    expect(await screen.findByTestId('bank-feeds-summary')).toHaveTextContent(/First Platypus Bank: last synced Mar 3, 2027/);
  });

  it('a readonly member gets the tabs without the integrations line', async () => {
    renderWithOrg(<BankLayout />, { route: 'bank', at: 'bank', role: 'readonly' });
    expect(screen.getByRole('navigation', { name: 'Bank' })).toBeInTheDocument();
    await waitFor(() => expect(apiGet).not.toHaveBeenCalledWith('/api/v1/orgs/{orgId}/integrations/plaid/items', expect.anything(), undefined, expect.anything()));
    expect(screen.queryByText(/No bank is connected/)).toBeNull();
  });
});
