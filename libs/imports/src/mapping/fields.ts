import type { FileKind } from '../entities/patient-import.entity';

export interface FieldSpec {
  /** Canonical field name used in mappings. */
  name: string;
  label: string;
  /** Normalised header spellings (lower-case, letters and digits only) that mean this field. */
  synonyms: string[];
  /**
   * Spellings that mean this field only as the whole header: too generic to look for inside
   * longer ones ("status" is in "Marital Status", "active" in "Inactive").
   */
  exactSynonyms?: string[];
  /** What the importer does with it, shown beside the mapping. */
  hint?: string;
}

/**
 * Every field the importer understands, per file kind, with the header spellings real EMR
 * exports use (OpenEMR, Open Dental, Epic Clarity, athena, eClinicalWorks, Dentrix, Synthea…).
 */
export const PATIENT_FIELDS: readonly FieldSpec[] = [
  {
    name: 'patientId',
    label: 'Patient id (MRN)',
    synonyms: [
      'mrn',
      'pubpid',
      'patnum',
      'patmrnid',
      'patientid',
      'patid',
      'pid',
      'id',
      'patientnumber',
      'patientno',
      'medicalrecordnumber',
      'medicalrecordno',
      'chartnumber',
      'chartno',
      'chart',
      'accountnumber',
      'accountno',
      'acctno',
      'personid',
      'patientmrn',
      'mrnumber',
      'enterpriseid',
    ],
    hint: 'Required. Identifies the patient across imports.',
  },
  {
    name: 'joinKey',
    label: 'Key used by the other files',
    synonyms: ['internalid', 'patientkey', 'patientguid', 'guid', 'uuid'],
    hint: 'Only when appointments/encounters refer to patients by something other than the MRN.',
  },
  {
    name: 'fullName',
    label: 'Full name (one column)',
    synonyms: ['name', 'patientname', 'patname', 'fullname', 'patient', 'lastfirst', 'namelastfirst'],
    hint: '"LAST, FIRST M" or "First Last".',
  },
  {
    name: 'firstName',
    label: 'First name',
    synonyms: [
      'first',
      'firstname',
      'fname',
      'givenname',
      'given',
      'patfirstname',
      'patientfirstname',
      'namefirst',
    ],
  },
  {
    name: 'middleName',
    label: 'Middle name',
    synonyms: ['middle', 'middlename', 'mname', 'middleinitial', 'mi', 'preferredmiddle'],
  },
  {
    name: 'lastName',
    label: 'Last name',
    synonyms: [
      'last',
      'lastname',
      'lname',
      'surname',
      'familyname',
      'family',
      'patlastname',
      'patientlastname',
      'namelast',
    ],
  },
  {
    name: 'birthDate',
    label: 'Date of birth',
    synonyms: ['dob', 'birthdate', 'dateofbirth', 'birthday', 'birthdt', 'patdob', 'patientdob', 'bdate'],
  },
  { name: 'sex', label: 'Sex', synonyms: ['sex', 'gender', 'patsex', 'sexatbirth', 'administrativesex'] },
  { name: 'email', label: 'Email', synonyms: ['email', 'emailaddress', 'email1', 'patemail', 'mail'] },
  {
    name: 'address',
    label: 'Street address',
    synonyms: ['address', 'address1', 'addressline1', 'street', 'streetaddress', 'addr1', 'add1'],
  },
  { name: 'city', label: 'City', synonyms: ['city', 'town', 'addresscity'] },
  {
    name: 'state',
    label: 'State',
    synonyms: ['state', 'st', 'stateprovince', 'province', 'addressstate', 'statecode'],
  },
  {
    name: 'zip',
    label: 'ZIP',
    synonyms: ['zip', 'zipcode', 'postalcode', 'postcode', 'zip5', 'addresszip', 'postal'],
  },
  {
    name: 'mobilePhone',
    label: 'Mobile phone',
    synonyms: [
      'mobile',
      'mobilephone',
      'cell',
      'cellphone',
      'wirelessphone',
      'wireless',
      'cellnumber',
      'mobilenumber',
      'phonecell',
      'phonemobile',
    ],
  },
  {
    name: 'homePhone',
    label: 'Home phone',
    synonyms: [
      'home',
      'homephone',
      'phonehome',
      'hmphone',
      'homenumber',
      'phone',
      'phonenumber',
      'telephone',
      'tel',
      'primaryphone',
    ],
  },
  {
    name: 'workPhone',
    label: 'Work phone',
    synonyms: ['work', 'workphone', 'phonework', 'wkphone', 'businessphone', 'officephone', 'phonebiz'],
  },
  { name: 'phone1', label: 'Phone 1', synonyms: ['phone1', 'phonenumber1', 'contactphone1'] },
  { name: 'phone1Type', label: 'Phone 1 type', synonyms: ['phone1type', 'phonetype1', 'phonetype'] },
  {
    name: 'phone2',
    label: 'Phone 2',
    synonyms: ['phone2', 'phonenumber2', 'contactphone2', 'altphone', 'alternatephone'],
  },
  { name: 'phone2Type', label: 'Phone 2 type', synonyms: ['phone2type', 'phonetype2'] },
  { name: 'phone3', label: 'Phone 3', synonyms: ['phone3', 'phonenumber3', 'contactphone3'] },
  { name: 'phone3Type', label: 'Phone 3 type', synonyms: ['phone3type', 'phonetype3'] },
  {
    name: 'provider',
    label: 'Provider',
    synonyms: [
      'provider',
      'providername',
      'primaryprovider',
      'pcp',
      'doctor',
      'physician',
      'renderingprovider',
      'priprov',
      'provnum',
      'providerid',
      'dentist',
    ],
  },
  {
    name: 'location',
    label: 'Location / department',
    synonyms: [
      'location',
      'department',
      'dept',
      'clinic',
      'office',
      'facility',
      'site',
      'locationname',
      'departmentname',
      'clinicnum',
      'organization',
    ],
  },
  {
    name: 'deceasedDate',
    label: 'Deceased date',
    synonyms: ['deceaseddate', 'deathdate', 'dateofdeath', 'dod', 'deceaseddt', 'expireddate'],
  },
  {
    name: 'deceasedStatus',
    label: 'Deceased / status code',
    synonyms: ['deceased', 'isdeceased', 'deceasedflag', 'deceasedyn', 'vitalstatus', 'expired'],
  },
  {
    name: 'doNotCall',
    label: 'Do not call flag',
    synonyms: ['donotcall', 'dnc', 'nocall', 'phoneoptout', 'optout', 'donotcontact', 'preferconfirmmethod'],
  },
  {
    name: 'lastVisit',
    label: 'Last visit / encounter date',
    synonyms: [
      'lastvisit',
      'lastvisitdate',
      'lastencounter',
      'lastencounterdate',
      'lastseen',
      'lastseendate',
      'datelastvisit',
      'lastvisitdt',
    ],
  },
  {
    name: 'lastAppointment',
    label: 'Last appointment date',
    synonyms: [
      'lastappointment',
      'lastappointmentdate',
      'lastappt',
      'lastapptdate',
      'prevappt',
      'previousappointment',
    ],
  },
  {
    name: 'lastAppointmentStatus',
    label: 'Last appointment status',
    synonyms: ['lastappointmentstatus', 'lastapptstatus', 'lastapptstat'],
  },
  {
    name: 'nextAppointment',
    label: 'Next appointment date',
    synonyms: [
      'nextappointment',
      'nextappointmentdate',
      'nextappt',
      'nextapptdate',
      'futureappt',
      'nextvisit',
      'nextvisitdate',
    ],
  },
  // Last: in each pass every other field's spellings are tried first.
  {
    name: 'patientStatus',
    label: 'Patient status (active/inactive)',
    synonyms: [
      'patstatus',
      'patientstatus',
      'accountstatus',
      'recordstatus',
      'isactive',
      'activeflag',
      'activeyn',
      'activepatient',
      'isinactive',
      'inactiveflag',
      'inactiveyn',
    ],
    exactSynonyms: ['status', 'active', 'inactive', 'patstat', 'ptstatus'],
    hint:
      'Inactive, archived, non-patient and deleted patients are not called. Numeric codes ' +
      '(Open Dental 0–5) count only when listed as inactive codes.',
  },
];

