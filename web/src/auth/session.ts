/**
 * The signed-in session: tokens in memory, the refresh token in sessionStorage (this tab only) so
 * a reload stays signed in. Tokens are short-lived; `token()` refreshes them silently a minute
 * before they expire, one refresh at a time.
 */
import { refreshTokens, type Tokens } from './oauth';

const REFRESH_KEY = 'pos.refresh';
const EARLY_MS = 60_000;

type Listener = (t: Tokens | null) => void;

class Session {
  private tokens: Tokens | null = null;
  private inflight: Promise<Tokens | null> | null = null;
  private listeners = new Set<Listener>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  current(): Tokens | null {
    return this.tokens;
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  set(t: Tokens | null): void {
    this.tokens = t;
    if (t) sessionStorage.setItem(REFRESH_KEY, t.refreshToken);
    else sessionStorage.removeItem(REFRESH_KEY);
    clearTimeout(this.timer);
    if (t) this.timer = setTimeout(() => void this.refresh(), Math.max(5_000, t.expiresAt - Date.now() - EARLY_MS));
    this.listeners.forEach((l) => l(t));
  }

  /** Restores a session after a reload (from the stored refresh token), or null. */
  async restore(): Promise<Tokens | null> {
    if (this.tokens) return this.tokens;
    return sessionStorage.getItem(REFRESH_KEY) ? this.refresh() : null;
  }

  refresh(): Promise<Tokens | null> {
    const rt = this.tokens?.refreshToken ?? sessionStorage.getItem(REFRESH_KEY);
    if (!rt) return Promise.resolve(null);
    this.inflight ??= refreshTokens(rt)
      .then((t) => {
        this.set(t);
        return t;
      })
      .catch(() => {
        this.set(null);
        return null;
      })
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }

  /** A token the API accepts now (refreshed when about to expire). */
  async token(): Promise<string | null> {
    const t = this.tokens;
    if (!t) return null;
    if (t.expiresAt - Date.now() > EARLY_MS / 2) return t.idToken;
    return (await this.refresh())?.idToken ?? null;
  }
}

export const session = new Session();
