/**
 * The workflows screens' pure parts: statuses and timeline lines in words, when a task is due,
 * where a subject's page is, the trigger's condition checked as the API parses it, and the
 * "new workflow" form as typed with the `CreateDefinition` body it becomes (with the built-in
 * "expense approval over a threshold" template). Tested without a screen; amounts stay strings.
 */
import type { Schemas } from '@/api/client';
import { normalizeAmount } from '@/lib/money';

export type Workflow = Schemas['Workflow'];
export type Task = Schemas['Task'];
export type TimelineEntry = Schemas['TimelineEntry'];
export type Definition = Schemas['WorkflowDefinition'];
export type CreateDefinition = Schemas['CreateDefinition'];
export type Step = Schemas['Step'];
export type Role = Schemas['Role'];

/** The trigger that holds a new expense unbooked until its workflow completes. */
export const EXPENSE_APPROVAL_EVENT = 'expense.approval_requested';
/** The runtime's name in a timeline's `by`. */
export const RUNTIME = 'system:workflow-runtime';

export const WORKFLOW_STATUS: Record<Schemas['WorkflowStatus'], string> = {
  open: 'Open',
  completed: 'Completed',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
};

export const TASK_STATUS: Record<Schemas['TaskStatus'], string> = {
  pending: 'Waiting',
  open: 'Open',
  completed: 'Approved',
  rejected: 'Rejected',
  skipped: 'Skipped',
};

const TIMELINE_WHAT: Record<string, string> = {
  started: 'Started',
  'task.assigned': 'Task assigned',
  'task.completed': 'Task approved',
  'task.rejected': 'Task rejected',
  completed: 'Completed',
  rejected: 'Rejected',
};

export const timelineWhat = (what: string) => TIMELINE_WHAT[what] ?? what;

export const ROLE_LABEL: Record<Role, string> = { owner: 'Owner', manager: 'Manager', accountant: 'Accountant', readonly: 'Read-only' };

/** Roles a step may be assigned to: a read-only member may never act, so only an owner could. */
export const ASSIGNABLE_ROLES: Role[] = ['owner', 'manager', 'accountant'];

export const ON_COMPLETE_TEXT: Record<Schemas['OnComplete'], string> = {
  approve_expense: 'Books the held expense (a rejection voids it)',
};

/** "Any owner", "ann@example.com" (with `emails` known), or the member's id. */
export function assigneeText(t: Pick<Step, 'assigneeRole' | 'assigneeUserId'>, emails?: Map<string, string>): string {
  if (t.assigneeUserId) return emails?.get(t.assigneeUserId) ?? t.assigneeUserId;
  if (t.assigneeRole) return `Any ${ROLE_LABEL[t.assigneeRole].toLowerCase()}`;
  return '—';
}

/** Who did it: a member's email when known, the runtime by name. */
export function actorText(by: string | null | undefined, emails?: Map<string, string>): string {
  if (!by) return '—';
  if (by === RUNTIME) return 'Workflow runtime';
  return emails?.get(by) ?? by;
}

export type DueStanding = 'overdue' | 'due-today' | 'due' | 'none';

/** An open task past its day (in the org's calendar) is overdue. */
export function dueStanding(t: Pick<Task, 'status' | 'dueOn'>, today: string): DueStanding {
  if (!t.dueOn || t.status !== 'open') return 'none';
  if (t.dueOn < today) return 'overdue';
  if (t.dueOn === today) return 'due-today';
  return 'due';
}

/** Whether the caller may act on `t`, as the API decides: an owner, anyone of its role, or its member. */
export function mayAct(t: Pick<Task, 'status' | 'assigneeRole' | 'assigneeUserId'>, role: Role, userId: string | undefined): boolean {
  if (t.status !== 'open' || role === 'readonly') return false;
  return role === 'owner' || t.assigneeRole === role || (!!userId && t.assigneeUserId === userId);
}

const SUBJECT_PAGES: Record<string, string> = {
  expense: 'expenses',
  lease: 'leases',
  building: 'buildings',
  tenant: 'tenants',
  maintenance: 'maintenance',
};

/** The SPA's page for a workflow's subject, when it has one. */
export function subjectPath(orgId: string, s: { type: string; id: string }): string | null {
  const page = SUBJECT_PAGES[s.type];
  return page ? `/orgs/${orgId}/${page}/${encodeURIComponent(s.id)}` : null;
}

const SUBJECT_LABEL: Record<string, string> = {
  expense: 'Expense',
  lease: 'Lease',
  building: 'Building',
  unit: 'Unit',
  tenant: 'Tenant',
  maintenance: 'Maintenance request',
};

export const subjectLabel = (type: string) => SUBJECT_LABEL[type] ?? type.replace(/_/g, ' ');

// ---- the trigger's condition --------------------------------------------------------------

const OPS = ['>=', '<=', '==', '!=', '>', '<'] as const;
const NUMBER = /^-?\d{1,15}(\.\d{1,10})?$/;

/**
 * Why the API would refuse `condition` (`amount > 500.00`, `priority == "emergency"`), or null:
 * `<payload path> <op> <value>`, the first operator in the text wins (the longer at the same place).
 */
