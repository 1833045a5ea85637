/**
 * `bank/rules`: the org's bank rules in the order they are tried (the first that fits a new
 * transaction nobody recorded books it as an expense, matched to it), a new one (optionally run
 * over the unmatched transactions already here), and deleting one (what it booked stays).
 */
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiDelete, apiGet, apiPost, type Schemas } from '@/api/client';
import { FormError, MoneyField, SelectField, TextField } from '@/components/Field';
import { Section } from '@/components/Page';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatMoney, normalizeAmount, toMinor } from '@/lib/money';
import { useCan, useOrg } from '@/lib/org';
import { bankTransactionsKey } from '@/lib/plaid';
import { accountLabel, bankAccounts, expenseAccounts, keys, useAccounts, useBuildings, useFocusFirst, useRules, useVendors, type BankRule } from './lookups';

function UnitLabel({ unitId }: { unitId: string }) {
  const { orgId } = useOrg();
  const unit = useQuery({
    queryKey: ['orgs', orgId, 'units', unitId],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/units/{unitId}', { orgId, unitId }, undefined, { signal }),
    staleTime: 60_000,
  });
  return <>unit {unit.data?.label ?? unitId}</>;
}

/** "description contains “city water” and amount from USD 50.00 to USD 500.00" */
function ConditionsText({ rule }: { rule: BankRule }) {
  const { org } = useOrg();
  const accounts = useAccounts();
  const c = rule.conditions;
  const money = (amount: string) => formatMoney({ amount, currency: org.baseCurrency });
  const parts: string[] = [];
  if (c.descriptionContains) parts.push(`description contains “${c.descriptionContains}”`);
  if (c.descriptionRegex) parts.push(`description matches /${c.descriptionRegex}/`);
  if (c.amountMin && c.amountMax) parts.push(`amount from ${money(c.amountMin)} to ${money(c.amountMax)}`);
  else if (c.amountMin) parts.push(`amount at least ${money(c.amountMin)}`);
  else if (c.amountMax) parts.push(`amount at most ${money(c.amountMax)}`);
  if (c.accountId) {
    const a = accounts.data?.find((x) => x.id === c.accountId);
    parts.push(`in ${a ? accountLabel(a) : c.accountId}`);
  }
  if (c.direction) parts.push(c.direction === 'out' ? 'money out' : 'money in');
  return <span className="bank-wrap">{parts.length ? parts.join(' and ') : 'any money out'}</span>;
}

/** "5170 · Utilities · Ace Plumbing · Maple Court" */
function ActionsText({ rule }: { rule: BankRule }) {
  const accounts = useAccounts();
  const vendors = useVendors();
  const buildings = useBuildings();
  const a = rule.actions;
  const account = accounts.data?.find((x) => x.id === a.accountId);
  const vendor = a.vendorId ? (vendors.data?.find((v) => v.id === a.vendorId)?.name ?? a.vendorId) : null;
  const building = a.buildingId ? (buildings.data?.find((b) => b.id === a.buildingId)?.name ?? a.buildingId) : null;
  return (
    <span className="bank-wrap">
      {account ? accountLabel(account) : a.accountId}
      {vendor ? ` · ${vendor}` : null}
      {building ? ` · ${building}` : null}
      {a.unitId ? (
        <>
          {' · '}
          <UnitLabel unitId={a.unitId} />
        </>
      ) : null}
      {!building && !a.unitId ? ' · portfolio' : null}
    </span>
  );
}

function DeleteRule({ rule, index, onDone }: { rule: BankRule; index: number; onDone: (message: string | null, error?: unknown) => void }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const [armed, setArmed] = useState(false);
  const name = rule.name || `rule ${index + 1}`;
  const del = useMutation({
    mutationFn: () => apiDelete('/api/v1/orgs/{orgId}/bank-rules/{ruleId}', { orgId, ruleId: rule.id }),
    onSuccess: async () => {
      setArmed(false);
      await qc.invalidateQueries({ queryKey: keys.rules(orgId) });
      onDone(`Deleted ${name}. What it booked stays.`);
    },
    onError: (e) => {
      setArmed(false);
      onDone(null, e);
    },
  });
  if (!armed)
    return (
      <button type="button" className="btn danger" aria-label={`Delete ${name}`} onClick={() => setArmed(true)}>
        Delete
      </button>
    );
  return (
    <span className="bank-actions">
      <button type="button" className="btn danger" aria-label={`Confirm delete ${name}`} disabled={del.isPending} onClick={() => del.mutate()}>
        Confirm delete
      </button>
      <button type="button" className="btn" onClick={() => setArmed(false)}>
        Cancel
      </button>
    </span>
  );
}

