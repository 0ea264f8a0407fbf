import { ArgumentsHost, Catch, HttpStatus, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { isDatabaseUnavailable } from '@recall/database';
import { Response } from 'express';

/**
 * While PostgreSQL is down or restarting, every route answers 503 with a plain message (no
 * stack, no SQL); the pool reconnects by itself once the server is back. Registered before
 * the other filters, so it only sees what they do not catch.
 */
@Catch()
export class DatabaseUnavailableFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('Database');

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (!isDatabaseUnavailable(exception) || host.getType() !== 'http') return super.catch(exception, host);
    this.logger.warn({ err: (exception as Error)?.message }, 'database unavailable');
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(HttpStatus.SERVICE_UNAVAILABLE)
      .set('Retry-After', '5')
      .json({
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: 'Service Unavailable',
        message: 'The database is unavailable; try again in a moment.',
      });
  }
}
