import { z } from 'zod';
import type { FileKind } from '../entities/patient-import.entity';
import { FIELDS, normalizeHeader } from './fields';

export const VISIT_STATUS_VALUES = ['scheduled', 'completed', 'no_show', 'cancelled'] as const;

const fileMappingSchema = z
  .object({
    /** Canonical field → column header as it appears in the file. */
    columns: z.record(z.string(), z.string().min(1)),
    /** Pins the order of ambiguous dates such as 03/04/2021. */
    dateOrder: z.enum(['mdy', 'dmy', 'ymd']).optional(),
    /** Overrides sniffing. */
    encoding: z.enum(['utf-8', 'windows-1252']).optional(),
    delimiter: z.enum([',', ';', '\t', '|']).optional(),
  })
  .strict();

export const importMappingSchema = z
  .object({
    patients: fileMappingSchema,
    appointments: fileMappingSchema.optional(),
    encounters: fileMappingSchema.optional(),
    /** Appointment status code (as written, case-insensitive) → status; merged over the defaults. */
    statusCodes: z.record(z.string(), z.enum(VISIT_STATUS_VALUES)).optional(),
    /** Values of the deceased/status column that mean the patient died (merged over the defaults). */
    deceasedCodes: z.array(z.string()).optional(),
    /** Values of the do-not-call column that mean "do not call" (merged over the defaults). */
    doNotCallCodes: z.array(z.string()).optional(),
    /**
     * Values of the patient-status column that mean inactive (merged over the defaults); how
     * numeric PMS codes are read: Open Dental PatStatus is ["1", "2", "3", "5"].
     */
    inactiveCodes: z.array(z.string()).optional(),
  })
  .strict();

export type FileMapping = z.infer<typeof fileMappingSchema>;
export type ImportMapping = z.infer<typeof importMappingSchema>;

export const DEFAULT_STATUS_CODES: Readonly<Record<string, (typeof VISIT_STATUS_VALUES)[number]>> = {
  completed: 'completed',
  complete: 'completed',
  kept: 'completed',
  'checked out': 'completed',
  checkedout: 'completed',
  'checked-out': 'completed',
  arrived: 'completed',
  seen: 'completed',
  done: 'completed',
  fulfilled: 'completed',
  finished: 'completed',
  chk: 'completed',
  '@': 'completed',
  'no show': 'no_show',
  'no-show': 'no_show',
  noshow: 'no_show',
  no_show: 'no_show',
  ns: 'no_show',
  broken: 'no_show',
  missed: 'no_show',
  'did not show': 'no_show',
  dns: 'no_show',
  failed: 'no_show',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  cancel: 'cancelled',
  can: 'cancelled',
  cxl: 'cancelled',
  'cancelled by patient': 'cancelled',
  'canceled by patient': 'cancelled',
  'pt cancelled': 'cancelled',
  'left without being seen': 'no_show',
  rescheduled: 'cancelled',
  deleted: 'cancelled',
  scheduled: 'scheduled',
  booked: 'scheduled',
  confirmed: 'scheduled',
  pending: 'scheduled',
  sch: 'scheduled',
  'not confirmed': 'scheduled',
  unconfirmed: 'scheduled',
  '-': 'scheduled',
};

export const DEFAULT_DECEASED_CODES: readonly string[] = [
  'deceased',
  'dead',
  'expired',
  'died',
  'd',
  'y',
  'yes',
  'true',
  '1',
  'x',
];

export const DEFAULT_DNC_CODES: readonly string[] = [
  'y',
  'yes',
  'true',
  '1',
  'x',
  'dnc',
  'do not call',
  'no calls',
  'none',
];

/**
 * Values of the patient-status column that mean inactive whatever its header. No numbers:
 * they are PMS codes whose meaning differs between EMRs (Open Dental PatStatus 0 is an active
 * patient, 2 inactive), so they come from the mapping's inactiveCodes. Yes/no values depend on
 * the header too (see `inactiveValues`).
 */
export const DEFAULT_INACTIVE_CODES: readonly string[] = [
  'inactive',
  'archived',
  'nonpatient',
  'non-patient',
  'non patient',
  'deleted',
  'i',
];

export interface MappingProblem {
  file: FileKind;
  field: string | null;
  message: string;
}

/** The column index of each mapped field in a file with these headers. */
export type ColumnIndex = Record<string, number>;

/**
 * Checks a file's mapping against its headers; every problem names the file, the field and
 * the column, so the user can fix the mapping rather than guess.
 */
