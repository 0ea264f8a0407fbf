import type { InputLimits } from '../../../config/src/input-limits';
import type { FileKind } from '../entities/patient-import.entity';
import type { ColumnIndex, FileMapping } from '../mapping/mapping';
import type { Encoding, FileFormat } from '../reader/sniff';

/** Everything a chunk processor needs; plain data, so it crosses into a worker thread. */
export interface RowContext {
  importId: string;
  kind: FileKind;
  fileName: string;
  format: Pick<FileFormat, 'delimiter' | 'lineBreak' | 'encoding'> & { encoding: Encoding };
  headers: string[];
  index: ColumnIndex;
  mapping: FileMapping;
  /** Lower-cased status code → status. */
  statusCodes: Record<string, string>;
  deceasedCodes: string[];
  doNotCallCodes: string[];
  inactiveCodes: string[];
  /** The import's date in the practice's zone, YYYY-MM-DD. */
  today: string;
  practiceZone: string;
  /** Defaults to `DEFAULT_INPUT_LIMITS`. */
  limits?: InputLimits;
}

/** What one chunk turned into: COPY text for the staging table and for import_issue. */
export interface ChunkOutput {
  rows: number;
  accepted: number;
  rejected: number;
  warnings: number;
  staging: string;
  issues: string;
  /** A CSV structure error that ended the chunk early (the caller decides what to do). */
  parseError: { line: number; message: string; limit?: boolean } | null;
}

/** A chunk's output as the pool returns it: from a worker thread the COPY text comes as UTF-8 bytes. */
export type PooledOutput = Omit<ChunkOutput, 'staging' | 'issues'> & {
  staging: string | Uint8Array;
  issues: string | Uint8Array;
};
