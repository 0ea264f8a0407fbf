import { Metadata, parsePhoneNumberFromString, type PhoneNumber } from 'libphonenumber-js/min';
import { isNullMarker } from './shared';

/**
 * Phone parsing for EMR CSV cells, on libphonenumber-js with its compact ("min") metadata, default country US.
 *
 * The library takes ~7µs a number, so the common shapes of NANP numbers ('(619) 555-7823', '619.555.7823',
 * '+1 619 555 7823 x251', ...) take a fast path: one precompiled regex, then the library's own NANP validity
 * rules compiled once from its metadata (nanpIsValid below). phones.spec.ts checks that the fast path agrees
 * with the library on random numbers and notations. Everything else goes to the library.
 */

export type PhoneType = 'mobile' | 'home' | 'work' | 'other';

export interface Phone {
  e164: string | null;
  extension: string | null;
  /** The original cell, trimmed. */
  raw: string;
  type: PhoneType;
  valid: boolean;
  /** Why the number is invalid; null when valid. */
  reason: string | null;
}

// ---------------------------------------------------------------------------------------------------------
// NANP validity, compiled from the library's metadata (mirrors libphonenumber-js getCountryByNationalNumber,
// getNumberType and isValid for calling code 1).

/** The parts of the library's (untyped) Metadata class used here. */
interface TypeLike {
  pattern(): string;
  possibleLengths(): number[] | undefined;
}
interface NumberingPlanLike {
  leadingDigits(): string | undefined;
  hasTypes(): boolean;
  nationalNumberPattern(): string;
  type(type: string): TypeLike | undefined;
}
interface MetadataLike {
  countryCallingCodes(): Record<string, string[]>;
  selectNumberingPlan(country: string): void;
  numberingPlan: NumberingPlanLike;
}

/** FIXED_LINE, then the library's NON_FIXED_LINE_PHONE_TYPES, in its order. */
const NUMBER_TYPES = [
  'FIXED_LINE',
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
];

interface CompiledType {
  re: RegExp;
  lengths: readonly number[] | undefined;
}
interface CompiledPlan {
  /** Leading-digits pattern (sufficient for the country), or null. */
  leading: RegExp | null;
  national: RegExp;
  /** Type patterns, or null when the plan has none (then the national pattern alone decides). */
  types: CompiledType[] | null;
}

function entirely(pattern: string): RegExp {
  return new RegExp('^(?:' + pattern + ')$');
}

function compileNanpPlans(): CompiledPlan[] {
  const metadata = new Metadata() as unknown as MetadataLike;
  return metadata.countryCallingCodes()['1'].map((country) => {
    metadata.selectNumberingPlan(country);
    const plan = metadata.numberingPlan;
    const leading = plan.leadingDigits();
    let types: CompiledType[] | null = null;
    if (plan.hasTypes()) {
      types = [];
      for (const name of NUMBER_TYPES) {
        const type = plan.type(name);
        if (type && type.pattern())
          types.push({ re: entirely(type.pattern()), lengths: type.possibleLengths() });
      }
    }
    return {
      leading: leading ? new RegExp('^(?:' + leading + ')') : null,
      national: entirely(plan.nationalNumberPattern()),
      types,
    };
  });
}

const NANP_PLANS = compileNanpPlans();

/** The library's getNumberType(...) !== undefined for a plan with types. */
function matchesAType(plan: CompiledPlan, national: string): boolean {
  if (plan.types === null || !plan.national.test(national)) return false;
  for (const type of plan.types) {
    const lengthFits = type.lengths === undefined || type.lengths.includes(national.length);
    if (lengthFits && type.re.test(national)) return true;
  }
  return false;
}

