/** The chart of accounts: each account with its Schedule E line and today's balance; new accounts; renames. */
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiPatch, apiPost, type Schemas } from '@/api/client';
import { FormError, SelectField, TextField } from '@/components/Field';
import { Section } from '@/components/Page';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { MoneyText } from '@/components/Money';
import { todayIn } from '@/lib/dates';
import { useCan, useOrg } from '@/lib/org';
import { accountLabel, keys, SCHEDULE_E_LINES, scheduleELabel, SUBTYPE_LABEL, SUBTYPES_BY_TYPE, TYPE_LABEL, useAccounts, type Account } from './lookups';

const TYPES: Schemas['AccountType'][] = ['asset', 'liability', 'equity', 'income', 'expense'];
const NEW_FIELDS = ['code', 'name', 'type', 'subtype', 'scheduleE', 'currency', 'parentId'];

function NewAccountForm({ onDone, onCancel }: { onDone: (a: Account) => void; onCancel: () => void }) {
  const { orgId, org } = useOrg();
  const qc = useQueryClient();
  const accounts = useAccounts();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [type, setType] = useState<Schemas['AccountType']>('expense');
  const [subtype, setSubtype] = useState('');
  const [scheduleE, setScheduleE] = useState('');
  const [currency, setCurrency] = useState('');
  const [parentId, setParentId] = useState('');
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const pl = type === 'income' || type === 'expense';
  const create = useMutation({
    mutationFn: (body: Schemas['CreateAccount']) => apiPost('/api/v1/orgs/{orgId}/accounts', { orgId }, body),
    onSuccess: async (a) => {
      await qc.invalidateQueries({ queryKey: keys.accounts(orgId) });
      onDone(a);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!/^\d{1,10}$/.test(code.trim())) errs.code = '1–10 digits, unique in the chart.';
    if (!name.trim()) errs.name = 'Enter the account’s name.';
    setInvalid(errs);
    if (Object.keys(errs).length) return;
    // Schedule E is left to the API to require (its 400 shows under the field).
    create.mutate({
      code: code.trim(),
      name: name.trim(),
      type,
      subtype: (subtype || null) as Schemas['AccountSubtype'] | null,
      scheduleE: pl ? scheduleE || null : null,
      currency: subtype === 'bank' && currency.trim() ? (currency.trim().toUpperCase() as Schemas['CurrencyCode']) : null,
      parentId: parentId || null,
    });
  };
  const parents = (accounts.data ?? []).filter((a) => a.type === type && !a.archived);
  return (
    <form className="form card" onSubmit={submit} noValidate aria-label="New account">
      <FormError error={create.error} shown={NEW_FIELDS} />
      <div className="form-row">
        <TextField label="Code" name="code" value={code} onChange={(e) => setCode(e.target.value)} error={create.error} invalid={invalid.code} inputMode="numeric" maxLength={10} required hint="Digits; sorts the chart" />
        <TextField label="Name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={create.error} invalid={invalid.name} maxLength={200} required />
      </div>
      <div className="form-row">
        <SelectField
          label="Type"
          name="type"
          value={type}
          onChange={(e) => {
            setType(e.target.value as Schemas['AccountType']);
            setSubtype('');
            setParentId('');
          }}
          error={create.error}
        >
          {TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABEL[t]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Subtype" name="subtype" value={subtype} onChange={(e) => setSubtype(e.target.value)} error={create.error} disabled={SUBTYPES_BY_TYPE[type].length === 0} hint="Optional">
          <option value="">— None —</option>
          {SUBTYPES_BY_TYPE[type].map((s) => (
            <option key={s} value={s}>
              {SUBTYPE_LABEL[s]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Schedule E line" name="scheduleE" value={pl ? scheduleE : ''} onChange={(e) => setScheduleE(e.target.value)} error={create.error} disabled={!pl} hint={pl ? 'Required for income and expense accounts' : 'Only income and expense accounts'}>
          <option value="">{pl ? 'Choose a line…' : '—'}</option>
          {SCHEDULE_E_LINES.filter(([l]) => (type === 'income' ? ['3', '4', 'none'].includes(l) : !['3', '4'].includes(l))).map(([l, label]) => (
            <option key={l} value={l}>
              {l === 'none' ? label : `${l} · ${label}`}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="form-row">
        <SelectField label="Parent account" name="parentId" value={parentId} onChange={(e) => setParentId(e.target.value)} error={create.error} hint="Optional, of the same type">
          <option value="">— None —</option>
          {parents.map((a) => (
            <option key={a.id} value={a.id}>
              {accountLabel(a)}
            </option>
          ))}
        </SelectField>
        {subtype === 'bank' ? (
          <TextField label="Currency" name="currency" value={currency} onChange={(e) => setCurrency(e.target.value)} error={create.error} maxLength={3} placeholder={org.baseCurrency} hint={`ISO code; default ${org.baseCurrency}`} />
        ) : null}
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={create.isPending}>
          Create account
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function RenameForm({ account, onDone, onCancel }: { account: Account; onDone: (a: Account) => void; onCancel: () => void }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const [name, setName] = useState(account.name);
  const [invalid, setInvalid] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => apiPatch('/api/v1/orgs/{orgId}/accounts/{accountId}', { orgId, accountId: account.id }, { name: name.trim() }),
    onSuccess: async (a) => {
      await qc.invalidateQueries({ queryKey: keys.accounts(orgId) });
      onDone(a);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setInvalid('Enter a name.');
      return;
    }
    setInvalid(null);
    save.mutate();
  };
  return (
    <form className="form card" onSubmit={submit} noValidate aria-label={`Rename ${accountLabel(account)}`}>
      <FormError error={save.error} shown={['name']} />
      <TextField label="New name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={save.error} invalid={invalid} maxLength={200} required />
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={save.isPending}>
          Save name
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Balance({ rows }: { rows: Schemas['TrialBalanceRow'][] | undefined }) {
  if (!rows || rows.length === 0) return <span className="muted">—</span>;
  return (
    <>
      {rows.map((r, i) => (
        <span key={i} className="balance">
          {r.debit ? (
            <>
              <MoneyText value={r.debit} /> Dr
            </>
          ) : r.credit ? (
            <>
              <MoneyText value={r.credit} /> Cr
            </>
          ) : null}
        </span>
      ))}
    </>
  );
}

export default function AccountsTab() {
  const { orgId, org } = useOrg();
  const canWrite = useCan('booksWrite');
  const accounts = useAccounts();
  const today = todayIn(org.timezone);
  const tb = useQuery({
    queryKey: [...keys.trialBalance(orgId), today],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/trial-balance', { orgId }, { asOf: today }, { signal }),
  });
  const [form, setForm] = useState<null | 'new' | Account>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const balances = new Map<string, Schemas['TrialBalanceRow'][]>();
  for (const r of tb.data?.accounts ?? []) balances.set(r.accountId, [...(balances.get(r.accountId) ?? []), r]);
  const rows = [...(accounts.data ?? [])].sort((a, b) => a.code.localeCompare(b.code, undefined, { numeric: true }));

  return (
    <>
      {notice ? (
        <p className="ok-box" role="status">
          {notice}
        </p>
      ) : null}
      {canWrite && form === 'new' ? (
        <Section title="New account">
          <NewAccountForm
            onCancel={() => setForm(null)}
            onDone={(a) => {
              setForm(null);
              setNotice(`Created ${accountLabel(a)}.`);
            }}
          />
        </Section>
      ) : null}
      {canWrite && form && form !== 'new' ? (
        <Section title={`Rename ${accountLabel(form)}`}>
          <RenameForm
            key={form.id}
            account={form}
            onCancel={() => setForm(null)}
            onDone={(a) => {
              setForm(null);
              setNotice(`Renamed to ${accountLabel(a)}.`);
            }}
          />
        </Section>
      ) : null}
      <Section
        title="Chart of accounts"
        actions={
          canWrite && form !== 'new' ? (
            <button
              type="button"
              className="btn primary"
              onClick={() => {
                setNotice(null);
                setForm('new');
              }}
            >
              New account
            </button>
          ) : null
        }
      >
        {accounts.isPending ? (
          <Loading />
        ) : accounts.error ? (
          <ErrorState error={accounts.error} />
        ) : rows.length === 0 ? (
          <Empty>No accounts.</Empty>
        ) : (
          <Table
            caption="Chart of accounts"
            rows={rows}
            rowKey={(a) => a.id}
            columns={[
              { header: 'Code', cell: (a) => a.code },
              { header: 'Name', cell: (a) => <Link to={`/orgs/${orgId}/books/accounts/${a.id}`}>{a.name}</Link> },
              { header: 'Type', cell: (a) => TYPE_LABEL[a.type] },
              { header: 'Subtype', cell: (a) => (a.subtype ? SUBTYPE_LABEL[a.subtype] : '—') },
              { header: 'Schedule E', cell: (a) => scheduleELabel(a.scheduleE) },
              { header: `Balance today`, numeric: true, cell: (a) => <Balance rows={balances.get(a.id)} /> },
              { header: 'Status', cell: (a) => (a.archived ? <span className="status">Archived</span> : a.seeded ? <span className="muted">Standard</span> : <span className="muted">Custom</span>) },
              ...(canWrite
                ? [
                    {
                      header: 'Actions',
                      cell: (a: Account) => (
                        <button
                          type="button"
                          className="btn"
                          onClick={() => {
                            setNotice(null);
                            setForm(a);
                          }}
                        >
                          Rename
                        </button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Section>
    </>
  );
}
