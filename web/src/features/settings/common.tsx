/** Small pieces the settings tabs share. */
import { useId, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '@/api/client';
import { FormError } from '@/components/Field';

/** What a tab shows to a role that may not see it (the tab itself is hidden). */
export function NotAllowed({ what }: { what: string }) {
  return (
    <div className="empty" role="note">
      Your role does not give access to {what}.
    </div>
  );
}

/** A labelled checkbox. */
export function Checkbox({ label, checked, onChange, name }: { label: ReactNode; checked: boolean; onChange: (v: boolean) => void; name?: string }) {
  const id = useId();
  return (
    <div className="check">
      <input id={id} type="checkbox" name={name} checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

/** Read-only facts as a description list. */
export function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {items.map(([k, v]) => (
        <div key={k} style={{ display: 'contents' }}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A destructive action confirmed by a second click ("Remove" → "Confirm remove"). */
export function ConfirmButton({ label, confirmLabel, onConfirm, pending }: { label: string; confirmLabel: string; onConfirm: () => void; pending?: boolean }) {
  const [armed, setArmed] = useState(false);
  if (!armed)
    return (
      <button type="button" className="btn danger" onClick={() => setArmed(true)}>
        {label}
      </button>
    );
  return (
    <span className="row-actions">
      <button
        type="button"
        className="btn danger"
        disabled={pending}
        onClick={() => {
          onConfirm();
        }}
      >
        {pending ? 'Working…' : confirmLabel}
      </button>
      <button type="button" className="btn" onClick={() => setArmed(false)}>
        Cancel
      </button>
    </span>
  );
}

/** Members' emails by user id (every page), to name actors; ids of members since removed stay ids. */
export function useMemberEmails(orgId: string, enabled = true) {
  return useQuery({
    queryKey: ['orgs', orgId, 'members', 'emails'],
    queryFn: async ({ signal }) => {
      const emails = new Map<string, string>();
      let cursor: string | undefined;
      for (let i = 0; i < 50; i++) {
        const page = await apiGet('/api/v1/orgs/{orgId}/members', { orgId }, { limit: 200, cursor }, { signal });
        for (const m of page.items) emails.set(m.userId, m.email);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return emails;
    },
    enabled,
    staleTime: 60_000,
  });
}

/**
 * The confirmation step of disconnecting an integration: what happens (and what stays), the
 * error if the disconnect failed, confirm and cancel.
 */
export function ConfirmDisconnect({
  title,
  explain,
  mutation,
  onConfirm,
  onCancel,
  level = 3,
  card = true,
}: {
  title: ReactNode;
  explain: ReactNode;
  mutation: { error: unknown; isPending: boolean };
  onConfirm: () => void;
  onCancel: () => void;
  /** The heading's level in its page (3 in a section, 4 inside a card). */
  level?: 3 | 4;
  card?: boolean;
}) {
  const headingId = useId();
  const Heading = level === 3 ? 'h3' : 'h4';
  return (
    <div className={card ? 'card settings-form form-section' : 'form-section'} role="group" aria-labelledby={headingId}>
      <Heading id={headingId}>{title}</Heading>
      <p>{explain}</p>
      <FormError error={mutation.error} />
      <div className="form-actions">
        <button type="button" className="btn danger" disabled={mutation.isPending} onClick={onConfirm}>
          {mutation.isPending ? 'Disconnecting…' : 'Confirm disconnect'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
