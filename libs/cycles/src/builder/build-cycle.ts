import type {
  AssignmentReason,
  BuildCycleInput,
  BuildCycleResult,
  CycleAgent,
  CycleAssignment,
  CycleMember,
} from './cycle-types';
import { createRandom, type SeededRandom, shuffleInPlace } from './seeded-random';

/**
 * The cycle builder: a pure function from members, agents, days and a seed to assignments.
 *
 * 1. Members are sorted by id and given a seeded random tie-break, then ordered by priority
 *    (callbacks, retries, the rest), `dueSince`, `attempts`, tie-break: the order in which
 *    capacity is handed out and in which the backlog is listed.
 * 2. Members are grouped into units: a single member, or a household (split only where its
 *    members cannot share an agent and day: different promised callbacks, a `notBefore` after
 *    the callback day, a previous agent it must avoid, or more members than a day holds).
 * 3. Callback units go first, to the promising agent on the promised day, else to the pool
 *    on that day.
 * 4. Every other unit is admitted in priority order while the pooled capacity of the days it
 *    may use (`notBefore` on) still holds it, then placed latest-`notBefore` first (any day
 *    choice is then as good as any other for fitting everyone). A carried unit goes to its
 *    rotation target: the previous agent's position in the ring of agents with capacity, plus
 *    a seeded shift k in 1..n−1 (a permutation of last cycle's loads, never the same agent);
 *    other units go to the agent that is lightest relative to its capacity, counting the
 *    carried units still to come. Within an agent, a unit takes the eligible day with the most
 *    room left, the earliest on ties, which spreads an agent's load evenly over its days.
 * 5. Capacity left by admitted units that did not fit is offered to the rejected ones, again
 *    in priority order; whoever is left is the backlog.
 */
export function buildCycle(input: BuildCycleInput): BuildCycleResult {
  const { days } = input;
  assertAscending(days);
  const capacity = capacityOf(input.agents, days, null);
  const random = createRandom(input.seed);
  const ring = rotationRing(capacity, random);
  const members = prepareMembers(input.members, days, capacity, ring, random);
  const units = formUnits(members, ring, capacity, days.length);
  const placement = new Placement(capacity, ring.scanOrder, units, members.agentOf, members.dayOf);
  placement.run();

  const assignments: CycleAssignment[] = [];
  const backlog: string[] = [];
  const { ids, reasons, agentOf, dayOf } = members;
  for (const i of members.order) {
    const a = agentOf[i];
    if (a < 0) {
      backlog.push(ids[i]);
      continue;
    }
    const reason = reasons[i];
    assignments.push({
      memberId: ids[i],
      agentId: capacity.agents[a].agentId,
      dueOn: days[dayOf[i]],
      reason,
      priority: assignmentPriority(reason),
    });
  }
  return { assignments, backlog };
}

/** Agents with capacity in the cycle, in id order, and how carried members rotate among them. */
interface Ring {
  agents: number[];
  /** Position of an agent in `agents`, -1 when it has no capacity. */
  position: Int32Array;
  /** The seeded rotation: a carried member moves `shift` places on (1..n−1). */
  shift: number;
  /** Agents with capacity in a seeded order: who wins a tie for the lightest load. */
  scanOrder: number[];
}

function rotationRing(capacity: Capacity, random: SeededRandom): Ring {
  const agents: number[] = [];
  const position = new Int32Array(capacity.agents.length).fill(-1);
  capacity.capTotal.forEach((total, a) => {
    if (total > 0) position[a] = agents.push(a) - 1;
  });
  const shift = agents.length >= 2 ? 1 + random.int(agents.length - 1) : 0;
  return { agents, position, shift, scanOrder: shuffleInPlace([...agents], random) };
}

/** The members in id order (index i), with what the builder needs as flat arrays. */
interface Members {
  ids: string[];
  reasons: AssignmentReason[];
  householdKeys: (string | null)[];
  callback: Uint8Array;
  /** The agent index a callback was promised by (-1: none, or not one of the agents). */
  promisedBy: Int32Array;
  promisedAgentIds: (string | null)[];
  previousAgentIds: (string | null)[];
  /** Earliest day index (the callback's day for callbacks); `days.length` = not this cycle. */
  lo: Int32Array;
  /** The previous agent to avoid (-1 when none, or when fewer than two agents have capacity). */
  prev: Int32Array;
  /** Member indices in priority order, and each member's place in it. */
  order: Int32Array;
  pos: Int32Array;
  agentOf: Int32Array;
  dayOf: Int32Array;
}

