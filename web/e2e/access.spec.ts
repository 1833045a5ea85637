/**
 * What a role may do is what the UI offers: a readonly member sees the books but no write
 * buttons (and the API refuses the write anyway); another org's URL reads "not found".
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { api, checkA11y, shot, signIn, tokenFor, uniqueEmail, userIdFor } from './support';

async function orgWithBuilding(owner: APIRequestContext, name: string): Promise<{ orgId: string; buildingId: string }> {
  const org = await owner.post('orgs', { data: { name, baseCurrency: 'USD', country: 'US', timezone: 'America/New_York' } });
  expect(org.status()).toBe(201);
  const orgId = ((await org.json()) as { id: string }).id;
  const b = await owner.post(`orgs/${orgId}/buildings`, { data: { name: 'Oak House', address: { line1: '2 Oak St', city: 'Springfield', postalCode: '12345', country: 'US' } } });
  expect(b.status()).toBe(201);
  return { orgId, buildingId: ((await b.json()) as { id: string }).id };
}

test('a readonly member sees no write buttons, and the API refuses the write anyway', async ({ page }, info) => {
  const ownerEmail = uniqueEmail('owner');
  const readerEmail = uniqueEmail('reader');
  const owner = await api(await tokenFor(ownerEmail));
  const { orgId, buildingId } = await orgWithBuilding(owner, 'Oak Holdings');
  const added = await owner.post(`orgs/${orgId}/members`, { data: { userId: userIdFor(readerEmail), email: readerEmail, role: 'readonly' } });
  expect(added.status()).toBe(201);

  await signIn(page, readerEmail, `/orgs/${orgId}/buildings`);
  await expect(page.getByRole('heading', { name: 'Buildings', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Oak House' })).toBeVisible();
  await expect(page.getByText('readonly', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New building' })).toHaveCount(0);
  await checkA11y(page, 'buildings-readonly', info);

  await page.goto(`/orgs/${orgId}/buildings/${buildingId}`);
  await expect(page.getByRole('heading', { name: 'Oak House', level: 1 })).toBeVisible();
  for (const name of ['Add units', 'Edit building', 'Archive building']) await expect(page.getByRole('button', { name })).toHaveCount(0);

  const screens: [string, string, string[]][] = [
    ['tenants', 'Tenants', ['New tenant']],
    ['leases', 'Leases', ['New lease', 'Run rent']],
    ['expenses', 'Expenses', ['New expense']],
    ['vendors', 'Vendors', ['New vendor']],
    ['settings/members', 'Settings', ['Add member']],
  ];
  for (const [path, heading, hidden] of screens) {
    await page.goto(`/orgs/${orgId}/${path}`);
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
    for (const name of hidden) await expect(page.getByRole('button', { name })).toHaveCount(0);
    await checkA11y(page, `${path}-readonly`, info);
  }
  await shot(page, 'readonly-members');

  // A user in several orgs switches between them; the role follows the org.
  const mine = await orgWithBuilding(await api(await tokenFor(readerEmail)), 'Reader Rentals');
  await page.goto(`/orgs/${orgId}/dashboard`);
  const switcher = page.getByLabel('Organization');
  await expect(switcher.locator('option')).toHaveCount(2);
  await expect(switcher.locator('option', { hasText: 'Reader Rentals' })).toHaveCount(1);
  await switcher.selectOption({ label: 'Reader Rentals' });
  await expect(page).toHaveURL(new RegExp(`/orgs/${mine.orgId}/dashboard$`));
  await expect(page.getByText('owner', { exact: true })).toBeVisible();
  await page.goto(`/orgs/${mine.orgId}/buildings`);
  await expect(page.getByRole('button', { name: 'New building' })).toBeVisible();

  // The API decides, whatever a client shows.
  const reader = await api(await tokenFor(readerEmail));
  const refused = await reader.post(`orgs/${orgId}/buildings`, { data: { name: 'Sneaky', address: { line1: '1 A St', city: 'X', postalCode: '1', country: 'US' } } });
  expect(refused.status()).toBe(403);
  expect(refused.headers()['content-type']).toContain('application/problem+json');
});

test("another org's URL shows not found", async ({ page }, info) => {
  const stranger = await api(await tokenFor(uniqueEmail('stranger')));
  const { orgId, buildingId } = await orgWithBuilding(stranger, 'Not Yours LLC');
  const visitor = uniqueEmail('visitor');
  const mine = await api(await tokenFor(visitor));
  await orgWithBuilding(mine, 'Mine LLC');

  await signIn(page, visitor, `/orgs/${orgId}/buildings/${buildingId}`);
  await expect(page.getByRole('heading', { name: 'Not found', level: 1 })).toBeVisible();
  await expect(page.getByText('Oak House')).toHaveCount(0);
  await checkA11y(page, 'other-org', info);
  await shot(page, 'other-org-not-found');
});
