import { lookup as lookupZipZone } from 'zipcode-to-timezone';
import { isNullMarker, quote } from './shared';

/**
 * US states, ZIP codes and the time zones patients live in.
 */

export type TimeZoneSource = 'zip' | 'state' | 'practice';

export type StateResult = { ok: true; value: string | null } | { ok: false; reason: string };
export type ZipResult = { ok: true; value: string | null; restored: boolean } | { ok: false; reason: string };

interface StateInfo {
  code: string;
  name: string;
  /** The zone covering most of the population. */
  zone: string | null;
  /** Other spellings: AP-style and common abbreviations. */
  aliases?: readonly string[];
}

const STATES: readonly StateInfo[] = [
  { code: 'AL', name: 'Alabama', zone: 'America/Chicago', aliases: ['Ala'] },
  { code: 'AK', name: 'Alaska', zone: 'America/Anchorage' },
  { code: 'AZ', name: 'Arizona', zone: 'America/Phoenix', aliases: ['Ariz'] },
  { code: 'AR', name: 'Arkansas', zone: 'America/Chicago', aliases: ['Ark'] },
  { code: 'CA', name: 'California', zone: 'America/Los_Angeles', aliases: ['Calif', 'Cal'] },
  { code: 'CO', name: 'Colorado', zone: 'America/Denver', aliases: ['Colo'] },
  { code: 'CT', name: 'Connecticut', zone: 'America/New_York', aliases: ['Conn'] },
  { code: 'DE', name: 'Delaware', zone: 'America/New_York', aliases: ['Del'] },
  {
    code: 'DC',
    name: 'District of Columbia',
    zone: 'America/New_York',
    aliases: ['Washington DC', 'Washington D.C.', 'Washington, DC', 'Washington, D.C.'],
  },
  { code: 'FL', name: 'Florida', zone: 'America/New_York', aliases: ['Fla'] },
  { code: 'GA', name: 'Georgia', zone: 'America/New_York' },
  { code: 'HI', name: 'Hawaii', zone: 'Pacific/Honolulu' },
  { code: 'ID', name: 'Idaho', zone: 'America/Boise' },
  { code: 'IL', name: 'Illinois', zone: 'America/Chicago', aliases: ['Ill'] },
  { code: 'IN', name: 'Indiana', zone: 'America/Indiana/Indianapolis', aliases: ['Ind'] },
  { code: 'IA', name: 'Iowa', zone: 'America/Chicago' },
  { code: 'KS', name: 'Kansas', zone: 'America/Chicago', aliases: ['Kan', 'Kans'] },
  { code: 'KY', name: 'Kentucky', zone: 'America/New_York' },
  { code: 'LA', name: 'Louisiana', zone: 'America/Chicago' },
  { code: 'ME', name: 'Maine', zone: 'America/New_York' },
  { code: 'MD', name: 'Maryland', zone: 'America/New_York' },
  { code: 'MA', name: 'Massachusetts', zone: 'America/New_York', aliases: ['Mass'] },
  { code: 'MI', name: 'Michigan', zone: 'America/Detroit', aliases: ['Mich'] },
  { code: 'MN', name: 'Minnesota', zone: 'America/Chicago', aliases: ['Minn'] },
  { code: 'MS', name: 'Mississippi', zone: 'America/Chicago', aliases: ['Miss'] },
  { code: 'MO', name: 'Missouri', zone: 'America/Chicago' },
  { code: 'MT', name: 'Montana', zone: 'America/Denver', aliases: ['Mont'] },
  { code: 'NE', name: 'Nebraska', zone: 'America/Chicago', aliases: ['Neb', 'Nebr'] },
  { code: 'NV', name: 'Nevada', zone: 'America/Los_Angeles', aliases: ['Nev'] },
  { code: 'NH', name: 'New Hampshire', zone: 'America/New_York' },
  { code: 'NJ', name: 'New Jersey', zone: 'America/New_York' },
  { code: 'NM', name: 'New Mexico', zone: 'America/Denver' },
  { code: 'NY', name: 'New York', zone: 'America/New_York' },
  { code: 'NC', name: 'North Carolina', zone: 'America/New_York' },
  { code: 'ND', name: 'North Dakota', zone: 'America/Chicago' },
  { code: 'OH', name: 'Ohio', zone: 'America/New_York' },
  { code: 'OK', name: 'Oklahoma', zone: 'America/Chicago', aliases: ['Okla'] },
  { code: 'OR', name: 'Oregon', zone: 'America/Los_Angeles', aliases: ['Ore', 'Oreg'] },
  { code: 'PA', name: 'Pennsylvania', zone: 'America/New_York', aliases: ['Penn', 'Penna'] },
  { code: 'RI', name: 'Rhode Island', zone: 'America/New_York' },
  { code: 'SC', name: 'South Carolina', zone: 'America/New_York' },
  { code: 'SD', name: 'South Dakota', zone: 'America/Chicago' },
  { code: 'TN', name: 'Tennessee', zone: 'America/Chicago', aliases: ['Tenn'] },
  { code: 'TX', name: 'Texas', zone: 'America/Chicago', aliases: ['Tex'] },
  { code: 'UT', name: 'Utah', zone: 'America/Denver' },
  { code: 'VT', name: 'Vermont', zone: 'America/New_York' },
  { code: 'VA', name: 'Virginia', zone: 'America/New_York' },
  { code: 'WA', name: 'Washington', zone: 'America/Los_Angeles', aliases: ['Wash'] },
  { code: 'WV', name: 'West Virginia', zone: 'America/New_York', aliases: ['W Va', 'W. Va.'] },
  { code: 'WI', name: 'Wisconsin', zone: 'America/Chicago', aliases: ['Wis', 'Wisc'] },
  { code: 'WY', name: 'Wyoming', zone: 'America/Denver', aliases: ['Wyo'] },
  { code: 'PR', name: 'Puerto Rico', zone: 'America/Puerto_Rico' },
  {
    code: 'VI',
    name: 'Virgin Islands',
    zone: 'America/St_Thomas',
    aliases: ['US Virgin Islands', 'U.S. Virgin Islands', 'United States Virgin Islands', 'USVI'],
  },
  { code: 'GU', name: 'Guam', zone: 'Pacific/Guam' },
  { code: 'AS', name: 'American Samoa', zone: 'Pacific/Pago_Pago' },
  {
    code: 'MP',
    name: 'Northern Mariana Islands',
    zone: 'Pacific/Saipan',
    aliases: ['Commonwealth of the Northern Mariana Islands', 'CNMI'],
  },
  // Military post offices: valid USPS codes, no single time zone.
  { code: 'AA', name: 'Armed Forces Americas', zone: null },
  { code: 'AE', name: 'Armed Forces Europe', zone: null },
  { code: 'AP', name: 'Armed Forces Pacific', zone: null },
];

