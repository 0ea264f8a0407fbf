import { DateTime } from 'luxon';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sequence } from './seeded-draw';

/**
 * A practice's weekly EMR export in an eClinicalWorks-like layout: a patients report (title
 * lines above the header, M/D/YYYY dates, phones with extensions, ZIPs that lost their leading
 * zero, a few bad rows) and an appointments report joined on the account number.
 */
export type Cohort = 'reactivation' | 'no_show' | 'other';

export interface DemoPatient {
  mrn: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  cohort: Cohort;
}

export interface DemoAppointment {
  id: string;
  mrn: string;
  date: string;
  time: string;
  status: 'Completed' | 'No Show' | 'Cancelled' | 'Scheduled';
  type: string;
}

export interface DemoExport {
  patients: DemoPatient[];
  appointments: DemoAppointment[];
  patientsCsv: string;
  appointmentsCsv: string;
  /** Rows the importer is expected to reject (patients, appointments). */
  badRows: { patients: number; appointments: number };
  cohorts: Record<Cohort, number>;
}

const FIRST = [
  'James',
  'Mary',
  'Robert',
  'Patricia',
  'John',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Carlos',
  'Karen',
  'Daniel',
  'Lisa',
  'Matthew',
  'Nancy',
  'Anthony',
  'Sandra',
  'Mark',
  'Ashley',
  'José',
  'Zoë',
  'Wei',
  'Priya',
  'Aaliyah',
  'Noah',
];
const LAST = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Pérez',
  'Thompson',
  'White',
  'Harris',
  "O'Brien",
  'Nguyen',
  'Patel',
  'Kowalski',
  'Rossi',
  'Cohen',
  'Murphy',
];
const STREETS = [
  'Main St',
  'Oak Ave',
  'Maple Dr',
  'Park Pl',
  'Cedar Ln',
  'Elm St',
  'Washington Ave',
  'Lake Rd',
];
const PROVIDERS = ['Dr. Anita Patel', 'Dr. Samuel Greene', 'Dr. Maria Lopez'];
const TYPES = ['Annual physical', 'Follow-up', 'Sick visit', 'Medicare wellness'];
/** Eastern-time states of one metro area: state, share, area codes, ZIP range, a city. */
const PLACES = [
  { state: 'NY', share: 0.6, codes: [212, 718, 917, 516, 914], zip: [10001, 11999], city: 'New York' },
  { state: 'NJ', share: 0.25, codes: [201, 973, 732], zip: [7001, 8999], city: 'Newark' },
  { state: 'CT', share: 0.1, codes: [203, 860], zip: [6001, 6999], city: 'Stamford' },
  { state: 'PA', share: 0.05, codes: [215, 610], zip: [18001, 19499], city: 'Allentown' },
] as const;

const mdy = (iso: string) => DateTime.fromISO(iso).toFormat('M/d/yyyy');
const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csvLine = (cells: string[]) => cells.map(csvCell).join(',');

export const PATIENT_HEADER = [
  'Account No',
  'Patient Last Name',
  'Patient First Name',
  'Patient DOB',
  'Sex',
  'Cell Phone',
  'Home Phone',
  'Address',
  'City',
  'State',
  'Zip',
  'Patient Status',
  'Deceased Date',
  'Rendering Provider',
];
export const APPOINTMENT_HEADER = [
  'Appt ID',
  'Account No',
  'Appt Date',
  'Appt Time',
  'Appt Status',
  'Visit Type',
  'Rendering Provider',
];

/**
 * Generates `count` patients as of `asOf` (the practice-local day of the export): ~70 % last
 * seen 12–36 months ago (reactivation), ~15 % with a recent no-show (no-show campaign), the
 * rest recently seen, long gone, booked ahead, deceased, inactive or without a valid phone.
 */