export function resolveColumns(
  kind: FileKind,
  mapping: FileMapping,
  headers: readonly string[],
): { index: ColumnIndex; problems: MappingProblem[] } {
  const known = new Set(FIELDS[kind].map((f) => f.name));
  const exact = new Map<string, number>();
  const loose = new Map<string, number>();
  headers.forEach((h, i) => {
    if (!exact.has(h)) exact.set(h, i);
    const n = normalizeHeader(h);
    if (n && !loose.has(n)) loose.set(n, i);
  });
  const index: ColumnIndex = {};
  const problems: MappingProblem[] = [];
  for (const [field, column] of Object.entries(mapping.columns)) {
    if (!known.has(field)) {
      problems.push({ file: kind, field, message: `${kind}: "${field}" is not a field of a ${kind} file` });
      continue;
    }
    const i = exact.get(column) ?? loose.get(normalizeHeader(column));
    if (i === undefined) {
      problems.push({
        file: kind,
        field,
        message: `${kind}.${field}: column "${column}" is not in the file (columns: ${headers.join(', ')})`,
      });
      continue;
    }
    index[field] = i;
  }
  const has = (f: string) => index[f] !== undefined;
  if (kind === 'patients') {
    if (!has('patientId') && !problems.some((p) => p.field === 'patientId')) {
      problems.push({
        file: kind,
        field: 'patientId',
        message: 'patients.patientId: map the column holding the patient id (MRN)',
      });
    }
    if (!has('fullName') && !has('firstName') && !has('lastName')) {
      problems.push({
        file: kind,
        field: 'lastName',
        message: 'patients: map a name: fullName, or firstName/lastName',
      });
    }
  } else {
    for (const f of ['patientKey', 'date']) {
      if (!has(f) && !problems.some((p) => p.field === f)) {
        problems.push({ file: kind, field: f, message: `${kind}.${f}: this field is required` });
      }
    }
  }
  return { index, problems };
}

export interface SuggestedMapping {
  mapping: FileMapping;
  /** Headers no field claimed (kept in the file, ignored by the import). */
  unmapped: string[];
}

/**
 * Proposes a mapping from header spellings: exact synonym first, then a synonym contained in
 * the header ("Patient Home Phone #" → homePhone). Each column serves at most one field.
 */
export function suggestMapping(kind: FileKind, headers: readonly string[]): SuggestedMapping {
  const fields = FIELDS[kind];
  const normalized = headers.map(normalizeHeader);
  const taken = new Set<number>();
  const columns: Record<string, string> = {};
  const claim = (field: string, i: number) => {
    columns[field] = headers[i];
    taken.add(i);
  };
  // Pass 1: exact synonyms, in the order synonyms are listed (most specific first).
  for (const field of fields) {
    for (const syn of [...field.synonyms, ...(field.exactSynonyms ?? [])]) {
      const i = normalized.findIndex((n, j) => n === syn && !taken.has(j));
      if (i >= 0) {
        claim(field.name, i);
        break;
      }
    }
  }
  // Pass 2: containment, for fields still unmapped (long synonyms only, to avoid "id" in "paid").
  for (const field of fields) {
    if (columns[field.name]) continue;
    for (const syn of field.synonyms.filter((s) => s.length >= 4)) {
      const i = normalized.findIndex((n, j) => !taken.has(j) && n.includes(syn));
      if (i >= 0) {
        claim(field.name, i);
        break;
      }
    }
  }
  // A generic "Phone" column next to a "Phone Type" column is phone 1 of that type.
  if (kind === 'patients' && columns.phone1Type && !columns.phone1 && columns.homePhone) {
    if (
      ['phone', 'phonenumber', 'telephone', 'tel', 'primaryphone'].includes(
        normalizeHeader(columns.homePhone),
      )
    ) {
      columns.phone1 = columns.homePhone;
      delete columns.homePhone;
    }
  }
  if (kind === 'patients' && columns.fullName && (columns.firstName || columns.lastName)) {
    taken.delete(headers.indexOf(columns.fullName));
    delete columns.fullName;
  }
  return { mapping: { columns }, unmapped: headers.filter((h, i) => !taken.has(i) && h !== '') };
}

/** Parses a mapping from JSON (a file or a request), with errors naming the path. */
export function parseMapping(input: unknown): ImportMapping {
  const result = importMappingSchema.safeParse(input);
  if (!result.success) {
    throw new Error(
      'invalid mapping: ' +
        result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    );
  }
  return result.data;
}