function prepareMembers(
  input: CycleMember[],
  days: readonly string[],
  capacity: Capacity,
  ring: Ring,
  random: SeededRandom,
): Members {
  const D = days.length;
  const sorted = [...input].sort((x, y) => compareStrings(x.memberId, y.memberId));
  const N = sorted.length;
  for (let i = 1; i < N; i++) {
    if (sorted[i].memberId === sorted[i - 1].memberId) {
      throw new Error(`buildCycle: member ${sorted[i].memberId} appears twice`);
    }
  }
  const ids = sorted.map((m) => m.memberId);
  const reasons = sorted.map(assignmentReason);
  const lo = new Int32Array(N);
  const prev = new Int32Array(N).fill(-1);
  const callback = new Uint8Array(N);
  const promisedBy = new Int32Array(N).fill(-1);
  const attempts = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const m = sorted[i];
    attempts[i] = Math.min(Math.max(0, Math.floor(m.attempts)) || 0, 2 ** 20);
    if (m.callback) {
      callback[i] = 1;
      lo[i] = D === 0 ? 0 : dayOnOrAfter(days, m.callback.dueOn);
      promisedBy[i] = capacity.index.get(m.callback.agentId) ?? -1;
    } else {
      lo[i] = D === 0 || m.notBefore === null ? 0 : dayOnOrAfter(days, m.notBefore);
    }
    const p = m.previousAgentId === null ? undefined : capacity.index.get(m.previousAgentId);
    if (ring.agents.length >= 2 && p !== undefined && ring.position[p] >= 0) prev[i] = p;
  }

  // Priority, dueSince and attempts pack into one number; a seeded shuffle of the id-sorted
  // members breaks ties, and (key rank, shuffled place) packs again so a native sort orders.
  const due = dayNumbers(sorted.map((m) => m.dueSince));
  let minDue = Infinity;
  let maxDue = 0;
  let maxAttempts = 0;
  for (let i = 0; i < N; i++) {
    minDue = Math.min(minDue, due[i]);
    maxDue = Math.max(maxDue, due[i]);
    maxAttempts = Math.max(maxAttempts, attempts[i]);
  }
  const perDue = maxAttempts + 1;
  const perPriority = (maxDue - minDue + 1) * perDue;
  let key: Float64Array = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    key[i] = (assignmentPriority(reasons[i]) - 1) * perPriority + (due[i] - minDue) * perDue + attempts[i];
  }
  if (3 * perPriority * N >= 2 ** 52) key = denseRanks(key);
  const shuffled = shuffleInPlace(
    Array.from({ length: N }, (_, i) => i),
    random,
  );
  const memberAt = Int32Array.from(shuffled);
  const sortKeys = new Float64Array(N);
  for (let s = 0; s < N; s++) sortKeys[memberAt[s]] = key[memberAt[s]] * N + s;
  sortKeys.sort();
  const order = new Int32Array(N);
  const pos = new Int32Array(N);
  for (let p = 0; p < N; p++) {
    order[p] = memberAt[sortKeys[p] % N];
    pos[order[p]] = p;
  }
  return {
    ids,
    reasons,
    householdKeys: sorted.map((m) => m.householdKey),
    callback,
    promisedBy,
    promisedAgentIds: sorted.map((m) => m.callback?.agentId ?? null),
    previousAgentIds: sorted.map((m) => m.previousAgentId),
    lo,
    prev,
    order,
    pos,
    agentOf: new Int32Array(N).fill(-1),
    dayOf: new Int32Array(N),
  };
}

/**
 * Units in priority order, as parallel arrays: a cycle has up to ~10^5 of them and the
 * placement walks them in order, so flat arrays keep it cache-friendly.
 */
