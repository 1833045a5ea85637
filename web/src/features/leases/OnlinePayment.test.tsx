import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Schemas } from '@/api/client';
import { ApiError } from '@/api/problem';
import { formatMoney } from '@/lib/money';
import { networkError, renderWithOrg, validationError } from './testing';

const apiGet = vi.fn();
const apiPost = vi.fn();
let keyCount = 0;
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
  newIdempotencyKey: () => `key-${++keyCount}`,
}));

const { OnlinePaymentForm } = await import('./OnlinePaymentForm');
const { LedgerSection } = await import('./LedgerSection');

const INTENTS = '/api/v1/orgs/{orgId}/leases/{leaseId}/payment-intents';
const usd = (amount: string) => ({ amount, currency: 'USD' });

const intent = (amount: string, currency = 'USD') => ({
  paymentIntentId: 'pi_3',
  clientSecret: 'pi_3_secret_abc',
  status: 'requires_payment_method',
  paymentId: 'pay_stripe_1',
  leaseId: 'lse_1',
  amount: { amount, currency },
});

const problem = (status: number, title: string, detail: string, retryAfter?: number) => new ApiError({ type: 'about:blank', title, status, detail }, retryAfter);

function renderForm({ currency = 'USD', owed = usd('1550.00') as { amount: string; currency: string } | undefined } = {}) {
  const onClose = vi.fn();
  renderWithOrg(<OnlinePaymentForm leaseId="lse_1" currency={currency} owed={owed} onClose={onClose} />);
  return { user: userEvent.setup(), onClose };
}

/** The Idempotency-Key each request was sent with. */
const keysSent = () => apiPost.mock.calls.map((c) => (c[3] as { idempotencyKey?: string }).idempotencyKey);
const submit = (user: ReturnType<typeof userEvent.setup>) => user.click(screen.getByRole('button', { name: 'Request payment' }));

