import { PracticesService, UsersService } from '@recall/auth';
import { CampaignsService } from '@recall/campaigns';
import { FixedClock, RequestContext, Role } from '@recall/core';
import { CyclesService, QueueService } from '@recall/cycles';
import { DISPOSITIONS, DispositionsService, type DispositionCode } from '@recall/dispositions';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import './support/fast-check-seed';
import { importFiles } from './support/scenario';
import { startTestApi, TestApi } from './support/test-api';

/**
 * Model-based: random sequences of dispositions, re-imports and weeks passing (with cycle
 * rollover) against a plain reference model of DOMAIN.md §5. After every step the database
 * agrees with the model patient by patient, and no queue offers a patient the model has
 * closed: do-not-call and exhausted patients never come back, and a wrong number moves the
 * patient to their next good one.
 */

const CODES = (Object.keys(DISPOSITIONS) as DispositionCode[]).filter((c) => c !== 'DUPLICATE');
// Six patients; P1 and P2 share a home number (a household), P6 has one number only.
const PATIENTS = [
  ['P1', '(312) 555-0401', '(312) 555-0499'],
  ['P2', '(312) 555-0402', '(312) 555-0499'],
  ['P3', '(312) 555-0403', '(312) 555-0493'],
  ['P4', '(312) 555-0404', '(312) 555-0494'],
  ['P5', '(312) 555-0405', '(312) 555-0495'],
  ['P6', '(312) 555-0406', ''],
] as const;

type Action =
  | { kind: 'record'; patient: number; code: DispositionCode; agent: number }
  | { kind: 'import' }
  | { kind: 'week' };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('record' as const),
      patient: fc.integer({ min: 0, max: PATIENTS.length - 1 }),
      // Mostly retries, so patients reach the cap; the rest close or move numbers.
      code: fc.oneof(
        {
          weight: 4,
          arbitrary: fc.constantFrom(
            ...CODES.filter((c) => DISPOSITIONS[c].retryDelayKey && !DISPOSITIONS[c].numberLevel),
          ),
        },
        { weight: 1, arbitrary: fc.constantFrom(...CODES) },
      ),
      agent: fc.integer({ min: 0, max: 1 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'import' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'week' as const }) },
);

interface ModelPatient {
  mrn: string;
  memberId: string;
  patientId: string;
  /** E.164, in the stored order. */
  phones: string[];
  state: string;
  attempts: number;
  dnc: boolean;
}

