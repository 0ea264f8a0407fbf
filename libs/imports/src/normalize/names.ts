/**
 * Person-name cleaning for EMR CSV cells. Case and accents are kept as given (NFC); only
 * normalizeForMatch folds them, for duplicate detection.
 */

export interface PersonName {
  first: string | null;
  middle: string | null;
  last: string | null;
}

/** Already clean: ASCII letters and ' . - separated by single spaces, no surrounding space or quotes. */
const CLEAN_ASCII_NAME = /^[A-Za-z][A-Za-z'.-]*(?: [A-Za-z'.-]+)*$/;
/** Zero-width characters that survive trim() and \s. */
const INVISIBLE = /[\u200B-\u200D\u2060\u00AD]/g;
const WHITESPACE_RUN = /\s+/g;
/** Opening quote → the closing quote that pairs with it. */
const QUOTE_PAIRS: Readonly<Record<string, string>> = { '"': '"', "'": "'", '“': '”', '‘': '’', '`': '`' };

/**
 * Trims, collapses internal whitespace, normalises to NFC and strips surrounding quotes ('"Smith"',
 * '""Smith""'). Case and accents are kept ('José', "O'Brien", 'ÅSTRÖM'). Empty → null.
 */
export function cleanName(raw: string): string | null {
  if (CLEAN_ASCII_NAME.test(raw)) return raw;
  let s = raw.normalize('NFC').replace(INVISIBLE, '').replace(WHITESPACE_RUN, ' ').trim();
  while (s.length >= 2 && QUOTE_PAIRS[s[0]] !== undefined && s[s.length - 1] === QUOTE_PAIRS[s[0]]) {
    s = s.slice(1, -1).trim();
  }
  if (s.length === 1 && QUOTE_PAIRS[s] !== undefined) return null;
  return s.length > 0 ? s : null;
}

const SUFFIXES: ReadonlySet<string> = new Set(['jr', 'jr.', 'sr', 'sr.', 'ii', 'iii', 'iv']);
/** Lower-case surname particles that join the last name in 'First van Last' ('Ludwig van Beethoven'). */
const PARTICLES: ReadonlySet<string> = new Set([
  'van',
  'von',
  'de',
  'del',
  'della',
  'der',
  'den',
  'da',
  'di',
  'du',
  'la',
  'le',
  'dos',
  'das',
  'do',
  'ter',
  'ten',
  'bin',
  'ibn',
  'al',
  'el',
]);
/** A nickname token: '"Bob"', '(Bob)', "'Bob'". */
const NICKNAME = /^(?:"[^"]*"|“[^”]*”|'[^']*'|\([^)]*\))$/;

function isSuffix(token: string): boolean {
  return SUFFIXES.has(token.toLowerCase());
}

/** Space-separated tokens without nicknames, and without one trailing suffix when other tokens remain. */
function givenTokens(text: string): string[] {
  const tokens = text.split(' ').filter((t) => t.length > 0 && !NICKNAME.test(t));
  if (tokens.length > 1 && isSuffix(tokens[tokens.length - 1])) tokens.pop();
  return tokens;
}

function orNull(s: string | undefined): string | null {
  return s !== undefined && s.length > 0 ? s : null;
}

/**
 * Splits a full-name cell. With a comma: 'LAST,FIRST M', 'Last, First Middle', 'Last, First, Jr.'. Without:
 * 'First Middle Last', 'First Last', a single token → last only; lower-case particles before the last token
 * join it ('Ludwig van Beethoven' → last 'van Beethoven'). A trailing suffix (Jr, Jr., Sr, II, III, IV) and
 * quoted or parenthesised nicknames are dropped. Whitespace is collapsed, NFC. Empty parts → null.
 */
export function splitFullName(raw: string): PersonName {
  const clean = cleanName(raw);
  if (clean === null) return { first: null, middle: null, last: null };

  const comma = clean.indexOf(',');
  if (comma >= 0) {
    const lastTokens = givenTokens(clean.slice(0, comma));
    // Anything after a second comma is a suffix ('Smith, John, Jr.') or more given names.
    const rest = clean
      .slice(comma + 1)
      .split(',')
      .filter((part) => !isSuffix(part.trim()))
      .join(' ');
    const given = givenTokens(rest);
    return {
      first: orNull(given[0]),
      middle: orNull(given.slice(1).join(' ')),
      last: orNull(lastTokens.join(' ')),
    };
  }

  const tokens = givenTokens(clean);
  if (tokens.length === 0) return { first: null, middle: null, last: null };
  if (tokens.length === 1) return { first: null, middle: null, last: tokens[0] };
  let lastStart = tokens.length - 1;
  while (lastStart > 1 && PARTICLES.has(tokens[lastStart - 1])) lastStart--;
  return {
    first: tokens[0],
    middle: orNull(tokens.slice(1, lastStart).join(' ')),
    last: tokens.slice(lastStart).join(' '),
  };
}

/** Anything but tab and printable ASCII. */
const NOT_PLAIN_ASCII = /[^\t -~]/;
const NOT_A_TO_Z = /[^a-z0-9]/g;
const COMBINING_MARKS = /\p{M}/gu;
const NON_LETTERS = /[^\p{L}\p{N}]/gu;
/** Letters NFD does not decompose, folded to their usual ASCII spelling. */
const FOLD: Readonly<Record<string, string>> = {
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  ı: 'i',
  ħ: 'h',
};
const FOLDABLE = /[øłđðþæœßıħ]/g;

function fold(ch: string): string {
  return FOLD[ch];
}

/**
 * Key for duplicate detection: lower-case, accents stripped (NFD, combining marks removed, ø/æ/ß… folded),
 * everything but letters and digits removed. 'José  O’Brien' → 'joseobrien'. Non-Latin letters are
 * kept, and so are digits (synthetic exports number their names: 'Phil587' is not 'Phil12').
 */
export function normalizeForMatch(name: string): string {
  if (!NOT_PLAIN_ASCII.test(name)) return name.toLowerCase().replace(NOT_A_TO_Z, '');
  return name
    .normalize('NFD')
    .toLowerCase()
    .replace(COMBINING_MARKS, '')
    .replace(FOLDABLE, fold)
    .replace(NON_LETTERS, '');
}
