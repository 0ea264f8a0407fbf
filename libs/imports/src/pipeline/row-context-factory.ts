import { DEFAULT_INPUT_LIMITS, type InputLimits } from '../../../config/src/input-limits';
import type { ImportFile } from '../entities/patient-import.entity';
import {
  DEFAULT_DECEASED_CODES,
  DEFAULT_DNC_CODES,
  DEFAULT_INACTIVE_CODES,
  DEFAULT_STATUS_CODES,
  type ColumnIndex,
  type ImportMapping,
} from '../mapping/mapping';
import type { RowContext } from '../rows/row-context';

/** The row context of one file: its resolved columns plus the mapping's codes over the defaults. */
export function rowContext(
  importId: string,
  file: ImportFile,
  mapping: ImportMapping,
  index: ColumnIndex,
  today: string,
  practiceZone: string,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): RowContext {
  const statusCodes: Record<string, string> = { ...DEFAULT_STATUS_CODES };
  for (const [code, status] of Object.entries(mapping.statusCodes ?? {})) {
    statusCodes[code.trim().toLowerCase()] = status;
  }
  return {
    importId,
    kind: file.kind,
    fileName: file.name,
    format: file.format,
    headers: file.format.headers,
    index,
    mapping: mapping[file.kind] ?? { columns: {} },
    statusCodes,
    deceasedCodes: [...DEFAULT_DECEASED_CODES, ...(mapping.deceasedCodes ?? [])],
    doNotCallCodes: [...DEFAULT_DNC_CODES, ...(mapping.doNotCallCodes ?? [])],
    inactiveCodes: [...DEFAULT_INACTIVE_CODES, ...(mapping.inactiveCodes ?? [])],
    today,
    practiceZone,
    limits,
  };
}
