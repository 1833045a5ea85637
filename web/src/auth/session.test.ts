import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Tokens are short-lived: the session trades its refresh token for new ones before they lapse. */
describe('the session', () => {
  const calls: URLSearchParams[] = [];
  let n = 0;

  beforeEach(() => {
    vi.resetModules();
    sessionStorage.clear();
    calls.length = 0;
    n = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        calls.push(new URLSearchParams(init.body as URLSearchParams));
        n += 1;
        if (n > 5) return new Response(JSON.stringify({ error: 'invalid_grant' }), { status: 400 });
        return new Response(JSON.stringify({ id_token: `id-${n}`, access_token: `acc-${n}`, expires_in: 300 }), { status: 200 });
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('answers the current token while it is fresh, and refreshes once when it is about to expire', async () => {
    const { session } = await import('./session');
    session.set({ idToken: 'id-0', accessToken: 'acc-0', refreshToken: 'rt-1', expiresAt: Date.now() + 300_000 });
    expect(await session.token()).toBe('id-0');
    expect(calls).toHaveLength(0);
    session.set({ idToken: 'id-0', accessToken: 'acc-0', refreshToken: 'rt-1', expiresAt: Date.now() + 10_000 });
    // Two callers at once: one refresh.
    const [a, b] = await Promise.all([session.token(), session.token()]);
    expect(a).toBe('id-1');
    expect(b).toBe('id-1');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.get('grant_type')).toBe('refresh_token');
    expect(calls[0]?.get('refresh_token')).toBe('rt-1');
    // The refresh token is kept (the token endpoint does not send a new one).
    expect(session.current()?.refreshToken).toBe('rt-1');
  });

  it('restores a session after a reload from the refresh token kept in this tab', async () => {
    sessionStorage.setItem('pos.refresh', 'rt-9');
    const { session } = await import('./session');
    const t = await session.restore();
    expect(t?.idToken).toBe('id-1');
    expect(calls[0]?.get('refresh_token')).toBe('rt-9');
  });

  it('refreshes on its own a minute before expiry', async () => {
    vi.useFakeTimers();
    const { session } = await import('./session');
    session.set({ idToken: 'id-0', accessToken: 'acc-0', refreshToken: 'rt-1', expiresAt: Date.now() + 300_000 });
    await vi.advanceTimersByTimeAsync(239_000);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toHaveLength(1);
    expect(session.current()?.idToken).toBe('id-1');
  });

  it('signs out when the refresh token is refused', async () => {
    n = 100;
    const { session } = await import('./session');
    session.set({ idToken: 'id-0', accessToken: 'acc-0', refreshToken: 'rt-1', expiresAt: Date.now() + 1_000 });
    expect(await session.token()).toBeNull();
    expect(session.current()).toBeNull();
    expect(sessionStorage.getItem('pos.refresh')).toBeNull();
  });
});
