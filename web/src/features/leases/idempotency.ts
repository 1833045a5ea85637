import { useRef } from 'react';
import { newIdempotencyKey } from '@/api/client';

/**
 * Keeps one Idempotency-Key per submission: the same body sent again (a retry after a network
 * error, a 5xx, a 409 in flight) reuses the key, so the API answers the first payment instead of
 * recording a second; a success, or a different body, starts a new key.
 */
export function useSubmissionKey() {
  const ref = useRef<{ key: string; body: string | null } | null>(null);
  if (ref.current === null) ref.current = { key: newIdempotencyKey(), body: null };
  const current = ref as { current: { key: string; body: string | null } };
  return {
    keyFor(body: unknown): string {
      const json = JSON.stringify(body);
      if (current.current.body !== null && current.current.body !== json) current.current = { key: newIdempotencyKey(), body: json };
      current.current.body = json;
      return current.current.key;
    },
    /** After a success: the next submission is a new payment. */
    renew() {
      current.current = { key: newIdempotencyKey(), body: null };
    },
  };
}
