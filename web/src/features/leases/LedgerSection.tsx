import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiPost, type Schemas } from '@/api/client';
import { FormError } from '@/components/Field';
import { MoneyText } from '@/components/Money';
import { Section } from '@/components/Page';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { formatMoney, toMinor } from '@/lib/money';
import { useCan, useOrg } from '@/lib/org';
import { isConnected, useStripeConnection } from '@/lib/stripe';
import { keys, usePayments, type Lease, type LedgerEntry } from './data';
import { AgingTable, LedgerTable, undone } from './LedgerTable';
import { PaymentForm, paymentSummary } from './PaymentForm';
import { ChargeForm, kindLabel } from './ChargeForm';
import { SettleDepositForm, settlementSummary } from './SettleDepositForm';
import { ApplyCreditForm, creditSummary } from './ApplyCreditForm';
import { OnlinePaymentForm } from './OnlinePaymentForm';

type Open = 'payment' | 'online' | 'charge' | 'settle' | 'credit' | null;
type Confirm = { type: 'void' | 'reverse'; id: string; row: number } | null;

/** The lease's ledger: entries with running balances, totals, aging, and the money actions. */
export function LedgerSection({ lease }: { lease: Lease }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const canWrite = useCan('ledgerWrite');
  const [open, setOpen] = useState<Open>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  const ledger = useQuery({
    queryKey: keys.ledger(orgId, lease.id),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/leases/{leaseId}/ledger', { orgId, leaseId: lease.id }, undefined, { signal }),
  });

  // Which payments are still in flight (the ledger's entries do not say).
  const payments = usePayments(orgId, lease.id);
  const pendingIds = new Set((payments.data ?? []).filter((p) => p.status === 'pending').map((p) => p.id));
  // Payments Stripe took: badged, and cleared or reversed only by Stripe's word (no "Clear" here).
  const stripeIds = new Set((payments.data ?? []).filter((p) => p.processor === 'stripe').map((p) => p.id));
  // Online payments are offered while the org's Stripe account is connected.
  const stripe = useStripeConnection(orgId, canWrite);
  const online = canWrite && isConnected(stripe.data);

  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: keys.lease(orgId, lease.id) }), qc.invalidateQueries({ queryKey: keys.delinquency(orgId) })]);

  const undo = useMutation({
    mutationFn: async (c: NonNullable<Confirm>): Promise<string> => {
      const why = reason.trim() || null;
      if (c.type === 'void') {
        const charge = await apiPost('/api/v1/orgs/{orgId}/charges/{chargeId}:void', { orgId, chargeId: c.id }, { reason: why });
        return `${kindLabel(charge.kind)} of ${formatMoney(charge.amount)} voided.`;
      }
      const payment = await apiPost('/api/v1/orgs/{orgId}/payments/{paymentId}:reverse', { orgId, paymentId: c.id }, { reason: why });
      return `Payment of ${formatMoney(payment.amount)} reversed.`;
    },
    onSuccess: async (text) => {
      setConfirm(null);
      setReason('');
      setMessage(text);
      await refresh();
    },
  });

  const clear = useMutation({
    mutationFn: (paymentId: string) => apiPost('/api/v1/orgs/{orgId}/payments/{paymentId}:clear', { orgId, paymentId }, undefined),
    onSuccess: async (payment) => {
      setMessage(`Payment of ${formatMoney(payment.amount)} cleared.`);
      await refresh();
    },
  });

  const startConfirm = (c: NonNullable<Confirm>) => {
    undo.reset();
    clear.reset();
    setReason('');
    setConfirm(c);
  };
  const openForm = (f: Open) => {
    setMessage(null);
    setOpen(f);
  };

  const currency = ledger.data?.currency ?? lease.rent.currency;
  // A settlement leaves its trace: deductions paid from the deposit, or the refund.
  const settled = !!ledger.data?.entries.some((e) => e.type === 'deposit_refund' || (e.type === 'allocation' && e.source === 'deposit'));

  const rowActions = (e: LedgerEntry, row: number) => {
    if (!canWrite || !ledger.data) return null;
    const state = undone(ledger.data.entries);
    const describedBy = `ledger-entry-${row}`;
    let kind: 'void' | 'reverse' | null = null;
    if (e.type === 'charge' && !state.voided.has(e.id)) kind = 'void';
    if (e.type === 'payment' && !state.reversed.has(e.id)) kind = 'reverse';
    if (!kind) return null;
    const canClear = kind === 'reverse' && pendingIds.has(e.id) && !stripeIds.has(e.id);
    if (confirm && confirm.row === row && confirm.id === e.id) {
      const submit = (ev: FormEvent) => {
        ev.preventDefault();
        undo.mutate(confirm);
      };
      return (
        <form className="leases-inline-confirm" onSubmit={submit}>
          <label htmlFor="ledger-confirm-reason">Reason</label>
          <input id="ledger-confirm-reason" name="reason" autoFocus value={reason} maxLength={500} onChange={(ev) => setReason(ev.target.value)} placeholder="Optional" />
          <button type="submit" className="btn danger" disabled={undo.isPending} aria-describedby={describedBy}>
            {kind === 'void' ? 'Confirm void' : 'Confirm reverse'}
          </button>
          <button type="button" className="btn" onClick={() => setConfirm(null)}>
            Cancel
          </button>
        </form>
      );
    }
    const undoButton = (
      <button type="button" className="btn" aria-describedby={describedBy} onClick={() => startConfirm({ type: kind, id: e.id, row })}>
        {kind === 'void' ? 'Void' : 'Reverse'}
      </button>
    );
    if (!canClear) return undoButton;
    return (
      <div className="leases-row-actions">
        <button
          type="button"
          className="btn"
          aria-describedby={describedBy}
          disabled={clear.isPending}
          onClick={() => {
            setMessage(null);
            setConfirm(null);
            undo.reset();
            clear.mutate(e.id);
          }}
        >
          Clear
        </button>
        {undoButton}
      </div>
    );
  };

  const hasCredit = !!ledger.data && (toMinor(ledger.data.unapplied.amount, ledger.data.unapplied.currency) ?? 0n) > 0n;

  const actions =
    canWrite && ledger.data ? (
      <>
        {open !== 'payment' ? (
          <button type="button" className="btn primary" onClick={() => openForm('payment')}>
            Record payment
          </button>
        ) : null}
        {online && open !== 'online' ? (
          <button type="button" className="btn" onClick={() => openForm('online')}>
            Request online payment
          </button>
        ) : null}
        {open !== 'charge' ? (
          <button type="button" className="btn" onClick={() => openForm('charge')}>
            Add charge
          </button>
        ) : null}
        {hasCredit && open !== 'credit' ? (
          <button type="button" className="btn" onClick={() => openForm('credit')}>
            Apply credit
          </button>
        ) : null}
        {lease.status === 'ended' && !settled && open !== 'settle' ? (
          <button type="button" className="btn" onClick={() => openForm('settle')}>
            Settle deposit
          </button>
        ) : null}
      </>
    ) : null;

  return (
    <Section title="Ledger" actions={actions}>
      <div role="status" aria-live="polite">
        {message ? <p className="ok-box">{message}</p> : null}
      </div>
      {open === 'payment' ? (
        <PaymentForm
          leaseId={lease.id}
          currency={currency}
          onCancel={() => setOpen(null)}
          onDone={(p: Schemas['Payment']) => {
            setOpen(null);
            setMessage(paymentSummary(p));
          }}
        />
      ) : null}
      {open === 'online' ? <OnlinePaymentForm leaseId={lease.id} currency={currency} owed={ledger.data?.balance} onClose={() => setOpen(null)} /> : null}
      {open === 'charge' ? (
        <ChargeForm
          leaseId={lease.id}
          currency={currency}
          onCancel={() => setOpen(null)}
          onDone={(c) => {
            setOpen(null);
            setMessage(`${kindLabel(c.kind)} of ${formatMoney(c.amount)} added.`);
          }}
        />
      ) : null}
      {open === 'credit' ? (
        <ApplyCreditForm
          leaseId={lease.id}
          onCancel={() => setOpen(null)}
          onDone={(p) => {
            setOpen(null);
            setMessage(creditSummary(p));
          }}
        />
      ) : null}
      {open === 'settle' && ledger.data ? (
        <SettleDepositForm
          lease={lease}
          currency={currency}
          held={ledger.data.deposit}
          onCancel={() => setOpen(null)}
          onDone={(s) => {
            setOpen(null);
            setMessage(settlementSummary(s));
          }}
        />
      ) : null}
      {ledger.isPending ? (
        <Loading label="Loading the ledger…" />
      ) : ledger.error ? (
        <ErrorState error={ledger.error} />
      ) : (
        <>
          <div className="grid leases-ledger-totals">
            <div className="tile">
              <div className="label">Balance</div>
              <div className="value" data-testid="ledger-balance">
                <MoneyText value={ledger.data.balance} />
              </div>
            </div>
            <div className="tile">
              <div className="label">Unapplied</div>
              <div className="value">
                <MoneyText value={ledger.data.unapplied} />
              </div>
            </div>
            <div className="tile">
              <div className="label">Deposit held</div>
              <div className="value">
                <MoneyText value={ledger.data.deposit} />
              </div>
            </div>
          </div>
          <FormError error={undo.error} />
          <FormError error={clear.error} />
          {payments.error ? <p className="muted">Which payments are still pending could not be read.</p> : null}
          {ledger.data.entries.length === 0 ? (
            <Empty>No entries yet: charges appear when rent is run or a charge is added.</Empty>
          ) : (
            <LedgerTable ledger={ledger.data} actions={canWrite ? rowActions : undefined} pending={pendingIds} stripe={stripeIds} />
          )}
          <h3 className="leases-subheading">Aging</h3>
          <AgingTable aging={ledger.data.aging} />
        </>
      )}
    </Section>
  );
}
