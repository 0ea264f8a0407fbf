/**
 * Shapes of the practice-scoped API (imports, mapping profiles, patients, duplicates), as the
 * server sends them; see libs/imports and libs/patients.
 */
import { useSession } from './auth';

/** `/api/practices/:id` of the practice the user works in, or null when they have none. */
export function usePracticeBase(): string | null {
  const { practice } = useSession();
  return practice ? `/api/practices/${practice.id}` : null;
}

// Imports --------------------------------------------------------------------------------------

export type FileKind = 'patients' | 'appointments' | 'encounters';
export const FILE_KINDS: FileKind[] = ['patients', 'appointments', 'encounters'];

export const FILE_LABELS: Record<FileKind, string> = {
  patients: 'Patients',
  appointments: 'Appointments',
  encounters: 'Encounters',
};

export interface FileFormat {
  encoding: 'utf-8' | 'windows-1252';
  bom: boolean;
  delimiter: ',' | ';' | '\t' | '|';
  lineBreak: string;
  headerLine: number;
  dataLine: number;
  headers: string[];
  skippedLines: string[];
}

export type DateOrder = 'mdy' | 'dmy' | 'ymd';

export interface FileMapping {
  /** Field name → column header as written in the file. */
  columns: Record<string, string>;
  dateOrder?: DateOrder;
  encoding?: FileFormat['encoding'];
  delimiter?: FileFormat['delimiter'];
}

export const VISIT_STATUSES = ['completed', 'no_show', 'cancelled', 'scheduled'] as const;
export type MappedVisitStatus = (typeof VISIT_STATUSES)[number];

export interface ImportMapping {
  patients: FileMapping;
  appointments?: FileMapping;
  encounters?: FileMapping;
  statusCodes?: Record<string, MappedVisitStatus>;
  deceasedCodes?: string[];
  doNotCallCodes?: string[];
}

export type ImportStatus = 'draft' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface ImportSummary {
  totalRows: number;
  accepted: number;
  rejected: number;
  created: number;
  updated: number;
  unchanged: number;
  mergedRows: number;
  warnings: number;
  possibleDuplicates: number;
  files: Record<string, { totalRows: number; accepted: number; rejected: number; warnings: number }>;
  visits: { created: number; updated: number; unchanged: number };
}

export interface ImportView {
  id: string;
  practiceId: string;
  status: ImportStatus;
  dryRun: boolean;
  files: { kind: FileKind; name: string; bytes: number; sha256: string; format: FileFormat }[];
  mapping: ImportMapping | null;
  profileName: string | null;
  suggestedProfile: string | null;
  progress: {
    phase: string | null;
    rowsDone: number;
    bytesDone: number;
    bytesTotal: number;
    startedAt: string | null;
    finishedAt: string | null;
  };
  summary: ImportSummary | null;
  error: string | null;
  createdAt: string;
}

export const FINISHED: ImportStatus[] = ['succeeded', 'failed', 'cancelled'];

export interface FieldSpec {
  name: string;
  label: string;
  synonyms: string[];
  hint?: string;
}

export interface MappingProblem {
  file: FileKind;
  field: string | null;
  message: string;
}

export interface PreviewIssue {
  /** Header of the column at fault, or null for the row as a whole. */
  column: string | null;
  severity: 'rejected' | 'warning';
  reason: string;
}

export interface PreviewRow {
  line: number;
  cells: string[];
  /** The row as it would be stored (staging column → value); null when rejected. */
  parsed: Record<string, unknown> | null;
  issues: PreviewIssue[];
}

export interface FilePreview {
  kind: FileKind;
  name: string;
  bytes: number;
  format: FileFormat;
  fields: FieldSpec[];
  mapping: FileMapping;
  problems: MappingProblem[];
  rows: PreviewRow[];
}

export interface PreviewResult {
  mapping: ImportMapping;
  files: FilePreview[];
}

export interface ImportIssue {
  id: string;
  fileKind: FileKind;
  line: number;
  column: string | null;
  severity: 'rejected' | 'warning';
  reason: string;
  rawRow: string | null;
}

export interface MappingProfile {
  name: string;
  builtin: boolean;
  description: string | null;
  mapping: ImportMapping;
  updatedAt: string | null;
}

// Patients -------------------------------------------------------------------------------------

export type PhoneType = 'mobile' | 'home' | 'work' | 'other';

export interface StoredPhone {
  e164: string | null;
  extension: string | null;
  raw: string;
  type: PhoneType;
  valid: boolean;
}

export type VisitStatus = MappedVisitStatus | 'unknown';

export interface PatientView {
  id: string;
  mrn: string;
  joinKey: string;
  name: { first: string | null; middle: string | null; last: string | null };
  birthDate: string | null;
  sex: string | null;
  email: string | null;
  address: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  timeZone: string;
  timeZoneSource: 'zip' | 'state' | 'practice';
  phones: StoredPhone[];
  provider: string | null;
  location: string | null;
  deceased: boolean;
  deceasedOn: string | null;
  doNotCall: { since: string; reason: string | null } | null;
  mergedIntoId: string | null;
  lastEncounterOn: string | null;
  lastAppointment: { on: string; status: VisitStatus } | null;
  nextAppointmentOn: string | null;
  callable: boolean;
  notCallableReasons: string[];
  callability: string;
  updatedAt: string;
}

export interface PatientPage {
  total: number;
  patients: PatientView[];
}

export interface DuplicateView {
  id: string;
  reason: 'name_birth_date' | 'phone_name';
  status: 'open' | 'merged' | 'dismissed';
  createdAt: string;
  patients: [PatientView, PatientView];
}

// Display helpers ------------------------------------------------------------------------------

export const VISIT_STATUS_LABELS: Record<VisitStatus, string> = {
  completed: 'completed',
  no_show: 'no-show',
  cancelled: 'cancelled',
  scheduled: 'scheduled',
  unknown: 'unknown status',
};

export const TIME_ZONE_SOURCES: Record<PatientView['timeZoneSource'], string> = {
  zip: 'from the ZIP',
  state: 'from the state',
  practice: "the practice's",
};

/** "Last, First Middle"; a dash when the record has no name. */
export function patientName(name: PatientView['name']): string {
  const given = [name.first, name.middle].filter(Boolean).join(' ');
  return [name.last, given].filter(Boolean).join(', ') || '—';
}

export function dateTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}
