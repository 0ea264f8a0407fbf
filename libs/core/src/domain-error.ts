/** Errors raised by business code; transports map the code to a status in one place. */
export enum DomainErrorCode {
  NotFound = 'not_found',
  Invalid = 'invalid',
  Conflict = 'conflict',
  Forbidden = 'forbidden',
  Unauthenticated = 'unauthenticated',
  /** Too many failed attempts: `details.retryAfterSeconds` says when to try again. */
  Locked = 'locked',
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string, details?: Record<string, unknown>): DomainError {
    return new DomainError(DomainErrorCode.NotFound, `${what} not found`, details);
  }

  static invalid(message: string, details?: Record<string, unknown>): DomainError {
    return new DomainError(DomainErrorCode.Invalid, message, details);
  }

  static conflict(message: string, details?: Record<string, unknown>): DomainError {
    return new DomainError(DomainErrorCode.Conflict, message, details);
  }

  static locked(message: string, retryAfterSeconds: number): DomainError {
    return new DomainError(DomainErrorCode.Locked, message, { retryAfterSeconds });
  }

  static forbidden(message = 'not allowed'): DomainError {
    return new DomainError(DomainErrorCode.Forbidden, message);
  }
}
