import { suggestMapping } from './mapping';

describe('suggestMapping: patient status', () => {
  const columns = (headers: string[]) => suggestMapping('patients', headers).mapping.columns;

  it('maps Open Dental PatStatus next to a last-appointment status', () => {
    expect(columns(['PatNum', 'LName', 'FName', 'LastApptStatus', 'PatStatus'])).toEqual({
      patientId: 'PatNum',
      lastName: 'LName',
      firstName: 'FName',
      lastAppointmentStatus: 'LastApptStatus',
      patientStatus: 'PatStatus',
    });
  });

  it('takes a plain "Status" or "Active" column, after the deceased status has taken its own', () => {
    expect(columns(['MRN', 'Name', 'Vital Status', 'Status'])).toMatchObject({
      deceasedStatus: 'Vital Status',
      patientStatus: 'Status',
    });
    expect(columns(['MRN', 'Name', 'Deceased', 'Active'])).toMatchObject({
      deceasedStatus: 'Deceased',
      patientStatus: 'Active',
    });
    expect(columns(['MRN', 'Name', 'Is Inactive']).patientStatus).toBe('Is Inactive');
    expect(columns(['PAT_MRN_ID', 'PAT_NAME', 'PAT_STATUS_C']).patientStatus).toBe('PAT_STATUS_C');
  });

  it('does not read "status" or "active" inside other headers', () => {
    const headers = ['MRN', 'Name', 'Marital Status', 'Appt Status', 'Inactive Date', 'Active Insurance'];
    const suggested = suggestMapping('patients', headers);
    expect(suggested.mapping.columns.patientStatus).toBeUndefined();
    expect(suggested.unmapped).toEqual([
      'Marital Status',
      'Appt Status',
      'Inactive Date',
      'Active Insurance',
    ]);
  });

  it('leaves the appointments file status where it was', () => {
    expect(
      suggestMapping('appointments', ['aptnum', 'patnum', 'aptdatetime', 'Status']).mapping.columns,
    ).toEqual({
      visitId: 'aptnum',
      patientKey: 'patnum',
      date: 'aptdatetime',
      status: 'Status',
    });
  });
});
