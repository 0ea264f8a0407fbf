import { DEFAULT_DECEASED_CODES, DEFAULT_INACTIVE_CODES } from '../mapping/mapping';
import { PATIENT_STAGING_COLUMNS, PatientRows } from './patient-rows';
import type { RowIssues } from './process-chunk';
import type { RowContext } from './row-context';

describe('PatientRows: patient status', () => {
  function stage(
    headers: string[],
    columns: Record<string, string>,
    rows: string[][],
    inactiveCodes: string[] = [],
  ) {
    const index = Object.fromEntries(Object.entries(columns).map(([f, h]) => [f, headers.indexOf(h)]));
    const ctx: RowContext = {
      importId: 'i',
      kind: 'patients',
      fileName: 'p.csv',
      format: { delimiter: ',', lineBreak: '\n', encoding: 'utf-8' },
      headers,
      index,
      mapping: { columns },
      statusCodes: {},
      deceasedCodes: [...DEFAULT_DECEASED_CODES],
      doNotCallCodes: [],
      inactiveCodes: [...DEFAULT_INACTIVE_CODES, ...inactiveCodes],
      today: '2026-06-15',
      practiceZone: 'America/Chicago',
    };
    const handler = new PatientRows(ctx);
    const warnings: string[] = [];
    const issues: RowIssues = {
      reject: (_c, reason) => warnings.push(`rejected: ${reason}`),
      warn: (_c, reason) => warnings.push(reason),
    };
    const staged = rows.map((cells, i) => {
      const values = handler
        .handle(cells, i + 2, issues)!
        .replace(/\n$/, '')
        .split('\t');
      const of = (c: (typeof PATIENT_STAGING_COLUMNS)[number]) => values[PATIENT_STAGING_COLUMNS.indexOf(c)];
      return { inactive: of('inactive'), deceased: of('deceased') };
    });
    return { staged, warnings };
  }

  it('stages true, false, or NULL (no status given) without warnings', () => {
    const { staged, warnings } = stage(
      ['MRN', 'Last', 'PatStatus'],
      { patientId: 'MRN', lastName: 'Last', patientStatus: 'PatStatus' },
      [
        ['1', 'A', 'Archived'],
        ['2', 'B', 'Patient'],
        ['3', 'C', ''],
        ['4', 'D', 'married'],
      ],
    );
    expect(staged.map((s) => s.inactive)).toEqual(['true', 'false', '\\N', 'false']);
    expect(warnings).toEqual([]);
  });

  it('stages NULL when no column is mapped', () => {
    const { staged } = stage(['MRN', 'Last'], { patientId: 'MRN', lastName: 'Last' }, [['1', 'A']]);
    expect(staged[0].inactive).toBe('\\N');
  });

  it('reads the yes/no of the column its header names', () => {
    const columns = { patientId: 'MRN', lastName: 'Last', patientStatus: 'Is Active' };
    const { staged } = stage(['MRN', 'Last', 'Is Active'], columns, [
      ['1', 'A', '0'],
      ['2', 'B', '1'],
    ]);
    expect(staged.map((s) => s.inactive)).toEqual(['true', 'false']);
  });

  it('one column mapped as both status and deceased status serves both', () => {
    const columns = {
      patientId: 'MRN',
      lastName: 'Last',
      patientStatus: 'PatStatus',
      deceasedStatus: 'PatStatus',
    };
    const { staged } = stage(['MRN', 'Last', 'PatStatus'], columns, [
      ['1', 'A', 'Deceased'],
      ['2', 'B', 'Inactive'],
      ['3', 'C', 'Patient'],
    ]);
    expect(staged).toEqual([
      { inactive: 'false', deceased: 'true' },
      { inactive: 'true', deceased: 'false' },
      { inactive: 'false', deceased: 'false' },
    ]);
  });
});
