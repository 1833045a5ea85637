import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { todayIn } from '@/lib/dates';
import { networkError, renderWithOrg, validationError } from './testing';

const apiPost = vi.fn();
let keyCount = 0;
vi.mock('@/api/client', () => ({
  apiPost: (...a: unknown[]) => apiPost(...a),
  newIdempotencyKey: () => `key-${++keyCount}`,
}));

const { PaymentForm } = await import('./PaymentForm');

const payment = (amount: string) => ({
  id: 'pay_1',
  leaseId: 'lse_1',
  amount: { amount, currency: 'USD' },
  unapplied: { amount: '0.00', currency: 'USD' },
  receivedOn: '2027-01-20',
  method: 'check',
  status: 'cleared',
  createdAt: '2027-01-20T12:00:00Z',
  allocations: [],
});

function renderForm(onDone = vi.fn()) {
  renderWithOrg(<PaymentForm leaseId="lse_1" currency="USD" onDone={onDone} onCancel={() => {}} />);
  return { user: userEvent.setup(), onDone };
}

/** The Idempotency-Key each call to the API was sent with. */
const keysSent = () => apiPost.mock.calls.map((c) => (c[3] as { idempotencyKey?: string }).idempotencyKey);

describe('the payment form', () => {
  beforeEach(() => {
    apiPost.mockReset();
    keyCount = 0;
  });

  it('refuses 12.345 for USD before asking the API, under "Amount"', async () => {
    const { user } = renderForm();
    await user.type(screen.getByLabelText('Amount'), '12.345');
    await user.click(screen.getByRole('button', { name: 'Save payment' }));
    expect(await screen.findByText('USD amounts have at most 2 decimal places.')).toBeInTheDocument();
    const input = screen.getByLabelText('Amount');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input.getAttribute('aria-describedby')).toContain(screen.getByText('USD amounts have at most 2 decimal places.').id);
    expect(apiPost).not.toHaveBeenCalled();
  });

  it('sends the amount as a decimal string with today (org time zone) and the method', async () => {
    apiPost.mockResolvedValue(payment('1250.50'));
    const { user, onDone } = renderForm();
    expect(screen.getByLabelText('Received on')).toHaveValue(todayIn('America/New_York'));
    await user.type(screen.getByLabelText('Amount'), '1,250.5');
    await user.selectOptions(screen.getByLabelText('Method'), 'ach');
    await user.type(screen.getByLabelText('Reference'), 'ACH 77');
    await user.click(screen.getByRole('button', { name: 'Save payment' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(apiPost).toHaveBeenCalledWith(
      '/api/v1/orgs/{orgId}/leases/{leaseId}/payments',
      { orgId: 'org_1', leaseId: 'lse_1' },
      { amount: { amount: '1250.50', currency: 'USD' }, receivedOn: todayIn('America/New_York'), method: 'ach', reference: 'ACH 77' },
      { idempotencyKey: expect.any(String) },
    );
  });

  it('sends pending: true when "Not yet cleared" is ticked (and says so), and nothing about it otherwise', async () => {
    apiPost.mockResolvedValue({ ...payment('300.00'), status: 'pending' });
    const { user, onDone } = renderForm();
    const box = screen.getByRole('checkbox', { name: 'Not yet cleared (ACH or card in flight)' });
    expect(box).not.toBeChecked();
    await user.type(screen.getByLabelText('Amount'), '300');
    await user.selectOptions(screen.getByLabelText('Method'), 'ach');
    await user.click(box);
    await user.click(screen.getByRole('button', { name: 'Save payment' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(apiPost).toHaveBeenCalledWith(
      '/api/v1/orgs/{orgId}/leases/{leaseId}/payments',
      { orgId: 'org_1', leaseId: 'lse_1' },
      { amount: { amount: '300.00', currency: 'USD' }, receivedOn: todayIn('America/New_York'), method: 'ach', reference: null, pending: true },
      { idempotencyKey: expect.any(String) },
    );
    // After a success the form is ready for the next payment: unticked.
    expect(box).not.toBeChecked();
    const { paymentSummary } = await import('./PaymentForm');
    expect(paymentSummary({ ...payment('300.00'), status: 'pending' } as never)).toBe('Payment of USD 300.00 recorded as pending.');
  });

  it('reuses the Idempotency-Key when the same submission is retried, and uses a new one for the next payment', async () => {
    apiPost.mockRejectedValueOnce(networkError()).mockResolvedValueOnce(payment('100.00')).mockResolvedValueOnce(payment('100.00'));
    const { user, onDone } = renderForm();
    await user.type(screen.getByLabelText('Amount'), '100');
    await user.click(screen.getByRole('button', { name: 'Save payment' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/could not be reached/);

    // The same submission again (the first may have reached the API): same key.
    await user.click(screen.getByRole('button', { name: 'Save payment' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(keysSent()).toHaveLength(2);
    expect(keysSent()[1]).toBe(keysSent()[0]);

    // The next payment, even of the same amount, is another payment: a new key.
    await user.type(screen.getByLabelText('Amount'), '100');
    await user.click(screen.getByRole('button', { name: 'Save payment' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(2));
    expect(keysSent()).toHaveLength(3);
    expect(keysSent()[2]).not.toBe(keysSent()[0]);
  });

  it('shows a 400 naming amount.amount under "Amount"', async () => {
    apiPost.mockRejectedValue(validationError([{ field: 'amount.amount', message: 'USD has 2 decimal places; 3 given' }]));
    const { user } = renderForm();
    await user.type(screen.getByLabelText('Amount'), '10');
    await user.click(screen.getByRole('button', { name: 'Save payment' }));
    const msg = await screen.findByText('USD has 2 decimal places; 3 given');
    const input = screen.getByLabelText('Amount');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input.getAttribute('aria-describedby')).toContain(msg.id);
    // The summary above the form does not list again the field error shown under the input.
    const summary = screen.getByText(/Invalid request/).closest('[role="alert"]') as HTMLElement;
    expect(within(summary).queryByRole('list')).toBeNull();
  });

  it('a corrected body after an API refusal is a new submission with a new key', async () => {
    apiPost.mockRejectedValueOnce(validationError([{ field: 'amount.amount', message: 'too large' }])).mockResolvedValueOnce(payment('20.00'));
    const { user, onDone } = renderForm();
    await user.type(screen.getByLabelText('Amount'), '2000000');
    await user.click(screen.getByRole('button', { name: 'Save payment' }));
    await screen.findByText('too large');
    await user.clear(screen.getByLabelText('Amount'));
    await user.type(screen.getByLabelText('Amount'), '20');
    await user.click(screen.getByRole('button', { name: 'Save payment' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(keysSent()[1]).not.toBe(keysSent()[0]);
  });
});
