import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { formatInstant } from '@/lib/dates';
import type { Role } from '@/lib/permissions';
import { ORG_ID, renderWithOrg } from '@/test/renderWithOrg';
import { COMPLETED, EXPENSE, MEMBERS, WORKFLOW } from './testing';

const apiGet = vi.fn();
const apiPost = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
}));

const { default: WorkflowPage } = await import('./WorkflowPage');

let flow: Record<string, unknown> = WORKFLOW;
const TZ = 'America/New_York';

function show(role: Role = 'owner', me = 'u-ann') {
  apiGet.mockImplementation(async (path: string) => {
    if (path === '/api/v1/me') return { userId: me, memberships: [] };
    if (path === '/api/v1/orgs/{orgId}/workflows/{workflowId}') return flow;
    if (path === '/api/v1/orgs/{orgId}/expenses/{expenseId}') return EXPENSE;
    if (path === '/api/v1/orgs/{orgId}/members') return { items: MEMBERS, nextCursor: null };
    throw new Error(`unexpected GET ${path}`);
  });
  renderWithOrg(<WorkflowPage />, { route: 'workflows/:workflowId', at: 'workflows/wfl_1', role });
  return userEvent.setup();
}

describe('a workflow', () => {
  beforeEach(() => {
    apiGet.mockReset();
    apiPost.mockReset();
    flow = WORKFLOW;
  });

  it('shows what it is about, its tasks and a timeline of who did what', async () => {
    flow = COMPLETED;
    show();
    expect(await screen.findByRole('heading', { level: 1, name: 'Expense approval over 500.00 USD' })).toBeInTheDocument();
    const about = screen.getByRole('region', { name: 'About' });
    expect(await within(about).findByRole('link', { name: 'Expense of USD 750.00' })).toHaveAttribute('href', `/orgs/${ORG_ID}/expenses/exp_1`);
    expect(about).toHaveTextContent('Books the held expense');
    expect(about).toHaveTextContent(formatInstant('2020-01-02T16:30:00Z', TZ));

    const tasks = screen.getByRole('table', { name: 'Tasks of this workflow' });
    const row = within(tasks).getByRole('row', { name: /Owner approves/ });
    expect(row).toHaveTextContent('Approved');
    expect(await within(row).findByText('ann@example.com')).toBeInTheDocument();
    expect(row).toHaveTextContent('Roof leak, go ahead');
    // Done: not overdue any more, and nothing to act on.
    expect(within(row).queryByText('Overdue')).not.toBeInTheDocument();
    expect(within(tasks).queryByRole('button')).not.toBeInTheDocument();

    const timeline = screen.getByRole('table', { name: 'Timeline of this workflow' });
    const lines = within(timeline).getAllByRole('row').slice(1).map((r) => Array.from(r.querySelectorAll('td')).map((c) => c.textContent));
    expect(lines).toEqual([
      [formatInstant('2020-01-01T15:00:00Z', TZ), 'Started', 'Workflow runtime', 'expense.approval_requested on expense exp_1'],
      [formatInstant('2020-01-01T15:00:00Z', TZ), 'Task assigned', 'Workflow runtime', 'Owner approves → owner, due 2020-01-04'],
      [formatInstant('2020-01-02T16:30:00Z', TZ), 'Task approved', 'ann@example.com', 'Owner approves: Roof leak, go ahead'],
      [formatInstant('2020-01-02T16:30:00Z', TZ), 'Completed', 'Workflow runtime', '—'],
    ]);
  });

  it('lets the assignee approve an open task from the page', async () => {
    apiPost.mockImplementation(async () => {
      flow = COMPLETED;
      return COMPLETED;
    });
    const user = show();
    const tasks = await screen.findByRole('table', { name: 'Tasks of this workflow' });
    const row = within(tasks).getByRole('row', { name: /Owner approves/ });
    expect(within(row).getByText('Overdue')).toBeInTheDocument();
    await user.click(await within(row).findByRole('button', { name: 'Approve Owner approves' }));
    expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/tasks/{taskId}:complete', { orgId: ORG_ID, taskId: 'wfl_1.1' }, {});
    expect(await screen.findByRole('status')).toHaveTextContent('Approved “Owner approves”: the workflow is completed.');
    expect(await within(screen.getByRole('table', { name: 'Timeline of this workflow' })).findByText('Task approved')).toBeInTheDocument();
  });

  it('offers no action to a member the task is not for', async () => {
    show('manager', 'u-bob');
    const tasks = await screen.findByRole('table', { name: 'Tasks of this workflow' });
    expect(within(tasks).getByRole('row', { name: /Owner approves/ })).toHaveTextContent('Any owner');
    expect(within(tasks).queryByRole('button')).not.toBeInTheDocument();
  });
});
