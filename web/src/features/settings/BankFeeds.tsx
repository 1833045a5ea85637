/**
 * Settings → Integrations → Bank feeds: the org's banks connected through Plaid (each Plaid
 * account and the chart's bank account its transactions go to, the last sync and its error) and,
 * for owners, connecting one (a Link token, Plaid Link, then the accounts mapped to the chart)
 * and disconnecting one (the history stays).
 */
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiDelete, apiGet, apiPost, type Schemas } from '@/api/client';
import { FormError, SelectField } from '@/components/Field';
import { Section } from '@/components/Page';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatInstant } from '@/lib/dates';
import { useCan, useOrg } from '@/lib/org';
import { bankTransactionsKey, plaidAccountLabel, plaidItemsKey, usePlaidItems, type PlaidItem } from '@/lib/plaid';
import { LinkExited, openLink, type LinkResult } from '@/lib/plaidLink';
import { ConfirmDisconnect, Facts } from './common';

type Account = Schemas['Account'];

function useChart() {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: ['orgs', orgId, 'accounts', 'all'],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/accounts', { orgId }, undefined, { signal }).then((r) => r.items),
    staleTime: 60_000,
  });
}

/** The chart accounts a bank feed may sync into: active bank accounts (the API checks again). */
function bankAccounts(accounts: Account[] | undefined): Account[] {
  return (accounts ?? []).filter((a) => a.type === 'asset' && a.subtype === 'bank' && !a.archived);
}

const bankName = (item: Pick<PlaidItem, 'institutionName'>) => item.institutionName || 'Bank';

/** "Disconnect" → an inline confirmation that says the history stays. */
function DisconnectBank({ item }: { item: PlaidItem }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const [armed, setArmed] = useState(false);
  const name = bankName(item);
  const disconnect = useMutation({
    mutationFn: () => apiDelete('/api/v1/orgs/{orgId}/integrations/plaid/items/{itemId}', { orgId, itemId: item.itemId }),
    onSuccess: async () => {
      setArmed(false);
      await qc.invalidateQueries({ queryKey: plaidItemsKey(orgId) });
    },
  });
  if (!armed) {
    return (
      <div className="form-actions form-section">
        <button
          type="button"
          className="btn danger"
          onClick={() => {
            disconnect.reset();
            setArmed(true);
          }}
        >
          Disconnect {name}
        </button>
      </div>
    );
  }
  return (
    <ConfirmDisconnect
      title={<>Disconnect {name}?</>}
      explain="Syncing stops and the org’s access is revoked at the bank. The history is kept: every transaction already imported, and every match, stays on the Bank page and in the books."
      mutation={disconnect}
      onConfirm={() => disconnect.mutate()}
      onCancel={() => setArmed(false)}
      level={4}
      card={false}
    />
  );
}

function ItemCard({ item, chart, manage }: { item: PlaidItem; chart: Account[] | undefined; manage: boolean }) {
  const { org } = useOrg();
  const active = item.status === 'active';
  const name = bankName(item);
  const headingId = `plaid-item-${item.itemId}`;
  const chartName = (a: PlaidItem['accounts'][number]) => {
    const found = chart?.find((c) => c.id === a.accountId);
    return found ? `${found.code} · ${found.name}` : (a.accountCode ?? a.accountId);
  };
  return (
    <article className="card settings-form form-section bank-feed" aria-labelledby={headingId} data-testid="bank-feed">
      <h3 id={headingId}>{name}</h3>
      <Facts
        items={[
          ['Status', active ? <span className="status integrations-connected">Active</span> : <span className="status">Disconnected</span>],
          ['Connected on', formatInstant(item.connectedAt, org.timezone)],
          ...(item.disconnectedAt ? ([['Disconnected on', formatInstant(item.disconnectedAt, org.timezone)]] as [string, string][]) : []),
          ['Last synced', item.lastSyncedAt ? formatInstant(item.lastSyncedAt, org.timezone) : active ? 'Not yet: the first sync is on its way' : 'Never'],
        ]}
      />
      {item.lastSyncError ? (
        <p className="error-box">
          <strong>The last sync failed.</strong> {item.lastSyncError}
        </p>
      ) : null}
      <Table
        caption={`Accounts synced from ${name}`}
        rows={item.accounts}
        rowKey={(a) => a.plaidAccountId}
        columns={[
          { header: 'Bank account', cell: (a) => plaidAccountLabel(a) },
          { header: 'Books account', cell: (a) => chartName(a) },
        ]}
      />
      {!active ? <p className="muted">Disconnected: nothing syncs any more; what it imported stays.</p> : manage ? <DisconnectBank item={item} /> : null}
    </article>
  );
}

