/** Query keys and reads of the workflows screens: my tasks, instances, definitions, the event catalog, members. */
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, type Schemas } from '@/api/client';
import { usePaged } from '@/components/Paged';
import { fetchAll } from '@/lib/lookups';
import { useOrg } from '@/lib/org';
import type { Workflow } from './model';

export const keys = {
  /** The catalog is the same for every org. */
  eventTypes: ['event-types'] as const,
  workflows: (orgId: string) => ['orgs', orgId, 'workflows'] as const,
  workflowList: (orgId: string) => ['orgs', orgId, 'workflows', 'list'] as const,
  workflow: (orgId: string, id: string) => ['orgs', orgId, 'workflows', id] as const,
  tasks: (orgId: string) => ['orgs', orgId, 'tasks'] as const,
  myTasks: (orgId: string) => ['orgs', orgId, 'tasks', 'mine'] as const,
  definitions: (orgId: string) => ['orgs', orgId, 'workflow-definitions'] as const,
  members: (orgId: string) => ['orgs', orgId, 'members', 'all'] as const,
  /** The expense screens' keys (an approval books or voids the expense). */
  expenses: (orgId: string) => ['orgs', orgId, 'expenses'] as const,
  expense: (orgId: string, id: string) => ['orgs', orgId, 'expenses', id] as const,
};

/** The open tasks the caller may act on (the runtime opens them a moment after the event: polled). */
export function useMyTasks(enabled = true) {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: keys.myTasks(orgId),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/tasks', { orgId }, { assignee: 'me' }, { signal }).then((r) => r.items),
    enabled,
    refetchInterval: 15_000,
  });
}

export function useWorkflowList() {
  const { orgId } = useOrg();
  return usePaged<Workflow>(keys.workflowList(orgId), (cursor, signal) => apiGet('/api/v1/orgs/{orgId}/workflows', { orgId }, { limit: 25, cursor }, { signal }));
}

export function useWorkflow(workflowId: string) {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: keys.workflow(orgId, workflowId),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/workflows/{workflowId}', { orgId, workflowId }, undefined, { signal }),
    enabled: !!workflowId,
  });
}

/** Each of `ids`' workflow (a task names only its workflow's id), by id once loaded. */
export function useWorkflowsById(ids: string[]): Map<string, Workflow> {
  const { orgId } = useOrg();
  const unique = [...new Set(ids)];
  const results = useQueries({
    queries: unique.map((workflowId) => ({
      queryKey: keys.workflow(orgId, workflowId),
      queryFn: ({ signal }: { signal: AbortSignal }) => apiGet('/api/v1/orgs/{orgId}/workflows/{workflowId}', { orgId, workflowId }, undefined, { signal }),
      staleTime: 10_000,
    })),
  });
  const out = new Map<string, Workflow>();
  results.forEach((r, i) => {
    if (r.data) out.set(unique[i] ?? '', r.data);
  });
  return out;
}

export function useDefinitions() {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: keys.definitions(orgId),
    queryFn: ({ signal }) => fetchAll((cursor) => apiGet('/api/v1/orgs/{orgId}/workflow-definitions', { orgId }, { limit: 200, cursor }, { signal })),
  });
}

/** The event types a workflow may start on: the catalog but the workflows' own events. */
export function useEventTypes(enabled = true) {
  return useQuery({
    queryKey: keys.eventTypes,
    queryFn: ({ signal }) => apiGet('/api/v1/event-types', {}, undefined, { signal }).then((r) => r.items.map((t) => t.type).filter((t) => !t.startsWith('workflow.')).sort()),
    enabled,
    staleTime: 60 * 60_000,
  });
}

/** Every member (for a step's member, and to name who acted). */
export function useMembers() {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: keys.members(orgId),
    queryFn: ({ signal }): Promise<Schemas['Member'][]> => fetchAll((cursor) => apiGet('/api/v1/orgs/{orgId}/members', { orgId }, { limit: 200, cursor }, { signal })),
    staleTime: 60_000,
  });
}

/** Members' emails by user id (empty while loading). */
export function useMemberEmails(): Map<string, string> {
  const members = useMembers();
  return new Map((members.data ?? []).map((m) => [m.userId, m.email]));
}

/** After a task was acted on: the answer cached, and what it may have changed read again. */
export function useAfterAction() {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  return async (w: Workflow) => {
    qc.setQueryData(keys.workflow(orgId, w.id), w);
    const again = [qc.invalidateQueries({ queryKey: keys.tasks(orgId) }), qc.invalidateQueries({ queryKey: keys.workflowList(orgId) })];
    if (w.subject.type === 'expense') again.push(qc.invalidateQueries({ queryKey: keys.expenses(orgId) }));
    await Promise.all(again);
  };
}
