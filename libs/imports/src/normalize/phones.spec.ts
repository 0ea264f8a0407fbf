import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { normalizePhoneType, parsePhone, type Phone, type PhoneType } from './phones';

const valid = (
  raw: string,
  e164: string,
  extension: string | null = null,
  type: PhoneType = 'mobile',
): Phone => ({
  e164,
  extension,
  raw,
  type,
  valid: true,
  reason: null,
});

describe('parsePhone', () => {
  it.each([
    '(619) 555-7823',
    '619.555.7823',
    '+1 619 555 7823',
    '1-619-555-7823',
    '6195557823',
    '16195557823',
    '+16195557823',
    '619-555-7823',
    '619 555 7823',
    '(619)555-7823',
    '(619)-555-7823',
    '1 (619) 555-7823',
    '619/555-7823',
    '619–555–7823',
    'tel:+16195557823',
    'home: 619-555-7823',
    '619-555-7823 (cell)',
    '6195557823.0',
  ])('%j is +16195557823', (raw) => {
    expect(parsePhone(raw, 'mobile')).toEqual(valid(raw, '+16195557823'));
  });

  it('keeps the trimmed cell as raw and the given type', () => {
    expect(parsePhone('  (619) 555-7823 ', 'work')).toEqual(
      valid('(619) 555-7823', '+16195557823', null, 'work'),
    );
  });

  it.each([
    ['619-555-7823 x251', '251'],
    ['619-555-7823 X251', '251'],
    ['619-555-7823 x 251', '251'],
    ['619-555-7823x251', '251'],
    ['619-555-7823 ext. 251', '251'],
    ['619-555-7823 Ext.251', '251'],
    ['619-555-7823 ext251', '251'],
    ['619-555-7823 EXT 251', '251'],
    ['619-555-7823 ext: 251', '251'],
    ['619-555-7823 extension 251', '251'],
    ['619-555-7823 #251', '251'],
    ['619-555-7823#251', '251'],
    ['619-555-7823, ext 251', '251'],
    ['619-555-7823 (ext 251)', '251'],
    ['619-555-7823 ext#251', '251'],
    ['619-555-7823 Ext.# 251', '251'],
    ['619-555-7823 ex 251', '251'],
    ['+1 (619) 555-7823 x0251', '0251'],
    ['(619) 555-7823 ext 12345678', '12345678'],
  ])('%j has extension %s', (raw, extension) => {
    expect(parsePhone(raw, 'work')).toEqual(valid(raw, '+16195557823', extension, 'work'));
  });

  it.each([
    ['(000) 123-4567', '+10001234567', 'not a valid US number'],
    ['(212) 155-1234', '+12121551234', 'not a valid US number'],
    ['(212) 055-1234', '+12120551234', 'not a valid US number'],
    ['555-555-5555', '+15555555555', 'not a valid US number'],
    ['(911) 555-1234', '+19115551234', 'not a valid US number'],
    ['123-4567', '+11234567', 'too short'],
    ['555-7823', '+15557823', 'too short'],
    ['(619) 555-78', '+161955578', 'too short'],
    ['2125551234567', '+12125551234567', 'too long'],
  ])('%j is invalid but kept: %s / %s', (raw, e164, reason) => {
    expect(parsePhone(raw, 'home')).toEqual({
      e164,
      extension: null,
      raw,
      type: 'home',
      valid: false,
      reason,
    });
  });

  it.each([
    ['abc', 'not a phone number'],
    ['declined', 'not a phone number'],
    ['see chart', 'not a phone number'],
    ['619-555-7823 / 619-555-7824', 'not a phone number'],
    ['6.19556E+09', 'digits lost: a spreadsheet wrote the number in scientific notation'],
  ])('%j is invalid with no number: %s', (raw, reason) => {
    expect(parsePhone(raw, 'home')).toEqual({
      e164: null,
      extension: null,
      raw,
      type: 'home',
      valid: false,
      reason,
    });
  });

  it.each([
    '',
    '   ',
    'NULL',
    'null',
    'N/A',
    'none',
    'NONE',
    '#N/A',
    '0',
    '000-000-0000',
    '(000) 000-0000',
    '(   )   -    ',
  ])('%j → null', (raw) => {
    expect(parsePhone(raw, 'mobile')).toBeNull();
  });

  it('accepts 555 numbers that libphonenumber considers valid, including the fictional 555-01xx range', () => {
    expect(parsePhone('(212) 555-0100', 'home')?.valid).toBe(true);
    expect(parsePhone('(800) 555-1212', 'home')).toEqual(
      valid('(800) 555-1212', '+18005551212', null, 'home'),
    );
  });

  it('accepts NANP territories and other countries when valid', () => {
    expect(parsePhone('(787) 555-1234', 'home')).toEqual(
      valid('(787) 555-1234', '+17875551234', null, 'home'),
    );
    expect(parsePhone('(671) 555-1234', 'home')).toEqual(
      valid('(671) 555-1234', '+16715551234', null, 'home'),
    );
    expect(parsePhone('+44 20 7946 0958', 'home')).toEqual(
      valid('+44 20 7946 0958', '+442079460958', null, 'home'),
    );
    expect(parsePhone('011 44 20 7946 0958', 'home')).toEqual(
      valid('011 44 20 7946 0958', '+442079460958', null, 'home'),
    );
    expect(parsePhone('+44 20 7946', 'home')).toMatchObject({
      e164: '+44207946',
      valid: false,
      reason: 'not a valid number for country code +44',
    });
  });
});

