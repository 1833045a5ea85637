import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, configureAuth, createClient, fillPath } from './client';

/** A real HTTP server stands in for the API, so the Axios instance and its interceptors run for real. */
let server: http.Server;
let base = '';
let seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
let answer: (url: string) => { status: number; type: string; body: string; headers?: Record<string, string> } = () => ({ status: 200, type: 'application/json', body: '{}' });

beforeEach(async () => {
  seen = [];
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      // jsdom's XMLHttpRequest enforces CORS as a browser does; answer like API Gateway's CORS config.
      const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'authorization,content-type,idempotency-key', 'access-control-allow-methods': 'GET,POST,PATCH,PUT,DELETE' };
      if (req.method === 'OPTIONS') {
        res.writeHead(204, cors);
        res.end();
        return;
      }
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      const a = answer(req.url ?? '');
      res.writeHead(a.status, { ...cors, 'content-type': a.type, ...a.headers });
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  server.close();
  configureAuth(async () => null, () => {});
});

describe('the API client', () => {
  it('sends the bearer token and the Idempotency-Key', async () => {
    configureAuth(async () => 'tok-123', () => {});
    const c = createClient(base);
    await c.post('/api/v1/orgs/o/leases/l/payments', { amount: { amount: '10.00', currency: 'USD' } }, { headers: { 'Idempotency-Key': 'k-1' } });
    expect(seen[0]?.headers.authorization).toBe('Bearer tok-123');
    expect(seen[0]?.headers['idempotency-key']).toBe('k-1');
    // Amounts travel as the strings typed, never as numbers.
    expect(JSON.parse(seen[0]?.body ?? '{}')).toEqual({ amount: { amount: '10.00', currency: 'USD' } });
  });

  it('turns problem+json into an ApiError with field errors', async () => {
    answer = () => ({
      status: 400,
      type: 'application/problem+json',
      body: JSON.stringify({ type: 'about:blank', title: 'Invalid input', status: 400, detail: '1 field is invalid', errors: [{ field: 'address.city', message: 'must not be empty' }] }),
    });
    const c = createClient(base);
    const err = await c.get('/x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(400);
    expect(e.fieldError('address.city')).toBe('must not be empty');
    expect(e.fieldError('address')).toBe('must not be empty');
    expect(e.fieldError('name')).toBeUndefined();
    expect(e.message).toBe('1 field is invalid');
  });

  it("maps API Gateway's own {message} answers and tells the auth layer about a 401", async () => {
    let unauthorized = 0;
    configureAuth(async () => 'expired', () => (unauthorized += 1));
    answer = () => ({ status: 401, type: 'application/json', body: '{"message":"Unauthorized"}' });
    const err = (await createClient(base).get('/y').catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(401);
    expect(err.problem.title).toBe('Unauthorized');
    expect(unauthorized).toBe(1);
  });

  it('reads Retry-After into the error when the API exposes it, and leaves it out otherwise', async () => {
    const unavailable = JSON.stringify({ type: 'about:blank', title: 'Service unavailable', status: 503, detail: 'Stripe is unavailable; no call was made' });
    answer = () => ({ status: 503, type: 'application/problem+json', body: unavailable, headers: { 'retry-after': '17', 'access-control-expose-headers': 'retry-after' } });
    const exposed = (await createClient(base).post('/pi', {}).catch((e: unknown) => e)) as ApiError;
    expect(exposed.status).toBe(503);
    expect(exposed.retryAfter).toBe(17);
    // Cross-origin, a header the API does not expose is not readable: the detail is all there is.
    answer = () => ({ status: 503, type: 'application/problem+json', body: unavailable, headers: { 'retry-after': '17' } });
    const hidden = (await createClient(base).post('/pi', {}).catch((e: unknown) => e)) as ApiError;
    expect(hidden.retryAfter).toBeUndefined();
    expect(hidden.problem.detail).toBe('Stripe is unavailable; no call was made');
  });

  it('reports an unreachable server as a problem too', async () => {
    const err = (await createClient('http://127.0.0.1:1').get('/z').catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(0);
  });

  it('fills and encodes path parameters and refuses missing ones', () => {
    expect(fillPath('/api/v1/orgs/{orgId}/leases/{leaseId}:activate', { orgId: 'org_1', leaseId: 'lse/2' })).toBe('/api/v1/orgs/org_1/leases/lse%2F2:activate');
    expect(() => fillPath('/api/v1/orgs/{orgId}', {})).toThrow(/orgId/);
  });
});
