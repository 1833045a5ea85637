/**
 * "New workflow" (owners only): what starts it (an event of the catalog and, optionally, a
 * condition on its payload), its steps in order (each for anyone of a role or one member, with
 * an optional due time), and what completing it does. "Expense approval over a threshold" fills
 * the form in one click. Checked before sending; the API's field errors show under their inputs
 * (`trigger.condition`, `steps[0]`, `onComplete`…).
 */
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '@/api/client';
import { ApiError } from '@/api/problem';
import { FormError, SelectField, TextField } from '@/components/Field';
import { ErrorState } from '@/components/QueryState';
import { normalizeAmount } from '@/lib/money';
import { useOrg } from '@/lib/org';
import { keys, useEventTypes, useMembers } from './data';
import {
  ASSIGNABLE_ROLES,
  buildDefinition,
  emptyDefinition,
  emptyStep,
  expenseApprovalTemplate,
  onCompleteFor,
  ROLE_LABEL,
  type CreateDefinition,
  type Definition,
  type DefinitionDraft,
  type StepDraft,
} from './model';

/** The API's message for exactly `field` (not for what is nested under it). */
function exactError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.problem.errors?.find((e) => e.field === field)?.message : undefined;
}

type SetDraft = (f: (d: DefinitionDraft) => DefinitionDraft) => void;

function Template({ onUse }: { onUse: (d: DefinitionDraft) => void }) {
  const { org } = useOrg();
  const currency = org.baseCurrency;
  const [threshold, setThreshold] = useState('500.00');
  const [invalid, setInvalid] = useState<string | null>(null);
  return (
    <fieldset className="form wf-template">
      <legend>Start from a template</legend>
      <p className="muted">
        <strong>Expense approval over a threshold</strong>: a new expense of more than the threshold is held, not booked, until an owner approves it (within 3 days); rejected, it is
        void.
      </p>
      <div className="form-row wf-template-row">
        <TextField
          label={`Approval threshold (${currency})`}
          name="threshold"
          inputMode="decimal"
          autoComplete="off"
          value={threshold}
          onChange={(e) => setThreshold(e.target.value)}
          invalid={invalid}
          hint="Expenses over this amount wait for approval."
        />
        <div className="wf-template-use">
          <button
            type="button"
            className="btn"
            onClick={() => {
              const d = expenseApprovalTemplate(threshold, currency);
              setInvalid(d ? null : `Enter an amount in ${currency}, such as ${normalizeAmount('500', currency) ?? '500.00'}.`);
              if (d) onUse(d);
            }}
          >
            Use this template
          </button>
        </div>
      </div>
    </fieldset>
  );
}

function StepRow({ i, step, count, setDraft, error, invalid }: { i: number; step: StepDraft; count: number; setDraft: SetDraft; error: unknown; invalid: Record<string, string> }) {
  const members = useMembers();
  const set = (patch: Partial<StepDraft>) => setDraft((d) => ({ ...d, steps: d.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)) }));
  const n = i + 1;
  const who = step.kind === 'member' ? 'member' : `role:${step.role}`;
  const whoError = invalid[`steps[${i}]`] ?? exactError(error, `steps[${i}]`) ?? exactError(error, `steps[${i}].assigneeRole`);
  return (
    <div className="form-row wf-step" role="group" aria-label={`Step ${n}`}>
      <TextField label={`Step ${n} name`} name={`steps[${i}].name`} value={step.name} onChange={(e) => set({ name: e.target.value })} error={error} invalid={invalid[`steps[${i}].name`]} maxLength={100} autoComplete="off" />
      <SelectField
        label={`Step ${n}: who acts`}
        name={`steps[${i}].assignee`}
        value={who}
        onChange={(e) => {
          const v = e.target.value;
          if (v === 'member') set({ kind: 'member' });
          else set({ kind: 'role', role: v.slice(5) as StepDraft['role'] });
        }}
        invalid={whoError}
      >
        {ASSIGNABLE_ROLES.map((r) => (
          <option key={r} value={`role:${r}`}>
            Any {ROLE_LABEL[r].toLowerCase()}
          </option>
        ))}
        <option value="member">One member…</option>
      </SelectField>
      {step.kind === 'member' ? (
        <SelectField label={`Step ${n} member`} name={`steps[${i}].assigneeUserId`} value={step.userId} onChange={(e) => set({ userId: e.target.value })} error={error} invalid={invalid[`steps[${i}].assigneeUserId`]}>
          <option value="">{members.isPending ? 'Loading members…' : 'Choose a member'}</option>
          {(members.data ?? [])
            .filter((m) => m.role !== 'readonly')
            .map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.email} ({ROLE_LABEL[m.role].toLowerCase()})
              </option>
            ))}
        </SelectField>
      ) : null}
      <TextField
        label={`Step ${n} due within (days)`}
        name={`steps[${i}].dueInDays`}
        inputMode="numeric"
        autoComplete="off"
        value={step.dueInDays}
        onChange={(e) => set({ dueInDays: e.target.value })}
        error={error}
        invalid={invalid[`steps[${i}].dueInDays`]}
        hint="Optional: 0–365."
      />
      {count > 1 ? (
        <div className="wf-step-remove">
          <button type="button" className="btn" onClick={() => setDraft((d) => ({ ...d, steps: d.steps.filter((_, j) => j !== i) }))}>
            Remove step {n}
          </button>
        </div>
      ) : null}
    </div>
  );
}

