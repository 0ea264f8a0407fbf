/**
 * Charts over report rows (recharts), each beside or above the numbers it draws, so nothing is
 * only in a picture. Values are the API's; the charts only place them.
 */
import type { ReactNode } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  LabelList,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  AGE_BANDS,
  count,
  formatCell,
  isNumber,
  label,
  percent,
  shortDay,
  type Cell,
  type Report,
} from './report-types';

const COLORS = { primary: '#0f6e73', second: '#c05621', third: '#6b7d8f', grid: '#e3e8ed' };
const HEIGHT = 240;
const AXIS = { fontSize: 12, fill: '#5b6875' };

export function ChartFigure({ caption, children }: { caption: ReactNode; children: ReactNode }) {
  return (
    <figure className="chart">
      <figcaption>{caption}</figcaption>
      <div className="chart-box">{children}</div>
    </figure>
  );
}

const style = (height = HEIGHT) => ({ width: '100%', height });

/** The funnel without its revenue step (another unit): dials → contacts → bookings → kept visits. */
export function FunnelBars({ funnel }: { funnel: Report }) {
  const data = funnel.rows
    .filter((r) => r.step !== 'revenue')
    .map((r) => ({ step: String(r.step), count: r.count }));
  return (
    <BarChart
      data={data}
      layout="vertical"
      responsive
      style={style(200)}
      margin={{ left: 8, right: 48 }}
      title="Funnel"
    >
      <CartesianGrid horizontal={false} stroke={COLORS.grid} />
      <XAxis type="number" allowDecimals={false} tick={AXIS} />
      <YAxis type="category" dataKey="step" width={88} tick={AXIS} />
      <Tooltip formatter={(v) => count(v as Cell)} />
      <Bar dataKey="count" name="Count" fill={COLORS.primary} isAnimationActive={false}>
        <LabelList dataKey="count" position="right" formatter={(v) => count(v as Cell)} />
      </Bar>
    </BarChart>
  );
}

export interface WeekTotal {
  week: string;
  calls: number;
  bookings: number;
}

/** The dispositions report's period × campaign × agent × code counts, summed per week (or month, for long ranges). */
export function weeklyTotals(dispositions: Report): WeekTotal[] {
  const weeks = new Map<string, WeekTotal>();
  for (const r of dispositions.rows) {
    const week = String(r.week ?? r.month);
    const w = weeks.get(week) ?? { week, calls: 0, bookings: 0 };
    const n = isNumber(r.count) ? r.count : 0;
    w.calls += n;
    if (r.code === 'DONE') w.bookings += n;
    weeks.set(week, w);
  }
  return [...weeks.values()].sort((a, b) => a.week.localeCompare(b.week));
}

export function WeeklyTrend({ weeks }: { weeks: WeekTotal[] }) {
  const data = weeks.map((w) => ({ ...w, label: shortDay(w.week) }));
  return (
    <ComposedChart
      data={data}
      responsive
      style={style()}
      margin={{ right: 8 }}
      title="Calls and bookings by week"
    >
      <CartesianGrid vertical={false} stroke={COLORS.grid} />
      <XAxis dataKey="label" tick={AXIS} />
      <YAxis yAxisId="calls" allowDecimals={false} tick={AXIS} />
      <YAxis yAxisId="bookings" orientation="right" allowDecimals={false} tick={AXIS} />
      <Tooltip formatter={(v) => count(v as Cell)} />
      <Legend />
      <Bar yAxisId="calls" dataKey="calls" name="Calls" fill={COLORS.third} isAnimationActive={false} />
      <Line
        yAxisId="bookings"
        dataKey="bookings"
        name="Bookings"
        stroke={COLORS.second}
        strokeWidth={2}
        isAnimationActive={false}
      />
    </ComposedChart>
  );
}

/** Pickup and booking rate by attempt number. */
export function AttemptCurve({ attempts }: { attempts: Report }) {
  const data = attempts.rows.map((r) => ({
    attempt: `#${r.attempt}`,
    pickupRate: r.pickupRate,
    bookingRate: r.bookingRate,
  }));
  return (
    <LineChart data={data} responsive style={style()} margin={{ right: 16 }} title="Rates by attempt">
      <CartesianGrid vertical={false} stroke={COLORS.grid} />
      <XAxis dataKey="attempt" tick={AXIS} />
      <YAxis domain={[0, 1]} tickFormatter={(v: number) => percent(v)} tick={AXIS} width={48} />
      <Tooltip formatter={(v) => percent(v as Cell)} />
      <Legend />
      <Line
        dataKey="pickupRate"
        name="Pickup rate"
        stroke={COLORS.primary}
        strokeWidth={2}
        isAnimationActive={false}
        connectNulls
      />
      <Line
        dataKey="bookingRate"
        name="Booking rate (of contacts)"
        stroke={COLORS.second}
        strokeWidth={2}
        isAnimationActive={false}
        connectNulls
      />
    </LineChart>
  );
}

