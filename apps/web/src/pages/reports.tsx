import { useApi, type List } from '../api';
import { type AgentRef, type CampaignView } from '../campaign-types';
import { NoPractice, TableNote } from '../components';
import { Alert, Page } from '../layout';
import { usePracticeBase } from '../records';
import { ReportChart } from '../report-charts';
import {
  formatCell,
  isNumber,
  label,
  REPORT_LABELS,
  REPORT_NAMES,
  reportPath,
  shortDay,
  useFilterParams,
  useResource,
  type Report,
  type ReportName,
} from '../report-types';
import '../reports.css';

export function ReportsPage() {
  const base = usePracticeBase();
  return (
    <Page title="Reports" testId="reports-page">
      {base ? <Reports key={base} base={base} /> : <NoPractice what="reports" />}
    </Page>
  );
}

/** What a filter does not apply to in a report, said next to the filters. */
const IGNORES: Partial<Record<ReportName, string>> = {
  hours: 'This report is not split by agent.',
  backlog: 'The backlog is what is left today; the range only sets the pace (the 14 days up to "To").',
  roi: 'The ROI report is per campaign: choose one.',
};

const isReportName = (v: string | null): v is ReportName =>
  (REPORT_NAMES as readonly string[]).includes(v ?? '');

function Reports({ base }: { base: string }) {
  const params = useFilterParams();
  const list = useApi<List<string>>(`${base}/reports`);
  const campaigns = useApi<List<CampaignView>>(`${base}/campaigns`);
  const names = (list.data?.items ?? REPORT_NAMES).filter(isReportName);
  const picked = params.get('report');
  const name: ReportName = isReportName(picked) ? picked : 'funnel';
  const filters = {
    from: params.get('from'),
    to: params.get('to'),
    campaignId: params.get('campaign'),
    agentId: params.get('agent'),
  };
  const waiting = name === 'roi' && !filters.campaignId;
  const path = waiting ? null : reportPath(base, name, filters);
  const report = useResource<Report>(path);
  const shown = report.data?.name === name ? report.data : undefined;

  const items = campaigns.data?.items ?? [];
  const scope = filters.campaignId ? items.filter((c) => c.id === filters.campaignId) : items;
  const agents = [
    ...new Map(scope.flatMap((c) => c.agents).map((a) => [a.id, a] as [string, AgentRef])).values(),
  ].sort((a, b) => a.displayName.localeCompare(b.displayName));

  return (
    <div className="reports" data-testid="reports">
      <div className="report-filters" role="group" aria-label="Report and filters">
        <div className="field">
          <label htmlFor="report-name">Report</label>
          <select id="report-name" value={name} onChange={(e) => params.set({ report: e.target.value })}>
            {names.map((n) => (
              <option key={n} value={n}>
                {REPORT_LABELS[n]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="report-from">From</label>
          <input
            id="report-from"
            type="date"
            value={filters.from ?? shown?.filters.from ?? ''}
            onChange={(e) => params.set({ from: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="report-to">To</label>
          <input
            id="report-to"
            type="date"
            value={filters.to ?? shown?.filters.to ?? ''}
            onChange={(e) => params.set({ to: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="report-campaign">Campaign</label>
          <select
            id="report-campaign"
            value={filters.campaignId ?? ''}
            onChange={(e) => params.set({ campaign: e.target.value, agent: null })}
          >
            <option value="">{name === 'roi' ? 'Choose a campaign' : 'All campaigns'}</option>
            {items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="report-agent">Agent</label>
          <select
            id="report-agent"
            value={filters.agentId ?? ''}
            onChange={(e) => params.set({ agent: e.target.value })}
          >
            <option value="">All agents</option>
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.displayName}
              </option>
            ))}
          </select>
        </div>
        <div className="field report-actions">
          {path ? (
            <a
              className="button-link"
              href={reportPath(base, name, filters, true)}
              download
              data-testid="report-csv"
            >
              Download CSV
            </a>
          ) : null}
          <button type="button" className="secondary" onClick={() => window.print()}>
            Print
          </button>
        </div>
      </div>
      {IGNORES[name] && <p className="muted report-hint">{IGNORES[name]}</p>}
      <Alert message={list.error ?? campaigns.error ?? report.error} />
      {report.loading && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
      {shown && <ReportView report={shown} />}
    </div>
  );
}

function ReportView({ report }: { report: Report }) {
  const summary = Object.entries(report.summary);
  const numeric = new Set(report.columns.filter((c) => report.rows.some((r) => isNumber(r[c]))));
  return (
    <section
      className="report-view"
      aria-labelledby="report-title"
      data-testid="report-view"
      data-report={report.name}
    >
      <h2 id="report-title">{report.title}</h2>
      <p className="report-range muted">
        {shortDay(report.filters.from)} to {shortDay(report.filters.to)} ({report.filters.from} to{' '}
        {report.filters.to})
      </p>
      {summary.length > 0 && (
        <dl className="report-summary" data-testid="report-summary">
          {summary.map(([k, v]) => (
            <div key={k} className="fact">
              <dt>{label(k)}</dt>
              <dd data-testid={`summary-${k}`}>{formatCell(report, k, v)}</dd>
            </div>
          ))}
        </dl>
      )}
      <div className="report-chart">
        <ReportChart report={report} />
      </div>
      <div className="table-scroll">
        <table className="report-table" data-testid="report-table">
          <caption>
            {report.rows.length.toLocaleString()} {report.rows.length === 1 ? 'row' : 'rows'}, as in the CSV
          </caption>
          <thead>
            <tr>
              {report.columns.map((c) => (
                <th key={c} scope="col" data-col={c} className={numeric.has(c) ? 'num' : undefined}>
                  {label(c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {report.rows.map((r, i) => (
              <tr key={i} data-testid="report-row">
                {report.columns.map((c) => (
                  <td key={c} data-col={c} className={numeric.has(c) ? 'num' : undefined}>
                    {formatCell(report, c, r[c], r)}
                  </td>
                ))}
              </tr>
            ))}
            {report.rows.length === 0 && (
              <TableNote colSpan={report.columns.length}>Nothing in this range.</TableNote>
            )}
          </tbody>
        </table>
      </div>
      {report.notes.length > 0 && (
        <ul className="report-notes">
          {report.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
