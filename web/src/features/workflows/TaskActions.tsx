/**
 * Approve or reject an open task: approving is one click; rejecting asks why (the comment is
 * kept on the task and in the timeline). The API's refusal (not the assignee, no longer open)
 * shows under the buttons.
 */
import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { apiPost } from '@/api/client';
import { FormError, TextAreaField } from '@/components/Field';
import { useOrg } from '@/lib/org';
import { useAfterAction } from './data';
import type { Task, Workflow } from './model';

export function TaskActions({ task, label, onDone }: { task: Task; label: string; onDone?: (w: Workflow, approved: boolean) => void }) {
  const { orgId } = useOrg();
  const after = useAfterAction();
  const [rejecting, setRejecting] = useState(false);
  const [comment, setComment] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const act = useMutation({
    mutationFn: ({ approve, comment }: { approve: boolean; comment?: string }) =>
      apiPost(approve ? '/api/v1/orgs/{orgId}/tasks/{taskId}:complete' : '/api/v1/orgs/{orgId}/tasks/{taskId}:reject', { orgId, taskId: task.id }, comment ? { comment } : {}),
    onSuccess: async (w, v) => {
      setRejecting(false);
      onDone?.(w, v.approve);
      await after(w);
    },
  });
  const reject = (e: FormEvent) => {
    e.preventDefault();
    const why = comment.trim();
    if (!why) {
      setInvalid('Say why it is rejected.');
      return;
    }
    setInvalid(null);
    act.mutate({ approve: false, comment: why });
  };
  if (rejecting) {
    return (
      <form className="wf-reject" onSubmit={reject} noValidate aria-label={`Reject ${label}`}>
        <TextAreaField label="Reason" name="comment" value={comment} onChange={(e) => setComment(e.target.value)} error={act.error} invalid={invalid} rows={2} maxLength={500} autoFocus />
        <FormError error={act.error} shown={['comment']} />
        <span className="wf-row-actions">
          <button type="submit" className="btn danger" disabled={act.isPending}>
            {act.isPending ? 'Rejecting…' : 'Confirm reject'}
          </button>
          <button type="button" className="btn" onClick={() => setRejecting(false)}>
            Cancel
          </button>
        </span>
      </form>
    );
  }
  return (
    <div className="wf-actions">
      <span className="wf-row-actions">
        <button type="button" className="btn primary" aria-label={`Approve ${label}`} disabled={act.isPending} onClick={() => act.mutate({ approve: true })}>
          {act.isPending ? 'Approving…' : 'Approve'}
        </button>
        <button
          type="button"
          className="btn danger"
          aria-label={`Reject ${label}`}
          disabled={act.isPending}
          onClick={() => {
            act.reset();
            setRejecting(true);
          }}
        >
          Reject
        </button>
      </span>
      <FormError error={act.error} />
    </div>
  );
}
