import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { todayIn } from '@/lib/dates';
import type { Role } from '@/lib/permissions';
import { ORG_ID, renderWithOrg } from '@/test/renderWithOrg';
import type { MaintenanceRequest } from './data';
import { answerGets, problem, request } from './testing';

const apiGet = vi.fn();
const apiPost = vi.fn();
const apiPatch = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
  apiPatch: (...a: unknown[]) => apiPatch(...a),
}));

const { default: RequestPage } = await import('./RequestPage');

/** The request as the API holds it: actions replace it. */
let current: MaintenanceRequest;
const EXPENSE = {
  id: 'exp_1',
  amount: { amount: '180.00', currency: 'USD' },
  accountId: 'acc_5140',
  date: '2027-03-04',
  status: 'paid',
  paidFrom: 'acc_1000',
  paidOn: '2027-03-04',
  vendorId: 'ven_1',
  scope: { type: 'unit', id: 'unt_1' },
  reference: 'mnt_1',
  receipts: [],
  createdAt: '2027-03-04T15:00:00Z',
  updatedAt: '2027-03-04T15:00:00Z',
};

function show(role: Role = 'owner') {
  renderWithOrg(<RequestPage />, { route: 'maintenance/:requestId', at: 'maintenance/mnt_1', role });
  return userEvent.setup();
}

const actionPath = (verb: string) => `/api/v1/orgs/{orgId}/maintenance-requests/{requestId}:${verb}`;
const params = { orgId: ORG_ID, requestId: 'mnt_1' };
const status = () => screen.getByTestId('request-status');
/** The next action answers `next` (and the API holds it from then on). */
const answers = (next: MaintenanceRequest) =>
  apiPost.mockImplementationOnce(async () => {
    current = next;
    return next;
  });

