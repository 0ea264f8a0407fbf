import { computePlan, formatPlan, type PlanInputs, resolvePlanInputs } from '@recall/campaigns';
import { DomainError } from '@recall/core';
import { Command, InvalidArgumentError } from 'commander';
import { CliError, type Output } from './runtime';

/** A fraction ("0.2") or a percentage ("20%"); bounds are the plan validation's job. */
export function parseRate(value: string): number {
  const text = value.trim();
  const percent = text.endsWith('%');
  // "20" is almost surely 20%, but guessing would hide a typo; validation names the bounds instead.
  const n = parseNumber(percent ? text.slice(0, -1) : text);
  return percent ? n / 100 : n;
}

/** A plain number; "1,760", "$1,760" and "52/12" are accepted as written. */
export function parseNumber(value: string): number {
  const text = value.trim().replace(/^\$/, '').replace(/,/g, '');
  const fraction = /^([^/]+)\/([^/]+)$/.exec(text);
  const n = fraction ? strictNumber(fraction[1]) / strictNumber(fraction[2]) : strictNumber(text);
  if (!Number.isFinite(n)) throw new RangeError(`not a number: ${value}`);
  return n;
}

function strictNumber(text: string): number {
  // Number('') is 0 and parseFloat('20abc') is 20; neither should pass.
  return /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(text) ? Number(text) : Number.NaN;
}

function rateArg(value: string): number {
  try {
    return parseRate(value);
  } catch {
    throw new InvalidArgumentError('expected a fraction (0.2) or a percentage (20%)');
  }
}

function numberArg(value: string): number {
  try {
    return parseNumber(value);
  } catch {
    throw new InvalidArgumentError('expected a number');
  }
}

/** Flag (commander's camelCase attribute) → plan input. */
const FLAGS: readonly { flag: string; key: keyof PlanInputs; attr: string; rate?: boolean; help: string }[] =
  [
    {
      flag: '--dials-per-day <n>',
      attr: 'dialsPerDay',
      key: 'dialsPerAgentPerDay',
      help: 'dials per agent per day',
    },
    {
      flag: '--pickup-rate <rate>',
      attr: 'pickupRate',
      key: 'pickupRate',
      rate: true,
      help: 'dials answered',
    },
    {
      flag: '--booking-rate <rate>',
      attr: 'bookingRate',
      key: 'bookingRate',
      rate: true,
      help: 'contacts that book',
    },
    { flag: '--show-rate <rate>', attr: 'showRate', key: 'showRate', rate: true, help: 'bookings kept' },
    {
      flag: '--revenue-per-visit <n>',
      attr: 'revenuePerVisit',
      key: 'revenuePerVisit',
      help: 'dollars per kept visit',
    },
    {
      flag: '--agent-monthly-cost <n>',
      attr: 'agentMonthlyCost',
      key: 'agentMonthlyCost',
      help: 'dollars per agent',
    },
    { flag: '--weeks-per-month <n>', attr: 'weeksPerMonth', key: 'weeksPerMonth', help: 'e.g. 4 or 52/12' },
    {
      flag: '--numbers-per-agent-per-month <n>',
      attr: 'numbersPerAgentPerMonth',
      key: 'numbersPerAgentPerMonth',
      help: 'list size one agent works per month',
    },
    {
      flag: '--working-days-per-week <n>',
      attr: 'workingDaysPerWeek',
      key: 'workingDaysPerWeek',
      help: 'calling days per week',
    },
    {
      flag: '--agents <n>',
      attr: 'agents',
      key: 'agents',
      help: 'agents to staff (default: the agents needed)',
    },
  ];

/** Adds the plan-input flags (not --patients) to a command; absent flags take the plan defaults. */
export function planFlags(cmd: Command): Command {
  for (const f of FLAGS)
    cmd.option(f.flag, `${f.help}${f.rate ? ' (0.2 or 20%)' : ''}`, f.rate ? rateArg : numberArg);
  return cmd;
}

const flagName = (f: (typeof FLAGS)[number]) => f.flag.split(' ')[0];

/** The plan inputs given on the command line; values may still be strings when set programmatically. */
export function planInputsFromFlags(opts: Record<string, unknown>): Partial<PlanInputs> {
  const inputs: Partial<PlanInputs> = {};
  for (const f of FLAGS) {
    const value = opts[f.attr];
    if (value === undefined) continue;
    if (typeof value === 'number') inputs[f.key] = value;
    else if (typeof value === 'string')
      try {
        inputs[f.key] = f.rate ? parseRate(value) : parseNumber(value);
      } catch {
        throw new CliError(`${flagName(f)}: not a ${f.rate ? 'rate (0.2 or 20%)' : 'number'}: ${value}`);
      }
    else throw new CliError(`${flagName(f)}: not a number: ${String(value)}`);
  }
  return inputs;
}

/** Defaults + flags, validated; errors name the flags (`--pickup-rate`) rather than the fields. */
export function resolvePlanFlags(opts: Record<string, unknown>): PlanInputs {
  try {
    return resolvePlanInputs(planInputsFromFlags(opts));
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const message = FLAGS.reduce(
      (m, f) => m.replace(new RegExp(`\\b${f.key}:`, 'g'), `${flagName(f)}:`),
      error.message,
    );
    throw new DomainError(error.code, message, error.details);
  }
}

export function registerPlanCommand(program: Command, out: () => Output): void {
  planFlags(
    program
      .command('plan')
      .description('ROI plan for a campaign: bookings, revenue, break-even, agents needed (no database)'),
  )
    .requiredOption('--patients <n>', 'eligible patients the campaign will work through', numberArg)
    .action((opts: Record<string, unknown> & { patients: number }) => {
      const result = computePlan(resolvePlanFlags(opts), opts.patients);
      out().result(result, formatPlan(result));
    });
}
