/**
 * Jurisdiction rules from the browser: an owner reads the built-in pack on the Policies screen,
 * asks which rule applies in New York on the day the notice law changed (deposit vs notice),
 * creates a rule of the org's own that then wins in the tester, and deletes it; and activates a
 * New York lease whose deposit is over the cap by overriding it with a reason.
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

/** The tester: asks for `area` in US-NY on `date` and waits for its answer. */
async function whichRuleApplies(page: Page, area: string, date: string) {
  const tester = page.getByRole('form', { name: 'Which rule applies?' });
  await tester.getByLabel('Area').selectOption(area);
  await tester.getByLabel('Country').fill('US');
  await tester.getByLabel('Region').fill('NY');
  await tester.getByLabel('On', { exact: true }).fill(date);
  await tester.getByRole('button', { name: 'Find the rule' }).click();
  const answer = page.getByTestId('policy-resolution');
  await expect(answer).toBeVisible();
  return answer;
}

test('an owner reads the built-in rules, asks which applies, and a rule of the org’s own wins until deleted', async ({ page }, info) => {
  const email = uniqueEmail('policies-owner');
  const owner = await api(await tokenFor(email));
  const org = await poster(owner)('orgs', { name: 'Empire Rentals', baseCurrency: 'USD', country: 'US', timezone: TZ });
  const orgId = org.id as string;
  await owner.dispose();

  // The screen, from the main menu; the pack grouped by place, each rule in words.
  await signIn(page, email, `/orgs/${orgId}/dashboard`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Policies', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Policies', level: 1 })).toBeVisible();
  const ny = page.getByRole('region', { name: 'New York, United States (US-NY)' });
  const lateFee = ny.getByRole('article', { name: 'New York late fee (RPL §238-a)' });
  await expect(lateFee).toBeVisible();
  await expect(lateFee).toContainText(/No fee until more than 5 days late; at most USD\s?50\.00 and 5% of rent\./);
  await expect(lateFee.getByRole('link', { name: 'legalservicesli.org/?p=1414' })).toHaveAttribute('href', 'https://legalservicesli.org/?p=1414');
  await expect(ny.getByRole('article', { name: 'New York deposit cap (HSTPA 2019)' })).toContainText("At most 1 month's rent.");
  await expect(page.getByRole('region', { name: 'Germany (DE)' })).toContainText('payable in up to 3 monthly instalments');
  await expect(page.getByText('No rules of your own: the built-in rules apply.')).toBeVisible();
  await checkA11y(page, 'policies', info);
  await shot(page, 'policies');

  // On 2024-08-17 the deposit cap is HSTPA's; notice is still §226-c's original text (its last
  // day), the Good Cause amendment not yet in effect.
  let answer = await whichRuleApplies(page, 'deposit', '2024-08-17');
  await expect(answer).toContainText('Applies: New York deposit cap (HSTPA 2019).');
  await expect(answer).toContainText("At most 1 month's rent.");
  answer = await whichRuleApplies(page, 'notice', '2024-08-17');
  await expect(answer).toContainText('Applies: New York notice of rent increase ≥ 5% or non-renewal (RPL §226-c, original text).');
  await expect(answer).toContainText("30 days' notice; 60 days from 1 year of tenancy; 90 days from 2 years of tenancy.");
  const amended = answer.getByRole('table', { name: 'Other rules considered' }).getByRole('row').filter({ hasText: 'Good Cause Eviction' });
  await expect(amended).toContainText('Not in effect');
  await expect(amended).toContainText('it takes effect on 2024-08-18');
  await checkA11y(page, 'policies-tester', info);

  // A stricter deposit cap of the org's own: checked first, then created.
  await page.getByRole('button', { name: 'New rule' }).click();
  const form = page.getByRole('form', { name: 'New rule' });
  await form.getByLabel('Name').fill('Our NY deposit cap');
  await form.getByLabel('Region').fill('NY');
  await form.getByLabel('In effect from').fill('2024-01-01');
  await form.getByLabel('In effect through').fill('2023-12-31');
  await form.getByRole('button', { name: 'Create rule' }).click();
  await expect(form.getByText('The last day cannot be before the first.')).toBeVisible();
  await expect(form.getByText('Give at least one term.')).toBeVisible();
  await form.getByLabel('In effect through').fill('');
  await form.getByLabel("At most (months' rent)", { exact: true }).fill('0.5');
  await checkA11y(page, 'policies-new-rule', info);
  await form.getByRole('button', { name: 'Create rule' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Created “Our NY deposit cap” for US-NY.' })).toBeVisible();
  const own = page.getByRole('table', { name: 'Rules of your own' });
  await expect(own).toContainText('Our NY deposit cap');
  await expect(own).toContainText("At most 0.5 months' rent.");

  // It wins in the tester now; the pack's rule is outranked by it.
  answer = await whichRuleApplies(page, 'deposit', '2024-08-17');
  await expect(answer).toContainText('Applies: Our NY deposit cap.');
  const pack = answer.getByRole('table', { name: 'Other rules considered' }).getByRole('row').filter({ hasText: 'New York deposit cap (HSTPA 2019)' });
  await expect(pack).toContainText('Outranked');
  await expect(pack).toContainText('outranks the built-in pack');
  await shot(page, 'policies-own-rule-wins');

  // Deleted, after a confirmation: the pack's rule applies again.
  await own.getByRole('button', { name: 'Delete Our NY deposit cap' }).click();
  await own.getByRole('group', { name: 'Delete Our NY deposit cap?' }).getByRole('button', { name: 'Confirm delete' }).click();
  await expect(page.getByText('No rules of your own: the built-in rules apply.')).toBeVisible();
  answer = await whichRuleApplies(page, 'deposit', '2024-08-17');
  await expect(answer).toContainText('Applies: New York deposit cap (HSTPA 2019).');
});

