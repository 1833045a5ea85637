/**
 * Maintenance from the browser: an owner sets the org's emergency alert phone, reports a leaking
 * tap on a unit, sees the dashboard count it, assigns the vendor, adds a photo, starts the work
 * and completes it with its cost paid from the operating account — booked as an expense on the
 * unit, linked from the request — and the dashboard's open count is back to 0.
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { api, checkA11y, shot, signIn, tokenFor, uniqueEmail } from './support';

const TZ = 'America/New_York';

/** Today as the org (New York) writes days. */
function today(): string {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date());
  const get = (t: string) => p.find((x) => x.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

function poster(owner: APIRequestContext) {
  return async (path: string, data: unknown) => {
    const r = await owner.post(path, { data });
    expect(r.ok(), `${path}: ${r.status()} ${await r.text()}`).toBeTruthy();
    return (await r.json()) as Record<string, unknown>;
  };
}

/** A 1×1 PNG: what the upload check's magic bytes expect of `image/png`. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

async function nav(page: Page, name: string) {
  const menu = page.getByRole('button', { name: 'Menu' });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
}

test('an owner takes a maintenance request from report to completion, its cost booked as an expense', async ({ page }, info) => {
  const email = uniqueEmail('maintenance-owner');
  const owner = await api(await tokenFor(email));
  const post = poster(owner);
  const org = await post('orgs', { name: 'Elm Estates', baseCurrency: 'USD', country: 'US', timezone: TZ });
  const orgId = org.id as string;
  const o = `orgs/${orgId}`;
  const building = await post(`${o}/buildings`, { name: 'Elm House', address: { line1: '7 Elm St', city: 'Albany', region: 'NY', postalCode: '12207', country: 'US' } });
  await post(`${o}/buildings/${building.id as string}/units`, { label: '2B' });
  await post(`${o}/vendors`, { name: 'Fixit Plumbing', kind: 'company' });
  await owner.dispose();

  // The org's alert phone, in its settings (emergencies are texted to it).
  await signIn(page, email, `/orgs/${orgId}/settings/org`);
  await page.getByLabel('Emergency alert phone').fill('+1 (555) 010-0177');
  await page.getByRole('button', { name: 'Save organization' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

  // Nothing open yet.
  await nav(page, 'Dashboard');
  await expect(page.getByTestId('open-maintenance')).toHaveText('0');

  // A request on unit 2B, from the Maintenance screen.
  await nav(page, 'Maintenance');
  await expect(page.getByRole('heading', { name: 'Maintenance', level: 1 })).toBeVisible();
  await expect(page.getByText('No maintenance requests yet.')).toBeVisible();
  await page.getByRole('button', { name: 'New request' }).click();
  const form = page.getByRole('form', { name: 'New request' });
  await form.getByLabel('Building').selectOption({ label: 'Elm House' });
  await form.getByLabel('Unit').selectOption({ label: '2B' });
  await form.getByLabel('Title').fill('Leaking kitchen tap');
  await form.getByLabel('Description').fill('Drips all night; the cabinet below is wet.');
  await form.getByLabel('Priority').selectOption({ label: 'Urgent' });
  await form.getByLabel('Reported by').fill('Ida (phone call)');
  await checkA11y(page, 'maintenance-new', info);
  await form.getByRole('button', { name: 'Create request' }).click();
  await expect(page.getByRole('heading', { name: 'Leaking kitchen tap', level: 1 })).toBeVisible();
  const status = page.getByTestId('request-status');
  await expect(status).toHaveText('Open');
  const requestUrl = page.url();

  // The dashboard counts it, and its tile leads to the list, the list to the request.
  await nav(page, 'Dashboard');
  await expect(page.getByTestId('open-maintenance')).toHaveText('1');
  await page.getByRole('group', { name: 'Open maintenance' }).getByRole('link', { name: 'Maintenance requests' }).click();
  const list = page.getByRole('table', { name: 'Maintenance requests' });
  const row = list.getByRole('row').filter({ hasText: 'Leaking kitchen tap' });
  await expect(row).toContainText('Urgent');
  await expect(row).toContainText('Open');
  await expect(row).toContainText('Elm House · 2B');
  await checkA11y(page, 'maintenance-list', info);
  await row.getByRole('link', { name: 'Leaking kitchen tap' }).click();
  await expect(page).toHaveURL(requestUrl);

  // The vendor, on a day.
  await page.getByRole('button', { name: 'Assign vendor' }).click();
  const assign = page.getByRole('form', { name: 'Assign a vendor' });
  await assign.getByLabel('Vendor').selectOption({ label: 'Fixit Plumbing' });
  await assign.getByLabel('Scheduled for').fill(today());
  await assign.getByRole('button', { name: 'Assign vendor' }).click();
  await expect(status).toHaveText('Assigned');
  await expect(page.getByText('Fixit Plumbing')).toBeVisible();

  // A photo of the leak, as a document about the request.
  const photos = page.getByRole('region', { name: 'Photos', exact: true });
  await photos.getByLabel('Upload a photo').setInputFiles({ name: 'leak.png', mimeType: 'image/png', buffer: PNG });
  await expect(photos.getByText('leak.png')).toBeVisible();
  await expect(photos.getByRole('link', { name: 'Download leak.png' })).toBeVisible();
  await expect(photos.getByRole('img', { name: 'Photo: leak.png' })).toBeVisible();

  await page.getByRole('button', { name: 'Start work' }).click();
  await expect(status).toHaveText('In progress');

  // Completed with its cost, paid from the operating account.
  await page.getByRole('button', { name: 'Complete', exact: true }).click();
  const complete = page.getByRole('form', { name: 'Complete the request' });
  await expect(complete.getByLabel('Completed on')).toHaveValue(today());
  await complete.getByLabel('Cost').fill('180.00');
  await complete.getByLabel('Paid from').selectOption({ label: '1000 · Operating account' });
  await checkA11y(page, 'maintenance-complete', info);
  await complete.getByRole('button', { name: 'Complete request' }).click();
  await expect(status).toHaveText('Completed');
  const cost = page.getByRole('region', { name: 'Cost', exact: true });
  const expenseLink = cost.getByRole('link', { name: 'View the expense' });
  await expect(expenseLink).toHaveAttribute('href', new RegExp(`^/orgs/${orgId}/expenses/[^/]+$`));
  await expect(cost).toContainText(/USD\s?180\.00/);
  await expect(cost).toContainText('Paid from 1000 · Operating account');
  await expect(cost).toContainText('Repairs');
  await expect(page.getByRole('button', { name: 'Cancel request' })).toHaveCount(0);
  await checkA11y(page, 'maintenance-completed', info);
  await shot(page, 'maintenance-completed');

  // The expense it was booked as.
  await expenseLink.click();
  await expect(page.getByRole('heading', { name: /Expense of USD\s?180\.00/, level: 1 })).toBeVisible();

  // Nothing open any more.
  await nav(page, 'Dashboard');
  await expect(page.getByTestId('open-maintenance')).toHaveText('0');
});
