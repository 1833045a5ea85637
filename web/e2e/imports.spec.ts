/**
 * CSV imports from the browser: the owner of a new org downloads the tenants template, then checks
 * a file of 50 tenants as a dry run — the file goes from the browser straight to its presigned
 * URL — and sees its 2 bad rows by line and column (line 5's email, line 9's missing last name),
 * with Commit refused. The fixed file, checked again, is clean; committed, it creates the 50
 * tenants, which the Tenants page and the API then have.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { api, checkA11y, shot, signIn, tokenFor, uniqueEmail } from './support';

/** 50 tenants; `broken` spoils line 5's email and empties line 9's last name (line 1 is the header). */
function tenantsCsv(broken: boolean): Buffer {
  const lines = ['firstName,lastName,email,phone'];
  for (let i = 1; i <= 50; i++) {
    const line = i + 1;
    const email = broken && line === 5 ? 'not-an-email' : `tenant${i}@example.com`;
    const last = broken && line === 9 ? '' : 'Imported';
    lines.push(`Tenant${i},${last},${email},`);
  }
  return Buffer.from(lines.join('\n') + '\n', 'utf8');
}

async function tenantCount(owner: APIRequestContext, orgId: string): Promise<number> {
  let n = 0;
  let cursor: string | null | undefined;
  for (let i = 0; i < 20; i++) {
    const r = await owner.get(`orgs/${orgId}/tenants`, { params: cursor ? { limit: 100, cursor } : { limit: 100 } });
    expect(r.ok(), `tenants: ${r.status()} ${await r.text()}`).toBeTruthy();
    const page = (await r.json()) as { items: unknown[]; nextCursor?: string | null };
    n += page.items.length;
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return n;
}

test('an owner checks a CSV of 50 tenants, sees its 2 bad rows, then imports the fixed file', async ({ page }, info) => {
  const email = uniqueEmail('import-owner');
  const owner = await api(await tokenFor(email));
  const created = await owner.post('orgs', { data: { name: 'Import Test LLC', baseCurrency: 'USD', country: 'US', timezone: 'America/New_York' } });
  expect(created.ok(), `orgs: ${created.status()} ${await created.text()}`).toBeTruthy();
  const orgId = ((await created.json()) as { id: string }).id;

  await signIn(page, email, `/orgs/${orgId}/imports`);
  await expect(page.getByRole('heading', { name: 'Import', level: 1 })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByText('No imports yet.')).toBeVisible();
  await checkA11y(page, 'imports-empty', info);

  // The template, fetched with the token and saved as a file.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the tenants template' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('tenants-template.csv');
  const template = readFileSync(await download.path(), 'utf8');
  expect(template.split(/\r?\n/)[0]).toBe('firstName,lastName,email,phone');

  // The dry run of the file with 2 bad rows.
  await page.getByLabel('What to import').selectOption('tenants');
  await page.getByLabel('CSV file').setInputFiles({ name: 'tenants-50.csv', mimeType: 'text/csv', buffer: tenantsCsv(true) });
  await page.getByRole('button', { name: 'Check (dry run)' }).click();
  const result = page.getByTestId('import-result');
  await expect(result.getByText('Checked 50 rows: 2 errors in 2 rows. Nothing was written.')).toBeVisible({ timeout: 90_000 });
  const counts = result.getByLabel('Counts');
  await expect(counts).toContainText('Rows50');
  await expect(counts).toContainText('Valid48');
  await expect(counts).toContainText('Rows with errors2');
  const errors = page.getByRole('region', { name: 'Errors by line and column' }).getByRole('row');
  await expect(errors).toHaveCount(3);
  await expect(errors.nth(1).getByRole('cell').nth(0)).toHaveText('5');
  await expect(errors.nth(1).getByRole('cell').nth(1)).toHaveText('email');
  await expect(errors.nth(2).getByRole('cell').nth(0)).toHaveText('9');
  await expect(errors.nth(2).getByRole('cell').nth(1)).toHaveText('lastName');
  await expect(page.getByRole('button', { name: 'Commit 48 tenants' })).toBeDisabled();
  await expect(page.getByText(/Nothing can be committed while the file has errors/)).toBeVisible();
  await checkA11y(page, 'imports-dry-run-errors', info);
  await shot(page, 'imports-dry-run-errors');

  // The fixed file: clean, then committed.
  await page.getByLabel('CSV file').setInputFiles({ name: 'tenants-50-fixed.csv', mimeType: 'text/csv', buffer: tenantsCsv(false) });
  await page.getByRole('button', { name: 'Check (dry run)' }).click();
  await expect(result.getByText('tenants-50-fixed.csv')).toBeVisible();
  await expect(result.getByText('Checked 50 rows: no errors. 50 rows are ready to import.')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByRole('region', { name: 'Errors by line and column' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Commit 50 tenants' }).click();
  await expect(result.getByText('Imported: 50 created.')).toBeVisible({ timeout: 90_000 });
  await expect(result.getByLabel('Counts')).toContainText('Created50');
  const past = page.getByRole('region', { name: 'Imports, newest first' }).getByRole('row');
  await expect(past).toHaveCount(3);
  await expect(past.nth(1)).toContainText('tenants-50-fixed.csv');
  await expect(past.nth(1)).toContainText('Imported');
  await expect(past.nth(2)).toContainText('tenants-50.csv');
  await expect(past.nth(2)).toContainText('Checked');
  await checkA11y(page, 'imports-committed', info);
  await shot(page, 'imports-committed');

  // The 50 tenants are there.
  expect(await tenantCount(owner, orgId)).toBe(50);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tenants', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Tenants', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: /^Tenant\d+ Imported$/ }).first()).toBeVisible();
  await owner.dispose();
});
