/**
 * Rent paid online through Stripe, from the browser: the owner connects the org's Stripe account
 * in Settings → Integrations and requests an ACH payment on the lease page; the local Stripe fake
 * (infra/fakes/stripe_server.py, at STRIPE) plays the tenant and the bank — it confirms the
 * intent, then settles it — and delivers Stripe's signed webhooks to this stack's
 * `/webhooks/stripe`: the payment shows pending, then cleared with the balance at 0.00.
 */
import { expect, request, test, type Page } from '@playwright/test';
import { API, STRIPE, api, checkA11y, shot, signIn, tokenFor, uniqueEmail } from './support';

const TZ = 'America/New_York';
/** The devstack's Stripe webhook signing secret (devstack::LOCAL_STRIPE_WEBHOOK_SECRET). */
const WEBHOOK_SECRET = 'whsec_devstack';

function today(): string {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date());
  const get = (t: string) => p.find((x) => x.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** A test hook of the Stripe fake (`/_fake/stripe/<path>`); answers its JSON. */
async function fake(path: string, data: unknown): Promise<Record<string, unknown>> {
  const ctx = await request.newContext();
  const r = await ctx.post(`${STRIPE}/_fake/stripe/${path}`, { data });
  expect(r.ok(), `Stripe fake ${path}: ${r.status()} ${await r.text()}`).toBeTruthy();
  const body = (await r.json()) as Record<string, unknown>;
  await ctx.dispose();
  return body;
}

/** An org with one active lease at 1,500.00 from the 1st of this month, this month's rent charged. */
async function seed(email: string) {
  const owner = await api(await tokenFor(email));
  const post = async (path: string, data: unknown) => {
    const r = await owner.post(path, { data });
    expect(r.ok(), `${path}: ${r.status()} ${await r.text()}`).toBeTruthy();
    return (await r.json()) as Record<string, unknown>;
  };
  const org = await post('orgs', { name: 'Online Rent LLC', baseCurrency: 'USD', country: 'US', timezone: TZ });
  const o = `orgs/${org.id as string}`;
  const b = await post(`${o}/buildings`, { name: 'Birch Row', address: { line1: '4 Birch St', city: 'Springfield', postalCode: '12345', country: 'US' } });
  const u = await post(`${o}/buildings/${b.id as string}/units`, { label: '1A' });
  const t = await post(`${o}/tenants`, { firstName: 'Tia', lastName: 'Tenant', email: 'tia@example.com' });
  const l = await post(`${o}/leases`, { unitId: u.id, tenantIds: [t.id], startDate: `${today().slice(0, 7)}-01`, rent: { amount: '1500.00', currency: 'USD' }, dueDay: 1 });
  await post(`${o}/leases/${l.id as string}:activate`, {});
  await post(`${o}/rent-runs`, { throughDate: today() });
  await owner.dispose();
  return { orgId: org.id as string, leaseId: l.id as string };
}

/** The ledger row of the Stripe payment (its description carries the badge). */
const stripeRow = (page: Page) => page.getByRole('table', { name: /Ledger entries/ }).getByRole('row').filter({ has: page.getByText('Stripe', { exact: true }) });

test('an owner connects Stripe and a tenant pays rent online by ACH', async ({ page }, info) => {
  const email = uniqueEmail('stripe-owner');
  const { orgId, leaseId } = await seed(email);

  // The org's own connected account on the fake, whose events come to this stack, signed.
  const account = `acct_web${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  await fake('accounts', { id: account });
  await fake('webhooks', { url: `${API}/webhooks/stripe`, secrets: [WEBHOOK_SECRET], account });

  // Settings → Integrations: not connected; the owner connects the account.
  await signIn(page, email, `/orgs/${orgId}/settings/integrations`);
  await expect(page.getByRole('heading', { name: 'Stripe', level: 2 })).toBeVisible();
  await expect(page.getByTestId('stripe-status')).toContainText('Not connected');
  await checkA11y(page, 'integrations-not-connected', info);
  await page.getByLabel('Stripe account ID').fill('acct-typo');
  await page.getByRole('button', { name: 'Connect Stripe' }).click();
  await expect(page.getByText(/A Stripe account ID looks like acct_/)).toBeVisible();
  await page.getByLabel('Stripe account ID').fill(account);
  await page.getByRole('button', { name: 'Connect Stripe' }).click();
  const status = page.getByTestId('stripe-status');
  await expect(status).toContainText('Connected');
  await expect(status).toContainText(account);
  await expect(status).toContainText(email);
  await expect(page.getByRole('button', { name: 'Disconnect Stripe' })).toBeVisible();
  await checkA11y(page, 'integrations-connected', info);
  await shot(page, 'settings-integrations-stripe');

  // The lease page: request an ACH payment of the balance owed.
  await page.goto(`/orgs/${orgId}/leases/${leaseId}`);
  await expect(page.getByTestId('ledger-balance')).toContainText('1,500.00');
  await page.getByRole('button', { name: 'Request online payment' }).click();
  const form = page.getByRole('form', { name: 'Request online payment' });
  await expect(form.getByLabel('Amount')).toHaveValue('1500.00');
  await form.getByRole('checkbox', { name: 'Card' }).uncheck();
  await expect(form.getByRole('checkbox', { name: 'ACH (US bank account)' })).toBeChecked();
  await checkA11y(page, 'online-payment-form', info);
  await form.getByRole('button', { name: 'Request payment' }).click();
  const result = page.getByRole('region', { name: 'Online payment requested' });
  await expect(result).toBeVisible();
  const intentId = ((await result.getByTestId('payment-intent-id').textContent()) ?? '').trim();
  expect(intentId).toMatch(/^pi_/);
  await expect(result).toContainText('requires_payment_method');
  await expect(result).toContainText('USD 1,500.00');
  await expect(result.getByLabel('Client secret')).toHaveValue(new RegExp(`^${intentId}_secret_`));
  await checkA11y(page, 'online-payment-requested', info);
  await shot(page, 'online-payment-requested');
  // Nothing is booked before Stripe says the money moved.
  await expect(page.getByTestId('ledger-balance')).toContainText('1,500.00');
  await expect(stripeRow(page)).toHaveCount(0);

  // The tenant pays by ACH: processing at Stripe, a pending payment here, not yet applied.
  await fake(`payment_intents/${intentId}/confirm`, { payment_method: 'us_bank_account' });
  await page.reload();
  await expect(stripeRow(page)).toHaveCount(1);
  await expect(stripeRow(page)).toContainText('Pending');
  await expect(page.getByTestId('ledger-balance')).toContainText('1,500.00');
  await checkA11y(page, 'ledger-stripe-pending', info);
  await shot(page, 'ledger-stripe-pending');

  // The bank settles it: cleared and applied to the month's rent; nothing owed.
  await fake(`payment_intents/${intentId}/succeed`, {});
  await page.reload();
  await expect(page.getByTestId('ledger-balance')).toHaveText(/^\s*USD\s0\.00\s*$/);
  await expect(stripeRow(page)).toHaveCount(1);
  await expect(stripeRow(page)).not.toContainText('Pending');
  await checkA11y(page, 'ledger-stripe-cleared', info);
  await shot(page, 'ledger-stripe-cleared');
});
