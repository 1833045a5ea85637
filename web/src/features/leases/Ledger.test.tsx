import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Schemas } from '@/api/client';
import { formatMoney } from '@/lib/money';
import { renderWithOrg } from './testing';

const apiGet = vi.fn();
const apiPost = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
  newIdempotencyKey: () => 'key-1',
}));

const { LedgerTable } = await import('./LedgerTable');
const { LedgerSection } = await import('./LedgerSection');

const usd = (amount: string) => ({ amount, currency: 'USD' });
type Entry = Schemas['LedgerEntry'];
const entry = (e: Partial<Entry> & Pick<Entry, 'type' | 'id' | 'date' | 'amount' | 'balance'>): Entry => ({ unapplied: usd('0.00'), deposit: usd('0.00'), ...e });

/** As the API answered it for a lease: deposit, prorated rent, a check applied, a voided fee, a bounced check. */
const ledger: Schemas['Ledger'] = {
  leaseId: 'lse_1',
  asOf: '2027-03-15',
  currency: 'USD',
  entries: [
    entry({ type: 'charge', id: 'chg_dep', date: '2027-01-17', amount: usd('1000.00'), kind: 'deposit', memo: 'security deposit', balance: usd('1000.00') }),
    entry({ type: 'charge', id: 'chg_r1', date: '2027-01-17', amount: usd('750.00'), kind: 'rent', memo: 'rent 2027-01 (15 of 31 days)', balance: usd('1750.00') }),
    entry({ type: 'payment', id: 'pay_1', date: '2027-01-20', amount: usd('1000.00'), memo: 'check 101', balance: usd('1750.00'), unapplied: usd('1000.00') }),
    entry({ type: 'allocation', id: 'alc_1', date: '2027-01-20', amount: usd('750.00'), kind: 'rent', chargeId: 'chg_r1', paymentId: 'pay_1', source: 'payment', balance: usd('1000.00'), unapplied: usd('250.00') }),
    entry({ type: 'allocation', id: 'alc_2', date: '2027-01-20', amount: usd('250.00'), kind: 'deposit', chargeId: 'chg_dep', paymentId: 'pay_1', source: 'payment', balance: usd('750.00'), deposit: usd('250.00') }),
    entry({ type: 'charge', id: 'chg_r2', date: '2027-02-01', amount: usd('1550.00'), kind: 'rent', memo: 'rent 2027-02', balance: usd('2300.00'), deposit: usd('250.00') }),
    entry({ type: 'charge', id: 'chg_fee', date: '2027-02-10', amount: usd('45.50'), kind: 'utility', memo: 'water', balance: usd('2345.50'), deposit: usd('250.00') }),
    entry({ type: 'payment', id: 'pay_2', date: '2027-02-20', amount: usd('200.00'), memo: 'check 102', balance: usd('2345.50'), unapplied: usd('200.00'), deposit: usd('250.00') }),
    entry({ type: 'allocation', id: 'alc_3', date: '2027-02-20', amount: usd('200.00'), kind: 'rent', chargeId: 'chg_r2', paymentId: 'pay_2', source: 'payment', balance: usd('2145.50'), deposit: usd('250.00') }),
    entry({ type: 'charge_void', id: 'chg_fee', date: '2027-02-21', amount: usd('-45.50'), kind: 'utility', memo: 'mistake', chargeId: 'chg_fee', balance: usd('2100.00'), deposit: usd('250.00') }),
    entry({ type: 'allocation', id: 'alc_4', date: '2027-02-25', amount: usd('-200.00'), kind: 'rent', chargeId: 'chg_r2', paymentId: 'pay_2', source: 'payment', balance: usd('2300.00'), unapplied: usd('200.00'), deposit: usd('250.00') }),
    entry({ type: 'payment_reversal', id: 'pay_2', date: '2027-02-25', amount: usd('-200.00'), memo: 'bounced', paymentId: 'pay_2', balance: usd('2300.00'), deposit: usd('250.00') }),
    entry({ type: 'charge', id: 'chg_r3', date: '2027-03-01', amount: usd('1550.00'), kind: 'rent', memo: 'rent 2027-03', balance: usd('3850.00'), deposit: usd('250.00') }),
  ],
  balance: usd('3850.00'),
  unapplied: usd('0.00'),
  deposit: usd('250.00'),
  aging: { current: usd('0.00'), d1_30: usd('1550.00'), d31_60: usd('2300.00'), d61_90: usd('0.00'), d90_plus: usd('0.00'), total: usd('3850.00') },
};

