import type { Audience } from '../campaign-types';
import {
  findPlaceholders,
  SCRIPT_PLACEHOLDERS,
  type PlaceholderToken,
  type ScriptPlaceholderName,
} from './render-script';

export interface ScriptCheckOptions {
  /** Who the campaign calls; placeholders of the other audience are always empty. Default 'patients'. */
  audience?: Audience;
}

const MINIMUM_NECESSARY: Record<Audience, string> = {
  patients: "a voicemail may say only the patient's first name, the practice name and the call-back number.",
  contacts: 'a voicemail may say only who is calling, from which practice, and the call-back number.',
};

/** What a voicemail may fill in: who is calling, from where, and how to call back. */
const VOICEMAIL_PLACEHOLDERS: Record<Audience, readonly ScriptPlaceholderName[]> = {
  patients: ['patient.firstName', 'practice.name', 'campaign.callbackNumber', 'agent.firstName'],
  // A partner's office is not a patient: naming the person and organisation called discloses nothing.
  contacts: [
    'practice.name',
    'campaign.callbackNumber',
    'agent.firstName',
    'contact.name',
    'contact.organisation',
  ],
};

const PATIENT_ONLY = /^(patient|lastAppointment|lastVisit|nextAppointment|provider|location)\./;
const CONTACT_ONLY = /^contact\./;

/**
 * Words that reveal why a patient is called or anything about their health or account.
 * Regex fragments; a space or hyphen inside a term also matches "xray", "x ray" and "x-ray".
 */
const SENSITIVE_TERMS: { what: string; terms: string[] }[] = [
  {
    what: 'clinical details',
    terms: [
      'diagnos(?:is|es|e|ed|ing|tic|tics)',
      'results',
      'labs?',
      'laboratory',
      'lab-work',
      'blood-work',
      'tests?',
      'tested',
      'testing',
      'screenings?',
      'biops(?:y|ies)',
      'scans?',
      'x-rays?',
      'mri',
      'ultrasounds?',
      'mammograms?',
      'colonoscop(?:y|ies)',
      'endoscop(?:y|ies)',
      'ekg',
      'ecg',
      'imaging',
      'pathology',
      'exams?',
      'examination',
      'procedures?',
      'surger(?:y|ies)',
      'surgical',
      'post-op',
      'pre-op',
      'treatments?',
      'treated',
      'therap(?:y|ies)',
      'therapist',
      'chemo(?:therapy)?',
      'radiation',
      'dialysis',
      'injections?',
      'infusions?',
      'vaccin(?:e|es|ation|ations)',
      'immuni[sz]ations?',
      'cataracts?',
      'lasik',
      'stents?',
      'angioplasty',
      'transplants?',
      'abortion',
      'chart',
      'medical-records?',
      'care-plan',
    ],
  },
  {
    what: 'medications',
    terms: [
      'prescriptions?',
      'prescribed',
      'rx',
      'medications?',
      'medicines?',
      'meds',
      'refills?',
      'pharmac(?:y|ies|ist)',
      'dosage',
      'pills?',
      'insulin',
      'inhalers?',
      'antibiotics?',
    ],
  },
  {
    what: 'health conditions',
    terms: [
      'conditions?',
      'symptoms?',
      'illness(?:es)?',
      'diseases?',
      'infections?',
      'pregnan(?:t|cy|cies)',
      'prenatal',
      'postpartum',
      'miscarriage',
      'fertility',
      'ivf',
      'contracepti(?:on|ve|ves)',
      'birth-control',
      'hiv',
      'aids',
      'std',
      'stds',
      'sti',
      'stis',
      'sexually-transmitted',
      'hepatitis',
      'cancer',
      'tumou?rs?',
      'oncology',
      'diabet(?:es|ic)',
      'cardiac',
      'heart-(?:attack|disease|failure)',
      'blood-pressure',
      'hypertension',
      'strokes?',
      'asthma',
      'copd',
      'arthritis',
      'glaucoma',
      'macular-degeneration',
      'dementia',
      "alzheimer(?:'?s)?",
      'seizures?',
      'epilepsy',
      'obesity',
      'weight-loss',
      'allerg(?:y|ies|ic)',
      'injur(?:y|ies)',
      'pain',
      'depression',
      'anxiety',
      'bipolar',
      'schizophrenia',
      'mental-health',
      'behaviou?ral-health',
      'psychiatr(?:y|ic|ist)',
      'psycholog(?:y|ical|ist)',
      'counsel(?:l)?ing',
      'substance-(?:abuse|use)',
      'addiction',
      'alcohol(?:ism)?',
      'drugs?',
      'overdose',
      'rehab(?:ilitation)?',
      'suicid(?:e|al)',
      'eating-disorders?',
      'genetic',
      'disabilit(?:y|ies)',
    ],
  },
  {
    what: 'billing or insurance',
    terms: [
      'balances?',
      'bills?',
      'billing',
      'billed',
      'payments?',
      'owe(?:s|d)?',
      'invoices?',
      'statements?',
      'collections?',
      'past-due',
      'outstanding',
      'insurance',
      'insurer',
      'medicaid',
      'medicare',
      'co-pays?',
      'co-payments?',
      'deductibles?',
      'claims?',
      'refunds?',
    ],
  },
  {
    what: 'the reason for the call',
    terms: [
      'no-shows?',
      'missed (?:your |the |an? |our )?(?:appointment|appt|visit)s?',
      'cancel(?:l)?ed (?:your |the |an? |our )?(?:appointment|appt|visit)s?',
      'cancel(?:l)?ations?',
      'reschedul(?:e|ed|ing)',
      'reason (?:for|of) (?:your |the |this |our )?(?:visit|call|appointment|appt)',
      '(?:your|last|next|upcoming|recent|previous) (?:visit|appointment|appt)s?',
      'overdue',
      'follow-ups?',
      'check-ups?',
      'recall',
      "(?:haven't|have not) seen you",
    ],
  },
];