/**
 * Patient-local hour × age band, coloured by pickup rate. It is a real table (headers, the rate
 * written in every cell), so it reads without the colours too.
 */
export function HourHeatmap({ hours }: { hours: Report }) {
  const rows = hours.rows.filter((r) => isNumber(r.hour));
  if (rows.length === 0) return <p className="muted">No calls in this range.</p>;
  const hourList = rows.map((r) => r.hour as number);
  const [first, last] = [Math.min(...hourList), Math.max(...hourList)];
  const columns = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const present = new Set(rows.map((r) => String(r.ageBand)));
  const bands = [
    ...AGE_BANDS.filter((b) => present.has(b)),
    ...[...present].filter((b) => !AGE_BANDS.includes(b)),
  ];
  const cell = new Map(rows.map((r) => [`${r.ageBand}|${r.hour}`, r]));
  const max = Math.max(0, ...rows.map((r) => (isNumber(r.pickupRate) ? r.pickupRate : 0)));
  const shade = (rate: number) => {
    const t = max > 0 ? rate / max : 0;
    const light = 96 - 58 * t;
    return { background: `hsl(183 55% ${light}%)`, color: light < 58 ? '#fff' : 'inherit' };
  };
  return (
    <div className="table-scroll">
      <table className="heatmap" data-testid="hour-heatmap">
        <caption>
          Pickup rate by the patient&rsquo;s local hour (columns) and age band (rows); darker is higher, up to{' '}
          {percent(max)}.
        </caption>
        <thead>
          <tr>
            <th scope="col">Age band</th>
            {columns.map((h) => (
              <th key={h} scope="col" className="num">
                {h}:00
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {bands.map((band) => (
            <tr key={band}>
              <th scope="row">{band}</th>
              {columns.map((h) => {
                const r = cell.get(`${band}|${h}`);
                if (!r)
                  return (
                    <td key={h} className="num heat-empty" title="no calls">
                      —
                    </td>
                  );
                const rate = isNumber(r.pickupRate) ? r.pickupRate : 0;
                return (
                  <td
                    key={h}
                    className="num"
                    style={shade(rate)}
                    title={`${band}, ${h}:00: ${count(r.contacts)} of ${count(r.dials)} dials picked up`}
                  >
                    {percent(r.pickupRate)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Bars over one report's rows: `x` along the bottom, one bar per series. */
function RowBars({
  report,
  x,
  series,
  percentAxis = false,
}: {
  report: Report;
  x: string;
  series: string[];
  percentAxis?: boolean;
}) {
  const palette = [COLORS.primary, COLORS.second, COLORS.third];
  const fmt = (key: string) => (v: unknown) => formatCell(report, key, v as Cell);
  return (
    <BarChart data={report.rows} responsive style={style()} margin={{ right: 8 }} title={report.title}>
      <CartesianGrid vertical={false} stroke={COLORS.grid} />
      <XAxis dataKey={x} tick={AXIS} />
      <YAxis
        tick={AXIS}
        width={percentAxis ? 48 : 64}
        tickFormatter={percentAxis ? (v: number) => percent(v) : (v: number) => v.toLocaleString()}
      />
      <Tooltip formatter={(v, name) => fmt(String(name))(v)} />
      {series.length > 1 && <Legend formatter={(v: string) => label(v)} />}
      {series.map((key, i) => (
        <Bar
          key={key}
          dataKey={key}
          name={key}
          fill={palette[i % palette.length]}
          isAnimationActive={false}
        />
      ))}
    </BarChart>
  );
}

/** The quality report's agent × week rows as one line per agent over the weeks, for one figure. */
function AgentWeekLines({
  report,
  metric,
  domain,
  percentAxis = false,
}: {
  report: Report;
  metric: string;
  domain: [number, number | 'auto'];
  percentAxis?: boolean;
}) {
  const agents = [...new Set(report.rows.map((r) => String(r.agent)))];
  const weeks = new Map<string, Record<string, Cell>>();
  for (const r of report.rows) {
    const week = String(r.week);
    const w = weeks.get(week) ?? { week, label: shortDay(week) };
    w[String(r.agent)] = r[metric];
    weeks.set(week, w);
  }
  const data = [...weeks.values()].sort((a, b) => String(a.week).localeCompare(String(b.week)));
  const palette = [COLORS.primary, COLORS.second, COLORS.third, '#7b4fa0', '#2f7d32', '#b7791f'];
  const fmt = (v: unknown) => formatCell(report, metric, v as Cell);
  return (
    <LineChart data={data} responsive style={style()} margin={{ right: 16 }} title={label(metric)}>
      <CartesianGrid vertical={false} stroke={COLORS.grid} />
      <XAxis dataKey="label" tick={AXIS} />
      <YAxis
        domain={domain}
        tick={AXIS}
        width={48}
        tickFormatter={percentAxis ? (v: number) => percent(v) : (v: number) => v.toLocaleString()}
      />
      <Tooltip formatter={fmt} />
      <Legend />
      {agents.map((a, i) => (
        <Line
          key={a}
          dataKey={a}
          name={a}
          stroke={palette[i % palette.length]}
          strokeWidth={2}
          isAnimationActive={false}
          connectNulls
        />
      ))}
    </LineChart>
  );
}

/** The chart that helps read `report`, if one does. */
export function ReportChart({ report }: { report: Report }) {
  if (report.rows.length === 0) return null;
  switch (report.name) {
    case 'funnel':
      return (
        <ChartFigure caption="Dials → contacts → bookings → kept visits">
          <FunnelBars funnel={report} />
        </ChartFigure>
      );
    case 'roi': {
      const moneyRows = {
        ...report,
        rows: report.rows.filter((r) => ['revenue', 'agent cost', 'net'].includes(String(r.metric))),
      };
      return (
        <ChartFigure caption="Planned vs projected: revenue, agent cost and net">
          <RowBars report={moneyRows} x="metric" series={['planned', 'projected']} />
        </ChartFigure>
      );
    }
    case 'attempts':
      return (
        <ChartFigure caption="Pickup and booking rate by attempt number">
          <AttemptCurve attempts={report} />
        </ChartFigure>
      );
    case 'hours':
      return <HourHeatmap hours={report} />;
    case 'dispositions':
      return (
        <ChartFigure caption={`Calls and bookings (DONE) by ${report.columns[0]}`}>
          <WeeklyTrend weeks={weeklyTotals(report)} />
        </ChartFigure>
      );
    case 'agents':
      return (
        <ChartFigure caption="Dials and bookings per agent">
          <RowBars report={report} x="agent" series={['dials', 'bookings']} />
        </ChartFigure>
      );
    case 'backlog':
      return (
        <ChartFigure caption="Open patients and remaining attempts per campaign">
          <RowBars report={report} x="campaign" series={['callableRemaining', 'remainingAttempts']} />
        </ChartFigure>
      );
    case 'lead-time':
      return (
        <ChartFigure caption="Kept rate by days between the call and the appointment">
          <RowBars report={report} x="leadDays" series={['keptRate']} percentAxis />
        </ChartFigure>
      );
    case 'escalations':
      return (
        <ChartFigure caption="Escalations opened and resolved per category">
          <RowBars report={report} x="category" series={['opened', 'resolved']} />
        </ChartFigure>
      );
    case 'quality':
      return (
        <div className="chart-pair" data-testid="quality-charts">
          <ChartFigure caption="QA score (1–5) per agent by week">
            <AgentWeekLines report={report} metric="qaScore" domain={[1, 5]} />
          </ChartFigure>
          <ChartFigure caption="Conversion (bookings per dial) per agent by week">
            <AgentWeekLines report={report} metric="conversionRate" domain={[0, 'auto']} percentAxis />
          </ChartFigure>
        </div>
      );
    case 'transfers':
      return (
        <ChartFigure caption="Transfers tried and connected per group and kind">
          <RowBars
            report={{ ...report, rows: report.rows.map((r) => ({ ...r, to: `${r.group} (${r.kind})` })) }}
            x="to"
            series={['transfers', 'connected']}
          />
        </ChartFigure>
      );
  }
}
