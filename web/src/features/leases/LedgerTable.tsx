import type { ReactNode } from 'react';
import { MoneyText } from '@/components/Money';
import { Table, type Column } from '@/components/Table';
import { formatDay } from '@/lib/dates';
import type { Ledger, LedgerEntry } from './data';
import { kindLabel } from './ChargeForm';

const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** Which charges were voided and which payments reversed (their later entries say so). */
export function undone(entries: LedgerEntry[]): { voided: Set<string>; reversed: Set<string> } {
  const voided = new Set<string>();
  const reversed = new Set<string>();
  for (const e of entries) {
    if (e.type === 'charge_void') voided.add(e.chargeId ?? e.id);
    if (e.type === 'payment_reversal') reversed.add(e.paymentId ?? e.id);
  }
  return { voided, reversed };
}

/** What a ledger line is, in words. */
export function describe(e: LedgerEntry, state: { voided: Set<string>; reversed: Set<string> }): string {
  const memo = e.memo ? ` — ${e.memo}` : '';
  const kind = kindLabel(e.kind);
  switch (e.type) {
    case 'charge':
      return `${kind}${memo}${state.voided.has(e.id) ? ' (void)' : ''}`;
    case 'payment':
      return `Payment${memo}${state.reversed.has(e.id) ? ' (reversed)' : ''}`;
    case 'allocation': {
      const from = e.source === 'deposit' ? 'Deposit applied' : e.source === 'credit' ? 'Credit applied' : 'Payment applied';
      return e.amount.amount.trim().startsWith('-') ? `${from} to ${lower(kind)}, reversed` : `${from} to ${lower(kind)}`;
    }
    case 'charge_void':
      return `Void of ${lower(kind)}${memo}`;
    case 'payment_reversal':
      return `Payment reversed${memo}`;
    case 'payment_refund':
      return `Refund${memo}`;
    case 'deposit_refund':
      return `Deposit refund${e.memo && e.memo !== 'deposit refund' ? memo : ''}`;
    default:
      return String(e.type);
  }
}

interface Row extends LedgerEntry {
  index: number;
}

/**
 * The ledger's entries in the API's order with the running balance after each (and the running
 * unapplied credit and deposit held): charges and voids in "Charge", payments, reversals and
 * refunds in "Payment", what was applied to charges in "Applied".
 */
export function LedgerTable({
  ledger,
  actions,
  pending,
  stripe,
}: {
  ledger: Ledger;
  actions?: (e: LedgerEntry, index: number) => ReactNode;
  /** Ids of the payments not yet cleared (ACH or card in flight): badged "Pending". */
  pending?: ReadonlySet<string>;
  /** Ids of the payments Stripe took (an online payment): badged "Stripe". */
  stripe?: ReadonlySet<string>;
}) {
  const state = undone(ledger.entries);
  const isPending = (e: LedgerEntry) => e.type === 'payment' && !!pending?.has(e.id) && !state.reversed.has(e.id);
  const rows: Row[] = ledger.entries.map((e, index) => ({ ...e, index }));
  const isCharge = (e: LedgerEntry) => e.type === 'charge' || e.type === 'charge_void';
  const isPayment = (e: LedgerEntry) => e.type === 'payment' || e.type === 'payment_reversal' || e.type === 'payment_refund' || e.type === 'deposit_refund';
  const columns: Column<Row>[] = [
    { header: 'Date', cell: (e) => formatDay(e.date) },
    {
      header: 'Description',
      cell: (e) => (
        <span id={`ledger-entry-${e.index}`}>
          {describe(e, state)}
          {e.type === 'payment' && stripe?.has(e.id) ? (
            <>
              {' '}
              <span className="status leases-stripe">Stripe</span>
            </>
          ) : null}
          {isPending(e) ? (
            <>
              {' '}
              <span className="status leases-pending">Pending</span>
            </>
          ) : null}
        </span>
      ),
    },
    { header: 'Charge', numeric: true, cell: (e) => (isCharge(e) ? <MoneyText value={e.amount} /> : null) },
    { header: 'Payment', numeric: true, cell: (e) => (isPayment(e) ? <MoneyText value={e.amount} /> : null) },
    { header: 'Applied', numeric: true, cell: (e) => (e.type === 'allocation' ? <MoneyText value={e.amount} /> : null) },
    { header: 'Balance', numeric: true, cell: (e) => <MoneyText value={e.balance} /> },
    { header: 'Unapplied', numeric: true, cell: (e) => <MoneyText value={e.unapplied} /> },
    { header: 'Deposit held', numeric: true, cell: (e) => <MoneyText value={e.deposit} /> },
  ];
  if (actions) columns.push({ header: 'Actions', cell: (e) => actions(e, e.index) });
  return <Table<Row> caption={`Ledger entries as of ${formatDay(ledger.asOf)}`} rows={rows} rowKey={(e) => `${e.index}:${e.type}:${e.id}`} columns={columns} />;
}

const BUCKETS: { key: 'current' | 'd1_30' | 'd31_60' | 'd61_90' | 'd90_plus'; label: string }[] = [
  { key: 'current', label: 'Current' },
  { key: 'd1_30', label: '1–30 days' },
  { key: 'd31_60', label: '31–60 days' },
  { key: 'd61_90', label: '61–90 days' },
  { key: 'd90_plus', label: '90+ days' },
];

/** The lease's open balance by age as of the ledger's day. */
export function AgingTable({ aging }: { aging: Ledger['aging'] }) {
  const columns: Column<Ledger['aging']>[] = [
    ...BUCKETS.map((b) => ({ header: b.label, numeric: true, cell: (a: Ledger['aging']) => <MoneyText value={a[b.key]} /> })),
    { header: 'Total', numeric: true, cell: (a) => <MoneyText value={a.total} /> },
  ];
  return <Table caption="Aging of the open balance" rows={[aging]} rowKey={() => 'aging'} columns={columns} />;
}
