import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost, type Schemas } from '@/api/client';
import { ApiError } from '@/api/problem';
import { errorFor, FormError, MoneyField, TextField } from '@/components/Field';
import { MoneyText } from '@/components/Money';
import { toMinor, normalizeAmount, type Money } from '@/lib/money';
import { useOrg } from '@/lib/org';
import { stripeKey, stripeProblem } from '@/lib/stripe';
import { amountProblem, moneyInput } from './amount';
import { useFocusFirst } from './focus';
import { useSubmissionKey } from './idempotency';

type Intent = Schemas['PaymentIntentAnswer'];
type MethodType = Schemas['PaymentMethodType'];

/** Stripe's PaymentIntent statuses in words (the new intent is `requires_payment_method`). */
const STATUS: Record<string, string> = {
  requires_payment_method: 'Waiting for the tenant to pay',
  requires_confirmation: 'Waiting for confirmation',
  requires_action: 'Waiting for the tenant (authentication)',
  processing: 'Processing',
  succeeded: 'Succeeded',
  canceled: 'Canceled',
};

/** The balance owed as the amount's default, when there is one. */
function defaultAmount(owed: Money | undefined, currency: string): string {
  if (!owed || owed.currency !== currency) return '';
  const minor = toMinor(owed.amount, currency);
  return minor !== null && minor > 0n ? (normalizeAmount(owed.amount, currency) ?? '') : '';
}

/** A 409/502/503 in words; other problems (a 400's fields) go to `FormError` and the inputs. */
function RequestProblem({ error }: { error: unknown }) {
  const stripe = stripeProblem(error);
  if (stripe) {
    return (
      <div role="alert" className="error-box">
        <strong>{stripe.title}.</strong> {stripe.detail}
      </div>
    );
  }
  if (error instanceof ApiError && error.status === 409) {
    return (
      <div role="alert" className="error-box">
        <strong>Online payment not started.</strong> {error.problem.detail}
        <br />
        If the org’s Stripe account was disconnected, an owner can connect one in Settings → Integrations.
      </div>
    );
  }
  return <FormError error={error} shown={['amount', 'paymentMethodTypes']} />;
}

/** The created intent: what the tenant's checkout needs, and what happens next. */
function Requested({ intent, onAnother, onClose }: { intent: Intent; onAnother: () => void; onClose: () => void }) {
  // The focus moves to the client secret (selected, to copy).
  const focusRef = useFocusFirst<HTMLDivElement>();
  return (
    <div ref={focusRef} className="card leases-form leases-online-result" role="region" aria-labelledby="online-result-title">
      <h3 id="online-result-title">Online payment requested</h3>
      <dl className="leases-facts">
        <div className="fact">
          <dt>Payment intent</dt>
          <dd>
            <code data-testid="payment-intent-id">{intent.paymentIntentId}</code>
          </dd>
        </div>
        <div className="fact">
          <dt>Status</dt>
          <dd>
            {STATUS[intent.status] ?? intent.status} <span className="muted">({intent.status})</span>
          </dd>
        </div>
        <div className="fact">
          <dt>Amount</dt>
          <dd>
            <MoneyText value={intent.amount} />
          </dd>
        </div>
      </dl>
      <TextField
        label="Client secret"
        name="clientSecret"
        value={intent.clientSecret}
        readOnly
        onFocus={(e) => e.currentTarget.select()}
        hint="The tenant’s checkout uses it with Stripe.js to collect this payment. Give it only to that checkout: whoever holds it can pay this intent."
      />
      <p className="muted">
        Nothing is on the ledger yet: the payment is recorded when Stripe reports it — pending while an ACH debit is processing, cleared when the money arrives, reversed if it fails or
        is disputed.
      </p>
      <div className="form-actions">
        <button type="button" className="btn" onClick={onAnother}>
          Request another
        </button>
        <button type="button" className="btn primary" onClick={onClose}>
          Done
        </button>
      </div>
    </div>
  );
}

