/**
 * Approval workflows from the browser: an owner defines "expense approval over 500.00" from the
 * built-in template on the Approvals screen; an expense of 750.00 entered through the API is then
 * held (Awaiting approval, not booked) and the workflow runtime opens a task for the owner a
 * moment later; the owner approves it on the Approvals screen, reads who approved what on the
 * workflow's timeline, and finds the expense booked as Paid.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { api, checkA11y, shot, signIn, tokenFor, uniqueEmail } from './support';

const TZ = 'America/New_York';

function today(): string {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date());
  const get = (t: string) => p.find((x) => x.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The chart's account with `code` (the org's chart is seeded when it is created). */
async function accountId(owner: APIRequestContext, orgId: string, code: string): Promise<string> {
  const r = await owner.get(`orgs/${orgId}/accounts`);
  expect(r.ok(), `accounts: ${r.status()} ${await r.text()}`).toBeTruthy();
  const { items } = (await r.json()) as { items: { id: string; code: string }[] };
  const a = items.find((x) => x.code === code);
  if (!a) throw new Error(`no account ${code} in the chart`);
  return a.id;
}

test('an owner holds expenses over 500.00 for approval, approves one, and reads who approved it', async ({ page }, info) => {
  const email = uniqueEmail('workflows-owner');
  const owner = await api(await tokenFor(email));
  const created = await owner.post('orgs', { data: { name: 'Approval Apartments', baseCurrency: 'USD', country: 'US', timezone: TZ } });
  expect(created.status()).toBe(201);
  const orgId = ((await created.json()) as { id: string }).id;
  const [repairs, bank] = [await accountId(owner, orgId, '5140'), await accountId(owner, orgId, '1000')];

  // Approvals, from the main menu: nothing waits yet; the owner defines the approval from the template.
  await signIn(page, email, `/orgs/${orgId}/dashboard`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Approvals', level: 1 })).toBeVisible();
  await expect(page.getByText('Nothing waits for you.')).toBeVisible();
  await expect(page.getByText('No workflow is defined yet.')).toBeVisible();
  await page.getByRole('button', { name: 'New workflow' }).click();
  const form = page.getByRole('form', { name: 'New workflow' });
  await form.getByLabel('Approval threshold (USD)').fill('500.00');
  await form.getByRole('button', { name: 'Use this template' }).click();
  await expect(form.getByLabel('Name', { exact: true })).toHaveValue('Expense approval over 500.00 USD');
  await expect(form.getByLabel('Event', { exact: true })).toHaveValue('expense.approval_requested');
  await expect(form.getByLabel('Condition')).toHaveValue('amount > 500.00');
  await expect(form.getByLabel('Step 1 name')).toHaveValue('Owner approves');
  await expect(form.getByLabel('When the last step is done')).toHaveValue('approve_expense');
  await checkA11y(page, 'workflows-new', info);
  await shot(page, 'workflows-new');
  await form.getByRole('button', { name: 'Create workflow' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Created “Expense approval over 500.00 USD”' })).toBeVisible();
  const defs = page.getByRole('table', { name: 'Definitions', exact: true });
  await expect(defs).toContainText('when amount > 500.00');
  await expect(defs).toContainText('Enabled');

  // An expense of 750.00 is held: awaiting approval, not booked.
  const r = await owner.post(`orgs/${orgId}/expenses`, {
    data: { date: today(), amount: { amount: '750.00', currency: 'USD' }, accountId: repairs, paidFrom: bank, memo: 'Roof repair' },
    headers: { 'Idempotency-Key': `wf-${Date.now()}-${Math.floor(Math.random() * 1e6)}` },
  });
  expect(r.status(), await r.text()).toBe(201);
  const expense = (await r.json()) as { id: string; status: string };
  expect(expense.status).toBe('pending_approval');
  await owner.dispose();

  await page.goto(`/orgs/${orgId}/expenses/${expense.id}`);
  await expect(page.getByRole('heading', { name: /Expense of USD\s?750\.00/, level: 1 })).toBeVisible();
  const held = page.getByRole('note');
  await expect(held).toContainText('Awaiting approval.');
  await expect(page.locator('.page-header').getByText('Awaiting approval', { exact: true })).toBeVisible();
  await checkA11y(page, 'expense-awaiting-approval', info);
  await held.getByRole('link', { name: 'Open Approvals' }).click();

  // The runtime opens the owner's task a moment after the expense's event.
  await expect(page.getByRole('heading', { name: 'Approvals', level: 1 })).toBeVisible();
  const mine = page.getByRole('region', { name: 'My tasks', exact: true });
  const task = mine.getByRole('row').filter({ hasText: 'Owner approves' });
  await expect(async () => {
    await mine.getByRole('button', { name: 'Refresh' }).click();
    await expect(task).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 90_000 });
  await expect(task.getByRole('link', { name: 'Expense approval over 500.00 USD' })).toBeVisible();
  await expect(task.getByRole('link', { name: /Expense of USD\s?750\.00/ })).toHaveAttribute('href', `/orgs/${orgId}/expenses/${expense.id}`);
  await expect(task).toContainText('Any owner');
  await expect(task.getByText('Overdue')).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Workflows, newest first' }).getByRole('row').filter({ hasText: 'Expense approval over 500.00 USD' })).toContainText('Open');
  await checkA11y(page, 'workflows-my-task', info);
  await shot(page, 'workflows-my-task');

  await task.getByRole('button', { name: /^Approve / }).click();
  const done = page.getByRole('status').filter({ hasText: 'Approved “Owner approves”' });
  await expect(done).toContainText('the workflow is completed');
  await expect(mine.getByText('Nothing waits for you.')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Workflows, newest first' }).getByRole('row').filter({ hasText: 'Expense approval over 500.00 USD' })).toContainText('Completed');

  // The timeline says who approved what, and when.
  await done.getByRole('link', { name: 'See its timeline' }).click();
  await expect(page.getByRole('heading', { name: 'Expense approval over 500.00 USD', level: 1 })).toBeVisible();
  await expect(page.getByRole('region', { name: 'About' })).toContainText('Completed');
  const step = page.getByRole('table', { name: 'Tasks of this workflow' }).getByRole('row').filter({ hasText: 'Owner approves' });
  await expect(step).toContainText('Approved');
  await expect(step).toContainText(email);
  const timeline = page.getByRole('table', { name: 'Timeline of this workflow' });
  await expect(timeline.getByRole('row')).toHaveCount(5);
  await expect(timeline.getByRole('row').nth(1)).toContainText('Started');
  await expect(timeline.getByRole('row').nth(2)).toContainText('Task assigned');
  await expect(timeline.getByRole('row').nth(3)).toContainText('Task approved');
  await expect(timeline.getByRole('row').nth(3)).toContainText(email);
  await expect(timeline.getByRole('row').nth(4)).toContainText('Completed');
  await checkA11y(page, 'workflow-timeline', info);
  await shot(page, 'workflow-timeline');

  // Approved: the expense is booked as entered (paid from the bank account).
  await page.getByRole('region', { name: 'About' }).getByRole('link', { name: /Expense of USD\s?750\.00/ }).click();
  await expect(page.getByRole('heading', { name: /Expense of USD\s?750\.00/, level: 1 })).toBeVisible();
  await expect(page.locator('.page-header').getByText('Paid', { exact: true })).toBeVisible();
  await expect(page.getByRole('note')).toHaveCount(0);
});
