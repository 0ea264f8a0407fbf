import fc from 'fast-check';
import {
  findPlaceholders,
  isScriptPlaceholder,
  renderScript,
  sampleScriptValues,
  SCRIPT_PLACEHOLDERS,
  type ScriptPlaceholderName,
  type ScriptValues,
} from './render-script';

const NAMES = SCRIPT_PLACEHOLDERS.map((p) => p.name);

describe('SCRIPT_PLACEHOLDERS', () => {
  it('is the documented vocabulary, each entry described and with a bracketed fallback', () => {
    expect([...NAMES].sort()).toEqual(
      [
        'patient.firstName',
        'patient.lastName',
        'patient.fullName',
        'patient.age',
        'practice.name',
        'campaign.callbackNumber',
        'agent.firstName',
        'agent.name',
        'lastAppointment.date',
        'lastAppointment.status',
        'lastVisit.date',
        'nextAppointment.date',
        'provider.name',
        'location.name',
        'contact.organisation',
        'contact.name',
      ].sort(),
    );
    for (const p of SCRIPT_PLACEHOLDERS) {
      expect(p.description.length).toBeGreaterThan(10);
      expect(p.fallback).toMatch(/^\[[a-z -]+\]$/);
    }
  });

  it('isScriptPlaceholder accepts exact names only', () => {
    expect(isScriptPlaceholder('patient.firstName')).toBe(true);
    expect(isScriptPlaceholder('patient.firstname')).toBe(false);
    expect(isScriptPlaceholder('patient.middleName')).toBe(false);
  });
});

describe('renderScript', () => {
  it('replaces every occurrence of known placeholders', () => {
    const r = renderScript(
      'Hi {patient.firstName}, {agent.firstName} from {practice.name}. Bye {patient.firstName}!',
      {
        'patient.firstName': 'Maria',
        'agent.firstName': 'Jordan',
        'practice.name': 'Lakeside Eye Care',
      },
    );
    expect(r).toEqual({
      text: 'Hi Maria, Jordan from Lakeside Eye Care. Bye Maria!',
      unknown: [],
      missing: [],
    });
  });

  it('renders known placeholders without a value as their fallback and lists each once', () => {
    const r = renderScript(
      '{lastAppointment.date} / {provider.name} / {lastAppointment.date} / {patient.age}',
      {
        'provider.name': '   ',
        'patient.age': null,
      },
    );
    expect(r.text).toBe(
      '[last appointment date] / [provider name] / [last appointment date] / [patient age]',
    );
    expect(r.missing).toEqual(['lastAppointment.date', 'provider.name', 'patient.age']);
    expect(r.unknown).toEqual([]);
  });

  it('leaves unknown placeholders visible as written and lists each once', () => {
    const r = renderScript('Hi {patient.frstName} {Patient.Frst Name}, {patient.frstName} {doctor}', {
      'patient.firstName': 'Maria',
    });
    expect(r.text).toBe('Hi {patient.frstName} {Patient.Frst Name}, {patient.frstName} {doctor}');
    expect(r.unknown).toEqual(['patient.frstName', 'Patient.Frst Name', 'doctor']);
    expect(r.missing).toEqual([]);
  });

  it('forgives case, inner spaces and double braces; ignores empty braces', () => {
    const values: ScriptValues = { 'patient.firstName': 'Maria' };
    expect(renderScript('{ Patient.FIRSTNAME }|{{patient.firstName}}|{}|{ }', values)).toEqual({
      text: 'Maria|Maria|{}|{ }',
      unknown: [],
      missing: [],
    });
  });

  it('does not render placeholders that appear inside a value', () => {
    const r = renderScript('Hello {patient.firstName}', {
      'patient.firstName': '{practice.name}',
      'practice.name': 'X',
    });
    expect(r.text).toBe('Hello {practice.name}');
  });

  it('derives the full name and the agent first name when not given', () => {
    const r = renderScript('{patient.fullName} / {agent.firstName}', {
      'patient.firstName': ' Maria ',
      'patient.lastName': 'Lopez',
      'agent.name': 'Jordan  Smith',
    });
    expect(r.text).toBe('Maria Lopez / Jordan');
    expect(renderScript('{patient.fullName}', { 'patient.lastName': 'Lopez' }).text).toBe('Lopez');
    expect(
      renderScript('{patient.fullName}', { 'patient.fullName': 'Dr. M. Lopez', 'patient.firstName': 'Maria' })
        .text,
    ).toBe('Dr. M. Lopez');
  });

  describe('dates', () => {
    it.each([
      ['2026-03-04', 'March 4, 2026'],
      ['2025-12-31', 'December 31, 2025'],
      ['2024-02-29', 'February 29, 2024'],
      ['2026-03-04T23:30:00.000Z', 'March 4, 2026'],
      ['2026-03-04T00:30:00-08:00', 'March 4, 2026'],
    ])('renders %s as %s', (iso, expected) => {
      expect(renderScript('{lastVisit.date}', { 'lastVisit.date': iso })).toEqual({
        text: expected,
        unknown: [],
        missing: [],
      });
    });

    it.each(['0000-00-00', '2026-02-30', '2025-02-29', '03/04/2026', 'March 4', 'soon'])(
      'treats %s as missing',
      (bad) => {
        const r = renderScript('on {nextAppointment.date}', { 'nextAppointment.date': bad });
        expect(r.text).toBe('on [next appointment date]');
        expect(r.missing).toEqual(['nextAppointment.date']);
      },
    );
  });

  it.each([
    ['no_show', 'missed'],
    ['no-show', 'missed'],
    ['cancelled', 'cancelled'],
    ['CANCELED', 'cancelled'],
    ['completed', 'completed'],
    ['left_early', 'left early'],
    ['constructor', 'constructor'],
  ])('renders appointment status %s as "%s"', (status, expected) => {
    expect(renderScript('{lastAppointment.status}', { 'lastAppointment.status': status }).text).toBe(
      expected,
    );
  });

  it.each([
    ['+16195550123', '(619) 555-0123'],
    ['619.555.0123', '(619) 555-0123'],
    ['+442071838750', '+44 20 7183 8750'],
    ['ask the front desk', 'ask the front desk'],
  ])('renders call-back number %s as %s', (raw, expected) => {
    expect(renderScript('{campaign.callbackNumber}', { 'campaign.callbackNumber': raw }).text).toBe(expected);
  });

  it('renders numbers and treats a non-finite number as missing', () => {
    expect(renderScript('{patient.age}', { 'patient.age': 47 }).text).toBe('47');
    expect(renderScript('{patient.age}', { 'patient.age': 0 }).text).toBe('0');
    expect(renderScript('{patient.age}', { 'patient.age': Number.NaN }).missing).toEqual(['patient.age']);
  });

  it("never throws, and reports exactly the template's unknown placeholders", () => {
    const value = fc.option(fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.double()), {
      nil: null,
    });
    const values = fc.dictionary(fc.constantFrom(...NAMES), value) as fc.Arbitrary<ScriptValues>;
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 15 }),
      fc.constantFrom(...NAMES.map((n) => `{${n}}`)),
      fc.constantFrom('{', '}', '{{', '}}', '{}', '{x.y}', '{ Agent.Name }', '\n'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), values, (pieces, vals) => {
        const template = pieces.join('');
        const r = renderScript(template, vals);
        expect(typeof r.text).toBe('string');
        const tokens = findPlaceholders(template);
        expect(r.unknown).toEqual([...new Set(tokens.filter((t) => !t.known).map((t) => t.name))]);
        for (const name of r.missing) expect(tokens.some((t) => t.known === name)).toBe(true);
      }),
    );
  });

  it('renders text without braces unchanged', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }).filter((s) => !/[{}]/.test(s)),
        fc.dictionary(fc.constantFrom(...NAMES), fc.string()) as fc.Arbitrary<ScriptValues>,
        (text, vals) => {
          expect(renderScript(text, vals)).toEqual({ text, unknown: [], missing: [] });
        },
      ),
    );
  });

  it('renders templates of known placeholders with sample values leaving no braces and nothing missing', () => {
    const values = sampleScriptValues('2026-03-28');
    const piece = fc.oneof(
      fc.string({ maxLength: 10 }).filter((s) => !/[{}]/.test(s)),
      fc.constantFrom(...NAMES.map((n) => `{${n}}`)),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const r = renderScript(pieces.join(''), values);
        expect(r.text).not.toMatch(/[{}]/);
        expect(r).toMatchObject({ unknown: [], missing: [] });
      }),
    );
  });
});

