import { randomFillSync } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { CycleAssignment } from './builder';

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/**
 * `count` ids in the UUIDv7 layout (RFC 9562: 48-bit Unix milliseconds, version, a 30-bit
 * counter, variant, 44 random bits), increasing in the order given: a build's rows then land
 * at the right edge of the primary key's B-tree instead of on random leaves.
 */
export function orderedIds(count: number, nowMs: number): string[] {
  if (count >= 2 ** 30) throw new Error('orderedIds: at most 2^30 ids at once');
  const time = nowMs.toString(16).padStart(12, '0').slice(-12);
  const prefix = `${time.slice(0, 8)}-${time.slice(8, 12)}-`;
  const random = randomFillSync(Buffer.alloc(count * 6));
  const ids = new Array<string>(count);
  for (let k = 0; k < count; k++) {
    const r = k * 6;
    ids[k] =
      prefix +
      HEX[0x70 | ((k >>> 26) & 0x0f)] +
      HEX[(k >>> 18) & 0xff] +
      '-' +
      HEX[0x80 | ((k >>> 12) & 0x3f)] +
      HEX[(k >>> 4) & 0xff] +
      '-' +
      HEX[((k & 0x0f) << 4) | (random[r] & 0x0f)] +
      HEX[random[r + 1]] +
      HEX[random[r + 2]] +
      HEX[random[r + 3]] +
      HEX[random[r + 4]] +
      HEX[random[r + 5]];
  }
  return ids;
}

/**
 * The order the rows are written in: by agent, then day. An agent's queue for a day then sits
 * on a few heap pages, and the (agent, day) indexes grow at one point per agent.
 */
export function insertionOrder(assignments: readonly CycleAssignment[]): CycleAssignment[] {
  const byAgent = new Map<string, CycleAssignment[]>();
  for (const a of assignments) {
    const list = byAgent.get(a.agentId);
    if (list) list.push(a);
    else byAgent.set(a.agentId, [a]);
  }
  const ordered: CycleAssignment[] = [];
  for (const list of byAgent.values()) {
    // Stable: within a day the builder's priority order stays.
    list.sort((x, y) => (x.dueOn < y.dueOn ? -1 : x.dueOn > y.dueOn ? 1 : 0));
    for (const a of list) ordered.push(a);
  }
  return ordered;
}

/**
 * Writes a cycle's assignments with one `COPY` on the transaction's connection (every value is
 * an id, a date, a code or a number: nothing needs escaping). Foreign keys and constraints are
 * checked per row as with an INSERT.
 */
export async function copyAssignments(
  client: ClientBase,
  cycle: { id: string; practiceId: string },
  assignments: readonly CycleAssignment[],
  nowMs: number,
): Promise<void> {
  const rows = insertionOrder(assignments);
  const ids = orderedIds(rows.length, nowMs);
  const tail = `\t${cycle.id}\t${cycle.practiceId}\t`;
  function* chunks(): Generator<string> {
    const size = 5000;
    for (let start = 0; start < rows.length; start += size) {
      let text = '';
      for (let k = start; k < Math.min(rows.length, start + size); k++) {
        const a = rows[k];
        text += `${ids[k]}${tail}${a.memberId}\t${a.agentId}\t${a.dueOn}\t${a.reason}\t${a.priority}\tpending\n`;
      }
      yield text;
    }
  }
  // PostgreSQL refuses COPY FROM into a table under row-level security, so the rows land in a
  // temporary table first and one INSERT … SELECT moves them (the policy checks each row).
  const columns = 'id, cycle_id, practice_id, member_id, agent_id, due_on, reason, priority, state';
  await client.query(
    `DROP TABLE IF EXISTS stg_cycle_assignment;
     CREATE TEMP TABLE stg_cycle_assignment ON COMMIT DROP AS
       SELECT ${columns} FROM cycle_assignment WITH NO DATA`,
  );
  await pipeline(
    Readable.from(chunks()),
    client.query(copyFrom(`COPY stg_cycle_assignment (${columns}) FROM STDIN`)),
  );
  await client.query(
    `INSERT INTO cycle_assignment (${columns}) SELECT ${columns} FROM stg_cycle_assignment;
     DROP TABLE stg_cycle_assignment`,
  );
}
