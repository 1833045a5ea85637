import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { lookupGet, Providers } from './testing';

const apiGet = vi.fn();
const apiPost = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
  newIdempotencyKey: () => 'idem-1',
}));

const { ExpenseForm } = await import('./ExpenseForm');

function renderForm() {
  const onDone = vi.fn();
  render(
    <Providers>
      <ExpenseForm onDone={onDone} onCancel={() => {}} />
    </Providers>,
  );
  return { onDone, user: userEvent.setup() };
}

async function fillSplit(user: ReturnType<typeof userEvent.setup>, amount: string, parts: string[]) {
  await screen.findByRole('option', { name: 'Repairs' });
  await user.type(screen.getByLabelText('Amount'), amount);
  await user.selectOptions(screen.getByLabelText('Account'), 'Repairs');
  await user.selectOptions(screen.getByLabelText('Scope'), 'Split');
  for (const [i, p] of parts.entries()) {
    if (i > 0) await user.click(screen.getByRole('button', { name: 'Add part' }));
    await user.selectOptions(screen.getByLabelText(`Part ${i + 1} building`), i % 2 ? 'Oak Row' : 'Maple Court');
    await user.type(screen.getByLabelText(`Part ${i + 1} amount`), p);
  }
}

describe('the split expense form', () => {
  beforeEach(() => {
    apiGet.mockReset();
    apiPost.mockReset();
    apiGet.mockImplementation(lookupGet);
  });

  it('shows the exact remainder and refuses parts that do not add up to the amount', async () => {
    const { user } = renderForm();
    await fillSplit(user, '100.00', ['33.33', '33.33', '33.33']);
    expect(screen.getByText('Remaining USD 0.01')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save expense' }));
    const parts = screen.getByRole('group', { name: 'Parts' });
    expect(within(parts).getByRole('alert')).toHaveTextContent('The parts must add up to the amount exactly: USD 0.01 remaining.');
    expect(apiPost).not.toHaveBeenCalled();

    // Fixing the last part makes it exact and the form submits.
    await user.clear(screen.getByLabelText('Part 3 amount'));
    await user.type(screen.getByLabelText('Part 3 amount'), '33.34');
    expect(screen.getByText('Remaining USD 0.00')).toBeInTheDocument();
    apiPost.mockResolvedValue({ id: 'exp_1', status: 'paid', amount: { amount: '100.00', currency: 'USD' } });
    await user.click(screen.getByRole('button', { name: 'Save expense' }));
    expect(apiPost).toHaveBeenCalledTimes(1);
    const [path, params, body, opts] = apiPost.mock.calls[0]!;
    expect(path).toBe('/api/v1/orgs/{orgId}/expenses');
    expect(params).toEqual({ orgId: 'org_1' });
    expect(body).toMatchObject({
      amount: { amount: '100.00', currency: 'USD' },
      accountId: 'acc_repairs',
      paidFrom: 'acc_bank',
      splits: [
        { buildingId: 'bld_a', amount: { amount: '33.33', currency: 'USD' } },
        { buildingId: 'bld_b', amount: { amount: '33.33', currency: 'USD' } },
        { buildingId: 'bld_a', amount: { amount: '33.34', currency: 'USD' } },
      ],
    });
    expect(body).not.toHaveProperty('scope');
    expect(opts).toEqual({ idempotencyKey: 'idem-1' });
  });

  it('puts the API error for splits[1].amount under "Part 2 amount"', async () => {
    apiPost.mockRejectedValue(
      new ApiError({
        type: 'urn:portfolioos:problem:validation',
        title: 'Invalid request',
        status: 400,
        detail: 'splits[1].amount: the building has no such unit',
        errors: [{ field: 'splits[1].amount', message: 'must be more than zero' }],
      }),
    );
    const { user, onDone } = renderForm();
    await fillSplit(user, '100.00', ['60.00', '40.00']);
    expect(screen.getByText('Remaining USD 0.00')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save expense' }));
    const part2 = await screen.findByLabelText('Part 2 amount');
    expect(part2).toHaveAttribute('aria-invalid', 'true');
    expect(part2).toHaveAccessibleDescription('must be more than zero');
    expect(screen.getByLabelText('Part 1 amount')).not.toHaveAttribute('aria-invalid');
    // The summary does not repeat a message shown next to its field.
    const summary = screen.getAllByRole('alert').find((el) => el.classList.contains('error-box'));
    expect(summary).toHaveTextContent('Invalid request.');
    expect(summary).not.toHaveTextContent('must be more than zero');
    expect(onDone).not.toHaveBeenCalled();
  });

  it('sends a split by unit count as a rule', async () => {
    apiPost.mockResolvedValue({ id: 'exp_2', status: 'unpaid', amount: { amount: '90.00', currency: 'USD' } });
    const { user, onDone } = renderForm();
    await screen.findByRole('option', { name: 'Repairs' });
    await user.type(screen.getByLabelText('Amount'), '90');
    await user.selectOptions(screen.getByLabelText('Account'), 'Repairs');
    await user.selectOptions(screen.getByLabelText('Scope'), 'Split');
    await user.click(screen.getByLabelText('Unit count'));
    await user.click(screen.getByLabelText('Maple Court'));
    await user.click(screen.getByLabelText('Oak Row'));
    await user.click(screen.getByLabelText('Unpaid bill'));
    await user.type(screen.getByLabelText('Due date'), '2027-02-01');
    await user.click(screen.getByRole('button', { name: 'Save expense' }));
    expect(apiPost).toHaveBeenCalledTimes(1);
    const body = apiPost.mock.calls[0]![2];
    expect(body).toMatchObject({ amount: { amount: '90.00', currency: 'USD' }, split: { by: 'units', buildingIds: ['bld_a', 'bld_b'] }, status: 'unpaid', dueDate: '2027-02-01' });
    expect(body).not.toHaveProperty('paidFrom');
    expect(body).not.toHaveProperty('splits');
    expect(onDone).toHaveBeenCalled();
  });
});