describe('requesting an online payment', () => {
  beforeEach(() => {
    apiGet.mockReset();
    apiPost.mockReset();
    keyCount = 0;
  });

  it('defaults to the balance owed with card and ACH, and shows the created intent with its client secret', async () => {
    apiPost.mockResolvedValue(intent('1550.00'));
    const { user, onClose } = renderForm();
    expect(screen.getByLabelText('Amount')).toHaveValue('1550.00');
    expect(screen.getByRole('checkbox', { name: 'Card' })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'ACH (US bank account)' })).toBeChecked();
    await submit(user);
    expect(apiPost).toHaveBeenCalledWith(INTENTS, { orgId: 'org_1', leaseId: 'lse_1' }, { amount: usd('1550.00'), paymentMethodTypes: ['card', 'us_bank_account'] }, { idempotencyKey: 'key-1' });
    const result = await screen.findByRole('region', { name: 'Online payment requested' });
    expect(within(result).getByTestId('payment-intent-id')).toHaveTextContent('pi_3');
    expect(result).toHaveTextContent('requires_payment_method');
    expect(result).toHaveTextContent(formatMoney(usd('1550.00')));
    const secret = within(result).getByLabelText('Client secret');
    expect(secret).toHaveValue('pi_3_secret_abc');
    expect(secret).toHaveAttribute('readonly');
    expect(result).toHaveTextContent(/checkout uses it with Stripe\.js/);
    await user.click(within(result).getByRole('button', { name: 'Done' }));
    expect(onClose).toHaveBeenCalled();
  });

  it('starts empty when nothing is owed, and checks the amount and methods before asking the API', async () => {
    const { user } = renderForm({ owed: usd('-20.00') });
    expect(screen.getByLabelText('Amount')).toHaveValue('');
    await user.click(screen.getByRole('checkbox', { name: 'Card' }));
    await user.click(screen.getByRole('checkbox', { name: 'ACH (US bank account)' }));
    await submit(user);
    expect(screen.getByText('Enter an amount.')).toBeInTheDocument();
    expect(screen.getByText('Choose card, ACH or both.')).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Payment methods' })).toHaveAccessibleDescription('Choose card, ACH or both.');
    await user.type(screen.getByLabelText('Amount'), '12.345');
    await submit(user);
    expect(screen.getByText('USD amounts have at most 2 decimal places.')).toBeInTheDocument();
    expect(apiPost).not.toHaveBeenCalled();
  });

  it('offers no ACH for a lease not in USD, and sends card only', async () => {
    apiPost.mockResolvedValue(intent('900.00', 'EUR'));
    const { user } = renderForm({ currency: 'EUR', owed: { amount: '900.00', currency: 'EUR' } });
    expect(screen.queryByRole('checkbox', { name: /ACH/ })).toBeNull();
    expect(screen.getByRole('checkbox', { name: 'Card' })).toBeChecked();
    expect(screen.getByText(/ACH debits are offered for leases in USD only; this lease is in EUR/)).toBeInTheDocument();
    await submit(user);
    expect(apiPost).toHaveBeenCalledWith(INTENTS, { orgId: 'org_1', leaseId: 'lse_1' }, { amount: { amount: '900.00', currency: 'EUR' }, paymentMethodTypes: ['card'] }, { idempotencyKey: 'key-1' });
  });

  it('keeps the Idempotency-Key when the same submission is retried, and takes a new one for the next request', async () => {
    apiPost
      .mockRejectedValueOnce(networkError())
      .mockRejectedValueOnce(problem(503, 'Service unavailable', 'Stripe is unavailable; no call was made', 4))
      .mockResolvedValueOnce(intent('1550.00'))
      .mockResolvedValueOnce(intent('1550.00'));
    const { user } = renderForm();
    await submit(user);
    expect(await screen.findByRole('alert')).toHaveTextContent(/could not be reached/);
    await submit(user);
    expect(await screen.findByText(/try again in 4 seconds/)).toBeInTheDocument();
    await submit(user);
    await screen.findByRole('region', { name: 'Online payment requested' });
    // The same submission three times (each may have reached Stripe): one key.
    expect(keysSent()).toEqual(['key-1', 'key-1', 'key-1']);

    // Another request, even for the same amount, is another payment: a new key.
    await user.click(screen.getByRole('button', { name: 'Request another' }));
    expect(screen.getByLabelText('Amount')).toHaveValue('1550.00');
    await submit(user);
    await screen.findByRole('region', { name: 'Online payment requested' });
    expect(keysSent()).toHaveLength(4);
    expect(keysSent()[3]).not.toBe(keysSent()[0]);
  });

  it('a changed submission after a refusal gets a new key', async () => {
    apiPost.mockRejectedValueOnce(validationError([{ field: 'amount.amount', message: 'must be at least 0.50 and at most 999999.99' }])).mockResolvedValueOnce(intent('20.00'));
    const { user } = renderForm();
    await user.clear(screen.getByLabelText('Amount'));
    await user.type(screen.getByLabelText('Amount'), '0.10');
    await submit(user);
    const msg = await screen.findByText('must be at least 0.50 and at most 999999.99');
    const input = screen.getByLabelText('Amount');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input.getAttribute('aria-describedby')).toContain(msg.id);
    await user.clear(input);
    await user.type(input, '20');
    await submit(user);
    await screen.findByRole('region', { name: 'Online payment requested' });
    expect(keysSent()[1]).not.toBe(keysSent()[0]);
  });

  it('shows a 409 (no Stripe account connected) with what to do', async () => {
    apiPost.mockRejectedValue(problem(409, 'Conflict', 'the org has no Stripe account connected (PUT …/integrations/stripe)'));
    const { user } = renderForm();
    await submit(user);
    const alert = await screen.findByText(/Online payment not started/);
    expect(alert.closest('[role="alert"]')).toHaveTextContent(/no Stripe account connected.*Settings → Integrations/);
  });

  it('shows a 503 without a readable Retry-After by its detail, and a 502 as Stripe failing', async () => {
    apiPost.mockRejectedValueOnce(problem(503, 'Service unavailable', 'Stripe is unavailable; no call was made')).mockRejectedValueOnce(problem(502, 'Bad gateway', 'Stripe did not answer: timed out'));
    const { user } = renderForm();
    await submit(user);
    expect(await screen.findByRole('alert')).toHaveTextContent('Stripe is unavailable. Stripe is unavailable; no call was made Try again shortly.');
    await submit(user);
    expect(await screen.findByText(/Stripe did not answer: timed out\. Nothing was recorded; you can try again\./)).toBeInTheDocument();
  });
});