describe('a maintenance request', () => {
  beforeEach(() => {
    for (const f of [apiGet, apiPost, apiPatch]) f.mockReset();
    current = request();
    apiGet.mockImplementation(answerGets({ current: () => current, expense: EXPENSE }));
  });

  it('shows its facts, the actions an open request allows, and its photos', async () => {
    show();
    expect(await screen.findByRole('heading', { level: 1, name: 'Leaking kitchen tap' })).toBeInTheDocument();
    expect(status()).toHaveTextContent('Open');
    const facts = screen.getByText('Reported by').closest('dl') as HTMLElement;
    expect(facts).toHaveTextContent('Reported byIda');
    expect(facts).toHaveTextContent('Drips all night.');
    expect(facts).toHaveTextContent('Not assigned');
    expect(await within(facts).findByText('Elm House · 2B')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Maintenance' })).toHaveAttribute('href', `/orgs/${ORG_ID}/maintenance`);
    for (const name of ['Assign vendor', 'Edit', 'Cancel request']) expect(screen.getByRole('button', { name })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Start work' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Complete' })).not.toBeInTheDocument();
    const photos = screen.getByRole('region', { name: 'Photos' });
    expect(await within(photos).findByText('No photos yet.')).toBeInTheDocument();
    expect(within(photos).getByLabelText('Upload a photo')).toBeInTheDocument();
    expect(within(photos).queryByLabelText('Expires on')).not.toBeInTheDocument();
    expect(apiGet).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/documents', { orgId: ORG_ID }, { subjectType: 'maintenance', subjectId: 'mnt_1', cursor: undefined }, expect.anything());
  });

  it('offers no actions to an accountant, who may still add photos', async () => {
    show('accountant');
    await screen.findByRole('heading', { level: 1, name: 'Leaking kitchen tap' });
    expect(screen.queryByRole('button', { name: 'Assign vendor' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel request' })).not.toBeInTheDocument();
    expect(await screen.findByLabelText('Upload a photo')).toBeInTheDocument();
  });

  it('is assigned, started and completed with its cost paid from the bank, then links the expense', async () => {
    const user = show();
    await user.click(await screen.findByRole('button', { name: 'Assign vendor' }));
    const assign = screen.getByRole('form', { name: 'Assign a vendor' });
    // Archived vendors are not offered.
    await waitFor(() => expect(within(assign).getByRole('option', { name: 'Fixit Plumbing' })).toBeInTheDocument());
    expect(within(assign).queryByRole('option', { name: 'Gone Ltd' })).not.toBeInTheDocument();
    await user.click(within(assign).getByRole('button', { name: 'Assign vendor' }));
    expect(within(assign).getByText('Choose a vendor.')).toBeInTheDocument();
    await user.selectOptions(within(assign).getByLabelText('Vendor'), 'Fixit Plumbing');
    await user.type(within(assign).getByLabelText('Scheduled for'), '2027-03-03');
    answers(request({ status: 'assigned', vendorId: 'ven_1', scheduledFor: '2027-03-03' }));
    await user.click(within(assign).getByRole('button', { name: 'Assign vendor' }));
    expect(apiPost).toHaveBeenLastCalledWith(actionPath('assign'), params, { vendorId: 'ven_1', scheduledFor: '2027-03-03' });
    expect(await screen.findByText('Vendor assigned.')).toHaveAttribute('role', 'status');
    expect(status()).toHaveTextContent('Assigned');
    expect(screen.queryByRole('form', { name: 'Assign a vendor' })).not.toBeInTheDocument();
    expect(screen.getByText('Mar 3, 2027')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reassign' })).toBeInTheDocument();

    answers(request({ status: 'in_progress', vendorId: 'ven_1', scheduledFor: '2027-03-03' }));
    await user.click(screen.getByRole('button', { name: 'Start work' }));
    expect(apiPost).toHaveBeenLastCalledWith(actionPath('start'), params, undefined);
    await waitFor(() => expect(status()).toHaveTextContent('In progress'));
    expect(screen.queryByRole('button', { name: 'Start work' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Complete' }));
    const complete = screen.getByRole('form', { name: 'Complete the request' });
    expect(within(complete).getByLabelText('Completed on')).toHaveValue(todayIn('America/New_York'));
    // Bank and cash accounts only; empty records the vendor's bill.
    await waitFor(() => expect(within(complete).getByRole('option', { name: '1000 · Operating account' })).toBeInTheDocument());
    expect(within(complete).getAllByRole('option', { hidden: false }).map((o) => o.textContent)).toEqual(
      expect.arrayContaining(['Not paid yet: the vendor’s bill', '1000 · Operating account', '1010 · Petty cash']),
    );
    expect(within(complete).queryByRole('option', { name: '4000 · Rent income' })).not.toBeInTheDocument();
    await user.type(within(complete).getByLabelText('Cost'), '180');
    await user.clear(within(complete).getByLabelText('Completed on'));
    await user.type(within(complete).getByLabelText('Completed on'), '2027-03-04');
    await user.selectOptions(within(complete).getByLabelText('Paid from'), '1000 · Operating account');
    answers(request({ status: 'completed', vendorId: 'ven_1', scheduledFor: '2027-03-03', completedOn: '2027-03-04', cost: { amount: '180.00', currency: 'USD' }, expenseId: 'exp_1' }));
    await user.click(within(complete).getByRole('button', { name: 'Complete request' }));
    expect(apiPost).toHaveBeenLastCalledWith(actionPath('complete'), params, {
      completedOn: '2027-03-04',
      cost: { amount: '180.00', currency: 'USD' },
      category: 'repairs',
      paidFrom: 'acc_1000',
    });
    await waitFor(() => expect(status()).toHaveTextContent('Completed'));
    expect(screen.queryByRole('button', { name: 'Cancel request' })).not.toBeInTheDocument();
    const cost = screen.getByRole('region', { name: 'Cost' });
    expect(within(cost).getByRole('link', { name: 'View the expense' })).toHaveAttribute('href', `/orgs/${ORG_ID}/expenses/exp_1`);
    expect(await within(cost).findByText('Paid from 1000 · Operating account on Mar 4, 2027')).toBeInTheDocument();
    expect(within(cost).getByText('5140 · Repairs')).toBeInTheDocument();
    expect(cost).toHaveTextContent('USD 180.00');
  });

  it('shows the API’s field errors next to the cost and the account', async () => {
    current = request({ status: 'in_progress', vendorId: 'ven_1' });
    apiPost.mockRejectedValueOnce(
      problem(400, 'Invalid request', 'cost.amount: at most 2 decimals; paidFrom: not a bank or cash account', [
        { field: 'cost.amount', message: 'at most 2 decimals' },
        { field: 'paidFrom', message: 'not a bank or cash account' },
      ]),
    );
    const user = show();
    await user.click(await screen.findByRole('button', { name: 'Complete' }));
    const complete = screen.getByRole('form', { name: 'Complete the request' });
    await user.type(within(complete).getByLabelText('Cost'), '25.50');
    await waitFor(() => expect(within(complete).getByRole('option', { name: '1010 · Petty cash' })).toBeInTheDocument());
    await user.selectOptions(within(complete).getByLabelText('Paid from'), '1010 · Petty cash');
    await user.click(within(complete).getByRole('button', { name: 'Complete request' }));
    await waitFor(() => expect(within(complete).getByLabelText('Cost')).toHaveAttribute('aria-invalid', 'true'));
    expect(within(complete).getByText('at most 2 decimals')).toBeInTheDocument();
    expect(within(complete).getByLabelText('Paid from')).toHaveAttribute('aria-invalid', 'true');
    expect(within(complete).getByText('not a bank or cash account')).toBeInTheDocument();
    expect(within(complete).getByText('Check the fields marked below.')).toBeInTheDocument();
    expect(status()).toHaveTextContent('In progress');
  });

  it('cancels only after a confirmation, with the reason', async () => {
    const user = show();
    await user.click(await screen.findByRole('button', { name: 'Cancel request' }));
    const confirm = screen.getByRole('form', { name: 'Cancel this request?' });
    await user.type(within(confirm).getByLabelText('Reason'), 'Tenant fixed it');
    await user.click(within(confirm).getByRole('button', { name: 'Keep the request' }));
    expect(screen.queryByRole('form', { name: 'Cancel this request?' })).not.toBeInTheDocument();
    expect(apiPost).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Cancel request' }));
    const again = screen.getByRole('form', { name: 'Cancel this request?' });
    await user.type(within(again).getByLabelText('Reason'), 'Tenant fixed it');
    answers(request({ status: 'cancelled', cancelReason: 'Tenant fixed it' }));
    await user.click(within(again).getByRole('button', { name: 'Confirm cancel' }));
    expect(apiPost).toHaveBeenCalledWith(actionPath('cancel'), params, { reason: 'Tenant fixed it' });
    await waitFor(() => expect(status()).toHaveTextContent('Cancelled'));
    expect(screen.getByText('Why cancelled').nextSibling).toHaveTextContent('Tenant fixed it');
    expect(screen.queryByRole('button', { name: 'Edit' })).not.toBeInTheDocument();
  });

  it('says why when the request moved on meanwhile (409), and shows it as it now is', async () => {
    const user = show();
    await user.click(await screen.findByRole('button', { name: 'Cancel request' }));
    apiPost.mockImplementationOnce(async () => {
      current = request({ status: 'completed', vendorId: 'ven_1', completedOn: '2027-03-04' });
      throw problem(409, 'Conflict', 'the request is completed; it cannot be cancelled');
    });
    await user.click(within(screen.getByRole('form', { name: 'Cancel this request?' })).getByRole('button', { name: 'Confirm cancel' }));
    expect(await screen.findByText('the request is completed; it cannot be cancelled')).toBeInTheDocument();
    expect(screen.getByText('The request was read again: below is where it stands now.')).toBeInTheDocument();
    await waitFor(() => expect(status()).toHaveTextContent('Completed'));
    expect(screen.queryByRole('form', { name: 'Cancel this request?' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel request' })).not.toBeInTheDocument();
    expect(await screen.findByText('Completed without a cost: nothing was booked.')).toBeInTheDocument();
  });

  it('edits its texts and priority, sending only what changed', async () => {
    const user = show('manager');
    await user.click(await screen.findByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit request' });
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(within(form).getByText('Nothing changed.')).toBeInTheDocument();
    expect(apiPatch).not.toHaveBeenCalled();
    await user.selectOptions(within(form).getByLabelText('Priority'), 'Urgent');
    await user.clear(within(form).getByLabelText('Description'));
    apiPatch.mockImplementationOnce(async () => {
      current = request({ priority: 'urgent', description: null });
      return current;
    });
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(apiPatch).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/maintenance-requests/{requestId}', params, { description: '', priority: 'urgent' });
    expect(await screen.findByText('Changes saved.')).toHaveAttribute('role', 'status');
    expect(screen.getByText('No description.')).toBeInTheDocument();
  });

  it('reads as not found when the API says so', async () => {
    apiGet.mockImplementation(async () => {
      throw problem(404, 'Not found', 'maintenance request not found');
    });
    show();
    expect(await screen.findByText(/It does not exist, or you do not have access to it/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All maintenance requests' })).toHaveAttribute('href', `/orgs/${ORG_ID}/maintenance`);
  });
});
