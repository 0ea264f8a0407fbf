import { callability, type CallabilityInput } from './callability';

describe('callability', () => {
  const patient = (change: Partial<CallabilityInput> = {}): CallabilityInput => ({
    mergedIntoId: null,
    deceased: false,
    doNotCallAt: null,
    inactive: false,
    phones: [{ e164: '+16195550101', extension: null, raw: '619-555-0101', type: 'mobile', valid: true }],
    nextAppointmentOn: null,
    ...change,
  });

  it('an inactive patient is not callable, and says so', () => {
    expect(callability(patient())).toEqual({ callable: true, reasons: [], explanation: 'callable' });
    expect(callability(patient({ inactive: true }))).toEqual({
      callable: false,
      reasons: ['inactive'],
      explanation: 'not callable: marked inactive in the EMR',
    });
  });

  it('lists every reason, inactive after do-not-call', () => {
    const c = callability(patient({ inactive: true, doNotCallAt: '2026-01-01T00:00:00Z', deceased: true }));
    expect(c.reasons).toEqual(['deceased', 'do_not_call', 'inactive']);
  });
});
