import { useEffect, useState, type ReactNode } from 'react';
import { NavLink, Outlet } from 'react-router-dom';
import { errorText, ROLE_LABELS, type Role } from './api';
import { homePath, useSession, useUser } from './auth';

export interface NavItem {
  path: string;
  label: string;
}

/** Sidebar entries per role; the first one is the role's home page. */
export const NAV: Record<Role, NavItem[]> = {
  agent: [
    { path: '/agent', label: 'My queue' },
    { path: '/agent/qa', label: 'My QA reviews' },
  ],
  manager: [
    { path: '/manager', label: 'Overview' },
    { path: '/manager/imports', label: 'Imports' },
    { path: '/manager/campaigns', label: 'Campaigns' },
    { path: '/manager/cycles', label: 'Cycles' },
    { path: '/manager/escalations', label: 'Escalations' },
    { path: '/manager/call-protocol', label: 'Transfers & de-escalation' },
    { path: '/manager/quality', label: 'QA reviews' },
    { path: '/manager/do-not-call', label: 'Do-not-call' },
    { path: '/manager/patients', label: 'Patients' },
    { path: '/manager/duplicates', label: 'Duplicates' },
    { path: '/manager/dashboard', label: 'Owner dashboard' },
    { path: '/manager/reports', label: 'Reports' },
  ],
  owner: [
    { path: '/owner', label: 'Dashboard' },
    { path: '/owner/reports', label: 'Reports' },
  ],
  admin: [
    { path: '/admin', label: 'Administration' },
    { path: '/admin/users', label: 'Users' },
    { path: '/admin/practices', label: 'Practices' },
    { path: '/admin/escalations', label: 'Escalations' },
    { path: '/admin/call-protocol', label: 'Transfers & de-escalation' },
    { path: '/admin/quality', label: 'QA reviews' },
    { path: '/admin/do-not-call', label: 'Do-not-call' },
    { path: '/admin/audit', label: 'Audit log' },
    { path: '/admin/dashboard', label: 'Owner dashboard' },
    { path: '/admin/reports', label: 'Reports' },
  ],
};

export function Layout() {
  const user = useUser();
  const { practice, selectPractice, logout } = useSession();
  const [error, setError] = useState<string | null>(null);

  const signOut = () => {
    setError(null);
    logout().catch((e: unknown) => setError(`Sign out failed: ${errorText(e)}`));
  };

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Recall</span>
        {user.practices.length > 1 && practice ? (
          <div className="practice-select">
            <label htmlFor="practice">Practice</label>
            <select id="practice" value={practice.slug} onChange={(e) => selectPractice(e.target.value)}>
              {user.practices.map((p) => (
                <option key={p.slug} value={p.slug}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
        ) : (
          practice && <span className="practice-name">{practice.name}</span>
        )}
        <span className="who">
          <NavLink className="who-name" to="/account" title="My account and security">
            {user.displayName}
          </NavLink>
          <span className="who-role">{ROLE_LABELS[user.role]}</span>
        </span>
        <button type="button" className="secondary" onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav className="sidebar" aria-label="Main">
        <ul>
          {NAV[user.role].map((item) => (
            <li key={item.path}>
              <NavLink to={item.path} end={item.path === homePath(user.role)}>
                {item.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="content">
        <Alert message={error} />
        <Outlet />
      </div>
    </div>
  );
}

/** The main landmark of a page, with its heading and the document title. */
export function Page({ title, testId, children }: { title: string; testId?: string; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Recall`;
  }, [title]);
  return (
    <main id="main" className="page" data-testid={testId}>
      <h1>{title}</h1>
      {children}
    </main>
  );
}

export function Alert({ message }: { message?: string | null }) {
  return message ? (
    <p className="alert" role="alert">
      {message}
    </p>
  ) : null;
}
