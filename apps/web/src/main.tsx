import { StrictMode, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { ROLES, type Role } from './api';
import { homePath, RequireRole, SessionProvider, useSession } from './auth';
import { Layout, NAV } from './layout';
import { AuditPage } from './pages/audit';
import { CampaignDetailPage } from './pages/campaign-detail';
import { CallProtocolPage } from './pages/call-protocol';
import { CampaignsPage } from './pages/campaigns';
import { CyclesPage } from './pages/cycles';
import { DoNotCallPage } from './pages/do-not-call';
import { DuplicatesPage } from './pages/duplicates';
import { EscalationsPage } from './pages/escalations';
import { ComingSoonPage, HomePage } from './pages/home';
import { ImportsPage } from './pages/imports';
import { LoginPage } from './pages/login';
import { AccountPage } from './pages/mfa';
import { PatientsPage } from './pages/patients';
import { PracticesPage } from './pages/practices';
import { MyReviewsPage, QualityPage } from './pages/quality';
import { QueuePage } from './pages/queue';
import { UsersPage } from './pages/users';
import { dashboardPage, REPORT_PAGES } from './report-routes';
import './styles.css';

/** Pages built so far; every other sidebar entry shows a "coming later" page. */
const PAGES: Record<string, ReactElement> = {
  ...REPORT_PAGES,
  '/admin/users': <UsersPage />,
  '/admin/practices': <PracticesPage />,
  '/admin/escalations': <EscalationsPage />,
  '/admin/do-not-call': <DoNotCallPage />,
  '/admin/audit': <AuditPage />,
  '/manager/imports': <ImportsPage />,
  '/manager/campaigns': <CampaignsPage />,
  '/manager/patients': <PatientsPage />,
  '/manager/duplicates': <DuplicatesPage />,
  '/manager/cycles': <CyclesPage />,
  '/manager/escalations': <EscalationsPage />,
  '/manager/call-protocol': <CallProtocolPage />,
  '/admin/call-protocol': <CallProtocolPage />,
  '/manager/do-not-call': <DoNotCallPage />,
  '/manager/quality': <QualityPage />,
  '/admin/quality': <QualityPage />,
  '/agent/qa': <MyReviewsPage />,
};

/** Roles whose home page is a working page rather than the welcome page. */
const HOME_PAGES: Partial<Record<Role, ReactElement>> = {
  agent: <QueuePage />,
  owner: dashboardPage,
};

function Start() {
  const { user } = useSession();
  return <Navigate to={user ? homePath(user.role) : '/login'} replace />;
}

function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<RequireRole />}>
        <Route element={<Layout />}>
          {ROLES.map((role) => (
            <Route key={role} element={<RequireRole role={role} />}>
              {NAV[role].map(({ path, label }) => (
                <Route
                  key={path}
                  path={path}
                  element={
                    path === homePath(role)
                      ? (HOME_PAGES[role] ?? <HomePage />)
                      : (PAGES[path] ?? <ComingSoonPage title={label} />)
                  }
                />
              ))}
              {role === 'manager' && (
                <Route path="/manager/campaigns/:campaignId" element={<CampaignDetailPage />} />
              )}
            </Route>
          ))}
          <Route path="/account" element={<AccountPage />} />
        </Route>
      </Route>
      <Route path="*" element={<Start />} />
    </Routes>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </SessionProvider>
  </StrictMode>,
);
