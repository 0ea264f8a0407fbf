import QRCode from 'qrcode';
import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { api, errorText, useApi, type MfaEnrollment, type MfaStatus } from '../api';
import { Alert, Page } from '../layout';
import '../mfa.css';

/** The otpauth URL as a QR code for the authenticator app to scan (drawn on a canvas: no image URL). */
export function QrCode({ text, label }: { text: string; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current) void QRCode.toCanvas(canvas.current, text, { width: 192, margin: 2 });
  }, [text]);
  return <canvas ref={canvas} className="mfa-qr" role="img" aria-label={label} data-testid="mfa-qr" />;
}

/** A 6-digit code field as phones and password managers expect it (one-time-code autocomplete). */
export function CodeInput({
  id,
  value,
  onChange,
  recovery = false,
}: {
  id: string;
  value: string;
  onChange(value: string): void;
  recovery?: boolean;
}) {
  return (
    <input
      id={id}
      name="code"
      className="mfa-code"
      inputMode={recovery ? 'text' : 'numeric'}
      autoComplete="one-time-code"
      autoCapitalize="none"
      spellCheck={false}
      pattern={recovery ? '[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}' : '[0-9]{3} ?[0-9]{3}'}
      maxLength={recovery ? 9 : 7}
      placeholder={recovery ? 'xxxx-xxxx' : '123456'}
      required
      autoFocus
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** Recovery codes, shown once after set-up. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone(): void }) {
  return (
    <div className="mfa-recovery" role="status">
      <h2>Recovery codes</h2>
      <p>
        Each code signs you in once if you lose your phone. Keep them somewhere safe (a password manager):
        they are shown only now.
      </p>
      <ul className="mfa-recovery-codes" data-testid="mfa-recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <button type="button" onClick={onDone} autoFocus>
        I have saved them, continue
      </button>
    </div>
  );
}

/**
 * Setting up an authenticator app: a new secret (QR code and text), then the first code
 * confirms it. Used at sign-in (a role that requires it) and on the user's own page.
 */
export function EnrollMfa({
  start,
  confirm,
  onConfirmed,
}: {
  start(): Promise<MfaEnrollment>;
  confirm(code: string): Promise<{ recoveryCodes: string[] }>;
  onConfirmed(recoveryCodes: string[]): void;
}) {
  const [enrollment, setEnrollment] = useState<MfaEnrollment | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return; // StrictMode runs effects twice; one secret is enough
    started.current = true;
    start()
      .then(setEnrollment)
      .catch((e: unknown) => setError(errorText(e)));
  }, [start]);

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { recoveryCodes } = await confirm(code.trim());
      onConfirmed(recoveryCodes);
    } catch (e) {
      setError(errorText(e));
      setCode('');
      setBusy(false);
    }
  };

  return (
    <form className="mfa-enroll" onSubmit={submit} aria-labelledby="mfa-enroll-title">
      <h2 id="mfa-enroll-title">Set up two-factor sign-in</h2>
      <Alert message={error} />
      {!enrollment && !error && <p role="status">Preparing…</p>}
      {enrollment && (
        <>
          <ol className="mfa-steps">
            <li>
              Open an authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, Aegis…) and
              scan this code:
              <QrCode text={enrollment.otpauthUrl} label="QR code for your authenticator app" />
            </li>
            <li>
              Or type this key into the app instead:{' '}
              <code className="mfa-secret" data-testid="mfa-secret">
                {enrollment.secret.replace(/(.{4})/g, '$1 ').trim()}
              </code>
            </li>
            <li>
              <label htmlFor="mfa-enroll-code">Enter the 6-digit code the app shows</label>
              <CodeInput id="mfa-enroll-code" value={code} onChange={setCode} />
            </li>
          </ol>
          <button type="submit" disabled={busy}>
            Turn on two-factor sign-in
          </button>
        </>
      )}
    </form>
  );
}

/** The user's own page: who they are and their second factor. */
export function AccountPage() {
  const status = useApi<MfaStatus>('/api/auth/mfa');
  const [setting, setSetting] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const disable = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('/api/auth/mfa/disable', { method: 'POST', body: { code: code.trim() } });
      setNotice('Two-factor sign-in is off.');
      status.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setCode('');
      setBusy(false);
    }
  };

  const s = status.data;
  return (
    <Page title="My account" testId="account">
      <section aria-labelledby="security-title" className="card">
        <h2 id="security-title">Security</h2>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <Alert message={error ?? status.error} />
        {codes ? (
          <RecoveryCodes
            codes={codes}
            onDone={() => {
              setCodes(null);
              status.reload();
            }}
          />
        ) : setting ? (
          <EnrollMfa
            start={startSetup}
            confirm={confirmSetup}
            onConfirmed={(c) => {
              setSetting(false);
              setNotice('Two-factor sign-in is on.');
              setCodes(c);
            }}
          />
        ) : s && s.enrolled ? (
          <>
            <p data-testid="mfa-state">
              Two-factor sign-in is <strong>on</strong>: after your password, Recall asks for the code from
              your authenticator app. {s.recoveryCodesLeft} recovery codes left.
            </p>
            {s.required ? (
              <p className="muted">
                Your role requires it. To move to a new phone, ask an administrator to reset it; you set it up
                again at your next sign-in.
              </p>
            ) : (
              <form onSubmit={disable} className="mfa-disable">
                <label htmlFor="mfa-disable-code">Current code, to turn it off</label>
                <CodeInput id="mfa-disable-code" value={code} onChange={setCode} />
                <button type="submit" className="secondary" disabled={busy}>
                  Turn off two-factor sign-in
                </button>
              </form>
            )}
          </>
        ) : s ? (
          <>
            <p data-testid="mfa-state">
              Two-factor sign-in is <strong>off</strong>
              {s.required
                ? ', but your role requires it: you will set it up at your next sign-in.'
                : '.'}{' '}
              With it, a stolen password alone no longer opens your account.
            </p>
            <button type="button" onClick={() => setSetting(true)}>
              Set up two-factor sign-in
            </button>
          </>
        ) : (
          <p role="status">Loading…</p>
        )}
      </section>
    </Page>
  );
}

const startSetup = () => api<MfaEnrollment>('/api/auth/mfa/setup', { method: 'POST' });
const confirmSetup = (code: string) =>
  api<{ recoveryCodes: string[] }>('/api/auth/mfa/confirm', { method: 'POST', body: { code } });