interface RuleFormState {
  name: string;
  descriptionContains: string;
  amountMin: string;
  amountMax: string;
  bankAccountId: string;
  accountId: string;
  vendorId: string;
  buildingId: string;
  applyTo: Schemas['ApplyTo'];
}
const EMPTY_RULE: RuleFormState = { name: '', descriptionContains: '', amountMin: '', amountMax: '', bankAccountId: '', accountId: '', vendorId: '', buildingId: '', applyTo: 'future' };
const SHOWN = ['name', 'conditions.descriptionContains', 'conditions.amountMin', 'conditions.amountMax', 'conditions.accountId', 'actions.accountId', 'actions.vendorId', 'actions.buildingId', 'applyTo'];

/** The client-side problems with a rule, keyed like the API's fields. */
export function ruleProblems(f: RuleFormState, currency: string): Record<string, string> {
  const errs: Record<string, string> = {};
  if (!f.accountId) errs['actions.accountId'] = 'Choose the expense account it books to.';
  const min = f.amountMin.trim() ? normalizeAmount(f.amountMin, currency) : null;
  const max = f.amountMax.trim() ? normalizeAmount(f.amountMax, currency) : null;
  if (f.amountMin.trim() && (min === null || min.startsWith('-'))) errs['conditions.amountMin'] = `A positive amount in ${currency}, e.g. 50.00.`;
  if (f.amountMax.trim() && (max === null || max.startsWith('-'))) errs['conditions.amountMax'] = `A positive amount in ${currency}, e.g. 500.00.`;
  if (min && max && !errs['conditions.amountMin'] && !errs['conditions.amountMax'] && (toMinor(max, currency) ?? 0n) < (toMinor(min, currency) ?? 0n)) {
    errs['conditions.amountMax'] = 'Must not be below the amount it starts from.';
  }
  if (!f.descriptionContains.trim() && !f.amountMin.trim() && !f.amountMax.trim() && !f.bankAccountId) {
    errs.conditions = 'Give at least one condition: words in the description, an amount range or a bank account.';
  }
  return errs;
}