class Units {
  count = 0;
  /** Members of unit u: `members[start[u] .. start[u] + size[u])`. */
  readonly members: Int32Array;
  readonly start: Int32Array;
  readonly size: Int32Array;
  /** The day indices unit u may take: [lo, hi]. */
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  /** Callback units: the promising agent (-1 when not one of the agents); -2 for the rest. */
  readonly pin: Int32Array;
  /** Carried units: the rotation target; -1 for the rest. */
  readonly target: Int32Array;
  /**
   * Agents unit u must not get (previous agents of non-callback members) and, for callback
   * units in the pool, should not get if anyone else can: one agent inline, -1 for none,
   * -2 when the list is in `lists`.
   */
  readonly hard: Int32Array;
  readonly soft: Int32Array;
  private readonly lists = new Map<number, number[]>();

  constructor(capacity: number) {
    this.members = new Int32Array(capacity);
    [this.start, this.size, this.lo, this.hi, this.pin, this.target, this.hard, this.soft] = Array.from(
      { length: 8 },
      () => new Int32Array(capacity),
    );
  }

  add(list: readonly number[], lo: number, hi: number, pin: number, hard: number[], soft: number[]): number {
    const u = this.count++;
    this.start[u] = u === 0 ? 0 : this.start[u - 1] + this.size[u - 1];
    this.size[u] = list.length;
    for (let k = 0; k < list.length; k++) this.members[this.start[u] + k] = list[k];
    this.lo[u] = lo;
    this.hi[u] = hi;
    this.pin[u] = pin;
    this.target[u] = -1;
    this.hard[u] = this.encode(2 * u, hard);
    this.soft[u] = this.encode(2 * u + 1, soft);
    return u;
  }

  avoids(u: number, a: number, alsoSoft: boolean): boolean {
    const hard = this.hard[u];
    if (hard !== -1 && (hard === a || (hard === -2 && this.lists.get(2 * u)!.includes(a)))) return true;
    if (!alsoSoft) return false;
    const soft = this.soft[u];
    return soft !== -1 && (soft === a || (soft === -2 && this.lists.get(2 * u + 1)!.includes(a)));
  }

  private encode(slot: number, agents: number[]): number {
    if (agents.length === 0) return -1;
    if (agents.length === 1) return agents[0];
    this.lists.set(slot, [...agents]);
    return -2;
  }
}

/**
 * Groups the members of this cycle into units: singles, and households kept whole unless
 * they must part (see `householdParts`); a unit holds at most one day of an agent's calls.
 */
function formUnits(members: Members, ring: Ring, capacity: Capacity, D: number): Units {
  const N = members.ids.length;
  const { lo, prev, pos, callback } = members;
  const maxPerDay = Math.max(
    1,
    ...capacity.agents.map((agent, a) => (capacity.capTotal[a] > 0 ? callsPerDayOf(agent) : 0)),
  );
  const inCycle = (i: number): boolean => D > 0 && lo[i] < D;

  const households = new Map<string, number[]>();
  for (let i = 0; i < N; i++) {
    const key = members.householdKeys[i];
    if (key === null || !inCycle(i)) continue;
    const list = households.get(key);
    if (list) list.push(i);
    else households.set(key, [i]);
  }
  /** Multi-member parts by their first member; `callbackDay` -1 for parts without a callback. */
  const parts = new Map<number, { list: number[]; callbackDay: number; pin: number }>();
  const inPart = new Uint8Array(N);
  for (const list of households.values()) {
    if (list.length < 2) continue;
    list.sort((x, y) => pos[x] - pos[y]);
    for (const part of householdParts(list, members, ring)) {
      for (let start = 0; start < part.list.length; start += maxPerDay) {
        const chunk = part.list.slice(start, start + maxPerDay);
        parts.set(chunk[0], { ...part, list: chunk });
        for (const i of chunk) inPart[i] = 1;
      }
    }
  }

  const units = new Units(N);
  const single: number[] = [0];
  const hard: number[] = [];
  const soft: number[] = [];
  for (const i of members.order) {
    if (!inCycle(i)) continue;
    const part = inPart[i] ? parts.get(i) : undefined;
    if (inPart[i] && !part) continue;
    let list: number[];
    let callbackDay: number;
    let pin: number;
    if (part) ({ list, callbackDay, pin } = part);
    else {
      single[0] = i;
      list = single;
      callbackDay = callback[i] ? lo[i] : -1;
      pin = callback[i] ? members.promisedBy[i] : -2;
    }
    hard.length = 0;
    soft.length = 0;
    let latest = 0;
    let lead = -1;
    for (const m of list) {
      latest = Math.max(latest, lo[m]);
      if (prev[m] < 0) continue;
      const avoid = callback[m] ? soft : hard;
      if (!avoid.includes(prev[m])) avoid.push(prev[m]);
      if (!callback[m] && lead < 0) lead = prev[m];
    }
    const isCallback = callbackDay >= 0;
    const u = units.add(
      list,
      isCallback ? callbackDay : latest,
      isCallback ? callbackDay : D - 1,
      pin,
      hard,
      soft,
    );
    if (isCallback || lead < 0) continue;
    const n = ring.agents.length;
    for (let step = 0, p = ring.position[lead] + ring.shift; step < n; step++, p++) {
      const candidate = ring.agents[p % n];
      if (!hard.includes(candidate)) {
        units.target[u] = candidate;
        break;
      }
    }
  }
  return units;
}

