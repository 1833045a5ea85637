import { useAuth } from './AuthProvider';

/** What a signed-out visitor sees: one button to the hosted sign-in page. */
export default function SignInPage() {
  const { signIn } = useAuth();
  return (
    <main className="centered" id="main">
      <div className="card signin">
        <h1>PortfolioOS</h1>
        <p>The financial operating system for small real-estate portfolios.</p>
        <button type="button" className="btn primary" onClick={() => signIn()}>
          Sign in
        </button>
      </div>
    </main>
  );
}
