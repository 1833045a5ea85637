/** The trial balance as of a day: every account's balance, and total debits = total credits per currency. */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '@/api/client';
import { TextField } from '@/components/Field';
import { Section } from '@/components/Page';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { MoneyText } from '@/components/Money';
import { formatDay, todayIn } from '@/lib/dates';
import { formatMoney, toMinor } from '@/lib/money';
import { useOrg } from '@/lib/org';
import { keys, TYPE_LABEL } from './lookups';

export default function TrialBalanceTab() {
  const { orgId, org } = useOrg();
  const [asOf, setAsOf] = useState(() => todayIn(org.timezone));
  const tb = useQuery({
    queryKey: [...keys.trialBalance(orgId), asOf],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/trial-balance', { orgId }, { asOf: asOf || undefined }, { signal }),
  });
  return (
    <Section title="Trial balance">
      <form className="form filters" role="search" aria-label="Trial balance date" onSubmit={(e) => e.preventDefault()}>
        <div className="form-row">
          <TextField label="As of" name="asOf" type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} error={tb.error} />
        </div>
      </form>
      {tb.isPending ? (
        <Loading />
      ) : tb.error ? (
        <ErrorState error={tb.error} />
      ) : (
        <>
          {tb.data.balanced ? (
            <p className="ok-box" role="status">
              Balanced as of {formatDay(tb.data.asOf)}: total debits = total credits
              {tb.data.totals.length > 1 ? ' in each currency' : ''}.
            </p>
          ) : (
            <p className="error-box" role="alert">
              Out of balance as of {formatDay(tb.data.asOf)}: total debits and credits differ.
            </p>
          )}
          {tb.data.accounts.length === 0 ? (
            <Empty>No postings by this day.</Empty>
          ) : (
            <Table
              caption={`Trial balance as of ${formatDay(tb.data.asOf)}`}
              rows={tb.data.accounts.map((r, i) => ({ ...r, i }))}
              rowKey={(r) => `${r.accountId}-${r.i}`}
              columns={[
                { header: 'Code', cell: (r) => r.code },
                { header: 'Account', cell: (r) => <Link to={`/orgs/${orgId}/books/accounts/${r.accountId}`}>{r.name}</Link> },
                { header: 'Type', cell: (r) => TYPE_LABEL[r.type] },
                { header: 'Debit', numeric: true, cell: (r) => (r.debit ? <MoneyText value={r.debit} /> : '') },
                { header: 'Credit', numeric: true, cell: (r) => (r.credit ? <MoneyText value={r.credit} /> : '') },
              ]}
            />
          )}
          <h3 className="subhead">Totals</h3>
          <Table
            caption="Totals per currency"
            rows={tb.data.totals}
            rowKey={(t) => t.currency}
            columns={[
              { header: 'Currency', cell: (t) => t.currency },
              { header: 'Total debits', numeric: true, cell: (t) => <MoneyText value={t.debits} /> },
              { header: 'Total credits', numeric: true, cell: (t) => <MoneyText value={t.credits} /> },
              { header: 'Check', cell: (t) => (toMinor(t.debits.amount, t.currency) === toMinor(t.credits.amount, t.currency) ? 'Debits = credits' : 'Differ') },
            ]}
          />
          {tb.data.totals.length > 1 || tb.data.unvalued.length ? (
            <p className="muted">
              In {org.baseCurrency} (base): debits {formatMoney(tb.data.baseTotals.debits)}, credits {formatMoney(tb.data.baseTotals.credits)} — {tb.data.baseBalanced ? 'balanced' : 'not balanced'}.
              {tb.data.unvalued.length ? ` Not valued (no rate): ${tb.data.unvalued.join(', ')}.` : ''}
            </p>
          ) : null}
        </>
      )}
    </Section>
  );
}