const NOT_LETTERS = /[^a-z]/g;

/** Lower-case letters only: 'Washington, D.C.' → 'washingtondc', 'Mass.' → 'mass'. */
function stateKey(text: string): string {
  return text.toLowerCase().replace(NOT_LETTERS, '');
}

/** Every accepted spelling (by stateKey) → USPS code. */
const STATE_BY_KEY: ReadonlyMap<string, string> = new Map(
  STATES.flatMap((s) =>
    [s.code, s.name, ...(s.aliases ?? [])].map((text) => [stateKey(text), s.code] as const),
  ),
);
/** USPS code → zone. */
const ZONE_BY_STATE: ReadonlyMap<string, string | null> = new Map(
  STATES.map((s) => [s.code, s.zone] as const),
);

/**
 * USPS code for a state cell: codes ('MA', 'ma'), names ('Massachusetts'), AP abbreviations ('Mass.'),
 * 'District of Columbia' / 'Washington DC', the five inhabited territories and the AA/AE/AP military codes.
 * Empty and null markers → null.
 */
export function normalizeState(raw: string): StateResult {
  const text = raw.trim();
  if (text.length === 0 || isNullMarker(text)) return { ok: true, value: null };
  if (text.length === 2) {
    const code = text.toUpperCase();
    if (ZONE_BY_STATE.has(code)) return { ok: true, value: code };
  }
  const code = STATE_BY_KEY.get(stateKey(text));
  return code !== undefined
    ? { ok: true, value: code }
    : { ok: false, reason: `unknown state: ${quote(text)}` };
}

const ZIP5 = /^\d{5}$/;
/** 3–9 digits, or 4–5 digits '-' 4 digits (also with a space or dash-like character). */
const ZIP_DIGITS = /^(\d{3,9})$/;
const ZIP_PLUS4 = /^(\d{4,5})[\s\-–—](\d{4})$/;
/** A ZIP a spreadsheet stored as a float: '2155.0', '21551234.0'. */
const EXCEL_FLOAT = /^(\d{3,9})\.0+$/;

