/**
 * Query keys, reads and words of the maintenance screens: requests (a paged list, one request),
 * their statuses and priorities as people read them, what each status lets you do next, and the
 * board's order (what is still to do first, emergencies leading).
 */
import { useQuery } from '@tanstack/react-query';
import { apiGet, type Schemas } from '@/api/client';
import { usePaged } from '@/components/Paged';
import { useOrg } from '@/lib/org';

export type MaintenanceRequest = Schemas['MaintenanceRequest'];
export type MaintenanceStatus = Schemas['MaintenanceStatus'];
export type Priority = Schemas['Priority'];
export type CostCategory = Schemas['CostCategory'];

export const keys = {
  /** Every maintenance query of the org (the list and each request) sits under this. */
  all: (orgId: string) => ['orgs', orgId, 'maintenance-requests'] as const,
  list: (orgId: string) => ['orgs', orgId, 'maintenance-requests', 'list'] as const,
  one: (orgId: string, requestId: string) => ['orgs', orgId, 'maintenance-requests', requestId] as const,
  /** The dashboard's queries (its open count moves with every request opened or closed). */
  dashboard: (orgId: string) => ['orgs', orgId, 'dashboard'] as const,
  /** The expenses screens' keys: a completed job's cost is an expense (same keys as theirs). */
  expenses: (orgId: string) => ['orgs', orgId, 'expenses'] as const,
  expense: (orgId: string, expenseId: string) => ['orgs', orgId, 'expenses', expenseId] as const,
};

export function useRequests() {
  const { orgId } = useOrg();
  return usePaged(keys.list(orgId), (cursor, signal) => apiGet('/api/v1/orgs/{orgId}/maintenance-requests', { orgId }, { limit: 100, cursor }, { signal }));
}

export function useRequest(requestId: string) {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: keys.one(orgId, requestId),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/maintenance-requests/{requestId}', { orgId, requestId }, undefined, { signal }),
    enabled: !!requestId,
  });
}

/** The expense a completed job's cost was booked as (same key and GET as the expense page). */
export function useExpense(expenseId: string | null | undefined) {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: keys.expense(orgId, expenseId ?? ''),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/expenses/{expenseId}', { orgId, expenseId: expenseId ?? '' }, undefined, { signal }),
    enabled: !!expenseId,
  });
}

export const STATUSES: { value: MaintenanceStatus; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'assigned', label: 'Assigned' },
  { value: 'in_progress', label: 'In progress' },
  { value: 'completed', label: 'Completed' },
  { value: 'cancelled', label: 'Cancelled' },
];

export const PRIORITIES: { value: Priority; label: string }[] = [
  { value: 'low', label: 'Low' },
  { value: 'normal', label: 'Normal' },
  { value: 'urgent', label: 'Urgent' },
  { value: 'emergency', label: 'Emergency' },
];

export const CATEGORIES: { value: CostCategory; label: string }[] = [
  { value: 'repairs', label: 'Repairs' },
  { value: 'cleaning', label: 'Cleaning' },
];

export const statusLabel = (s: MaintenanceStatus) => STATUSES.find((x) => x.value === s)?.label ?? s;
export const priorityLabel = (p: Priority) => PRIORITIES.find((x) => x.value === p)?.label ?? p;

/** Still to be done: what the dashboard counts as open maintenance. */
export function isStillOpen(s: MaintenanceStatus): boolean {
  return s === 'open' || s === 'assigned' || s === 'in_progress';
}

export type Action = 'assign' | 'start' | 'complete' | 'edit' | 'cancel';

/** What a request's status lets a writer do next (the API answers 409 to anything else). */
export function actionsFor(s: MaintenanceStatus): Action[] {
  switch (s) {
    case 'open':
      return ['assign', 'edit', 'cancel'];
    case 'assigned':
      return ['start', 'complete', 'assign', 'edit', 'cancel'];
    case 'in_progress':
      return ['complete', 'edit', 'cancel'];
    default:
      return [];
  }
}

/** The list's filter: every request, those still to do, or one status. */
export type StatusFilter = 'all' | 'to_do' | MaintenanceStatus;

export function matches(filter: StatusFilter, s: MaintenanceStatus): boolean {
  if (filter === 'all') return true;
  if (filter === 'to_do') return isStillOpen(s);
  return filter === s;
}

const PRIORITY_RANK: Record<Priority, number> = { emergency: 0, urgent: 1, normal: 2, low: 3 };

/** Still to do first (emergencies, then urgent, normal, low), each group newest first; then the rest, newest first. */
export function boardOrder<T extends Pick<MaintenanceRequest, 'status' | 'priority' | 'createdAt' | 'id'>>(items: readonly T[]): T[] {
  const group = (r: T) => (isStillOpen(r.status) ? PRIORITY_RANK[r.priority] : 10);
  return [...items].sort((a, b) => group(a) - group(b) || b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}
