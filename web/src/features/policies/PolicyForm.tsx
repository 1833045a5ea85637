/**
 * "New rule" (owners only): where and when it applies, its priority and condition, and the
 * terms of the chosen area only. Checked before sending; the API's field errors show under
 * their inputs (`rule.maxFlat.amount` under "Fee at most", `rule` above the terms).
 */
import { useId, useState, type ChangeEvent, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost, type Schemas } from '@/api/client';
import { ApiError } from '@/api/problem';
import { FormError, SelectField, TextAreaField, TextField } from '@/components/Field';
import { todayIn } from '@/lib/dates';
import { useOrg } from '@/lib/org';
import { POLICY_AREAS, placeCode, type PolicyArea } from '@/lib/policies';
import { keys } from './data';
import { AREA_TERMS, buildCreatePolicy, emptyDraft, hasMoney, hasTiers, type RuleDraft, type TermSpec, type TierDraft, type Tri } from './ruleDraft';

type Policy = Schemas['Policy'];

/** The API's message for exactly `field` (not for what is nested under it). */
function exactError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.problem.errors?.find((e) => e.field === field)?.message : undefined;
}

const TOP_FIELDS = ['name', 'area', 'country', 'region', 'effectiveFrom', 'effectiveTo', 'priority', 'when', 'notes'];

function TriSelect({ label, name, value, onChange, error }: { label: string; name: string; value: Tri; onChange: (v: Tri) => void; error: unknown }) {
  return (
    <SelectField label={label} name={name} value={value} onChange={(e) => onChange(e.target.value as Tri)} error={error}>
      <option value="">Either way</option>
      <option value="yes">Only if yes</option>
      <option value="no">Only if no</option>
    </SelectField>
  );
}

function TermInput({ spec, draft, setDraft, error, invalid }: { spec: TermSpec; draft: RuleDraft; setDraft: (f: (d: RuleDraft) => RuleDraft) => void; error: unknown; invalid?: string }) {
  const id = useId();
  const name = `rule.${spec.key}`;
  if (spec.kind === 'flag') {
    return (
      <div className="check policy-flag">
        <input id={id} type="checkbox" name={name} checked={!!draft.flags[spec.key]} onChange={(e) => setDraft((d) => ({ ...d, flags: { ...d.flags, [spec.key]: e.target.checked } }))} />
        <label htmlFor={id}>{spec.label}</label>
      </div>
    );
  }
  const money = spec.kind === 'money';
  return (
    <TextField
      label={money ? `${spec.label} (${draft.currency.trim().toUpperCase() || 'currency'})` : spec.label}
      name={name}
      inputMode={spec.kind === 'int' ? 'numeric' : 'decimal'}
      autoComplete="off"
      value={draft.terms[spec.key] ?? ''}
      onChange={(e) => {
        const v = e.target.value;
        setDraft((d) => ({ ...d, terms: { ...d.terms, [spec.key]: v } }));
      }}
      error={error}
      invalid={invalid}
      hint={spec.hint ?? (spec.kind === 'int' && spec.max !== undefined ? `${spec.min ?? 0}–${spec.max}.` : undefined)}
    />
  );
}

function TiersEditor({ draft, setDraft, error, invalid }: { draft: RuleDraft; setDraft: (f: (d: RuleDraft) => RuleDraft) => void; error: unknown; invalid: Record<string, string> }) {
  const setTier = (i: number, patch: Partial<TierDraft>) => setDraft((d) => ({ ...d, tiers: d.tiers.map((t, j) => (j === i ? { ...t, ...patch } : t)) }));
  const whole = invalid['rule.tiers'] ?? exactError(error, 'rule.tiers');
  return (
    <fieldset className="form policy-tiers">
      <legend>Notice by length of tenancy</legend>
      <p className="muted">From how many months of tenancy each notice period applies; the first usually starts at 0.</p>
      {whole ? (
        <p className="field-error" role="alert">
          {whole}
        </p>
      ) : null}
      {draft.tiers.map((t, i) => (
        <div className="form-row policy-tier" key={i} role="group" aria-label={`Tier ${i + 1}`}>
          <TextField
            label={`Tier ${i + 1}: from (months of tenancy)`}
            name={`rule.tiers[${i}].minTenureMonths`}
            inputMode="numeric"
            value={t.minTenureMonths}
            onChange={(e) => setTier(i, { minTenureMonths: e.target.value })}
            error={error}
            invalid={invalid[`rule.tiers[${i}].minTenureMonths`]}
          />
          <TextField
            label={`Tier ${i + 1}: notice`}
            name={`rule.tiers[${i}].length`}
            inputMode="numeric"
            value={t.length}
            onChange={(e) => setTier(i, { length: e.target.value })}
            invalid={invalid[`rule.tiers[${i}].length`] ?? exactError(error, `rule.tiers[${i}]`)}
          />
          <SelectField label={`Tier ${i + 1}: in`} name={`rule.tiers[${i}].unit`} value={t.unit} onChange={(e) => setTier(i, { unit: e.target.value as TierDraft['unit'] })}>
            <option value="days">days</option>
            <option value="months">months</option>
          </SelectField>
          {draft.tiers.length > 1 ? (
            <button type="button" className="btn policy-tier-remove" onClick={() => setDraft((d) => ({ ...d, tiers: d.tiers.filter((_, j) => j !== i) }))}>
              Remove tier {i + 1}
            </button>
          ) : null}
        </div>
      ))}
      {draft.tiers.length < 10 ? (
        <div>
          <button type="button" className="btn" onClick={() => setDraft((d) => ({ ...d, tiers: [...d.tiers, { minTenureMonths: '', length: '', unit: d.tiers[d.tiers.length - 1]?.unit ?? 'days' }] }))}>
            Add tier
          </button>
        </div>
      ) : null}
    </fieldset>
  );
}