/**
 * "Request online payment": an amount (the balance owed by default) and the methods the tenant
 * may use (card; ACH only in USD) → `POST …/payment-intents` with one Idempotency-Key per
 * submission (a retry of the same submission reuses it), then the intent for the tenant's checkout.
 */
export function OnlinePaymentForm({ leaseId, currency, owed, onClose }: { leaseId: string; currency: string; owed?: Money; onClose: () => void }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const id = useId();
  const submission = useSubmissionKey();
  const usd = currency === 'USD';
  const [amount, setAmount] = useState(() => defaultAmount(owed, currency));
  const [card, setCard] = useState(true);
  const [ach, setAch] = useState(usd);
  const [checked, setChecked] = useState(false);
  const [created, setCreated] = useState<Intent | null>(null);
  const focusRef = useFocusFirst<HTMLDivElement>(created === null);

  const request = useMutation({
    mutationFn: (body: Schemas['CreatePaymentIntent']) =>
      apiPost('/api/v1/orgs/{orgId}/leases/{leaseId}/payment-intents', { orgId, leaseId }, body, { idempotencyKey: submission.keyFor(body) }),
    onSuccess: (intent) => {
      submission.renew();
      setCreated(intent);
    },
    onError: async (e) => {
      // 409: the account may have been disconnected meanwhile; the button follows the status.
      if (e instanceof ApiError && e.status === 409) await qc.invalidateQueries({ queryKey: stripeKey(orgId) });
    },
  });

  const methods: MethodType[] = [...(card ? (['card'] as const) : []), ...(usd && ach ? (['us_bank_account'] as const) : [])];
  const amountMsg = amountProblem(amount, currency, { required: true });
  const methodsMsg = methods.length ? null : usd ? 'Choose card, ACH or both.' : 'Choose card.';
  const methodsError = (checked ? methodsMsg : null) ?? errorFor(request.error, 'paymentMethodTypes');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (amountMsg || methodsMsg) return;
    request.mutate({ amount: moneyInput(amount, currency), paymentMethodTypes: methods });
  };

  if (created) {
    return (
      <Requested
        intent={created}
        onClose={onClose}
        onAnother={() => {
          request.reset();
          setChecked(false);
          setCreated(null);
        }}
      />
    );
  }

  return (
    <div ref={focusRef}>
      <form className="form card leases-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
        <h3 id={`${id}-title`}>Request online payment</h3>
        <p className="muted">Starts a Stripe payment the tenant completes at checkout. Nothing is recorded until Stripe reports the money moving.</p>
        <RequestProblem error={request.error} />
        <div className="form-row">
          <MoneyField label="Amount" name="amount" currency={currency} value={amount} onChange={setAmount} error={request.error} invalid={checked ? amountMsg : null} required />
        </div>
        <fieldset className="leases-methods" aria-describedby={methodsError ? `${id}-methods-err` : usd ? undefined : `${id}-methods-hint`}>
          <legend>Payment methods</legend>
          <div className="leases-checkbox">
            <input id={`${id}-card`} type="checkbox" checked={card} onChange={(e) => setCard(e.target.checked)} />
            <label htmlFor={`${id}-card`}>Card</label>
          </div>
          {usd ? (
            <div className="leases-checkbox">
              <input id={`${id}-ach`} type="checkbox" checked={ach} onChange={(e) => setAch(e.target.checked)} />
              <label htmlFor={`${id}-ach`}>ACH (US bank account)</label>
            </div>
          ) : (
            <p id={`${id}-methods-hint`} className="muted leases-checkbox-hint">
              ACH debits are offered for leases in USD only; this lease is in {currency}.
            </p>
          )}
          {methodsError ? (
            <small id={`${id}-methods-err`} className="field-error" role="alert">
              {methodsError}
            </small>
          ) : null}
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="btn primary" disabled={request.isPending}>
            {request.isPending ? 'Requesting…' : 'Request payment'}
          </button>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