describe('dispositions against a reference model', () => {
  let api: TestApi;
  let db: DataSource;
  const clock = new FixedClock('2026-06-15T15:00:00Z'); // Monday 10:00 in Chicago
  const system = <T>(fn: () => Promise<T>) =>
    RequestContext.run({ requestId: 'model', channel: 'system' }, fn);
  const dir = mkdtempSync(path.join(tmpdir(), 'recall-model-'));
  const file = path.join(dir, 'patients.csv');
  let run = 0;

  beforeAll(async () => {
    api = await startTestApi({ clock });
    db = api.app.get(DataSource);
    writeFileSync(
      file,
      [
        'MRN,First Name,Last Name,DOB,Mobile Phone,Home Phone,State,ZIP,Last Visit',
        ...PATIENTS.map(
          ([mrn, mobile, home], i) =>
            `${mrn},Pat${i},Model,1970-01-0${i + 1},${mobile},${home},IL,60601,2025-01-10`,
        ),
      ].join('\n'),
    );
  });
  afterAll(() => api.close());

  const importFile = (practiceId: string) => importFiles(api, practiceId, [{ kind: 'patients', path: file }]);

  async function setup() {
    run++;
    clock.set('2026-06-15T15:00:00Z');
    const slug = `model-${run}`;
    return system(async () => {
      const practice = await api.app.get(PracticesService).create({ slug, timezone: 'America/Chicago' });
      const agents: string[] = [];
      for (const n of [1, 2]) {
        const u = await api.app.get(UsersService).create({
          login: `${slug}.agent${n}`,
          role: Role.Agent,
          practiceSlugs: [slug],
          password: 'model-agent-pass',
        });
        agents.push(u.user.id);
      }
      await importFile(practice.id);
      const campaigns = api.app.get(CampaignsService);
      const c = await campaigns.create(
        practice.id,
        { type: 'reactivation', name: 'Model', agentLogins: [`${slug}.agent1`, `${slug}.agent2`] },
        null,
      );
      await campaigns.savePlan(practice.id, c.id, {});
      await campaigns.transition(practice.id, c.id, 'launch');
      await api.app.get(CyclesService).build(practice.id, c.id, { seed: run });
      const rows = await db.query(
        `SELECT m.id AS member_id, p.id AS patient_id, p.mrn, p.phones FROM campaign_member m
         JOIN patient p ON p.id = m.patient_id WHERE m.campaign_id = $1 ORDER BY p.mrn`,
        [c.id],
      );
      const patients: ModelPatient[] = rows.map(
        (r: { member_id: string; patient_id: string; mrn: string; phones: { e164: string }[] }) => ({
          mrn: r.mrn,
          memberId: r.member_id,
          patientId: r.patient_id,
          phones: r.phones.map((p) => p.e164),
          state: 'open',
          attempts: 0,
          dnc: false,
        }),
      );
      expect(patients).toHaveLength(PATIENTS.length);
      return { practiceId: practice.id, agents, patients, bad: new Set<string>() };
    });
  }

  it('keeps the database, the queues and the model in agreement', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 10, maxLength: 40 }), async (actions) => {
        const world = await setup();
        const dispositions = api.app.get(DispositionsService);
        for (const a of actions) {
          if (a.kind === 'import') await system(() => importFile(world.practiceId));
          else if (a.kind === 'week') {
            clock.set(new Date(clock.nowDate().getTime() + 7 * 86_400_000).toISOString());
            await system(() => api.app.get(CyclesService).rollover());
          } else {
            const m = world.patients[a.patient];
            const spec = DISPOSITIONS[a.code];
            const usable = m.phones.find((p) => !world.bad.has(p)) ?? m.phones[0];
            const local = clock.nowDate();
            const day = (offset: number) =>
              new Date(local.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
            const attempt = system(() =>
              dispositions.record(
                world.practiceId,
                {
                  memberId: m.memberId,
                  agentId: world.agents[a.agent],
                  code: a.code,
                  phone: usable,
                  appointmentAt: spec.requiresAppointment ? `${day(7)}T10:00` : undefined,
                  callbackAt: spec.requiresCallback ? `${day(1)}T11:00` : undefined,
                  reason: spec.requiresReason ? 'found another doctor' : undefined,
                  idempotencyKey: `${world.practiceId}:${Math.random()}`,
                  source: 'api',
                },
                { id: world.agents[a.agent], role: Role.Manager },
              ),
            );
            if (m.state !== 'open') {
              await expect(attempt).rejects.toThrow(/no longer open|do-not-call/);
              continue;
            }
            const result = await attempt;
            if (spec.attempt) m.attempts++;
            let next: string | null = null;
            if (spec.numberLevel) {
              world.bad.add(usable);
              next = m.phones.find((p) => !world.bad.has(p)) ?? null;
              expect(result.nextNumber).toBe(next);
            }
            if (spec.closesAs) m.state = spec.closesAs;
            else if (spec.numberLevel && next === null) m.state = 'unreachable';
            else if (spec.attempt && m.attempts >= 5) m.state = 'exhausted';
            if (spec.doNotCall) m.dnc = true;
            expect(result.member).toMatchObject({ state: m.state, attempts: m.attempts });
          }
          await check(world);
        }
      }),
      { numRuns: 10 },
    );
  }, 240_000);

  async function check(world: Awaited<ReturnType<typeof setup>>) {
    const rows = await db.query(
      `SELECT m.id, m.state, m.attempts, p.do_not_call_at, p.phones FROM campaign_member m
       JOIN patient p ON p.id = m.patient_id WHERE m.practice_id = $1`,
      [world.practiceId],
    );
    const byMember = new Map(rows.map((r: { id: string }) => [r.id, r]));
    for (const m of world.patients) {
      const r = byMember.get(m.memberId) as {
        state: string;
        attempts: number;
        do_not_call_at: Date | null;
        phones: { e164: string; valid: boolean }[];
      };
      expect({ mrn: m.mrn, state: r.state, attempts: r.attempts, dnc: r.do_not_call_at !== null }).toEqual({
        mrn: m.mrn,
        state: m.state,
        attempts: m.attempts,
        dnc: m.dnc,
      });
    }
    // The number marks reach every patient with the number (the household's by a queued job).
    for (let i = 0; ; i++) {
      const stale = (await db.query(`SELECT phones FROM patient WHERE practice_id = $1`, [world.practiceId]))
        .flatMap((r: { phones: { e164: string; valid: boolean }[] }) => r.phones)
        .filter((p: { e164: string; valid: boolean }) => world.bad.has(p.e164) && p.valid);
      if (stale.length === 0) break;
      if (i > 40) throw new Error(`bad numbers still valid: ${JSON.stringify(stale)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const queue = api.app.get(QueueService);
    for (const agent of world.agents) {
      const { items } = await system(() => queue.queue(world.practiceId, agent));
      for (const item of items) {
        const m = world.patients.find((p) => p.memberId === item.memberId)!;
        expect({ mrn: m.mrn, state: m.state, dnc: m.dnc }).toEqual({ mrn: m.mrn, state: 'open', dnc: false });
        expect(item.phones.filter((p) => p.valid).some((p) => world.bad.has(p.e164!))).toBe(false);
      }
    }
  }
});
