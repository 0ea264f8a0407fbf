import { DateTime } from 'luxon';
import { z } from 'zod';
import { INPUT_LIMIT_DEFAULTS as LIMITS } from './input-limits';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), 'a postgres:// or postgresql:// URL');
const redisUrl = z.string().refine((v) => /^rediss?:\/\/.+/.test(v), 'a redis:// or rediss:// URL');

const MFA_ROLES = ['admin', 'manager', 'agent', 'owner'];

const zone = z
  .string()
  .refine((v) => DateTime.local().setZone(v).isValid, 'an IANA time zone, e.g. America/New_York');

/**
 * Every environment variable the app reads. `.env.example` documents the same list;
 * a test keeps the two (and docker-compose.yml) in line.
 */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    PUBLIC_URL: z.url().optional(),
    DATABASE_URL: postgresUrl.optional(),
    DATA_DIR: z.string().min(1).default('.data'),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    MIGRATE_ON_START: bool.optional(),
    REDIS_URL: redisUrl.optional(),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[a-z0-9_-]{1,40}$/, 'lower-case letters, digits, _ or - (at most 40)')
      .default('recall'),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    // A killed worker's job is retried once its lock lapses, noticed by the next stalled check.
    WORKER_LOCK_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
    WORKER_STALLED_CHECK_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
    // A job whose lock lapsed this many times (a killed or starved worker) is failed, not retried again.
    WORKER_MAX_STALLED: z.coerce.number().int().min(1).max(100).default(3),
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    SESSION_MAX_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(12),
    LOGIN_THROTTLE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
    LOGIN_THROTTLE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    // Unset: admin,manager (none in the demo, whose printed logins must work as printed).
    MFA_REQUIRED_ROLES: z
      .string()
      .transform((v) => v.trim().toLowerCase())
      .refine(
        (v) => v === 'none' || v.split(',').every((r) => MFA_ROLES.includes(r.trim())),
        'none, or a comma-separated list of admin, manager, agent, owner',
      )
      .optional(),
    MFA_SECRET_KEY: z
      .string()
      .refine(
        (v) => /^[0-9a-f]{64}$/i.test(v) || Buffer.from(v, 'base64').length === 32,
        '32 bytes as 64 hex digits or base64 (e.g. `openssl rand -hex 32`)',
      )
      .optional(),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
    LOGIN_LOCKOUT_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    CORS_ORIGINS: z.string().default(''),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    RECALL_NOW: z
      .string()
      .refine(
        (v) => DateTime.fromISO(v, { setZone: true }).isValid,
        'an ISO-8601 instant, e.g. 2026-03-02T14:00:00Z',
      )
      .optional(),
    RECALL_DEMO: bool.optional(),
    DEFAULT_TIMEZONE: zone.default('America/New_York'),
    IMPORT_DIR: z.string().min(1).optional(),
    IMPORT_KEEP_FILES: bool.default(false),
    UPLOAD_MAX_MB: z.coerce.number().int().min(1).max(10_240).default(200),
    BODY_MAX_KB: z.coerce.number().int().min(16).max(102_400).default(1024),
    IMPORT_PARSE_THREADS: z.coerce.number().int().min(0).max(16).optional(),
    AUDIT_RETENTION_YEARS: z.coerce
      .number()
      .int()
      .min(6, 'at least 6: HIPAA keeps audit records six years, and Recall never keeps them less')
      .max(100)
      .default(6),
    IMPORT_MAX_FIELD_CHARS: z.coerce
      .number()
      .int()
      .min(100)
      .max(10_000_000)
      .default(LIMITS.IMPORT_MAX_FIELD_CHARS),
    IMPORT_MAX_ROW_KB: z.coerce.number().int().min(1).max(65_536).default(LIMITS.IMPORT_MAX_ROW_KB),
    IMPORT_MAX_COLUMNS: z.coerce.number().int().min(2).max(100_000).default(LIMITS.IMPORT_MAX_COLUMNS),
    IMPORT_MAX_ROWS: z.coerce.number().int().min(1).max(1_000_000_000).default(LIMITS.IMPORT_MAX_ROWS),
    XLSX_MAX_UNZIPPED_MB: z.coerce.number().int().min(1).max(16_384).default(LIMITS.XLSX_MAX_UNZIPPED_MB),
    SHEET_MAX_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(LIMITS.SHEET_MAX_ROWS),
  })
  .superRefine((env, ctx) => {
    if (env.RECALL_NOW && env.NODE_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['RECALL_NOW'],
        message: 'must not be set when NODE_ENV=production',
      });
    }
    if (env.NODE_ENV === 'production' && !env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: 'is required when NODE_ENV=production (the embedded PostgreSQL is for development only)',
      });
    }
  });

export type ConfigEnv = z.infer<typeof configSchema>;

export const CONFIG_VARIABLES = Object.keys(configSchema.shape) as (keyof ConfigEnv)[];
