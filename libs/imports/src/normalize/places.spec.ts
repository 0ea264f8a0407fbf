import fc from 'fast-check';
import { IANAZone } from 'luxon';
import { normalizeState, normalizeZip, resolveTimeZone, stateTimeZone, zipTimeZone } from './places';

/** The 50 states, DC and the five inhabited territories. */
const STATES: [string, string][] = [
  ['AL', 'Alabama'],
  ['AK', 'Alaska'],
  ['AZ', 'Arizona'],
  ['AR', 'Arkansas'],
  ['CA', 'California'],
  ['CO', 'Colorado'],
  ['CT', 'Connecticut'],
  ['DE', 'Delaware'],
  ['FL', 'Florida'],
  ['GA', 'Georgia'],
  ['HI', 'Hawaii'],
  ['ID', 'Idaho'],
  ['IL', 'Illinois'],
  ['IN', 'Indiana'],
  ['IA', 'Iowa'],
  ['KS', 'Kansas'],
  ['KY', 'Kentucky'],
  ['LA', 'Louisiana'],
  ['ME', 'Maine'],
  ['MD', 'Maryland'],
  ['MA', 'Massachusetts'],
  ['MI', 'Michigan'],
  ['MN', 'Minnesota'],
  ['MS', 'Mississippi'],
  ['MO', 'Missouri'],
  ['MT', 'Montana'],
  ['NE', 'Nebraska'],
  ['NV', 'Nevada'],
  ['NH', 'New Hampshire'],
  ['NJ', 'New Jersey'],
  ['NM', 'New Mexico'],
  ['NY', 'New York'],
  ['NC', 'North Carolina'],
  ['ND', 'North Dakota'],
  ['OH', 'Ohio'],
  ['OK', 'Oklahoma'],
  ['OR', 'Oregon'],
  ['PA', 'Pennsylvania'],
  ['RI', 'Rhode Island'],
  ['SC', 'South Carolina'],
  ['SD', 'South Dakota'],
  ['TN', 'Tennessee'],
  ['TX', 'Texas'],
  ['UT', 'Utah'],
  ['VT', 'Vermont'],
  ['VA', 'Virginia'],
  ['WA', 'Washington'],
  ['WV', 'West Virginia'],
  ['WI', 'Wisconsin'],
  ['WY', 'Wyoming'],
  ['DC', 'District of Columbia'],
  ['PR', 'Puerto Rico'],
  ['VI', 'Virgin Islands'],
  ['GU', 'Guam'],
  ['AS', 'American Samoa'],
  ['MP', 'Northern Mariana Islands'],
];

describe('normalizeState', () => {
  it.each(STATES)('%s / %s', (code, stateName) => {
    for (const raw of [
      code,
      code.toLowerCase(),
      stateName,
      stateName.toLowerCase(),
      stateName.toUpperCase(),
      ` ${stateName} `,
    ]) {
      expect(normalizeState(raw)).toEqual({ ok: true, value: code });
    }
  });

  it.each([
    ['Mass.', 'MA'],
    ['Mass', 'MA'],
    ['Calif.', 'CA'],
    ['Fla.', 'FL'],
    ['N.Y.', 'NY'],
    ['W. Va.', 'WV'],
    ['Tenn.', 'TN'],
    ['Tex', 'TX'],
    ['Washington DC', 'DC'],
    ['Washington, D.C.', 'DC'],
    ['D.C.', 'DC'],
    ['District Of Columbia', 'DC'],
    ['U.S. Virgin Islands', 'VI'],
    ['CNMI', 'MP'],
    ['new  hampshire', 'NH'],
    ['AE', 'AE'],
  ])('%j → %s', (raw, code) => {
    expect(normalizeState(raw)).toEqual({ ok: true, value: code });
  });

  it.each(['', '  ', 'NULL', 'N/A'])('%j → null', (raw) => {
    expect(normalizeState(raw)).toEqual({ ok: true, value: null });
  });

  it.each([
    ['Xyz', "unknown state: 'Xyz'"],
    ['ZZ', "unknown state: 'ZZ'"],
    ['Ontario', "unknown state: 'Ontario'"],
    [' Massachusets ', "unknown state: 'Massachusets'"],
  ])('%j is invalid', (raw, reason) => {
    expect(normalizeState(raw)).toEqual({ ok: false, reason });
  });
});

