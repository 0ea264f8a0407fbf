import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { DateTime } from 'luxon';

export type PlaceholderKind = 'text' | 'date' | 'phone' | 'status';

export interface ScriptPlaceholder {
  /** Written in a script as `{name}`. */
  name: string;
  description: string;
  /** Shown in place of the placeholder when there is no value. */
  fallback: string;
  kind: PlaceholderKind;
}

/** The placeholder vocabulary of call and voicemail scripts, in the order the editor's help lists it. */
export const SCRIPT_PLACEHOLDERS = [
  {
    name: 'patient.firstName',
    description: "The patient's first name.",
    fallback: '[patient first name]',
    kind: 'text',
  },
  {
    name: 'patient.lastName',
    description: "The patient's last name.",
    fallback: '[patient last name]',
    kind: 'text',
  },
  {
    name: 'patient.fullName',
    description: "The patient's first and last name.",
    fallback: '[patient name]',
    kind: 'text',
  },
  {
    name: 'patient.age',
    description: "The patient's age in whole years.",
    fallback: '[patient age]',
    kind: 'text',
  },
  {
    name: 'practice.name',
    description: 'The name of the practice the call is made for.',
    fallback: '[practice name]',
    kind: 'text',
  },
  {
    name: 'campaign.callbackNumber',
    description: "The campaign's call-back number (from its settings).",
    fallback: '[call-back number]',
    kind: 'phone',
  },
  {
    name: 'agent.firstName',
    description: "The calling agent's first name.",
    fallback: '[your first name]',
    kind: 'text',
  },
  {
    name: 'agent.name',
    description: "The calling agent's display name.",
    fallback: '[your name]',
    kind: 'text',
  },
  {
    name: 'lastAppointment.date',
    description: "Date of the patient's last appointment, e.g. March 4, 2026.",
    fallback: '[last appointment date]',
    kind: 'date',
  },
  {
    name: 'lastAppointment.status',
    description: 'How the last appointment went: completed, missed or cancelled.',
    fallback: '[last appointment status]',
    kind: 'status',
  },
  {
    name: 'lastVisit.date',
    description: "Date of the patient's last encounter (visit).",
    fallback: '[last visit date]',
    kind: 'date',
  },
  {
    name: 'nextAppointment.date',
    description: "Date of the patient's next appointment, if one is booked.",
    fallback: '[next appointment date]',
    kind: 'date',
  },
  {
    name: 'provider.name',
    description: "The patient's provider, as named in the EMR export.",
    fallback: '[provider name]',
    kind: 'text',
  },
  {
    name: 'location.name',
    description: "The patient's location or department.",
    fallback: '[location]',
    kind: 'text',
  },
  {
    name: 'contact.organisation',
    description: 'Partner and community campaigns: the organisation called.',
    fallback: '[organisation]',
    kind: 'text',
  },
  {
    name: 'contact.name',
    description: 'Partner and community campaigns: the person to ask for.',
    fallback: '[contact name]',
    kind: 'text',
  },
] as const satisfies readonly ScriptPlaceholder[];

export type ScriptPlaceholderName = (typeof SCRIPT_PLACEHOLDERS)[number]['name'];

/** Values to render a script with, keyed by placeholder name without braces; dates as ISO `YYYY-MM-DD`. */
export type ScriptValues = Partial<Record<ScriptPlaceholderName, string | number | null>>;

export interface RenderedScript {
  text: string;
  /** Placeholders that are not in the vocabulary (typos), as written; left visible in `text`. */
  unknown: string[];
  /** Known placeholders with no usable value; rendered as their fallback. */
  missing: ScriptPlaceholderName[];
}

const BY_LOWER_NAME = new Map<string, ScriptPlaceholder & { name: ScriptPlaceholderName }>(
  SCRIPT_PLACEHOLDERS.map((p) => [p.name.toLowerCase(), p]),
);

export function isScriptPlaceholder(name: string): name is ScriptPlaceholderName {
  return BY_LOWER_NAME.get(name.toLowerCase())?.name === name;
}

export interface PlaceholderToken {
  /** The placeholder exactly as it appears in the template, braces included. */
  raw: string;
  /** What is inside the braces, trimmed. */
  name: string;
  /** The vocabulary entry it matches (case-insensitively), or null for a typo. */
  known: ScriptPlaceholderName | null;
  index: number;
}

// `{{name}}` is accepted too: people used to mail-merge tools type it.
const PLACEHOLDER = /\{\{([^{}\n]*)\}\}|\{([^{}\n]*)\}/g;

