import { loggedPath } from './logging';

describe('loggedPath: what a request log line shows of the URL', () => {
  const id = '0b5c2f5e-6a55-4c1e-9d7b-2f1d7c1f8a10';
  const path = (url: string) => loggedPath({ id: 'r', method: 'GET', url });

  it('keeps ids and route words, and drops the query string', () => {
    expect(path(`/api/practices/${id}/patients?search=Quillbottom`)).toBe(`/api/practices/${id}/patients`);
    expect(path(`/api/practices/${id}/reports/funnel.csv?from=2026-06-01`)).toBe(
      `/api/practices/${id}/reports/funnel.csv`,
    );
  });

  it('replaces any other segment (an MRN, a name, a phone) with :value', () => {
    expect(path(`/api/practices/${id}/patients/by-mrn/MRN-ZQ-4471`)).toBe(
      `/api/practices/${id}/patients/by-mrn/:value`,
    );
    expect(path('/api/x/Quillbottom/%2B13125550147')).toBe('/api/x/:value/:value');
  });
});
