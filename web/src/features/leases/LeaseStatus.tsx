import type { Lease } from './data';

/** A lease's status as text ("draft", "active", "ended"), never by colour alone. */
export function LeaseStatus({ status, prefix = false }: { status: Lease['status']; prefix?: boolean }) {
  return <span className={`status lease-status-${status}`}>{prefix ? `Status: ${status}` : status}</span>;
}
