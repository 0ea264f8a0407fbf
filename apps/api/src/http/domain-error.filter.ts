import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import { DomainError, DomainErrorCode } from '@recall/core';
import { Response } from 'express';

function statusOf(code: DomainErrorCode): HttpStatus {
  switch (code) {
    case DomainErrorCode.NotFound:
      return HttpStatus.NOT_FOUND;
    case DomainErrorCode.Invalid:
      return HttpStatus.BAD_REQUEST;
    case DomainErrorCode.Conflict:
      return HttpStatus.CONFLICT;
    case DomainErrorCode.Forbidden:
      return HttpStatus.FORBIDDEN;
    case DomainErrorCode.Unauthenticated:
      return HttpStatus.UNAUTHORIZED;
    case DomainErrorCode.Locked:
      return HttpStatus.TOO_MANY_REQUESTS;
  }
}

/** The one place where business errors become HTTP responses. */
@Catch(DomainError)
export class DomainErrorFilter implements ExceptionFilter {
  catch(error: DomainError, host: ArgumentsHost): void {
    const status = statusOf(error.code);
    const res = host.switchToHttp().getResponse<Response>();
    const retryAfter = error.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
    res
      .status(status)
      .json({ statusCode: status, error: error.code, message: error.message, ...(error.details ?? {}) });
  }
}
