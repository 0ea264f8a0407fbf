import type { FileKind } from '../entities/patient-import.entity';
import { resolveColumns, suggestMapping, type ImportMapping } from './mapping';

export interface BuiltinProfile {
  name: string;
  description: string;
  /** Headers that identify the layout (all must be present in the patients file). */
  signature: string[];
  mapping: ImportMapping;
}

/** Layouts Recall reads out of the box. A practice's saved profiles come on top of these. */
export const BUILTIN_PROFILES: readonly BuiltinProfile[] = [
  {
    name: 'synthea',
    description: 'Synthea CSV export (patients.csv + encounters.csv)',
    signature: ['Id', 'BIRTHDATE', 'DEATHDATE', 'FIRST', 'LAST', 'ZIP'],
    mapping: {
      patients: {
        columns: {
          patientId: 'Id',
          firstName: 'FIRST',
          middleName: 'MIDDLE',
          lastName: 'LAST',
          birthDate: 'BIRTHDATE',
          deceasedDate: 'DEATHDATE',
          sex: 'GENDER',
          address: 'ADDRESS',
          city: 'CITY',
          state: 'STATE',
          zip: 'ZIP',
        },
        dateOrder: 'ymd',
      },
      encounters: {
        columns: {
          visitId: 'Id',
          patientKey: 'PATIENT',
          date: 'START',
          provider: 'PROVIDER',
          location: 'ORGANIZATION',
          type: 'DESCRIPTION',
        },
        dateOrder: 'ymd',
      },
    },
  },
];

export function findBuiltinProfile(name: string): BuiltinProfile | undefined {
  return BUILTIN_PROFILES.find((p) => p.name === name);
}

/** The built-in profile whose signature the headers carry, if any. */
export function detectBuiltinProfile(headers: readonly string[]): BuiltinProfile | undefined {
  const set = new Set(headers);
  return BUILTIN_PROFILES.find((p) => p.signature.every((h) => set.has(h)));
}

/** A named mapping a practice saved (or a built-in one), offered when it fits the files. */
export interface NamedMapping {
  name: string;
  mapping: ImportMapping;
}

/**
 * The mapping Recall proposes for a set of files: a built-in layout the patients file carries,
 * else the first saved profile whose columns all exist in every file, else header synonyms.
 */
export function suggestImportMapping(
  files: readonly { kind: FileKind; headers: readonly string[] }[],
  saved: readonly NamedMapping[] = [],
): { mapping: ImportMapping; profile: string | null } {
  const patients = files.find((f) => f.kind === 'patients');
  if (!patients) throw new Error('a patients file is required');
  const bySynonyms = (kind: FileKind, headers: readonly string[]) => suggestMapping(kind, headers).mapping;
  const builtin = detectBuiltinProfile(patients.headers);
  if (builtin) {
    const mapping: ImportMapping = { ...builtin.mapping };
    for (const f of files) mapping[f.kind] = builtin.mapping[f.kind] ?? bySynonyms(f.kind, f.headers);
    return { mapping, profile: builtin.name };
  }
  for (const profile of saved) {
    const fits = files.every((f) => {
      const m = profile.mapping[f.kind];
      return m && resolveColumns(f.kind, m, f.headers).problems.length === 0;
    });
    if (fits) return { mapping: profile.mapping, profile: profile.name };
  }
  const mapping: ImportMapping = { patients: bySynonyms('patients', patients.headers) };
  for (const f of files) mapping[f.kind] = bySynonyms(f.kind, f.headers);
  return { mapping, profile: null };
}
