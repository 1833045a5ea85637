/**
 * Why "Activate" failed. A deposit over the jurisdiction's cap (409 naming the rule) reads as
 * the API's sentence; an owner may then activate anyway, saying why (the override is audited
 * and reported to webhooks), while anyone else is told only an owner can. Any other failure is
 * the usual problem box.
 */
import { useState, type FormEvent } from 'react';
import { ApiError } from '@/api/problem';
import { FormError, TextAreaField } from '@/components/Field';
import { useCan } from '@/lib/org';
import { useFocusFirst } from './focus';
import { useActivateAnyway } from './LeaseActions';
import type { Lease } from './data';

const REASON_MAX = 200;

/**
 * The API's message when activation is refused by a limit an owner may override (the 409 says
 * so with `{"override": …}`), as a sentence without that instruction for API clients; null for
 * any other error.
 */
export function overridableLimit(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const detail = error.problem.detail ?? '';
  if (!detail.includes('"override"')) return null;
  const message = detail.split(/;\s*an owner may\b/)[0]?.trim() ?? detail;
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}${/[.!?]$/.test(message) ? '' : '.'}`;
}

function OverrideForm({ lease, onCancel, onActivated }: { lease: Lease; onCancel: () => void; onActivated: () => void }) {
  const focusRef = useFocusFirst<HTMLFormElement>();
  const activate = useActivateAnyway(lease);
  const [reason, setReason] = useState('');
  const [checked, setChecked] = useState(false);
  const problem = !reason.trim() ? 'Say why the lease is activated past the limit.' : reason.trim().length > REASON_MAX ? `At most ${REASON_MAX} characters.` : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (problem) return;
    activate.mutate(reason.trim(), { onSuccess: onActivated });
  };
  return (
    <form ref={focusRef} className="form leases-override-form" onSubmit={submit} noValidate aria-label="Activate anyway">
      <FormError error={activate.error} shown={['override.reason']} />
      <TextAreaField
        label="Reason"
        name="override.reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={activate.error}
        invalid={checked ? problem : null}
        hint="Kept in the audit log with the rule and the amounts, e.g. “tenant asked to prepay; counsel approved”."
        rows={2}
        maxLength={REASON_MAX}
        required
      />
      <div className="form-actions">
        <button type="submit" className="btn danger" disabled={activate.isPending}>
          {activate.isPending ? 'Activating…' : 'Activate anyway'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function ActivationProblem({ lease, error, onActivated }: { lease: Lease; error: unknown; onActivated: () => void }) {
  const owner = useCan('policyManage');
  const [overriding, setOverriding] = useState(false);
  const limit = overridableLimit(error);
  if (!error) return null;
  if (!limit) return <FormError error={error} />;
  return (
    <section className="card leases-form leases-override" aria-labelledby="override-title">
      <h2 id="override-title">Over the jurisdiction’s limit</h2>
      <p className="error-box" role="alert">
        {limit}
      </p>
      {!owner ? (
        <p className="muted">Only an owner can activate a lease past this limit. Lower the deposit under “Edit terms”, or ask an owner.</p>
      ) : overriding ? (
        <OverrideForm lease={lease} onCancel={() => setOverriding(false)} onActivated={onActivated} />
      ) : (
        <>
          <p>Lower the deposit under “Edit terms”, or, as an owner, activate the lease anyway: you say why, and the override is recorded in the audit log.</p>
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setOverriding(true)}>
              Activate anyway
            </button>
          </div>
        </>
      )}
    </section>
  );
}
