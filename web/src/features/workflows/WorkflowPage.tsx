/**
 * `/orgs/:orgId/workflows/:workflowId`: what the workflow is about (linked), its tasks with
 * their status, due day, who did them and their comments (an open task the caller may act on
 * has Approve / Reject), and the timeline: when, what, by whom — who approved what.
 */
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { PageHeader, Section } from '@/components/Page';
import { ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatInstant, todayIn } from '@/lib/dates';
import { useCan, useMe, useOrg } from '@/lib/org';
import { DueCell, SubjectLink, TaskStatusBadge, WorkflowStatusBadge } from './Bits';
import { useMemberEmails, useWorkflow } from './data';
import { actorText, assigneeText, mayAct, ON_COMPLETE_TEXT, timelineWhat, type Task, type TimelineEntry } from './model';
import { TaskActions } from './TaskActions';
import './workflows.css';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export default function WorkflowPage() {
  const { workflowId = '' } = useParams();
  const { orgId, org, role } = useOrg();
  const act = useCan('workflowAct');
  const me = useMe();
  const q = useWorkflow(workflowId);
  const emails = useMemberEmails();
  const [done, setDone] = useState<string | null>(null);
  const back = (
    <Link to={`/orgs/${orgId}/workflows`} className="btn">
      All approvals
    </Link>
  );
  if (q.isPending || q.error)
    return (
      <>
        <PageHeader title="Workflow" actions={back} />
        {q.error ? <ErrorState error={q.error} /> : <Loading />}
      </>
    );
  const w = q.data;
  const today = todayIn(org.timezone);
  const actionable = act ? w.tasks.filter((t) => mayAct(t, role, me.data?.userId)) : [];
  const tz = org.timezone;
  return (
    <>
      <PageHeader title={w.name} actions={back}>
        <p>
          <WorkflowStatusBadge status={w.status} /> <span className="muted">Started {formatInstant(w.startedAt, tz)}</span>
        </p>
      </PageHeader>
      {done ? (
        <p className="ok-box" role="status">
          {done}
        </p>
      ) : null}
      <Section title="About">
        <dl className="wf-facts card">
          <Fact label="Subject">
            <SubjectLink subject={w.subject} />
          </Fact>
          <Fact label="Started by">
            <code>{w.eventType}</code>
          </Fact>
          <Fact label="Status">
            <WorkflowStatusBadge status={w.status} />
          </Fact>
          <Fact label="Started">{formatInstant(w.startedAt, tz)}</Fact>
          <Fact label="Closed">{w.closedAt ? formatInstant(w.closedAt, tz) : '—'}</Fact>
          <Fact label="When done">{w.onComplete ? ON_COMPLETE_TEXT[w.onComplete] : 'Nothing more'}</Fact>
        </dl>
      </Section>
      <Section title="Tasks">
        <Table<Task & { n: number }>
          caption="Tasks of this workflow"
          rows={w.tasks.map((t, i) => ({ ...t, n: i + 1 }))}
          rowKey={(t) => t.id}
          columns={[
            { header: 'Step', cell: (t) => t.n, numeric: true },
            { header: 'Task', cell: (t) => <strong>{t.name}</strong> },
            { header: 'Assigned to', cell: (t) => assigneeText(t, emails) },
            { header: 'Status', cell: (t) => <TaskStatusBadge status={t.status} /> },
            { header: 'Due', cell: (t) => <DueCell task={t} today={today} /> },
            { header: 'Done by', cell: (t) => actorText(t.doneBy, emails) },
            { header: 'Done', cell: (t) => (t.doneAt ? formatInstant(t.doneAt, tz) : '—') },
            { header: 'Comment', cell: (t) => (t.comment ? <span className="wf-cell">{t.comment}</span> : <span className="muted">—</span>) },
            ...(actionable.length
              ? [
                  {
                    header: 'Actions',
                    cell: (t: Task) =>
                      actionable.some((a) => a.id === t.id) ? (
                        <TaskActions
                          task={t}
                          label={t.name}
                          onDone={(x, approved) => setDone(`${approved ? 'Approved' : 'Rejected'} “${t.name}”${x.status === 'open' ? ': the next step is open.' : `: the workflow is ${x.status}.`}`)}
                        />
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      </Section>
      <Section title="Timeline">
        <Table<TimelineEntry & { i: number }>
          caption="Timeline of this workflow"
          rows={w.timeline.map((e, i) => ({ ...e, i }))}
          rowKey={(e) => String(e.i)}
          columns={[
            { header: 'When', cell: (e) => formatInstant(e.at, tz) },
            { header: 'What', cell: (e) => timelineWhat(e.what) },
            { header: 'By', cell: (e) => actorText(e.by, emails) },
            { header: 'Detail', cell: (e) => (e.detail ? <span className="wf-cell">{e.detail}</span> : <span className="muted">—</span>) },
          ]}
        />
      </Section>
    </>
  );
}
