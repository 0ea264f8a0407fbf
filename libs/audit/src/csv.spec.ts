import { csvCell, csvRow } from './csv';

describe('audit CSV cells', () => {
  it('quotes what needs quoting and neutralises formulas', () => {
    expect(csvRow(['a', 'b,c', 'say "hi"', null, 3, new Date('2026-06-15T15:00:00Z')])).toBe(
      'a,"b,c","say ""hi""",,3,2026-06-15T15:00:00.000Z\r\n',
    );
    expect(csvCell('=cmd|"/c calc"!A1')).toBe(`"'=cmd|""/c calc""!A1"`);
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell({ ids: ['x'] })).toBe('"{""ids"":[""x""]}"');
  });
});
