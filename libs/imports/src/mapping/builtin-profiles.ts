import type { ImportMapping } from './mapping';

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
