import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, RecallConfig } from '@recall/config';
import { type Clock, DomainError, RequestContext } from '@recall/core';
import { EmbeddedPostgresError, openDatabase, prepareDatabase } from '@recall/database';
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { CliModule } from './cli.module';

export interface Output {
  json: boolean;
  /** Prints `data` as JSON with --json, else the human text. */
  result(data: unknown, human: string | string[]): void;
}

export class CliError extends Error {}

export function output(json: boolean): Output {
  return {
    json,
    result(data, human) {
      process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${[human].flat().join('\n')}\n`);
    },
  };
}

/** Progress and notes go to stderr so that stdout stays machine-readable. */
export const note = (m: string) => process.stderr.write(`${m}\n`);

export async function withDatabase<T>(fn: (url: string, config: RecallConfig) => Promise<T>, migrate = true) {
  const config = loadConfig();
  // Only first-run news (a new cluster, staged binaries) is worth a line on the terminal.
  const log = (m: string) => (/initialising|staging|cannot enter/.test(m) ? note(m) : undefined);
  const db = migrate ? await prepareDatabase(config, log) : await openDatabase(config, log);
  try {
    return await fn(db.url, config);
  } finally {
    await db.stop();
  }
}

/**
 * Boots the app's modules (no HTTP) around one command, acting as the OS user, audited as
 * channel "cli". `clock` replaces the configured one (the demo moves a FixedClock).
 */
export function withApp<T>(fn: (app: INestApplicationContext) => Promise<T>, clock?: Clock): Promise<T> {
  return withDatabase(async (url, config) => {
    const app = await NestFactory.createApplicationContext(CliModule.forRoot(config, url, clock), {
      logger: ['error'],
    });
    try {
      return await RequestContext.run(
        { requestId: `cli:${randomUUID()}`, channel: 'cli', login: `cli:${userInfo().username}` },
        () => fn(app),
      );
    } finally {
      await app.close();
    }
  });
}

export function reportFailure(error: unknown, json: boolean): never {
  const known =
    error instanceof DomainError ||
    error instanceof ConfigError ||
    error instanceof EmbeddedPostgresError ||
    error instanceof CliError;
  const message = known
    ? (error as Error).message
    : `unexpected error: ${(error as Error)?.stack ?? String(error)}`;
  if (json) process.stdout.write(`${JSON.stringify({ error: message })}\n`);
  process.stderr.write(`recall: ${message}\n`);
  process.exit(1);
}
