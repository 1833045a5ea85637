/**
 * The org's workflow definitions: what starts each, its steps, what completing it does, and
 * whether it is enabled. Owners create them (with the expense-approval template) and switch
 * them on and off (running workflows go on either way).
 */
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPatch } from '@/api/client';
import { FormError } from '@/components/Field';
import { Section } from '@/components/Page';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { useCan, useOrg } from '@/lib/org';
import { keys, useDefinitions, useMemberEmails } from './data';
import { DefinitionForm } from './DefinitionForm';
import { ON_COMPLETE_TEXT, stepText, type Definition } from './model';

function EnabledToggle({ definition, onChanged }: { definition: Definition; onChanged: (d: Definition) => void }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const toggle = useMutation({
    mutationFn: () => apiPatch('/api/v1/orgs/{orgId}/workflow-definitions/{definitionId}', { orgId, definitionId: definition.id }, { enabled: !definition.enabled }),
    onSuccess: async (d) => {
      onChanged(d);
      await qc.invalidateQueries({ queryKey: keys.definitions(orgId) });
    },
  });
  const verb = definition.enabled ? 'Disable' : 'Enable';
  return (
    <div className="wf-actions">
      <button type="button" className={definition.enabled ? 'btn' : 'btn primary'} aria-label={`${verb} ${definition.name}`} disabled={toggle.isPending} onClick={() => toggle.mutate()}>
        {toggle.isPending ? 'Saving…' : verb}
      </button>
      <FormError error={toggle.error} />
    </div>
  );
}

export function Definitions() {
  const manage = useCan('workflowManage');
  const defs = useDefinitions();
  const emails = useMemberEmails();
  const [creating, setCreating] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const list = defs.data ?? [];
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
        New workflow
      </button>
    ) : null;
  return (
    <Section title="Workflow definitions" actions={actions}>
      <p className="muted">A definition starts a workflow on every event that meets its trigger; each step is a task for its assignee, and the next opens when one is approved.</p>
      {done ? (
        <p className="ok-box" role="status">
          {done}
        </p>
      ) : null}
      {creating ? (
        <DefinitionForm
          onCancel={() => setCreating(false)}
          onCreated={(d) => {
            setCreating(false);
            setDone(`Created “${d.name}”: it starts on ${d.trigger.eventType}${d.trigger.condition ? ` when ${d.trigger.condition}` : ''}.`);
          }}
        />
      ) : null}
      {defs.isPending ? (
        <Loading label="Loading definitions…" />
      ) : defs.error ? (
        <ErrorState error={defs.error} />
      ) : list.length === 0 ? (
        <Empty>No workflow is defined yet.</Empty>
      ) : (
        <Table<Definition>
          caption="Definitions"
          rows={list}
          rowKey={(d) => d.id}
          columns={[
            { header: 'Name', cell: (d) => <strong>{d.name}</strong> },
            {
              header: 'Starts on',
              cell: (d) => (
                <span className="wf-cell">
                  <code>{d.trigger.eventType}</code>
                  {d.trigger.condition ? <span>when <code>{d.trigger.condition}</code></span> : <span className="muted">every event</span>}
                </span>
              ),
            },
            {
              header: 'Steps',
              cell: (d) => (
                <ol className="wf-step-list">
                  {d.steps.map((s, i) => (
                    <li key={i}>{stepText(s, emails)}</li>
                  ))}
                </ol>
              ),
            },
            { header: 'When done', cell: (d) => (d.onComplete ? ON_COMPLETE_TEXT[d.onComplete] : <span className="muted">Nothing more</span>) },
            { header: 'State', cell: (d) => (d.enabled ? <span className="status wf-enabled">Enabled</span> : <span className="status wf-disabled">Disabled</span>) },
            ...(manage
              ? [{ header: 'Actions', cell: (d: Definition) => <EnabledToggle definition={d} onChanged={(x) => setDone(`${x.enabled ? 'Enabled' : 'Disabled'} “${x.name}”.`)} /> }]
              : []),
          ]}
        />
      )}
      {!manage ? <p className="muted">Only an owner can create or change workflows.</p> : null}
    </Section>
  );
}
