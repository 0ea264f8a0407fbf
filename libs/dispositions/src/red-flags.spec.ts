import {
  customizeRedFlags,
  DEFAULT_RED_FLAGS,
  repeatedContactFlag,
  screenRemarks,
  type RedFlagCategory,
} from './red-flags';

const POSITIVES: [string, RedFlagCategory, string][] = [
  ['Pt said she will contact her attorney', 'legal', 'attorney'],
  ['talking to a lawyer about this bill', 'legal', 'lawyer'],
  ['Lawyers are involved now', 'legal', 'lawyer'],
  ['considering legal action over the bill', 'legal', 'legal action'],
  ['will take the practice to court', 'legal', 'court'],
  ["the court's decision", 'legal', 'court'],
  ['says calling her is against state law', 'legal', 'state law'],
  ['mentioned a lawsuit', 'legal', 'lawsuit'],
  ['(attorney)', 'legal', 'attorney'],
  ['this is a HIPAA violation', 'legal', 'hipaa violation'],
  ['she filed a complaint with the BBB', 'complaint', 'bbb'],
  ['will contact the Better Business Bureau', 'complaint', 'better business bureau'],
  ['reporting us to the B.B.B.', 'complaint', 'bbb'],
  ['wants to file a complaint', 'complaint', 'file a complaint'],
  ['wants to make a complaint about billing', 'complaint', 'complaint'],
  ['said she complained twice already', 'complaint', 'complain'],
  ['going to post about this on Facebook', 'social', 'facebook'],
  ['will leave a bad Yelp review', 'social', 'yelp'],
  ['posting it all on social media', 'social', 'social media'],
  ['threatens a Google review', 'social', 'google review'],
  ['tweeted about the office', 'social', 'tweet'],
  ['she will post on X about it', 'social', 'post on x'],
  ['filing for bankruptcy', 'financial', 'bankruptcy'],
  ["he's bankrupt", 'financial', 'bankrupt'],
  ['thinks this call is a scam', 'financial', 'scam'],
  ['Scammers!!', 'financial', 'scam'],
  ['accused us of fraud', 'financial', 'fraud'],
  ['fraudulent charges on the statement', 'financial', 'fraudulent'],
  ['wants to speak to the CEO', 'executive', 'ceo'],
  ['asked for the C.E.O. by name', 'executive', 'ceo'],
  ["I'm going to sue", 'threat', 'sue'],
  ['he sued his last doctor', 'threat', 'sue'],
  ['talks about suing everyone', 'threat', 'sue'],
  ['I WILL SUE', 'threat', 'sue'],
  ['I will report you', 'threat', 'report you'],
  ['Do not call me again', 'do_not_contact', 'do not call'],
  ["don't call me", 'do_not_contact', "don't call me"],
  ['dont call me', 'do_not_contact', "don't call me"],
  ['don’t call me anymore', 'do_not_contact', "don't call me"],
  ["DON'T CALL ME", 'do_not_contact', "don't call me"],
  ['Stop calling!!!', 'do_not_contact', 'stop calling'],
  ['please take me off your list', 'do_not_contact', 'take me off your'],
  ['marked do-not-contact by patient', 'do_not_contact', 'do not contact'],
  ['"do not contact"', 'do_not_contact', 'do not contact'],
  ['told us to leave me alone', 'do_not_contact', 'leave me alone'],
  ['wants to opt out of calls', 'do_not_contact', 'opt out'],
];

const NEGATIVES = [
  'courtesy call, pt was courteous',
  'spoke with Courtney at the front desk',
  'chief complaint: knee pain',
  'pt complains of back pain',
  'complaining of headaches since January',
  'no complaints at this time',
  'daughter has power of attorney',
  'spoke to Sue, her daughter',
  'Sue Smith picked up and will call back',
  'issue with the patient portal',
  'tissue sample results pending',
  'wants to pursue physical therapy first',
  'an argument ensued with her husband',
  'x-ray results are in',
  'called x3, no answer',
  'her mother-in-law answered',
  'stated she will call back',
  'the statement was paid in full',
  'legal guardian answered the phone',
  'works at the food court downtown',
  'plays on the tennis court Tuesdays',
  'do not call before 10am',
  "don't call me at work, use the mobile",
  'please call back tomorrow afternoon',
  'she stopped by the office last week',
  'the scan is scheduled for Friday',
  'report your symptoms to the nurse',
  'she never called back',
  'booked her facial consult',
  'appointment confirmed, all good',
  'asked about the bill, resolved on the call',
  'left voicemail with callback number',
  'the bird feeder needs suet',
  'reviewed her chart with the doctor',
  'prefers a female provider',
  'a court-appointed guardian',
  '',
];

