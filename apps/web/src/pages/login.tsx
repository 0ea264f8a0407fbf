import { useCallback, useState, type SubmitEvent } from 'react';
import { Navigate } from 'react-router-dom';
import { api, ApiError, errorText, type MfaEnrollment, type User } from '../api';
import { homePath, useSession } from '../auth';
import { Alert } from '../layout';
import { CodeInput, EnrollMfa, RecoveryCodes } from './mfa';

type Step =
  | { kind: 'password' }
  | { kind: 'code'; challengeToken: string }
  | { kind: 'enroll'; challengeToken: string }
  | { kind: 'recovery-codes'; user: User; codes: string[] };

export function LoginPage() {
  const { user, notice, login, signedIn } = useSession();
  const [form, setForm] = useState({ login: '', password: '' });
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const restart = useCallback((message: string) => {
    setStep({ kind: 'password' });
    setForm((f) => ({ ...f, password: '' }));
    setError(message);
  }, []);

  if (user) return <Navigate to={homePath(user.role)} replace />;

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const next = await login(form.login.trim(), form.password);
      if (next.next !== 'done') {
        setStep({ kind: next.next, challengeToken: next.challengeToken });
        setBusy(false);
      }
    } catch (e) {
      setError(errorText(e));
      setForm((f) => ({ ...f, password: '' }));
      setBusy(false);
    }
  };

  return (
    <main id="main" className="login">
      <div className="card login-card">
        <h1 id="login-title">Recall</h1>
        {step.kind === 'password' && (
          <form onSubmit={submit} aria-labelledby="login-title">
            <p className="muted">Sign in to the patient recall workspace.</p>
            {notice && !error && (
              <p className="notice" role="status">
                {notice}
              </p>
            )}
            <Alert message={error} />
            <label htmlFor="login">Login</label>
            <input
              id="login"
              name="login"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              autoFocus
              value={form.login}
              onChange={(e) => setForm({ ...form, login: e.target.value })}
            />
            <label htmlFor="password">Password</label>
            <input
              id="password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.target.value })}
            />
            <button type="submit" disabled={busy}>
              Sign in
            </button>
          </form>
        )}
        {step.kind === 'code' && (
          <CodeStep challengeToken={step.challengeToken} onSignedIn={signedIn} onRestart={restart} />
        )}
        {step.kind === 'enroll' && (
          <>
            <p className="muted">Your role signs in with a password and a code from an authenticator app.</p>
            <EnrollMfa
              start={() =>
                api<MfaEnrollment>('/api/auth/mfa/enroll', {
                  method: 'POST',
                  body: { challengeToken: step.challengeToken },
                  allow401: true,
                }).catch((e: unknown) => {
                  if (e instanceof ApiError && e.status === 401) restart(e.message);
                  throw e;
                })
              }
              confirm={async (code) => {
                const done = await api<{ user: User; recoveryCodes: string[] }>(
                  '/api/auth/mfa/enroll/confirm',
                  {
                    method: 'POST',
                    body: { challengeToken: step.challengeToken, code },
                    allow401: true,
                  },
                );
                setStep({ kind: 'recovery-codes', user: done.user, codes: done.recoveryCodes });
                return done;
              }}
              onConfirmed={() => undefined}
            />
          </>
        )}
        {step.kind === 'recovery-codes' && (
          <RecoveryCodes codes={step.codes} onDone={() => signedIn(step.user)} />
        )}
      </div>
    </main>
  );
}

/** The second step: the code from the authenticator app (or a recovery code). */
function CodeStep({
  challengeToken,
  onSignedIn,
  onRestart,
}: {
  challengeToken: string;
  onSignedIn(user: User): void;
  onRestart(message: string): void;
}) {
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { user } = await api<{ user: User }>('/api/auth/mfa/verify', {
        method: 'POST',
        body: { challengeToken, code: code.trim() },
        allow401: true,
      });
      onSignedIn(user);
    } catch (e) {
      if (e instanceof ApiError && /expired/.test(e.message)) return onRestart(e.message);
      setError(errorText(e));
      setCode('');
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} aria-labelledby="mfa-code-title">
      <h2 id="mfa-code-title">Two-factor sign-in</h2>
      <Alert message={error} />
      <label htmlFor="mfa-code">{recovery ? 'Recovery code' : 'Code from your authenticator app'}</label>
      <CodeInput key={String(recovery)} id="mfa-code" value={code} onChange={setCode} recovery={recovery} />
      <button type="submit" disabled={busy}>
        Verify
      </button>
      <button
        type="button"
        className="link"
        onClick={() => {
          setRecovery(!recovery);
          setCode('');
        }}
      >
        {recovery ? 'Use the code from the app' : 'Use a recovery code'}
      </button>
    </form>
  );
}
