/**
 * The org's own rules, which outrank the pack: listed for everyone; created and deleted (with
 * a confirmation) by owners only, as the API allows.
 */
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiDelete, type Schemas } from '@/api/client';
import { FormError } from '@/components/Field';
import { Section } from '@/components/Page';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { todayIn } from '@/lib/dates';
import { useCan, useOrg } from '@/lib/org';
import { areaLabel, conditionInWords, effectiveText, placeCode, placeName, termsInWords } from '@/lib/policies';
import { keys, useOrgRules } from './data';
import { StandingBadge } from './PolicyCard';
import { PolicyForm } from './PolicyForm';

type Policy = Schemas['Policy'];

/** "Delete" → "Delete <name>?" with confirm and cancel; the API's error under it. */
function DeleteRule({ policy, onDeleted }: { policy: Policy; onDeleted: (p: Policy) => void }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const [armed, setArmed] = useState(false);
  const remove = useMutation({
    mutationFn: () => apiDelete('/api/v1/orgs/{orgId}/policies/{policyId}', { orgId, policyId: policy.id }),
    onSuccess: async () => {
      setArmed(false);
      onDeleted(policy);
      await qc.invalidateQueries({ queryKey: keys.policies(orgId) });
    },
  });
  if (!armed) {
    return (
      <button
        type="button"
        className="btn danger"
        aria-label={`Delete ${policy.name}`}
        onClick={() => {
          remove.reset();
          setArmed(true);
        }}
      >
        Delete
      </button>
    );
  }
  return (
    <div className="policy-confirm" role="group" aria-label={`Delete ${policy.name}?`}>
      <p>Delete “{policy.name}”? The built-in rules apply again where it applied.</p>
      <FormError error={remove.error} />
      <span className="row-actions">
        <button type="button" className="btn danger" disabled={remove.isPending} onClick={() => remove.mutate()}>
          {remove.isPending ? 'Deleting…' : 'Confirm delete'}
        </button>
        <button type="button" className="btn" onClick={() => setArmed(false)}>
          Cancel
        </button>
      </span>
    </div>
  );
}

export function OrgRules() {
  const { org } = useOrg();
  const manage = useCan('policyManage');
  const rules = useOrgRules();
  const [creating, setCreating] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const today = todayIn(org.timezone);
  const actions =
    manage && !creating ? (
      <button
        type="button"
        className="btn primary"
        onClick={() => {
          setDone(null);
          setCreating(true);
        }}
      >
        New rule
      </button>
    ) : null;
  const list = rules.data ?? [];
  return (
    <Section title="Your rules" actions={actions}>
      <p className="muted">Rules of your own outrank the built-in ones wherever they apply: a stricter cap, a longer notice, a place the built-in rules do not cover.</p>
      {done ? (
        <p className="ok-box" role="status">
          {done}
        </p>
      ) : null}
      {creating ? (
        <PolicyForm
          onCancel={() => setCreating(false)}
          onCreated={(p) => {
            setCreating(false);
            setDone(`Created “${p.name}” for ${placeCode(p.country, p.region)}.`);
          }}
        />
      ) : null}
      {rules.isPending ? (
        <Loading label="Loading your rules…" />
      ) : rules.error ? (
        <ErrorState error={rules.error} />
      ) : list.length === 0 ? (
        <Empty>No rules of your own: the built-in rules apply.</Empty>
      ) : (
        <Table<Policy>
          caption="Rules of your own"
          rows={list}
          rowKey={(p) => p.id}
          columns={[
            {
              header: 'Rule',
              cell: (p) => (
                <span className="policy-cell" id={`rule-${p.id}`}>
                  <strong>{p.name}</strong>
                  <small className="muted">
                    <code>{p.id}</code>
                  </small>
                </span>
              ),
            },
            { header: 'Area', cell: (p) => areaLabel(p.area) },
            { header: 'Where', cell: (p) => <span title={placeCode(p.country, p.region)}>{placeName(p.country, p.region)}</span> },
            {
              header: 'When',
              cell: (p) => (
                <span className="policy-cell">
                  <span>{effectiveText(p)}</span>
                  <span>
                    <StandingBadge policy={p} today={today} />
                  </span>
                </span>
              ),
            },
            { header: 'Priority', cell: (p) => p.priority, numeric: true },
            {
              header: 'Terms',
              cell: (p) => (
                <span className="policy-cell policy-wide">
                  <span>{termsInWords(p.area, p.rule)}</span>
                  {conditionInWords(p.when) ? <span className="muted">{conditionInWords(p.when)}</span> : null}
                  {p.entityType || p.action ? <span className="muted">Only for {[p.entityType, p.action].filter(Boolean).join(' · ')}.</span> : null}
                </span>
              ),
            },
            ...(manage ? [{ header: 'Actions', cell: (p: Policy) => <DeleteRule policy={p} onDeleted={(d) => setDone(`Deleted “${d.name}”.`)} /> }] : []),
          ]}
        />
      )}
      {!manage ? <p className="muted">Only an owner can create or delete rules.</p> : null}
    </Section>
  );
}