export function PolicyForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (p: Policy) => void }) {
  const { orgId, org } = useOrg();
  const qc = useQueryClient();
  const [draft, setDraft] = useState(() => emptyDraft(org.country, org.baseCurrency, todayIn(org.timezone)));
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: (body: Schemas['CreatePolicy']) => apiPost('/api/v1/orgs/{orgId}/policies', { orgId }, body),
    onSuccess: async (p) => {
      onCreated(p);
      await qc.invalidateQueries({ queryKey: keys.policies(orgId) });
    },
  });
  const set = (field: 'name' | 'country' | 'region' | 'effectiveFrom' | 'effectiveTo' | 'priority' | 'notes' | 'currency') => (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    const v = e.target.value;
    setDraft((d) => ({ ...d, [field]: v }));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { body, errors } = buildCreatePolicy(draft);
    setInvalid(errors);
    if (body) create.mutate(body);
  };
  const area = POLICY_AREAS.find((a) => a.value === draft.area);
  const terms = AREA_TERMS[draft.area];
  const shown = [...TOP_FIELDS, 'currency', ...terms.map((t) => `rule.${t.key}`), ...(hasTiers(draft.area) ? ['rule.tiers'] : [])];
  const ruleError = invalid.rule ?? exactError(create.error, 'rule');
  const field = (name: 'name' | 'country' | 'region' | 'effectiveFrom' | 'effectiveTo' | 'priority' | 'notes') => ({ name, value: draft[name], onChange: set(name), error: create.error, invalid: invalid[name] });
  const place = draft.country.trim() ? placeCode(draft.country.trim().toUpperCase(), draft.region.trim() || null) : '';
  return (
    <form className="form card policy-form" onSubmit={submit} noValidate aria-labelledby="policy-form-heading">
      <h3 id="policy-form-heading">New rule</h3>
      <p className="muted">Your rule outranks the built-in ones wherever it applies: a region’s rule applies only there, a country’s everywhere in it.</p>
      <FormError error={create.error} shown={shown} shownExactly={['rule']} />
      <div className="form-row">
        <SelectField
          label="Area"
          name="area"
          value={draft.area}
          onChange={(e) => {
            const v = e.target.value as PolicyArea;
            setDraft((d) => ({ ...d, area: v }));
          }}
          error={create.error}
          hint={area?.about}
          required
        >
          {POLICY_AREAS.map((a) => (
            <option key={a.value} value={a.value}>
              {a.label}
            </option>
          ))}
        </SelectField>
        <TextField label="Name" {...field('name')} hint="Optional: e.g. “Our deposit cap”." maxLength={200} autoComplete="off" />
      </div>
      <div className="form-row">
        <TextField label="Country" {...field('country')} hint="Two letters (ISO), e.g. US, GB, DE." maxLength={2} autoComplete="off" spellCheck={false} required />
        <TextField label="Region" {...field('region')} hint={`Optional: a state or region, e.g. NY, CA, ENG. Empty: the whole country.${place ? ` Applies in ${place}.` : ''}`} maxLength={40} autoComplete="off" spellCheck={false} />
      </div>
      <div className="form-row">
        <TextField label="In effect from" type="date" {...field('effectiveFrom')} required />
        <TextField label="In effect through" type="date" {...field('effectiveTo')} hint="Optional: its last day. Empty: open-ended." />
        <TextField label="Priority" {...field('priority')} inputMode="numeric" hint="−1000 to 1000; higher wins among your rules for the same place." />
      </div>
      <fieldset className="form">
        <legend>Applies</legend>
        <div className="form-row">
          <TriSelect label="When the landlord is a small landlord" name="when.smallLandlord" value={draft.smallLandlord} onChange={(v) => setDraft((d) => ({ ...d, smallLandlord: v }))} error={create.error} />
          <TriSelect label="When the tenant is a service member" name="when.serviceMemberTenant" value={draft.serviceMember} onChange={(v) => setDraft((d) => ({ ...d, serviceMember: v }))} error={create.error} />
        </div>
      </fieldset>
      <fieldset className="form" aria-describedby={ruleError ? 'policy-terms-error' : undefined}>
        <legend>Terms of the {area?.label.toLowerCase()} rule</legend>
        {ruleError ? (
          <p id="policy-terms-error" className="field-error" role="alert">
            {ruleError}
          </p>
        ) : null}
        {hasMoney(draft.area) ? (
          <TextField
            label="Currency"
            name="currency"
            value={draft.currency}
            onChange={set('currency')}
            invalid={invalid.currency}
            hint="Of the amounts below, e.g. USD."
            maxLength={3}
            autoComplete="off"
            spellCheck={false}
          />
        ) : null}
        <div className="form-row policy-terms-row">
          {terms.map((spec) => (
            <TermInput key={spec.key} spec={spec} draft={draft} setDraft={setDraft} error={create.error} invalid={invalid[`rule.${spec.key}`]} />
          ))}
        </div>
        {hasTiers(draft.area) ? <TiersEditor draft={draft} setDraft={setDraft} error={create.error} invalid={invalid} /> : null}
      </fieldset>
      <TextAreaField label="Notes" {...field('notes')} rows={2} maxLength={200} hint="Optional: where the rule comes from, or why." />
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create rule'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
