/**
 * Shapes of the reports API as the server sends them (libs/reports/src/reports.service.ts), the
 * one hook the report pages load them with, and how their numbers are shown. Figures are only
 * formatted here, never recomputed: what the page shows is what the API said.
 */
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, errorText } from './api';

export const REPORT_NAMES = [
  'funnel',
  'roi',
  'attempts',
  'hours',
  'dispositions',
  'agents',
  'backlog',
  'lead-time',
  'escalations',
  'quality',
  'transfers',
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export const REPORT_LABELS: Record<ReportName, string> = {
  funnel: 'Funnel',
  roi: 'ROI: planned vs actual',
  attempts: 'By attempt number',
  hours: 'By hour and age band',
  dispositions: 'Disposition mix by week (by month past 92 days)',
  agents: 'Agents',
  backlog: 'Backlog',
  'lead-time': 'Kept rate by booking lead time',
  escalations: 'Escalations',
  quality: 'Quality: QA score, conversion, handle time, first-contact resolution, identity, transfers',
  transfers: 'Transfers by group',
};

export type Cell = string | number | null;

export interface Report {
  name: ReportName;
  title: string;
  filters: { from: string; to: string; campaignId: string | null; agentId: string | null };
  summary: Record<string, Cell>;
  columns: string[];
  rows: Record<string, Cell>[];
  notes: string[];
}

export interface ReportFilters {
  from?: string | null;
  to?: string | null;
  campaignId?: string | null;
  agentId?: string | null;
}

/** The order of the hours report's age bands (libs/reports/src/rollup-sql.ts). */
export const AGE_BANDS = ['<18', '18-34', '35-49', '50-64', '65-79', '80+', 'unknown'];

/** `…/reports/:name` (or its `.csv`) with the filters that are set, in a stable order. */
export function reportPath(base: string, name: ReportName, filters: ReportFilters, csv = false): string {
  const q = new URLSearchParams();
  for (const k of ['from', 'to', 'campaignId', 'agentId'] as const) {
    const v = filters[k];
    if (v) q.set(k, v);
  }
  const query = q.toString();
  return `${base}/reports/${name}${csv ? '.csv' : ''}${query ? `?${query}` : ''}`;
}

/** Loads a GET resource once `path` is known; null waits (nothing is requested). */
export function useResource<T>(path: string | null) {
  const [state, setState] = useState<{ path: string | null; data?: T; error?: string }>({ path: null });
  useEffect(() => {
    if (!path) return;
    let current = true;
    api<T>(path).then(
      (data) => current && setState({ path, data }),
      (error: unknown) => current && setState({ path, error: errorText(error) }),
    );
    return () => {
      current = false;
    };
  }, [path]);
  // Data of an earlier path stays on screen while the new one loads.
  const loading = path !== null && state.path !== path;
  return { data: state.data, error: loading ? undefined : state.error, loading };
}

/** The URL holds the choices (`?campaign=…&from=…&to=…`), so a view can be shared, reloaded or printed. */
export function useFilterParams() {
  const [params, setParams] = useSearchParams();
  const set = (changes: Record<string, string | null>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes)) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );
  return { get: (k: string) => params.get(k), set };
}

// Formatting -----------------------------------------------------------------------------------

export const isNumber = (v: Cell | undefined): v is number => typeof v === 'number';

export function count(v: Cell | undefined): string {
  return isNumber(v) ? v.toLocaleString() : (v ?? '—');
}

export function money(v: Cell | undefined): string {
  return isNumber(v) ? v.toLocaleString(undefined, { style: 'currency', currency: 'USD' }) : (v ?? '—');
}

/** A fraction as the API gives it (0.1234) as a percentage (12.34 %), to its last digit. */
export function percent(v: Cell | undefined): string {
  return isNumber(v)
    ? v.toLocaleString(undefined, { style: 'percent', maximumFractionDigits: 2 })
    : (v ?? '—');
}

/** A figure that already is a percentage (`roiPercent`). */
export function points(v: Cell | undefined): string {
  return isNumber(v) ? `${v.toLocaleString()}%` : (v ?? '—');
}

type Kind = 'count' | 'money' | 'percent' | 'points';

const MONEY_ROWS = new Set(['revenue', 'agent cost', 'net']);

/** How a summary figure or a cell of `report` reads: from its name (and, for mixed tables, its row). */
export function kindOf(report: Pick<Report, 'name'>, key: string, row?: Record<string, Cell>): Kind {
  if (row) {
    if (report.name === 'roi' && ['planned', 'actual', 'projected'].includes(key))
      return MONEY_ROWS.has(String(row.metric)) ? 'money' : 'count';
    if (report.name === 'funnel' && key === 'count' && row.step === 'revenue') return 'money';
  } else if (report.name === 'dispositions') {
    return 'percent'; // each code's share of the calls
  }
  if (key === 'roiPercent') return 'points';
  if (
    /(rate|progress|resolution|accuracy)$/i.test(key) ||
    key === 'vsPlan' ||
    /^pickup |^kept .+ days$/.test(key)
  )
    return 'percent';
  if (/(revenue|cost|net|earned)$/i.test(key) || key === 'costPerDial') return 'money';
  return 'count';
}

export function formatCell(
  report: Pick<Report, 'name'>,
  key: string,
  v: Cell | undefined,
  row?: Record<string, Cell>,
) {
  if (!isNumber(v)) return v ?? '—';
  switch (kindOf(report, key, row)) {
    case 'money':
      return money(v);
    case 'percent':
      return percent(v);
    case 'points':
      return points(v);
    default:
      return count(v);
  }
}

/** `rateFromPrevious` → "Rate from previous"; `best hour 18-34` stays as it is. */
export function label(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "2026-06-08" → "Jun 8", read as a calendar day (no time zone shift). */
export function shortDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

export const plural = (n: Cell | undefined, one: string, many = `${one}s`) => (n === 1 ? one : many);
