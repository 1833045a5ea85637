/**
 * The one API client: an Axios instance that adds the bearer token, turns every failure into an
 * `ApiError` carrying the problem+json, and typed helpers whose paths, parameters, bodies and
 * answers come from `openapi.json` (`schema.d.ts` is generated), so an API change that breaks the
 * UI fails `tsc`.
 */
import axios, { AxiosError, type AxiosInstance } from 'axios';
import { config } from '@/config';
import type { components, paths } from './schema';
import { ApiError, parseRetryAfter, toProblem } from './problem';

export type Schemas = components['schemas'];
export { ApiError };

type TokenSource = () => Promise<string | null>;
let tokenSource: TokenSource = async () => null;
let onUnauthorized: () => void = () => {};

/** The auth layer registers how to get a fresh token and what to do when the API says 401. */
export function configureAuth(source: TokenSource, unauthorized: () => void): void {
  tokenSource = source;
  onUnauthorized = unauthorized;
}

export function createClient(baseURL: string): AxiosInstance {
  const client = axios.create({ baseURL, timeout: 30_000 });
  client.interceptors.request.use(async (req) => {
    const token = await tokenSource();
    if (token) req.headers.set('Authorization', `Bearer ${token}`);
    return req;
  });
  client.interceptors.response.use(
    (res) => res,
    (err: AxiosError) => {
      if (err.response) {
        const { status, data, headers } = err.response;
        if (status === 401) onUnauthorized();
        const retryAfter = parseRetryAfter((headers as Record<string, unknown> | undefined)?.['retry-after']);
        return Promise.reject(new ApiError(toProblem(status, data, err.message), retryAfter));
      }
      return Promise.reject(new ApiError(toProblem(0, null, 'The server could not be reached. Check your connection and try again.')));
    },
  );
  return client;
}

export const http = createClient(`${config.apiUrl}`);

// ---- typed helpers over `paths` -------------------------------------------------------------

type Op<P extends keyof paths, M extends string> = M extends keyof paths[P] ? NonNullable<paths[P][M]> : never;
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : R extends { content: { 'application/problem+json': infer B } } ? B : undefined;
type Ok<O> = O extends { responses: infer R }
  ? 200 extends keyof R
    ? JsonOf<R[200]>
    : 201 extends keyof R
      ? JsonOf<R[201]>
      : 202 extends keyof R
        ? JsonOf<R[202]>
        : undefined
  : never;
type PathParams<O> = O extends { parameters: { path: infer P } } ? (P extends Record<string, unknown> ? P : Record<string, never>) : Record<string, never>;
type QueryParams<O> = O extends { parameters: { query?: infer Q } } ? (Q extends Record<string, unknown> ? Q : never) : never;
type Body<O> = O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : undefined;

export type GetResponse<P extends keyof paths> = Ok<Op<P, 'get'>>;
export type PostBody<P extends keyof paths> = Body<Op<P, 'post'>>;
export type PostResponse<P extends keyof paths> = Ok<Op<P, 'post'>>;

/** Fills `{orgId}`-style segments (URL-encoded). */
export function fillPath(path: string, params: Record<string, unknown>): string {
  return path.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    if (v === undefined || v === null || v === '') throw new Error(`missing path parameter ${k} for ${path}`);
    return encodeURIComponent(String(v));
  });
}

function cleanQuery(q: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!q) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') out[k] = String(v);
  return out;
}

interface Options {
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export async function apiGet<P extends keyof paths>(
  path: P,
  params: PathParams<Op<P, 'get'>>,
  query?: Partial<QueryParams<Op<P, 'get'>>>,
  opts: Options = {},
): Promise<GetResponse<P>> {
  const res = await http.get(fillPath(path as string, params), { params: cleanQuery(query as Record<string, unknown>), signal: opts.signal });
  return res.data as GetResponse<P>;
}

async function send<R>(method: 'post' | 'patch' | 'put' | 'delete', path: string, params: Record<string, unknown>, body: unknown, opts: Options): Promise<R> {
  const headers: Record<string, string> = {};
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  const res = await http.request({ method, url: fillPath(path, params), data: body, headers, signal: opts.signal });
  return res.data as R;
}

export function apiPost<P extends keyof paths>(path: P, params: PathParams<Op<P, 'post'>>, body: Body<Op<P, 'post'>>, opts: Options = {}): Promise<Ok<Op<P, 'post'>>> {
  return send('post', path as string, params, body, opts);
}

export function apiPatch<P extends keyof paths>(path: P, params: PathParams<Op<P, 'patch'>>, body: Body<Op<P, 'patch'>>, opts: Options = {}): Promise<Ok<Op<P, 'patch'>>> {
  return send('patch', path as string, params, body, opts);
}

export function apiPut<P extends keyof paths>(path: P, params: PathParams<Op<P, 'put'>>, body: Body<Op<P, 'put'>>, opts: Options = {}): Promise<Ok<Op<P, 'put'>>> {
  return send('put', path as string, params, body, opts);
}

export function apiDelete<P extends keyof paths>(path: P, params: PathParams<Op<P, 'delete'>>, opts: Options = {}): Promise<Ok<Op<P, 'delete'>>> {
  return send('delete', path as string, params, undefined, opts);
}

/** A fresh key per form submission: a retried submission reuses it, a new one gets another. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
