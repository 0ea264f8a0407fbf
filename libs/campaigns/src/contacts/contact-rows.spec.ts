import type { ContactField } from './contact-fields';
import { contactKey, ContactRows, foldContacts, type ContactRow } from './contact-rows';

const HEADERS = [
  'ID',
  'Practice',
  'Contact',
  'First',
  'Last',
  'Role',
  'Phone',
  'Ext',
  'Phone 2',
  'Phone 3',
  'Cell',
  'Email',
  'Street',
  'Suite',
  'City',
  'State',
  'ZIP',
  'DNC',
];
const FIELDS: ContactField[] = [
  'contactId',
  'organisation',
  'contactName',
  'contactFirstName',
  'contactLastName',
  'contactRole',
  'phone1',
  'phone1Extension',
  'phone2',
  'phone3',
  'mobile',
  'email',
  'address',
  'address2',
  'city',
  'state',
  'zip',
  'doNotCall',
];

function reader(without: ContactField[] = []) {
  const index: Partial<Record<ContactField, number>> = {};
  FIELDS.forEach((f, i) => {
    if (!without.includes(f)) index[f] = i;
  });
  return new ContactRows(HEADERS, index);
}

function read(values: Partial<Record<ContactField, string>>, opts: { without?: ContactField[] } = {}) {
  const cells = FIELDS.map((f) => values[f] ?? '');
  const rejected: [string | null, string][] = [];
  const warnings: [string | null, string][] = [];
  // A list without an id column unless the test gives an id (blank included).
  const without = opts.without ?? (values.contactId === undefined ? ['contactId'] : []);
  const row = reader(without).read(cells, 7, {
    reject: (column, reason) => rejected.push([column, reason]),
    warn: (column, reason) => warnings.push([column, reason]),
  });
  return { row, rejected, warnings };
}

describe('ContactRows', () => {
  it('normalises a row: names cleaned, phones in E.164 with extensions, state code, email lower-cased', () => {
    const { row, rejected, warnings } = read({
      contactId: ' P-17 ',
      organisation: '  Lakeview   Pediatrics, P.C. ',
      contactName: 'Dr. Maria  Chen',
      contactRole: 'Medical Director',
      phone1: '(312) 555-0142',
      phone1Extension: 'x204',
      phone2: '312.555.0199 ext. 9',
      mobile: '+1 312 555 0177',
      email: 'MChen@LakeviewPeds.example',
      address: '1200 N Lake Shore Dr',
      address2: 'Suite 300',
      city: 'Chicago',
      state: 'Illinois',
      zip: '60610-1234',
    });
    expect(rejected).toEqual([]);
    expect(warnings).toEqual([]);
    expect(row).toEqual<ContactRow>({
      line: 7,
      key: 'P-17',
      organisation: 'Lakeview Pediatrics, P.C.',
      contactName: 'Dr. Maria Chen',
      contactRole: 'Medical Director',
      phones: [
        { e164: '+13125550142', extension: '204', raw: '(312) 555-0142', type: 'work', valid: true },
        { e164: '+13125550199', extension: '9', raw: '312.555.0199 ext. 9', type: 'work', valid: true },
        { e164: '+13125550177', extension: null, raw: '+1 312 555 0177', type: 'mobile', valid: true },
      ],
      email: 'mchen@lakeviewpeds.example',
      address: '1200 N Lake Shore Dr, Suite 300',
      city: 'Chicago',
      state: 'IL',
      zip: '60610-1234',
      doNotCall: false,
    });
  });

  it('rejects a row without an organisation, naming its column', () => {
    const { row, rejected } = read({ organisation: '  ', contactName: 'Jim Hale', phone1: '847-555-0155' });
    expect(row).toBeNull();
    expect(rejected).toEqual([['Practice', 'no organisation']]);
  });

  it('keeps an invalid phone (never dialled), drops an unknown state and keeps a bad email, with warnings', () => {
    const { row, warnings } = read({
      organisation: 'Bayside Chiropractic',
      phone1: '555-0100',
      phone2: '(312) 555-0142',
      email: 'kim@bayside',
      state: 'Cali',
      zip: '2108',
    });
    expect(row!.phones).toEqual([
      { e164: '+13125550142', extension: null, raw: '(312) 555-0142', type: 'work', valid: true },
      { e164: '+15550100', extension: null, raw: '555-0100', type: 'work', valid: false },
    ]);
    expect(row).toMatchObject({ email: 'kim@bayside', state: null, zip: '02108' });
    expect(warnings).toEqual([
      ['Email', "not an email address: 'kim@bayside'; kept as written"],
      ['State', "unknown state: 'Cali'; left empty"],
      ['ZIP', "ZIP '2108' lost its leading zero; read as 02108"],
      ['Phone', "too short: '555-0100'; kept, never dialled"],
    ]);
  });

  it('keeps at most three distinct phones, saying which one it dropped', () => {
    const { row, warnings } = read({
      organisation: 'Summit Eye Care',
      phone1: '815-555-0102',
      phone2: '815.555.0102',
      phone3: '815-555-0103',
      mobile: '815-555-0104',
      phone1Extension: 'ext 12',
    });
    // phone2 is phone1 without the extension: a different line to dial.
    expect(row!.phones.map((p) => [p.e164, p.extension])).toEqual([
      ['+18155550102', '12'],
      ['+18155550102', null],
      ['+18155550103', null],
    ]);
    expect(warnings).toEqual([['Cell', "more than 3 phones: '815-555-0104' not kept"]]);
  });

  it('ignores null markers in phone cells and flags a bad extension', () => {
    const { row, warnings } = read({
      organisation: 'Oak Park Orthopedics',
      phone1: 'N/A',
      phone1Extension: 'front desk',
      mobile: '000-000-0000',
    });
    expect(row!.phones).toEqual([]);
    expect(warnings).toEqual([['Ext', "not an extension: 'front desk'; left empty"]]);
  });

  it('identifies a contact by the list id, else by organisation and contact name', () => {
    expect(read({ contactId: 'C-1', organisation: 'Acme' }).row!.key).toBe('C-1');
    const blankId = read({
      contactId: ' ',
      organisation: 'Acme Clinic',
      contactFirstName: 'Ann',
      contactLastName: 'Lee',
    });
    expect(blankId.row).toMatchObject({ key: 'acme clinic|ann lee', contactName: 'Ann Lee' });
    expect(blankId.warnings).toEqual([['ID', 'no contact id; identified by organisation and contact name']]);
    const noIdColumn = read({ organisation: 'Acme Clinic' });
    expect(noIdColumn.row!.key).toBe('acme clinic|');
    expect(noIdColumn.warnings).toEqual([]);
  });

  it('reads a do-not-call flag', () => {
    expect(read({ organisation: 'A', doNotCall: 'Yes' }).row!.doNotCall).toBe(true);
    expect(read({ organisation: 'A', doNotCall: 'no' }).row!.doNotCall).toBe(false);
  });
});

