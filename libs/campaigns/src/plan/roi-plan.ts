import { DomainError } from '@recall/core';
import { z } from 'zod';

/** Inputs of a campaign's ROI plan (DOMAIN.md §8); rates are fractions 0–1. */
export interface PlanInputs {
  dialsPerAgentPerDay: number;
  pickupRate: number;
  bookingRate: number;
  showRate: number;
  revenuePerVisit: number;
  agentMonthlyCost: number;
  weeksPerMonth: number;
  numbersPerAgentPerMonth: number;
  workingDaysPerWeek: number;
  /** Agents the campaign will staff; default: the agents needed for the population. */
  agents?: number;
}

export const DEFAULT_PLAN_INPUTS: PlanInputs = {
  dialsPerAgentPerDay: 200,
  pickupRate: 0.2,
  bookingRate: 0.625,
  showRate: 0.7,
  revenuePerVisit: 100,
  agentMonthlyCost: 1760,
  weeksPerMonth: 52 / 12,
  numbersPerAgentPerMonth: 2000,
  workingDaysPerWeek: 5,
};

/**
 * What a plan predicts. Top-level figures are per agent, as DOMAIN.md §8 counts them;
 * `campaign` multiplies by the agents staffed. Money is rounded to cents, rates to 4
 * decimals (ROI % to 2), counts to 2; `null` where a figure can never be reached (e.g.
 * break-even with zero revenue, or the list's end with zero pickup).
 */
export interface PlanResult {
  inputs: PlanInputs;
  patients: number;
  contactsPerDay: number;
  bookingsPerDay: number;
  /** Bookings per dial. */
  conversionRate: number;
  /** Patients leaving the list per day (every contact leaves it). */
  dailyListReduction: number;
  /** Numbers one agent needs for one call per patient per week. */
  weeklyListSize: number;
  bookingsPerWeek: number;
  keptVisitsPerWeek: number;
  revenuePerWeek: number;
  revenuePerMonth: number;
  costPerMonth: number;
  netPerMonth: number;
  roiPercent: number | null;
  breakEvenKeptVisitsPerMonth: number | null;
  breakEvenBookingsPerMonth: number | null;
  /** ceil(patients / numbers per agent per month). */
  agentsNeeded: number;
  /** Agents staffed: inputs.agents, else agentsNeeded (at least 1). */
  agents: number;
  /** Working days until every patient has been contacted at the campaign's pace. */
  daysToExhaust: number | null;
  /** The same figures for all agents staffed (break-even rounded up for the whole campaign). */
  campaign: {
    agents: number;
    contactsPerDay: number;
    bookingsPerDay: number;
    dailyListReduction: number;
    weeklyListSize: number;
    bookingsPerWeek: number;
    keptVisitsPerWeek: number;
    revenuePerWeek: number;
    revenuePerMonth: number;
    costPerMonth: number;
    netPerMonth: number;
    roiPercent: number | null;
    breakEvenKeptVisitsPerMonth: number | null;
    breakEvenBookingsPerMonth: number | null;
  };
}

const RATE = 'must be between 0 and 1';
const MONEY = 'must be 0 or more';
const rule = (message: string, ok: (n: number) => boolean) =>
  z.number({ error: message }).refine(ok, { error: message });
const whole = (min: number, max: number) =>
  rule(
    `must be a whole number between ${min} and ${max}`,
    (n) => Number.isInteger(n) && n >= min && n <= max,
  );

/** Validates complete plan inputs; `resolvePlanInputs` merges the defaults first. */
export const planInputsSchema = z
  .object({
    dialsPerAgentPerDay: whole(1, 1000),
    pickupRate: rule(RATE, (n) => n >= 0 && n <= 1),
    bookingRate: rule(RATE, (n) => n >= 0 && n <= 1),
    showRate: rule(RATE, (n) => n >= 0 && n <= 1),
    revenuePerVisit: rule(MONEY, (n) => n >= 0),
    agentMonthlyCost: rule(MONEY, (n) => n >= 0),
    weeksPerMonth: rule('must be more than 0 and at most 5', (n) => n > 0 && n <= 5),
    numbersPerAgentPerMonth: rule('must be a whole number, 1 or more', (n) => Number.isInteger(n) && n >= 1),
    workingDaysPerWeek: whole(1, 7),
    agents: whole(1, 1000).optional(),
  })
  .strict();

const shown = (value: unknown) => (typeof value === 'number' ? String(value) : JSON.stringify(value));