// ------------------------------------------------------------------------------------------------------------
// Properties

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
const nxx = fc.tuple(fc.integer({ min: 2, max: 9 }), digits(2)).map(([a, b]) => `${a}${b}`);

type Notation = (npa: string, nxx: string, line: string) => string;
const NOTATIONS: Notation[] = [
  (a, b, c) => `(${a}) ${b}-${c}`,
  (a, b, c) => `(${a})${b}-${c}`,
  (a, b, c) => `${a}.${b}.${c}`,
  (a, b, c) => `${a}-${b}-${c}`,
  (a, b, c) => `${a} ${b} ${c}`,
  (a, b, c) => `${a}${b}${c}`,
  (a, b, c) => `1${a}${b}${c}`,
  (a, b, c) => `1-${a}-${b}-${c}`,
  (a, b, c) => `1 (${a}) ${b}-${c}`,
  (a, b, c) => `+1 ${a} ${b} ${c}`,
  (a, b, c) => `+1-${a}-${b}-${c}`,
  (a, b, c) => `+1${a}${b}${c}`,
  (a, b, c) => `+1 (${a}) ${b}-${c}`,
];
const EXTENSION_MARKERS = [' x', ' x ', 'x', ' X', ' ext. ', ' ext', ' Ext ', ' extension ', ' #', '#'];

describe('parsePhone properties', () => {
  it('any NANP number in any notation, with or without extension, gives the same e164 and extension', () => {
    fc.assert(
      fc.property(
        nxx,
        nxx,
        digits(4),
        fc.option(
          fc.tuple(fc.constantFrom(...EXTENSION_MARKERS), fc.integer({ min: 1, max: 6 }).chain(digits)),
        ),
        (npa, exchange, line, ext) => {
          const results = NOTATIONS.map((render) => {
            const raw = render(npa, exchange, line) + (ext ? ext[0] + ext[1] : '');
            const phone = parsePhone(raw, 'mobile')!;
            return { e164: phone.e164, extension: phone.extension, valid: phone.valid };
          });
          const expected = { e164: `+1${npa}${exchange}${line}`, extension: ext ? ext[1] : null };
          for (const r of results) expect(r).toEqual({ ...expected, valid: results[0].valid });
        },
      ),
      { numRuns: 300 },
    );
  });

  /** What libphonenumber-js itself says, for comparison with the fast path. */
  function library(raw: string) {
    const p = parsePhoneNumberFromString(raw, 'US');
    if (p === undefined) return { e164: null, extension: null, valid: false };
    return { e164: p.number as string, extension: p.ext ?? null, valid: p.isValid() };
  }
  const fromParsePhone = (raw: string) => {
    const p = parsePhone(raw, 'home')!;
    return { e164: p.e164, extension: p.extension, valid: p.valid };
  };

  it('agrees with libphonenumber-js on validity for every area code', () => {
    for (let npa = 200; npa <= 999; npa++) {
      for (const exchange of ['200', '211', '555', '911', '958']) {
        const raw = `(${npa}) ${exchange}-0142`;
        expect({ raw, ...fromParsePhone(raw) }).toEqual({ raw, ...library(raw) });
      }
    }
  });

  it('agrees with libphonenumber-js on random numbers and notations', () => {
    fc.assert(
      fc.property(
        digits(3),
        digits(3),
        digits(4),
        fc.constantFrom(...NOTATIONS),
        fc.option(fc.integer({ min: 1, max: 99999 })),
        (npa, exchange, line, render, ext) => {
          const raw = render(npa, exchange, line) + (ext === null ? '' : ` x${ext}`);
          expect({ raw, ...fromParsePhone(raw) }).toEqual({ raw, ...library(raw) });
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('normalizePhoneType', () => {
  it.each([
    ['cell', 'mobile'],
    ['Cell Phone', 'mobile'],
    ['CELL', 'mobile'],
    ['mobile', 'mobile'],
    ['Mobile No.', 'mobile'],
    ['Cellular', 'mobile'],
    ['M', 'mobile'],
    ['C', 'mobile'],
    ['home', 'home'],
    ['H', 'home'],
    ['Home Phone', 'home'],
    ['home_phone', 'home'],
    ['Phone (Home)', 'home'],
    ['work', 'work'],
    ['W', 'work'],
    ['Work Phone #', 'work'],
    ['office', 'work'],
    ['business', 'work'],
    ['Other', 'other'],
    ['alt', 'other'],
    ['fax', null],
    ['pager', null],
    ['phone', null],
    ['primary', null],
    ['', null],
  ] as [string, PhoneType | null][])('%j → %s', (raw, expected) => {
    expect(normalizePhoneType(raw)).toBe(expected);
  });
});
