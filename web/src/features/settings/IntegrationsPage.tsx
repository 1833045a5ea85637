import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiDelete, apiPut } from '@/api/client';
import { FormError, TextField } from '@/components/Field';
import { Section } from '@/components/Page';
import { ErrorState, Loading } from '@/components/QueryState';
import { formatInstant } from '@/lib/dates';
import { useCan, useOrg } from '@/lib/org';
import { ACCOUNT_ID, isConnected, stripeKey, stripeProblem, useStripeConnection, type StripeConnection } from '@/lib/stripe';
import { BankFeeds } from './BankFeeds';
import { ConfirmDisconnect, Facts, NotAllowed, useMemberEmails } from './common';
import { Sftp } from './Sftp';

const yesNo = (v: boolean | null | undefined) => (v === true ? 'Yes' : v === false ? 'No' : '—');

/** A 502/503 from a call that reaches Stripe, in words; other problems go to `FormError`. */
function StripeError({ error }: { error: unknown }) {
  const p = stripeProblem(error);
  if (!p) return null;
  return (
    <div role="alert" className="error-box">
      <strong>{p.title}.</strong> {p.detail}
    </div>
  );
}

function ConnectForm() {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const [accountId, setAccountId] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const connect = useMutation({
    mutationFn: (id: string) => apiPut('/api/v1/orgs/{orgId}/integrations/stripe', { orgId }, { accountId: id }),
    onSuccess: async (connection) => {
      qc.setQueryData(stripeKey(orgId), connection);
      setAccountId('');
      await qc.invalidateQueries({ queryKey: stripeKey(orgId) });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const id = accountId.trim();
    const problem = !id ? 'Enter the Stripe account ID.' : ACCOUNT_ID.test(id) ? null : 'A Stripe account ID looks like acct_1Nv0FGQ9RKHgCVdK: “acct_” then letters and digits.';
    setInvalid(problem);
    if (problem) return;
    connect.mutate(id);
  };
  return (
    <form className="form card settings-form form-section" onSubmit={submit} noValidate aria-labelledby="stripe-connect-heading">
      <h3 id="stripe-connect-heading">Connect a Stripe account</h3>
      <p className="muted">Tenants then pay rent online by card or ACH; each payment is recorded on the lease’s ledger when Stripe reports the money moving.</p>
      {stripeProblem(connect.error) ? <StripeError error={connect.error} /> : <FormError error={connect.error} shown={['accountId']} />}
      <TextField
        label="Stripe account ID"
        name="accountId"
        value={accountId}
        onChange={(e) => setAccountId(e.target.value)}
        error={connect.error}
        invalid={invalid}
        hint="The connected account Stripe Connect’s onboarding returned, e.g. acct_1Nv0FGQ9RKHgCVdK."
        autoComplete="off"
        spellCheck={false}
        required
      />
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={connect.isPending}>
          {connect.isPending ? 'Connecting…' : 'Connect Stripe'}
        </button>
      </div>
    </form>
  );
}

/** "Disconnect" → an inline confirmation that says what stays. */
function Disconnect({ accountId }: { accountId: string }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const [armed, setArmed] = useState(false);
  const disconnect = useMutation({
    mutationFn: () => apiDelete('/api/v1/orgs/{orgId}/integrations/stripe', { orgId }),
    onSuccess: async () => {
      setArmed(false);
      await qc.invalidateQueries({ queryKey: stripeKey(orgId) });
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
          Disconnect Stripe
        </button>
      </div>
    );
  }
  return (
    <ConfirmDisconnect
      title={<>Disconnect {accountId}?</>}
      explain="No new online payments can be requested through it. Payments already taken stay on the leases’ ledgers and in the books; nothing is refunded."
      mutation={disconnect}
      onConfirm={() => disconnect.mutate()}
      onCancel={() => setArmed(false)}
    />
  );
}

function Status({ connection }: { connection: StripeConnection }) {
  const { orgId, org } = useOrg();
  const connected = isConnected(connection);
  const emails = useMemberEmails(orgId, connected && !!connection.connectedBy);
  if (!connected) {
    return (
      <p className="card settings-form" data-testid="stripe-status">
        <span className="status">Not connected</span> <span className="muted">No Stripe account is connected: online rent payments are off.</span>
      </p>
    );
  }
  const by = connection.connectedBy ? (emails.data?.get(connection.connectedBy) ?? connection.connectedBy) : '—';
  return (
    <div className="card settings-form" data-testid="stripe-status">
      <Facts
        items={[
          ['Status', <span className="status integrations-connected">Connected</span>],
          ['Account', <code>{connection.accountId}</code>],
          ['Charges enabled', yesNo(connection.chargesEnabled)],
          ['Payouts enabled', yesNo(connection.payoutsEnabled)],
          ['Connected on', formatInstant(connection.connectedAt, org.timezone)],
          ['Connected by', by],
        ]}
      />
      {connection.chargesEnabled === false ? (
        <p className="muted">Stripe has not enabled charges on this account yet: finish its onboarding at Stripe before tenants pay online.</p>
      ) : null}
    </div>
  );
}

/** `settings/integrations`: the org's Stripe account (Connect), its bank feeds (Plaid) and its SFTP server; owners connect and disconnect them. */
export default function IntegrationsPage() {
  const { orgId } = useOrg();
  const read = useCan('integrationRead');
  const manage = useCan('integrationManage');
  const stripe = useStripeConnection(orgId, read);
  if (!read) return <NotAllowed what="integrations" />;
  return (
    <>
      <Section title="Stripe">
        {stripe.isPending ? (
          <Loading />
        ) : stripe.error ? (
          <ErrorState error={stripe.error} />
        ) : (
          <>
            <Status connection={stripe.data} />
            {manage ? (
              isConnected(stripe.data) ? (
                <Disconnect key={stripe.data.accountId} accountId={stripe.data.accountId ?? ''} />
              ) : (
                <ConnectForm />
              )
            ) : (
              <p className="muted">Only an owner can connect or disconnect the org’s Stripe account.</p>
            )}
          </>
        )}
      </Section>
      <BankFeeds />
      <Sftp />
    </>
  );
}
