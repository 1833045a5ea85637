import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { lookupGet, Providers } from './testing';

const apiGet = vi.fn();
const apiPost = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
  newIdempotencyKey: () => 'idem-j',
}));

const { ManualEntryForm } = await import('./ManualEntryForm');

function renderForm() {
  const onDone = vi.fn();
  render(
    <Providers>
      <ManualEntryForm onDone={onDone} onCancel={() => {}} />
    </Providers>,
  );
  return { onDone, user: userEvent.setup() };
}

describe('a manual journal entry', () => {
  beforeEach(() => {
    apiGet.mockReset();
    apiPost.mockReset();
    apiGet.mockImplementation(lookupGet);
  });

  it('checks the balance live, per currency, and does not post an unbalanced entry', async () => {
    const { user } = renderForm();
    await screen.findAllByRole('option', { name: '5140 · Repairs' });
    await user.type(screen.getByLabelText('Memo'), 'Owner paid for repairs');
    await user.selectOptions(screen.getByLabelText('Line 1 account'), 'acc_repairs');
    await user.type(screen.getByLabelText('Line 1 debit'), '0.10');
    await user.selectOptions(screen.getByLabelText('Line 2 account'), 'acc_equity');
    await user.type(screen.getByLabelText('Line 2 credit'), '0.07');
    await user.click(screen.getByRole('button', { name: 'Add line' }));
    await user.selectOptions(screen.getByLabelText('Line 3 account'), 'acc_equity');
    await user.type(screen.getByLabelText('Line 3 credit'), '0.02');
    // 0.07 + 0.02 is 0.09 exactly (not 0.09000000000000001), so 0.01 is missing.
    expect(screen.getByText('USD: debits USD 0.10, credits USD 0.09. Out of balance by USD 0.01.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Post entry' }));
    expect(screen.getByText('Debits and credits must be equal in each currency.')).toBeInTheDocument();
    expect(apiPost).not.toHaveBeenCalled();

    await user.clear(screen.getByLabelText('Line 3 credit'));
    await user.type(screen.getByLabelText('Line 3 credit'), '0.03');
    expect(screen.getByText('USD: debits USD 0.10 = credits USD 0.10. Balanced.')).toBeInTheDocument();
    apiPost.mockResolvedValue({ id: 'jrn_1', seq: 7 });
    await user.click(screen.getByRole('button', { name: 'Post entry' }));
    expect(apiPost).toHaveBeenCalledWith(
      '/api/v1/orgs/{orgId}/journal',
      { orgId: 'org_1' },
      {
        date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        memo: 'Owner paid for repairs',
        lines: [
          { accountId: 'acc_repairs', debit: { amount: '0.10', currency: 'USD' }, buildingId: null },
          { accountId: 'acc_equity', credit: { amount: '0.07', currency: 'USD' }, buildingId: null },
          { accountId: 'acc_equity', credit: { amount: '0.03', currency: 'USD' }, buildingId: null },
        ],
      },
      { idempotencyKey: 'idem-j' },
    );
  });

  it('balances each currency on its own and maps the API’s line errors to the line', async () => {
    apiPost.mockRejectedValue(
      new ApiError({ type: 'urn:portfolioos:problem:validation', title: 'Invalid request', status: 400, detail: 'lines[1].credit: no rate', errors: [{ field: 'lines[1].credit.amount', message: 'no EUR rate on this day' }] }),
    );
    const { user } = renderForm();
    await screen.findAllByRole('option', { name: '1010 · Euro account (EUR)' });
    await user.type(screen.getByLabelText('Memo'), 'FX');
    await user.selectOptions(screen.getByLabelText('Line 1 account'), 'acc_bank');
    await user.type(screen.getByLabelText('Line 1 debit'), '10');
    await user.selectOptions(screen.getByLabelText('Line 2 account'), 'acc_eur');
    await user.type(screen.getByLabelText('Line 2 credit'), '10');
    // Ten dollars against ten euros is two unbalanced currencies, not one balanced entry.
    expect(screen.getByText('USD: debits USD 10.00, credits USD 0.00. Out of balance by USD 10.00.')).toBeInTheDocument();
    expect(screen.getByText('EUR: debits EUR 0.00, credits EUR 10.00. Out of balance by EUR 10.00.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Add line' }));
    await user.selectOptions(screen.getByLabelText('Line 3 account'), 'acc_equity');
    await user.type(screen.getByLabelText('Line 3 credit'), '10');
    await user.click(screen.getByRole('button', { name: 'Add line' }));
    await user.selectOptions(screen.getByLabelText('Line 4 account'), 'acc_eur');
    await user.type(screen.getByLabelText('Line 4 debit'), '10');
    expect(screen.getByText('USD: debits USD 10.00 = credits USD 10.00. Balanced.')).toBeInTheDocument();
    expect(screen.getByText('EUR: debits EUR 10.00 = credits EUR 10.00. Balanced.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Post entry' }));
    const line2 = await screen.findByLabelText('Line 2 credit');
    expect(line2).toHaveAttribute('aria-invalid', 'true');
    expect(line2).toHaveAccessibleDescription('no EUR rate on this day');
    expect(apiPost.mock.calls[0]![2].lines[1]).toEqual({ accountId: 'acc_eur', credit: { amount: '10.00', currency: 'EUR' }, buildingId: null });
  });
});
