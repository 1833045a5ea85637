/**
 * Bank feeds from the browser: the owner connects a bank in Settings → Integrations — Plaid Link
 * played by the local Plaid fake at PLAID, which the app calls from the browser
 * (src/lib/plaidLink.ts), and the bank's checking account mapped to the chart's
 * Operating account; the fake then plays the bank — a mobile deposit of the rent check and a
 * hardware store purchase — and tells this stack with Plaid's signed webhook. On the Bank page
 * the deposit is matched automatically to the check payment recorded on the lease, and the
 * purchase, which nothing recorded, is booked as a new Repairs expense from there.
 */
import { expect, request, test, type Page } from '@playwright/test';
import { PLAID, api, checkA11y, shot, signIn, tokenFor, uniqueEmail } from './support';

const TZ = 'America/New_York';

function today(): string {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date());
  const get = (t: string) => p.find((x) => x.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** `day` ± `n` calendar days (YYYY-MM-DD, no timezone involved). */
function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map((x) => Number.parseInt(x, 10));
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + n)).toISOString().slice(0, 10);
}

/** A test hook of the Plaid fake (`/_fake/plaid/<path>`); answers its JSON. */
async function fake(path: string, data: unknown): Promise<Record<string, unknown>> {
  const ctx = await request.newContext();
  const r = await ctx.post(`${PLAID}/_fake/plaid/${path}`, { data });
  expect(r.ok(), `Plaid fake ${path}: ${r.status()} ${await r.text()}`).toBeTruthy();
  const body = (await r.json()) as Record<string, unknown>;
  await ctx.dispose();
  return body;
}

/** An org with an active lease at 1,550.00 whose rent was paid by check 1042, received `paidOn`. */
async function seed(email: string, paidOn: string) {
  const owner = await api(await tokenFor(email));
  const post = async (path: string, data: unknown, headers?: Record<string, string>) => {
    const r = await owner.post(path, { data, headers });
    expect(r.ok(), `${path}: ${r.status()} ${await r.text()}`).toBeTruthy();
    return (await r.json()) as Record<string, unknown>;
  };
  const org = await post('orgs', { name: 'Bank Feed LLC', baseCurrency: 'USD', country: 'US', timezone: TZ });
  const o = `orgs/${org.id as string}`;
  const b = await post(`${o}/buildings`, { name: 'Elm Court', address: { line1: '9 Elm St', city: 'Springfield', postalCode: '12345', country: 'US' } });
  const u = await post(`${o}/buildings/${b.id as string}/units`, { label: '2B' });
  const t = await post(`${o}/tenants`, { firstName: 'Ada', lastName: 'Lee', email: 'ada@example.com' });
  const l = await post(`${o}/leases`, { unitId: u.id, tenantIds: [t.id], startDate: `${paidOn.slice(0, 7)}-01`, rent: { amount: '1550.00', currency: 'USD' }, dueDay: 1 });
  await post(`${o}/leases/${l.id as string}:activate`, {});
  await post(`${o}/rent-runs`, { throughDate: today() });
  const payment = await post(
    `${o}/leases/${l.id as string}/payments`,
    { amount: { amount: '1550.00', currency: 'USD' }, receivedOn: paidOn, method: 'check', reference: '1042' },
    { 'Idempotency-Key': `bank-${Date.now()}-${Math.floor(Math.random() * 1e6)}` },
  );
  return { owner, orgId: org.id as string, paymentId: payment.id as string };
}

const row = (page: Page, text: string) => page.getByRole('row').filter({ hasText: text });
const tab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Bank' }).getByRole('link', { name, exact: true });