describe('screenRemarks', () => {
  it.each(POSITIVES)('%j flags %s / %s', (text, category, phrase) => {
    const { flags } = screenRemarks(text);
    expect(flags).toContainEqual(expect.objectContaining({ category, phrase }));
  });

  it.each(NEGATIVES)('%j raises nothing', (text) => {
    expect(screenRemarks(text).flags).toEqual([]);
  });

  it('has 30+ positives and 30+ negatives, in every category', () => {
    expect(POSITIVES.length).toBeGreaterThanOrEqual(30);
    expect(NEGATIVES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(POSITIVES.map(([, c]) => c))).toEqual(new Set(Object.keys(DEFAULT_RED_FLAGS.phrases)));
  });

  it('says where: the phrase, the words as written, and an excerpt of about 60 characters', () => {
    const text =
      'Called about the recall visit. Patient was upset about an old balance and said she is going to ' +
      'contact her Attorney if we keep sending statements, then hung up before we could explain anything.';
    const { flags } = screenRemarks(text);
    expect(flags).toHaveLength(1);
    const [flag] = flags;
    expect(flag).toMatchObject({ category: 'legal', phrase: 'attorney', match: 'Attorney' });
    expect(flag.excerpt).toContain('contact her Attorney if');
    expect(flag.excerpt.startsWith('…')).toBe(true);
    expect(flag.excerpt.endsWith('…')).toBe(true);
    expect(flag.excerpt.length).toBeLessThanOrEqual(70);
    expect(flag.excerpt.length).toBeGreaterThanOrEqual(40);
  });

  it('reports each phrase once, the longest within a category, in text order', () => {
    const { flags } = screenRemarks(
      'Wants to file a complaint with the BBB. Complaint #2 next week. Her lawyer said stop calling.',
    );
    expect(flags.map((f) => [f.category, f.phrase])).toEqual([
      ['complaint', 'file a complaint'],
      ['complaint', 'bbb'],
      ['complaint', 'complaint'],
      ['legal', 'lawyer'],
      ['do_not_contact', 'stop calling'],
    ]);
  });

  it('does not join words across sentences', () => {
    expect(screenRemarks('Told him to stop. Calling back Monday.').flags).toEqual([]);
  });

  it('reads "Sue" as a name only when written as one', () => {
    expect(screenRemarks('Sue answered.').flags).toHaveLength(1); // a sentence that starts "Sue": could be either
    expect(screenRemarks('spoke with Sue').flags).toEqual([]);
    expect(screenRemarks('she will sue').flags).toHaveLength(1);
  });

  it('uses a practice’s own lists', () => {
    const lists = customizeRedFlags(DEFAULT_RED_FLAGS, {
      add: { executive: ['medical director'] },
      remove: ['Google Review'],
      except: ['yelp for help'],
    });
    expect(screenRemarks('asked for the medical director', lists).flags[0]).toMatchObject({
      category: 'executive',
    });
    expect(screenRemarks('left a google review', lists).flags).toEqual([]);
    expect(screenRemarks('she said yelp for help', lists).flags).toEqual([]);
    expect(screenRemarks('she will yelp about it', lists).flags).toHaveLength(1);
    expect(screenRemarks('left a google review', DEFAULT_RED_FLAGS).flags).toHaveLength(1);
    expect(DEFAULT_RED_FLAGS.phrases.executive).not.toContain('medical director');
  });

  it('ignores empty phrases in a list', () => {
    const lists = customizeRedFlags(DEFAULT_RED_FLAGS, { add: { legal: ['', '  ', '!!'] } });
    expect(screenRemarks('all fine', lists).flags).toEqual([]);
  });
});

describe('repeatedContactFlag', () => {
  it('flags a patient reached 3 or more times without a resolution', () => {
    expect(repeatedContactFlag(0)).toBeNull();
    expect(repeatedContactFlag(2)).toBeNull();
    expect(repeatedContactFlag(3)).toMatchObject({ category: 'repeated_contact', count: 3 });
    expect(repeatedContactFlag(7)?.count).toBe(7);
    expect(repeatedContactFlag(2, 2)).not.toBeNull();
  });
});
