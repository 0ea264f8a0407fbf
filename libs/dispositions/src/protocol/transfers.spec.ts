import fc from 'fast-check';
import {
  blindTransferProblem,
  isGroupOpen,
  parseTransferGroup,
  transferDecision,
  transferOptions,
  transferScripts,
  validateHours,
  type TransferGroupInput,
  type TransferGroupRule,
} from './transfers';

const CHICAGO = 'America/Chicago';
// Monday 2026-06-15, 10:00 in Chicago (15:00 UTC).
const MONDAY_10AM = new Date('2026-06-15T15:00:00Z');
const WEEKDAYS_9_TO_5 = { days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' };

const group = (over: Partial<TransferGroupRule> = {}): TransferGroupRule => ({
  id: over.name ?? 'g',
  name: 'Resolutions',
  whenToTransfer: '',
  phone: '+13125550100',
  extension: null,
  hours: null,
  allowedRoles: ['agent', 'manager', 'admin'],
  situations: [],
  active: true,
  ...over,
});

const input = (over: Partial<TransferGroupInput> = {}): TransferGroupInput => ({
  name: 'Billing escalations',
  whenToTransfer: 'Asks for a supervisor about a payment',
  phone: '+1 (312) 555-0100',
  extension: null,
  hours: WEEKDAYS_9_TO_5,
  allowedRoles: ['agent'],
  situations: ['supervisor_payment'],
  ...over,
});

describe('validateHours', () => {
  it('takes no hours (always open) and well-formed weekday hours', () => {
    expect(validateHours(null)).toBeNull();
    expect(validateHours(WEEKDAYS_9_TO_5)).toBeNull();
    expect(validateHours({ ...WEEKDAYS_9_TO_5, timeZone: 'America/New_York' })).toBeNull();
  });

  it.each([
    [{ days: [], open: '09:00', close: '17:00' }, /hours.days/],
    [{ days: [0], open: '09:00', close: '17:00' }, /hours.days/],
    [{ days: [8], open: '09:00', close: '17:00' }, /hours.days/],
    [{ days: [1.5], open: '09:00', close: '17:00' }, /hours.days/],
    [{ days: [1], open: '9:00', close: '17:00' }, /HH:MM/],
    [{ days: [1], open: '09:00', close: '24:00' }, /HH:MM/],
    [{ days: [1], open: '17:00', close: '09:00' }, /after hours.open/],
    [{ days: [1], open: '09:00', close: '09:00' }, /after hours.open/],
    [{ days: [1], open: '09:00', close: '17:00', timeZone: 'Mars/Olympus' }, /timeZone/],
    [{ days: [1], open: '09:00', close: '17:00', timeZone: 5 }, /timeZone/],
    ['always', /hours: an object/],
  ])('refuses %j', (hours, message) => {
    expect(validateHours(hours as never)).toMatch(message);
  });
});

describe('isGroupOpen', () => {
  const open = (hours: TransferGroupRule['hours'], at: string, active = true) =>
    isGroupOpen({ hours, active }, new Date(at), CHICAGO);

  it('reads the hours on the practice clock: 09:00 in Chicago is 14:00 UTC in June', () => {
    expect(open(WEEKDAYS_9_TO_5, '2026-06-15T13:59:00Z')).toBe(false);
    expect(open(WEEKDAYS_9_TO_5, '2026-06-15T14:00:00Z')).toBe(true);
    expect(open(WEEKDAYS_9_TO_5, '2026-06-15T21:59:00Z')).toBe(true);
    // closing time is not open
    expect(open(WEEKDAYS_9_TO_5, '2026-06-15T22:00:00Z')).toBe(false);
  });

  it('is closed on days it does not list (Saturday)', () => {
    expect(open(WEEKDAYS_9_TO_5, '2026-06-20T15:00:00Z')).toBe(false);
  });

  it("uses the group's own zone when it has one", () => {
    // 10:00 in Chicago is 08:00 in Los Angeles: not open yet there.
    expect(open({ ...WEEKDAYS_9_TO_5, timeZone: 'America/Los_Angeles' }, '2026-06-15T15:00:00Z')).toBe(false);
    expect(open({ ...WEEKDAYS_9_TO_5, timeZone: 'America/Los_Angeles' }, '2026-06-15T16:00:00Z')).toBe(true);
  });

  it('follows daylight saving: 09:00 Chicago is 15:00 UTC in January', () => {
    expect(open(WEEKDAYS_9_TO_5, '2026-01-12T14:30:00Z')).toBe(false);
    expect(open(WEEKDAYS_9_TO_5, '2026-01-12T15:00:00Z')).toBe(true);
  });

  it('no hours: always open; archived: never', () => {
    expect(open(null, '2026-06-20T08:00:00Z')).toBe(true);
    expect(open(null, '2026-06-15T15:00:00Z', false)).toBe(false);
  });
});

describe('transferOptions', () => {
  const groups = [
    group({ id: 'res', name: 'Resolutions', situations: ['supervisor_other'] }),
    group({ id: 'bill', name: 'Billing escalations', situations: ['supervisor_payment', 'financial'] }),
    group({ id: 'sales', name: 'Sales', allowedRoles: ['manager', 'admin'] }),
    group({ id: 'old', name: 'Archived', active: false }),
    group({ id: 'clin', name: 'Clinical triage', hours: WEEKDAYS_9_TO_5 }),
  ];

  it('leaves out groups an agent may not use ("not as a level 1") and archived ones', () => {
    const ids = transferOptions(groups, 'agent', [], MONDAY_10AM, CHICAGO).map((o) => o.id);
    expect(ids).toEqual(['bill', 'clin', 'res']);
    const managers = transferOptions(groups, 'manager', [], MONDAY_10AM, CHICAGO).map((o) => o.id);
    expect(managers).toContain('sales');
    expect(managers).not.toContain('old');
  });

  it("puts the groups for the call's situation first, then by name", () => {
    const options = transferOptions(groups, 'agent', ['financial'], MONDAY_10AM, CHICAGO);
    expect(options.map((o) => [o.id, o.suggested])).toEqual([
      ['bill', true],
      ['clin', false],
      ['res', false],
    ]);
  });

  it('says which groups are open now', () => {
    const saturday = new Date('2026-06-20T15:00:00Z');
    const options = transferOptions(groups, 'agent', [], saturday, CHICAGO);
    expect(options.find((o) => o.id === 'clin')?.open).toBe(false);
    expect(options.find((o) => o.id === 'res')?.open).toBe(true);
  });

  it('never offers a group whose roles leave out the caller (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.subarray(['agent', 'manager', 'admin']), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('agent', 'manager', 'admin'),
        (roleSets, role) => {
          const gs = roleSets.map((allowedRoles, i) => group({ id: `g${i}`, name: `G${i}`, allowedRoles }));
          const offered = transferOptions(gs, role, [], MONDAY_10AM, CHICAGO);
          expect(offered.every((o) => o.allowedRoles.includes(role))).toBe(true);
          expect(offered).toHaveLength(roleSets.filter((r) => r.includes(role)).length);
        },
      ),
    );
  });
});

