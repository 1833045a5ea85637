import { screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ORG_ID, renderWithOrg } from '@/test/renderWithOrg';
import { lookupGet } from './testing';

const apiGet = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: vi.fn(),
  apiPatch: vi.fn(),
}));

const { default: ExpensePage } = await import('./ExpensePage');

const expense = (status: string) => ({
  id: 'exp_1',
  date: '2027-03-01',
  amount: { amount: '750.00', currency: 'USD' },
  accountId: 'acc_repairs',
  paidFrom: 'acc_bank',
  status,
  receipts: [],
  createdAt: '2027-03-01T12:00:00Z',
  updatedAt: '2027-03-01T12:00:00Z',
});

function show(status: string) {
  apiGet.mockImplementation(async (path: string) => (path === '/api/v1/orgs/{orgId}/expenses/{expenseId}' ? expense(status) : lookupGet(path)));
  renderWithOrg(<ExpensePage />, { route: 'expenses/:expenseId', at: 'expenses/exp_1' });
}

describe('an expense held for approval', () => {
  beforeEach(() => {
    apiGet.mockReset();
  });

  it('says it awaits approval and links to the Approvals screen', async () => {
    show('pending_approval');
    const note = await screen.findByRole('note');
    expect(note).toHaveTextContent('Awaiting approval. It is not booked until its approval workflow completes');
    expect(screen.getByRole('link', { name: 'Open Approvals' })).toHaveAttribute('href', `/orgs/${ORG_ID}/workflows`);
  });

  it('says nothing of approval once it is booked', async () => {
    show('paid');
    expect(await screen.findByRole('heading', { level: 1, name: /Expense of/ })).toBeInTheDocument();
    expect(screen.queryByRole('note')).not.toBeInTheDocument();
  });
});
