import { parseCsv } from './csv';

/** Pins the csv-parse internals `parseCsv` relies on (`Parser#api`, `info.lines` per record). */
describe('parseCsv', () => {
  const run = (text: string, opts: Partial<Parameters<typeof parseCsv>[1]> = {}) => {
    const records: [number, string[]][] = [];
    const skipped: [number, string][] = [];
    const error = parseCsv(
      Buffer.from(text, 'latin1'),
      { delimiter: ',', lineBreak: '\n', encoding: 'utf-8', ...opts },
      {
        record: (cells, line) => records.push([line, cells]),
        skip: (e, from) => skipped.push([from, e.code]),
      },
    );
    return { records, skipped, error };
  };

  it('reports the line each record starts on, skipping blank lines', () => {
    expect(run('a,b\n\n"x\ny",2\n,,\nlast,1').records).toEqual([
      [1, ['a', 'b']],
      [3, ['x\ny', '2']],
      [5, ['', '', '']],
      [6, ['last', '1']],
    ]);
  });

  it('counts a CRLF inside a field as one line, as an editor does', () => {
    const { records } = run('a\r\n"x\r\ny\r\nz",1\r\nb,2\r\n', { lineBreak: '\r\n' });
    expect(records.map(([line]) => line)).toEqual([1, 2, 5]);
  });

  it('reads Windows-1252 bytes, including the 0x80–0x9F block latin1 gets wrong', () => {
    const { records } = run('O\x92Brien,\x80 5,Ren\xe9e\n', { encoding: 'windows-1252' });
    expect(records[0][1]).toEqual(['O’Brien', '€ 5', 'Renée']);
  });

  it('treats an unclosed quote as fatal, not as one skipped row', () => {
    const { records, error } = run('a,b\nc,"d\ne,f\n');
    expect(records).toEqual([[1, ['a', 'b']]]);
    expect(error).toMatchObject({ line: 2, error: { code: 'CSV_QUOTE_NOT_CLOSED' } });
  });

  it('keeps stray quotes inside fields as written', () => {
    expect(run('5\'6",x"y\n').records[0][1]).toEqual(['5\'6"', 'x"y']);
  });
});
