import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { ORG_ID, renderWithOrg } from '@/test/renderWithOrg';
import type { Role } from '@/lib/permissions';

const apiGet = vi.fn();
const apiPost = vi.fn();
const apiDelete = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
  apiDelete: (...a: unknown[]) => apiDelete(...a),
}));
const openLink = vi.fn();
vi.mock('@/lib/plaidLink', async (original) => ({ ...(await original<typeof import('@/lib/plaidLink')>()), openLink: (...a: unknown[]) => openLink(...a) }));

const { BankFeeds } = await import('./BankFeeds');
const { LinkExited } = await import('@/lib/plaidLink');

const ITEMS = '/api/v1/orgs/{orgId}/integrations/plaid/items';
const LINK_TOKEN = '/api/v1/orgs/{orgId}/integrations/plaid/link-token';
const t = '2027-01-01T00:00:00Z';
const ACCOUNTS = [
  { id: 'acc_bank', code: '1000', name: 'Operating account', type: 'asset', subtype: 'bank', archived: false, seeded: true, createdAt: t, updatedAt: t },
  { id: 'acc_reserve', code: '1010', name: 'Reserve account', type: 'asset', subtype: 'bank', archived: false, seeded: false, createdAt: t, updatedAt: t },
  { id: 'acc_old', code: '1020', name: 'Old bank', type: 'asset', subtype: 'bank', archived: true, seeded: false, createdAt: t, updatedAt: t },
  { id: 'acc_undeposited', code: '1050', name: 'Undeposited funds', type: 'asset', subtype: 'clearing', archived: false, seeded: true, createdAt: t, updatedAt: t },
  { id: 'acc_rent', code: '4000', name: 'Rent', type: 'income', archived: false, seeded: true, createdAt: t, updatedAt: t },
];
const ITEM = {
  itemId: 'item1',
  institutionName: 'First Platypus Bank',
  accounts: [{ plaidAccountId: 'pa_checking', accountId: 'acc_bank', accountCode: '1000', name: 'Plaid Checking', mask: '0000' }],
  status: 'active',
  lastSyncedAt: '2027-03-03T15:00:00Z',
  lastSyncError: 'Plaid is unavailable; the next sync retries',
  connectedAt: '2027-03-01T15:00:00Z',
};
const LINKED = {
  publicToken: 'public-sandbox-1',
  accounts: [
    { id: 'pa_checking', name: 'Plaid Checking', mask: '0000' },
    { id: 'pa_saving', name: 'Plaid Saving', mask: '1111' },
  ],
};

let items: unknown[] = [];

function show(role: Role = 'owner') {
  renderWithOrg(<BankFeeds />, { route: 'settings/integrations', at: 'settings/integrations', role });
  return userEvent.setup();
}

const problem = (status: number, title: string, detail: string, errors?: { field: string; message: string }[]) => new ApiError({ type: 'about:blank', title, status, detail, errors });