describe('normalizeZip', () => {
  it.each([
    ['02155', '02155', false],
    [' 02155 ', '02155', false],
    ['2155', '02155', true],
    ['601', '00601', true],
    ['02155-1234', '02155-1234', false],
    ['02155 1234', '02155-1234', false],
    ['021551234', '02155-1234', false],
    ['21551234', '02155-1234', true],
    ['6011234', '00601-1234', true],
    ['2155-1234', '02155-1234', true],
    ['2155.0', '02155', true],
    ['02155.0', '02155', false],
    ['90210.00', '90210', false],
    ['21551234.0', '02155-1234', true],
    ['90210', '90210', false],
    ['90210-0000', '90210', false],
  ])('%j → %s (restored: %s)', (raw, value, restored) => {
    expect(normalizeZip(raw)).toEqual({ ok: true, value, restored });
  });

  it.each(['', '   ', 'NULL', 'n/a'])('%j → null', (raw) => {
    expect(normalizeZip(raw)).toEqual({ ok: true, value: null, restored: false });
  });

  it.each([
    '00000',
    '0',
    '12',
    '123456',
    '1234567890',
    'abc',
    'K1A 0B1',
    '02155-12',
    '00000-1234',
    '2155.5',
    '-02155',
  ])('%j is invalid', (raw) => {
    expect(normalizeZip(raw)).toEqual({ ok: false, reason: `not a ZIP code: '${raw.trim()}'` });
  });

  it('restores the leading zeros a spreadsheet stripped from any ZIP or ZIP+4', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 99_999 }),
        fc.option(fc.integer({ min: 1, max: 9999 })),
        (n, plus4) => {
          const zip5 = String(n).padStart(5, '0');
          const restored = zip5.startsWith('0');
          expect(normalizeZip(String(n))).toEqual({ ok: true, value: zip5, restored });
          expect(normalizeZip(`${n}.0`)).toEqual({ ok: true, value: zip5, restored });
          if (plus4 !== null) {
            const add = String(plus4).padStart(4, '0');
            expect(normalizeZip(String(n) + add)).toEqual({ ok: true, value: `${zip5}-${add}`, restored });
            expect(normalizeZip(`${zip5}-${add}`)).toEqual({
              ok: true,
              value: `${zip5}-${add}`,
              restored: false,
            });
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('stateTimeZone', () => {
  it.each([
    ['TX', 'America/Chicago'],
    ['FL', 'America/New_York'],
    ['AZ', 'America/Phoenix'],
    ['IN', 'America/Indiana/Indianapolis'],
    ['HI', 'Pacific/Honolulu'],
    ['AK', 'America/Anchorage'],
    ['PR', 'America/Puerto_Rico'],
    ['GU', 'Pacific/Guam'],
    ['MP', 'Pacific/Saipan'],
    ['AS', 'Pacific/Pago_Pago'],
    ['VI', 'America/St_Thomas'],
    ['CA', 'America/Los_Angeles'],
    ['ID', 'America/Boise'],
    ['MI', 'America/Detroit'],
    ['TN', 'America/Chicago'],
    ['KY', 'America/New_York'],
    ['DC', 'America/New_York'],
    ['tx', 'America/Chicago'],
  ])('%s → %s', (code, zone) => {
    expect(stateTimeZone(code)).toBe(zone);
  });

  it.each(['ZZ', '', 'Texas', 'AE', 'AP'])('%j → null', (code) => {
    expect(stateTimeZone(code)).toBeNull();
  });

  it('gives a valid IANA zone for every state, DC and territory', () => {
    for (const [code] of STATES) {
      const zone = stateTimeZone(code);
      expect({ code, valid: zone !== null && IANAZone.isValidZone(zone) }).toEqual({ code, valid: true });
    }
  });
});

describe('zipTimeZone', () => {
  it.each([
    ['02155', 'America/New_York'],
    ['02155-1234', 'America/New_York'],
    ['60601', 'America/Chicago'],
    ['80202', 'America/Denver'],
    ['85004', 'America/Phoenix'],
    ['90210', 'America/Los_Angeles'],
    ['96813', 'Pacific/Honolulu'],
    ['99501', 'America/Anchorage'],
    ['46204', 'America/Indiana/Indianapolis'],
    ['87420', 'America/Denver'], // Shiprock, NM
    // zipcode-to-timezone files these under the deprecated 'America/Shiprock'.
    ['86515', 'America/Denver'], // Window Rock, Navajo Nation: keeps DST
    ['86033', 'America/Denver'], // Kayenta, Navajo Nation
    ['85901', 'America/Phoenix'], // Show Low: no DST
    ['86047', 'America/Phoenix'], // Winslow
    ['86039', 'America/Phoenix'], // Kykotsmovi, Hopi Reservation: no DST
    // Territories the package lacks.
    ['00601', 'America/Puerto_Rico'],
    ['00725', 'America/Puerto_Rico'],
    ['00901', 'America/Puerto_Rico'],
    ['00802', 'America/St_Thomas'],
    ['96910', 'Pacific/Guam'],
    ['96950', 'Pacific/Saipan'],
    ['96799', 'Pacific/Pago_Pago'],
  ])('%s → %s', (zip, zone) => {
    expect(zipTimeZone(zip)).toBe(zone);
  });

  it.each(['99999', '09001', '96201', '', '2155', 'abcde'])('%j → null', (zip) => {
    expect(zipTimeZone(zip)).toBeNull();
  });

  it('never returns the deprecated America/Shiprock', () => {
    for (let n = 85900; n < 86600; n++) expect(zipTimeZone(String(n))).not.toBe('America/Shiprock');
  });
});

describe('resolveTimeZone', () => {
  const practice = 'America/New_York';
  it.each([
    ['02155', 'MA', { zone: 'America/New_York', source: 'zip' }],
    ['90210', 'MA', { zone: 'America/Los_Angeles', source: 'zip' }],
    ['99999', 'TX', { zone: 'America/Chicago', source: 'state' }],
    [null, 'AZ', { zone: 'America/Phoenix', source: 'state' }],
    [null, 'Texas', { zone: 'America/Chicago', source: 'state' }],
    [null, 'AE', { zone: practice, source: 'practice' }],
    ['09001', null, { zone: practice, source: 'practice' }],
    [null, 'Xyz', { zone: practice, source: 'practice' }],
    [null, null, { zone: practice, source: 'practice' }],
  ] as const)('zip %j, state %j → %j', (zip, state, expected) => {
    expect(resolveTimeZone(zip, state, practice)).toEqual(expected);
  });
});
