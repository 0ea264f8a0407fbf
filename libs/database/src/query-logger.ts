import { Logger as NestLogger } from '@nestjs/common';
import type { Logger, QueryRunner } from 'typeorm';

/**
 * TypeORM's default logger prints a failed query with its parameters to the console, and
 * parameters are patient names, phones and birth dates. This one logs what an operator needs
 * (the error's code, constraint and table, the statement's first line) and never a value.
 */
export class SafeQueryLogger implements Logger {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {}

  logQueryError(error: string | Error, query: string, _parameters?: unknown[], _runner?: QueryRunner): void {
    const e = (typeof error === 'string' ? {} : error) as Error & {
      code?: string;
      constraint?: string;
      table?: string;
      routine?: string;
    };
    this.logger.error(
      {
        code: e.code,
        constraint: e.constraint,
        table: e.table,
        routine: e.routine,
        statement: query.trim().split('\n')[0].slice(0, 120),
      },
      'query failed',
    );
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ ms: time, statement: query.trim().split('\n')[0].slice(0, 120) }, 'slow query');
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}