/** The bank's accounts (from Link), each mapped to a chart bank account or left out. */
function MapAccounts({ linked, onCancel, onDone }: { linked: LinkResult; onCancel: () => void; onDone: (item: PlaidItem) => void }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const chart = useChart();
  const banks = bankAccounts(chart.data);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [invalid, setInvalid] = useState<string | null>(null);
  const mapped = linked.accounts.filter((a) => mapping[a.id]);
  const connect = useMutation({
    mutationFn: (accounts: Schemas['AccountMapping'][]) => apiPost('/api/v1/orgs/{orgId}/integrations/plaid/items', { orgId }, { publicToken: linked.publicToken, accounts }),
    onSuccess: async (item) => {
      await Promise.all([qc.invalidateQueries({ queryKey: plaidItemsKey(orgId) }), qc.invalidateQueries({ queryKey: bankTransactionsKey(orgId) })]);
      onDone(item);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = mapped.length ? null : 'Choose a books account for at least one of the bank’s accounts.';
    setInvalid(problem);
    if (problem) return;
    connect.mutate(mapped.map((a) => ({ plaidAccountId: a.id, accountId: mapping[a.id] ?? '' })));
  };
  // The API names entries of the body it was sent (`accounts[0]` is the first account synced).
  const fieldOf = (id: string) => {
    const i = mapped.findIndex((a) => a.id === id);
    return i >= 0 ? `accounts[${i}]` : `unmapped.${id}`;
  };
  return (
    <form className="form card settings-form form-section" onSubmit={submit} noValidate aria-labelledby="plaid-map-heading">
      <h3 id="plaid-map-heading">Choose where each account’s transactions go</h3>
      <p className="muted">Each account the bank shared syncs into a bank account of the books; choose “Don’t sync” to leave one out.</p>
      <FormError error={connect.error} shown={mapped.map((a) => fieldOf(a.id))} />
      {invalid ? (
        <p className="field-error" role="alert">
          {invalid}
        </p>
      ) : null}
      {chart.isPending ? (
        <Loading />
      ) : chart.error ? (
        <ErrorState error={chart.error} />
      ) : banks.length === 0 ? (
        <p className="error-box">The books have no active bank account to sync into: add one under Books → Accounts (type asset, subtype bank), then connect again.</p>
      ) : null}
      {linked.accounts.length === 0 ? <p className="muted">The bank shared no account.</p> : null}
      {linked.accounts.map((a) => (
        <SelectField
          key={a.id}
          label={plaidAccountLabel(a)}
          name={fieldOf(a.id)}
          value={mapping[a.id] ?? ''}
          onChange={(e) => setMapping((m) => ({ ...m, [a.id]: e.target.value }))}
          error={connect.error}
        >
          <option value="">Don’t sync</option>
          {banks.map((b) => (
            <option key={b.id} value={b.id}>
              {b.code} · {b.name}
            </option>
          ))}
        </SelectField>
      ))}
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={connect.isPending || banks.length === 0}>
          {connect.isPending ? 'Connecting…' : 'Connect bank'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** "Connect a bank": a Link token from the API, Plaid Link, then the mapping. */
function ConnectBank() {
  const { orgId } = useOrg();
  const [linked, setLinked] = useState<LinkResult | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const link = useMutation({
    mutationFn: async () => {
      const token = await apiPost('/api/v1/orgs/{orgId}/integrations/plaid/link-token', { orgId }, {});
      return openLink(token.linkToken);
    },
    onSuccess: (result) => setLinked(result),
  });
  if (linked) {
    return (
      <MapAccounts
        linked={linked}
        onCancel={() => setLinked(null)}
        onDone={(item) => {
          setLinked(null);
          setDone(`Connected ${bankName(item)}: ${item.accounts.length} ${item.accounts.length === 1 ? 'account syncs' : 'accounts sync'} into the books. Its transactions arrive on the Bank page shortly.`);
        }}
      />
    );
  }
  const closed = link.error instanceof LinkExited;
  return (
    <div className="form-section">
      {done ? (
        <p className="ok-box" role="status">
          {done}
        </p>
      ) : null}
      {link.error && !closed ? <FormError error={link.error} /> : null}
      <div className="form-actions">
        <button
          type="button"
          className="btn primary"
          disabled={link.isPending}
          onClick={() => {
            setDone(null);
            link.mutate();
          }}
        >
          {link.isPending ? 'Opening Plaid…' : 'Connect a bank'}
        </button>
      </div>
    </div>
  );
}

/** The "Bank feeds" section of Settings → Integrations. */
export function BankFeeds() {
  const { orgId } = useOrg();
  const manage = useCan('integrationManage');
  const items = usePlaidItems(orgId);
  const chart = useChart();
  return (
    <Section title="Bank feeds">
      <p className="muted">The org’s bank accounts, read through Plaid: each deposit and payment the bank shows is matched on the Bank page to what the books recorded.</p>
      {items.isPending ? (
        <Loading />
      ) : items.error ? (
        <ErrorState error={items.error} />
      ) : items.data.length === 0 ? (
        <Empty>No bank is connected yet.</Empty>
      ) : (
        items.data.map((item) => <ItemCard key={item.itemId} item={item} chart={chart.data} manage={manage} />)
      )}
      {manage ? <ConnectBank /> : <p className="muted">Banks are connected and disconnected by an owner.</p>}
    </Section>
  );
}
