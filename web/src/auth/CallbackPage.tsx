import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { completeSignIn } from './oauth';
import { session } from './session';

/** `/auth/callback`: the sign-in page sends the browser back here with `code` and `state`. */
export default function CallbackPage() {
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    completeSignIn(window.location.search)
      .then(({ tokens, returnTo }) => {
        session.set(tokens);
        navigate(returnTo.startsWith('/auth/') ? '/' : returnTo, { replace: true });
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : 'Sign-in failed.'));
  }, [navigate]);
  return (
    <main className="centered" id="main">
      {error ? (
        <div role="alert" className="card">
          <h1>Sign-in did not complete</h1>
          <p>{error}</p>
          <a href="/">Start again</a>
        </div>
      ) : (
        <p role="status">Signing you in…</p>
      )}
    </main>
  );
}
