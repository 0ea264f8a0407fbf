import { createHash } from 'node:crypto';
import { createRandom } from '../../cycles/src/builder/seeded-random';

/** A right-party contact of the day: the attempt and the agent who made it. */
export interface SampleCandidate {
  attemptId: string;
  agentId: string;
}

export interface SampleInput {
  candidates: readonly SampleCandidate[];
  /** The share of each agent's contacts to review, 0–1. */
  share: number;
  seed: number;
}

export const DEFAULT_QA_SHARE = 0.1;

/** How many of an agent's `contacts` a share asks for: rounded, and at least one when share > 0. */
export function sampleSize(contacts: number, share: number): number {
  if (contacts <= 0 || share <= 0) return 0;
  return Math.min(contacts, Math.max(1, Math.round(contacts * share)));
}

/**
 * Picks each agent's share of the day's contacts at random from `seed`. Pure: the same
 * candidates (in any order) and seed give the same picks, so a stored sample can be re-drawn
 * to prove it was random. Each agent draws from a generator keyed by seed and agent, so one
 * agent's calls never shift another's picks; within an agent every contact is equally likely
 * (a partial Fisher–Yates over the attempts sorted by id).
 */
export function sampleContacts({ candidates, share, seed }: SampleInput): string[] {
  if (!(share >= 0 && share <= 1)) throw new RangeError(`share must be within 0..1, got ${share}`);
  const byAgent = new Map<string, string[]>();
  for (const c of candidates) {
    const list = byAgent.get(c.agentId) ?? [];
    list.push(c.attemptId);
    byAgent.set(c.agentId, list);
  }
  const picked: string[] = [];
  for (const agentId of [...byAgent.keys()].sort()) {
    const ids = [...new Set(byAgent.get(agentId))].sort();
    const n = sampleSize(ids.length, share);
    const random = createRandom(agentSeed(seed, agentId));
    for (let i = 0; i < n; i++) {
      const j = i + random.int(ids.length - i);
      [ids[i], ids[j]] = [ids[j], ids[i]];
      picked.push(ids[i]);
    }
  }
  return picked;
}

/** 48 bits of sha256(seed:agent): a safe integer seed per agent. */
function agentSeed(seed: number, agentId: string): number {
  return createHash('sha256').update(`${seed}:${agentId}`).digest().readUIntBE(0, 6);
}
