/** RFC 9457 problem+json as the API answers it, and the error every API call rejects with. */
import type { components } from './schema';

export type Problem = components['schemas']['Problem'];

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  /**
   * Seconds to wait before retrying, from `Retry-After` (503 while a provider is down), when the
   * browser lets the app read that header (cross-origin, only if the API exposes it).
   */
  readonly retryAfter?: number;

  constructor(problem: Problem, retryAfter?: number) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  /** Field errors keyed by the JSON path the API names (`address.city`, `splits[1].amount`). */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) {
      if (!(e.field in out)) out[e.field] = e.message;
    }
    return out;
  }

  /** The message for `field` or for anything nested under it (`address` covers `address.city`). */
  fieldError(field: string): string | undefined {
    const errs = this.problem.errors ?? [];
    const hit = errs.find((e) => e.field === field) ?? errs.find((e) => e.field.startsWith(field + '.') || e.field.startsWith(field + '['));
    return hit?.message;
  }
}

/** Builds an ApiError from any response body: problem+json, API Gateway's `{message}`, or nothing. */
export function toProblem(status: number, body: unknown, fallback: string): Problem {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    if (typeof b.title === 'string' && typeof b.status === 'number') {
      return {
        type: typeof b.type === 'string' ? b.type : 'about:blank',
        title: b.title,
        status: b.status,
        detail: typeof b.detail === 'string' ? b.detail : b.title,
        errors: Array.isArray(b.errors) ? (b.errors as Problem['errors']) : undefined,
      };
    }
    if (typeof b.message === 'string') {
      return { type: 'about:blank', title: b.message, status, detail: b.message };
    }
  }
  return { type: 'about:blank', title: fallback, status, detail: fallback };
}

/** `Retry-After` as whole seconds from now: delta-seconds or an HTTP date; `undefined` if absent or unreadable. */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number.parseInt(v, 10);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}
