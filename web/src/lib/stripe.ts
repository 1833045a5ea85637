/**
 * The org's Stripe connection, as Settings → Integrations manages it and the lease page reads it
 * (online payments are offered only while an account is connected). One query key for both.
 */
import { useQuery } from '@tanstack/react-query';
import { apiGet, type Schemas } from '@/api/client';
import { ApiError } from '@/api/problem';

export type StripeConnection = Schemas['StripeConnection'];

export const stripeKey = (orgId: string) => ['orgs', orgId, 'integrations', 'stripe'] as const;

/** What Stripe Connect's onboarding returns: `acct_` and letters/digits (the API checks again). */
export const ACCOUNT_ID = /^acct_[A-Za-z0-9]+$/;

export function useStripeConnection(orgId: string, enabled = true) {
  return useQuery({
    queryKey: stripeKey(orgId),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/integrations/stripe', { orgId }, undefined, { signal }),
    enabled,
    staleTime: 30_000,
  });
}

export function isConnected(c: StripeConnection | undefined): boolean {
  return c?.status === 'connected' && !!c.accountId;
}

/**
 * A Stripe-backed call's failure in words: 503 (the circuit is open: no call was made) with the
 * wait from `Retry-After` when the browser may read it, else the API's detail; 502 (Stripe failed:
 * nothing was recorded); `null` for any other error (shown as the form's problem).
 */
export function stripeProblem(error: unknown): { title: string; detail: string } | null {
  if (!(error instanceof ApiError)) return null;
  if (error.status === 503) {
    const wait = error.retryAfter;
    return {
      title: 'Stripe is unavailable',
      detail:
        wait !== undefined
          ? `Stripe is unavailable; try again in ${wait} ${wait === 1 ? 'second' : 'seconds'}. Nothing was sent to Stripe.`
          : `${error.problem.detail} Try again shortly.`,
    };
  }
  if (error.status === 502) {
    return { title: 'Stripe did not answer', detail: `${error.problem.detail.replace(/\.$/, '')}. Nothing was recorded; you can try again.` };
  }
  return null;
}
