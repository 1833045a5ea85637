import { Suspense } from 'react';
import { Link, Outlet } from 'react-router-dom';
import { useAuth } from '@/auth/AuthProvider';
import { Loading } from '@/components/QueryState';

/** Screens outside an org (choosing or creating one). */
export default function PlainLayout() {
  const auth = useAuth();
  return (
    <div className="app">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          PortfolioOS
        </Link>
        <div className="user">
          <span className="muted">{auth.email}</span>
          <button type="button" className="btn" onClick={auth.signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="plain">
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