/**
 * A household's members (in priority order) part only where they cannot share an agent and a
 * day: callback members promised by different agents or for different days form one part per
 * promise; the others join the first promise unless their `notBefore` is later or its agent was
 * their previous one; and if the previous agents of the rest cover every agent with capacity,
 * the rest parts by previous agent (those without one joining the first part).
 */
function householdParts(
  list: number[],
  members: Members,
  ring: Ring,
): { list: number[]; callbackDay: number; pin: number }[] {
  const { lo, prev, pos } = members;
  const promises = new Map<string, { list: number[]; callbackDay: number; pin: number; agentId: string }>();
  const free: number[] = [];
  for (const i of list) {
    const agentId = members.promisedAgentIds[i];
    if (agentId === null) {
      free.push(i);
      continue;
    }
    const key = `${lo[i]} ${agentId}`;
    const promise = promises.get(key);
    if (promise) promise.list.push(i);
    else promises.set(key, { list: [i], callbackDay: lo[i], pin: members.promisedBy[i], agentId });
  }
  const anchor = [...promises.values()][0];
  const rest: number[] = [];
  for (const i of free) {
    const joins =
      anchor !== undefined &&
      lo[i] <= anchor.callbackDay &&
      !(ring.agents.length >= 2 && members.previousAgentIds[i] === anchor.agentId);
    (joins ? anchor.list : rest).push(i);
  }
  const result = [...promises.values()].map((promise) => ({
    list: promise.list.sort((x, y) => pos[x] - pos[y]),
    callbackDay: promise.callbackDay,
    pin: promise.pin,
  }));
  if (rest.length === 0) return result;
  const previous = new Set(rest.map((i) => prev[i]).filter((p) => p >= 0));
  if (ring.agents.length < 2 || previous.size < ring.agents.length) {
    return [...result, { list: rest, callbackDay: -1, pin: -2 }];
  }
  const byPrevious = new Map<number, number[]>();
  for (const i of rest) {
    if (prev[i] < 0) continue;
    const part = byPrevious.get(prev[i]);
    if (part) part.push(i);
    else byPrevious.set(prev[i], [i]);
  }
  const split = [...byPrevious.values()];
  split[0] = [...split[0], ...rest.filter((i) => prev[i] < 0)].sort((x, y) => pos[x] - pos[y]);
  return [...result, ...split.map((part) => ({ list: part, callbackDay: -1, pin: -2 }))];
}

/** The capacity bookkeeping and the placement passes (steps 3 to 5 of `buildCycle`). */
class Placement {
  private readonly D: number;
  private readonly rem: Int32Array;
  private readonly capTotal: Float64Array;
  private readonly load: Float64Array;
  /** Carried units admitted but not yet placed, by rotation target. */
  private readonly pending: Float64Array;
  /** Per agent, the last day index with any room left (-1: full). */
  private readonly lastFree: Int32Array;

