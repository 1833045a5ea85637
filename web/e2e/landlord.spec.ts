/**
 * A new landlord runs the business from the browser: signs in, creates an org, a building with
 * 12 units by pattern, a tenant and a lease; activates it, runs rent, records a payment and sees
 * the ledger balance and the dashboard change; uploads a lease document and a receipt; books an
 * expense split across two units; opens the P&L and downloads the year-end export.
 * axe-core checks every screen visited; screenshots go to test-results/screens/.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { API, checkA11y, idFromUrl, shot, signIn, uniqueEmail } from './support';

const TZ = 'America/New_York';

/** Today as the org (New York) writes days. */
function today(): string {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date());
  const get = (t: string) => p.find((x) => x.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}
const monthStart = () => `${today().slice(0, 7)}-01`;

/** A one-page PDF whose text the Textract fake reads (vendor, date, total). */
function receiptPdf(vendor: string, date: string, total: string): Buffer {
  const text = `BT /F1 12 Tf 72 720 Td (Vendor: ${vendor}) Tj (Date: ${date}) Tj (Total: $${total}) Tj ET`;
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n` +
      `3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >> endobj\n` +
      `4 0 obj << /Length ${text.length} >> stream\n${text}\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );
}

async function nav(page: Page, name: string) {
  const menu = page.getByRole('button', { name: 'Menu' });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
}