const VISIT_COMMON: readonly FieldSpec[] = [
  {
    name: 'patientKey',
    label: 'Patient key',
    synonyms: [
      'chart',
      'chartno',
      'accountnumber',
      'accountno',
      'acctno',
      'patientnumber',
      'medicalrecordnumber',
      'pcpid',
      'patient',
      'patientid',
      'patnum',
      'pid',
      'pubpid',
      'patmrnid',
      'mrn',
      'personid',
      'patid',
      'chartnumber',
      'patientmrn',
      'patientkey',
      'patientguid',
    ],
    hint: 'Required. Matches the patients file (its key column, or the MRN).',
  },
  {
    name: 'date',
    label: 'Date (and time)',
    synonyms: [
      'pceventdate',
      'date',
      'start',
      'startdate',
      'starttime',
      'startdatetime',
      'apptdate',
      'appointmentdate',
      'aptdatetime',
      'apptdatetime',
      'encounterdate',
      'visitdate',
      'servicedate',
      'dateofservice',
      'dos',
      'contactdate',
      'scheduleddate',
      'pcedate',
      'eventdate',
    ],
  },
  {
    name: 'time',
    label: 'Time (separate column)',
    synonyms: ['pcstarttime', 'time', 'appttime', 'appointmenttime', 'visittime', 'pcstarttime'],
  },
  {
    name: 'provider',
    label: 'Provider',
    synonyms: [
      'provider',
      'providername',
      'provnum',
      'providerid',
      'doctor',
      'physician',
      'renderingprovider',
      'dentist',
      'visitprovider',
    ],
  },
  {
    name: 'location',
    label: 'Location / department',
    synonyms: [
      'location',
      'department',
      'dept',
      'clinic',
      'office',
      'facility',
      'organization',
      'clinicnum',
      'site',
      'departmentname',
    ],
  },
  {
    name: 'type',
    label: 'Visit type',
    synonyms: [
      'pccatname',
      'type',
      'appttype',
      'appointmenttype',
      'visittype',
      'encountertype',
      'encounterclass',
      'description',
      'reason',
      'category',
      'pccategory',
    ],
  },
];