  constructor(
    capacity: Capacity,
    private readonly scanOrder: number[],
    private readonly units: Units,
    private readonly agentOf: Int32Array,
    private readonly dayOf: Int32Array,
  ) {
    const A = capacity.agents.length;
    this.D = capacity.days;
    this.rem = capacity.rem;
    this.capTotal = capacity.capTotal;
    this.load = new Float64Array(A);
    this.pending = new Float64Array(A);
    this.lastFree = new Int32Array(A);
    for (let a = 0; a < A; a++) {
      let d = this.D - 1;
      while (d >= 0 && this.rem[a * this.D + d] === 0) d--;
      this.lastFree[a] = d;
    }
  }

  run(): void {
    const { units, D, rem } = this;
    const U = units.count;
    for (let u = 0; u < U; u++) if (units.pin[u] !== -2) this.placeCallback(u);

    const slack = new Float64Array(D);
    for (let d = D - 1, total = 0; d >= 0; d--) {
      for (let a = 0; a < this.capTotal.length; a++) total += rem[a * D + d];
      slack[d] = total;
    }
    const buckets: number[][] = Array.from({ length: 2 * D }, () => []);
    const rejected: number[] = [];
    for (let u = 0; u < U; u++) {
      if (units.pin[u] !== -2) continue;
      const size = units.size[u];
      const lo = units.lo[u];
      const target = units.target[u];
      let fits = true;
      for (let d = 0; d <= lo && fits; d++) fits = slack[d] >= size;
      if (!fits) {
        rejected.push(u);
        continue;
      }
      for (let d = 0; d <= lo; d++) slack[d] -= size;
      if (target >= 0) this.pending[target] += size;
      buckets[2 * lo + (target >= 0 ? 0 : 1)].push(u);
    }
    for (let b = 2 * D - 1; b >= 0; b -= 2) {
      for (const u of buckets[b - 1]) this.placeFree(u, true);
      for (const u of buckets[b]) this.placeFree(u, true);
    }
    for (const u of rejected) this.placeFree(u, false);
  }

  private placeCallback(u: number): void {
    const { units } = this;
    const promised = units.pin[u];
    if (
      promised >= 0 &&
      !units.avoids(u, promised, false) &&
      this.rem[promised * this.D + units.lo[u]] >= units.size[u]
    ) {
      return this.put(u, promised);
    }
    const a = this.pickAgent(u, true);
    const anyone = a >= 0 ? a : this.pickAgent(u, false);
    if (anyone >= 0) this.put(u, anyone);
  }

  private placeFree(u: number, reserved: boolean): void {
    const target = this.units.target[u];
    if (target >= 0) {
      if (reserved) this.pending[target] -= this.units.size[u];
      if (this.roomy(target, u)) return this.put(u, target);
    }
    const a = this.pickAgent(u, false);
    if (a >= 0) this.put(u, a);
  }

  private roomy(a: number, u: number): boolean {
    const { D, rem, units } = this;
    const size = units.size[u];
    const lo = units.lo[u];
    const hi = units.hi[u];
    if (size === 1 && hi === D - 1) return this.lastFree[a] >= lo;
    for (let d = lo; d <= hi; d++) if (rem[a * D + d] >= size) return true;
    return false;
  }

  /** The agent lightest relative to its capacity after taking unit u (pending carried included). */
  private pickAgent(u: number, alsoSoft: boolean): number {
    const { load, pending, capTotal, units } = this;
    const size = units.size[u];
    const plain = units.hard[u] === -1 && (!alsoSoft || units.soft[u] === -1);
    let best = -1;
    let bestLoad = 0;
    let bestCap = 1;
    for (const a of this.scanOrder) {
      if ((!plain && units.avoids(u, a, alsoSoft)) || !this.roomy(a, u)) continue;
      const after = load[a] + pending[a] + size;
      if (best < 0 || after * bestCap < bestLoad * capTotal[a]) {
        best = a;
        bestLoad = after;
        bestCap = capTotal[a];
      }
    }
    return best;
  }

  /** Gives unit u to agent a on its eligible day with the most room left (the earliest on ties). */
  private put(u: number, a: number): void {
    const { D, rem, units } = this;
    const size = units.size[u];
    const base = a * D;
    let day = -1;
    for (let d = units.lo[u]; d <= units.hi[u]; d++) {
      if (rem[base + d] >= size && (day < 0 || rem[base + d] > rem[base + day])) day = d;
    }
    rem[base + day] -= size;
    this.load[a] += size;
    while (this.lastFree[a] >= 0 && rem[base + this.lastFree[a]] === 0) this.lastFree[a]--;
    for (let k = units.start[u], end = k + size; k < end; k++) {
      this.agentOf[units.members[k]] = a;
      this.dayOf[units.members[k]] = day;
    }
  }
}

