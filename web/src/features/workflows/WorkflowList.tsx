/** The org's workflows, newest first: what each is about, its status, where it stands. */
import { Link } from 'react-router-dom';
import { LoadMore } from '@/components/Paged';
import { Section } from '@/components/Page';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatInstant } from '@/lib/dates';
import { useOrg } from '@/lib/org';
import { SubjectLink, WorkflowStatusBadge } from './Bits';
import { useMemberEmails, useWorkflowList } from './data';
import { assigneeText, type Workflow } from './model';

function Standing({ w }: { w: Workflow }) {
  const { org } = useOrg();
  const emails = useMemberEmails();
  const open = w.tasks.find((t) => t.status === 'open');
  if (w.status === 'open' && open) return <>{`${open.name} · ${assigneeText(open, emails)}`}</>;
  if (w.closedAt) return <span className="muted">Closed {formatInstant(w.closedAt, org.timezone)}</span>;
  return <span className="muted">—</span>;
}

export function WorkflowList() {
  const { orgId, org } = useOrg();
  const list = useWorkflowList();
  return (
    <Section title="Workflows">
      {list.isPending ? (
        <Loading label="Loading workflows…" />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : list.items.length === 0 ? (
        <Empty>No workflow has started yet: one starts when an event meets a definition’s trigger.</Empty>
      ) : (
        <>
          <Table<Workflow>
            caption="Workflows, newest first"
            rows={list.items}
            rowKey={(w) => w.id}
            columns={[
              { header: 'Workflow', cell: (w) => <Link to={`/orgs/${orgId}/workflows/${encodeURIComponent(w.id)}`}>{w.name}</Link> },
              { header: 'About', cell: (w) => <SubjectLink subject={w.subject} /> },
              { header: 'Status', cell: (w) => <WorkflowStatusBadge status={w.status} /> },
              { header: 'Now', cell: (w) => <Standing w={w} /> },
              { header: 'Started', cell: (w) => formatInstant(w.startedAt, org.timezone) },
            ]}
          />
          <LoadMore query={list} />
        </>
      )}
    </Section>
  );
}