describe('transferDecision', () => {
  const decide = (
    g: TransferGroupRule,
    role: string,
    kind: 'warm' | 'blind',
    outcome: string,
    at = MONDAY_10AM,
  ) => transferDecision(g, role, kind, outcome as never, at, CHICAGO);

  it('refuses a role the group does not take, naming the group', () => {
    const r = decide(group({ name: 'Sales', allowedRoles: ['manager'] }), 'agent', 'warm', 'connected');
    expect(r).toEqual({ ok: false, status: 'forbidden', message: expect.stringMatching(/Sales.*agent/) });
  });

  it('refuses an archived group', () => {
    expect(decide(group({ active: false }), 'agent', 'warm', 'connected')).toMatchObject({
      ok: false,
      status: 'invalid',
    });
  });

  it('records a closed group as unavailable with a callback ticket, whatever the agent chose', () => {
    const saturday = new Date('2026-06-20T15:00:00Z');
    expect(decide(group({ hours: WEEKDAYS_9_TO_5 }), 'agent', 'warm', 'connected', saturday)).toEqual({
      ok: true,
      outcome: 'unavailable',
      fileTicket: true,
    });
  });

  it('files a ticket for an unavailable queue, not for the other outcomes', () => {
    expect(decide(group(), 'agent', 'warm', 'unavailable')).toEqual({
      ok: true,
      outcome: 'unavailable',
      fileTicket: true,
    });
    for (const outcome of ['connected', 'no_answer', 'declined'])
      expect(decide(group(), 'agent', 'warm', outcome)).toEqual({ ok: true, outcome, fileTicket: false });
  });

  it('refuses "no answer" on a blind transfer (nobody is waited for)', () => {
    expect(decide(group(), 'agent', 'blind', 'no_answer')).toMatchObject({ ok: false, status: 'invalid' });
  });
});