/** A callback wins, then a retry delay (`notBefore`), then a previous agent. */
export function assignmentReason(member: CycleMember): AssignmentReason {
  if (member.callback) return 'callback';
  if (member.notBefore !== null) return 'retry';
  return member.previousAgentId === null ? 'new' : 'carried';
}

export function assignmentPriority(reason: AssignmentReason): number {
  return reason === 'callback' ? 1 : reason === 'retry' ? 2 : 3;
}

export interface AbsenceMove {
  memberId: string;
  fromAgentId: string;
  toAgentId: string;
  dueOn: string;
}

export interface RebalanceAbsenceResult {
  moved: AbsenceMove[];
  /** Members that no other agent had room for on an allowed day: back to the backlog. */
  unplaced: string[];
}

/**
 * Moves an absent agent's assignments due on the absent days (from `fromDay` on) to the other
 * agents. A unit (one member, or a household due that day) goes to the agent lightest relative
 * to its capacity with room, preferring its own day, then later days, then earlier ones (never
 * before `fromDay` or `notBefore`; callbacks keep their day), and avoiding members' previous
 * agents unless no one else has room anywhere. A household that fits nowhere whole is moved
 * member by member. The days moves may go to are those that appear in `assignments`.
 */
export function rebalanceAbsence(
  assignments: CycleAssignment[],
  members: CycleMember[],
  agents: CycleAgent[],
  absent: { agentId: string; days: string[] },
  seed: number,
  fromDay: string,
): RebalanceAbsenceResult {
  const absentDays = new Set(absent.days);
  const days = [...new Set(assignments.map((x) => x.dueOn))].sort(compareStrings);
  const D = days.length;
  const dayIndex = new Map(days.map((day, d) => [day, d] as const));
  const cap = capacityOf(agents, days, absent);
  const { rem, capTotal } = cap;
  const load = new Float64Array(cap.agents.length);
  for (const x of assignments) {
    const a = cap.index.get(x.agentId);
    if (a === undefined) continue;
    load[a]++;
    rem[a * D + dayIndex.get(x.dueOn)!]--;
  }
  const away = cap.index.get(absent.agentId) ?? -1;
  const random = createRandom(seed);
  const scanOrder = shuffleInPlace(
    cap.agents.map((_, a) => a).filter((a) => a !== away && capTotal[a] > 0),
    random,
  );
  const memberById = new Map(members.map((m) => [m.memberId, m] as const));

  const leaving = assignments
    .filter((x) => x.agentId === absent.agentId && absentDays.has(x.dueOn) && x.dueOn >= fromDay)
    .sort(
      (x, y) =>
        compareStrings(x.dueOn, y.dueOn) || x.priority - y.priority || compareStrings(x.memberId, y.memberId),
    );
  const units = new Map<string, CycleAssignment[]>();
  for (const x of leaving) {
    const household = memberById.get(x.memberId)?.householdKey ?? null;
    const key = household === null ? `m ${x.memberId}` : `h ${x.dueOn} ${household}`;
    const unit = units.get(key);
    if (unit) unit.push(x);
    else units.set(key, [x]);
  }

  const moved: AbsenceMove[] = [];
  const unplaced: string[] = [];
  const place = (unit: CycleAssignment[]): boolean => {
    const own = dayIndex.get(unit[0].dueOn)!;
    const unitMembers = unit.map((x) => memberById.get(x.memberId));
    const keepsDay = unit.some((x, k) => x.reason === 'callback' || unitMembers[k]?.callback);
    let earliest = fromDay;
    for (const m of unitMembers) if (m?.notBefore && m.notBefore > earliest) earliest = m.notBefore;
    const candidates = [own];
    if (!keepsDay) {
      for (let d = own + 1; d < D; d++) candidates.push(d);
      for (let d = own - 1; d >= 0; d--) candidates.push(d);
    }
    const allowed = candidates.filter((d) => d === own || days[d] >= earliest);
    const avoid = unitMembers.map((m) =>
      m?.previousAgentId ? (cap.index.get(m.previousAgentId) ?? -1) : -1,
    );
    for (const strict of [true, false]) {
      for (const d of allowed) {
        let best = -1;
        for (const a of scanOrder) {
          if (rem[a * D + d] < unit.length || (strict && avoid.includes(a))) continue;
          if (
            best < 0 ||
            (load[a] + unit.length) * capTotal[best] < (load[best] + unit.length) * capTotal[a]
          ) {
            best = a;
          }
        }
        if (best < 0) continue;
        rem[best * D + d] -= unit.length;
        load[best] += unit.length;
        for (const x of unit) {
          moved.push({
            memberId: x.memberId,
            fromAgentId: absent.agentId,
            toAgentId: cap.agents[best].agentId,
            dueOn: days[d],
          });
        }
        return true;
      }
    }
    return false;
  };
  for (const unit of units.values()) {
    if (place(unit)) continue;
    for (const x of unit) if (unit.length === 1 || !place([x])) unplaced.push(x.memberId);
  }
  return { moved, unplaced };
}