/** Whether libphonenumber-js (min metadata) considers +1 `national` valid. */
function nanpIsValid(national: string): boolean {
  for (const plan of NANP_PLANS) {
    if (plan.leading !== null) {
      // Matching leading digits settles the country; the number must then be valid there.
      if (plan.leading.test(national)) {
        return plan.types !== null ? matchesAType(plan, national) : plan.national.test(national);
      }
    } else if (matchesAType(plan, national)) {
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------

/**
 * '[+]1' optional, area code (2-9, optionally in parentheses), exchange, line, separators space . - and an
 * optional 'x' / 'ext' / 'ext.' / 'extension' / '#' extension of up to 6 digits.
 */
const FAST_NANP =
  /^(?:\+?1[\s.-]?)?(?:\(([2-9]\d\d)\)[\s.-]?|([2-9]\d\d)[\s.-]?)(\d{3})[\s.-]?(\d{4})(?:\s*(?:x|ext\.?|extension|#)\s*(\d{1,6}))?$/i;
/** Only zeros and punctuation: '0', '000-000-0000', an empty input mask '(   )   -    '. */
const ZEROS_OR_PUNCTUATION = /^[\s0().+\-/]*$/;
/** A number a spreadsheet stored as a float: '6195557823.0'. */
const EXCEL_FLOAT = /^(\d{7,15})\.0+$/;
/** A number a spreadsheet turned into scientific notation: '6.19556E+09' (the digits are lost). */
const SCIENTIFIC = /^\d(?:\.\d+)?e\+?\d+$/i;
/** Extension markers the library misses ('ext#251', 'Ext.# 251', 'ex 251'): number part, extension. */
const LOOSE_EXTENSION = /^(.*\d)[\s,;(]*(?:ext(?:ension|n)?|ex|x)\.?[\s.:#-]*(\d{1,10})\)?\s*$/i;
const ASCII_DIGIT = /\d/;
const NON_DIGITS = /\D/g;

function phone(
  raw: string,
  type: PhoneType,
  e164: string | null,
  extension: string | null,
  reason: string | null,
): Phone {
  return { e164, extension, raw, type, valid: reason === null, reason };
}

function fromLibrary(raw: string, type: PhoneType, parsed: PhoneNumber, extension: string | null): Phone {
  const ext = extension ?? parsed.ext ?? null;
  if (parsed.isValid()) return phone(raw, type, parsed.number, ext, null);
  let reason: string;
  if (parsed.countryCallingCode === '1') {
    const digits = parsed.nationalNumber.length;
    reason = digits < 10 ? 'too short' : digits > 10 ? 'too long' : 'not a valid US number';
  } else {
    reason = `not a valid number for country code +${parsed.countryCallingCode}`;
  }
  return phone(raw, type, parsed.number, ext, reason);
}

/**
 * Parses a phone cell. Returns null for empty cells and null markers ('NULL', 'N/A', 'none', '0',
 * '000-000-0000'). Invalid numbers are kept with valid:false, the library's best E.164 (or null) and a reason.
 * Numbers with another country code ('+44 20 7946 0958', '011 44 …') are valid when the library says so.
 */
export function parsePhone(raw: string, type: PhoneType): Phone | null {
  const text = raw.trim();
  if (ZEROS_OR_PUNCTUATION.test(text) || isNullMarker(text)) return null;

  const fast = FAST_NANP.exec(text);
  if (fast !== null) {
    const national = (fast[1] ?? fast[2]) + fast[3] + fast[4];
    return phone(
      text,
      type,
      '+1' + national,
      fast[5] ?? null,
      nanpIsValid(national) ? null : 'not a valid US number',
    );
  }

  if (SCIENTIFIC.test(text)) {
    return phone(
      text,
      type,
      null,
      null,
      'digits lost: a spreadsheet wrote the number in scientific notation',
    );
  }
  const float = EXCEL_FLOAT.exec(text);
  const parsed = parsePhoneNumberFromString(float !== null ? float[1] : text, 'US');
  if (parsed !== undefined) return fromLibrary(text, type, parsed, null);

  const loose = LOOSE_EXTENSION.exec(text);
  if (loose !== null) {
    const number = parsePhoneNumberFromString(loose[1], 'US');
    if (number !== undefined) return fromLibrary(text, type, number, loose[2]);
  }
  if (!ASCII_DIGIT.test(text)) return phone(text, type, null, null, 'not a phone number');
  return phone(
    text,
    type,
    null,
    null,
    text.replace(NON_DIGITS, '').length < 10 ? 'too short' : 'not a phone number',
  );
}

/** Lower-cased letters of a phone-type label with 'phone'/'number'/'tel' words removed → type. */
const PHONE_TYPES: ReadonlyMap<string, PhoneType> = new Map<string, PhoneType>([
  ...['cell', 'cellular', 'mobile', 'mob', 'm', 'c', 'cp', 'wireless'].map((k) => [k, 'mobile'] as const),
  ...['home', 'h', 'hm', 'house', 'residence', 'residential', 'res', 'prn'].map((k) => [k, 'home'] as const),
  ...['work', 'w', 'wk', 'office', 'business', 'bus', 'wpn'].map((k) => [k, 'work'] as const),
  ...['other', 'o', 'alternate', 'alt'].map((k) => [k, 'other'] as const),
]);
const NON_LETTERS = /[^a-z]/g;
/** 'phone'/'tel' before or after the type word, and 'number'/'no' at the end: 'Phone (Home)', 'Cell Phone #'. */
const PHONE_PREFIX = /^(?:telephone|phone|tel|ph)/;
const PHONE_SUFFIX = /(?:telephone|phone|tel|ph)?(?:number|num|no)?$/;

/**
 * Maps a phone-type label to a PhoneType: 'cell', 'Cell Phone', 'mobile', 'M', 'C' → mobile; 'home', 'H',
 * 'Home Phone' → home; 'work', 'W', 'office', 'business' → work; 'other', 'alt' → other; anything else
 * (including fax and pager) → null.
 */
export function normalizePhoneType(raw: string): PhoneType | null {
  const letters = raw.toLowerCase().replace(NON_LETTERS, '');
  const direct = PHONE_TYPES.get(letters);
  if (direct !== undefined) return direct;
  const key = letters.replace(PHONE_PREFIX, '').replace(PHONE_SUFFIX, '');
  return key.length > 0 ? (PHONE_TYPES.get(key) ?? null) : null;
}