/**
 * Defaults (DOMAIN.md §8) overlaid with the given fields. Absent (`undefined`) fields take the
 * default; `agents: null` means "derive from the population". Every bad field is named at once.
 */
export function resolvePlanInputs(partial: Partial<PlanInputs>): PlanInputs {
  if (typeof partial !== 'object' || partial === null || Array.isArray(partial))
    throw DomainError.invalid('plan inputs must be an object');
  const given = Object.fromEntries(
    Object.entries(partial).filter(
      ([key, value]) => value !== undefined && !(key === 'agents' && value === null),
    ),
  );
  const merged: Record<string, unknown> = { ...DEFAULT_PLAN_INPUTS, ...given };
  const parsed = planInputsSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const problems = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys')
      for (const key of issue.keys) problems.set(key, `${key}: not a plan input`);
    else {
      const field = String(issue.path[0]);
      if (!problems.has(field))
        problems.set(field, `${field}: ${issue.message} (got ${shown(merged[field])})`);
    }
  }
  throw DomainError.invalid(`invalid plan: ${[...problems.values()].join('; ')}`, {
    problems: [...problems.values()],
  });
}

/** Rounds half away from zero; the nudge keeps 1.005 → 1.01 despite its binary representation. */
function round(x: number, digits: number): number {
  const factor = 10 ** digits;
  const r = (Math.sign(x) * Math.round(Math.abs(x) * factor * (1 + 4 * Number.EPSILON))) / factor;
  return r === 0 ? 0 : r;
}
const cents = (x: number) => round(x, 2);
const count = (x: number) => round(x, 2);
const rate = (x: number) => round(x, 4);

/**
 * ceil that does not round float noise up (4000 / 2000 computed as 2.0000000000000004 stays 2);
 * `null` when the ratio is unbounded (a zero, or vanishingly small, divisor).
 */
function ceilRatio(numerator: number, divisor: number): number | null {
  const x = numerator / divisor;
  if (!Number.isFinite(x)) return null;
  const r = Math.ceil(x - 1e-9 * Math.max(1, Math.abs(x)));
  return r === 0 ? 0 : r;
}

/**
 * The plan's arithmetic (DOMAIN.md §8), in full precision; only the result is rounded.
 * `patients` is the eligible population the campaign will work through.
 */
export function computePlan(inputs: PlanInputs, patients: number): PlanResult {
  const i = resolvePlanInputs(inputs);
  if (!Number.isInteger(patients) || patients < 0)
    throw DomainError.invalid(`patients: must be a whole number, 0 or more (got ${shown(patients)})`);

  const contactsPerDay = i.dialsPerAgentPerDay * i.pickupRate;
  const bookingsPerDay = contactsPerDay * i.bookingRate;
  const bookingsPerWeek = bookingsPerDay * i.workingDaysPerWeek;
  const keptVisitsPerWeek = bookingsPerWeek * i.showRate;
  const revenuePerWeek = keptVisitsPerWeek * i.revenuePerVisit;
  const revenuePerMonth = revenuePerWeek * i.weeksPerMonth;
  const cost = i.agentMonthlyCost;
  const weeklyListSize = i.dialsPerAgentPerDay * i.workingDaysPerWeek;
  const revenuePerBooking = i.revenuePerVisit * i.showRate;

  const agentsNeeded = patients === 0 ? 0 : ceilRatio(patients, i.numbersPerAgentPerMonth)!;
  const agents = i.agents ?? Math.max(1, agentsNeeded);
  const daysToExhaust = patients === 0 ? 0 : ceilRatio(patients, contactsPerDay * agents);

  const roi = (net: number, c: number) => (c === 0 ? null : round((net / c) * 100, 2));
  const breakEven = (c: number, perUnit: number) => (perUnit === 0 ? null : ceilRatio(c, perUnit));
  const campaignCost = cost * agents;
  const campaignNet = (revenuePerMonth - cost) * agents;

  return {
    inputs: i,
    patients,
    contactsPerDay: count(contactsPerDay),
    bookingsPerDay: count(bookingsPerDay),
    conversionRate: rate(i.pickupRate * i.bookingRate),
    dailyListReduction: count(contactsPerDay),
    weeklyListSize,
    bookingsPerWeek: count(bookingsPerWeek),
    keptVisitsPerWeek: count(keptVisitsPerWeek),
    revenuePerWeek: cents(revenuePerWeek),
    revenuePerMonth: cents(revenuePerMonth),
    costPerMonth: cents(cost),
    netPerMonth: cents(revenuePerMonth - cost),
    roiPercent: roi(revenuePerMonth - cost, cost),
    breakEvenKeptVisitsPerMonth: breakEven(cost, i.revenuePerVisit),
    breakEvenBookingsPerMonth: breakEven(cost, revenuePerBooking),
    agentsNeeded,
    agents,
    daysToExhaust,
    campaign: {
      agents,
      contactsPerDay: count(contactsPerDay * agents),
      bookingsPerDay: count(bookingsPerDay * agents),
      dailyListReduction: count(contactsPerDay * agents),
      weeklyListSize: weeklyListSize * agents,
      bookingsPerWeek: count(bookingsPerWeek * agents),
      keptVisitsPerWeek: count(keptVisitsPerWeek * agents),
      revenuePerWeek: cents(revenuePerWeek * agents),
      revenuePerMonth: cents(revenuePerMonth * agents),
      costPerMonth: cents(campaignCost),
      netPerMonth: cents(campaignNet),
      roiPercent: roi(campaignNet, campaignCost),
      breakEvenKeptVisitsPerMonth: breakEven(campaignCost, i.revenuePerVisit),
      breakEvenBookingsPerMonth: breakEven(campaignCost, revenuePerBooking),
    },
  };
}

