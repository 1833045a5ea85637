/** A request's status and priority as words (never by colour alone); an emergency stands out. */
import { priorityLabel, statusLabel, type MaintenanceStatus, type Priority } from './data';

export function StatusBadge({ status }: { status: MaintenanceStatus }) {
  return <span className={`status mnt-status-${status}`}>{statusLabel(status)}</span>;
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  return (
    <span className={`status mnt-priority-${priority}`}>
      {priority === 'emergency' ? (
        <span aria-hidden="true" className="mnt-alarm">
          !{' '}
        </span>
      ) : null}
      {priorityLabel(priority)}
    </span>
  );
}
