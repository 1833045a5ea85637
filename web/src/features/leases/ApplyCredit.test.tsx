import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithOrg, validationError } from './testing';

const apiGet = vi.fn();
const apiPost = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
  newIdempotencyKey: () => 'key-1',
}));

const { ApplyCreditForm, defaultAmounts, openCharges } = await import('./ApplyCreditForm');

const usd = (amount: string) => ({ amount, currency: 'USD' });
const pay = (id: string, amount: string, unapplied: string, status: 'pending' | 'cleared' | 'reversed' = 'cleared', reference?: string) => ({
  id,
  leaseId: 'lse_1',
  amount: usd(amount),
  unapplied: usd(unapplied),
  receivedOn: '2027-02-20',
  method: 'check',
  status,
  reference,
  createdAt: '2027-02-20T12:00:00Z',
  allocations: [],
});
const charge = (id: string, kind: string, dueDate: string, amount: string, open: string, status: 'open' | 'paid' | 'void' = 'open', memo?: string) => ({
  id,
  leaseId: 'lse_1',
  kind,
  dueDate,
  amount: usd(amount),
  open: usd(open),
  status,
  memo,
  source: 'manual',
  createdAt: '2027-01-01T00:00:00Z',
});

const payments = [
  pay('pay_1', '1000.00', '0.00'),
  pay('pay_2', '220.00', '220.00', 'cleared', 'check 102'),
  pay('pay_3', '50.00', '50.00', 'reversed'),
  pay('pay_4', '80.00', '80.00', 'pending'),
];
const charges = [
  charge('chg_r1', 'rent', '2027-01-01', '1550.00', '0.00', 'paid'),
  charge('chg_r2', 'rent', '2027-02-01', '1550.00', '200.00', 'open', 'rent 2027-02'),
  charge('chg_w', 'utility', '2027-02-10', '45.50', '45.50', 'open', 'water'),
  charge('chg_x', 'fee', '2027-02-11', '30.00', '30.00', 'void'),
  charge('chg_r3', 'rent', '2027-03-01', '1550.00', '1550.00'),
];

function renderForm() {
  const onDone = vi.fn();
  renderWithOrg(<ApplyCreditForm leaseId="lse_1" onDone={onDone} onCancel={() => {}} />);
  return { user: userEvent.setup(), onDone };
}

const rentFeb = () => screen.getByLabelText('Apply to rent due Feb 1, 2027');
const water = () => screen.getByLabelText('Apply to utility due Feb 10, 2027');
const rentMar = () => screen.getByLabelText('Apply to rent due Mar 1, 2027');

describe('apply credit', () => {
  beforeEach(() => {
    apiGet.mockReset();
    apiPost.mockReset();
    apiGet.mockImplementation(async (path: string) => {
      if (path === '/api/v1/orgs/{orgId}/leases/{leaseId}/payments') return { items: payments, nextCursor: null };
      if (path === '/api/v1/orgs/{orgId}/leases/{leaseId}/charges') return { items: charges, nextCursor: null };
      throw new Error(`unexpected GET ${path}`);
    });
  });

  it('defaults each open charge to what is open on it, oldest first, until the credit runs out (integer minor units)', () => {
    const open = openCharges(charges as never);
    expect(open.map((c) => c.id)).toEqual(['chg_r2', 'chg_w', 'chg_r3']);
    expect(defaultAmounts(open, usd('220.00'))).toEqual({ chg_r2: '200.00', chg_w: '20.00', chg_r3: '' });
    expect(defaultAmounts(open, usd('245.51'))).toEqual({ chg_r2: '200.00', chg_w: '45.50', chg_r3: '0.01' });
  });

  it('offers only payments with credit left and only open charges, prefilled', async () => {
    renderForm();
    const from = await screen.findByLabelText('Credit from');
    const options = within(from).getAllByRole('option').map((o) => o.textContent);
    expect(options).toHaveLength(2);
    expect(options[0]).toMatch(/Payment of USD 220\.00 on Feb 20, 2027 \(check 102\): USD 220\.00 unapplied/);
    expect(options[1]).toMatch(/pending: USD 80\.00 unapplied/);
    expect(rentFeb()).toHaveValue('200.00');
    expect(water()).toHaveValue('20.00');
    expect(rentMar()).toHaveValue('');
    expect(screen.queryByLabelText(/due Jan 1, 2027/)).toBeNull();
    expect(screen.queryByLabelText(/fee due/)).toBeNull();
  });

  it('refuses amounts over the unapplied credit, or over what is open on a charge, before asking the API', async () => {
    const { user } = renderForm();
    await screen.findByLabelText('Credit from');
    await user.clear(water());
    await user.type(water(), '45.50');
    await user.click(screen.getByRole('button', { name: 'Apply credit' }));
    expect(await screen.findByText('The amounts total USD 245.50, more than the USD 220.00 of unapplied credit on this payment.')).toBeInTheDocument();
    expect(apiPost).not.toHaveBeenCalled();

    await user.clear(water());
    await user.clear(rentFeb());
    await user.type(rentFeb(), '200.01');
    await user.click(screen.getByRole('button', { name: 'Apply credit' }));
    const msg = await screen.findByText('At most USD 200.00 is open on this charge.');
    expect(rentFeb()).toHaveAttribute('aria-invalid', 'true');
    expect(rentFeb().getAttribute('aria-describedby')).toContain(msg.id);
    expect(apiPost).not.toHaveBeenCalled();
  });

  it('a smaller payment resets the amounts to its credit', async () => {
    const { user } = renderForm();
    await user.selectOptions(await screen.findByLabelText('Credit from'), 'pay_4');
    expect(rentFeb()).toHaveValue('80.00');
    expect(water()).toHaveValue('');
  });

  it('sends the amounts as decimal strings to the chosen payment, skipping empty ones', async () => {
    apiPost.mockResolvedValue({ ...pay('pay_2', '220.00', '5.00'), allocations: [{ id: 'alc_1', chargeId: 'chg_r2', amount: usd('200.00'), date: '2027-02-20', source: 'payment' }, { id: 'alc_2', chargeId: 'chg_w', amount: usd('15.00'), date: '2027-02-20', source: 'payment' }] });
    const { user, onDone } = renderForm();
    await screen.findByLabelText('Credit from');
    await user.clear(water());
    await user.type(water(), '15');
    await user.click(screen.getByRole('button', { name: 'Apply credit' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(apiPost).toHaveBeenCalledWith(
      '/api/v1/orgs/{orgId}/payments/{paymentId}/allocations',
      { orgId: 'org_1', paymentId: 'pay_2' },
      {
        allocate: [
          { chargeId: 'chg_r2', amount: { amount: '200.00', currency: 'USD' } },
          { chargeId: 'chg_w', amount: { amount: '15.00', currency: 'USD' } },
        ],
      },
    );
    const body = apiPost.mock.calls[0]?.[2] as { allocate: { amount: { amount: unknown } }[] };
    for (const a of body.allocate) expect(typeof a.amount.amount).toBe('string');
  });

  it("shows the API's error under the charge it names (by its index in the body sent)", async () => {
    apiPost.mockRejectedValue(validationError([{ field: 'allocate[1].amount', message: 'must be more than zero' }]));
    const { user } = renderForm();
    await screen.findByLabelText('Credit from');
    await user.click(screen.getByRole('button', { name: 'Apply credit' }));
    const msg = await screen.findByText('must be more than zero');
    expect(water().getAttribute('aria-describedby')).toContain(msg.id);
    expect(rentFeb()).not.toHaveAttribute('aria-invalid');
  });
});