test('an owner activates a New York lease over the deposit cap by overriding it with a reason', async ({ page }, info) => {
  const email = uniqueEmail('policies-lease');
  const owner = await api(await tokenFor(email));
  const post = poster(owner);
  const org = await post('orgs', { name: 'Hudson Homes', baseCurrency: 'USD', country: 'US', timezone: TZ });
  const o = `orgs/${org.id as string}`;
  const b = await post(`${o}/buildings`, { name: 'Hudson Flats', address: { line1: '5 River Rd', city: 'Albany', region: 'NY', postalCode: '12207', country: 'US' } });
  const u = await post(`${o}/buildings/${b.id as string}/units`, { label: '2B' });
  const t = await post(`${o}/tenants`, { firstName: 'Nia', lastName: 'Stone', email: 'nia@example.com' });
  const start = `${today().slice(0, 7)}-01`;
  const l = await post(`${o}/leases`, {
    unitId: u.id,
    tenantIds: [t.id],
    startDate: start,
    rent: { amount: '1000.00', currency: 'USD' },
    dueDay: 1,
    deposit: { amount: '3000.00', currency: 'USD' },
  });
  await owner.dispose();

  await signIn(page, email, `/orgs/${org.id as string}/leases/${l.id as string}`);
  await expect(page.getByText(/Status: draft/i)).toBeVisible();
  await page.getByRole('button', { name: 'Activate', exact: true }).click();
  const panel = page.getByRole('region', { name: 'Over the jurisdiction’s limit' });
  await expect(panel.getByRole('alert')).toContainText(
    `The deposit 3000.00 USD is more than 1000.00 USD, the most New York deposit cap (HSTPA 2019) (us-ny-deposit-hstpa) allows on ${start}.`,
  );
  await expect(panel).not.toContainText('{"override"');
  await expect(page.getByText(/Status: draft/i)).toBeVisible();
  await checkA11y(page, 'lease-over-cap', info);

  await panel.getByRole('button', { name: 'Activate anyway' }).click();
  const form = panel.getByRole('form', { name: 'Activate anyway' });
  await expect(form.getByLabel('Reason')).toBeFocused();
  await form.getByRole('button', { name: 'Activate anyway' }).click();
  await expect(form.getByText('Say why the lease is activated past the limit.')).toBeVisible();
  await form.getByLabel('Reason').fill('Tenant asked to prepay two months; counsel approved');
  await checkA11y(page, 'lease-override', info);
  await shot(page, 'lease-override');
  await form.getByRole('button', { name: 'Activate anyway' }).click();
  await expect(page.getByText(/Status: active/i)).toBeVisible();
  await expect(panel).toHaveCount(0);
});
