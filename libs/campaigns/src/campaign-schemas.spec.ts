import { DomainError, DomainErrorCode } from '@recall/core';
import { resolveRule, resolveSettings } from './campaign-schemas';
import { CAMPAIGN_TYPE_SPECS, CAMPAIGN_TYPES, DEFAULT_SETTINGS, type TargetRule } from './campaign-types';

function invalid(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError && e.code === DomainErrorCode.Invalid) return e.message;
    throw e;
  }
  throw new Error('expected the input to be refused');
}

describe('resolveRule', () => {
  it.each(CAMPAIGN_TYPES)('%s: no patch gives the type default', (type) => {
    expect(resolveRule(type, undefined)).toEqual(CAMPAIGN_TYPE_SPECS[type].defaultRule);
    expect(resolveRule(type, {})).toEqual(CAMPAIGN_TYPE_SPECS[type].defaultRule);
    expect(resolveRule(type, null)).toEqual(CAMPAIGN_TYPE_SPECS[type].defaultRule);
  });

  it('adds filters to the type default and replaces a bound object whole', () => {
    expect(resolveRule('reactivation', { ageMin: 18, providers: [' Dr. Lee '] })).toEqual({
      lastEncounterMonths: { min: 12, max: 36 },
      ageMin: 18,
      providers: ['Dr. Lee'],
    });
    expect(resolveRule('no_show', { lastAppointment: { status: 'cancelled', withinDays: 30 } })).toEqual({
      lastAppointment: { status: 'cancelled', withinDays: 30 },
    });
  });

  it('merges over the given base, not over the type default', () => {
    const base: TargetRule = { lastEncounterMonths: { min: 6, max: 18 }, ageMin: 18, states: ['IL'] };
    expect(resolveRule('reactivation', { ageMax: 65 }, base)).toEqual({ ...base, ageMax: 65 });
    expect(resolveRule('reactivation', { states: ['WI', 'in'] }, base)).toEqual({
      ...base,
      states: ['WI', 'in'],
    });
    // The base is not modified.
    expect(base).toEqual({ lastEncounterMonths: { min: 6, max: 18 }, ageMin: 18, states: ['IL'] });
  });

  it('null clears a field, from the base or from the default', () => {
    const base: TargetRule = { lastEncounterMonths: { min: 6, max: 18 }, ageMin: 18, ageMax: 65 };
    expect(resolveRule('reactivation', { ageMin: null }, base)).toEqual({
      lastEncounterMonths: { min: 6, max: 18 },
      ageMax: 65,
    });
    expect(resolveRule('reactivation', { ageMin: null, ageMax: null, providers: ['X'] }, base)).toEqual({
      lastEncounterMonths: { min: 6, max: 18 },
      providers: ['X'],
    });
    // The type's own criterion is not a filter: clearing it is refused (see below).
    expect(() => resolveRule('patient_reviews', { completedVisitWithinDays: null, neverSeen: true })).toThrow(
      'required for patient_reviews campaigns',
    );
    // Clearing a field that is not set is harmless.
    expect(resolveRule('reactivation', { locations: null })).toEqual({
      lastEncounterMonths: { min: 12, max: 36 },
    });
  });

  it('a contact campaign keeps its own category, whatever the patch or base says', () => {
    expect(resolveRule('existing_partners', { contactCategory: 'community' })).toEqual({
      contactCategory: 'existing_partner',
    });
    expect(resolveRule('new_partners', { contactCategory: null, states: ['TX'] })).toEqual({
      contactCategory: 'new_partner',
      states: ['TX'],
    });
    expect(resolveRule('community_outreach', {}, { contactCategory: 'new_partner' })).toEqual({
      contactCategory: 'community',
    });
    // A patient campaign has no category to keep.
    expect(resolveRule('reactivation', {}).contactCategory).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    [
      'min above max',
      { lastEncounterMonths: { min: 40, max: 12 } },
      'rule.lastEncounterMonths: min must not exceed max',
    ],
    ['a fractional bound', { lastEncounterMonths: { min: 1.5, max: 12 } }, 'rule.lastEncounterMonths.min: '],
    ['a missing bound', { lastEncounterMonths: { min: 1 } }, 'rule.lastEncounterMonths.max: '],
    ['a negative bound', { lastEncounterMonths: { min: -1, max: 12 } }, 'rule.lastEncounterMonths.min: '],
    ['an extra bound', { lastEncounterMonths: { min: 1, max: 2, step: 1 } }, 'rule.lastEncounterMonths: '],
    [
      'a completed last appointment',
      { lastAppointment: { status: 'completed', withinDays: 9 } },
      'rule.lastAppointment.status: ',
    ],
    [
      'a window too long',
      { lastAppointment: { status: 'no_show', withinDays: 3651 } },
      'rule.lastAppointment.withinDays: ',
    ],
    ['a non-boolean neverSeen', { neverSeen: 'yes' }, 'rule.neverSeen: '],
    ['negative days', { completedVisitWithinDays: -1 }, 'rule.completedVisitWithinDays: '],
    ['fractional days', { lostAtLeastDaysAgo: 1.5 }, 'rule.lostAtLeastDaysAgo: '],
    ['an unknown category', { contactCategory: 'vendors' }, 'rule.contactCategory: '],
    ['a blank provider', { providers: ['Dr. Lee', '  '] }, 'rule.providers.1: '],
    ['a provider that is not text', { providers: [7] }, 'rule.providers.0: '],
    ['a long location', { locations: ['x'.repeat(121)] }, 'rule.locations.0: '],
    ['a state name', { states: ['Illinois'] }, 'rule.states.0: must be a two-letter state code'],
    ['an age over 130', { ageMax: 131 }, 'rule.ageMax: '],
    ['a negative age', { ageMin: -1 }, 'rule.ageMin: '],
    ['ageMin above ageMax', { ageMin: 40, ageMax: 30 }, 'rule.ageMin: ageMin must not exceed ageMax'],
    ['an unknown field', { lastSeenMonths: 3 }, 'rule: Unrecognized key: "lastSeenMonths"'],
  ])('refuses %s, naming the field', (_what, patch, message) => {
    expect(invalid(() => resolveRule('reactivation', patch))).toContain(`invalid rule: ${message}`);
  });

  it('checks the merged rule: a patch that clashes with the base is refused', () => {
    expect(invalid(() => resolveRule('reactivation', { ageMin: 40 }, { ageMax: 30 }))).toContain(
      'rule.ageMin: ageMin must not exceed ageMax',
    );
    // Clearing one side of the clash makes it valid.
    expect(resolveRule('reactivation', { ageMin: 40, ageMax: null }, { ageMax: 30 })).toEqual({ ageMin: 40 });
  });

  it('names every bad field at once', () => {
    const message = invalid(() => resolveRule('reactivation', { ageMin: -1, states: ['X'] }));
    expect(message).toContain('rule.ageMin: ');
    expect(message).toContain('rule.states.0: ');
  });
});

