import fc from 'fast-check';
import { sampleContacts, sampleSize, type SampleCandidate } from './qa-sampler';

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const uuid = (agent: number, call: number) => `${hex(agent, 8)}-0000-4000-8000-${hex(call, 12)}`;

/** A day's contacts: 1–4 agents with 1–15 contacts each. */
const day = fc
  .array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 4 })
  .map((counts) =>
    counts.flatMap((n, agent) =>
      Array.from({ length: n }, (_, call) => ({ attemptId: uuid(agent, call), agentId: `agent-${agent}` })),
    ),
  );
const share = fc.double({ min: 0, max: 1, noNaN: true });
const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

const byAgent = (candidates: readonly SampleCandidate[]) => {
  const m = new Map<string, string[]>();
  for (const c of candidates) m.set(c.agentId, [...(m.get(c.agentId) ?? []), c.attemptId]);
  return m;
};

describe('the QA sampler', () => {
  it('draws each agent’s share (at least one when the share is above zero), from their own contacts, once each', () => {
    fc.assert(
      fc.property(day, share, seed, (candidates, s, sd) => {
        const picked = sampleContacts({ candidates, share: s, seed: sd });
        expect(new Set(picked).size).toBe(picked.length);
        for (const [agent, ids] of byAgent(candidates)) {
          const mine = picked.filter((id) => ids.includes(id));
          expect(mine.length).toBe(sampleSize(ids.length, s));
          if (s > 0) expect(mine.length).toBeGreaterThanOrEqual(1);
          expect(mine.every((id) => candidates.find((c) => c.attemptId === id)?.agentId === agent)).toBe(
            true,
          );
        }
      }),
    );
  });

  it('is reproducible: the same contacts (in any order) and seed give the same sample', () => {
    fc.assert(
      fc.property(
        day.chain((c) => fc.tuple(fc.constant(c), fc.shuffledSubarray(c, { minLength: c.length }))),
        share,
        seed,
        ([candidates, reordered], s, sd) => {
          const a = sampleContacts({ candidates, share: s, seed: sd });
          const b = sampleContacts({ candidates: reordered, share: s, seed: sd });
          expect([...b].sort()).toEqual([...a].sort());
        },
      ),
    );
  });

  it('keeps one agent’s picks whatever the other agents did that day', () => {
    fc.assert(
      fc.property(day, day, share, seed, (mine, others, s, sd) => {
        const alone = mine.filter((c) => c.agentId === 'agent-0');
        const crowd = [...alone, ...others.filter((c) => c.agentId !== 'agent-0')];
        expect(sampleContacts({ candidates: alone, share: s, seed: sd }).sort()).toEqual(
          sampleContacts({ candidates: crowd, share: s, seed: sd })
            .filter((id) => alone.some((c) => c.attemptId === id))
            .sort(),
        );
      }),
    );
  });

  it('is uniform: over seeds, every contact of an agent is drawn equally often', () => {
    const SEEDS = 2000;
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.double({ min: 0.05, max: 0.6, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 31 - SEEDS }),
        (n, s, from) => {
          const candidates = Array.from({ length: n }, (_, i) => ({ attemptId: uuid(1, i), agentId: 'a' }));
          const hits = new Map<string, number>(candidates.map((c) => [c.attemptId, 0]));
          for (let sd = from; sd < from + SEEDS; sd++) {
            for (const id of sampleContacts({ candidates, share: s, seed: sd }))
              hits.set(id, hits.get(id)! + 1);
          }
          const expected = sampleSize(n, s) / n;
          // ±0.06 is over five standard deviations of a frequency over 2000 draws.
          for (const h of hits.values()) expect(Math.abs(h / SEEDS - expected)).toBeLessThan(0.06);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('draws nothing at a zero share or on a day without contacts, and refuses a share outside 0..1', () => {
    expect(
      sampleContacts({ candidates: [{ attemptId: uuid(0, 0), agentId: 'a' }], share: 0, seed: 1 }),
    ).toEqual([]);
    expect(sampleContacts({ candidates: [], share: 0.1, seed: 1 })).toEqual([]);
    expect(() => sampleContacts({ candidates: [], share: 1.5, seed: 1 })).toThrow(RangeError);
    expect(sampleSize(25, 0.1)).toBe(3);
    expect(sampleSize(4, 0.1)).toBe(1);
    expect(sampleSize(0, 0.1)).toBe(0);
  });
});
