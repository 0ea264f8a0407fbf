import { parseDateTime } from '../normalize/dates';
import { cleanName } from '../normalize/names';
import { copyLine, csvLine } from './copy-text';
import type { RowHandler, RowIssues } from './process-chunk';
import type { RowContext } from './row-context';

/** Columns of the visits staging table, in COPY order. */
export const VISIT_STAGING_COLUMNS = [
  'line',
  'patient_key',
  'source_key',
  'occurs_on',
  'occurs_at',
  'status',
  'raw_status',
  'provider',
  'location',
  'visit_type',
  'raw_row',
] as const;

/**
 * Normalises one appointments/encounters row. Without a status column, a past appointment
 * counts as completed and a future one as scheduled; encounters are always completed.
 */
export class VisitRows implements RowHandler {
  private readonly col: Record<string, number>;

  constructor(private readonly ctx: RowContext) {
    this.col = ctx.index;
  }

  private cell(cells: string[], field: string): string {
    const i = this.col[field];
    return i === undefined ? '' : (cells[i] ?? '').trim();
  }

  private header(field: string): string | null {
    const i = this.col[field];
    return i === undefined ? null : this.ctx.headers[i];
  }

  handle(cells: string[], line: number, issues: RowIssues): string | null {
    const patientKey = this.cell(cells, 'patientKey');
    if (patientKey === '') {
      issues.reject(this.header('patientKey'), 'no patient key');
      return null;
    }
    const dateRaw = this.cell(cells, 'date');
    const timeRaw = this.cell(cells, 'time');
    const when = parseDateTime(timeRaw ? `${dateRaw} ${timeRaw}` : dateRaw, {
      today: this.ctx.today,
      kind: 'event',
      order: this.ctx.mapping.dateOrder,
      zone: this.ctx.practiceZone,
    });
    if (!when.ok || when.value === null) {
      issues.reject(this.header('date'), when.ok ? 'no date' : when.reason);
      return null;
    }
    const { date, instant } = when.value;

    let status: string;
    const rawStatus = this.cell(cells, 'status');
    if (this.ctx.kind === 'encounters') status = 'completed';
    else if (rawStatus === '') status = date > this.ctx.today ? 'scheduled' : 'completed';
    else {
      status = this.ctx.statusCodes[rawStatus.toLowerCase()] ?? 'unknown';
      if (status === 'unknown') {
        issues.warn(
          this.header('status'),
          `unknown status '${rawStatus}': map it in the profile's status codes`,
        );
      }
    }
    const id = this.cell(cells, 'visitId');
    return copyLine([
      line,
      patientKey,
      id !== '' ? id : `${patientKey}|${instant ?? date}`,
      date,
      instant,
      status,
      rawStatus || null,
      cleanName(this.cell(cells, 'provider')),
      cleanName(this.cell(cells, 'location')),
      cleanName(this.cell(cells, 'type')),
      csvLine(cells, this.ctx.format.delimiter),
    ]);
  }
}
