import type { ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { OrgContext, type OrgContextValue } from '@/lib/org';
import type { Role } from '@/lib/permissions';

const apiGet = vi.fn();
const apiPut = vi.fn();
const apiPost = vi.fn();
const apiDelete = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPut: (...a: unknown[]) => apiPut(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
  apiDelete: (...a: unknown[]) => apiDelete(...a),
}));

const { default: IntegrationsPage } = await import('./IntegrationsPage');
const { default: SettingsLayout } = await import('./SettingsLayout');

const STRIPE = '/api/v1/orgs/{orgId}/integrations/stripe';
const notConnected = { status: 'not_connected' };
const connected = {
  status: 'connected',
  accountId: 'acct_1Nv0FGQ9RKHgCVdK',
  chargesEnabled: true,
  payoutsEnabled: false,
  connectedAt: '2027-03-01T14:05:00Z',
  connectedBy: 'u-ann',
};

function ctx(role: Role): OrgContextValue {
  return {
    orgId: 'org_1',
    role,
    org: { id: 'org_1', name: 'Ann Apartments', baseCurrency: 'USD', country: 'US', timezone: 'America/New_York', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' },
  };
}

function wrap(ui: ReactNode, role: Role = 'owner') {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={['/orgs/org_1/settings/integrations']}>
        <OrgContext.Provider value={ctx(role)}>{ui}</OrgContext.Provider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const problem = (status: number, detail: string, errors?: { field: string; message: string }[], retryAfter?: number) =>
  new ApiError({ type: 'about:blank', title: status === 409 ? 'Conflict' : status === 503 ? 'Service unavailable' : 'Invalid request', status, detail, errors }, retryAfter);

/** The API as the page sees it: the connection as `state` says, members for "connected by". */
let state: Record<string, unknown> = notConnected;
function serve() {
  apiGet.mockImplementation(async (path: string) => {
    if (path === STRIPE) return state;
    if (path === '/api/v1/orgs/{orgId}/members') return { items: [{ userId: 'u-ann', email: 'ann@example.com', role: 'owner' }], nextCursor: null };
    // The bank feeds below (BankFeeds.test.tsx): none connected.
    if (path === '/api/v1/orgs/{orgId}/integrations/plaid/items') return { items: [] };
    if (path === '/api/v1/orgs/{orgId}/accounts') return { items: [] };
    // The SFTP server below (Sftp.test.tsx): none connected.
    if (path === '/api/v1/orgs/{orgId}/integrations/sftp') return { status: 'not_connected' };
    throw new Error(`unexpected GET ${path}`);
  });
}

async function typeAndConnect(id: string) {
  const user = userEvent.setup();
  const input = await screen.findByLabelText('Stripe account ID');
  await user.clear(input);
  if (id) await user.type(input, id);
  await user.click(screen.getByRole('button', { name: 'Connect Stripe' }));
  return user;
}

describe('settings → integrations (Stripe)', () => {
  beforeEach(() => {
    for (const f of [apiGet, apiPut, apiPost, apiDelete]) f.mockReset();
    state = notConnected;
    serve();
  });

  it('checks the account id before asking the API', async () => {
    wrap(<IntegrationsPage />);
    expect(await screen.findByText('Not connected')).toBeInTheDocument();
    await typeAndConnect('');
    expect(screen.getByText('Enter the Stripe account ID.')).toBeInTheDocument();
    await typeAndConnect('acct-123');
    const msg = screen.getByText(/A Stripe account ID looks like acct_/);
    const input = screen.getByLabelText('Stripe account ID');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input.getAttribute('aria-describedby')).toContain(msg.id);
    await typeAndConnect('acct_12 34');
    expect(screen.getByText(/A Stripe account ID looks like acct_/)).toBeInTheDocument();
    expect(apiPut).not.toHaveBeenCalled();
  });

  it('connects, then shows the account, its flags, when (org timezone) and by whom', async () => {
    apiPut.mockImplementation(async () => {
      state = connected;
      return connected;
    });
    wrap(<IntegrationsPage />);
    await typeAndConnect('  acct_1Nv0FGQ9RKHgCVdK ');
    expect(apiPut).toHaveBeenCalledWith(STRIPE, { orgId: 'org_1' }, { accountId: 'acct_1Nv0FGQ9RKHgCVdK' });
    const status = await screen.findByTestId('stripe-status');
    expect(within(status).getByText('Connected')).toBeInTheDocument();
    expect(within(status).getByText('acct_1Nv0FGQ9RKHgCVdK')).toBeInTheDocument();
    const fact = (label: string) => within(status).getByText(label).nextElementSibling as HTMLElement;
    expect(fact('Charges enabled')).toHaveTextContent('Yes');
    expect(fact('Payouts enabled')).toHaveTextContent('No');
    // 14:05 UTC is 09:05 in New York (EST).
    expect(fact('Connected on')).toHaveTextContent(/9:05/);
    expect(await within(status).findByText('ann@example.com')).toBeInTheDocument();
    expect(screen.queryByLabelText('Stripe account ID')).toBeNull();
    expect(screen.getByRole('button', { name: 'Disconnect Stripe' })).toBeInTheDocument();
  });

  it('shows a 400 naming accountId next to the field', async () => {
    apiPut.mockRejectedValue(problem(400, "accountId: Stripe: No such account: 'acct_nope'", [{ field: 'accountId', message: "Stripe: No such account: 'acct_nope'" }]));
    wrap(<IntegrationsPage />);
    await typeAndConnect('acct_nope');
    const msg = await screen.findByText("Stripe: No such account: 'acct_nope'");
    const input = screen.getByLabelText('Stripe account ID');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input.getAttribute('aria-describedby')).toContain(msg.id);
    // What was typed stays, to correct it.
    expect(input).toHaveValue('acct_nope');
  });

  it('shows a 409 (the account belongs to another org) above the form', async () => {
    apiPut.mockRejectedValue(problem(409, 'the Stripe account is connected to another organization'));
    wrap(<IntegrationsPage />);
    await typeAndConnect('acct_taken');
    const form = screen.getByRole('form', { name: 'Connect a Stripe account' });
    const alert = await within(form).findByText(/connected to another organization/);
    expect(alert.closest('[role="alert"]')).toHaveTextContent('Conflict.');
    expect(screen.getByLabelText('Stripe account ID')).not.toHaveAttribute('aria-invalid');
  });

  it('says how long to wait when Stripe is unavailable (503 with Retry-After)', async () => {
    apiPut.mockRejectedValue(problem(503, 'Stripe is unavailable; no call was made', undefined, 7));
    wrap(<IntegrationsPage />);
    await typeAndConnect('acct_123');
    expect(await screen.findByText(/try again in 7 seconds/)).toBeInTheDocument();
  });

  it('disconnects only after the inline confirmation, which says payments already taken stay', async () => {
    state = connected;
    apiDelete.mockImplementation(async () => {
      state = notConnected;
      return undefined;
    });
    wrap(<IntegrationsPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Disconnect Stripe' }));
    expect(apiDelete).not.toHaveBeenCalled();
    const confirm = screen.getByRole('group', { name: 'Disconnect acct_1Nv0FGQ9RKHgCVdK?' });
    expect(confirm).toHaveTextContent(/Payments already taken stay on the leases’ ledgers/);
    // Cancel keeps it connected.
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(apiDelete).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Disconnect Stripe' }));
    await user.click(screen.getByRole('button', { name: 'Confirm disconnect' }));
    expect(apiDelete).toHaveBeenCalledWith(STRIPE, { orgId: 'org_1' });
    expect(await screen.findByText('Not connected')).toBeInTheDocument();
    expect(screen.getByLabelText('Stripe account ID')).toBeInTheDocument();
  });

  it('shows a manager or accountant the status only', async () => {
    state = connected;
    for (const role of ['manager', 'accountant'] as const) {
      const { unmount } = wrap(<IntegrationsPage />, role);
      expect(await screen.findByText('acct_1Nv0FGQ9RKHgCVdK')).toBeInTheDocument();
      expect(screen.queryByRole('button')).toBeNull();
      expect(screen.queryByLabelText('Stripe account ID')).toBeNull();
      expect(screen.getByText(/Only an owner can connect or disconnect/)).toBeInTheDocument();
      unmount();
    }
  });

  it('offers the tab to who may read integrations (not to a readonly member), mirroring the API', async () => {
    const tabs = (role: Role) => {
      const { unmount } = wrap(<SettingsLayout />, role);
      const has = within(screen.getByRole('navigation', { name: 'Settings' })).queryByRole('link', { name: 'Integrations' }) !== null;
      unmount();
      return has;
    };
    expect(['owner', 'manager', 'accountant', 'readonly'].map((r) => tabs(r as Role))).toEqual([true, true, true, false]);
    wrap(<IntegrationsPage />, 'readonly');
    expect(screen.getByRole('note')).toHaveTextContent('Your role does not give access to integrations.');
    await waitFor(() => expect(apiGet).not.toHaveBeenCalled());
  });
});
