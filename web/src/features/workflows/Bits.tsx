/** Small pieces of the workflows screens: status badges, a task's due day, a subject named and linked. */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { apiGet } from '@/api/client';
import { formatDay } from '@/lib/dates';
import { formatMoney } from '@/lib/money';
import { useOrg } from '@/lib/org';
import { keys } from './data';
import { dueStanding, subjectLabel, subjectPath, TASK_STATUS, WORKFLOW_STATUS, type Task, type Workflow } from './model';

export function WorkflowStatusBadge({ status }: { status: Workflow['status'] }) {
  return <span className={`status wf-status-${status}`}>{WORKFLOW_STATUS[status] ?? status}</span>;
}

export function TaskStatusBadge({ status }: { status: Task['status'] }) {
  return <span className={`status wf-task-${status}`}>{TASK_STATUS[status] ?? status}</span>;
}

/** The day a task falls due; an open one past it (or due today) says so. */
export function DueCell({ task, today }: { task: Pick<Task, 'status' | 'dueOn'>; today: string }) {
  if (!task.dueOn) return <span className="muted">—</span>;
  const s = dueStanding(task, today);
  return (
    <span className={s === 'overdue' ? 'wf-overdue' : undefined}>
      {formatDay(task.dueOn)}
      {s === 'overdue' ? (
        <>
          {' '}
          <span className="status overdue">Overdue</span>
        </>
      ) : s === 'due-today' ? (
        <>
          {' '}
          <span className="status due-today">Due today</span>
        </>
      ) : null}
    </span>
  );
}

/** An expense named by its amount and linked to its page. */
function ExpenseSubject({ id }: { id: string }) {
  const { orgId } = useOrg();
  const e = useQuery({
    queryKey: keys.expense(orgId, id),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/expenses/{expenseId}', { orgId, expenseId: id }, undefined, { signal }),
    staleTime: 10_000,
  });
  const text = e.data ? `Expense of ${formatMoney(e.data.amount)}` : `Expense ${id}`;
  return <Link to={subjectPath(orgId, { type: 'expense', id }) ?? ''}>{text}</Link>;
}

/** What a workflow is about: linked to its page where the app has one. */
export function SubjectLink({ subject }: { subject: Workflow['subject'] }) {
  const { orgId } = useOrg();
  if (subject.type === 'expense') return <ExpenseSubject id={subject.id} />;
  const path = subjectPath(orgId, subject);
  const text = `${subjectLabel(subject.type)} ${subject.id}`;
  return path ? <Link to={path}>{text}</Link> : <>{text}</>;
}