// "Bill" after "this is", "I'm"… is a caller's name, not an invoice.
const NAME_LIKE: Record<string, string> = { 'bills?': "(?<!(?:this is|i'm|i am|name is|it's) )" };

const WORD_BEFORE = '(?<![\\p{L}\\p{N}])';
const WORD_AFTER = '(?![\\p{L}\\p{N}])';

const SENSITIVE_PATTERNS = SENSITIVE_TERMS.map(({ what, terms }) => ({
  what,
  pattern: new RegExp(
    terms
      .map((t) => `${NAME_LIKE[t] ?? ''}${WORD_BEFORE}(?:${t.replace(/[ -]/g, '[\\s-]*')})${WORD_AFTER}`)
      .join('|'),
    'giu',
  ),
}));

const MONTHS =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DATE_LIKE = new RegExp(
  `${WORD_BEFORE}(?:(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?|(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\\d|3[01])(?:/\\d{2,4})?)${WORD_AFTER}`,
  'giu',
);
// Case-sensitive on purpose: "Dr. Chen" names a provider, "the doctor said" does not.
const PROVIDER_NAME = /(?<![\p{L}])(?:Dr|DR|dr|Doctor|doctor)\.?\s+\p{Lu}\p{Ll}+/gu;
const PHONE_LIKE = /(?<!\d)(?:\+?1[\s.-]*)?(?:\(\d{3}\)|\d{3})[\s.-]*\d{3}[\s.-]*\d{4}(?!\d)/;

function quoteAll(matches: Iterable<string>): string {
  const seen = new Map<string, string>();
  for (const m of matches) {
    const key = m.toLowerCase().replace(/\s+/g, ' ');
    if (!seen.has(key)) seen.set(key, m.replace(/\s+/g, ' '));
  }
  return [...seen.values()].map((m) => `"${m}"`).join(', ');
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[b.length];
}

/** Likely guesses that spelling distance alone would match to the wrong placeholder. */
const GUESSES: Record<string, ScriptPlaceholderName> = {
  'patient.name': 'patient.fullName',
  practice: 'practice.name',
  'practice.phone': 'campaign.callbackNumber',
  callback: 'campaign.callbackNumber',
  phone: 'campaign.callbackNumber',
  doctor: 'provider.name',
  provider: 'provider.name',
  'doctor.name': 'provider.name',
  agent: 'agent.name',
  location: 'location.name',
  organisation: 'contact.organisation',
  organization: 'contact.organisation',
  'appointment.date': 'lastAppointment.date',
};

function suggestionFor(name: string): string[] {
  const lower = name.toLowerCase();
  if (Object.hasOwn(GUESSES, lower)) return [GUESSES[lower]];
  const names = SCRIPT_PLACEHOLDERS.map((p) => p.name);
  if (!lower.includes('.')) {
    const bySuffix = names.filter((n) => n.toLowerCase().endsWith(`.${lower}`));
    if (bySuffix.length > 0) return bySuffix;
  }
  let best: string[] = [];
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const n of names) {
    const d = levenshtein(lower, n.toLowerCase());
    if (d < bestDistance) {
      best = [n];
      bestDistance = d;
    } else if (d === bestDistance) {
      best.push(n);
    }
  }
  return best;
}

