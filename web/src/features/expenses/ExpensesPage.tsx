/**
 * Expenses: every expense (filtered as the API filters), a new one, receipts snapped before they
 * are booked (drafts to confirm), and unpaid bills to pay.
 */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { apiGet } from '@/api/client';
import { SelectField, TextField } from '@/components/Field';
import { PageHeader, Section } from '@/components/Page';
import { LoadMore, usePaged } from '@/components/Paged';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { MoneyText } from '@/components/Money';
import { formatDay } from '@/lib/dates';
import { formatMoney } from '@/lib/money';
import { useCan, useOrg } from '@/lib/org';
import { DraftsSection, SnapReceipt } from './Drafts';
import { AccountName, ScopeSummary, StatusBadge, VendorName } from './ExpenseBits';
import { ExpenseForm } from './ExpenseForm';
import { accountLabel, expenseAccounts, useAccounts, useBuildings, useVendors, type Expense } from './lookups';
import { PayBillForm } from './PayBillForm';
import './expenses.css';

interface Filters {
  from: string;
  to: string;
  buildingId: string;
  vendorId: string;
  accountId: string;
  status: '' | Expense['status'];
}

const NO_FILTERS: Filters = { from: '', to: '', buildingId: '', vendorId: '', accountId: '', status: '' };

