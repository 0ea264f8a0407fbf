import { DEFAULT_PLAN_INPUTS, type PlanResult } from '@recall/campaigns';
import { DomainError } from '@recall/core';
import { Command } from 'commander';
import {
  parseNumber,
  parseRate,
  planFlags,
  planInputsFromFlags,
  registerPlanCommand,
  resolvePlanFlags,
} from './plan-commands';
import { CliError, type Output } from './runtime';

function cli(json: boolean) {
  const printed: { data: unknown; human: string[] }[] = [];
  const program = new Command('recall').exitOverride().configureOutput({ writeErr: () => undefined });
  const out = (): Output => ({
    json,
    result: (data, human) => printed.push({ data, human: [human].flat() }),
  });
  registerPlanCommand(program, out);
  return { run: (...args: string[]) => program.parseAsync(args, { from: 'user' }), printed };
}

describe('plan flags', () => {
  it('reads rates as fractions or percentages', () => {
    expect(parseRate('0.2')).toBe(0.2);
    expect(parseRate('20%')).toBe(0.2);
    expect(parseRate(' 62.5% ')).toBe(0.625);
    expect(parseRate('.7')).toBe(0.7);
    expect(parseRate('100%')).toBe(1);
    expect(parseRate('20')).toBe(20); // left to validation, which names the bounds
    for (const bad of ['', '%', 'abc', '20%%', '2O%', '0.2.1'])
      expect(() => parseRate(bad)).toThrow(/not a number/);
  });

  it('reads numbers with thousands separators, a dollar sign or as a fraction', () => {
    expect(parseNumber('1760')).toBe(1760);
    expect(parseNumber('$1,760.50')).toBe(1760.5);
    expect(parseNumber('52/12')).toBe(52 / 12);
    expect(parseNumber('4')).toBe(4);
    for (const bad of ['', 'four', '1/0', '20abc', '1/2/3'])
      expect(() => parseNumber(bad)).toThrow(/not a number/);
  });

  it('maps the flags a command was given to plan inputs, leaving the rest to the defaults', () => {
    const cmd = planFlags(new Command('x')).exitOverride();
    cmd.parse(
      [
        '--dials-per-day',
        '150',
        '--pickup-rate',
        '25%',
        '--booking-rate',
        '0.5',
        '--show-rate',
        '80%',
        '--revenue-per-visit',
        '$120',
        '--agent-monthly-cost',
        '2,000',
        '--weeks-per-month',
        '4',
        '--numbers-per-agent-per-month',
        '1500',
        '--working-days-per-week',
        '4',
        '--agents',
        '3',
      ],
      { from: 'user' },
    );
    expect(planInputsFromFlags(cmd.opts())).toEqual({
      dialsPerAgentPerDay: 150,
      pickupRate: 0.25,
      bookingRate: 0.5,
      showRate: 0.8,
      revenuePerVisit: 120,
      agentMonthlyCost: 2000,
      weeksPerMonth: 4,
      numbersPerAgentPerMonth: 1500,
      workingDaysPerWeek: 4,
      agents: 3,
    });

    const bare = planFlags(new Command('y')).exitOverride();
    bare.parse(['--pickup-rate', '30%'], { from: 'user' });
    expect(planInputsFromFlags(bare.opts())).toEqual({ pickupRate: 0.3 });
    expect(resolvePlanFlags(bare.opts())).toEqual({ ...DEFAULT_PLAN_INPUTS, pickupRate: 0.3 });
  });

  it('parses string values set programmatically and names the flag when one is bad', () => {
    expect(planInputsFromFlags({ pickupRate: '20%', dialsPerDay: '200', unrelated: 'x' })).toEqual({
      pickupRate: 0.2,
      dialsPerAgentPerDay: 200,
    });
    expect(() => planInputsFromFlags({ showRate: 'lots' })).toThrow(CliError);
    expect(() => planInputsFromFlags({ showRate: 'lots' })).toThrow(
      '--show-rate: not a rate (0.2 or 20%): lots',
    );
  });

  it('reports out-of-range values by flag name', () => {
    expect(() => resolvePlanFlags({ pickupRate: 1.5, dialsPerDay: 0 })).toThrow(DomainError);
    expect(() => resolvePlanFlags({ pickupRate: 1.5, dialsPerDay: 0 })).toThrow(
      /--dials-per-day: must be a whole number between 1 and 1000 \(got 0\); --pickup-rate: must be between 0 and 1 \(got 1\.5\)/,
    );
  });

  it('refuses a malformed flag value before planning', () => {
    const cmd = planFlags(new Command('x'))
      .exitOverride()
      .configureOutput({ writeErr: () => undefined });
    expect(() => cmd.parse(['--pickup-rate', 'twenty'], { from: 'user' })).toThrow(
      /fraction \(0\.2\) or a percentage/,
    );
  });
});

describe('recall plan', () => {
  it('prints the worked example as JSON with the fields in camelCase', async () => {
    const { run, printed } = cli(true);
    await run('plan', '--patients', '4,000', '--weeks-per-month', '4', '--pickup-rate', '20%');
    const result = printed[0].data as PlanResult;
    expect(result).toMatchObject({
      contactsPerDay: 40,
      bookingsPerDay: 25,
      conversionRate: 0.125,
      agentsNeeded: 2,
      revenuePerWeek: 8750,
      revenuePerMonth: 35000,
      netPerMonth: 33240,
      breakEvenKeptVisitsPerMonth: 18,
      breakEvenBookingsPerMonth: 26,
      daysToExhaust: 50,
    });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('prints the table for people, with the default 52/12 weeks per month', async () => {
    const { run, printed } = cli(false);
    await run('plan', '--patients', '4000');
    expect(printed[0].human.find((l) => l.startsWith('Revenue per month'))).toMatch(
      /\$37,916\.67\s+\$75,833\.33$/,
    );
  });

  it('needs --patients and refuses bad inputs', async () => {
    await expect(cli(true).run('plan')).rejects.toThrow(/--patients/);
    await expect(cli(true).run('plan', '--patients', '10', '--show-rate', '170%')).rejects.toThrow(
      '--show-rate: must be between 0 and 1 (got 1.7)',
    );
    await expect(cli(true).run('plan', '--patients', '-5')).rejects.toThrow(
      /patients: must be a whole number/,
    );
  });
});
