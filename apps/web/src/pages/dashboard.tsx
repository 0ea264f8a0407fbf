import { useApi, type List } from '../api';
import { useSession, useUser } from '../auth';
import { CAMPAIGN_STATUS_LABELS, type CampaignView } from '../campaign-types';
import { NoPractice } from '../components';
import { localToday } from '../cycle-types';
import { rangePresets, summarize } from '../dashboard-summary';
import { Alert, Page } from '../layout';
import { usePracticeBase } from '../records';
import {
  AttemptCurve,
  ChartFigure,
  FunnelBars,
  HourHeatmap,
  weeklyTotals,
  WeeklyTrend,
} from '../report-charts';
import {
  count,
  formatCell,
  isNumber,
  label,
  money,
  percent,
  points,
  reportPath,
  shortDay,
  useFilterParams,
  useResource,
  type Cell,
  type Report,
  type ReportFilters,
  type ReportName,
} from '../report-types';
import '../reports.css';

/** The owner's home (managers and admins reach it from the sidebar): one campaign, one range. */
export function DashboardPage() {
  const user = useUser();
  const base = usePracticeBase();
  return (
    <Page title="Owner dashboard" testId={user.role === 'owner' ? 'home-owner' : 'dashboard-page'}>
      {base ? <Dashboard key={base} base={base} /> : <NoPractice what="figures" />}
    </Page>
  );
}

function useReport(base: string, name: ReportName, filters: ReportFilters | null) {
  return useResource<Report>(filters ? reportPath(base, name, filters) : null);
}