function RuleForm({ onCancel, onDone }: { onCancel: () => void; onDone: (rule: BankRule) => void }) {
  const { orgId, org } = useOrg();
  const qc = useQueryClient();
  const accounts = useAccounts();
  const vendors = useVendors();
  const buildings = useBuildings();
  const currency = org.baseCurrency;
  const [f, setF] = useState<RuleFormState>(EMPTY_RULE);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const ref = useFocusFirst<HTMLFormElement>();
  const set = (patch: Partial<RuleFormState>) => setF((x) => ({ ...x, ...patch }));
  const save = useMutation({
    mutationFn: () =>
      apiPost(
        '/api/v1/orgs/{orgId}/bank-rules',
        { orgId },
        {
          name: f.name.trim() || null,
          conditions: {
            descriptionContains: f.descriptionContains.trim() || null,
            amountMin: f.amountMin.trim() ? normalizeAmount(f.amountMin, currency) : null,
            amountMax: f.amountMax.trim() ? normalizeAmount(f.amountMax, currency) : null,
            accountId: f.bankAccountId || null,
          },
          actions: { accountId: f.accountId, vendorId: f.vendorId || null, buildingId: f.buildingId || null },
          applyTo: f.applyTo,
        },
      ),
    onSuccess: async (rule) => {
      await Promise.all([qc.invalidateQueries({ queryKey: keys.rules(orgId) }), qc.invalidateQueries({ queryKey: bankTransactionsKey(orgId) }), qc.invalidateQueries({ queryKey: keys.expenses(orgId) })]);
      onDone(rule);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs = ruleProblems(f, currency);
    setInvalid(errs);
    if (Object.keys(errs).length) return;
    save.mutate();
  };
  return (
    <form ref={ref} className="form card" onSubmit={submit} noValidate aria-label="New bank rule">
      <FormError error={save.error} shown={SHOWN} />
      <TextField label="Name (optional)" name="name" value={f.name} onChange={(e) => set({ name: e.target.value })} error={save.error} maxLength={200} autoComplete="off" hint="How the Bank page names what it matched, e.g. “Water bill”." />
      <fieldset className="bank-fieldset" aria-describedby={invalid.conditions ? 'bank-rule-conditions-err' : undefined}>
        <legend>When money goes out and…</legend>
        <div className="form-row">
          <TextField label="Description contains" name="conditions.descriptionContains" value={f.descriptionContains} onChange={(e) => set({ descriptionContains: e.target.value })} error={save.error} maxLength={200} autoComplete="off" hint="Any case, in the description or merchant name." />
          <SelectField label="Bank account (optional)" name="conditions.accountId" value={f.bankAccountId} onChange={(e) => set({ bankAccountId: e.target.value })} error={save.error}>
            <option value="">Any bank account</option>
            {bankAccounts(accounts.data).map((a) => (
              <option key={a.id} value={a.id}>
                {accountLabel(a)}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="form-row">
          <MoneyField label="Amount from" name="conditions.amountMin" currency={currency} value={f.amountMin} onChange={(v) => set({ amountMin: v })} error={save.error} invalid={invalid['conditions.amountMin']} />
          <MoneyField label="Amount to" name="conditions.amountMax" currency={currency} value={f.amountMax} onChange={(v) => set({ amountMax: v })} error={save.error} invalid={invalid['conditions.amountMax']} />
        </div>
        {invalid.conditions ? (
          <p id="bank-rule-conditions-err" className="field-error" role="alert">
            {invalid.conditions}
          </p>
        ) : null}
      </fieldset>
      <fieldset className="bank-fieldset">
        <legend>…book it as an expense to</legend>
        <div className="form-row">
          <SelectField label="Expense account" name="actions.accountId" value={f.accountId} onChange={(e) => set({ accountId: e.target.value })} error={save.error} invalid={invalid['actions.accountId']} required>
            <option value="">Choose an account…</option>
            {expenseAccounts(accounts.data).map((a) => (
              <option key={a.id} value={a.id}>
                {accountLabel(a)}
              </option>
            ))}
          </SelectField>
          <SelectField label="Vendor (optional)" name="actions.vendorId" value={f.vendorId} onChange={(e) => set({ vendorId: e.target.value })} error={save.error}>
            <option value="">— None —</option>
            {(vendors.data ?? [])
              .filter((v) => !v.archived)
              .map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                </option>
              ))}
          </SelectField>
          <SelectField label="Building (optional)" name="actions.buildingId" value={f.buildingId} onChange={(e) => set({ buildingId: e.target.value })} error={save.error}>
            <option value="">Portfolio</option>
            {(buildings.data ?? [])
              .filter((b) => !b.archived)
              .map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
          </SelectField>
        </div>
      </fieldset>
      <fieldset className="bank-fieldset">
        <legend>Apply to</legend>
        {(
          [
            ['future', 'New transactions only'],
            ['past_and_future', 'New transactions, and the unmatched ones already here'],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="bank-choice">
            <input type="radio" name="applyTo" value={value} checked={f.applyTo === value} onChange={() => set({ applyTo: value })} /> {label}
          </label>
        ))}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save rule'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export default function RulesTab() {
  const canWrite = useCan('booksWrite');
  const rules = useRules();
  const [creating, setCreating] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const saved = (rule: BankRule) => {
    setCreating(false);
    setError(null);
    const past = rule.appliedToPast;
    const booked = past === null || past === undefined ? '' : ` It booked ${past} unmatched ${past === 1 ? 'transaction' : 'transactions'} already here.`;
    setMessage(`Saved the rule${rule.name ? ` “${rule.name}”` : ''}.${booked}`);
  };
  return (
    <Section
      title="Rules"
      actions={
        canWrite && !creating ? (
          <button
            type="button"
            className="btn primary"
            onClick={() => {
              setMessage(null);
              setCreating(true);
            }}
          >
            New rule
          </button>
        ) : null
      }
    >
      <p className="muted">A bank transaction nothing recorded matches is booked by the first rule that fits it, in this order: an expense paid from the bank account, matched to it. Rules book money going out only.</p>
      {message ? (
        <p className="ok-box" role="status">
          {message}
        </p>
      ) : null}
      {error ? <FormError error={error} /> : null}
      {creating && canWrite ? <RuleForm onCancel={() => setCreating(false)} onDone={saved} /> : null}
      {rules.isPending ? (
        <Loading />
      ) : rules.error ? (
        <ErrorState error={rules.error} />
      ) : rules.data.length === 0 ? (
        <Empty>No rules yet.</Empty>
      ) : (
        <Table
          caption="Bank rules, in the order they are tried"
          rows={rules.data.map((r, i) => ({ r, i }))}
          rowKey={({ r }) => r.id}
          columns={[
            { header: '#', numeric: true, cell: ({ i }) => i + 1 },
            { header: 'Name', cell: ({ r }) => r.name || <span className="muted">—</span> },
            { header: 'When', cell: ({ r }) => <ConditionsText rule={r} /> },
            { header: 'Books to', cell: ({ r }) => <ActionsText rule={r} /> },
            { header: 'Applies to', cell: ({ r }) => (r.applyTo === 'past_and_future' ? 'Past and future' : 'Future') },
            ...(canWrite
              ? [
                  {
                    header: 'Action',
                    cell: ({ r, i }: { r: BankRule; i: number }) => (
                      <DeleteRule
                        rule={r}
                        index={i}
                        onDone={(m, e) => {
                          setMessage(m);
                          setError(e ?? null);
                        }}
                      />
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
    </Section>
  );
}
