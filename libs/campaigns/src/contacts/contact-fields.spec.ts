import { DomainError } from '@recall/core';
import { normalizeHeader } from '@recall/imports';
import fc from 'fast-check';
import {
  CONTACT_FIELD_NAMES,
  CONTACT_FIELDS,
  parseContactMapping,
  resolveContactColumns,
  suggestContactMapping,
} from './contact-fields';

describe('CONTACT_FIELDS', () => {
  it('lists every field once, with normalised synonyms no two fields share', () => {
    expect(CONTACT_FIELDS.map((f) => f.name)).toEqual([...CONTACT_FIELD_NAMES]);
    const owner = new Map<string, string>();
    for (const field of CONTACT_FIELDS) {
      for (const syn of field.synonyms) {
        expect(normalizeHeader(syn)).toBe(syn);
        expect(owner.get(syn) ?? field.name).toBe(field.name);
        owner.set(syn, field.name);
      }
    }
  });
});

describe('suggestContactMapping', () => {
  it('maps a referring-partner export, leaving the fax column alone', () => {
    const headers = [
      'Organization',
      'Contact Name',
      'Title',
      'Office Phone',
      'Direct Line',
      'Fax',
      'Mobile',
      'Email',
      'Address',
      'City',
      'State',
      'Zip',
    ];
    expect(suggestContactMapping(headers)).toEqual({
      columns: {
        organisation: 'Organization',
        contactName: 'Contact Name',
        contactRole: 'Title',
        phone1: 'Office Phone',
        phone2: 'Direct Line',
        mobile: 'Mobile',
        email: 'Email',
        address: 'Address',
        city: 'City',
        state: 'State',
        zip: 'Zip',
      },
      unmapped: ['Fax'],
    });
  });

  it('maps a CRM export: split names, extension column, mailing address, business fax', () => {
    const { columns, unmapped } = suggestContactMapping([
      'Account ID',
      'Account Name',
      'First Name',
      'Last Name',
      'Job Title',
      'Business Phone',
      'Phone Ext.',
      'Business Fax',
      'Mailing Street',
      'Mailing City',
      'Mailing State/Province',
      'Mailing Zip/Postal Code',
      'Created Date',
    ]);
    expect(columns).toEqual({
      contactId: 'Account ID',
      organisation: 'Account Name',
      contactFirstName: 'First Name',
      contactLastName: 'Last Name',
      contactRole: 'Job Title',
      phone1: 'Business Phone',
      phone1Extension: 'Phone Ext.',
      address: 'Mailing Street',
      city: 'Mailing City',
      state: 'Mailing State/Province',
      zip: 'Mailing Zip/Postal Code',
    });
    expect(unmapped).toEqual(['Business Fax', 'Created Date']);
  });

  it('reads a header by the synonym it ends with, before a longer one it starts with', () => {
    expect(
      suggestContactMapping([
        'Organization Phone',
        'Office Address',
        'Referring Practice Name',
        'Contact Person',
        'Phone/Fax',
      ]).columns,
    ).toEqual({
      phone1: 'Organization Phone',
      address: 'Office Address',
      organisation: 'Referring Practice Name',
      contactName: 'Contact Person',
    });
  });

  it('gives further phone columns the free phone slots', () => {
    expect(
      suggestContactMapping(['Practice', 'Office Phone', 'Primary Contact Phone Number', 'Phone Type'])
        .columns,
    ).toEqual({ organisation: 'Practice', phone1: 'Office Phone', phone2: 'Primary Contact Phone Number' });
  });

  it('reads a lone "Name" column as the organisation', () => {
    expect(suggestContactMapping(['Name', 'Phone', 'Address']).columns).toEqual({
      organisation: 'Name',
      phone1: 'Phone',
      address: 'Address',
    });
    expect(suggestContactMapping(['Name of Org', 'Name', 'Phone']).columns).toEqual({
      organisation: 'Name of Org',
      contactName: 'Name',
      phone1: 'Phone',
    });
  });

  it('gives each column to at most one field and never maps a fax column', () => {
    const pool = [
      ...CONTACT_FIELDS.flatMap((f) => f.synonyms),
      'Fax',
      'Office Fax',
      'Fax Number',
      'Phone/Fax',
      'Notes',
      'Phone Type',
    ];
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...pool), { maxLength: 20 }), (headers) => {
        const { columns, unmapped } = suggestContactMapping(headers);
        const used = Object.values(columns);
        expect(new Set(used).size).toBe(used.length);
        expect(used.filter((h) => /fax/i.test(h))).toEqual([]);
        expect([...used, ...unmapped].sort()).toEqual([...headers].sort());
      }),
    );
  });
});

describe('resolveContactColumns', () => {
  const headers = ['Practice', 'Contact', 'Phone #'];

  it('finds columns by exact or normalised header', () => {
    const { index, problems } = resolveContactColumns(
      { columns: { organisation: 'practice', contactName: 'Contact', phone1: 'PHONE' } },
      headers,
    );
    expect(problems).toEqual([]);
    expect(index).toEqual({ organisation: 0, contactName: 1, phone1: 2 });
  });

  it('names unknown fields, missing columns and the missing organisation', () => {
    const { problems } = resolveContactColumns({ columns: { notes: 'Contact', phone1: 'Cell' } }, headers);
    expect(problems).toEqual([
      expect.stringContaining('"notes" is not a contact field'),
      'phone1: column "Cell" is not in the file (columns: Practice, Contact, Phone #)',
      'organisation: map the column holding the organisation (columns: Practice, Contact, Phone #)',
    ]);
  });
});

describe('parseContactMapping', () => {
  it('reads an object or its JSON text', () => {
    const mapping = { columns: { organisation: 'Org' }, delimiter: ';' };
    expect(parseContactMapping(mapping)).toEqual(mapping);
    expect(parseContactMapping(JSON.stringify(mapping))).toEqual(mapping);
  });

  it('refuses malformed mappings with the path at fault', () => {
    expect(() => parseContactMapping('{')).toThrow(DomainError);
    expect(() => parseContactMapping({ columns: { organisation: '' } })).toThrow(/columns\.organisation/);
    expect(() => parseContactMapping({ columns: {}, delimiter: ':' })).toThrow(/delimiter/);
  });
});
