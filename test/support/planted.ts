/**
 * Distinctive values of the patients in test/fixtures/privacy/patients.csv: wherever patient
 * data must not be (logs, queue payloads, audit rows, owners' exports), none of these may appear.
 */
export const PLANTED = [
  'Zephyrine',
  'Quillbottom',
  'Snodgrassia',
  'Wrenfeather',
  'Brimblecombe',
  'Fennimore',
  'MRN-ZQ-4471',
  'MRN-OB-7704',
  '5550147',
  '555-0147',
  '5550157',
  '1958-04-17',
];

export const planted = (text: string): string[] => PLANTED.filter((p) => text.includes(p));
