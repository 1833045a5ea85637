import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import type { Role } from '@/lib/permissions';
import { renderWithOrg } from './testing';
import type { Lease } from './data';

const apiPost = vi.fn();
vi.mock('@/api/client', () => ({ apiPost: (...a: unknown[]) => apiPost(...a) }));

const { ActivationProblem, overridableLimit } = await import('./ActivationProblem');
const { useActivate } = await import('./LeaseActions');

const ACTIVATE = '/api/v1/orgs/{orgId}/leases/{leaseId}:activate';
const DRAFT = {
  id: 'lse_1',
  status: 'draft',
  unitId: 'unt_1',
  buildingId: 'bld_1',
  tenantIds: ['tnt_1'],
  startDate: '2026-01-01',
  rent: { amount: '1000.00', currency: 'USD' },
  deposit: { amount: '3000.00', currency: 'USD' },
  dueDay: 1,
  createdAt: '2025-12-01T00:00:00Z',
  updatedAt: '2025-12-01T00:00:00Z',
} as Lease;
const CAP =
  'the deposit 3000.00 USD is more than 1000.00 USD, the most New York deposit cap (HSTPA 2019) (us-ny-deposit-hstpa) allows on 2026-01-01; an owner may activate it anyway with {"override": {"reason": …}}';
const conflict = (detail: string) => new ApiError({ type: 'about:blank', title: 'Conflict', status: 409, detail });

/** As the lease page wires them: "Activate", and what its failure says. */
function Harness({ lease }: { lease: Lease }) {
  const activate = useActivate(lease);
  return (
    <>
      <button type="button" onClick={() => activate.mutate()}>
        Activate
      </button>
      <ActivationProblem lease={lease} error={activate.error} onActivated={() => activate.reset()} />
    </>
  );
}

function show(role: Role = 'owner') {
  renderWithOrg(<Harness lease={DRAFT} />, { role });
  return userEvent.setup();
}

describe('the limit an owner may override', () => {
  it('reads the API’s cap conflict as a sentence without the instruction for API clients', () => {
    expect(overridableLimit(conflict(CAP))).toBe('The deposit 3000.00 USD is more than 1000.00 USD, the most New York deposit cap (HSTPA 2019) (us-ny-deposit-hstpa) allows on 2026-01-01.');
    expect(overridableLimit(conflict('another lease of the unit overlaps this one'))).toBeNull();
    expect(overridableLimit(new ApiError({ type: 'about:blank', title: 'Forbidden', status: 403, detail: 'only an owner may override a jurisdiction rule "override"' }))).toBeNull();
    expect(overridableLimit(new Error('x'))).toBeNull();
  });
});

describe('activating a lease over the deposit cap', () => {
  beforeEach(() => {
    apiPost.mockReset();
  });

  it('lets an owner activate anyway with a reason, which is required, resending with the override', async () => {
    apiPost.mockRejectedValueOnce(conflict(CAP)).mockResolvedValueOnce({ ...DRAFT, status: 'active' });
    const user = show('owner');
    await user.click(screen.getByRole('button', { name: 'Activate' }));
    const panel = await screen.findByRole('region', { name: 'Over the jurisdiction’s limit' });
    expect(within(panel).getByRole('alert')).toHaveTextContent('The deposit 3000.00 USD is more than 1000.00 USD, the most New York deposit cap (HSTPA 2019) (us-ny-deposit-hstpa) allows on 2026-01-01.');
    expect(panel).not.toHaveTextContent('{"override"');
    expect(apiPost).toHaveBeenLastCalledWith(ACTIVATE, { orgId: 'org_1', leaseId: 'lse_1' }, {});

    await user.click(within(panel).getByRole('button', { name: 'Activate anyway' }));
    const form = within(panel).getByRole('form', { name: 'Activate anyway' });
    const reason = within(form).getByLabelText('Reason');
    expect(reason).toHaveFocus();
    await user.click(within(form).getByRole('button', { name: 'Activate anyway' }));
    expect(within(form).getByText('Say why the lease is activated past the limit.')).toBeInTheDocument();
    expect(apiPost).toHaveBeenCalledTimes(1);

    await user.type(reason, 'Tenant asked to prepay; counsel approved');
    await user.click(within(form).getByRole('button', { name: 'Activate anyway' }));
    expect(apiPost).toHaveBeenLastCalledWith(ACTIVATE, { orgId: 'org_1', leaseId: 'lse_1' }, { override: { reason: 'Tenant asked to prepay; counsel approved' } });
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Over the jurisdiction’s limit' })).not.toBeInTheDocument());
  });

  it('shows the override’s own failure under the reason', async () => {
    apiPost
      .mockRejectedValueOnce(conflict(CAP))
      .mockRejectedValueOnce(new ApiError({ type: 'about:blank', title: 'Invalid request', status: 400, detail: 'override.reason: must not be blank', errors: [{ field: 'override.reason', message: 'must not be blank' }] }));
    const user = show('owner');
    await user.click(screen.getByRole('button', { name: 'Activate' }));
    await user.click(await screen.findByRole('button', { name: 'Activate anyway' }));
    await user.type(screen.getByLabelText('Reason'), 'x');
    await user.click(screen.getByRole('button', { name: 'Activate anyway' }));
    await waitFor(() => expect(screen.getByLabelText('Reason')).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByText('must not be blank')).toBeInTheDocument();
  });

  it('tells anyone else only an owner can, without offering the override', async () => {
    apiPost.mockRejectedValueOnce(conflict(CAP));
    const user = show('manager');
    await user.click(screen.getByRole('button', { name: 'Activate' }));
    const panel = await screen.findByRole('region', { name: 'Over the jurisdiction’s limit' });
    expect(panel).toHaveTextContent('The deposit 3000.00 USD is more than 1000.00 USD');
    expect(panel).toHaveTextContent('Only an owner can activate a lease past this limit.');
    expect(within(panel).queryByRole('button')).not.toBeInTheDocument();
  });

  it('shows any other conflict as the API words it, with no override', async () => {
    apiPost.mockRejectedValueOnce(conflict('another activated lease of the unit overlaps this one'));
    const user = show('owner');
    await user.click(screen.getByRole('button', { name: 'Activate' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('another activated lease of the unit overlaps this one');
    expect(screen.queryByRole('button', { name: 'Activate anyway' })).not.toBeInTheDocument();
  });
});