export function DefinitionForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (d: Definition) => void }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const eventTypes = useEventTypes();
  const [draft, setDraft] = useState<DefinitionDraft>(emptyDefinition);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [filled, setFilled] = useState(false);
  const create = useMutation({
    mutationFn: (body: CreateDefinition) => apiPost('/api/v1/orgs/{orgId}/workflow-definitions', { orgId }, body),
    onSuccess: async (d) => {
      onCreated(d);
      await qc.invalidateQueries({ queryKey: keys.definitions(orgId) });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { body, errors } = buildDefinition(draft, eventTypes.data);
    setInvalid(errors);
    if (body) create.mutate(body);
  };
  const types = eventTypes.data ?? [];
  const stepsError = invalid.steps ?? exactError(create.error, 'steps');
  return (
    <form className="form card wf-form" onSubmit={submit} noValidate aria-labelledby="wf-form-heading">
      <h3 id="wf-form-heading">New workflow</h3>
      <Template
        onUse={(d) => {
          setDraft(d);
          setInvalid({});
          create.reset();
          setFilled(true);
        }}
      />
      {filled ? (
        <p className="muted" role="status">
          Filled in from the template: check it, then create it.
        </p>
      ) : null}
      <FormError error={create.error} shown={['name', 'trigger', 'steps', 'onComplete', 'enabled']} />
      {eventTypes.error ? <ErrorState error={eventTypes.error} /> : null}
      <TextField label="Name" name="name" value={draft.name} onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))} error={create.error} invalid={invalid.name} maxLength={200} autoComplete="off" required />
      <fieldset className="form">
        <legend>Starts when</legend>
        <div className="form-row">
          <SelectField
            label="Event"
            name="trigger.eventType"
            value={draft.eventType}
            onChange={(e) => {
              const v = e.target.value;
              setDraft((d) => ({ ...d, eventType: v, onComplete: onCompleteFor(v) }));
            }}
            error={create.error}
            invalid={invalid['trigger.eventType']}
            hint={draft.eventType === 'expense.approval_requested' ? 'A new expense that meets the condition is held, not booked, until the workflow completes.' : 'An event of the catalog.'}
            required
          >
            <option value="">{eventTypes.isPending ? 'Loading events…' : 'Choose an event'}</option>
            {draft.eventType && !types.includes(draft.eventType) ? <option value={draft.eventType}>{draft.eventType}</option> : null}
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Condition"
            name="trigger.condition"
            value={draft.condition}
            onChange={(e) => setDraft((d) => ({ ...d, condition: e.target.value }))}
            error={create.error}
            invalid={invalid['trigger.condition']}
            maxLength={200}
            autoComplete="off"
            spellCheck={false}
            hint={
              <>
                Optional, on the event’s data: <code>amount &gt; 500.00</code>, <code>priority == "emergency"</code>. Operators &gt; &gt;= &lt; &lt;= == !=. Empty: every such event.
              </>
            }
          />
        </div>
      </fieldset>
      <fieldset className="form wf-steps" aria-describedby={stepsError ? 'wf-steps-error' : undefined}>
        <legend>Steps, in order</legend>
        {stepsError ? (
          <p id="wf-steps-error" className="field-error" role="alert">
            {stepsError}
          </p>
        ) : null}
        {draft.steps.map((s, i) => (
          <StepRow key={i} i={i} step={s} count={draft.steps.length} setDraft={setDraft} error={create.error} invalid={invalid} />
        ))}
        {draft.steps.length < 10 ? (
          <div>
            <button type="button" className="btn" onClick={() => setDraft((d) => ({ ...d, steps: [...d.steps, emptyStep()] }))}>
              Add step
            </button>
          </div>
        ) : null}
      </fieldset>
      <div className="form-row">
        <SelectField
          label="When the last step is done"
          name="onComplete"
          value={draft.onComplete}
          onChange={(e) => {
            const v = e.target.value as DefinitionDraft['onComplete'];
            setDraft((d) => ({ ...d, onComplete: v }));
          }}
          error={create.error}
          invalid={invalid.onComplete}
          hint="Booking the held expense goes with the event expense.approval_requested, and only with it."
        >
          <option value="">Nothing more</option>
          <option value="approve_expense">Book the held expense (a rejection voids it)</option>
        </SelectField>
        <div className="wf-check">
          <input id="wf-enabled" type="checkbox" name="enabled" checked={draft.enabled} onChange={(e) => setDraft((d) => ({ ...d, enabled: e.target.checked }))} />
          <label htmlFor="wf-enabled">Enabled: start it on every matching event</label>
        </div>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create workflow'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
