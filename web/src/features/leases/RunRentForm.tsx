import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost, type Schemas } from '@/api/client';
import { FormError, TextField } from '@/components/Field';
import { formatDay, todayIn } from '@/lib/dates';
import { useOrg } from '@/lib/org';
import { keys } from './data';

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function rentRunSummary(r: Schemas['RentRunReport']): string {
  const through = r.throughDate ? ` through ${formatDay(r.throughDate)}` : '';
  const parts = [
    `Rent run${through}: ${plural(r.chargesCreated, 'charge', 'charges')} created`,
    `${plural(r.chargesExisting, 'charge', 'charges')} already there`,
    `${plural(r.leases, 'lease', 'leases')} looked at.`,
  ];
  const more = r.complete ? '' : ' Some leases have more months to catch up: run it again to continue.';
  return parts.join(', ') + more;
}

/** "Run rent": every rent and deposit charge due through a day (default today in the org's zone). */
export function RunRentForm() {
  const { orgId, org } = useOrg();
  const qc = useQueryClient();
  const [through, setThrough] = useState(() => todayIn(org.timezone));
  const run = useMutation({
    mutationFn: () => apiPost('/api/v1/orgs/{orgId}/rent-runs', { orgId }, { throughDate: through || null }),
    onSuccess: async () => {
      await Promise.all([qc.invalidateQueries({ queryKey: keys.leases(orgId) }), qc.invalidateQueries({ queryKey: keys.delinquency(orgId) })]);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate();
  };
  return (
    <form className="form card narrow leases-form" onSubmit={submit} noValidate>
      <p className="muted">Creates every rent and deposit charge due through the day (plus the org&apos;s lead time). Safe to repeat: nothing is billed twice.</p>
      <FormError error={run.error} shown={['throughDate']} />
      <div className="form-row">
        <TextField label="Through date" name="throughDate" type="date" value={through} onChange={(e) => setThrough(e.target.value)} error={run.error} />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={run.isPending}>
          Run rent
        </button>
      </div>
      <div role="status" aria-live="polite">
        {run.isPending ? <p className="muted">Running…</p> : null}
        {run.data ? <p className="ok-box">{rentRunSummary(run.data)}</p> : null}
      </div>
    </form>
  );
}