export function generateDemoExport(seed: number, count: number, asOf: string): DemoExport {
  const next = sequence(seed ^ 0x5eed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const one = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  const day = DateTime.fromISO(asOf);
  const ago = (days: number) => day.minus({ days }).toISODate()!;
  const patients: DemoPatient[] = [];
  const appointments: DemoAppointment[] = [];
  const patientLines: string[] = [];
  const cohorts: Record<Cohort, number> = { reactivation: 0, no_show: 0, other: 0 };
  let apptSeq = 0;
  const appt = (mrn: string, date: string, status: DemoAppointment['status']) =>
    appointments.push({
      id: `AP${String(++apptSeq).padStart(7, '0')}`,
      mrn,
      date,
      time: `${String(int(8, 16)).padStart(2, '0')}:${one(['00', '15', '30', '45'])}`,
      status,
      type: one(TYPES),
    });

  for (let i = 0; i < count; i++) {
    const mrn = String(100001 + i);
    const r = next();
    const cohort: Cohort = r < 0.7 ? 'reactivation' : r < 0.85 ? 'no_show' : 'other';
    cohorts[cohort]++;
    const age = int(0, 99) < 4 ? int(8, 17) : int(18, 92);
    const birthDate = day.minus({ years: age, days: int(1, 364) }).toISODate()!;
    const place = (() => {
      let x = next();
      for (const p of PLACES) if ((x -= p.share) < 0) return p;
      return PLACES[0];
    })();
    const zip = int(place.zip[0], place.zip[1]);
    // Spreadsheets drop the leading zero of New England ZIPs (the importer restores it).
    const zipText = zip < 10000 && next() < 0.3 ? String(zip) : String(zip).padStart(5, '0');
    const exchange = 200 + (i % 700);
    const line = 1000 + Math.floor(i / 700);
    const mobile = next() < 0.85 ? `(${one(place.codes)}) ${exchange}-${line}` : '';
    let home = next() < 0.55 || !mobile ? `(${one(place.codes)}) ${exchange}-${line + 5000}` : '';
    if (home && next() < 0.03) home += ` x${int(100, 999)}`;
    const firstName = one(FIRST);
    const lastName = one(LAST);
    let status = 'Active';
    let deceased = '';
    let cellOut = mobile;
    let homeOut = home;
    if (cohort === 'other') {
      const kind = next();
      if (kind < 0.08) deceased = mdy(ago(int(30, 400)));
      else if (kind < 0.16) status = 'Inactive';
      else if (kind < 0.22) [cellOut, homeOut] = ['555-01', ''];
    }
    patients.push({ mrn, firstName, lastName, birthDate, cohort });
    patientLines.push(
      csvLine([
        mrn,
        lastName,
        firstName,
        mdy(birthDate),
        next() < 0.5 ? 'F' : 'M',
        cellOut,
        homeOut,
        `${int(1, 999)} ${one(STREETS)}`,
        place.city,
        place.state,
        zipText,
        status,
        deceased,
        one(PROVIDERS),
      ]),
    );

    if (cohort === 'reactivation') {
      const last = int(380, 1080);
      if (next() < 0.6) appt(mrn, ago(last + int(150, 400)), 'Completed');
      appt(mrn, ago(last), 'Completed');
    } else if (cohort === 'no_show') {
      appt(mrn, ago(int(120, 300)), 'Completed');
      appt(mrn, ago(int(10, 80)), 'No Show');
    } else {
      const kind = next();
      if (kind < 0.5) appt(mrn, ago(int(10, 330)), 'Completed');
      else if (kind < 0.7) appt(mrn, ago(int(1150, 1800)), 'Completed');
      else {
        appt(mrn, ago(int(60, 300)), 'Completed');
        appt(mrn, day.plus({ days: int(3, 25) }).toISODate()!, 'Scheduled');
      }
      if (next() < 0.2) appt(mrn, ago(int(5, 200)), 'Cancelled');
    }
  }

  // A few bad rows, as real exports have them: no account number, a date that is not one,
  // an appointment for a patient the file does not list.
  const bad = Math.max(3, Math.round(count / 400));
  for (let b = 0; b < bad; b++) {
    const at = Math.floor(((b + 1) * patientLines.length) / (bad + 1));
    patientLines.splice(
      at,
      0,
      csvLine([
        '',
        one(LAST),
        one(FIRST),
        mdy(ago(int(7000, 25000))),
        'F',
        '(212) 555-0142',
        '',
        '1 Main St',
        'New York',
        'NY',
        '10001',
        'Active',
        '',
        one(PROVIDERS),
      ]),
    );
  }
  const appointmentLines = appointments.map(appointmentLine);
  appointmentLines.push(
    appointmentLine({
      id: 'AP9999999',
      mrn: '999999',
      date: ago(40),
      time: '09:00',
      status: 'Completed',
      type: 'Follow-up',
    }),
  );
  const patientsCsv =
    [
      'Patient Demographics Report',
      `Run Date: ${day.toFormat('MM/dd/yyyy')},Facility: All`,
      '',
      csvLine(PATIENT_HEADER),
      ...patientLines,
    ].join('\r\n') + '\r\n';
  return {
    patients,
    appointments,
    patientsCsv,
    appointmentsCsv: [csvLine(APPOINTMENT_HEADER), ...appointmentLines].join('\r\n') + '\r\n',
    badRows: { patients: bad, appointments: 1 },
    cohorts,
  };
}

export function appointmentLine(a: DemoAppointment): string {
  return csvLine([a.id, a.mrn, mdy(a.date), a.time, a.status, a.type, PROVIDERS[0]]);
}

export interface Booking {
  mrn: string;
  /** Practice-local date and time of the booked appointment. */
  date: string;
  time: string;
  kept: boolean;
}

/**
 * The next week's appointments export: every earlier row, and each booking whose day has
 * passed by `asOf`, completed or a no-show as the simulation decided.
 */
export function followUpAppointmentsCsv(base: DemoExport, bookings: Booking[], asOf: string): string {
  const rows = [...base.appointments.map(appointmentLine)];
  for (const b of [...bookings].sort((x, y) => (x.mrn < y.mrn ? -1 : x.mrn > y.mrn ? 1 : 0))) {
    if (b.date >= asOf) continue;
    rows.push(
      appointmentLine({
        id: `BK${b.mrn}`,
        mrn: b.mrn,
        date: b.date,
        time: b.time,
        status: b.kept ? 'Completed' : 'No Show',
        type: 'Recall visit',
      }),
    );
  }
  return [csvLine(APPOINTMENT_HEADER), ...rows].join('\r\n') + '\r\n';
}

/** Writes the export to a new directory under `dir`; returns the file paths. */
export function writeDemoFiles(
  dir: string,
  name: string,
  files: { patients: string; appointments: string },
): { patients: string; appointments: string } {
  const target = path.join(dir, name);
  mkdirSync(target, { recursive: true });
  const out = {
    patients: path.join(target, 'patients.csv'),
    appointments: path.join(target, 'appointments.csv'),
  };
  writeFileSync(out.patients, files.patients);
  writeFileSync(out.appointments, files.appointments);
  return out;
}
