import { RETRY_CODES } from '../../campaigns/src/campaign-types';
import {
  codesWith,
  DISPOSITION_CODES,
  DISPOSITION_KEYS,
  DISPOSITIONS,
  dispositionForKey,
  isDispositionCode,
  type DispositionCode,
  type DispositionSpec,
} from './disposition-codes';

type Row = Omit<DispositionSpec, 'code' | 'label'>;
const F = false;
const T = true;

// prettier-ignore
const EXPECTED: Record<DispositionCode, Row> = {
  //           key  answered contact attempt terminal closesAs  converted booked numberLvl reqAppt reqCb reqReason reqSurv dnc retryDelayKey otherTime
  DONE:        row('d', T, T, T, T, 'converted',   T, F, F, T, F, F, F, F, null,      F),
  NOANS:       row('n', F, F, T, F, null,          F, F, F, F, F, F, F, F, 'NOANS',   F),
  LVM:         row('v', F, F, T, F, null,          F, F, F, F, F, F, F, F, 'LVM',     F),
  WNUM:        row('w', T, F, T, F, null,          F, F, T, F, F, F, F, F, 'WNUM',    F),
  CBACK:       row('c', T, T, T, F, null,          F, F, F, F, T, F, F, F, null,      F),
  LOST:        row('l', T, T, T, T, 'lost',        F, F, F, F, F, T, F, F, null,      F),
  DCONN:       row('x', F, F, T, F, null,          F, F, T, F, F, F, F, F, 'DCONN',   F),
  UNAVLBL:     row('u', T, F, T, F, null,          F, F, F, F, F, F, F, F, 'UNAVLBL', T),
  HUNGUP:      row('h', T, T, T, F, null,          F, F, F, F, F, F, F, F, 'HUNGUP',  F),
  DNC:         row('z', T, T, T, T, 'dnc',         F, F, F, F, F, F, F, T, null,      F),
  RECONFIRMED: row('r', T, T, T, T, 'reconfirmed', F, T, F, T, F, F, F, F, null,      F),
  DUPLICATE:   row('p', F, F, F, F, null,          F, F, F, F, F, F, T, F, null,      F),
};

function row(
  key: string,
  answered: boolean,
  contact: boolean,
  attempt: boolean,
  terminal: boolean,
  closesAs: DispositionSpec['closesAs'],
  converted: boolean,
  bookedAlready: boolean,
  numberLevel: boolean,
  requiresAppointment: boolean,
  requiresCallback: boolean,
  requiresReason: boolean,
  requiresSurvivor: boolean,
  doNotCall: boolean,
  retryDelayKey: DispositionSpec['retryDelayKey'],
  differentTimeOfDay: boolean,
): Row {
  return {
    key,
    answered,
    contact,
    attempt,
    terminal,
    closesAs,
    converted,
    bookedAlready,
    numberLevel,
    requiresAppointment,
    requiresCallback,
    requiresReason,
    requiresSurvivor,
    doNotCall,
    retryDelayKey,
    differentTimeOfDay,
  };
}

describe('the disposition table', () => {
  it('has the twelve codes of DOMAIN.md §5, each under its own name', () => {
    expect([...DISPOSITION_CODES].sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(DISPOSITION_CODES).toHaveLength(12);
    for (const code of DISPOSITION_CODES) expect(DISPOSITIONS[code].code).toBe(code);
  });

  it.each(DISPOSITION_CODES)('%s has its flags', (code) => {
    const { code: _code, label, ...flags } = DISPOSITIONS[code];
    expect(label.trim()).not.toBe('');
    expect(flags).toEqual(EXPECTED[code]);
  });

  it('keeps the flags consistent with each other', () => {
    for (const code of DISPOSITION_CODES) {
      const s = DISPOSITIONS[code];
      expect(s.terminal).toBe(s.closesAs !== null);
      if (s.contact) expect(s.answered).toBe(true);
      if (s.converted || s.bookedAlready) expect(s.requiresAppointment && s.terminal).toBe(true);
      if (s.doNotCall) expect(s.terminal).toBe(true);
      if (s.terminal || s.requiresCallback) expect(s.retryDelayKey).toBeNull();
      if (s.retryDelayKey) expect(RETRY_CODES).toContain(s.retryDelayKey);
      if (s.numberLevel) expect(s.terminal).toBe(false);
    }
  });

  it('gives every code one unique single-letter key, case-insensitively', () => {
    const keys = DISPOSITION_CODES.map((c) => DISPOSITIONS[c].key);
    expect(new Set(keys).size).toBe(12);
    for (const key of keys) expect(key).toMatch(/^[a-z]$/);
    for (const code of DISPOSITION_CODES) {
      expect(DISPOSITION_KEYS[DISPOSITIONS[code].key]).toBe(code);
      expect(dispositionForKey(DISPOSITIONS[code].key.toUpperCase())).toBe(code);
    }
    expect(dispositionForKey('q')).toBeNull();
    expect(dispositionForKey('constructor')).toBeNull();
  });

  it('answers flag questions as lists of codes', () => {
    expect(codesWith('numberLevel')).toEqual(['WNUM', 'DCONN']);
    expect(codesWith('terminal')).toEqual(['DONE', 'LOST', 'DNC', 'RECONFIRMED']);
    expect(codesWith('attempt')).not.toContain('DUPLICATE');
    expect(codesWith('converted')).toEqual(['DONE']);
  });

  it('recognises codes', () => {
    expect(isDispositionCode('NOANS')).toBe(true);
    expect(isDispositionCode('noans')).toBe(false);
    expect(isDispositionCode('toString')).toBe(false);
  });
});