describe('resolveSettings', () => {
  it('no patch gives the defaults, as a copy', () => {
    const s = resolveSettings(undefined);
    expect(s).toEqual(DEFAULT_SETTINGS);
    s.retryDelayDays.NOANS = 99;
    expect(DEFAULT_SETTINGS.retryDelayDays.NOANS).toBe(7);
    expect(resolveSettings({})).toEqual(DEFAULT_SETTINGS);
  });

  it('merges over the base, and merges retry delays code by code', () => {
    const base = resolveSettings({
      attemptCap: 3,
      retryDelayDays: { LVM: 5 },
      callbackNumber: '312-555-0100',
    });
    expect(base).toMatchObject({ attemptCap: 3, callbackNumber: '312-555-0100' });
    const next = resolveSettings({ upcomingAppointmentDays: 21, retryDelayDays: { NOANS: 10 } }, base);
    expect(next).toEqual({
      ...DEFAULT_SETTINGS,
      attemptCap: 3,
      callbackNumber: '312-555-0100',
      upcomingAppointmentDays: 21,
      retryDelayDays: { ...DEFAULT_SETTINGS.retryDelayDays, LVM: 5, NOANS: 10 },
    });
  });

  it('a null callback number clears it; callback numbers are trimmed', () => {
    const base = resolveSettings({ callbackNumber: ' (312) 555-0199 ' });
    expect(base.callbackNumber).toBe('(312) 555-0199');
    expect(resolveSettings({ callbackNumber: null }, base).callbackNumber).toBeNull();
  });

  it('replaces working days and calling hours whole', () => {
    const s = resolveSettings({ workingDays: [6, 7], callingHours: { start: '08:30', end: '12:00' } });
    expect(s.workingDays).toEqual([6, 7]);
    expect(s.callingHours).toEqual({ start: '08:30', end: '12:00' });
  });

  it.each<[string, unknown, string]>([
    ['no attempts', { attemptCap: 0 }, 'settings.attemptCap: '],
    ['too many attempts', { attemptCap: 21 }, 'settings.attemptCap: '],
    ['a null attempt cap', { attemptCap: null }, 'settings.attemptCap: '],
    ['a long cycle', { cycleWorkingDays: 31 }, 'settings.cycleWorkingDays: '],
    ['no calls', { callsPerAgentPerDay: 0 }, 'settings.callsPerAgentPerDay: '],
    ['no working days', { workingDays: [] }, 'settings.workingDays: '],
    ['a day 8', { workingDays: [1, 8] }, 'settings.workingDays.1: '],
    ['a repeated day', { workingDays: [1, 2, 1] }, 'settings.workingDays: must not repeat a day'],
    [
      'hours backwards',
      { callingHours: { start: '19:00', end: '09:00' } },
      'settings.callingHours: start must be before end',
    ],
    [
      'empty hours',
      { callingHours: { start: '09:00', end: '09:00' } },
      'settings.callingHours: start must be before end',
    ],
    [
      'a 12-hour time',
      { callingHours: { start: '9:00', end: '19:00' } },
      'settings.callingHours.start: must be HH:mm',
    ],
    [
      'hour 24',
      { callingHours: { start: '09:00', end: '24:00' } },
      'settings.callingHours.end: must be HH:mm',
    ],
    ['a missing end', { callingHours: { start: '09:00' } }, 'settings.callingHours.end: '],
    ['a negative window', { upcomingAppointmentDays: -1 }, 'settings.upcomingAppointmentDays: '],
    ['a year-long window', { upcomingAppointmentDays: 366 }, 'settings.upcomingAppointmentDays: '],
    ['a long retry delay', { retryDelayDays: { NOANS: 91 } }, 'settings.retryDelayDays.NOANS: '],
    [
      'an unknown retry code',
      { retryDelayDays: { DONE: 1 } },
      'settings.retryDelayDays: Unrecognized key: "DONE"',
    ],
    ['a long callback number', { callbackNumber: '5'.repeat(41) }, 'settings.callbackNumber: '],
    ['no touches', { touches: 0 }, 'settings.touches: '],
    ['a long touch window', { touchWindowDays: 731 }, 'settings.touchWindowDays: '],
    [
      'an unknown setting',
      { lastEncounterMonths: { min: 1, max: 2 } },
      'settings: Unrecognized key: "lastEncounterMonths"',
    ],
  ])('refuses %s, naming the field', (_what, patch, message) => {
    expect(invalid(() => resolveSettings(patch))).toContain(`invalid settings: ${message}`);
  });
});

describe('resolveRule: the defining criterion', () => {
  it('cannot be cleared, only changed', () => {
    expect(() => resolveRule('reactivation', { lastEncounterMonths: null })).toThrow(
      'rule.lastEncounterMonths: required for reactivation campaigns',
    );
    expect(
      resolveRule('reactivation', { lastEncounterMonths: { min: 6, max: 24 } }).lastEncounterMonths,
    ).toEqual({
      min: 6,
      max: 24,
    });
  });
});
