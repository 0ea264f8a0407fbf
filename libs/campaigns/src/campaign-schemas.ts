import { DomainError } from '@recall/core';
import { z } from 'zod';
import {
  CAMPAIGN_TYPE_SPECS,
  CONTACT_CATEGORIES,
  DEFAULT_SETTINGS,
  RETRY_CODES,
  type CampaignSettings,
  type CampaignType,
  type TargetRule,
} from './campaign-types';

const days = (max: number) => z.number().int().min(0).max(max);
const names = z.array(z.string().trim().min(1).max(120)).max(200);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm (24-hour)');

const ruleSchema = z
  .object({
    lastEncounterMonths: z
      .object({ min: z.number().int().min(0).max(600), max: z.number().int().min(0).max(600) })
      .strict()
      .refine((r) => r.min <= r.max, 'min must not exceed max'),
    lastAppointment: z.object({ status: z.enum(['no_show', 'cancelled']), withinDays: days(3650) }).strict(),
    neverSeen: z.boolean(),
    completedVisitWithinDays: days(3650),
    lostAtLeastDaysAgo: days(3650),
    contactCategory: z.enum(CONTACT_CATEGORIES),
    providers: names,
    locations: names,
    states: z
      .array(
        z
          .string()
          .trim()
          .regex(/^[A-Za-z]{2}$/, 'must be a two-letter state code'),
      )
      .max(60),
    ageMin: z.number().int().min(0).max(130),
    ageMax: z.number().int().min(0).max(130),
  })
  .partial()
  .strict()
  .refine((r) => r.ageMin === undefined || r.ageMax === undefined || r.ageMin <= r.ageMax, {
    message: 'ageMin must not exceed ageMax',
    path: ['ageMin'],
  });

const settingsSchema = z
  .object({
    attemptCap: z.number().int().min(1).max(20),
    cycleWorkingDays: z.number().int().min(1).max(30),
    callsPerAgentPerDay: z.number().int().min(1).max(1000),
    workingDays: z
      .array(z.number().int().min(1).max(7))
      .min(1)
      .refine((d) => new Set(d).size === d.length, 'must not repeat a day'),
    callingHours: z
      .object({ start: hhmm, end: hhmm })
      .strict()
      .refine((h) => h.start < h.end, 'start must be before end'),
    upcomingAppointmentDays: days(365),
    retryDelayDays: z
      .object(Object.fromEntries(RETRY_CODES.map((c) => [c, days(90)])))
      .partial()
      .strict(),
    callbackNumber: z.string().trim().max(40).nullable(),
    touches: z.number().int().min(1).max(50),
    touchWindowDays: z.number().int().min(1).max(730),
    callbackFallbackHours: z.number().int().min(0).max(72),
    attributionDays: z.number().int().min(1).max(365),
  })
  .partial()
  .strict();

function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw DomainError.invalid(
    `invalid ${what}: ` +
      result.error.issues.map((i) => `${[what, ...i.path].join('.')}: ${i.message}`).join('; '),
  );
}

/**
 * The campaign's rule: the given fields over `base` (default: the type's rule), validated;
 * a field given as null is removed (e.g. dropping an age filter).
 */
export function resolveRule(type: CampaignType, patch: unknown, base?: TargetRule): TargetRule {
  const given = (patch ?? {}) as Record<string, unknown>;
  const cleared = typeof given === 'object' ? Object.keys(given).filter((k) => given[k] === null) : [];
  const kept = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== null));
  const rule: Record<string, unknown> = {
    ...(base ?? CAMPAIGN_TYPE_SPECS[type].defaultRule),
    ...parse(ruleSchema, kept, 'rule'),
  };
  // The criterion that defines the type (e.g. reactivation's months) may change, not vanish.
  const defining = Object.keys(CAMPAIGN_TYPE_SPECS[type].defaultRule).filter((k) => k !== 'contactCategory');
  for (const k of cleared) {
    if (defining.includes(k))
      throw DomainError.invalid(`invalid rule: rule.${k}: required for ${type} campaigns`);
    delete rule[k];
  }
  // A contact campaign always calls its type's category.
  const fixed = CAMPAIGN_TYPE_SPECS[type].defaultRule.contactCategory;
  if (fixed) rule['contactCategory'] = fixed;
  return parse(ruleSchema, rule, 'rule') as TargetRule;
}

export function resolveSettings(patch: unknown, base: CampaignSettings = DEFAULT_SETTINGS): CampaignSettings {
  const given = parse(settingsSchema, patch, 'settings');
  return {
    ...base,
    ...given,
    retryDelayDays: { ...base.retryDelayDays, ...given.retryDelayDays },
  } as CampaignSettings;
}
