import { parseDate, type DateKind } from '../normalize/dates';
import { cleanName, normalizeForMatch, splitFullName } from '../normalize/names';
import { inactiveValues, readInactive } from '../normalize/patient-status';
import { normalizePhoneType, parsePhone, type Phone, type PhoneType } from '../normalize/phones';
import { normalizeState, normalizeZip, resolveTimeZone } from '../normalize/places';
import { copyLine } from './copy-text';
import type { RowHandler, RowIssues } from './process-chunk';
import type { RowContext } from './row-context';

/** Columns of the patients staging table, in COPY order. */
export const PATIENT_STAGING_COLUMNS = [
  'line',
  'mrn',
  'join_key',
  'first_name',
  'middle_name',
  'last_name',
  'match_name',
  'birth_date',
  'sex',
  'email',
  'address',
  'city',
  'state',
  'zip',
  'time_zone',
  'time_zone_source',
  'phones',
  'provider',
  'location',
  'deceased',
  'deceased_on',
  'listed_last_visit_on',
  'listed_last_appointment_on',
  'listed_last_appointment_status',
  'listed_next_appointment_on',
  'do_not_call',
  /** null when the row gives no status: the patient keeps the stored one. */
  'inactive',
] as const;

const PHONE_PREFERENCE: Record<PhoneType, number> = { mobile: 0, home: 1, work: 2, other: 3 };
const MAX_PHONES = 3;
const SEX: Record<string, string> = {
  m: 'M',
  male: 'M',
  f: 'F',
  female: 'F',
  x: 'X',
  u: 'U',
  unknown: 'U',
  o: 'X',
  other: 'X',
};
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Normalises one patients-file row into a staging line; every dropped value leaves a warning. */
export class PatientRows implements RowHandler {
  private readonly col: Record<string, number>;
  private readonly headers: string[];
  private readonly deceasedCodes: Set<string>;
  private readonly dncCodes: Set<string>;
  private readonly inactiveValues: Set<string>;

  constructor(private readonly ctx: RowContext) {
    this.col = ctx.index;
    this.headers = ctx.headers;
    this.deceasedCodes = new Set(ctx.deceasedCodes.map((c) => c.trim().toLowerCase()));
    this.dncCodes = new Set(ctx.doNotCallCodes.map((c) => c.trim().toLowerCase()));
    this.inactiveValues = inactiveValues(this.header('patientStatus'), ctx.inactiveCodes);
  }

  private cell(cells: string[], field: string): string {
    const i = this.col[field];
    return i === undefined ? '' : (cells[i] ?? '').trim();
  }

  private header(field: string): string {
    return this.headers[this.col[field]] ?? field;
  }

  private date(cells: string[], field: string, kind: DateKind, issues: RowIssues): string | null {
    const raw = this.cell(cells, field);
    if (raw === '') return null;
    const r = parseDate(raw, { today: this.ctx.today, kind, order: this.ctx.mapping.dateOrder });
    if (r.ok) return r.value;
    issues.warn(this.header(field), `${r.reason}; left empty`);
    return null;
  }

