import fc from 'fast-check';
import { checkScript, checkVoicemailScript } from './voicemail-check';

const GOOD =
  'Hi, this message is for {patient.firstName}. This is {agent.firstName} from {practice.name}. ' +
  'Please call us back at {campaign.callbackNumber}.';

/** A voicemail that would be fine but for `words`. */
const withWords = (words: string) => `${GOOD} ${words}`;

describe('checkVoicemailScript', () => {
  it('accepts a minimum-necessary voicemail', () => {
    expect(checkVoicemailScript(GOOD)).toEqual([]);
  });

  it('accepts a literal phone number instead of the call-back placeholder', () => {
    for (const phone of ['(619) 555-0123', '619-555-0123', '619.555.0123', '+1 619 555 0123', '6195550123']) {
      expect(
        checkVoicemailScript(`Hi, this is {agent.firstName} from {practice.name}. Call ${phone}.`),
      ).toEqual([]);
    }
  });

  it('warns when there is no way to call back', () => {
    expect(checkVoicemailScript('Hi {patient.firstName}, this is {practice.name}. Call us back!')).toEqual([
      'The voicemail has no call-back number: add {campaign.callbackNumber} or a phone number.',
    ]);
    expect(checkVoicemailScript('Call 555-0123 or extension 12.')).toContainEqual(
      expect.stringContaining('no call-back number'),
    );
  });

  it('warns about an empty voicemail', () => {
    expect(checkVoicemailScript('  \n')).toEqual([
      'The voicemail script is empty.',
      'The voicemail has no call-back number: add {campaign.callbackNumber} or a phone number.',
    ]);
  });

  it.each([
    'patient.lastName',
    'patient.fullName',
    'patient.age',
    'lastAppointment.date',
    'lastAppointment.status',
    'lastVisit.date',
    'nextAppointment.date',
    'provider.name',
    'location.name',
    'agent.name',
  ])('warns when the voicemail uses {%s}', (name) => {
    const warnings = checkVoicemailScript(withWords(`See you on {${name}}.`));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      new RegExp(`^The voicemail uses \\{${name.replace('.', '\\.')}\\} \\(.+\\): `),
    );
    expect(warnings[0]).toContain("patient's first name, the practice name and the call-back number");
  });

  it('lists each disallowed placeholder once, even when written differently', () => {
    const warnings = checkVoicemailScript(withWords('{provider.name} {Provider.Name} {{provider.name}}'));
    expect(warnings).toEqual([expect.stringContaining('{provider.name} (provider name)')]);
  });

  it.each([
    ['your lab results are in', 'clinical details', ['lab', 'results']],
    ['about your Test', 'clinical details', ['Test']],
    ['the biopsy', 'clinical details', ['biopsy']],
    ['your X-ray and your xray', 'clinical details', ['X-ray', 'xray']],
    ['before your surgery', 'clinical details', ['surgery']],
    ['about your treatment plan', 'clinical details', ['treatment']],
    ['physical therapy', 'clinical details', ['therapy']],
    ['your prescription is ready', 'medications', ['prescription']],
    ['your MEDICATION', 'medications', ['MEDICATION']],
    ['our pharmacist', 'medications', ['pharmacist']],
    ['your condition', 'health conditions', ['condition']],
    ['your pregnancy', 'health conditions', ['pregnancy']],
    ['the HIV clinic', 'health conditions', ['HIV']],
    ['our mental health team', 'health conditions', ['mental health']],
    ['mental-health', 'health conditions', ['mental-health']],
    ['cancer screening', 'health conditions', ['cancer']],
    ['your balance of $40', 'billing or insurance', ['balance']],
    ['your bill', 'billing or insurance', ['bill']],
    ['a payment', 'billing or insurance', ['payment']],
    ['your insurance', 'billing or insurance', ['insurance']],
    ['your co-pay', 'billing or insurance', ['co-pay']],
    ['you were a no-show', 'the reason for the call', ['no-show']],
    ['you were a no show', 'the reason for the call', ['no show']],
    ['you missed your appointment', 'the reason for the call', ['missed your appointment']],
    ['your cancelled appointment', 'the reason for the call', ['cancelled appointment']],
    ['we canceled an appointment', 'the reason for the call', ['canceled an appointment']],
    ['the reason for your visit', 'the reason for the call', ['reason for your visit']],
    ['you are overdue', 'the reason for the call', ['overdue']],
  ])('warns on "%s" (%s)', (words, what, found) => {
    const warnings = checkVoicemailScript(withWords(words));
    expect(warnings).toContain(
      `The voicemail mentions ${what} (${found.map((f) => `"${f}"`).join(', ')}): a voicemail may say only the patient's first name, the practice name and the call-back number.`,
    );
  });

  it('groups words of one kind in one warning, each word once', () => {
    const warnings = checkVoicemailScript(withWords('Your test and lab and TEST and Lab results.'));
    expect(warnings).toEqual([expect.stringContaining('clinical details ("test", "lab", "results")')]);
  });

  it.each([
    'Thank you for your testament of trust.',
    'Our latest hours are posted; contest entries welcome.',
    'Please label it. Our labrador says hi.',
    'Sorry we missed you!',
    'We cancelled nothing. Have a great day.',
    'Billy says hi. This is Bill from the front desk.',
    'We are available 24/7 and by appointment.',
    'Our partners? Conditional on nothing.',
    'Call us in May 2026.',
    'The doctor is in.',
  ])('does not warn on ordinary words: %s', (words) => {
    expect(checkVoicemailScript(withWords(words))).toEqual([]);
  });

  it('warns on dates and named providers written out', () => {
    expect(checkVoicemailScript(withWords('See you March 4th or 3/4/2026.'))).toEqual([
      expect.stringContaining('a date ("March 4th", "3/4/2026")'),
    ]);
    expect(checkVoicemailScript(withWords('Dr. Chen asked us to call.'))).toEqual([
      expect.stringContaining('names a provider ("Dr. Chen")'),
    ]);
  });

  it('does not read placeholder names as words', () => {
    // {lastAppointment.date} warns as a placeholder, never as "appointment" talk.
    const warnings = checkVoicemailScript(withWords('{lastAppointment.date}'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^The voicemail uses \{lastAppointment\.date\}/);
  });

  it('also reports unknown placeholders and paper-script fill-ins', () => {
    expect(checkVoicemailScript(withWords('{patient.frstName} <practice name>'))).toEqual([
      'Unknown placeholder {patient.frstName}: it will be shown as written. Did you mean {patient.firstName}?',
      '"<practice name>" looks like a fill-in that will not be filled: placeholders use braces, e.g. {practice.name}.',
    ]);
  });

  it('lets contact campaigns name the contact and organisation, not a patient', () => {
    const voicemail =
      'Hi {contact.name} at {contact.organisation}, this is {agent.firstName} from {practice.name}. Call {campaign.callbackNumber}.';
    expect(checkVoicemailScript(voicemail, { audience: 'contacts' })).toEqual([]);
    expect(checkVoicemailScript(voicemail)).toEqual([
      '{contact.name} is always empty in campaigns that call patients.',
      '{contact.organisation} is always empty in campaigns that call patients.',
    ]);
    expect(checkVoicemailScript(`${voicemail} {patient.firstName}`, { audience: 'contacts' })).toEqual([
      '{patient.firstName} is always empty in campaigns that call contacts.',
    ]);
    expect(checkVoicemailScript(`${voicemail} About your results.`, { audience: 'contacts' })).toEqual([
      expect.stringMatching(/^The voicemail mentions clinical details \("results"\): .*who is calling/),
    ]);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect(Array.isArray(checkVoicemailScript(text))).toBe(true);
      }),
    );
  });
});