describe('findPlaceholders', () => {
  it('reports position, raw text and the vocabulary entry', () => {
    expect(findPlaceholders('a {patient.firstname} b {nope}')).toEqual([
      { raw: '{patient.firstname}', name: 'patient.firstname', known: 'patient.firstName', index: 2 },
      { raw: '{nope}', name: 'nope', known: null, index: 24 },
    ]);
  });
});

describe('sampleScriptValues', () => {
  it('has a usable value for every placeholder', () => {
    const values = sampleScriptValues('2026-03-28');
    const all = NAMES.map((n) => `{${n}}`).join('|');
    const r = renderScript(all, values);
    expect(r.missing).toEqual([]);
    expect(r.unknown).toEqual([]);
    expect(Object.keys(values).sort()).toEqual([...NAMES].sort());
  });

  it('dates its sample appointments around the given day', () => {
    const v = sampleScriptValues('2026-03-28');
    const last = v['lastAppointment.date'] as string;
    const visit = v['lastVisit.date'] as string;
    const next = v['nextAppointment.date'] as string;
    expect(visit < last && last < '2026-03-28' && next > '2026-03-28').toBe(true);
    expect(sampleScriptValues('2026-03-28')).toEqual(v);
    expect(renderScript('{nextAppointment.date}', v).text).toBe('May 12, 2026');
  });

  it("defaults to today's date", () => {
    const today = new Date().toISOString().slice(0, 10);
    const v = sampleScriptValues();
    expect(v['lastAppointment.date']! < today && v['nextAppointment.date']! > today).toBe(true);
  });

  it('keeps the fullName consistent with the first and last name', () => {
    const v = sampleScriptValues('2026-03-28');
    const name = (n: ScriptPlaceholderName) => String(v[n]);
    expect(name('patient.fullName')).toBe(`${name('patient.firstName')} ${name('patient.lastName')}`);
    expect(name('agent.name').startsWith(name('agent.firstName'))).toBe(true);
  });
});
