/**
 * What a user feels: the app works at 360 px wide (nothing overflows the page sideways; the menu
 * folds behind a button) and from the keyboard alone (a skip link, a visible focus ring, every
 * screen reachable by Tab and Enter).
 */
import { expect, test, type Page } from '@playwright/test';
import { api, checkA11y, shot, signIn, tokenFor, uniqueEmail } from './support';

async function seededOrg(email: string) {
  const owner = await api(await tokenFor(email));
  const post = async (path: string, data: unknown, headers: Record<string, string> = {}) => {
    const r = await owner.post(path, { data, headers });
    expect(r.ok(), `${path}: ${r.status()} ${await r.text()}`).toBeTruthy();
    return (await r.json()) as Record<string, unknown>;
  };
  const org = await post('orgs', { name: 'Narrow Screens LLC', baseCurrency: 'USD', country: 'US', timezone: 'America/Chicago' });
  const o = `orgs/${org.id as string}`;
  const b = await post(`${o}/buildings`, { name: 'Elm Row', address: { line1: '3 Elm St', city: 'Springfield', postalCode: '12345', country: 'US' } });
  await post(`${o}/buildings/${b.id as string}/units:bulk`, { pattern: '{1..4}' });
  const units = (await (await owner.get(`${o}/buildings/${b.id as string}/units`)).json()) as { items: { id: string }[] };
  const t = await post(`${o}/tenants`, { firstName: 'Sam', lastName: 'Lee', email: 'sam@example.com' });
  const l = await post(`${o}/leases`, { unitId: units.items[0]?.id, tenantIds: [t.id], startDate: '2026-01-01', rent: { amount: '1234.56', currency: 'USD' }, dueDay: 1, deposit: { amount: '1234.56', currency: 'USD' } });
  await post(`${o}/leases/${l.id as string}:activate`, {});
  await post(`${o}/rent-runs`, { throughDate: '2026-03-31' });
  await post(`${o}/leases/${l.id as string}/payments`, { amount: { amount: '1000.00', currency: 'USD' }, receivedOn: '2026-01-03', method: 'ach' }, { 'Idempotency-Key': `q-${Date.now()}` });
  return { orgId: org.id as string, buildingId: b.id as string, leaseId: l.id as string };
}

async function noSidewaysScroll(page: Page, what: string) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll, `${what} overflows sideways at ${width}px`).toBeLessThanOrEqual(width);
}

test('every main screen fits a 360 px phone', async ({ page }, info) => {
  const email = uniqueEmail('phone');
  const { orgId, buildingId, leaseId } = await seededOrg(email);
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, email, `/orgs/${orgId}/dashboard`);
  const screens: [string, string][] = [
    ['dashboard', 'Dashboard'],
    [`buildings/${buildingId}`, 'Elm Row'],
    [`leases/${leaseId}`, ''],
    ['delinquency', 'Delinquency'],
    ['expenses', 'Expenses'],
    ['books/journal', 'Books'],
    ['reports/profit-and-loss', 'Profit and loss'],
    ['settings/members', 'Settings'],
    ['settings/integrations', 'Settings'],
  ];
  for (const [path, heading] of screens) {
    await page.goto(`/orgs/${orgId}/${path}`);
    if (heading) await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    else await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.waitForLoadState('networkidle');
    await noSidewaysScroll(page, path);
    await checkA11y(page, `360-${path}`, info);
  }
  await shot(page, 'phone-settings');
  // The menu folds behind a button and opens on demand.
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Leases' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Leases' })).toBeVisible();
  await noSidewaysScroll(page, 'leases');
  await shot(page, 'phone-leases');
});

test('the keyboard alone gets around, and focus is always visible', async ({ page }, info) => {
  const email = uniqueEmail('keys');
  const { orgId } = await seededOrg(email);
  await signIn(page, email, `/orgs/${orgId}/dashboard`);
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await checkA11y(page, 'dashboard', info);
  // On a wide screen the menu is always there: no button to fold it.
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Menu' })).toBeHidden();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe('none');
  // Tab to the main menu's "Buildings" and follow it with Enter.
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    const name = await page.evaluate(() => document.activeElement?.textContent?.trim());
    if (name === 'Buildings') break;
  }
  const focused = page.locator(':focus');
  await expect(focused).toHaveText('Buildings');
  expect(await focused.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Buildings' })).toBeVisible();
  // Open the create form from the keyboard: its first field takes the typing.
  await page.getByRole('button', { name: 'New building' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Name')).toBeFocused();
  await checkA11y(page, 'buildings-form', info);
  await shot(page, 'keyboard-new-building');
});