interface Capacity {
  /** The agents sorted by id. */
  agents: CycleAgent[];
  days: number;
  index: Map<string, number>;
  /** Calls left per agent and day, at `agent * days.length + day`. */
  rem: Int32Array;
  capTotal: Float64Array;
}

function capacityOf(
  input: CycleAgent[],
  days: readonly string[],
  extra: { agentId: string; days: string[] } | null,
): Capacity {
  const agents = [...input].sort((x, y) => compareStrings(x.agentId, y.agentId));
  for (let a = 1; a < agents.length; a++) {
    if (agents[a].agentId === agents[a - 1].agentId)
      throw new Error(`agent ${agents[a].agentId} appears twice`);
  }
  const D = days.length;
  const rem = new Int32Array(agents.length * D);
  const capTotal = new Float64Array(agents.length);
  agents.forEach((agent, a) => {
    const perDay = callsPerDayOf(agent);
    const off = new Set(agent.absentDays);
    if (extra?.agentId === agent.agentId) for (const day of extra.days) off.add(day);
    for (let d = 0; d < D; d++) {
      if (off.has(days[d])) continue;
      rem[a * D + d] = perDay;
      capTotal[a] += perDay;
    }
  });
  const index = new Map(agents.map((agent, a) => [agent.agentId, a] as const));
  return { agents, days: D, index, rem, capTotal };
}

function callsPerDayOf(agent: CycleAgent): number {
  return Number.isFinite(agent.callsPerDay) ? Math.max(0, Math.floor(agent.callsPerDay)) : 0;
}

/** Index of the first day on or after `date`; `days.length` when it is after the last day. */
function dayOnOrAfter(days: readonly string[], date: string): number {
  let low = 0;
  let high = days.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (days[mid] < date) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Days as sortable numbers: YYYY-MM-DD as YYYYMMDD (so the gaps stay small); if any is spelled
 * otherwise, every value becomes its rank in code-unit order instead.
 */
function dayNumbers(values: string[]): Float64Array {
  const result = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let n = 0;
    for (let k = 0; k < 10 && v.length === 10; k++) {
      const digit = v.charCodeAt(k) - 48;
      if (k === 4 || k === 7) n = v[k] === '-' ? n : NaN;
      else n = digit >= 0 && digit <= 9 ? n * 10 + digit : NaN;
    }
    if (v.length !== 10 || Number.isNaN(n)) return denseRanks(values);
    result[i] = n;
  }
  return result;
}

/** Dense ranks (0, 1, …) of the values' distinct sorted values. */
function denseRanks<T extends string | number>(values: ArrayLike<T>): Float64Array {
  const distinct = [...new Set(Array.from(values))].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const rank = new Map(distinct.map((v, r) => [v, r] as const));
  return Float64Array.from(Array.from(values), (v) => rank.get(v)!);
}

function assertAscending(days: readonly string[]): void {
  for (let d = 1; d < days.length; d++) {
    if (!(days[d - 1] < days[d]))
      throw new Error(`cycle days must be strictly ascending: ${days[d - 1]}, ${days[d]}`);
  }
}

function compareStrings(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