const num = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });
const money = (n: number) =>
  `${n < 0 ? '-' : ''}$${Math.abs(n).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const pct = (fraction: number) => `${num(round(fraction * 100, 2))}%`;
const orNever = (n: number | null, f: (n: number) => string) => (n === null ? 'never' : f(n));

/** The plan as an aligned table for the terminal. */
export function formatPlan(result: PlanResult): string[] {
  const { inputs: i, campaign: c } = result;
  const rows: [string, string, string][] = [
    ['', 'per agent', `campaign (${num(c.agents)})`],
    ['Contacts per day', num(result.contactsPerDay), num(c.contactsPerDay)],
    ['Bookings per day', num(result.bookingsPerDay), num(c.bookingsPerDay)],
    ['Conversion (bookings per dial)', pct(result.conversionRate), pct(result.conversionRate)],
    ['Daily list reduction', num(result.dailyListReduction), num(c.dailyListReduction)],
    ['Weekly list size', num(result.weeklyListSize), num(c.weeklyListSize)],
    ['Bookings per week', num(result.bookingsPerWeek), num(c.bookingsPerWeek)],
    ['Kept visits per week', num(result.keptVisitsPerWeek), num(c.keptVisitsPerWeek)],
    ['Revenue per week', money(result.revenuePerWeek), money(c.revenuePerWeek)],
    ['Revenue per month', money(result.revenuePerMonth), money(c.revenuePerMonth)],
    ['Cost per month', money(result.costPerMonth), money(c.costPerMonth)],
    ['Net per month', money(result.netPerMonth), money(c.netPerMonth)],
    ['ROI', orNever(result.roiPercent, (n) => `${num(n)}%`), orNever(c.roiPercent, (n) => `${num(n)}%`)],
    [
      'Break-even bookings per month',
      orNever(result.breakEvenBookingsPerMonth, num),
      orNever(c.breakEvenBookingsPerMonth, num),
    ],
    [
      'Break-even kept visits per month',
      orNever(result.breakEvenKeptVisitsPerMonth, num),
      orNever(c.breakEvenKeptVisitsPerMonth, num),
    ],
  ];
  const widths = [0, 1, 2].map((col) => Math.max(...rows.map((r) => r[col].length)));
  return [
    `Inputs: ${num(i.dialsPerAgentPerDay)} dials/day, pickup ${pct(i.pickupRate)}, booking ${pct(i.bookingRate)}, ` +
      `show ${pct(i.showRate)}, ${money(i.revenuePerVisit)} per kept visit, agent ${money(i.agentMonthlyCost)}/month, ` +
      `${num(i.weeksPerMonth)} weeks/month, ${num(i.workingDaysPerWeek)} days/week, ` +
      `${num(i.numbersPerAgentPerMonth)} numbers/agent/month`,
    `Patients: ${num(result.patients)}; agents needed ${num(result.agentsNeeded)}, staffed ${num(result.agents)}`,
    '',
    ...rows.map(([label, agent, campaign]) =>
      `${label.padEnd(widths[0])}  ${agent.padStart(widths[1])}  ${campaign.padStart(widths[2])}`.trimEnd(),
    ),
    '',
    `Days to exhaust the list: ${result.daysToExhaust === null ? 'never (no contacts)' : `${num(result.daysToExhaust)} working days`}`,
  ];
}
