/**
 * What every browser test shares: signing in through the issuer's page, axe-core on every
 * screen visited (serious or critical violations fail the test; all results are kept in
 * test-results/axe/ for the record), screenshots, and ids from URLs.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, request, type APIRequestContext, type Page, type TestInfo } from '@playwright/test';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';

export const API = process.env.API_URL ?? 'http://127.0.0.1:3000';
/** The local Stripe fake (infra/fakes/stripe_server.py) the devstack's Stripe client talks to. */
export const STRIPE = process.env.STRIPE_API_BASE ?? 'http://127.0.0.1:12111';
/** The local Plaid fake (infra/fakes/plaid_server.py) the devstack's Plaid client talks to; it also plays Link for the app. */
export const PLAID = process.env.PLAID_API_BASE ?? 'http://127.0.0.1:12112';
export const SHOTS = 'test-results/screens';
const AXE = 'test-results/axe';

/** The `sub` the local issuer gives an email (as Cognito does, stable per user). */
export function userIdFor(email: string): string {
  const h = createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function uniqueEmail(who: string): string {
  return `${who}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

/** From the app's "Sign in" to the issuer's page and back, signed in. */
export async function signIn(page: Page, email: string, path = '/'): Promise<void> {
  await page.goto(path);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveTitle(/Sign in/);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/auth/') && !u.pathname.startsWith('/oauth2/'));
}

/** axe-core on the current screen: no violation of serious or critical impact. */
export async function checkA11y(page: Page, screen: string, info: TestInfo): Promise<void> {
  await page.waitForLoadState('networkidle');
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  mkdirSync(AXE, { recursive: true });
  const summary = results.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  const name = `${info.title}--${screen}`.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  writeFileSync(`${AXE}/${name}.json`, JSON.stringify({ screen, url: page.url(), passes: results.passes.length, violations: summary }, null, 2));
  const blocking = summary.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking, `axe: serious/critical violations on ${screen} (${page.url()})`).toEqual([]);
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** `/orgs/org_123/leases/lse_456` → `{orgId: 'org_123', …}`. */
export function idFromUrl(page: Page, segment: string): string {
  const parts = new URL(page.url()).pathname.split('/');
  const i = parts.indexOf(segment);
  const id = i >= 0 ? parts[i + 1] : undefined;
  if (!id) throw new Error(`no ${segment} id in ${page.url()}`);
  return id;
}

/** A token for `email` the way the SPA gets one: authorization code + PKCE through the issuer. */
export async function tokenFor(email: string): Promise<string> {
  const ctx = await request.newContext();
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirect = 'http://127.0.0.1:5173/auth/callback';
  const params = { response_type: 'code', client_id: 'portfolio-spa', redirect_uri: redirect, state: 's', code_challenge: challenge, code_challenge_method: 'S256', scope: 'openid email' };
  const res = await ctx.post(`${API}/oauth2/authorize`, { form: { ...params, email }, maxRedirects: 0 });
  expect(res.status()).toBe(302);
  const code = new URL(res.headers().location ?? '').searchParams.get('code') ?? '';
  const tok = await ctx.post(`${API}/oauth2/token`, { form: { grant_type: 'authorization_code', client_id: 'portfolio-spa', code, redirect_uri: redirect, code_verifier: verifier } });
  expect(tok.ok()).toBeTruthy();
  const body = (await tok.json()) as { id_token: string };
  await ctx.dispose();
  return body.id_token;
}

export async function api(token: string): Promise<APIRequestContext> {
  return request.newContext({ baseURL: `${API}/api/v1/`, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
}

