/**
 * Build-time configuration (Vite `VITE_*` variables). Nothing here is a secret: the OAuth client
 * is public (authorization code + PKCE) and the API is reached with the user's own token.
 * Locally (`make dev`) devstack is both the API and the issuer; in AWS the API is API Gateway and
 * the issuer Cognito's hosted UI.
 */
export interface AppConfig {
  /** The API's origin, without `/api/v1`. */
  apiUrl: string;
  /** The OAuth 2.0 authorization server's base: `/oauth2/authorize`, `/oauth2/token`, `/logout` live under it. */
  authUrl: string;
  clientId: string;
  /**
   * The local Plaid fake's base (`infra/fakes/plaid_server.py`), set only for `make dev` and the
   * browser tests: Plaid Link is then played by the fake's `/_fake/plaid/public_token` hook
   * (`src/lib/plaidLink.ts`). Unset in production, where Plaid's own Link script runs.
   */
  plaidFakeUrl?: string;
}

const env = import.meta.env;

export const config: AppConfig = {
  apiUrl: (env.VITE_API_URL as string | undefined) ?? 'http://127.0.0.1:3000',
  authUrl: (env.VITE_AUTH_URL as string | undefined) ?? (env.VITE_API_URL as string | undefined) ?? 'http://127.0.0.1:3000',
  clientId: (env.VITE_CLIENT_ID as string | undefined) ?? 'portfolio-spa',
  plaidFakeUrl: (env.VITE_PLAID_FAKE_URL as string | undefined) || undefined,
};