export const APPOINTMENT_FIELDS: readonly FieldSpec[] = [
  {
    name: 'visitId',
    label: 'Appointment id',
    synonyms: [
      'pceid',
      'aptnum',
      'appointmentid',
      'apptid',
      'appointmentnumber',
      'csn',
      'patenccsnid',
      'id',
      'eid',
      'appointmentno',
      'apptno',
    ],
    hint: 'Makes re-imports update the same appointment.',
  },
  ...VISIT_COMMON,
  {
    name: 'status',
    label: 'Status',
    synonyms: [
      'status',
      'aptstatus',
      'apptstatus',
      'appointmentstatus',
      'apptstatusc',
      'state',
      'pcapptstatus',
      'appointmentstatusname',
    ],
    hint: 'Mapped to completed / no-show / cancelled / scheduled (codes editable).',
  },
];

export const ENCOUNTER_FIELDS: readonly FieldSpec[] = [
  {
    name: 'visitId',
    label: 'Encounter id',
    synonyms: ['encounterid', 'encounter', 'encid', 'visitid', 'csn', 'patenccsnid', 'id', 'procnum'],
  },
  ...VISIT_COMMON,
];

export const FIELDS: Record<FileKind, readonly FieldSpec[]> = {
  patients: PATIENT_FIELDS,
  appointments: APPOINTMENT_FIELDS,
  encounters: ENCOUNTER_FIELDS,
};

/** Lower-case, letters and digits only: "Patient ID" → "patientid", "PAT_MRN_ID" → "patmrnid". */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