const lease: Schemas['Lease'] = {
  id: 'lse_1',
  unitId: 'unt_1',
  buildingId: 'bld_1',
  tenantIds: ['tnt_1'],
  status: 'active',
  startDate: '2027-01-17',
  rent: usd('1550.00'),
  dueDay: 1,
  deposit: usd('1000.00'),
  createdAt: '2027-01-01T00:00:00Z',
  updatedAt: '2027-01-01T00:00:00Z',
};

/** The body rows of the entries table, and a column's cell in a row (plain DOM: role queries are slow on big tables). */
function entriesTable() {
  return screen.getByRole('table', { name: /Ledger entries/ });
}
function entryRows() {
  return Array.from(entriesTable().querySelectorAll('tbody tr')) as HTMLElement[];
}
function cell(row: HTMLElement, header: string) {
  const headers = Array.from(row.closest('table')?.querySelectorAll('thead th') ?? []).map((h) => h.textContent);
  return row.querySelectorAll('td')[headers.indexOf(header)] as HTMLElement;
}

describe('the ledger', () => {
  beforeEach(() => {
    apiGet.mockReset();
    apiPost.mockReset();
  });

  it('lists the entries in the API order with the running balance after each', () => {
    renderWithOrg(<LedgerTable ledger={ledger} />);
    const rows = entryRows();
    expect(rows).toHaveLength(ledger.entries.length);
    ledger.entries.forEach((e, i) => {
      const row = rows[i] as HTMLElement;
      expect(cell(row, 'Balance')).toHaveTextContent(formatMoney(e.balance));
      expect(cell(row, 'Unapplied')).toHaveTextContent(formatMoney(e.unapplied));
      expect(cell(row, 'Deposit held')).toHaveTextContent(formatMoney(e.deposit));
    });
    // Balances as the API computed them (never summed in the browser): 1,000.00 → 1,750.00 → … → 3,850.00.
    expect(rows.map((r) => cell(r, 'Balance').textContent)).toEqual(ledger.entries.map((e) => formatMoney(e.balance)));
  });

  it('puts charges, payments and applications in their columns and says what was undone', () => {
    renderWithOrg(<LedgerTable ledger={ledger} />);
    const rows = entryRows();
    const [deposit, , payment, applied] = rows as [HTMLElement, HTMLElement, HTMLElement, HTMLElement];
    expect(cell(deposit, 'Description')).toHaveTextContent('Deposit — security deposit');
    expect(cell(deposit, 'Charge')).toHaveTextContent(formatMoney(usd('1000.00')));
    expect(cell(deposit, 'Payment')).toHaveTextContent('');
    expect(cell(payment, 'Description')).toHaveTextContent('Payment — check 101');
    expect(cell(payment, 'Payment')).toHaveTextContent(formatMoney(usd('1000.00')));
    expect(cell(applied, 'Description')).toHaveTextContent('Payment applied to rent');
    expect(cell(applied, 'Applied')).toHaveTextContent(formatMoney(usd('750.00')));
    expect(cell(rows[6] as HTMLElement, 'Description')).toHaveTextContent('Utility — water (void)');
    expect(cell(rows[7] as HTMLElement, 'Description')).toHaveTextContent('Payment — check 102 (reversed)');
    const voidRow = rows[9] as HTMLElement;
    expect(cell(voidRow, 'Description')).toHaveTextContent('Void of utility — mistake');
    expect(cell(voidRow, 'Charge').querySelector('.money.negative')).not.toBeNull();
  });

  it('shows the totals, Void and Reverse only where they still apply, and voids with an inline confirmation', async () => {
    apiGet.mockImplementation(async (path: string) => {
      if (path.endsWith('/ledger')) return ledger;
      if (path.endsWith('/payments')) return { items: [], nextCursor: null };
      throw new Error(`unexpected GET ${path}`);
    });
    apiPost.mockResolvedValue({ id: 'chg_r3', kind: 'rent', amount: usd('1550.00') });
    renderWithOrg(<LedgerSection lease={lease} />);
    const balance = await screen.findByTestId('ledger-balance');
    expect(balance).toHaveTextContent(formatMoney(usd('3850.00')));
    expect(screen.getByRole('heading', { level: 2, name: 'Ledger' })).toBeInTheDocument();

    // Charges not voided: deposit, two rents and March; the voided fee has none. One payment still standing.
    expect(screen.getAllByRole('button', { name: 'Void' })).toHaveLength(4);
    expect(screen.getAllByRole('button', { name: 'Reverse' })).toHaveLength(1);

    const user = userEvent.setup();
    const march = entryRows()[12] as HTMLElement;
    await user.click(within(march).getByRole('button', { name: 'Void' }));
    expect(apiPost).not.toHaveBeenCalled();
    await user.type(within(march).getByLabelText('Reason'), 'billed twice');
    await user.click(within(march).getByRole('button', { name: 'Confirm void' }));
    await waitFor(() => expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/charges/{chargeId}:void', { orgId: 'org_1', chargeId: 'chg_r3' }, { reason: 'billed twice' }));
  });

  it('badges a pending payment and clears it with "Clear", then refreshes the ledger', async () => {
    const withCredit: Schemas['Ledger'] = {
      ...ledger,
      entries: [
        ...ledger.entries,
        entry({ type: 'payment', id: 'pay_3', date: '2027-03-05', amount: usd('80.00'), memo: 'ACH', balance: usd('3850.00'), unapplied: usd('80.00'), deposit: usd('250.00') }),
      ],
      unapplied: usd('80.00'),
    };
    let ledgerReads = 0;
    apiGet.mockImplementation(async (path: string) => {
      if (path.endsWith('/ledger')) {
        ledgerReads += 1;
        return withCredit;
      }
      if (path.endsWith('/payments')) return { items: [{ id: 'pay_3', status: 'pending' }, { id: 'pay_1', status: 'cleared' }], nextCursor: null };
      throw new Error(`unexpected GET ${path}`);
    });
    apiPost.mockResolvedValue({ id: 'pay_3', amount: usd('80.00'), status: 'cleared' });
    renderWithOrg(<LedgerSection lease={lease} />);
    await screen.findByTestId('ledger-balance');
    const row = entryRows()[13] as HTMLElement;
    expect(await within(row).findByText('Pending')).toBeInTheDocument();
    // Only the pending payment has "Clear"; the cleared one keeps only "Reverse".
    expect(screen.getAllByRole('button', { name: 'Clear' })).toHaveLength(1);
    expect(within(entryRows()[2] as HTMLElement).queryByText('Pending')).toBeNull();
    // Unapplied money: "Apply credit" is offered.
    expect(screen.getByRole('button', { name: 'Apply credit' })).toBeInTheDocument();

    const before = ledgerReads;
    await userEvent.setup().click(within(row).getByRole('button', { name: 'Clear' }));
    await waitFor(() => expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/payments/{paymentId}:clear', { orgId: 'org_1', paymentId: 'pay_3' }, undefined));
    expect(await screen.findByText(`Payment of ${formatMoney(usd('80.00'))} cleared.`)).toBeInTheDocument();
    await waitFor(() => expect(ledgerReads).toBeGreaterThan(before));
  });

  it('offers no "Apply credit" when nothing is unapplied', async () => {
    apiGet.mockImplementation(async (path: string) => (path.endsWith('/payments') ? { items: [], nextCursor: null } : ledger));
    renderWithOrg(<LedgerSection lease={lease} />);
    await screen.findByTestId('ledger-balance');
    expect(screen.getByRole('button', { name: 'Record payment' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Apply credit' })).toBeNull();
  });

  it('shows no money actions to a readonly member', async () => {
    apiGet.mockResolvedValue(ledger);
    renderWithOrg(<LedgerSection lease={lease} />, { role: 'readonly' });
    await screen.findByTestId('ledger-balance');
    expect(screen.queryByRole('button')).toBeNull();
  });
});