describe('checkScript', () => {
  it('accepts a script of known placeholders', () => {
    expect(
      checkScript('Hi {patient.firstName}, your visit on {lastVisit.date} with {provider.name}.'),
    ).toEqual([]);
  });

  it('warns about each unknown placeholder once, with a suggestion when one is close', () => {
    const script =
      '{patient.frstName} {patient.frstName} {firstName} {patient.name} {contact.organization} {doctor} {weather}';
    expect(checkScript(script)).toEqual([
      'Unknown placeholder {patient.frstName}: it will be shown as written. Did you mean {patient.firstName}?',
      'Unknown placeholder {firstName}: it will be shown as written. Did you mean {patient.firstName} or {agent.firstName}?',
      'Unknown placeholder {patient.name}: it will be shown as written. Did you mean {patient.fullName}?',
      'Unknown placeholder {contact.organization}: it will be shown as written. Did you mean {contact.organisation}?',
      'Unknown placeholder {doctor}: it will be shown as written. Did you mean {provider.name}?',
      'Unknown placeholder {weather}: it will be shown as written.',
    ]);
    expect(checkScript('{constructor} {toString}')).toEqual([
      'Unknown placeholder {constructor}: it will be shown as written.',
      'Unknown placeholder {toString}: it will be shown as written.',
    ]);
  });

  it('warns about fill-ins copied from paper scripts', () => {
    expect(checkScript('You missed your appointment on <date/time> with doctor <provider name>.')).toEqual([
      '"<date/time>", "<provider name>" looks like a fill-in that will not be filled: placeholders use braces, e.g. {practice.name}.',
    ]);
  });

  it('warns about placeholders the audience never has', () => {
    expect(checkScript('Hi {contact.name}', { audience: 'patients' })).toEqual([
      '{contact.name} is always empty in campaigns that call patients.',
    ]);
    expect(checkScript('Hi {contact.name}, about {patient.firstName}', { audience: 'contacts' })).toEqual([
      '{patient.firstName} is always empty in campaigns that call contacts.',
    ]);
  });

  it('warns about an empty script', () => {
    expect(checkScript(' ')).toEqual(['The script is empty.']);
  });

  it('does not mind clinical words in an agent script', () => {
    expect(checkScript('We want to go over your lab results and your bill.')).toEqual([]);
  });
});