describe('online payments on the ledger', () => {
  const lease: Schemas['Lease'] = {
    id: 'lse_1',
    unitId: 'unt_1',
    buildingId: 'bld_1',
    tenantIds: ['tnt_1'],
    status: 'active',
    startDate: '2027-01-01',
    rent: usd('1550.00'),
    dueDay: 1,
    createdAt: '2027-01-01T00:00:00Z',
    updatedAt: '2027-01-01T00:00:00Z',
  };
  const entry = (e: Partial<Schemas['LedgerEntry']> & Pick<Schemas['LedgerEntry'], 'type' | 'id' | 'date' | 'amount' | 'balance'>): Schemas['LedgerEntry'] => ({
    unapplied: usd('0.00'),
    deposit: usd('0.00'),
    ...e,
  });
  const ledger: Schemas['Ledger'] = {
    leaseId: 'lse_1',
    asOf: '2027-01-10',
    currency: 'USD',
    entries: [
      entry({ type: 'charge', id: 'chg_1', date: '2027-01-01', amount: usd('1550.00'), kind: 'rent', memo: 'rent 2027-01', balance: usd('1550.00') }),
      entry({ type: 'payment', id: 'pay_stripe_1', date: '2027-01-05', amount: usd('1550.00'), memo: 'pi_3', balance: usd('1550.00'), unapplied: usd('1550.00') }),
      entry({ type: 'payment', id: 'pay_check', date: '2027-01-06', amount: usd('10.00'), memo: 'check 9', balance: usd('1550.00'), unapplied: usd('1560.00') }),
    ],
    balance: usd('1550.00'),
    unapplied: usd('1560.00'),
    deposit: usd('0.00'),
    aging: { current: usd('1550.00'), d1_30: usd('0.00'), d31_60: usd('0.00'), d61_90: usd('0.00'), d90_plus: usd('0.00'), total: usd('1550.00') },
  };
  const serve = (stripe: Record<string, unknown>) =>
    apiGet.mockImplementation(async (path: string) => {
      if (path.endsWith('/ledger')) return ledger;
      if (path.endsWith('/payments'))
        return {
          items: [
            { id: 'pay_stripe_1', status: 'pending', processor: 'stripe' },
            { id: 'pay_check', status: 'pending' },
          ],
          nextCursor: null,
        };
      if (path.endsWith('/integrations/stripe')) return stripe;
      throw new Error(`unexpected GET ${path}`);
    });
  const rows = () => Array.from(screen.getByRole('table', { name: /Ledger entries/ }).querySelectorAll('tbody tr')) as HTMLElement[];

  beforeEach(() => {
    apiGet.mockReset();
    apiPost.mockReset();
  });

  it('offers "Request online payment" only while Stripe is connected, with the balance owed', async () => {
    serve({ status: 'connected', accountId: 'acct_1' });
    const { unmount } = renderWithOrg(<LedgerSection lease={lease} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Request online payment' }));
    expect(screen.getByRole('form', { name: 'Request online payment' })).toBeInTheDocument();
    expect(screen.getByLabelText('Amount')).toHaveValue('1550.00');
    unmount();

    serve({ status: 'not_connected' });
    renderWithOrg(<LedgerSection lease={lease} />);
    await screen.findByTestId('ledger-balance');
    await waitFor(() => expect(apiGet).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/integrations/stripe', { orgId: 'org_1' }, undefined, expect.anything()));
    expect(screen.getByRole('button', { name: 'Record payment' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Request online payment' })).toBeNull();
  });

  it('badges a Stripe payment "Stripe" and pending, and leaves clearing it to Stripe', async () => {
    serve({ status: 'connected', accountId: 'acct_1' });
    renderWithOrg(<LedgerSection lease={lease} />);
    await screen.findByTestId('ledger-balance');
    const stripeRow = rows()[1] as HTMLElement;
    expect(await within(stripeRow).findByText('Stripe')).toBeInTheDocument();
    expect(within(stripeRow).getByText('Pending')).toBeInTheDocument();
    expect(within(stripeRow).queryByRole('button', { name: 'Clear' })).toBeNull();
    // A pending payment recorded by hand keeps "Clear" and has no Stripe badge.
    const checkRow = rows()[2] as HTMLElement;
    expect(within(checkRow).getByText('Pending')).toBeInTheDocument();
    expect(within(checkRow).queryByText('Stripe')).toBeNull();
    expect(within(checkRow).getByRole('button', { name: 'Clear' })).toBeInTheDocument();
  });
});
