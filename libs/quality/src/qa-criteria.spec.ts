import { DomainError } from '@recall/core';
import { QA_CRITERIA, qaScore, validateScores } from './qa-criteria';

const all = (v: number) => Object.fromEntries(QA_CRITERIA.map((c) => [c.key, v]));
const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return (e as DomainError).details?.field;
  }
  throw new Error('expected a DomainError');
};

describe('QA score sheets', () => {
  it('accepts whole scores 1–5 on every criterion and averages them', () => {
    const v = validateScores(
      { scores: { ...all(4), empathy: 5, compliance: 3 }, codeCorrect: true, comments: '  Good probing. ' },
      { hasAppointment: false },
    );
    expect(v).toEqual({
      scores: { ...all(4), empathy: 5, compliance: 3 },
      codeCorrect: true,
      appointmentCorrect: null,
      comments: 'Good probing.',
      score: 4,
    });
    expect(qaScore({ ...all(5), closing: 4 } as never)).toBe(4.86);
  });

  it.each([
    ['a missing criterion', { ...all(3), closing: undefined }, 'scores.closing'],
    ['a zero', { ...all(3), opening: 0 }, 'scores.opening'],
    ['a six', { ...all(3), probing: 6 }, 'scores.probing'],
    ['a half point', { ...all(3), empathy: 3.5 }, 'scores.empathy'],
    ['a string', { ...all(3), compliance: '5' }, 'scores.compliance'],
    ['an unknown criterion', { ...all(3), charm: 5 }, 'scores.charm'],
  ])('refuses %s', (_, scores, field) => {
    expect(fieldOf(() => validateScores({ scores, codeCorrect: true }, { hasAppointment: false }))).toBe(
      field,
    );
  });

  it('asks about the appointment only when the call booked one', () => {
    expect(
      fieldOf(() => validateScores({ scores: all(3), codeCorrect: true }, { hasAppointment: true })),
    ).toBe('appointmentCorrect');
    expect(
      validateScores(
        { scores: all(3), codeCorrect: false, appointmentCorrect: false },
        { hasAppointment: true },
      ).appointmentCorrect,
    ).toBe(false);
    expect(
      fieldOf(() =>
        validateScores(
          { scores: all(3), codeCorrect: true, appointmentCorrect: true },
          { hasAppointment: false },
        ),
      ),
    ).toBe('appointmentCorrect');
    expect(
      fieldOf(() => validateScores({ scores: all(3), codeCorrect: 'yes' }, { hasAppointment: false })),
    ).toBe('codeCorrect');
    expect(
      fieldOf(() =>
        validateScores(
          { scores: all(3), codeCorrect: true, comments: 'x'.repeat(4001) },
          { hasAppointment: false },
        ),
      ),
    ).toBe('comments');
  });
});