  handle(cells: string[], line: number, issues: RowIssues): string | null {
    const mrn = this.cell(cells, 'patientId');
    if (mrn === '') {
      issues.reject(this.col.patientId === undefined ? null : this.header('patientId'), 'no patient id');
      return null;
    }
    let first = cleanName(this.cell(cells, 'firstName'));
    let middle = cleanName(this.cell(cells, 'middleName'));
    let last = cleanName(this.cell(cells, 'lastName'));
    if (!first && !last && this.col.fullName !== undefined) {
      const full = splitFullName(this.cell(cells, 'fullName'));
      first = full.first;
      middle = middle ?? full.middle;
      last = full.last;
    }
    if (!first && !last) {
      const column =
        this.col.fullName !== undefined
          ? this.header('fullName')
          : this.col.lastName !== undefined
            ? this.header('lastName')
            : null;
      issues.reject(column, 'no name');
      return null;
    }

    const birthDate = this.date(cells, 'birthDate', 'birth', issues);

    const sexRaw = this.cell(cells, 'sex');
    const sex = sexRaw === '' ? null : (SEX[sexRaw.toLowerCase()] ?? sexRaw);

    let email: string | null = this.cell(cells, 'email') || null;
    if (email && !EMAIL.test(email)) {
      issues.warn(this.header('email'), `not an email address: '${email}'; kept as written`);
    }
    email = email?.toLowerCase() ?? null;

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
    const tz = resolveTimeZone(zip ? zip.slice(0, 5) : null, state, this.ctx.practiceZone);

    const phones = this.phones(cells, issues);

    const deceasedOn = this.date(cells, 'deceasedDate', 'event', issues);
    const deceasedRaw = this.cell(cells, 'deceasedStatus').toLowerCase();
    const deceased = deceasedOn !== null || (deceasedRaw !== '' && this.deceasedCodes.has(deceasedRaw));

    const dncRaw = this.cell(cells, 'doNotCall').toLowerCase();
    const doNotCall = dncRaw !== '' && this.dncCodes.has(dncRaw);
    const inactive = readInactive(this.cell(cells, 'patientStatus'), this.inactiveValues);

    let lastApptStatus: string | null = null;
    const statusRaw = this.cell(cells, 'lastAppointmentStatus');
    if (statusRaw !== '') {
      lastApptStatus = this.ctx.statusCodes[statusRaw.toLowerCase()] ?? 'unknown';
      if (lastApptStatus === 'unknown') {
        issues.warn(
          this.header('lastAppointmentStatus'),
          `unknown appointment status '${statusRaw}': map it in the profile's status codes`,
        );
      }
    }

    const joinKey = this.cell(cells, 'joinKey') || mrn;
    return copyLine([
      line,
      mrn,
      joinKey,
      first,
      middle,
      last,
      `${normalizeForMatch(first ?? '')} ${normalizeForMatch(last ?? '')}`,
      birthDate,
      sex,
      email,
      cleanName(this.cell(cells, 'address')),
      cleanName(this.cell(cells, 'city')),
      state,
      zip,
      tz.zone,
      tz.source,
      JSON.stringify(phones),
      cleanName(this.cell(cells, 'provider')),
      cleanName(this.cell(cells, 'location')),
      deceased,
      deceasedOn,
      this.date(cells, 'lastVisit', 'event', issues),
      this.date(cells, 'lastAppointment', 'event', issues),
      lastApptStatus,
      this.date(cells, 'nextAppointment', 'event', issues),
      doNotCall,
      inactive,
    ]);
  }

  private phones(cells: string[], issues: RowIssues): Omit<Phone, 'reason'>[] {
    const found: { phone: Phone; column: string }[] = [];
    const add = (field: string, type: PhoneType) => {
      const raw = this.cell(cells, field);
      if (raw === '') return;
      const phone = parsePhone(raw, type);
      if (!phone) return;
      if (!phone.valid)
        issues.warn(
          this.header(field),
          `${phone.reason ?? 'not a valid phone number'}: '${raw}'; kept, never dialled`,
        );
      if (
        !found.some(
          (f) =>
            f.phone.e164 !== null && f.phone.e164 === phone.e164 && f.phone.extension === phone.extension,
        )
      ) {
        found.push({ phone, column: this.header(field) });
      }
    };
    add('mobilePhone', 'mobile');
    add('homePhone', 'home');
    add('workPhone', 'work');
    for (const n of [1, 2, 3]) {
      if (this.col[`phone${n}`] === undefined) continue;
      const typeRaw = this.cell(cells, `phone${n}Type`);
      add(`phone${n}`, (typeRaw && normalizePhoneType(typeRaw)) || 'other');
    }
    found.sort(
      (a, b) =>
        Number(b.phone.valid) - Number(a.phone.valid) ||
        PHONE_PREFERENCE[a.phone.type] - PHONE_PREFERENCE[b.phone.type],
    );
    for (const extra of found.slice(MAX_PHONES)) {
      issues.warn(extra.column, `more than ${MAX_PHONES} phones: '${extra.phone.raw}' not kept`);
    }
    return found.slice(0, MAX_PHONES).map(({ phone }) => ({
      e164: phone.e164,
      extension: phone.extension,
      raw: phone.raw,
      type: phone.type,
      valid: phone.valid,
    }));
  }
}
