/** Fixtures for the workflows screens' tests: a held expense's approval as the API answers it. */
export const EXPENSE = {
  id: 'exp_1',
  date: '2027-03-01',
  amount: { amount: '750.00', currency: 'USD' },
  accountId: 'acc_repairs',
  status: 'pending_approval',
  receipts: [],
  createdAt: '2027-03-01T12:00:00Z',
  updatedAt: '2027-03-01T12:00:00Z',
};

export const DEFINITION = {
  id: 'wfd_1',
  name: 'Expense approval over 500.00 USD',
  trigger: { eventType: 'expense.approval_requested', condition: 'amount > 500.00' },
  steps: [{ name: 'Owner approves', assigneeRole: 'owner', dueInDays: 3 }],
  onComplete: 'approve_expense',
  enabled: true,
  createdAt: '2027-03-01T12:00:00Z',
  updatedAt: '2027-03-01T12:00:00Z',
};

export const OPEN_TASK = {
  id: 'wfl_1.1',
  workflowId: 'wfl_1',
  name: 'Owner approves',
  assigneeRole: 'owner',
  status: 'open',
  dueInDays: 3,
  dueOn: '2020-01-04',
};

export const WORKFLOW = {
  id: 'wfl_1',
  definitionId: 'wfd_1',
  name: 'Expense approval over 500.00 USD',
  status: 'open',
  subject: { type: 'expense', id: 'exp_1' },
  eventId: 'evt_1',
  eventType: 'expense.approval_requested',
  onComplete: 'approve_expense',
  tasks: [OPEN_TASK],
  timeline: [
    { at: '2020-01-01T15:00:00Z', what: 'started', by: 'system:workflow-runtime', detail: 'expense.approval_requested on expense exp_1' },
    { at: '2020-01-01T15:00:00Z', what: 'task.assigned', by: 'system:workflow-runtime', detail: 'Owner approves → owner, due 2020-01-04' },
  ],
  startedAt: '2020-01-01T15:00:00Z',
};

export const COMPLETED = {
  ...WORKFLOW,
  status: 'completed',
  closedAt: '2020-01-02T16:30:00Z',
  tasks: [{ ...OPEN_TASK, status: 'completed', doneBy: 'u-ann', doneAt: '2020-01-02T16:30:00Z', comment: 'Roof leak, go ahead' }],
  timeline: [
    ...WORKFLOW.timeline,
    { at: '2020-01-02T16:30:00Z', what: 'task.completed', by: 'u-ann', detail: 'Owner approves: Roof leak, go ahead' },
    { at: '2020-01-02T16:30:00Z', what: 'completed', by: 'system:workflow-runtime' },
  ],
};

export const MEMBERS = [
  { userId: 'u-ann', email: 'ann@example.com', role: 'owner', addedAt: '2027-01-01T00:00:00Z', addedBy: 'u-ann' },
  { userId: 'u-bob', email: 'bob@example.com', role: 'manager', addedAt: '2027-01-01T00:00:00Z', addedBy: 'u-ann' },
  { userId: 'u-rae', email: 'rae@example.com', role: 'readonly', addedAt: '2027-01-01T00:00:00Z', addedBy: 'u-ann' },
];

export const EVENT_TYPES = ['expense.approval_requested', 'expense.recorded', 'maintenance.requested', 'workflow.completed'].map((type) => ({ type, subject: type.split('.')[0], version: 1, schema: {} }));