describe('contactKey', () => {
  it('ignores case and runs of whitespace', () => {
    expect(contactKey(' Lakeview  PEDIATRICS ', 'Dr.\tMaria   Chen')).toBe(
      'lakeview pediatrics|dr. maria chen',
    );
    expect(contactKey('Lakeview Pediatrics', null)).toBe('lakeview pediatrics|');
  });
});

describe('foldContacts', () => {
  const phone = (n: string, valid = true) => ({
    e164: valid ? `+1312555${n}` : null,
    extension: null,
    raw: n,
    type: 'work' as const,
    valid,
  });
  const base: ContactRow = {
    line: 3,
    key: 'k',
    organisation: 'Lakeview',
    contactName: 'Maria Chen',
    contactRole: 'Director',
    phones: [phone('0142'), phone('0199')],
    email: 'm@l.example',
    address: '1 Main St',
    city: 'Chicago',
    state: 'IL',
    zip: '60610',
    doNotCall: false,
  };

  it('folds rows repeating a key: the last row wins, earlier ones fill its blanks, phones unioned up to 3', () => {
    const later: ContactRow = {
      ...base,
      line: 9,
      organisation: 'Lakeview Pediatrics',
      contactRole: null,
      email: 'maria@l.example',
      phones: [phone('0001', false), phone('0177'), phone('0142')],
      city: null,
    };
    const other: ContactRow = { ...base, line: 5, key: 'other' };
    const { contacts, mergedRows } = foldContacts([base, other, later]);
    expect(mergedRows).toBe(1);
    expect(contacts.map((c) => c.key)).toEqual(['k', 'other']);
    expect(contacts[0]).toEqual({
      ...base,
      line: 9,
      organisation: 'Lakeview Pediatrics',
      contactRole: 'Director',
      email: 'maria@l.example',
      city: 'Chicago',
      phones: [phone('0177'), phone('0142'), phone('0199')],
    });
    expect(contacts[1]).toBe(other);
  });

  it('keeps a do-not-call any of the rows carries', () => {
    const { contacts } = foldContacts([{ ...base, doNotCall: true }, base]);
    expect(contacts[0].doNotCall).toBe(true);
  });
});