/** Every `{…}` in a template; empty braces are not placeholders. */
export function findPlaceholders(template: string): PlaceholderToken[] {
  const tokens: PlaceholderToken[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = (match[1] ?? match[2]).trim();
    if (name === '') continue;
    const known = BY_LOWER_NAME.get(name.toLowerCase())?.name ?? null;
    tokens.push({ raw: match[0], name, known, index: match.index });
  }
  return tokens;
}

const STATUS_WORDS: Record<string, string> = {
  completed: 'completed',
  complete: 'completed',
  no_show: 'missed',
  noshow: 'missed',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  scheduled: 'scheduled',
};

const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:T.*)?$/;

/** The text a value renders as, or null when it is unusable (empty, not a date…). */
function formatValue(kind: PlaceholderKind, value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  const text = value.trim();
  if (text === '') return null;
  switch (kind) {
    case 'text':
      return text;
    case 'date': {
      // A timestamp's date part is used as written: shifting zones here could move the day.
      const iso = ISO_DATE.exec(text);
      if (!iso) return null;
      const date = DateTime.fromISO(iso[1], { zone: 'utc', locale: 'en-US' });
      return date.isValid ? date.toFormat('LLLL d, yyyy') : null;
    }
    case 'phone': {
      const phone = parsePhoneNumberFromString(text, 'US');
      if (!phone?.isValid()) return text;
      return phone.country === 'US' ? phone.formatNational() : phone.formatInternational();
    }
    case 'status': {
      const key = text.toLowerCase().replace(/[\s-]+/g, '_');
      return Object.hasOwn(STATUS_WORDS, key) ? STATUS_WORDS[key] : text.toLowerCase().replace(/_/g, ' ');
    }
  }
}

/** Values that can be derived from others when the caller did not give them. */
function withDerived(values: ScriptValues): ScriptValues {
  const out: ScriptValues = { ...values };
  const blank = (v: string | number | null | undefined) =>
    v === null || v === undefined || String(v).trim() === '';
  if (blank(out['patient.fullName'])) {
    const parts = [out['patient.firstName'], out['patient.lastName']].filter((v) => !blank(v));
    if (parts.length > 0) out['patient.fullName'] = parts.map((v) => String(v).trim()).join(' ');
  }
  if (blank(out['agent.firstName']) && !blank(out['agent.name'])) {
    out['agent.firstName'] = String(out['agent.name']).trim().split(/\s+/)[0];
  }
  return out;
}

/**
 * Fills a script's placeholders in one pass (a value that itself contains braces is not
 * rendered again). Unknown placeholders stay as written so the agent sees the typo.
 */
export function renderScript(template: string, values: ScriptValues): RenderedScript {
  const all = withDerived(values);
  const unknown: string[] = [];
  const missing: ScriptPlaceholderName[] = [];
  let text = '';
  let at = 0;
  for (const token of findPlaceholders(template)) {
    text += template.slice(at, token.index);
    at = token.index + token.raw.length;
    if (token.known === null) {
      if (!unknown.includes(token.name)) unknown.push(token.name);
      text += token.raw;
      continue;
    }
    const spec = BY_LOWER_NAME.get(token.known.toLowerCase())!;
    const rendered = formatValue(spec.kind, all[token.known]);
    if (rendered === null) {
      if (!missing.includes(token.known)) missing.push(token.known);
      text += spec.fallback;
    } else {
      text += rendered;
    }
  }
  text += template.slice(at);
  return { text, unknown, missing };
}

/**
 * Plausible values for previewing a script without a patient. Dates are relative to `today`
 * (ISO date, default the current UTC date) so previews do not look stale.
 */
export function sampleScriptValues(today?: string): Required<ScriptValues> {
  const parsed = today ? DateTime.fromISO(today, { zone: 'utc' }) : DateTime.utc();
  const base = (parsed.isValid ? parsed : DateTime.utc()).startOf('day');
  const iso = (d: DateTime) => d.toISODate()!;
  return {
    'patient.firstName': 'Maria',
    'patient.lastName': 'Lopez',
    'patient.fullName': 'Maria Lopez',
    'patient.age': 47,
    'practice.name': 'Riverside Family Practice',
    'campaign.callbackNumber': '+16195550123',
    'agent.firstName': 'Jordan',
    'agent.name': 'Jordan Smith',
    'lastAppointment.date': iso(base.minus({ days: 24 })),
    'lastAppointment.status': 'cancelled',
    'lastVisit.date': iso(base.minus({ months: 14 })),
    'nextAppointment.date': iso(base.plus({ days: 45 })),
    'provider.name': 'Dr. Sarah Chen',
    'location.name': 'Main Street office',
    'contact.organisation': 'Oak Valley Senior Center',
    'contact.name': 'Pat Morgan',
  };
}
