/**
 * "My tasks": the open tasks the caller may act on (their role's, their own, or any for an
 * owner), each with its workflow, what it is about, its due day (overdue marked) and
 * Approve / Reject. A task opens a moment after its event: the list is read again every 15 s.
 */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Section } from '@/components/Page';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { todayIn } from '@/lib/dates';
import { useOrg } from '@/lib/org';
import { useMemberEmails, useMyTasks, useWorkflowsById } from './data';
import { DueCell, SubjectLink } from './Bits';
import { assigneeText, type Task, type Workflow } from './model';
import { TaskActions } from './TaskActions';

interface Done {
  text: string;
  workflowId: string;
}

export function MyTasks() {
  const { orgId, org } = useOrg();
  const tasks = useMyTasks();
  const flows = useWorkflowsById((tasks.data ?? []).map((t) => t.workflowId));
  const emails = useMemberEmails();
  const [done, setDone] = useState<Done | null>(null);
  const today = todayIn(org.timezone);
  const onDone = (t: Task) => (w: Workflow, approved: boolean) => {
    const outcome = w.status === 'completed' ? 'the workflow is completed' : w.status === 'rejected' ? 'the workflow is rejected' : 'the next step is open';
    setDone({ text: `${approved ? 'Approved' : 'Rejected'} “${t.name}” of “${w.name}”: ${outcome}.`, workflowId: w.id });
  };
  const list = tasks.data ?? [];
  return (
    <Section
      title="My tasks"
      actions={
        <button type="button" className="btn" onClick={() => void tasks.refetch()} disabled={tasks.isFetching}>
          {tasks.isFetching && !tasks.isPending ? 'Refreshing…' : 'Refresh'}
        </button>
      }
    >
      {done ? (
        <p className="ok-box" role="status">
          {done.text} <Link to={`/orgs/${orgId}/workflows/${encodeURIComponent(done.workflowId)}`}>See its timeline</Link>
        </p>
      ) : null}
      {tasks.isPending ? (
        <Loading label="Loading your tasks…" />
      ) : tasks.error ? (
        <ErrorState error={tasks.error} />
      ) : list.length === 0 ? (
        <Empty>Nothing waits for you.</Empty>
      ) : (
        <Table<Task>
          caption="Tasks waiting for you"
          rows={list}
          rowKey={(t) => t.id}
          columns={[
            { header: 'Task', cell: (t) => <strong>{t.name}</strong> },
            {
              header: 'Workflow',
              cell: (t) => <Link to={`/orgs/${orgId}/workflows/${encodeURIComponent(t.workflowId)}`}>{flows.get(t.workflowId)?.name ?? t.workflowId}</Link>,
            },
            {
              header: 'About',
              cell: (t) => {
                const w = flows.get(t.workflowId);
                return w ? <SubjectLink subject={w.subject} /> : <span className="muted">…</span>;
              },
            },
            { header: 'Assigned to', cell: (t) => assigneeText(t, emails) },
            { header: 'Due', cell: (t) => <DueCell task={t} today={today} /> },
            { header: 'Actions', cell: (t) => <TaskActions task={t} label={`${t.name} of ${flows.get(t.workflowId)?.name ?? t.workflowId}`} onDone={onDone(t)} /> },
          ]}
        />
      )}
    </Section>
  );
}
