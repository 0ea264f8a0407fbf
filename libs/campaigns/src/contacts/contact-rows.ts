import { DEFAULT_DNC_CODES } from '@recall/imports';
import type { StoredPhone } from '@recall/patients';
import {
  cleanName,
  normalizeState,
  normalizeZip,
  parsePhone,
  type Phone,
} from '../../../imports/src/normalize';
import type { RowIssues } from '../../../imports/src/rows/process-chunk';
import type { ContactColumnIndex, ContactField } from './contact-fields';

export const MAX_CONTACT_PHONES = 3;

/** One accepted row of a contacts list, normalised (time zone still to resolve). */
export interface ContactRow {
  /** Physical line of the file the row starts on. */
  line: number;
  key: string;
  organisation: string;
  contactName: string | null;
  contactRole: string | null;
  phones: StoredPhone[];
  email: string | null;
  address: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  doNotCall: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EXTENSION = /^(?:x|ext\.?|extension)?\s*(\d{1,6})$/i;
const WHITESPACE_RUN = /\s+/g;

/** The key of a contact without a list id: lower-cased, whitespace-collapsed "organisation|contact name". */
export function contactKey(organisation: string, contactName: string | null): string {
  const norm = (s: string) => s.normalize('NFC').replace(WHITESPACE_RUN, ' ').trim().toLowerCase();
  return `${norm(organisation)}|${norm(contactName ?? '')}`;
}

const samePhone = (a: StoredPhone, b: StoredPhone) =>
  a.e164 !== null ? a.e164 === b.e164 && a.extension === b.extension : b.e164 === null && a.raw === b.raw;

/** Distinct phones in the given order, valid ones first (stable). */
function distinctPhones(phones: StoredPhone[]): StoredPhone[] {
  const out: StoredPhone[] = [];
  for (const p of phones) if (!out.some((q) => samePhone(p, q))) out.push(p);
  return out.sort((a, b) => Number(b.valid) - Number(a.valid));
}

const stored = (p: Phone, extension = p.extension): StoredPhone => ({
  e164: p.e164,
  extension,
  raw: p.raw,
  type: p.type,
  valid: p.valid,
});

/** Normalises the rows of one contacts file; every dropped or doubtful value leaves a warning. */
export class ContactRows {
  private readonly dncCodes: ReadonlySet<string>;

  constructor(
    private readonly headers: readonly string[],
    private readonly index: ContactColumnIndex,
    doNotCallCodes: readonly string[] = DEFAULT_DNC_CODES,
  ) {
    this.dncCodes = new Set(doNotCallCodes.map((c) => c.trim().toLowerCase()));
  }

  private cell(cells: string[], field: ContactField): string {
    const i = this.index[field];
    return i === undefined ? '' : (cells[i] ?? '').trim();
  }

  private header(field: ContactField): string | null {
    const i = this.index[field];
    return i === undefined ? null : this.headers[i];
  }

