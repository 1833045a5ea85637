import { describe, expect, it } from 'vitest';
import {
  actorText,
  assigneeText,
  buildDefinition,
  conditionProblem,
  dueStanding,
  emptyDefinition,
  expenseApprovalTemplate,
  mayAct,
  stepText,
  subjectPath,
  type DefinitionDraft,
} from './model';

const CATALOG = ['expense.approval_requested', 'expense.recorded', 'maintenance.requested'];
const draft = (over: Partial<DefinitionDraft>): DefinitionDraft => ({ ...emptyDefinition(), ...over });

describe('the trigger’s condition, checked as the API parses it', () => {
  it('takes a payload path, an operator and a number, "text" or true/false', () => {
    for (const ok of ['amount > 500.00', 'amount>=500', 'amount < 0.5', 'priority == "emergency"', 'scope.type != "unit"', 'flag == true', 'amount != -3']) {
      expect(conditionProblem(ok), ok).toBeNull();
    }
  });

  it('names what is wrong', () => {
    expect(conditionProblem('amount')).toMatch(/<field> <op> <value>/);
    expect(conditionProblem('> 5')).toMatch(/payload path/);
    expect(conditionProblem('a b > 1')).toMatch(/payload path/);
    expect(conditionProblem('amount > abc')).toMatch(/number, "text"/);
    expect(conditionProblem('amount > 1e3')).toMatch(/number, "text"/);
    expect(conditionProblem('priority > "x"')).toBe('Text and true/false compare with == or != only.');
  });
});

describe('the new workflow as the API takes it', () => {
  it('fills the expense-approval template from a threshold typed as text', () => {
    const t = expenseApprovalTemplate('1,500.5', 'USD');
    expect(t).toEqual({
      name: 'Expense approval over 1500.50 USD',
      eventType: 'expense.approval_requested',
      condition: 'amount > 1500.50',
      steps: [{ name: 'Owner approves', kind: 'role', role: 'owner', userId: '', dueInDays: '3' }],
      onComplete: 'approve_expense',
      enabled: true,
    });
    expect(buildDefinition(t!, CATALOG)).toEqual({
      errors: {},
      body: {
        name: 'Expense approval over 1500.50 USD',
        trigger: { eventType: 'expense.approval_requested', condition: 'amount > 1500.50' },
        steps: [{ name: 'Owner approves', assigneeRole: 'owner', dueInDays: 3 }],
        onComplete: 'approve_expense',
        enabled: true,
      },
    });
    expect(expenseApprovalTemplate('abc', 'USD')).toBeNull();
    expect(expenseApprovalTemplate('-5', 'USD')).toBeNull();
    expect(expenseApprovalTemplate('5.001', 'USD')).toBeNull();
  });

  it('sends a member’s step by user id, no condition when empty, and disabled when unticked', () => {
    const { body } = buildDefinition(
      draft({ name: ' Emergencies ', eventType: 'maintenance.requested', steps: [{ name: 'Manager triages', kind: 'member', role: 'owner', userId: 'u-bob', dueInDays: '' }], enabled: false }),
      CATALOG,
    );
    expect(body).toEqual({ name: 'Emergencies', trigger: { eventType: 'maintenance.requested' }, steps: [{ name: 'Manager triages', assigneeUserId: 'u-bob' }], enabled: false });
  });

  it('names each field the API would refuse, as the API names it', () => {
    const { body, errors } = buildDefinition(
      draft({
        eventType: 'expense.recorded',
        condition: 'amount >> 5',
        steps: [
          { name: '', kind: 'member', role: 'owner', userId: '', dueInDays: '400' },
          { name: 'Fine', kind: 'role', role: 'manager', userId: '', dueInDays: '2' },
        ],
        onComplete: 'approve_expense',
      }),
      CATALOG,
    );
    expect(body).toBeNull();
    expect(errors).toEqual({
      name: 'Give the workflow a name.',
      'trigger.condition': 'The value must be a number, "text" in double quotes, true or false.',
      'steps[0].name': 'Name the step, e.g. “Owner approves”.',
      'steps[0]': 'Choose the member who acts on it.',
      'steps[0].dueInDays': 'Enter a whole number of days from 0 to 365.',
      onComplete: 'Booking a held expense goes with the trigger expense.approval_requested only.',
    });
    expect(buildDefinition(draft({ name: 'x', eventType: 'workflow.completed', steps: [] })).errors).toEqual({
      'trigger.eventType': 'Choose an event of the catalog (not a workflow’s own).',
      steps: 'Give 1 to 10 steps.',
    });
    expect(buildDefinition(draft({ name: 'x', eventType: 'expense.approval_requested', steps: [{ name: 'a', kind: 'role', role: 'owner', userId: '', dueInDays: '' }] })).errors).toEqual({
      onComplete: 'An expense approval books the held expense when it completes.',
    });
  });
});

describe('tasks and timelines in words', () => {
  const emails = new Map([['u-ann', 'ann@example.com']]);

  it('marks an open task past its day as overdue, in the org’s calendar', () => {
    expect(dueStanding({ status: 'open', dueOn: '2027-03-01' }, '2027-03-02')).toBe('overdue');
    expect(dueStanding({ status: 'open', dueOn: '2027-03-02' }, '2027-03-02')).toBe('due-today');
    expect(dueStanding({ status: 'open', dueOn: '2027-03-03' }, '2027-03-02')).toBe('due');
    expect(dueStanding({ status: 'completed', dueOn: '2027-03-01' }, '2027-03-02')).toBe('none');
    expect(dueStanding({ status: 'open' }, '2027-03-02')).toBe('none');
  });

  it('lets an owner, the task’s role or its member act; read-only members never', () => {
    const t = { status: 'open' as const, assigneeRole: 'accountant' as const };
    expect(mayAct(t, 'owner', 'u-ann')).toBe(true);
    expect(mayAct(t, 'accountant', 'u-cy')).toBe(true);
    expect(mayAct(t, 'manager', 'u-bob')).toBe(false);
    expect(mayAct({ status: 'open', assigneeUserId: 'u-bob' }, 'manager', 'u-bob')).toBe(true);
    expect(mayAct({ status: 'open', assigneeRole: 'readonly' }, 'readonly', 'u-r')).toBe(false);
    expect(mayAct({ ...t, status: 'completed' }, 'owner', 'u-ann')).toBe(false);
  });

  it('names assignees and actors, and links subjects the app has a page for', () => {
    expect(assigneeText({ assigneeRole: 'owner' })).toBe('Any owner');
    expect(assigneeText({ assigneeUserId: 'u-ann' }, emails)).toBe('ann@example.com');
    expect(actorText('system:workflow-runtime', emails)).toBe('Workflow runtime');
    expect(actorText('u-ann', emails)).toBe('ann@example.com');
    expect(actorText('u-zed', emails)).toBe('u-zed');
    expect(stepText({ name: 'Owner approves', assigneeRole: 'owner', dueInDays: 3 })).toBe('Owner approves (any owner, within 3 days)');
    expect(subjectPath('org_1', { type: 'expense', id: 'exp_1' })).toBe('/orgs/org_1/expenses/exp_1');
    expect(subjectPath('org_1', { type: 'unit', id: 'unt_1' })).toBeNull();
  });
});