test('a new landlord runs a month from the browser', async ({ page }, info) => {
  const email = uniqueEmail('landlord');
  await signIn(page, email);

  // No org yet: the app offers to create one.
  await expect(page.getByRole('heading', { name: 'Create an organization' })).toBeVisible();
  await checkA11y(page, 'create-org', info);
  await page.getByLabel('Name').fill('Ann Apartments');
  await page.getByLabel('Timezone').fill(TZ);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
  const orgId = idFromUrl(page, 'orgs');
  await expect(page.getByTestId('occupied-units')).toHaveText('0');
  await checkA11y(page, 'dashboard-empty', info);

  // A building and 12 units by pattern.
  await nav(page, 'Buildings');
  await page.getByRole('button', { name: 'New building' }).click();
  await page.getByLabel('Name').fill('Maple Court');
  await page.getByLabel('Address line 1').fill('1 Maple St');
  await page.getByLabel('City').fill('Springfield');
  await page.getByLabel('Postal code').fill('12345');
  await checkA11y(page, 'building-form', info);
  await page.getByRole('button', { name: 'Create building' }).click();
  await expect(page.getByRole('heading', { name: 'Maple Court', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Add units' }).click();
  await page.getByLabel('Pattern').fill('1{01..12}');
  await page.getByRole('button', { name: 'Create units' }).click();
  await expect(page.getByText(/12 units created/)).toBeVisible();
  await expect(page.getByRole('cell', { name: '112', exact: true })).toBeVisible();
  await checkA11y(page, 'building', info);

  // A tenant.
  await nav(page, 'Tenants');
  await page.getByRole('button', { name: 'New tenant' }).click();
  await page.getByLabel('First name').fill('Jane');
  await page.getByLabel('Last name').fill('Doe');
  await page.getByLabel('Email').fill('jane@example.com');
  await page.getByRole('button', { name: 'Create tenant' }).click();
  await expect(page.getByRole('cell', { name: 'jane@example.com' })).toBeVisible();
  await checkA11y(page, 'tenants', info);

  // A lease from the first of this month, activated.
  await nav(page, 'Leases');
  await page.getByRole('button', { name: 'New lease' }).click();
  await page.getByLabel('Unit').selectOption({ label: 'Maple Court · 101' });
  await page.getByLabel('Tenant', { exact: true }).selectOption({ label: 'Jane Doe' });
  await page.getByLabel('Start date').fill(monthStart());
  await page.getByLabel('Rent').fill('1500.00');
  await page.getByLabel('Due day').fill('1');
  await checkA11y(page, 'lease-form', info);
  await page.getByRole('button', { name: 'Create lease' }).click();
  await expect(page.getByText(/Status: draft/i)).toBeVisible();
  const leaseId = idFromUrl(page, 'leases');
  await page.getByRole('button', { name: 'Activate' }).click();
  await expect(page.getByText(/Status: active/i)).toBeVisible();

  // Rent for this month.
  await nav(page, 'Leases');
  await page.getByLabel('Through date').fill(today());
  await page.getByRole('button', { name: 'Run rent' }).click();
  await expect(page.getByRole('status').filter({ hasText: /charge/i })).toBeVisible();
  await checkA11y(page, 'leases', info);

  // The dashboard's live figures: one unit occupied, the month's rent owed.
  await nav(page, 'Dashboard');
  await expect(page.getByTestId('occupied-units')).toHaveText('1');
  await expect(page.getByTestId('delinquent-total')).toContainText('1,500.00');

  // A payment on the lease's ledger.
  await page.goto(`/orgs/${orgId}/leases/${leaseId}`);
  await expect(page.getByTestId('ledger-balance')).toContainText('1,500.00');
  await page.getByRole('button', { name: 'Record payment' }).click();
  await page.getByLabel('Amount').fill('1000.00');
  await page.getByLabel('Received on').fill(today());
  await page.getByLabel('Method').selectOption('check');
  await page.getByLabel('Reference').fill('check 101');
  await page.getByRole('button', { name: 'Save payment' }).click();
  await expect(page.getByTestId('ledger-balance')).toContainText('500.00');
  await expect(page.getByTestId('ledger-balance')).not.toContainText('1,500.00');

  // A lease document, dropped into the documents section.
  await page.getByLabel('Upload a document').setInputFiles({ name: 'lease-101.pdf', mimeType: 'application/pdf', buffer: receiptPdf('Lease', today(), '0.00') });
  await expect(page.getByText('lease-101.pdf')).toBeVisible();
  await expect(page.getByRole('button', { name: /Download lease-101\.pdf/ }).or(page.getByRole('link', { name: /Download lease-101\.pdf/ }))).toBeVisible();
  await checkA11y(page, 'lease-ledger', info);
  await shot(page, 'lease-ledger');

  // The dashboard changed with the payment: the live delinquency at once, and the KPI tiles once
  // the nightly rollup has run (fired now through devstack's "run now", as `make dev` offers).
  await nav(page, 'Dashboard');
  await expect(page.getByTestId('delinquent-total')).toContainText('500.00');
  await expect(page.getByTestId('delinquent-total')).not.toContainText('1,500.00');
  const ran = await page.request.post(`${API}/_devstack/jobs/job-kpi-rollup`);
  expect(ran.status()).toBe(200);
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('group', { name: 'Collected', exact: true })).toContainText('1,000.00', { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByRole('group', { name: 'Billed', exact: true })).toContainText('1,500.00');
  await checkA11y(page, 'dashboard', info);
  await shot(page, 'dashboard');

  // An expense split across two units, paid from the bank.
  await nav(page, 'Expenses');
  await page.getByRole('button', { name: 'New expense' }).click();
  await page.getByLabel('Date').fill(today());
  await page.getByLabel('Amount', { exact: true }).fill('100.00');
  await page.getByLabel('Account').selectOption({ label: 'Repairs' });
  await page.getByLabel('Scope').selectOption('Split');
  await page.getByLabel('Part 1 building').selectOption({ label: 'Maple Court' });
  await page.getByLabel('Part 1 unit').selectOption({ label: '101' });
  await page.getByLabel('Part 1 amount').fill('60.00');
  await page.getByRole('button', { name: 'Add part' }).click();
  await page.getByLabel('Part 2 building').selectOption({ label: 'Maple Court' });
  await page.getByLabel('Part 2 unit').selectOption({ label: '102' });
  await page.getByLabel('Part 2 amount').fill('40.00');
  await checkA11y(page, 'expense-form', info);
  await page.getByRole('button', { name: 'Save expense' }).click();
  await expect(page.getByRole('cell', { name: /USD 100\.00/ }).first()).toBeVisible();

  // A receipt snapped before its expense: a draft filled from what Textract read.
  await page.getByLabel('Upload receipt').setInputFiles({ name: 'receipt.pdf', mimeType: 'application/pdf', buffer: receiptPdf('Acme Plumbing', today(), '84.20') });
  await expect(page.getByText('Acme Plumbing').first()).toBeVisible({ timeout: 60_000 });
  await checkA11y(page, 'expenses', info);

  // The P&L: this month's rent received less the repair.
  await nav(page, 'Reports');
  await page.getByRole('link', { name: 'Profit and loss' }).click();
  await expect(page.getByRole('heading', { name: 'Profit and loss', level: 1 })).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('group', { name: 'Net income' })).toContainText('900.00', { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await checkA11y(page, 'profit-and-loss', info);
  await shot(page, 'profit-and-loss');

  // The year-end export, built in the background, then downloaded.
  await nav(page, 'Reports');
  await page.getByLabel('Year').fill(today().slice(0, 4));
  await page.getByRole('button', { name: 'Export year-end (ZIP)' }).click();
  const link = page.getByRole('link', { name: /Download/ }).first();
  await expect(link).toBeVisible({ timeout: 90_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const zip = readFileSync(await download.path());
  expect(zip.subarray(0, 2).toString()).toBe('PK');
  await checkA11y(page, 'reports', info);
});
