import { CAMPAIGN_TYPES, CAMPAIGN_TYPE_SPECS } from '../campaign-types';
import { DEFAULT_SCRIPTS } from './default-scripts';
import { findPlaceholders, renderScript, sampleScriptValues } from './render-script';
import { checkScript, checkVoicemailScript } from './voicemail-check';

const DISPOSITION_CODES = [
  'DONE',
  'NOANS',
  'LVM',
  'WNUM',
  'CBACK',
  'LOST',
  'DCONN',
  'UNAVLBL',
  'HUNGUP',
  'DNC',
  'RECONFIRMED',
  'DUPLICATE',
];

const cases = CAMPAIGN_TYPES.map((type) => ({
  type,
  audience: CAMPAIGN_TYPE_SPECS[type].audience,
  ...DEFAULT_SCRIPTS[type],
}));

describe('DEFAULT_SCRIPTS', () => {
  it('has a script and a voicemail for every campaign type, and nothing else', () => {
    expect(Object.keys(DEFAULT_SCRIPTS).sort()).toEqual([...CAMPAIGN_TYPES].sort());
  });

  describe.each(cases)('$type', ({ audience, script, voicemail }) => {
    it('has a voicemail that is minimum necessary', () => {
      expect(checkVoicemailScript(voicemail)).toEqual([]);
      expect(checkVoicemailScript(voicemail, { audience })).toEqual([]);
    });

    it('has a voicemail that names the practice and the call-back number, and no patient detail', () => {
      const names = findPlaceholders(voicemail).map((t) => t.known);
      expect(names).toContain('practice.name');
      expect(names).toContain('campaign.callbackNumber');
      const values = sampleScriptValues('2026-03-28');
      const rendered = renderScript(voicemail, values).text;
      const details = renderScript(
        '{patient.lastName}|{patient.age}|{provider.name}|{location.name}|{lastAppointment.date}|{lastVisit.date}|{nextAppointment.date}',
        values,
      ).text.split('|');
      for (const detail of details) expect(rendered).not.toContain(detail);
    });

    it('renders with sample values with no unknown or missing placeholder', () => {
      for (const text of [script, voicemail]) {
        const r = renderScript(text, sampleScriptValues('2026-03-28'));
        expect(r.unknown).toEqual([]);
        expect(r.missing).toEqual([]);
        expect(r.text).not.toMatch(/[{}]/);
      }
    });

    it('has an agent script without warnings for its audience', () => {
      expect(checkScript(script, { audience })).toEqual([]);
    });

    it('opens, states its purpose, makes an offer, handles "not now" and closes, in that order', () => {
      const at = ['OPENING', 'PURPOSE', /^(OFFER|ASK|TAKE)/m, 'IF "NOT NOW"', 'CLOSING'].map((heading) =>
        typeof heading === 'string' ? script.indexOf(`${heading}\n`) : script.search(heading),
      );
      expect(at.every((i) => i >= 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
    });

    it('records only real disposition codes, and honours do-not-call', () => {
      const codes = [...script.matchAll(/Record ([A-Z]+)/g)].map((m) => m[1]);
      expect(codes.length).toBeGreaterThan(0);
      for (const code of codes) expect(DISPOSITION_CODES).toContain(code);
      expect(codes).toContain('DNC');
      expect(codes).toContain('CBACK');
    });

    it('uses no names from the reference texts', () => {
      expect(`${script}\n${voicemail}`).not.toMatch(/natera|kaiser|cleveland|nisos|syncro|obama/i);
    });

    if (audience === 'patients') {
      it('verifies the patient before saying why it calls, and shares nothing with others', () => {
        expect(script.indexOf('date of birth')).toBeGreaterThan(-1);
        expect(script.indexOf('date of birth')).toBeLessThan(script.indexOf('PURPOSE'));
        expect(script).toContain('do not say why you are calling');
        expect(voicemail).toContain('{patient.firstName}');
      });
    } else {
      it('addresses the contact and the organisation', () => {
        expect(script).toContain('{contact.name}');
        expect(script).toContain('{contact.organisation}');
      });
    }
  });

  it('refers to what each patient campaign is about', () => {
    expect(DEFAULT_SCRIPTS.reactivation.script).toContain('{lastVisit.date}');
    expect(DEFAULT_SCRIPTS.no_show.script).toContain('{lastAppointment.date}');
    expect(DEFAULT_SCRIPTS.cancelled.script).toContain('{lastAppointment.status}');
    expect(DEFAULT_SCRIPTS.patient_reviews.script).toMatch(/review/);
    expect(DEFAULT_SCRIPTS.patient_referrals.script).toMatch(/recommend/);
    expect(DEFAULT_SCRIPTS.no_show.script).toMatch(/video visit/);
  });
});
