/**
 * `/orgs/:orgId/workflows` ("Approvals"): the caller's open tasks with Approve / Reject, the
 * org's workflows with their status, and the definitions that start them (owners create them,
 * from the expense-approval template in one click, and switch them on and off).
 */
import { PageHeader } from '@/components/Page';
import { useCan } from '@/lib/org';
import { Definitions } from './Definitions';
import { MyTasks } from './MyTasks';
import { WorkflowList } from './WorkflowList';
import './workflows.css';

export default function WorkflowsPage() {
  const act = useCan('workflowAct');
  return (
    <>
      <PageHeader title="Approvals">
        <p className="muted">Tasks waiting for you, the workflows that ask for them, and what starts a workflow — such as holding an expense over a threshold until an owner approves it.</p>
      </PageHeader>
      {act ? <MyTasks /> : <p className="muted">Read-only members see workflows but do not act on their tasks.</p>}
      <WorkflowList />
      <Definitions />
    </>
  );
}