function isWrongAudience(name: ScriptPlaceholderName, audience: Audience): boolean {
  return (audience === 'patients' ? CONTACT_ONLY : PATIENT_ONLY).test(name);
}

/** Typos, placeholders the audience never has, and `<fill-ins>` copied from paper scripts. */
function placeholderWarnings(template: string, tokens: PlaceholderToken[], audience: Audience): string[] {
  const warnings: string[] = [];
  const unknown = new Set<string>();
  const wrongAudience = new Set<ScriptPlaceholderName>();
  for (const token of tokens) {
    if (token.known === null) unknown.add(token.name);
    else if (isWrongAudience(token.known, audience)) wrongAudience.add(token.known);
  }
  for (const name of unknown) {
    const suggestions = suggestionFor(name);
    const hint =
      suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `{${s}}`).join(' or ')}?` : '';
    warnings.push(`Unknown placeholder {${name}}: it will be shown as written.${hint}`);
  }
  for (const name of wrongAudience) {
    const campaigns =
      audience === 'patients' ? 'campaigns that call patients' : 'campaigns that call contacts';
    warnings.push(`{${name}} is always empty in ${campaigns}.`);
  }
  const angle = template.match(/<[^<>\n]{1,40}>/g);
  if (angle) {
    warnings.push(
      `${quoteAll(angle)} looks like a fill-in that will not be filled: placeholders use braces, e.g. {practice.name}.`,
    );
  }
  return warnings;
}

/** Warnings for an agent's call script: placeholder typos and fill-ins the renderer will not fill. */
export function checkScript(template: string, options: ScriptCheckOptions = {}): string[] {
  if (template.trim() === '') return ['The script is empty.'];
  return placeholderWarnings(template, findPlaceholders(template), options.audience ?? 'patients');
}

/**
 * Warnings when a voicemail script goes beyond the minimum necessary (HIPAA): anything that
 * hints at why the patient is called, their health or their account, or no way to call back.
 */
export function checkVoicemailScript(template: string, options: ScriptCheckOptions = {}): string[] {
  const audience = options.audience ?? 'patients';
  const allowed = VOICEMAIL_PLACEHOLDERS[audience];
  const rule = MINIMUM_NECESSARY[audience];
  const tokens = findPlaceholders(template);
  const warnings: string[] = template.trim() === '' ? ['The voicemail script is empty.'] : [];

  const disallowed = new Set<ScriptPlaceholderName>();
  for (const token of tokens) {
    if (token.known !== null && !allowed.includes(token.known) && !isWrongAudience(token.known, audience)) {
      disallowed.add(token.known);
    }
  }
  for (const name of disallowed) {
    const label = SCRIPT_PLACEHOLDERS.find((p) => p.name === name)!.fallback.replace(/^\[|\]$/g, '');
    warnings.push(`The voicemail uses {${name}} (${label}): ${rule}`);
  }

  // Placeholder names such as {lastAppointment.date} must not count as words.
  let prose = template;
  for (const token of [...tokens].reverse()) {
    prose =
      prose.slice(0, token.index) +
      ' '.repeat(token.raw.length) +
      prose.slice(token.index + token.raw.length);
  }
  for (const { what, pattern } of SENSITIVE_PATTERNS) {
    const found = [...prose.matchAll(pattern)].map((m) => m[0]);
    if (found.length > 0) warnings.push(`The voicemail mentions ${what} (${quoteAll(found)}): ${rule}`);
  }
  const dates = [...prose.matchAll(DATE_LIKE)].map((m) => m[0]);
  if (dates.length > 0) warnings.push(`The voicemail mentions a date (${quoteAll(dates)}): ${rule}`);
  const providers = [...prose.matchAll(PROVIDER_NAME)].map((m) => m[0]);
  if (providers.length > 0) warnings.push(`The voicemail names a provider (${quoteAll(providers)}): ${rule}`);

  const hasCallback = tokens.some((t) => t.known === 'campaign.callbackNumber') || PHONE_LIKE.test(prose);
  if (!hasCallback) {
    warnings.push('The voicemail has no call-back number: add {campaign.callbackNumber} or a phone number.');
  }
  return [...warnings, ...placeholderWarnings(template, tokens, audience)];
}