test('an owner connects a bank; its deposit matches the rent check and a purchase becomes an expense', async ({ page }, info) => {
  const email = uniqueEmail('bank-owner');
  const paidOn = addDays(today(), -3);
  const banked = addDays(paidOn, 1);
  const { owner, orgId, paymentId } = await seed(email, paidOn);

  // Settings → Integrations: no bank yet; the owner connects one through Link.
  await signIn(page, email, `/orgs/${orgId}/settings/integrations`);
  await expect(page.getByRole('heading', { name: 'Bank feeds', level: 2 })).toBeVisible();
  await expect(page.getByText('No bank is connected yet.')).toBeVisible();
  await checkA11y(page, 'integrations-no-bank', info);
  await page.getByRole('button', { name: 'Connect a bank' }).click();
  const mapping = page.getByRole('form', { name: 'Choose where each account’s transactions go' });
  await expect(mapping).toBeVisible();
  await expect(mapping.getByLabel('Plaid Saving ··1111')).toHaveValue('');
  await mapping.getByLabel('Plaid Checking ··0000').selectOption({ label: '1000 · Operating account' });
  await checkA11y(page, 'bank-account-mapping', info);
  await shot(page, 'settings-bank-mapping');
  await mapping.getByRole('button', { name: 'Connect bank' }).click();
  await expect(page.getByText(/Connected First Platypus Bank: 1 account syncs into the books/)).toBeVisible();
  const feed = page.getByTestId('bank-feed');
  await expect(feed.getByRole('heading', { name: 'First Platypus Bank' })).toBeVisible();
  await expect(feed.getByRole('row').filter({ hasText: 'Plaid Checking ··0000' })).toContainText('1000 · Operating account');
  await expect(feed).toContainText('Active');
  await expect(feed.getByRole('button', { name: 'Disconnect First Platypus Bank' })).toBeVisible();
  await checkA11y(page, 'integrations-bank-connected', info);
  await shot(page, 'settings-bank-feeds');

  // The bank: the check deposited the day after it was received, and a purchase; then Plaid's webhook.
  const items = (await (await owner.get(`orgs/${orgId}/integrations/plaid/items`)).json()) as { items: { itemId: string }[] };
  const itemId = items.items[0]?.itemId ?? '';
  expect(itemId).not.toBe('');
  await fake(`items/${itemId}/transactions`, {
    transactions: [
      { amount: -155000, name: 'MOBILE DEPOSIT CHECK 1042', date: banked },
      { amount: 4250, name: 'HARDWARE STORE', date: banked },
    ],
  });
  const sent = await fake(`items/${itemId}/webhook`, {});
  expect(sent.status, `the stack's answer to Plaid's webhook: ${JSON.stringify(sent)}`).toBe(200);
  // The sync runs behind a queue: wait for it through the API.
  await expect
    .poll(
      async () => {
        const r = await owner.get(`orgs/${orgId}/bank-transactions?status=unmatched`);
        const m = await owner.get(`orgs/${orgId}/bank-transactions?status=matched`);
        const names = async (res: typeof r) => ((await res.json()) as { items: { description: string }[] }).items.map((t) => t.description).join('|');
        return `${await names(r)} / ${await names(m)}`;
      },
      { timeout: 90_000, intervals: [500, 1000, 2000] },
    )
    .toBe('HARDWARE STORE / MOBILE DEPOSIT CHECK 1042');

  // The Bank page: the purchase waits under Unmatched, signed as money out.
  // (A fresh load: the app may still hold the bank as it was before its first sync.)
  await page.goto(`/orgs/${orgId}/bank`);
  await expect(page.getByRole('heading', { name: 'Bank', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/orgs/${orgId}/bank/unmatched$`));
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Bank', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('bank-feeds-summary')).toContainText('First Platypus Bank: last synced');
  const hardware = row(page, 'HARDWARE STORE');
  await expect(hardware).toContainText('-USD 42.50');
  await expect(hardware).toContainText('No recorded payment, payout or expense of this amount nearby.');
  await expect(row(page, 'MOBILE DEPOSIT CHECK 1042')).toHaveCount(0);
  await checkA11y(page, 'bank-unmatched', info);
  await shot(page, 'bank-unmatched');

  // Matched: the deposit, to the payment, automatically.
  await tab(page, 'Matched').click();
  const deposit = row(page, 'MOBILE DEPOSIT CHECK 1042');
  await expect(deposit).toContainText('+USD 1,550.00');
  await expect(deposit).toContainText('Payment');
  await expect(deposit).toContainText('from 1050 · Undeposited funds');
  await expect(deposit).toContainText('Automatically');
  await expect(deposit.getByRole('button', { name: 'Unmatch' })).toBeVisible();
  await checkA11y(page, 'bank-matched', info);
  await shot(page, 'bank-matched');
  const matched = (await (await owner.get(`orgs/${orgId}/bank-transactions?status=matched`)).json()) as { items: { matches: { id: string }[] }[] };
  expect(matched.items[0]?.matches[0]?.id).toBe(paymentId);

  // The purchase becomes a Repairs expense, made from the bank transaction.
  await tab(page, 'Unmatched').click();
  await row(page, 'HARDWARE STORE').getByRole('button', { name: 'Create expense' }).click();
  const form = page.getByRole('form', { name: /^Create an expense from HARDWARE STORE/ });
  await expect(form).toContainText('An expense of USD 42.50');
  await form.getByRole('button', { name: 'Create expense' }).click();
  await expect(form.getByText('Choose the expense account.')).toBeVisible();
  await form.getByLabel('Expense account').selectOption({ label: '5140 · Repairs' });
  await checkA11y(page, 'bank-create-expense', info);
  await shot(page, 'bank-create-expense');
  await form.getByRole('button', { name: 'Create expense' }).click();
  await expect(page.getByText('Booked HARDWARE STORE as an expense: it is now under Matched.')).toBeVisible();
  await expect(row(page, 'HARDWARE STORE')).toHaveCount(0);
  await expect(page.getByText('Nothing to match: every bank transaction is matched or ignored.')).toBeVisible();

  // Matched now, by the owner, to the new expense (which has its page).
  await tab(page, 'Matched').click();
  const booked = row(page, 'HARDWARE STORE');
  await expect(booked).toContainText('-USD 42.50');
  await expect(booked).toContainText(email);
  await expect(booked).toContainText('from 1000 · Operating account');
  await expect(row(page, 'MOBILE DEPOSIT CHECK 1042')).toHaveCount(1);
  await checkA11y(page, 'bank-matched-after-expense', info);
  await shot(page, 'bank-matched-after-expense');
  await booked.getByRole('link', { name: 'Expense' }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${orgId}/expenses/[^/]+$`));
  await expect(page.getByRole('heading', { name: 'Expense of USD 42.50', level: 1 })).toBeVisible();
  await expect(page.getByText('5140 · Repairs').first()).toBeVisible();
  await owner.dispose();
});
