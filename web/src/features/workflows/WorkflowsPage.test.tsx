import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import type { Role } from '@/lib/permissions';
import { ORG_ID, renderWithOrg } from '@/test/renderWithOrg';
import { COMPLETED, DEFINITION, EVENT_TYPES, EXPENSE, MEMBERS, OPEN_TASK, WORKFLOW } from './testing';

const apiGet = vi.fn();
const apiPost = vi.fn();
const apiPatch = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
  apiPatch: (...a: unknown[]) => apiPatch(...a),
}));

const { default: WorkflowsPage } = await import('./WorkflowsPage');

/** What the API holds. */
let tasks: Record<string, unknown>[] = [];
let flows: Record<string, unknown>[] = [];
let defs: Record<string, unknown>[] = [];

function show(role: Role = 'owner') {
  renderWithOrg(<WorkflowsPage />, { route: 'workflows', at: 'workflows', role });
  return userEvent.setup();
}

const problem = (status: number, title: string, errors?: { field: string; message: string }[]) =>
  new ApiError({ type: 'about:blank', title, status, detail: errors?.map((e) => `${e.field}: ${e.message}`).join('; ') ?? title, errors });

describe('the approvals screen', () => {
  beforeEach(() => {
    for (const f of [apiGet, apiPost, apiPatch]) f.mockReset();
    tasks = [OPEN_TASK];
    flows = [WORKFLOW];
    defs = [DEFINITION];
    apiGet.mockImplementation(async (path: string, params: Record<string, string>, query?: Record<string, string>) => {
      if (path === '/api/v1/orgs/{orgId}/tasks') {
        expect(query).toEqual({ assignee: 'me' });
        return { items: tasks };
      }
      if (path === '/api/v1/orgs/{orgId}/workflows') return { items: flows, nextCursor: null };
      if (path === '/api/v1/orgs/{orgId}/workflows/{workflowId}') return flows.find((w) => w.id === params.workflowId);
      if (path === '/api/v1/orgs/{orgId}/workflow-definitions') return { items: defs, nextCursor: null };
      if (path === '/api/v1/orgs/{orgId}/expenses/{expenseId}') return EXPENSE;
      if (path === '/api/v1/orgs/{orgId}/members') return { items: MEMBERS, nextCursor: null };
      if (path === '/api/v1/event-types') return { items: EVENT_TYPES };
      throw new Error(`unexpected GET ${path}`);
    });
  });

  it('lists my tasks with their workflow, the expense they are about, the overdue day, and approves one', async () => {
    apiPost.mockImplementation(async () => {
      tasks = [];
      flows = [COMPLETED];
      return COMPLETED;
    });
    const user = show();
    expect(screen.getByRole('heading', { level: 1, name: 'Approvals' })).toBeInTheDocument();
    const mine = await screen.findByRole('table', { name: 'Tasks waiting for you' });
    const row = within(mine).getByRole('row', { name: /Owner approves/ });
    expect(within(row).getByRole('link', { name: 'Expense approval over 500.00 USD' })).toHaveAttribute('href', `/orgs/${ORG_ID}/workflows/wfl_1`);
    expect(await within(row).findByRole('link', { name: 'Expense of USD 750.00' })).toHaveAttribute('href', `/orgs/${ORG_ID}/expenses/exp_1`);
    expect(row).toHaveTextContent('Any owner');
    expect(within(row).getByText('Overdue')).toHaveClass('overdue');

    await user.click(within(row).getByRole('button', { name: 'Approve Owner approves of Expense approval over 500.00 USD' }));
    expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/tasks/{taskId}:complete', { orgId: ORG_ID, taskId: 'wfl_1.1' }, {});
    expect(await screen.findByRole('status')).toHaveTextContent('Approved “Owner approves” of “Expense approval over 500.00 USD”: the workflow is completed.');
    expect(await screen.findByText('Nothing waits for you.')).toBeInTheDocument();
    const list = screen.getByRole('table', { name: 'Workflows, newest first' });
    await waitFor(() => expect(within(list).getByText('Completed')).toBeInTheDocument());
  });

  it('asks why before rejecting, and shows the API’s refusal', async () => {
    apiPost.mockRejectedValueOnce(new ApiError({ type: 'about:blank', title: 'Conflict', status: 409, detail: 'the task is completed; only an open task is acted on' }));
    const user = show();
    const mine = await screen.findByRole('table', { name: 'Tasks waiting for you' });
    await user.click(within(mine).getByRole('button', { name: /^Reject Owner approves/ }));
    const form = within(mine).getByRole('form', { name: /^Reject Owner approves/ });
    await user.click(within(form).getByRole('button', { name: 'Confirm reject' }));
    expect(within(form).getByText('Say why it is rejected.')).toBeInTheDocument();
    expect(apiPost).not.toHaveBeenCalled();
    await user.type(within(form).getByLabelText('Reason'), 'Get a second quote');
    await user.click(within(form).getByRole('button', { name: 'Confirm reject' }));
    expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/tasks/{taskId}:reject', { orgId: ORG_ID, taskId: 'wfl_1.1' }, { comment: 'Get a second quote' });
    expect(await within(form).findByText(/the task is completed; only an open task is acted on/)).toBeInTheDocument();
  });

  it('lists definitions and lets an owner disable one', async () => {
    apiPatch.mockImplementation(async () => {
      defs = [{ ...DEFINITION, enabled: false }];
      return defs[0];
    });
    const user = show();
    const table = await screen.findByRole('table', { name: 'Definitions' });
    expect(table).toHaveTextContent('expense.approval_requested');
    expect(table).toHaveTextContent('when amount > 500.00');
    expect(table).toHaveTextContent('Owner approves (any owner, within 3 days)');
    expect(table).toHaveTextContent('Books the held expense');
    await user.click(within(table).getByRole('button', { name: 'Disable Expense approval over 500.00 USD' }));
    expect(apiPatch).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/workflow-definitions/{definitionId}', { orgId: ORG_ID, definitionId: 'wfd_1' }, { enabled: false });
    expect(await within(table).findByText('Disabled')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Disabled “Expense approval over 500.00 USD”.');
  });

  it('fills the expense-approval template from a threshold and shows the API’s field errors next to their fields', async () => {
    defs = [];
    apiPost.mockRejectedValueOnce(
      problem(400, 'Invalid request', [
        { field: 'trigger.condition', message: 'the value must be a number, "text", true or false' },
        { field: 'steps[0]', message: 'give exactly one of assigneeRole or assigneeUserId' },
        { field: 'onComplete', message: 'approve_expense goes with the trigger expense.approval_requested, and only with it' },
      ]),
    );
    const user = show();
    await user.click(await screen.findByRole('button', { name: 'New workflow' }));
    const form = screen.getByRole('form', { name: 'New workflow' });
    const threshold = within(form).getByLabelText('Approval threshold (USD)');
    await user.clear(threshold);
    await user.type(threshold, 'lots');
    await user.click(within(form).getByRole('button', { name: 'Use this template' }));
    expect(within(form).getByText('Enter an amount in USD, such as 500.00.')).toBeInTheDocument();
    await user.clear(threshold);
    await user.type(threshold, '500');
    await user.click(within(form).getByRole('button', { name: 'Use this template' }));
    expect(within(form).getByLabelText('Name')).toHaveValue('Expense approval over 500.00 USD');
    await waitFor(() => expect(within(form).getByLabelText('Event')).toHaveValue('expense.approval_requested'));
    expect(within(form).getByLabelText('Condition')).toHaveValue('amount > 500.00');
    expect(within(form).getByLabelText('Step 1 name')).toHaveValue('Owner approves');
    expect(within(form).getByLabelText('Step 1: who acts')).toHaveValue('role:owner');
    expect(within(form).getByLabelText('Step 1 due within (days)')).toHaveValue('3');
    expect(within(form).getByLabelText('When the last step is done')).toHaveValue('approve_expense');
    // The workflows' own events cannot start one.
    expect(within(within(form).getByLabelText('Event')).queryByRole('option', { name: 'workflow.completed' })).not.toBeInTheDocument();

    await user.click(within(form).getByRole('button', { name: 'Create workflow' }));
    const body = {
      name: 'Expense approval over 500.00 USD',
      trigger: { eventType: 'expense.approval_requested', condition: 'amount > 500.00' },
      steps: [{ name: 'Owner approves', assigneeRole: 'owner', dueInDays: 3 }],
      onComplete: 'approve_expense',
      enabled: true,
    };
    expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/workflow-definitions', { orgId: ORG_ID }, body);
    await waitFor(() => expect(within(form).getByLabelText('Condition')).toHaveAttribute('aria-invalid', 'true'));
    expect(within(form).getByText('the value must be a number, "text", true or false')).toBeInTheDocument();
    expect(within(form).getByLabelText('Step 1: who acts')).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByLabelText('When the last step is done')).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByLabelText('Step 1 name')).not.toHaveAttribute('aria-invalid');

    apiPost.mockImplementationOnce(async () => {
      defs = [DEFINITION];
      return DEFINITION;
    });
    await user.click(within(form).getByRole('button', { name: 'Create workflow' }));
    expect(await screen.findByText('Created “Expense approval over 500.00 USD”: it starts on expense.approval_requested when amount > 500.00.')).toBeInTheDocument();
    expect(await screen.findByRole('table', { name: 'Definitions' })).toHaveTextContent('Expense approval over 500.00 USD');
    expect(screen.queryByRole('form', { name: 'New workflow' })).not.toBeInTheDocument();
  });

  it('checks the form before asking the API, and offers a member for a step', async () => {
    const user = show();
    await user.click(await screen.findByRole('button', { name: 'New workflow' }));
    const form = screen.getByRole('form', { name: 'New workflow' });
    await user.selectOptions(within(form).getByLabelText('Step 1: who acts'), 'member');
    const member = within(form).getByLabelText('Step 1 member');
    await waitFor(() => expect(within(member).getByRole('option', { name: 'bob@example.com (manager)' })).toBeInTheDocument());
    expect(within(member).queryByRole('option', { name: /rae@example.com/ })).not.toBeInTheDocument();
    await user.type(within(form).getByLabelText('Condition'), 'priority > "x"');
    await user.click(within(form).getByRole('button', { name: 'Create workflow' }));
    expect(within(form).getByText('Give the workflow a name.')).toBeInTheDocument();
    expect(within(form).getByText('Choose the event that starts it.')).toBeInTheDocument();
    expect(within(form).getByText('Text and true/false compare with == or != only.')).toBeInTheDocument();
    expect(within(form).getByText('Choose the member who acts on it.')).toBeInTheDocument();
    expect(apiPost).not.toHaveBeenCalled();
  });

  it('shows a manager the definitions but neither the form nor the toggle; a read-only member no tasks', async () => {
    show('manager');
    const table = await screen.findByRole('table', { name: 'Definitions' });
    expect(within(table).queryByRole('button')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'New workflow' })).not.toBeInTheDocument();
    expect(screen.getByText('Only an owner can create or change workflows.')).toBeInTheDocument();
    expect(await screen.findByRole('table', { name: 'Tasks waiting for you' })).toBeInTheDocument();
  });

  it('shows a read-only member the workflows but no tasks to act on', async () => {
    show('readonly');
    expect(await screen.findByRole('table', { name: 'Workflows, newest first' })).toHaveTextContent('Expense approval over 500.00 USD');
    expect(screen.queryByRole('table', { name: 'Tasks waiting for you' })).not.toBeInTheDocument();
    expect(screen.getByText('Read-only members see workflows but do not act on their tasks.')).toBeInTheDocument();
    expect(apiGet).not.toHaveBeenCalledWith('/api/v1/orgs/{orgId}/tasks', expect.anything(), expect.anything(), expect.anything());
  });
});
