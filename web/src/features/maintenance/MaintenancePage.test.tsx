import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '@/lib/permissions';
import { ORG_ID, renderWithOrg } from '@/test/renderWithOrg';
import { answerGets, problem, request } from './testing';

const apiGet = vi.fn();
const apiPost = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
}));

const { default: MaintenancePage } = await import('./MaintenancePage');

const REQUESTS = [
  request({ id: 'mnt_done', title: 'Broken blind', status: 'completed', completedOn: '2027-02-20', vendorId: 'ven_1', createdAt: '2027-02-10T10:00:00Z' }),
  request({ id: 'mnt_low', title: 'Squeaky door', priority: 'low', createdAt: '2027-03-02T10:00:00Z', reportedBy: null }),
  request({ id: 'mnt_sos', title: 'Burst pipe', priority: 'emergency', status: 'assigned', vendorId: 'ven_1', scheduledFor: '2027-03-03', createdAt: '2027-03-01T09:00:00Z' }),
  request({ id: 'mnt_gone', title: 'Noisy fan', status: 'cancelled', createdAt: '2027-01-05T10:00:00Z' }),
];

function show(role: Role = 'owner') {
  renderWithOrg(<MaintenancePage />, { route: 'maintenance', at: 'maintenance', role });
  return userEvent.setup();
}

const titles = (table: HTMLElement) => within(table).getAllByRole('link').map((a) => a.textContent);

describe('the maintenance list', () => {
  beforeEach(() => {
    apiGet.mockReset();
    apiPost.mockReset();
    apiGet.mockImplementation(answerGets({ requests: REQUESTS }));
  });

  it('shows what is still to do first, the emergency leading and standing out, each with its status, unit and vendor', async () => {
    show();
    expect(screen.getByRole('heading', { level: 1, name: 'Maintenance' })).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'Maintenance requests' });
    expect(titles(table)).toEqual(['Burst pipe', 'Squeaky door', 'Broken blind', 'Noisy fan']);
    const sos = within(table).getByRole('link', { name: 'Burst pipe' }).closest('tr') as HTMLElement;
    expect(within(sos).getByText('Emergency').closest('.status')).toHaveClass('mnt-priority-emergency');
    expect(sos).toHaveTextContent('Assigned');
    expect(sos).toHaveTextContent('Reported by Ida');
    expect(sos).toHaveTextContent('Scheduled Mar 3, 2027');
    expect(await within(sos).findByText('Elm House · 2B')).toBeInTheDocument();
    expect(await within(sos).findByText('Fixit Plumbing')).toBeInTheDocument();
    expect(within(table).getByRole('link', { name: 'Burst pipe' })).toHaveAttribute('href', `/orgs/${ORG_ID}/maintenance/mnt_sos`);
    expect(within(table).getByRole('link', { name: 'Broken blind' }).closest('tr')).toHaveTextContent('Completed Feb 20, 2027');
    expect(screen.getByTestId('maintenance-summary')).toHaveTextContent('2 still to do (1 emergency) · 2 completed or cancelled.');
  });

  it('filters by status on the client', async () => {
    const user = show();
    const table = await screen.findByRole('table', { name: 'Maintenance requests' });
    await user.selectOptions(screen.getByLabelText('Show'), 'to_do');
    expect(titles(table)).toEqual(['Burst pipe', 'Squeaky door']);
    await user.selectOptions(screen.getByLabelText('Show'), 'completed');
    expect(titles(screen.getByRole('table', { name: 'Maintenance requests' }))).toEqual(['Broken blind']);
    await user.selectOptions(screen.getByLabelText('Show'), 'in_progress');
    expect(screen.getByText('No requests in progress.')).toBeInTheDocument();
    expect(apiGet.mock.calls.filter((c) => c[0] === '/api/v1/orgs/{orgId}/maintenance-requests')).toHaveLength(1);
  });

  it('says so when there are none, and offers no new request to an accountant', async () => {
    apiGet.mockImplementation(answerGets({ requests: [] }));
    show('accountant');
    expect(await screen.findByText('No maintenance requests yet.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'New request' })).not.toBeInTheDocument();
  });

  it('creates a request on a unit picked by building, checked first, and opens it', async () => {
    const user = show('manager');
    await user.click(await screen.findByRole('button', { name: 'New request' }));
    const form = screen.getByRole('form', { name: 'New request' });
    expect(within(form).getByLabelText('Unit')).toBeDisabled();
    await user.click(within(form).getByRole('button', { name: 'Create request' }));
    expect(within(form).getByText('Choose a building.')).toBeInTheDocument();
    expect(within(form).getByText('Enter a title, such as “Leaking kitchen tap”.')).toBeInTheDocument();
    expect(apiPost).not.toHaveBeenCalled();

    await user.selectOptions(within(form).getByLabelText('Building'), 'Elm House');
    await waitFor(() => expect(within(form).getByLabelText('Unit')).toBeEnabled());
    await user.selectOptions(within(form).getByLabelText('Unit'), '3C');
    await user.type(within(form).getByLabelText('Title'), 'Burst pipe');
    await user.type(within(form).getByLabelText('Description'), 'Water under the sink');
    await user.selectOptions(within(form).getByLabelText('Priority'), 'Emergency');
    // This org has no alert phone: the form says nobody will be texted.
    expect(within(form).getByText(/No alert phone is set/)).toBeInTheDocument();
    await user.type(within(form).getByLabelText('Reported by'), 'Ida (phone)');

    // The API's field error shows under its field.
    apiPost.mockRejectedValueOnce(problem(400, 'Invalid request', 'title: must not be blank', [{ field: 'title', message: 'must not be blank' }]));
    await user.click(within(form).getByRole('button', { name: 'Create request' }));
    await waitFor(() => expect(within(form).getByLabelText('Title')).toHaveAttribute('aria-invalid', 'true'));
    expect(within(form).getByText('must not be blank')).toBeInTheDocument();
    expect(apiPost).toHaveBeenLastCalledWith('/api/v1/orgs/{orgId}/maintenance-requests', { orgId: ORG_ID }, {
      unitId: 'unt_3',
      title: 'Burst pipe',
      description: 'Water under the sink',
      priority: 'emergency',
      reportedBy: 'Ida (phone)',
    });

    apiPost.mockResolvedValueOnce(request({ id: 'mnt_new', title: 'Burst pipe', unitId: 'unt_3', priority: 'emergency' }));
    await user.click(within(form).getByRole('button', { name: 'Create request' }));
    expect(await screen.findByTestId('location')).toHaveTextContent(`/orgs/${ORG_ID}/maintenance/mnt_new`);
  });
});