function Dashboard({ base }: { base: string }) {
  const { practice } = useSession();
  const params = useFilterParams();
  const campaigns = useApi<List<CampaignView>>(`${base}/campaigns`);
  const items = campaigns.data?.items ?? [];
  const picked = params.get('campaign');
  const campaign =
    items.find((c) => c.id === picked) ??
    (picked ? undefined : (items.find((c) => c.status === 'active') ?? items[0]));

  // The backlog is as of the practice's today on the server's clock, which also anchors the range.
  const backlog = useReport(base, 'backlog', campaign ? { campaignId: campaign.id } : null);
  const today = backlog.data?.filters.to ?? (backlog.error ? localToday(practice?.timezone) : undefined);
  const to = params.get('to') ?? today;
  const launched = campaign?.launchedAt
    ? localToday(practice?.timezone, new Date(campaign.launchedAt))
    : null;
  const presets = today ? rangePresets(today, launched) : [];
  // This month to date, unless the month holds no call yet and the campaign ran before it:
  // then since the launch (an owner early in a month, or the first run's simulated weeks).
  const monthStart = presets[0]?.from;
  const explicit = params.get('from') !== null || params.get('to') !== null;
  const monthQuery =
    !explicit && campaign && monthStart && today && launched && launched < monthStart
      ? { from: monthStart, to: today, campaignId: campaign.id }
      : null;
  const monthFunnel = useReport(base, 'funnel', monthQuery);
  const checking = monthQuery !== null && (monthFunnel.loading || (!monthFunnel.data && !monthFunnel.error));
  const quietMonth =
    monthQuery !== null && !checking && !!monthFunnel.data && dialsOf(monthFunnel.data) === 0;
  const from = params.get('from') ?? (checking ? undefined : quietMonth ? launched! : monthStart);
  const filters = campaign && from && to ? { from, to, campaignId: campaign.id } : null;

  const roi = useReport(base, 'roi', filters);
  const funnel = useReport(base, 'funnel', filters);
  const dispositions = useReport(base, 'dispositions', filters);
  const attempts = useReport(base, 'attempts', filters);
  const hours = useReport(base, 'hours', filters);
  const all = [roi, funnel, dispositions, attempts, hours];
  const ready = filters !== null && all.every((r) => r.data && !r.loading);
  const error = campaigns.error ?? backlog.error ?? all.find((r) => r.error)?.error;

  if (campaigns.data && items.length === 0) {
    return (
      <p className="muted">
        No campaigns yet: the figures appear once a campaign has been planned and launched.
      </p>
    );
  }

  return (
    <div className="dashboard" data-testid="dashboard" aria-busy={!ready && !error}>
      <div className="report-filters" role="group" aria-label="What to show">
        <div className="field">
          <label htmlFor="dash-campaign">Campaign</label>
          <select
            id="dash-campaign"
            value={campaign?.id ?? ''}
            onChange={(e) => params.set({ campaign: e.target.value })}
          >
            {!campaign && <option value="">Choose a campaign</option>}
            {items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({CAMPAIGN_STATUS_LABELS[c.status] ?? c.status})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="dash-from">From</label>
          <input
            id="dash-from"
            type="date"
            value={from ?? ''}
            max={to}
            onChange={(e) => params.set({ from: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="dash-to">To</label>
          <input
            id="dash-to"
            type="date"
            value={to ?? ''}
            min={from}
            onChange={(e) => params.set({ to: e.target.value })}
          />
        </div>
        <div className="field report-presets" role="group" aria-label="Range">
          {presets.map((p) => (
            <button
              key={p.label}
              type="button"
              className="secondary"
              aria-pressed={p.from === from && p.to === to}
              onClick={() => params.set({ from: p.from, to: p.to })}
            >
              {p.label}
            </button>
          ))}
        </div>
        <div className="field report-actions">
          <button type="button" className="secondary" onClick={() => window.print()}>
            Print
          </button>
        </div>
      </div>
      <Alert message={error} />
      {quietMonth && !explicit && (
        <p className="muted" role="status" data-testid="dashboard-quiet-month">
          No calls yet this month: showing the campaign since its launch.
        </p>
      )}
      {roi.data && (
        <p className="report-range muted" data-testid="dashboard-range">
          {String(roi.data.summary.campaign)}, {shortDay(roi.data.filters.from)} to{' '}
          {shortDay(roi.data.filters.to)} ({count(roi.data.summary.days)} days). Figures marked <Projected />{' '}
          count pending bookings at the plan&rsquo;s show rate.
        </p>
      )}
      {!ready && !error && (
        <p className="muted" role="status">
          Loading the figures…
        </p>
      )}
      {roi.data && (
        <>
          <section className="card dash-summary" aria-labelledby="dash-summary-heading">
            <h2 id="dash-summary-heading">In short</h2>
            <ul data-testid="dashboard-summary">
              {summarize({
                roi: roi.data,
                attempts: attempts.data,
                hours: hours.data,
                backlog: backlog.data,
              }).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </section>
          <Headline roi={roi.data} />
        </>
      )}
      <div className="dash-grid">
        {roi.data && <PlanVsActual roi={roi.data} />}
        {funnel.data && <Funnel funnel={funnel.data} />}
        {dispositions.data && <Trend dispositions={dispositions.data} />}
        {attempts.data && <Attempts attempts={attempts.data} />}
      </div>
      {hours.data && (
        <section className="card" aria-labelledby="dash-hours-heading">
          <h2 id="dash-hours-heading">When patients pick up</h2>
          <HourHeatmap hours={hours.data} />
          <Notes reports={[hours.data]} />
        </section>
      )}
    </div>
  );
}

function Projected() {
  return <span className="badge badge-projected">projected</span>;
}

function Stat({
  id,
  value,
  children,
  projected = false,
}: {
  id: string;
  value: string;
  children: string;
  projected?: boolean;
}) {
  return (
    <li className={`stat${projected ? ' stat-projected' : ''}`}>
      <span className="stat-value" data-testid={`kpi-${id}`}>
        {value}
      </span>
      <span className="stat-label">
        {children} {projected && <Projected />}
      </span>
    </li>
  );
}

function Headline({ roi }: { roi: Report }) {
  const s = roi.summary;
  const progress = isNumber(s.breakEvenProgress) ? s.breakEvenProgress : null;
  return (
    <ul className="stats dash-kpis" aria-label="Headline figures">
      <Stat id="revenue" value={money(s.revenue)}>
        revenue won (kept visits)
      </Stat>
      <Stat id="projected-revenue" value={money(s.projectedRevenue)} projected>
        revenue
      </Stat>
      <Stat id="net" value={money(s.net)} projected>
        net after agent cost
      </Stat>
      <Stat id="roi" value={points(s.roiPercent)} projected>
        ROI
      </Stat>
      <Stat id="kept" value={count(s.keptVisits)}>
        kept visits
      </Stat>
      <Stat id="pending" value={count(s.pendingBookings)}>
        bookings pending the next EMR import
      </Stat>
      <li className="stat stat-projected stat-wide">
        <span className="stat-value" data-testid="kpi-break-even">
          {percent(s.breakEvenProgress)}
        </span>
        <span className="stat-label">
          of break-even: {count(s.projectedKeptVisits)} of {count(s.breakEvenKeptVisits)} kept visits{' '}
          <Projected />
        </span>
        {progress !== null && (
          <progress max={1} value={Math.min(progress, 1)} aria-label="Break-even progress">
            {percent(progress)}
          </progress>
        )}
      </li>
    </ul>
  );
}

function signed(v: Cell | undefined): string {
  return isNumber(v) && v > 0 ? `+${percent(v)}` : percent(v);
}

function PlanVsActual({ roi }: { roi: Report }) {
  return (
    <section className="card" aria-labelledby="dash-plan-heading">
      <h2 id="dash-plan-heading">Plan vs actual</h2>
      <div className="table-scroll">
        <table className="report-table compact" data-testid="plan-table">
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col" className="num">
                Planned
              </th>
              <th scope="col" className="num">
                Actual
              </th>
              <th scope="col" className="num">
                Projected
              </th>
              <th scope="col" className="num">
                Vs plan
              </th>
            </tr>
          </thead>
          <tbody>
            {roi.rows.map((r) => (
              <tr key={String(r.metric)} data-testid={`plan-${String(r.metric).replace(/\s+/g, '-')}`}>
                <th scope="row">{label(String(r.metric))}</th>
                {(['planned', 'actual', 'projected'] as const).map((k) => (
                  <td key={k} className="num" data-col={k}>
                    {formatCell(roi, k, r[k], r)}
                  </td>
                ))}
                <td className="num" data-col="vsPlan">
                  {signed(r.vsPlan)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Notes reports={[roi]} />
    </section>
  );
}

function Funnel({ funnel }: { funnel: Report }) {
  const steps = funnel.rows.filter((r) => r.step !== 'revenue');
  return (
    <section className="card" aria-labelledby="dash-funnel-heading">
      <h2 id="dash-funnel-heading">Funnel</h2>
      <ChartFigure caption="Dials → contacts → bookings → kept visits">
        <FunnelBars funnel={funnel} />
      </ChartFigure>
      <dl className="facts funnel-facts">
        {steps.map((r) => (
          <div key={String(r.step)} className="fact">
            <dt>{label(String(r.step))}</dt>
            <dd data-testid={`funnel-${String(r.step).replace(/\s+/g, '-')}`}>{count(r.count)}</dd>
            {isNumber(r.rateFromPrevious) && (
              <dd className="muted">{percent(r.rateFromPrevious)} of the step before</dd>
            )}
          </div>
        ))}
      </dl>
      <Notes reports={[funnel]} />
    </section>
  );
}

function Trend({ dispositions }: { dispositions: Report }) {
  const weeks = weeklyTotals(dispositions);
  return (
    <section className="card" aria-labelledby="dash-trend-heading">
      <h2 id="dash-trend-heading">By week</h2>
      {weeks.length === 0 ? (
        <p className="muted">No calls in this range.</p>
      ) : (
        <>
          <ChartFigure caption="Calls (bars) and bookings (line) per week, weeks starting Monday">
            <WeeklyTrend weeks={weeks} />
          </ChartFigure>
          <table className="report-table compact" data-testid="trend-table">
            <thead>
              <tr>
                <th scope="col">Week of</th>
                <th scope="col" className="num">
                  Calls
                </th>
                <th scope="col" className="num">
                  Bookings
                </th>
              </tr>
            </thead>
            <tbody>
              {weeks.map((w) => (
                <tr key={w.week}>
                  <th scope="row">
                    {shortDay(w.week)}
                    {(w.week < dispositions.filters.from || weekEnd(w.week) > dispositions.filters.to) && (
                      <span className="muted"> (part)</span>
                    )}
                  </th>
                  <td className="num">{count(w.calls)}</td>
                  <td className="num">{count(w.bookings)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** The Sunday of the week starting on Monday `day`. */
function weekEnd(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const end = new Date(Date.UTC(y, m - 1, d + 6));
  return end.toISOString().slice(0, 10);
}

function Attempts({ attempts }: { attempts: Report }) {
  const late = attempts.rows.filter((r) => isNumber(r.attempt) && r.attempt >= 4);
  return (
    <section className="card" aria-labelledby="dash-attempts-heading">
      <h2 id="dash-attempts-heading">By attempt</h2>
      {attempts.rows.length === 0 ? (
        <p className="muted">No calls in this range.</p>
      ) : (
        <ChartFigure caption="Pickup rate and booking rate (of contacts) by attempt number">
          <AttemptCurve attempts={attempts} />
        </ChartFigure>
      )}
      <div className="table-scroll">
        <table className="report-table compact" data-testid="late-attempts">
          <caption>What the 4th and 5th attempts earned against what they cost</caption>
          <thead>
            <tr>
              <th scope="col">Attempt</th>
              {(['dials', 'bookings', 'earned', 'cost', 'net'] as const).map((k) => (
                <th key={k} scope="col" className="num">
                  {label(k)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {late.map((r) => (
              <tr key={String(r.attempt)}>
                <th scope="row">#{r.attempt}</th>
                {(['dials', 'bookings', 'earned', 'cost', 'net'] as const).map((k) => (
                  <td key={k} className="num">
                    {formatCell(attempts, k, r[k], r)}
                  </td>
                ))}
              </tr>
            ))}
            {late.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">
                  No 4th or 5th attempts in this range.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <Notes reports={[attempts]} />
    </section>
  );
}

function Notes({ reports }: { reports: Report[] }) {
  const notes = reports.flatMap((r) => r.notes);
  return notes.length > 0 ? (
    <ul className="report-notes">
      {notes.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  ) : null;
}

function dialsOf(funnel: Report): number {
  const dials = funnel.rows.find((r) => r.step === 'dials')?.count;
  return isNumber(dials) ? dials : 0;
}
