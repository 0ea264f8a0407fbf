import { DomainError } from '@recall/core';
import { DELIMITERS, normalizeHeader, type FieldSpec } from '@recall/imports';
import { z } from 'zod';

export const CONTACT_FIELD_NAMES = [
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
] as const;
export type ContactField = (typeof CONTACT_FIELD_NAMES)[number];

export interface ContactFieldSpec extends FieldSpec {
  name: ContactField;
}

/**
 * Every field of a contacts list (referring offices, schools, employers…), with the header
 * spellings CRM and spreadsheet exports use. Synonyms are normalised (see `normalizeHeader`);
 * within a field the most specific come first.
 */
export const CONTACT_FIELDS: readonly ContactFieldSpec[] = [
  {
    name: 'contactId',
    label: 'Contact id',
    synonyms: [
      'contactid',
      'id',
      'partnerid',
      'referrerid',
      'referralsourceid',
      'organisationid',
      'organizationid',
      'orgid',
      'accountid',
      'recordid',
      'externalid',
      'crmid',
      'customerid',
    ],
    hint: 'Optional. When mapped, identifies the contact across imports; else organisation + contact name do.',
  },
  {
    name: 'organisation',
    label: 'Organisation',
    synonyms: [
      'organisation',
      'organization',
      'organisationname',
      'organizationname',
      'nameoforganisation',
      'nameoforganization',
      'nameoforg',
      'org',
      'orgname',
      'practice',
      'practicename',
      'referringpractice',
      'referringoffice',
      'office',
      'officename',
      'company',
      'companyname',
      'clinic',
      'clinicname',
      'business',
      'businessname',
      'facility',
      'facilityname',
      'accountname',
      'account',
      'agency',
      'institution',
      'partner',
      'partnername',
      'referralsource',
      'school',
      'employer',
      'group',
      'groupname',
    ],
    hint: 'Required: a row without one is rejected.',
  },
  {
    name: 'contactName',
    label: 'Contact person (full name)',
    synonyms: [
      'contactname',
      'contact',
      'contactperson',
      'primarycontact',
      'keycontact',
      'person',
      'fullname',
      'name',
      'attention',
      'attn',
      'referringprovider',
      'referringphysician',
      'referringdoctor',
      'physician',
      'doctor',
      'provider',
    ],
  },
  {
    name: 'contactFirstName',
    label: 'Contact first name',
    synonyms: ['firstname', 'first', 'fname', 'givenname', 'contactfirstname'],
    hint: 'With the last name, used when there is no full-name column.',
  },
  {
    name: 'contactLastName',
    label: 'Contact last name',
    synonyms: ['lastname', 'last', 'lname', 'surname', 'familyname', 'contactlastname'],
  },
  {
    name: 'contactRole',
    label: 'Role / title',
    synonyms: [
      'contactrole',
      'role',
      'contacttitle',
      'title',
      'jobtitle',
      'position',
      'designation',
      'function',
    ],
  },
  {
    name: 'phone1',
    label: 'Phone (main)',
    synonyms: [
      'phone1',
      'phone',
      'phonenumber',
      'phoneno',
      'telephone',
      'tel',
      'mainphone',
      'mainline',
      'main',
      'officephone',
      'officenumber',
      'workphone',
      'businessphone',
      'primaryphone',
      'contactphone',
      'contactphone1',
      'phonenumber1',
    ],
    hint: 'Fax columns are never read as phones.',
  },
  {
    name: 'phone1Extension',
    label: 'Extension of the main phone',
    synonyms: ['phone1extension', 'phoneextension', 'phoneext', 'extension', 'ext', 'phone1ext'],
  },
  {
    name: 'phone2',
    label: 'Phone 2',
    synonyms: [
      'phone2',
      'phonenumber2',
      'contactphone2',
      'directphone',
      'directline',
      'direct',
      'directdial',
      'altphone',
      'alternatephone',
      'otherphone',
    ],
  },
  { name: 'phone3', label: 'Phone 3', synonyms: ['phone3', 'phonenumber3', 'contactphone3'] },
  {
    name: 'mobile',
    label: 'Mobile',
    synonyms: ['mobile', 'mobilephone', 'mobilenumber', 'cell', 'cellphone', 'cellnumber', 'wireless'],
  },
  {
    name: 'email',
    label: 'Email',
    synonyms: ['email', 'emailaddress', 'contactemail', 'businessemail', 'workemail', 'email1', 'emailid'],
  },
  {
    name: 'address',
    label: 'Street address',
    synonyms: [
      'address',
      'address1',
      'addressline1',
      'street',
      'streetaddress',
      'street1',
      'addr',
      'addr1',
      'mailingaddress',
      'mailingstreet',
      'physicaladdress',
      'officeaddress',
      'businessaddress',
    ],
  },
  {
    name: 'address2',
    label: 'Address line 2 (suite, unit)',
    synonyms: ['address2', 'addressline2', 'street2', 'addr2', 'suite', 'unit', 'suiteunit'],
  },
  { name: 'city', label: 'City', synonyms: ['city', 'town', 'addresscity', 'mailingcity', 'officecity'] },
  {
    name: 'state',
    label: 'State',
    synonyms: ['state', 'st', 'stateprovince', 'province', 'statecode', 'mailingstate', 'addressstate'],
  },
  {
    name: 'zip',
    label: 'ZIP',
    synonyms: [
      'zip',
      'zipcode',
      'postalcode',
      'postcode',
      'zip5',
      'postal',
      'mailingzip',
      'mailingpostalcode',
      'addresszip',
    ],
  },
  {
    name: 'doNotCall',
    label: 'Do not call flag',
    synonyms: ['donotcall', 'dnc', 'nocall', 'optout', 'donotcontact', 'phoneoptout'],
    hint: 'A flagged contact is never called; a later import never lifts it.',
  },
];

