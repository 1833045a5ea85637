/** One account's register: its postings in date order with the running balance, between two days. */
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { apiGet, type Schemas } from '@/api/client';
import { TextField } from '@/components/Field';
import { Section } from '@/components/Page';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { MoneyText } from '@/components/Money';
import { formatDay } from '@/lib/dates';
import { formatMoney } from '@/lib/money';
import { useOrg } from '@/lib/org';
import { BuildingName } from './names';
import { accountLabel, keys, scheduleELabel, SUBTYPE_LABEL, TYPE_LABEL, useAccounts } from './lookups';

function Totals({ label, amounts }: { label: string; amounts: Schemas['MoneyDto'][] }) {
  return (
    <p>
      <span className="muted">{label}:</span> <strong>{amounts.length ? amounts.map((m) => formatMoney(m)).join(', ') : '—'}</strong>
    </p>
  );
}

export default function RegisterPage() {
  const { accountId = '' } = useParams();
  const { orgId } = useOrg();
  const accounts = useAccounts();
  const account = accounts.data?.find((a) => a.id === accountId);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const reg = useQuery({
    queryKey: keys.register(orgId, accountId, from, to),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/accounts/{accountId}/register', { orgId, accountId }, { from: from || undefined, to: to || undefined }, { signal }),
  });
  const title = account ? `Register · ${accountLabel(account)}` : 'Register';
  return (
    <Section
      title={title}
      actions={
        <Link className="btn" to={`/orgs/${orgId}/books/accounts`}>
          Chart of accounts
        </Link>
      }
    >
      {account ? (
        <p className="muted">
          {TYPE_LABEL[account.type]}
          {account.subtype ? ` · ${SUBTYPE_LABEL[account.subtype]}` : ''}
          {account.scheduleE ? ` · Schedule E ${scheduleELabel(account.scheduleE)}` : ''}
          {account.currency ? ` · ${account.currency}` : ''}
        </p>
      ) : null}
      <form className="form filters" role="search" aria-label="Register dates" onSubmit={(e) => e.preventDefault()}>
        <div className="form-row">
          <TextField label="From" name="from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} error={reg.error} />
          <TextField label="To" name="to" type="date" value={to} onChange={(e) => setTo(e.target.value)} error={reg.error} hint="Default: today" />
        </div>
      </form>
      {reg.isPending ? (
        <Loading />
      ) : reg.error ? (
        <ErrorState error={reg.error} />
      ) : (
        <>
          <Totals label={`Opening balance${reg.data.from ? ` (before ${formatDay(reg.data.from)})` : ''}`} amounts={reg.data.opening} />
          {reg.data.items.length === 0 ? (
            <Empty>No postings in these dates.</Empty>
          ) : (
            <Table
              caption={title}
              rows={reg.data.items.map((r, i) => ({ ...r, i }))}
              rowKey={(r) => `${r.entryId}-${r.i}`}
              columns={[
                { header: 'Date', cell: (r) => formatDay(r.date) },
                { header: 'Entry', cell: (r) => <Link to={`/orgs/${orgId}/books/journal/${r.entryId}`}>#{r.seq}</Link> },
                { header: 'Memo', cell: (r) => r.memo },
                { header: 'Building', cell: (r) => (r.buildingId ? <BuildingName id={r.buildingId} /> : '—') },
                { header: 'Debit', numeric: true, cell: (r) => (r.debit ? <MoneyText value={r.debit} /> : '') },
                { header: 'Credit', numeric: true, cell: (r) => (r.credit ? <MoneyText value={r.credit} /> : '') },
                { header: 'Balance', numeric: true, cell: (r) => <MoneyText value={r.balance} /> },
              ]}
            />
          )}
          <Totals label={`Closing balance (${formatDay(reg.data.to)})`} amounts={reg.data.closing} />
        </>
      )}
    </Section>
  );
}
