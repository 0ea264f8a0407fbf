import { bookingProbability, dialTime, keptVisit, pickupProbability, simulateCall } from './call-model';
import { followUpAppointmentsCsv, generateDemoExport } from './demo-export';
import { draw } from './seeded-draw';
import { ageBand, DEFAULT_SIMULATION_PARAMS as P, resolveSimulationParams } from './simulation-params';

const call = (mrn: string, attempt: number, localHour = 11, callback = false) =>
  simulateCall(P, { seed: 1, campaign: 'reactivation', mrn, attempt, localHour, ageBand: '50-64', callback });
const CONTACTS = new Set(['DONE', 'CBACK', 'HUNGUP', 'LOST', 'DNC', 'RECONFIRMED']);

describe('the call model', () => {
  it('is a pure function of the seed and the call', () => {
    expect(call('100001', 1)).toEqual(call('100001', 1));
    expect(draw(3, 'a', 1)).toBe(draw(3, 'a', 1));
    expect(draw(3, 'a', 1)).not.toBe(draw(4, 'a', 1));
    expect(dialTime(P, 1, 'x', '7', 2)).toEqual(dialTime(P, 1, 'x', '7', 2));
  });

  it('reaches about the pickup rate, and books less with each attempt', () => {
    const n = 10_000;
    const rates = [1, 2, 3].map((attempt) => {
      let contacts = 0;
      let bookings = 0;
      for (let i = 0; i < n; i++) {
        const c = call(String(i), attempt);
        if (CONTACTS.has(c.code)) contacts++;
        if (c.code === 'DONE') bookings++;
      }
      return { pickup: contacts / n, booking: bookings / contacts };
    });
    const expected = pickupProbability(P, {
      seed: 1,
      campaign: 'reactivation',
      mrn: '1',
      attempt: 1,
      localHour: 11,
      ageBand: '50-64',
      callback: false,
    });
    for (const r of rates) expect(Math.abs(r.pickup - expected)).toBeLessThan(0.02);
    rates.forEach((r, i) => expect(Math.abs(r.booking - bookingProbability(P, i + 1))).toBeLessThan(0.05));
    expect(rates[0].booking).toBeGreaterThan(rates[1].booking);
    expect(rates[1].booking).toBeGreaterThan(rates[2].booking);
  });

  it('gives what each code needs, and flags a few remarks', () => {
    let flagged = 0;
    for (let i = 0; i < 5000; i++) {
      const c = call(String(i), 2, 17);
      if (c.code === 'DONE' || c.code === 'RECONFIRMED')
        expect(c.daysAhead).toBeGreaterThanOrEqual(P.leadDays.min);
      if (c.code === 'CBACK') expect(c.daysAhead).toBe(7);
      if (c.code === 'LOST') expect(c.reason).toBeTruthy();
      if (c.remarks && c.code !== 'DNC') flagged++;
    }
    expect(flagged).toBeGreaterThan(0);
  });

  it('keeps about the show rate of bookings', () => {
    let kept = 0;
    for (let i = 0; i < 10_000; i++) if (keptVisit(P, 9, 'no_show', String(i))) kept++;
    expect(Math.abs(kept / 10_000 - P.showRate)).toBeLessThan(0.02);
  });

  it('validates parameters and bands ages as the reports do', () => {
    expect(() => resolveSimulationParams({ pickupRate: 1.5 })).toThrow(/pickupRate/);
    expect(ageBand('1960-06-15', '2026-06-14')).toBe('65-79');
    expect(ageBand('1960-06-15', '2026-06-15')).toBe('65-79');
    expect(ageBand('2010-01-01', '2026-01-01')).toBe('<18');
    expect(ageBand(null, '2026-01-01')).toBe('unknown');
  });
});

describe('the demo export', () => {
  const exp = generateDemoExport(5, 500, '2026-02-02');

  it('is the same for the same seed, with cohorts, title lines and bad rows', () => {
    expect(generateDemoExport(5, 500, '2026-02-02').patientsCsv).toBe(exp.patientsCsv);
    expect(exp.patients).toHaveLength(500);
    expect(exp.cohorts.reactivation).toBeGreaterThan(300);
    expect(exp.cohorts.no_show).toBeGreaterThan(40);
    const lines = exp.patientsCsv.trim().split('\r\n');
    expect(lines[0]).toBe('Patient Demographics Report');
    expect(lines.filter((l) => l.startsWith(',')).length).toBe(exp.badRows.patients);
    expect(exp.appointmentsCsv).toContain('No Show');
  });

  it('shows past bookings in the follow-up, completed or a no-show', () => {
    const csv = followUpAppointmentsCsv(
      exp,
      [
        { mrn: '100002', date: '2026-02-10', time: '10:30', kept: true },
        { mrn: '100001', date: '2026-02-11', time: '09:30', kept: false },
        { mrn: '100003', date: '2026-03-30', time: '09:30', kept: true },
      ],
      '2026-03-01',
    );
    const booked = csv.split('\r\n').filter((l) => l.startsWith('BK'));
    expect(booked).toEqual([
      'BK100001,100001,2/11/2026,09:30,No Show,Recall visit,Dr. Anita Patel',
      'BK100002,100002,2/10/2026,10:30,Completed,Recall visit,Dr. Anita Patel',
    ]);
  });
});
