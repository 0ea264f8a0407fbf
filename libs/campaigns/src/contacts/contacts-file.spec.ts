import { DomainError } from '@recall/core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { contactIssuesCsv, readContactsFile } from './contacts-file';

const FIXTURES = path.join(__dirname, '../../../../test/fixtures/contacts');
const read = (file: string, mapping?: Parameters<typeof readContactsFile>[1]['mapping']) =>
  readContactsFile(path.join(FIXTURES, file), { name: path.basename(file), mapping });

describe('readContactsFile', () => {
  it('sorts every row of a referring-partner list into accepted or rejected, with line, column and row', async () => {
    const file = await read('ok/referring-partners.csv');
    expect(file.format).toMatchObject({ delimiter: ',', encoding: 'utf-8', headerLine: 2 });
    expect(file.format.skippedLines).toEqual(['Referring Partners - Export 2026-06-01']);
    expect(file.mapping.columns).not.toHaveProperty('fax');
    expect(Object.values(file.mapping.columns)).not.toContain('Fax');
    expect(file.totalRows).toBe(9);
    expect(file.rows).toHaveLength(7);
    expect(file.rows.length + file.rejected.length).toBe(file.totalRows);
    expect(file.rejected).toEqual([
      {
        file: 'referring-partners.csv',
        line: 7,
        column: 'Organization',
        reason: 'no organisation',
        originalRow: ',Jim Hale,Practice Administrator,847-555-0155,,,,jim@hale.example,,Evanston,IL,60201',
      },
      {
        file: 'referring-partners.csv',
        line: 10,
        column: null,
        reason: 'row has 13 fields but the header has 12',
        originalRow:
          'Summit Eye Care,Dr. Ann Lee,Optometrist,815-555-0102,,,,,200 Main St, Suite 5,Joliet,IL,60432',
      },
    ]);
    expect(file.warnings.map((w) => [w.line, w.column, w.reason])).toEqual([
      [5, 'Email', "not an email address: 'angela.ruiz@riversidept'; kept as written"],
      [9, 'State', "unknown state: 'Cali'; left empty"],
      [9, 'Office Phone', "too short: '555-0100'; kept, never dialled"],
    ]);
    const lakeview = file.rows[0];
    expect(lakeview).toMatchObject({
      line: 3,
      key: 'lakeview pediatrics, p.c.|dr. maria chen',
      organisation: 'Lakeview Pediatrics, P.C.',
      address: '1200 N Lake Shore Dr, Suite 300',
    });
    expect(lakeview.phones.map((p) => [p.e164, p.extension])).toEqual([
      ['+13125550142', '204'],
      ['+13125550199', null],
    ]);
    // The repeated Lakeview row (double space in the name) has the same key.
    expect(file.rows[6]).toMatchObject({ line: 11, key: lakeview.key });
  });

  it('reads a Windows-1252, semicolon, CRLF list with an id column', async () => {
    const file = await read('ok/community-cp1252-semicolon.csv');
    expect(file.format).toMatchObject({ delimiter: ';', encoding: 'windows-1252', lineBreak: '\r\n' });
    expect(file.rejected).toEqual([]);
    expect(file.rows.map((r) => [r.key, r.organisation, r.contactName])).toEqual([
      ['C-001', 'Église Saint-Jean', 'Père François Côté'],
      ['C-002', 'Roxbury Senior Center', 'Dolores “Dee” Walsh'],
      ['C-003', 'Cambridge Public Schools – Nurse Office', 'Ana Souza'],
      ['dorchester ymca|rob kelly', 'Dorchester YMCA', 'Rob Kelly'],
    ]);
    expect(file.rows[1]).toMatchObject({ state: 'MA', zip: '02119' });
    expect(file.warnings.map((w) => [w.line, w.column, w.reason])).toEqual([
      [2, 'ZIP', "ZIP '2108' lost its leading zero; read as 02108"],
      [5, 'ID', 'no contact id; identified by organisation and contact name'],
    ]);
  });

  it('uses the mapping given, and refuses one that does not fit the file', async () => {
    const file = await read('ok/referring-partners.csv', {
      columns: { organisation: 'Organization', phone1: 'Fax' },
    });
    expect(file.rows[0].phones.map((p) => p.e164)).toEqual(['+13125550143']);
    expect(file.rows[0].contactName).toBeNull();
    await expect(
      read('ok/referring-partners.csv', { columns: { contactName: 'Contact Name' } }),
    ).rejects.toThrow('referring-partners.csv: organisation: map the column holding the organisation');
  });

  it('refuses an empty file and an unclosed quote with the file and the line', async () => {
    const empty = read('not-ok/empty.csv');
    await expect(empty).rejects.toThrow(DomainError);
    await expect(empty).rejects.toThrow('empty.csv: the file is empty');
    await expect(read('not-ok/unclosed-quote.csv')).rejects.toThrow(
      'unclosed-quote.csv, line 3: a quoted field is never closed; nothing was imported',
    );
  });

  it('writes rejected rows as a CSV with the original row quoted', async () => {
    const file = await read('ok/referring-partners.csv');
    expect(contactIssuesCsv(file.rejected).split('\n')).toEqual([
      'file,line,column,reason,original_row',
      'referring-partners.csv,7,Organization,no organisation,' +
        '",Jim Hale,Practice Administrator,847-555-0155,,,,jim@hale.example,,Evanston,IL,60201"',
      'referring-partners.csv,10,,row has 13 fields but the header has 12,' +
        '"Summit Eye Care,Dr. Ann Lee,Optometrist,815-555-0102,,,,,200 Main St, Suite 5,Joliet,IL,60432"',
      '',
    ]);
  });

  it('rejects a row holding a NUL byte, and neutralises formulas in the issues CSV', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'recall-contacts-')), 'nul.csv');
    writeFileSync(
      file,
      'Organization,Contact,Office Phone\nAcme,Ann\0Lee,312-555-0101\n"=cmd|\' /C calc\'!A0",,312-555-0102\n',
    );
    const read = await readContactsFile(file, { name: 'nul.csv' });
    expect(read.rejected[0]).toMatchObject({
      line: 2,
      column: 'Contact',
      reason: 'contains a NUL character (binary data), not text',
      originalRow: 'Acme,Ann\uFFFDLee,312-555-0101',
    });
    const csv = contactIssuesCsv([{ ...read.rejected[0], originalRow: "=cmd|' /C calc'!A0,,312-555-0102" }]);
    expect(csv.split('\n')[1]).toMatch(/,"'=cmd\|' \/C calc'!A0,,312-555-0102"$/);
  });
});