describe('settings → integrations → bank feeds', () => {
  beforeEach(() => {
    for (const f of [apiGet, apiPost, apiDelete, openLink]) f.mockReset();
    items = [];
    apiGet.mockImplementation(async (path: string) => {
      if (path === ITEMS) return { items };
      if (path === '/api/v1/orgs/{orgId}/accounts') return { items: ACCOUNTS };
      throw new Error(`unexpected GET ${path}`);
    });
  });

  it('shows each connected bank: its accounts into the books, the last sync and its error', async () => {
    items = [ITEM, { ...ITEM, itemId: 'item0', institutionName: 'Tartan Bank', status: 'disconnected', lastSyncError: null, disconnectedAt: '2027-02-01T15:00:00Z' }];
    show();
    const [active, gone] = await screen.findAllByTestId('bank-feed');
    expect(within(active as HTMLElement).getByRole('heading', { name: 'First Platypus Bank' })).toBeInTheDocument();
    const fact = (card: HTMLElement, label: string) => within(card).getByText(label).nextElementSibling as HTMLElement;
    expect(fact(active as HTMLElement, 'Status')).toHaveTextContent('Active');
    expect(fact(active as HTMLElement, 'Last synced')).toHaveTextContent(/Mar 3, 2027.*10:00/);
    expect(active).toHaveTextContent('The last sync failed. Plaid is unavailable; the next sync retries');
    const accounts = within(active as HTMLElement).getByRole('table', { name: 'Accounts synced from First Platypus Bank' });
    expect(within(accounts).getAllByRole('row')[1]).toHaveTextContent('Plaid Checking ··0000');
    await waitFor(() => expect(within(accounts).getAllByRole('row')[1]).toHaveTextContent('1000 · Operating account'));
    expect(within(active as HTMLElement).getByRole('button', { name: 'Disconnect First Platypus Bank' })).toBeInTheDocument();
    expect(fact(gone as HTMLElement, 'Status')).toHaveTextContent('Disconnected');
    expect(fact(gone as HTMLElement, 'Disconnected on')).toHaveTextContent(/Feb 1, 2027/);
    expect(within(gone as HTMLElement).queryByRole('button')).toBeNull();
  });

  it('connects a bank: a Link token, Plaid Link, then each account mapped to a bank account of the books', async () => {
    apiPost.mockImplementation(async (path: string) => {
      if (path === LINK_TOKEN) return { linkToken: 'link-sandbox-1', expiration: '2027-03-03T19:00:00Z' };
      items = [ITEM];
      return ITEM;
    });
    openLink.mockResolvedValue(LINKED);
    const user = show();
    expect(await screen.findByText('No bank is connected yet.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Connect a bank' }));
    expect(apiPost).toHaveBeenCalledWith(LINK_TOKEN, { orgId: ORG_ID }, {});
    expect(openLink).toHaveBeenCalledWith('link-sandbox-1');
    const form = await screen.findByRole('form', { name: 'Choose where each account’s transactions go' });
    const checking = within(form).getByLabelText('Plaid Checking ··0000');
    // Active bank accounts of the books only; nothing synced until chosen.
    expect(within(checking).getAllByRole('option').map((o) => o.textContent)).toEqual(['Don’t sync', '1000 · Operating account', '1010 · Reserve account']);
    expect(checking).toHaveValue('');
    await user.click(within(form).getByRole('button', { name: 'Connect bank' }));
    expect(within(form).getByRole('alert')).toHaveTextContent('Choose a books account for at least one of the bank’s accounts.');
    expect(apiPost).toHaveBeenCalledTimes(1);

    await user.selectOptions(checking, '1000 · Operating account');
    await user.click(within(form).getByRole('button', { name: 'Connect bank' }));
    expect(apiPost).toHaveBeenLastCalledWith(ITEMS, { orgId: ORG_ID }, { publicToken: 'public-sandbox-1', accounts: [{ plaidAccountId: 'pa_checking', accountId: 'acc_bank' }] });
    expect(await screen.findByRole('status')).toHaveTextContent('Connected First Platypus Bank: 1 account syncs into the books.');
    expect(screen.queryByRole('form')).toBeNull();
    expect(await screen.findByRole('heading', { name: 'First Platypus Bank' })).toBeInTheDocument();
  });

  it('puts the API’s error for accounts[i] under the account it names (the i-th one synced)', async () => {
    apiPost.mockImplementation(async (path: string) => {
      if (path === LINK_TOKEN) return { linkToken: 'link-sandbox-1', expiration: '' };
      throw problem(400, 'Invalid request', 'accounts[0].accountId: must be an active bank account of the chart', [{ field: 'accounts[0].accountId', message: 'must be an active bank account of the chart' }]);
    });
    openLink.mockResolvedValue(LINKED);
    const user = show();
    await user.click(await screen.findByRole('button', { name: 'Connect a bank' }));
    const form = await screen.findByRole('form', { name: 'Choose where each account’s transactions go' });
    // Only the savings account is synced: it is accounts[0] of the body.
    await user.selectOptions(within(form).getByLabelText('Plaid Saving ··1111'), '1010 · Reserve account');
    await user.click(within(form).getByRole('button', { name: 'Connect bank' }));
    expect(apiPost).toHaveBeenLastCalledWith(ITEMS, { orgId: ORG_ID }, { publicToken: 'public-sandbox-1', accounts: [{ plaidAccountId: 'pa_saving', accountId: 'acc_reserve' }] });
    const msg = await within(form).findByText('must be an active bank account of the chart');
    const saving = within(form).getByLabelText('Plaid Saving ··1111');
    expect(saving).toHaveAttribute('aria-invalid', 'true');
    expect(saving.getAttribute('aria-describedby')).toContain(msg.id);
    expect(within(form).getByLabelText('Plaid Checking ··0000')).not.toHaveAttribute('aria-invalid');
    expect(within(form).getByText(/Check the fields marked below/)).toBeInTheDocument();
  });

  it('says when Plaid failed, and nothing when the user closed Link', async () => {
    apiPost.mockRejectedValueOnce(problem(502, 'Bad gateway', 'Plaid did not answer: timeout'));
    const user = show();
    await user.click(await screen.findByRole('button', { name: 'Connect a bank' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Bad gateway. Plaid did not answer: timeout');
    apiPost.mockResolvedValue({ linkToken: 'link-sandbox-2', expiration: '' });
    openLink.mockRejectedValueOnce(new LinkExited());
    await user.click(screen.getByRole('button', { name: 'Connect a bank' }));
    await waitFor(() => expect(openLink).toHaveBeenCalled());
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(screen.queryByRole('form')).toBeNull();
  });

  it('disconnects after a confirmation that says the history is kept', async () => {
    items = [{ ...ITEM, lastSyncError: null }];
    apiDelete.mockImplementation(async () => {
      items = [{ ...ITEM, lastSyncError: null, status: 'disconnected', disconnectedAt: '2027-03-04T15:00:00Z' }];
      return items[0];
    });
    const user = show();
    await user.click(await screen.findByRole('button', { name: 'Disconnect First Platypus Bank' }));
    expect(apiDelete).not.toHaveBeenCalled();
    const confirm = screen.getByRole('group', { name: 'Disconnect First Platypus Bank?' });
    expect(confirm).toHaveTextContent('The history is kept: every transaction already imported, and every match, stays');
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    await user.click(screen.getByRole('button', { name: 'Disconnect First Platypus Bank' }));
    await user.click(screen.getByRole('button', { name: 'Confirm disconnect' }));
    expect(apiDelete).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/integrations/plaid/items/{itemId}', { orgId: ORG_ID, itemId: 'item1' });
    const card = await screen.findByTestId('bank-feed');
    await waitFor(() => expect(within(card).getByText('Status').nextElementSibling).toHaveTextContent('Disconnected'));
    expect(screen.queryByRole('button', { name: /Disconnect/ })).toBeNull();
  });

  it('shows a manager or accountant the banks only: connecting and disconnecting are for owners', async () => {
    items = [ITEM];
    for (const role of ['manager', 'accountant'] as const) {
      const { unmount } = renderWithOrg(<BankFeeds />, { route: 'settings/integrations', at: 'settings/integrations', role });
      expect(await screen.findByRole('heading', { name: 'First Platypus Bank' })).toBeInTheDocument();
      expect(screen.queryByRole('button')).toBeNull();
      expect(screen.getByText('Banks are connected and disconnected by an owner.')).toBeInTheDocument();
      unmount();
    }
  });
});
