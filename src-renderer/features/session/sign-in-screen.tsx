import { useState } from 'react';

/** Sign-in. The password goes to the main process, which signs in and keeps the tokens; the page never holds them. */
export function SignInScreen(props: { busy: boolean; problem: string | null; embedded: boolean; onSignIn: (email: string, password: string) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  return (
    <main className="sign-in" id="main">
      <section className="panel sign-in__panel" aria-labelledby="sign-in-title">
        <div className="sign-in__brand">
          <span className="agent-bar__logo" aria-hidden="true">
            CC
          </span>
          <h1 id="sign-in-title">Sign in to Care Connect Desk</h1>
        </div>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            props.onSignIn(email, password);
          }}
        >
          {props.problem && (
            <p className="field__error" role="alert">
              {props.problem}
            </p>
          )}
          <div className="field">
            <label htmlFor="sign-in-email" className="field__label">
              Email
            </label>
            <input id="sign-in-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="sign-in-password" className="field__label">
              Password
            </label>
            <input
              id="sign-in-password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
          <button type="submit" className="button" disabled={props.busy}>
            {props.busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        {props.embedded && (
          <div className="sign-in__demo">
            <h2>Demo organisation</h2>
            <p>This desk runs the built-in central service. Sign in as handler@demo.careconnect.test with the password demo-handler-2026 (see the README for the supervisor and admin).</p>
          </div>
        )}
      </section>
    </main>
  );
}
