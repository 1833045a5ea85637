/**
 * OAuth 2.0 authorization code + PKCE against Cognito's hosted UI (in AWS) or devstack's local
 * sign-in page (`make dev`), which speak the same endpoints: `/oauth2/authorize`, `/oauth2/token`,
 * `/logout`. The client is public: no secret exists to leak into the bundle.
 */
import { config } from '@/config';
import { challengeFor, randomString } from './pkce';

export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds when the ID token stops being accepted. */
  expiresAt: number;
}

const PENDING = 'pos.oauth.pending';
export const REDIRECT_PATH = '/auth/callback';

function redirectUri(): string {
  return `${window.location.origin}${REDIRECT_PATH}`;
}

/** Sends the browser to the sign-in page; `returnTo` is where the app resumes afterwards. */
export async function beginSignIn(returnTo: string): Promise<void> {
  const state = randomString(16);
  const verifier = randomString(48);
  sessionStorage.setItem(PENDING, JSON.stringify({ state, verifier, returnTo }));
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid email',
    state,
    code_challenge: await challengeFor(verifier),
    code_challenge_method: 'S256',
  });
  window.location.assign(`${config.authUrl}/oauth2/authorize?${q}`);
}

export class SignInError extends Error {}

interface TokenAnswer {
  id_token: string;
  access_token: string;
  refresh_token?: string;
  expires_in: number;
}

async function tokenRequest(form: Record<string, string>): Promise<TokenAnswer> {
  const res = await fetch(`${config.authUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const body = (await res.json().catch(() => ({}))) as Partial<TokenAnswer> & { error?: string };
  if (!res.ok || !body.id_token || !body.access_token || !body.expires_in) {
    throw new SignInError(body.error ? `Sign-in failed (${body.error}).` : `Sign-in failed (HTTP ${res.status}).`);
  }
  return body as TokenAnswer;
}

/** Finishes the redirect: checks `state`, trades the code and verifier for tokens. */
export async function completeSignIn(search: string): Promise<{ tokens: Tokens; returnTo: string }> {
  const params = new URLSearchParams(search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as { state: string; verifier: string; returnTo: string } | null;
  sessionStorage.removeItem(PENDING);
  if (params.get('error')) throw new SignInError(params.get('error_description') ?? params.get('error') ?? 'Sign-in failed.');
  const code = params.get('code');
  if (!pending || !code || params.get('state') !== pending.state) throw new SignInError('This sign-in link is stale. Please sign in again.');
  const t = await tokenRequest({
    grant_type: 'authorization_code',
    client_id: config.clientId,
    code,
    redirect_uri: redirectUri(),
    code_verifier: pending.verifier,
  });
  return { tokens: toTokens(t, t.refresh_token ?? ''), returnTo: pending.returnTo || '/' };
}

/** A silent refresh: new ID and access tokens from the refresh token. */
export async function refreshTokens(refreshToken: string): Promise<Tokens> {
  const t = await tokenRequest({ grant_type: 'refresh_token', client_id: config.clientId, refresh_token: refreshToken });
  return toTokens(t, t.refresh_token ?? refreshToken);
}

function toTokens(t: TokenAnswer, refreshToken: string): Tokens {
  return { idToken: t.id_token, accessToken: t.access_token, refreshToken, expiresAt: Date.now() + t.expires_in * 1000 };
}

export function signOutUrl(): string {
  const q = new URLSearchParams({ client_id: config.clientId, logout_uri: `${window.location.origin}/` });
  return `${config.authUrl}/logout?${q}`;
}

/** The claims of a JWT's payload (display only: the API verifies the signature). */
export function claimsOf(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1] ?? '';
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(decodeURIComponent(escape(json))) as Record<string, unknown>;
  } catch {
    return {};
  }
}
