import fc from 'fast-check';
import { cleanName, normalizeForMatch, splitFullName, type PersonName } from './names';

const name = (first: string | null, middle: string | null, last: string | null): PersonName => ({
  first,
  middle,
  last,
});

describe('splitFullName', () => {
  it.each([
    ['LAST,FIRST M', name('FIRST', 'M', 'LAST')],
    ['Last, First Middle', name('First', 'Middle', 'Last')],
    ['Last,First', name('First', null, 'Last')],
    ['Smith, John Michael Paul', name('John', 'Michael Paul', 'Smith')],
    ['  Smith ,   John   A  ', name('John', 'A', 'Smith')],
    ['Van Buren, Martin', name('Martin', null, 'Van Buren')],
    ['Smith, John A Jr.', name('John', 'A', 'Smith')],
    ['Smith, John Jr', name('John', null, 'Smith')],
    ['Smith, John III', name('John', null, 'Smith')],
    ['Smith, John, Jr.', name('John', null, 'Smith')],
    ['Smith Jr, John', name('John', null, 'Smith')],
    ['Smith,', name(null, null, 'Smith')],
    [', John', name('John', null, null)],
    ['First Middle Last', name('First', 'Middle', 'Last')],
    ['First Last', name('First', null, 'Last')],
    ['Last', name(null, null, 'Last')],
    ['John Smith Sr.', name('John', null, 'Smith')],
    ['John Smith IV', name('John', null, 'Smith')],
    ['John Q Public II', name('John', 'Q', 'Public')],
    ['Mary Ann Louise Smith', name('Mary', 'Ann Louise', 'Smith')],
    ['Ludwig van Beethoven', name('Ludwig', null, 'van Beethoven')],
    ['José de la Cruz', name('José', null, 'de la Cruz')],
    ['Robert "Bob" Smith', name('Robert', null, 'Smith')],
    ['Smith, Robert (Bob)', name('Robert', null, 'Smith')],
    ['"Smith, John"', name('John', null, 'Smith')],
    ['ÅSTRÖM, ÅSA', name('ÅSA', null, 'ÅSTRÖM')],
    ["O'Brien, Seán", name('Seán', null, "O'Brien")],
    ['Jose\u0301 Garci\u0301a', name('José', null, 'García')],
    ['', name(null, null, null)],
    ['   ', name(null, null, null)],
    [' , ', name(null, null, null)],
  ])('%j → %j', (raw, expected) => {
    expect(splitFullName(raw)).toEqual(expected);
  });

  it('returns NFC strings', () => {
    const { first, last } = splitFullName('Garci\u0301a, Jose\u0301');
    expect(first).toBe('Jos\u00e9');
    expect(last).toBe('Garc\u00eda');
  });
});

describe('cleanName', () => {
  it.each([
    ['José', 'José'],
    ["O'Brien", "O'Brien"],
    ['ÅSTRÖM', 'ÅSTRÖM'],
    ['  Mary   Ann  ', 'Mary Ann'],
    ['Mary\u00a0Ann', 'Mary Ann'],
    ['Mary\tAnn', 'Mary Ann'],
    ['"Smith"', 'Smith'],
    ['""Smith""', 'Smith'],
    ["'Smith'", 'Smith'],
    ['“Smith”', 'Smith'],
    [' " Smith " ', 'Smith'],
    ['Jose\u0301', 'Jos\u00e9'],
    ['\ufeffSmith\u200b', 'Smith'],
    ['mcdonald', 'mcdonald'],
    ['Smith-Jones', 'Smith-Jones'],
  ])('%j → %j', (raw, expected) => {
    expect(cleanName(raw)).toBe(expected);
  });

  it.each(['', '   ', '""', '"', "''", '" "'])('%j → null', (raw) => {
    expect(cleanName(raw)).toBeNull();
  });

  it('is idempotent and leaves no surrounding or doubled whitespace', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (raw) => {
        const once = cleanName(raw);
        if (once === null) return;
        expect(cleanName(once)).toBe(once);
        expect(once).toBe(once.trim());
        expect(once).not.toMatch(/\s\s/);
        expect(once).toBe(once.normalize('NFC'));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('normalizeForMatch', () => {
  it.each([
    ['José  O’Brien', 'joseobrien'],
    ["JOSE O'BRIEN", 'joseobrien'],
    ['Jose\u0301 Obrien', 'joseobrien'],
    ['ÅSTRÖM', 'astrom'],
    ['Smith-Jones', 'smithjones'],
    ['Phil587', 'phil587'],
    ['Søren Łukasz', 'sorenlukasz'],
    ['Straße', 'strasse'],
    ['Ştefan İlker', 'stefanilker'],
    ['Mary Ann 3rd', 'maryann3rd'],
    ['王小明', '王小明'],
    ['', ''],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeForMatch(raw)).toBe(expected);
  });

  it('matches the same name written with and without accents, case or punctuation', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z]{1,12}$/), (word) => {
        const accented = word.replace(/[aeiou]/g, (v) => v + '\u0301').normalize('NFC');
        expect(normalizeForMatch(`"${accented.toUpperCase()}"`)).toBe(word.toLowerCase());
        expect(normalizeForMatch(` ${word} - ${word}`)).toBe(word.toLowerCase().repeat(2));
      }),
      { numRuns: 300 },
    );
  });
});