  read(cells: string[], line: number, issues: RowIssues): ContactRow | null {
    const organisation = cleanName(this.cell(cells, 'organisation'));
    if (organisation === null) {
      issues.reject(this.header('organisation'), 'no organisation');
      return null;
    }
    const contactName =
      cleanName(this.cell(cells, 'contactName')) ??
      cleanName(
        [cleanName(this.cell(cells, 'contactFirstName')), cleanName(this.cell(cells, 'contactLastName'))]
          .filter((s) => s !== null)
          .join(' '),
      );

    let key = this.cell(cells, 'contactId');
    if (key === '') {
      key = contactKey(organisation, contactName);
      if (this.index.contactId !== undefined) {
        issues.warn(this.header('contactId'), 'no contact id; identified by organisation and contact name');
      }
    }

    let email: string | null = this.cell(cells, 'email') || null;
    if (email !== null) {
      if (EMAIL.test(email)) email = email.toLowerCase();
      else issues.warn(this.header('email'), `not an email address: '${email}'; kept as written`);
    }

    let state: string | null = null;
    const stateRaw = this.cell(cells, 'state');
    if (stateRaw !== '') {
      const s = normalizeState(stateRaw);
      if (s.ok) state = s.value;
      else issues.warn(this.header('state'), `${s.reason}; left empty`);
    }
    let zip: string | null = null;
    const zipRaw = this.cell(cells, 'zip');
    if (zipRaw !== '') {
      const z = normalizeZip(zipRaw);
      if (z.ok) {
        zip = z.value;
        if (z.restored)
          issues.warn(this.header('zip'), `ZIP '${zipRaw}' lost its leading zero; read as ${zip}`);
      } else issues.warn(this.header('zip'), `${z.reason}; left empty`);
    }

    const street = cleanName(this.cell(cells, 'address'));
    const unit = cleanName(this.cell(cells, 'address2'));
    const address = street && unit ? `${street}, ${unit}` : (street ?? unit);

    const dnc = this.cell(cells, 'doNotCall').toLowerCase();
    return {
      line,
      key,
      organisation,
      contactName,
      contactRole: cleanName(this.cell(cells, 'contactRole')),
      phones: this.phones(cells, issues),
      email,
      address,
      city: cleanName(this.cell(cells, 'city')),
      state,
      zip,
      doNotCall: dnc !== '' && this.dncCodes.has(dnc),
    };
  }

  /** Main phone (with the extension column), phones 2 and 3, mobile: distinct, valid first, at most 3. */
  private phones(cells: string[], issues: RowIssues): StoredPhone[] {
    const found: { phone: StoredPhone; column: string | null }[] = [];
    const add = (field: ContactField, type: 'work' | 'mobile', extension?: string | null) => {
      const raw = this.cell(cells, field);
      if (raw === '') return;
      const phone = parsePhone(raw, type);
      if (phone === null) return;
      if (!phone.valid)
        issues.warn(
          this.header(field),
          `${phone.reason ?? 'not a valid phone number'}: '${raw}'; kept, never dialled`,
        );
      found.push({ phone: stored(phone, phone.extension ?? extension ?? null), column: this.header(field) });
    };

    let extension: string | null = null;
    const extRaw = this.cell(cells, 'phone1Extension');
    if (extRaw !== '') {
      const m = EXTENSION.exec(extRaw);
      if (m) extension = m[1];
      else issues.warn(this.header('phone1Extension'), `not an extension: '${extRaw}'; left empty`);
    }
    add('phone1', 'work', extension);
    add('phone2', 'work');
    add('phone3', 'work');
    add('mobile', 'mobile');

    const distinct = distinctPhones(found.map((f) => f.phone));
    for (const extra of distinct.slice(MAX_CONTACT_PHONES)) {
      const column = found.find((f) => f.phone === extra)?.column ?? null;
      issues.warn(column, `more than ${MAX_CONTACT_PHONES} phones: '${extra.raw}' not kept`);
    }
    return distinct.slice(0, MAX_CONTACT_PHONES);
  }
}

/**
 * Rows repeating a key in one file become one contact: the last row's value for each field,
 * earlier rows filling its blanks, phones unioned (the last row's first, valid first, at most 3).
 */
export function foldContacts(rows: readonly ContactRow[]): { contacts: ContactRow[]; mergedRows: number } {
  const byKey = new Map<string, ContactRow>();
  let mergedRows = 0;
  for (const row of rows) {
    const before = byKey.get(row.key);
    if (before === undefined) {
      byKey.set(row.key, row);
      continue;
    }
    mergedRows++;
    byKey.set(row.key, {
      line: row.line,
      key: row.key,
      organisation: row.organisation,
      contactName: row.contactName ?? before.contactName,
      contactRole: row.contactRole ?? before.contactRole,
      phones: distinctPhones([...row.phones, ...before.phones]).slice(0, MAX_CONTACT_PHONES),
      email: row.email ?? before.email,
      address: row.address ?? before.address,
      city: row.city ?? before.city,
      state: row.state ?? before.state,
      zip: row.zip ?? before.zip,
      doNotCall: row.doNotCall || before.doNotCall,
    });
  }
  return { contacts: [...byKey.values()], mergedRows };
}
