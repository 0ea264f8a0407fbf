/**
 * The owner dashboard and the reports, per role. They load on first use (with recharts), so the
 * other pages do not carry the charts.
 */
import { lazy, Suspense, type ReactElement } from 'react';

const DashboardPage = lazy(() => import('./pages/dashboard').then((m) => ({ default: m.DashboardPage })));
const ReportsPage = lazy(() => import('./pages/reports').then((m) => ({ default: m.ReportsPage })));

const loading = (
  <p className="boot" role="status">
    Loading…
  </p>
);

export const dashboardPage = (
  <Suspense fallback={loading}>
    <DashboardPage />
  </Suspense>
);

const reportsPage = (
  <Suspense fallback={loading}>
    <ReportsPage />
  </Suspense>
);

/** Sidebar paths (layout.tsx NAV) → page; the owner's home, `/owner`, is the dashboard too. */
export const REPORT_PAGES: Record<string, ReactElement> = {
  '/owner/reports': reportsPage,
  '/manager/dashboard': dashboardPage,
  '/manager/reports': reportsPage,
  '/admin/dashboard': dashboardPage,
  '/admin/reports': reportsPage,
};
