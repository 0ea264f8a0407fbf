import { DEFAULT_INACTIVE_CODES } from '../mapping/mapping';
import { inactiveValues, readInactive, statusColumnKind } from './patient-status';

describe('patient status', () => {
  const read = (header: string, values: string[], extra: string[] = []) => {
    const set = inactiveValues(header, [...DEFAULT_INACTIVE_CODES, ...extra]);
    return values.map((v) => readInactive(v, set));
  };

  it('judges the column by its header: a status, an "active" flag or an "inactive" flag', () => {
    expect(
      ['PatStatus', 'Status', 'Patient Status', 'PAT_STATUS_C', 'Account Status'].map(statusColumnKind),
    ).toEqual(['status', 'status', 'status', 'status', 'status']);
    expect(['Active', 'IsActive', 'Active Flag', 'ACTIVE_YN'].map(statusColumnKind)).toEqual([
      'active_flag',
      'active_flag',
      'active_flag',
      'active_flag',
    ]);
    expect(['Inactive', 'IS_INACTIVE', 'Inactive (Y/N)'].map(statusColumnKind)).toEqual([
      'inactive_flag',
      'inactive_flag',
      'inactive_flag',
    ]);
  });

  it('reads status words in any case; numbers and yes/no say "active" in a status column', () => {
    expect(
      read('PatStatus', ['Inactive', 'ARCHIVED', 'NonPatient', 'Non-Patient', 'non patient', 'Deleted', 'I']),
    ).toEqual([true, true, true, true, true, true, true]);
    expect(read('PatStatus', ['Patient', 'Active', 'Deceased', '0', '1', '2', 'N', 'no', 'Y'])).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('says nothing for an empty cell or a null marker, so the stored status stays', () => {
    expect(read('PatStatus', ['', '   ', 'NULL', 'N/A'])).toEqual([null, null, null, null]);
    expect(read('IsActive', ['', 'null'])).toEqual([null, null]);
  });

  it('reads an active flag: no, false and 0 mean inactive', () => {
    expect(read('IsActive', ['0', 'N', 'No', 'false', 'F', 'Inactive'])).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(read('IsActive', ['1', 'Y', 'yes', 'true', 'Active'])).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('reads an inactive flag the other way round: yes, true and 1 mean inactive', () => {
    expect(read('Inactive', ['Y', '1', 'true', 'X'])).toEqual([true, true, true, true]);
    expect(read('Inactive', ['N', '0', 'false', 'no'])).toEqual([false, false, false, false]);
  });

  it("reads numeric PMS codes through the mapping's inactive codes only", () => {
    // Open Dental PatStatus: 0 Patient, 1 NonPatient, 2 Inactive, 3 Archived, 4 Deceased, 5 Deleted
    expect(read('PatStatus', ['0', '1', '2', '3', '4', '5', ' 3 '], ['1', '2', '3', ' 5 '])).toEqual([
      false,
      true,
      true,
      true,
      false,
      true,
      true,
    ]);
  });
});
