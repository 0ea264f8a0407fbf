import { useState, type SubmitEvent } from 'react';
import {
  api,
  errorText,
  ROLE_LABELS,
  ROLES,
  useApi,
  type List,
  type ManagedUser,
  type PracticeRecord,
  type Role,
} from '../api';
import { useUser } from '../auth';
import { TableNote } from '../components';
import { Alert, Page } from '../layout';

interface Secret {
  login: string;
  password: string;
}

export function UsersPage() {
  const me = useUser();
  const users = useApi<List<ManagedUser>>('/api/users');
  const [editing, setEditing] = useState<ManagedUser | null>(null);
  const [secret, setSecret] = useState<Secret | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  /** Runs a row action after an optional confirmation; reports its outcome above the table. */
  const act = async (user: ManagedUser, confirmation: string | null, run: () => Promise<string>) => {
    if (confirmation && !window.confirm(confirmation)) return;
    setBusyId(user.id);
    setError(null);
    setStatus(null);
    try {
      setStatus(await run());
      users.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusyId(null);
    }
  };

  const setActive = (user: ManagedUser, isActive: boolean) =>
    act(
      user,
      isActive ? null : `Deactivate ${user.login}? They will no longer be able to sign in.`,
      async () => {
        await api(`/api/users/${user.id}`, { method: 'PATCH', body: { isActive } });
        return `${user.login} is now ${isActive ? 'active' : 'inactive'}.`;
      },
    );

  const resetPassword = (user: ManagedUser) =>
    act(user, `Reset the password of ${user.login}? Their current password stops working.`, async () => {
      const { generatedPassword } = await api<{ generatedPassword?: string }>(
        `/api/users/${user.id}/password`,
        {
          method: 'POST',
          body: {},
        },
      );
      if (generatedPassword) setSecret({ login: user.login, password: generatedPassword });
      return `Password of ${user.login} reset.`;
    });

  const revokeSessions = (user: ManagedUser) =>
    act(user, `Sign ${user.login} out of all sessions?`, async () => {
      await api(`/api/users/${user.id}/revoke-sessions`, { method: 'POST' });
      return `All sessions of ${user.login} were ended.`;
    });

  const resetMfa = (user: ManagedUser) =>
    act(
      user,
      `Reset two-factor sign-in of ${user.login}? Their authenticator app stops working and they are signed out; they set it up again at their next sign-in.`,
      async () => {
        await api(`/api/users/${user.id}/mfa/reset`, { method: 'POST' });
        return `Two-factor sign-in of ${user.login} was reset.`;
      },
    );

  const saved = (message: string, generated?: Secret) => {
    setEditing(null);
    setError(null);
    setStatus(message);
    setSecret(generated ?? null);
    users.reload();
  };

  return (
    <Page title="Users">
      {secret && <SecretNotice secret={secret} onDone={() => setSecret(null)} />}
      {status && (
        <p className="notice" role="status">
          {status}
        </p>
      )}
      <Alert message={error ?? users.error} />
      <table>
        <caption>All users</caption>
        <thead>
          <tr>
            <th scope="col">Login</th>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Practices</th>
            <th scope="col">Active</th>
            <th scope="col">Two-factor</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.data?.items.map((u) => (
            <tr key={u.id} className={u.isActive ? undefined : 'inactive'}>
              <td>
                <code>{u.login}</code>
              </td>
              <td>
                {u.displayName}
                {u.id === me.id && <span className="muted"> (you)</span>}
              </td>
              <td>{ROLE_LABELS[u.role]}</td>
              <td>{u.practices.map((p) => p.name).join(', ') || '—'}</td>
              <td>{u.isActive ? 'Yes' : 'No'}</td>
              <td>{u.mfaEnrolled ? 'On' : 'Off'}</td>
              <td>
                <div className="actions">
                  <button
                    type="button"
                    className="secondary"
                    disabled={busyId !== null}
                    onClick={() => setEditing(u)}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    disabled={busyId !== null || (u.isActive && u.id === me.id)}
                    onClick={() => setActive(u, !u.isActive)}
                  >
                    {u.isActive ? 'Deactivate' : 'Activate'}
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    disabled={busyId !== null}
                    onClick={() => resetPassword(u)}
                  >
                    Reset password
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    disabled={busyId !== null}
                    onClick={() => revokeSessions(u)}
                  >
                    Revoke sessions
                  </button>
                  {u.mfaEnrolled && u.id !== me.id && (
                    <button
                      type="button"
                      className="secondary"
                      disabled={busyId !== null}
                      onClick={() => resetMfa(u)}
                    >
                      Reset MFA
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
          {!users.data && users.loading && <TableNote colSpan={7}>Loading…</TableNote>}
        </tbody>
      </table>
      <UserForm key={editing?.id ?? 'new'} user={editing} onSaved={saved} onCancel={() => setEditing(null)} />
    </Page>
  );
}

function SecretNotice({ secret, onDone }: { secret: Secret; onDone: () => void }) {
  return (
    <section className="notice secret" role="status" aria-labelledby="secret-heading">
      <h2 id="secret-heading">New password for {secret.login}</h2>
      <p>
        <code className="password">{secret.password}</code>
      </p>
      <p>
        It is shown only this once. Hand it over securely (in person or by phone), never by e-mail or chat,
        and ask the user to keep it private.
      </p>
      <button type="button" onClick={onDone}>
        Done
      </button>
    </section>
  );
}

interface UserFormProps {
  /** The user to edit, or null to add a new one. */
  user: ManagedUser | null;
  onSaved(message: string, secret?: Secret): void;
  onCancel(): void;
}

function initialForm(user: ManagedUser | null) {
  return {
    login: user?.login ?? '',
    displayName: user?.displayName ?? '',
    role: user?.role ?? ('agent' as Role),
    practiceSlugs: user?.practices.map((p) => p.slug) ?? [],
    password: '',
  };
}

function UserForm({ user, onSaved, onCancel }: UserFormProps) {
  const practices = useApi<List<PracticeRecord>>('/api/practices');
  const [form, setForm] = useState(() => initialForm(user));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = user ? `Edit ${user.login}` : 'Add a user';

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const { login, password, ...changes } = form;
    try {
      if (user) {
        await api(`/api/users/${user.id}`, { method: 'PATCH', body: changes });
        onSaved(`${user.login} updated.`);
      } else {
        const body = { login: login.trim(), ...changes, ...(password ? { password } : {}) };
        const created = await api<{ user: ManagedUser; generatedPassword?: string }>('/api/users', {
          method: 'POST',
          body,
        });
        const { generatedPassword } = created;
        setForm(initialForm(null));
        onSaved(
          `${created.user.login} added.`,
          generatedPassword ? { login: created.user.login, password: generatedPassword } : undefined,
        );
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="user-form-heading">
      <h2 id="user-form-heading">{heading}</h2>
      <Alert message={error ?? practices.error} />
      <div className="field">
        <label htmlFor="user-login">Login</label>
        <input
          id="user-login"
          required
          minLength={2}
          maxLength={100}
          autoCapitalize="none"
          spellCheck={false}
          autoComplete="off"
          disabled={user !== null}
          value={form.login}
          onChange={(e) => setForm({ ...form, login: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor="user-display-name">Display name</label>
        <input
          id="user-display-name"
          required
          autoFocus={user !== null}
          autoComplete="off"
          value={form.displayName}
          onChange={(e) => setForm({ ...form, displayName: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor="user-role">Role</label>
        <select
          id="user-role"
          value={form.role}
          onChange={(e) => setForm({ ...form, role: e.target.value as Role })}
        >
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {ROLE_LABELS[role]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="user-practices">Practices</label>
        <select
          id="user-practices"
          multiple
          size={Math.min(Math.max(practices.data?.items.length ?? 0, 3), 8)}
          aria-describedby="user-practices-hint"
          value={form.practiceSlugs}
          onChange={(e) =>
            setForm({ ...form, practiceSlugs: Array.from(e.target.selectedOptions, (o) => o.value) })
          }
        >
          {practices.data?.items.map((p) => (
            <option key={p.slug} value={p.slug}>
              {p.name}
            </option>
          ))}
        </select>
        <small id="user-practices-hint">Hold Ctrl (⌘ on a Mac) to select several.</small>
      </div>
      {!user && (
        <div className="field">
          <label htmlFor="user-password">Password (optional)</label>
          <input
            id="user-password"
            type="password"
            autoComplete="new-password"
            aria-describedby="user-password-hint"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
          <small id="user-password-hint">Leave empty to generate one; it is shown once after saving.</small>
        </div>
      )}
      <div className="buttons">
        <button type="submit" disabled={busy}>
          {user ? 'Save changes' : 'Add user'}
        </button>
        {user && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