function FilterBar({ value, onChange }: { value: Filters; onChange: (f: Filters) => void }) {
  const accounts = useAccounts();
  const vendors = useVendors();
  const buildings = useBuildings();
  const set = (patch: Partial<Filters>) => onChange({ ...value, ...patch });
  const any = Object.values(value).some(Boolean);
  return (
    <form className="form filters" role="search" aria-label="Filter expenses" onSubmit={(e) => e.preventDefault()}>
      <div className="form-row">
        <TextField label="From" name="from" type="date" value={value.from} onChange={(e) => set({ from: e.target.value })} />
        <TextField label="To" name="to" type="date" value={value.to} onChange={(e) => set({ to: e.target.value })} />
        <SelectField label="Building" name="buildingId" value={value.buildingId} onChange={(e) => set({ buildingId: e.target.value })}>
          <option value="">All buildings</option>
          {(buildings.data ?? []).map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Vendor" name="vendorId" value={value.vendorId} onChange={(e) => set({ vendorId: e.target.value })}>
          <option value="">All vendors</option>
          {(vendors.data ?? []).map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Account" name="accountId" value={value.accountId} onChange={(e) => set({ accountId: e.target.value })}>
          <option value="">All accounts</option>
          {expenseAccounts(accounts.data).map((a) => (
            <option key={a.id} value={a.id}>
              {accountLabel(a)}
            </option>
          ))}
        </SelectField>
        <SelectField label="Status" name="status" value={value.status} onChange={(e) => set({ status: e.target.value as Filters['status'] })}>
          <option value="">Any status</option>
          <option value="draft">Draft</option>
          <option value="unpaid">Unpaid</option>
          <option value="paid">Paid</option>
          <option value="void">Void</option>
        </SelectField>
      </div>
      {any ? (
        <div className="form-actions">
          <button type="button" className="btn" onClick={() => onChange(NO_FILTERS)}>
            Clear filters
          </button>
        </div>
      ) : null}
    </form>
  );
}

function ExpenseList() {
  const { orgId } = useOrg();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const list = usePaged(['orgs', orgId, 'expenses', 'list', filters], (cursor, signal) =>
    apiGet(
      '/api/v1/orgs/{orgId}/expenses',
      { orgId },
      {
        cursor,
        from: filters.from || undefined,
        to: filters.to || undefined,
        buildingId: filters.buildingId || undefined,
        vendorId: filters.vendorId || undefined,
        accountId: filters.accountId || undefined,
        status: filters.status || undefined,
      },
      { signal },
    ),
  );
  return (
    <>
      <FilterBar value={filters} onChange={setFilters} />
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : list.items.length === 0 ? (
        <Empty>{Object.values(filters).some(Boolean) ? 'No expenses match these filters.' : 'No expenses yet.'}</Empty>
      ) : (
        <>
          <Table
            caption="Expenses"
            rows={list.items}
            rowKey={(e) => e.id}
            columns={[
              { header: 'Date', cell: (e) => <Link to={`/orgs/${orgId}/expenses/${e.id}`}>{formatDay(e.date)}</Link> },
              { header: 'Vendor', cell: (e) => <VendorName id={e.vendorId} /> },
              { header: 'Account', cell: (e) => <AccountName id={e.accountId} /> },
              { header: 'Scope', cell: (e) => <ScopeSummary expense={e} /> },
              { header: 'Amount', numeric: true, cell: (e) => <MoneyText value={e.amount} /> },
              { header: 'Status', cell: (e) => <StatusBadge status={e.status} /> },
            ]}
          />
          <LoadMore query={list} />
        </>
      )}
    </>
  );
}

function BillsToPay() {
  const { orgId } = useOrg();
  const canWrite = useCan('booksWrite');
  const [paying, setPaying] = useState<Expense | null>(null);
  const [paid, setPaid] = useState<string | null>(null);
  const bills = usePaged(['orgs', orgId, 'expenses', 'list', { status: 'unpaid' }], (cursor, signal) =>
    apiGet('/api/v1/orgs/{orgId}/expenses', { orgId }, { status: 'unpaid', cursor }, { signal }),
  );
  if (bills.isPending) return <Loading />;
  if (bills.error) return <ErrorState error={bills.error} />;
  return (
    <>
      {paid ? (
        <p className="ok-box" role="status">
          {paid}
        </p>
      ) : null}
      {bills.items.length === 0 ? (
        <Empty>No unpaid bills.</Empty>
      ) : (
        <>
          <Table
            caption="Bills to pay"
            rows={bills.items}
            rowKey={(e) => e.id}
            columns={[
              { header: 'Due', cell: (e) => <Link to={`/orgs/${orgId}/expenses/${e.id}`}>{formatDay(e.dueDate)}</Link> },
              { header: 'Vendor', cell: (e) => <VendorName id={e.vendorId} /> },
              { header: 'Account', cell: (e) => <AccountName id={e.accountId} /> },
              { header: 'Amount', numeric: true, cell: (e) => <MoneyText value={e.amount} /> },
              ...(canWrite
                ? [
                    {
                      header: 'Action',
                      cell: (e: Expense) => (
                        <button
                          type="button"
                          className="btn"
                          aria-expanded={paying?.id === e.id}
                          onClick={() => {
                            setPaid(null);
                            setPaying(paying?.id === e.id ? null : e);
                          }}
                        >
                          Pay
                        </button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          <LoadMore query={bills} />
        </>
      )}
      {paying && canWrite ? (
        <PayBillForm
          key={paying.id}
          expense={paying}
          label={`Pay the bill of ${formatMoney(paying.amount)} due ${formatDay(paying.dueDate)}`}
          onCancel={() => setPaying(null)}
          onDone={(e) => {
            setPaying(null);
            setPaid(`Paid ${formatMoney(e.amount)} on ${formatDay(e.paidOn)}.`);
          }}
        />
      ) : null}
    </>
  );
}

export default function ExpensesPage() {
  const { orgId } = useOrg();
  const canWrite = useCan('booksWrite');
  const [creating, setCreating] = useState(false);
  const [saved, setSaved] = useState<Expense | null>(null);

  if (creating && canWrite) {
    return (
      <>
        <PageHeader title="Expenses" />
        <Section title="New expense">
          <ExpenseForm
            onCancel={() => setCreating(false)}
            onDone={(e) => {
              setSaved(e);
              setCreating(false);
            }}
          />
        </Section>
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Expenses"
        actions={
          <>
            <Link className="btn" to={`/orgs/${orgId}/recurring-expenses`}>
              Recurring expenses
            </Link>
            {canWrite ? (
              <button
                type="button"
                className="btn primary"
                onClick={() => {
                  setSaved(null);
                  setCreating(true);
                }}
              >
                New expense
              </button>
            ) : null}
          </>
        }
      />
      {saved ? (
        <p className="ok-box" role="status">
          Saved the expense of {formatMoney(saved.amount)} ({saved.status === 'unpaid' ? 'an unpaid bill' : saved.status}). <Link to={`/orgs/${orgId}/expenses/${saved.id}`}>View it</Link>
        </p>
      ) : null}
      {canWrite ? (
        <Section title="Snap a receipt">
          <SnapReceipt />
        </Section>
      ) : null}
      <Section title="Drafts to confirm">
        <DraftsSection />
      </Section>
      <Section title="Bills to pay">
        <BillsToPay />
      </Section>
      <Section title="All expenses">
        <ExpenseList />
      </Section>
    </>
  );
}