describe('blindTransferProblem', () => {
  it('allows a blind transfer only after an unanswered warm one to the same group', () => {
    expect(blindTransferProblem([], 'bill')).toMatch(/warm transfer/);
    expect(
      blindTransferProblem([{ groupId: 'bill', kind: 'warm', outcome: 'connected' }], 'bill'),
    ).not.toBeNull();
    expect(
      blindTransferProblem([{ groupId: 'res', kind: 'warm', outcome: 'no_answer' }], 'bill'),
    ).not.toBeNull();
    expect(
      blindTransferProblem([{ groupId: 'bill', kind: 'warm', outcome: 'no_answer' }], 'bill'),
    ).toBeNull();
  });
});

describe('parseTransferGroup', () => {
  it('keeps a good entry, trimmed, roles and situations in their canonical order without repeats', () => {
    const r = parseTransferGroup(
      input({
        name: '  Billing escalations ',
        allowedRoles: ['admin', 'agent', 'admin'],
        situations: ['financial', 'supervisor_payment', 'financial'],
        hours: { days: [5, 1, 3, 1], open: '08:30', close: '18:00' },
      }),
    );
    expect(r).toEqual({
      ok: true,
      value: expect.objectContaining({
        name: 'Billing escalations',
        allowedRoles: ['agent', 'admin'],
        situations: ['financial', 'supervisor_payment'],
        hours: { days: [1, 3, 5], open: '08:30', close: '18:00' },
      }),
    });
  });

  it('takes an extension without a phone', () => {
    expect(parseTransferGroup(input({ phone: '', extension: '2201' })).ok).toBe(true);
  });

  it.each([
    [{ name: '   ' }, 'name'],
    [{ name: 'x'.repeat(101) }, 'name'],
    [{ phone: '', extension: null }, 'phone'],
    [{ phone: 'call Bob' }, 'phone'],
    [{ extension: 'ext 22' }, 'extension'],
    [{ hours: { days: [9], open: '09:00', close: '17:00' } }, 'hours'],
    [{ allowedRoles: [] }, 'allowedRoles'],
    [{ allowedRoles: ['owner'] }, 'allowedRoles'],
    [{ situations: ['weather'] }, 'situations'],
  ])('refuses %j, naming %s', (over, field) => {
    const r = parseTransferGroup(input(over as Partial<TransferGroupInput>));
    expect(r).toMatchObject({ ok: false, field });
    if (!r.ok) expect(r.message.startsWith(`${field}`)).toBe(true);
  });
});

describe('transferScripts', () => {
  it("fills protocol 000's script with the group, the topic and the agent", () => {
    const s = transferScripts({
      groupName: 'Billing escalations',
      topic: 'a statement',
      agentName: 'Ann Agent',
    });
    expect(s.toCaller).toBe(
      "Since this is a question regarding a statement, I will need to transfer you to a Billing escalations representative. I'll speak to them first, so you won't have to repeat that information again.",
    );
    expect(s.toRep).toContain('This is Ann Agent');
    expect(s.toRep).toContain('regarding a statement');
    expect(s.noAnswer).toMatch(/Do you mind if I transfer you without speaking to them first\?/);
    expect(s.steps).toContain('Wait a total of 1 minute for a rep to answer.');
    expect(s.steps.at(-1)).toMatch(/blind transfer/);
  });

  it('leaves a blank for the agent to say when there is no topic', () => {
    expect(transferScripts({ groupName: 'G', topic: '  ', agentName: 'A' }).toCaller).toContain(
      'regarding ______,',
    );
  });
});