export function conditionProblem(condition: string): string | null {
  const s = condition.trim();
  let at = -1;
  let op = '';
  for (const o of OPS) {
    const i = s.indexOf(o);
    if (i >= 0 && (at < 0 || i < at || (i === at && o.length > op.length))) {
      at = i;
      op = o;
    }
  }
  if (at < 0) return 'Write it as <field> <op> <value>, with op one of > >= < <= == !=, e.g. amount > 500.00.';
  const left = s.slice(0, at).trim();
  const right = s.slice(at + op.length).trim();
  if (!left || !left.split('.').every((p) => /^[A-Za-z0-9_]+$/.test(p))) return 'The field must be a payload path such as amount or scope.type.';
  const text = right.length >= 2 && right.startsWith('"') && right.endsWith('"');
  const bool = right === 'true' || right === 'false';
  if (!text && !bool && !NUMBER.test(right)) return 'The value must be a number, "text" in double quotes, true or false.';
  if ((text || bool) && op !== '==' && op !== '!=') return 'Text and true/false compare with == or != only.';
  return null;
}

/** "amount > 500.00" in words for a list: the condition as written, or "every event". */
export function triggerText(t: Schemas['Trigger']): string {
  return t.condition ? `${t.eventType} when ${t.condition}` : `${t.eventType}, every event`;
}

/** "Owner approves (any owner, within 3 days)". */
export function stepText(s: Step, emails?: Map<string, string>): string {
  const due = s.dueInDays !== undefined && s.dueInDays !== null ? `, within ${s.dueInDays} day${s.dueInDays === 1 ? '' : 's'}` : '';
  return `${s.name} (${assigneeText(s, emails).replace(/^Any /, 'any ')}${due})`;
}

// ---- the "new workflow" form --------------------------------------------------------------

export interface StepDraft {
  name: string;
  /** Who may act: anyone of a role, or one member. */
  kind: 'role' | 'member';
  role: Role;
  userId: string;
  dueInDays: string;
}

export interface DefinitionDraft {
  name: string;
  eventType: string;
  condition: string;
  steps: StepDraft[];
  onComplete: '' | Schemas['OnComplete'];
  enabled: boolean;
}

export const emptyStep = (): StepDraft => ({ name: '', kind: 'role', role: 'owner', userId: '', dueInDays: '' });

export function emptyDefinition(): DefinitionDraft {
  return { name: '', eventType: '', condition: '', steps: [emptyStep()], onComplete: '', enabled: true };
}

/** What `onComplete` must be for an event type (approving a held expense, and only for its trigger). */
export const onCompleteFor = (eventType: string): DefinitionDraft['onComplete'] => (eventType === EXPENSE_APPROVAL_EVENT ? 'approve_expense' : '');

/**
 * The built-in "Expense approval over a threshold": a new expense of more than `threshold` is
 * held until an owner approves it (within 3 days). `null` when the threshold is not an amount.
 */
export function expenseApprovalTemplate(threshold: string, currency: string): DefinitionDraft | null {
  const amount = normalizeAmount(threshold, currency);
  if (amount === null || amount.startsWith('-')) return null;
  return {
    name: `Expense approval over ${amount} ${currency}`,
    eventType: EXPENSE_APPROVAL_EVENT,
    condition: `amount > ${amount}`,
    steps: [{ name: 'Owner approves', kind: 'role', role: 'owner', userId: '', dueInDays: '3' }],
    onComplete: 'approve_expense',
    enabled: true,
  };
}

/** The body for `POST …/workflow-definitions`, or the message for each field the API would refuse (named as it names them). */
export function buildDefinition(d: DefinitionDraft, eventTypes?: string[]): { body: CreateDefinition | null; errors: Record<string, string> } {
  const errs: Record<string, string> = {};
  const name = d.name.trim();
  if (!name) errs.name = 'Give the workflow a name.';
  else if (name.length > 200) errs.name = 'At most 200 characters.';
  const eventType = d.eventType.trim();
  if (!eventType) errs['trigger.eventType'] = 'Choose the event that starts it.';
  else if (eventType.startsWith('workflow.') || (eventTypes && !eventTypes.includes(eventType))) errs['trigger.eventType'] = 'Choose an event of the catalog (not a workflow’s own).';
  const condition = d.condition.trim();
  if (condition) {
    const problem = condition.length > 200 ? 'At most 200 characters.' : conditionProblem(condition);
    if (problem) errs['trigger.condition'] = problem;
  }
  if (d.steps.length < 1 || d.steps.length > 10) errs.steps = 'Give 1 to 10 steps.';
  const steps: Step[] = d.steps.map((s, i) => {
    const stepName = s.name.trim();
    if (!stepName) errs[`steps[${i}].name`] = 'Name the step, e.g. “Owner approves”.';
    else if (stepName.length > 100) errs[`steps[${i}].name`] = 'At most 100 characters.';
    const step: Step = { name: stepName };
    if (s.kind === 'role') step.assigneeRole = s.role;
    else if (s.userId) step.assigneeUserId = s.userId;
    else errs[`steps[${i}]`] = 'Choose the member who acts on it.';
    const due = s.dueInDays.trim();
    if (due) {
      const n = /^\d{1,3}$/.test(due) ? Number.parseInt(due, 10) : -1;
      if (n < 0 || n > 365) errs[`steps[${i}].dueInDays`] = 'Enter a whole number of days from 0 to 365.';
      else step.dueInDays = n;
    }
    return step;
  });
  const wanted = onCompleteFor(eventType);
  if (eventType && d.onComplete !== wanted) {
    errs.onComplete = wanted ? 'An expense approval books the held expense when it completes.' : 'Booking a held expense goes with the trigger expense.approval_requested only.';
  }
  if (Object.keys(errs).length) return { body: null, errors: errs };
  const body: CreateDefinition = { name, trigger: { eventType }, steps, enabled: d.enabled };
  if (condition) body.trigger.condition = condition;
  if (d.onComplete) body.onComplete = d.onComplete;
  return { body, errors: {} };
}