const contactMappingSchema = z
  .object({
    /** Field → column header as it appears in the file. */
    columns: z.record(z.string(), z.string().min(1)),
    /** Overrides sniffing. */
    encoding: z.enum(['utf-8', 'windows-1252']).optional(),
    delimiter: z.enum(DELIMITERS).optional(),
  })
  .strict();
export type ContactMapping = z.infer<typeof contactMappingSchema>;

/** Parses a mapping from a request or a file (an object or its JSON text); errors name the path. */
export function parseContactMapping(input: unknown): ContactMapping {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw DomainError.invalid('invalid mapping: not JSON');
    }
  }
  const result = contactMappingSchema.safeParse(value);
  if (!result.success) {
    throw DomainError.invalid(
      'invalid mapping: ' +
        result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    );
  }
  return result.data;
}

/** A fax number is never a phone to call, whatever else its header says ("Office Fax", "Phone/Fax"). */
const FAX = /fax/;

const PHONE_LIKE = /phone|tel|cell|mobile/;
const NOT_A_NUMBER = /type|ext/;
const PHONE_SLOTS: readonly ContactField[] = ['phone1', 'phone2', 'phone3'];

export interface SuggestedContactMapping {
  columns: Partial<Record<ContactField, string>>;
  /** Headers no field claimed (ignored by the import). */
  unmapped: string[];
}

/**
 * Proposes a mapping from header spellings: exact synonyms first (fields in order), then, for
 * headers still free, the synonym the header contains, preferring one it ends with and then the
 * longest ("Office Address" → address, "Primary Contact Phone #" → phone); phone columns
 * left over fill the free phone slots. Each column serves at most one field; fax columns none.
 */
export function suggestContactMapping(headers: readonly string[]): SuggestedContactMapping {
  const normalized = headers.map(normalizeHeader);
  const taken = new Set<number>();
  const columns: Partial<Record<ContactField, string>> = {};
  const usable = (i: number) => !taken.has(i) && normalized[i] !== '' && !FAX.test(normalized[i]);
  const claim = (field: ContactField, i: number) => {
    columns[field] = headers[i];
    taken.add(i);
  };

  for (const field of CONTACT_FIELDS) {
    for (const syn of field.synonyms) {
      const i = normalized.findIndex((n, j) => n === syn && usable(j));
      if (i >= 0) {
        claim(field.name, i);
        break;
      }
    }
  }

  for (let i = 0; i < headers.length; i++) {
    if (!usable(i)) continue;
    const n = normalized[i];
    let best: { field: ContactField; score: number } | null = null;
    for (const field of CONTACT_FIELDS) {
      for (const syn of field.synonyms) {
        // Short synonyms ("id", "st", "tel") would match inside unrelated words.
        if (syn.length < 4 || !n.includes(syn)) continue;
        const score = (n.endsWith(syn) ? 1000 : 0) + syn.length;
        if (!best || score > best.score) best = { field: field.name, score };
      }
    }
    // What a header means does not depend on which fields are still free.
    if (best && columns[best.field] === undefined) claim(best.field, i);
  }

  // Further phone columns ("Office Phone" beside "Phone") fill the free phone slots.
  for (let i = 0; i < headers.length; i++) {
    if (!usable(i) || !PHONE_LIKE.test(normalized[i]) || NOT_A_NUMBER.test(normalized[i])) continue;
    const slot = PHONE_SLOTS.find((f) => columns[f] === undefined);
    if (slot) claim(slot, i);
  }

  // A list with one "Name" column and no organisation column lists organisations.
  if (columns.organisation === undefined && columns.contactName !== undefined) {
    if (normalizeHeader(columns.contactName) === 'name') {
      columns.organisation = columns.contactName;
      delete columns.contactName;
    }
  }
  return { columns, unmapped: headers.filter((h, i) => !taken.has(i) && h !== '') };
}

export type ContactColumnIndex = Partial<Record<ContactField, number>>;

/**
 * Checks a mapping against a file's headers (exact header first, then its normalised
 * spelling); every problem names the field and the column so the user can fix the mapping.
 */
export function resolveContactColumns(
  mapping: ContactMapping,
  headers: readonly string[],
): { index: ContactColumnIndex; problems: string[] } {
  const known = new Set<string>(CONTACT_FIELD_NAMES);
  const exact = new Map<string, number>();
  const loose = new Map<string, number>();
  headers.forEach((h, i) => {
    if (!exact.has(h)) exact.set(h, i);
    const n = normalizeHeader(h);
    if (n && !loose.has(n)) loose.set(n, i);
  });
  const index: ContactColumnIndex = {};
  const problems: string[] = [];
  for (const [field, column] of Object.entries(mapping.columns)) {
    if (!known.has(field)) {
      problems.push(`"${field}" is not a contact field (fields: ${CONTACT_FIELD_NAMES.join(', ')})`);
      continue;
    }
    const i = exact.get(column) ?? loose.get(normalizeHeader(column));
    if (i === undefined) {
      problems.push(`${field}: column "${column}" is not in the file (columns: ${headers.join(', ')})`);
      continue;
    }
    index[field as ContactField] = i;
  }
  if (index.organisation === undefined && !problems.some((p) => p.startsWith('organisation:'))) {
    problems.push(`organisation: map the column holding the organisation (columns: ${headers.join(', ')})`);
  }
  return { index, problems };
}