function zipFromDigits(digits: string, raw: string): ZipResult {
  const len = digits.length;
  let zip: string;
  let plus4: string | null = null;
  if (len <= 5) {
    zip = digits;
  } else if (len >= 7) {
    zip = digits.slice(0, len - 4);
    plus4 = digits.slice(len - 4);
  } else {
    return { ok: false, reason: `not a ZIP code: ${quote(raw)}` };
  }
  const restored = zip.length < 5;
  if (restored) zip = zip.padStart(5, '0');
  if (zip === '00000') return { ok: false, reason: `not a ZIP code: ${quote(raw)}` };
  // '-0000' is a filler, not an assigned add-on.
  const value = plus4 !== null && plus4 !== '0000' ? zip + '-' + plus4 : zip;
  return { ok: true, value, restored };
}

/**
 * '02155' or '02155-1234'. Accepts 5 digits; 9 digits or 'NNNNN-NNNN' (ZIP+4); Excel floats ('2155.0');
 * and restores leading zeros a spreadsheet dropped (restored:true): 4 or 3 digits → ZIP, 8 or 7 digits and
 * 'NNNN-NNNN' → ZIP+4 (3-digit ZIPs are Puerto Rico / Virgin Islands / Holtsville '005xx'). A '-0000' add-on
 * is dropped. '00000', 1–2 or 6 digits, and anything else are invalid. Empty and null markers → null.
 */
export function normalizeZip(raw: string): ZipResult {
  if (ZIP5.test(raw)) {
    return raw === '00000'
      ? { ok: false, reason: `not a ZIP code: '00000'` }
      : { ok: true, value: raw, restored: false };
  }
  const text = raw.trim();
  if (text.length === 0 || isNullMarker(text)) return { ok: true, value: null, restored: false };
  const digits = ZIP_DIGITS.exec(text) ?? EXCEL_FLOAT.exec(text);
  if (digits !== null) return zipFromDigits(digits[1], text);
  const plus4 = ZIP_PLUS4.exec(text);
  if (plus4 !== null) return zipFromDigits(plus4[1] + plus4[2], text);
  return { ok: false, reason: `not a ZIP code: ${quote(text)}` };
}

/** Zone of a USPS state code (case-insensitive): where most of the state's population lives. */
export function stateTimeZone(stateCode: string): string | null {
  return ZONE_BY_STATE.get(stateCode.toUpperCase()) ?? null;
}

/**
 * zipcode-to-timezone files all of Apache and Navajo counties, AZ under 'America/Shiprock' (a tzdata alias of
 * America/Denver). Only the Navajo Nation there keeps daylight saving time (America/Denver); the rest of the
 * area, including the Hopi Reservation, does not (America/Phoenix). These are the Navajo Nation ZIPs.
 */
const NAVAJO_NATION_ZIP = /^(?:865\d\d|86031|86033|86044|86045|86053|86054)$/;

/** ZIPs the package lacks: the territories. Prefix → zone. */
function territoryZone(zip5: string): string | null {
  const p3 = zip5.slice(0, 3);
  if (p3 === '006' || p3 === '007' || p3 === '009') return 'America/Puerto_Rico';
  if (p3 === '008') return 'America/St_Thomas';
  if (zip5 === '96799') return 'Pacific/Pago_Pago';
  if (p3 === '969') {
    const n = +zip5.slice(3);
    if (n >= 10 && n <= 32) return 'Pacific/Guam';
    if (n >= 50 && n <= 52) return 'Pacific/Saipan';
  }
  return null;
}

/**
 * IANA zone of a 5-digit ZIP (a ZIP+4 is read by its first five digits), from zipcode-to-timezone plus the
 * territories it lacks. 'America/Shiprock' is replaced (see NAVAJO_NATION_ZIP). Unknown ZIPs (new ones,
 * military APO/FPO) → null.
 */
export function zipTimeZone(zip5: string): string | null {
  const zip = zip5.length === 5 ? zip5 : zip5.slice(0, 5);
  if (!ZIP5.test(zip)) return null;
  const zone = lookupZipZone(zip);
  if (zone === 'America/Shiprock') return NAVAJO_NATION_ZIP.test(zip) ? 'America/Denver' : 'America/Phoenix';
  return zone ?? territoryZone(zip);
}

/**
 * The zone to schedule a patient's messages in: the ZIP's, else the state's (a USPS code or anything
 * normalizeState accepts), else the practice's.
 */
export function resolveTimeZone(
  zip: string | null,
  state: string | null,
  practiceZone: string,
): { zone: string; source: TimeZoneSource } {
  if (zip !== null) {
    const zone = zipTimeZone(zip);
    if (zone !== null) return { zone, source: 'zip' };
  }
  if (state !== null) {
    let zone = stateTimeZone(state);
    if (zone === null) {
      const normalized = normalizeState(state);
      if (normalized.ok && normalized.value !== null) zone = stateTimeZone(normalized.value);
    }
    if (zone !== null) return { zone, source: 'state' };
  }
  return { zone: practiceZone, source: 'practice' };
}
