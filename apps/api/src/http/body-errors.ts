import type { NextFunction, Request, Response } from 'express';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

/**
 * The JSON body parser's refusals as JSON answers that say what was wrong with the body
 * (express would otherwise answer with an HTML page and, outside production, a stack trace).
 */
export function bodyErrorHandler(limitKb: number) {
  return (err: BodyParserError, _req: Request, res: Response, next: NextFunction): void => {
    if (
      !err ||
      typeof err.type !== 'string' ||
      (!err.type.startsWith('entity.') &&
        err.type !== 'charset.unsupported' &&
        err.type !== 'encoding.unsupported')
    )
      return next(err);
    const status = err.type === 'entity.too.large' ? 413 : err.type.endsWith('unsupported') ? 415 : 400;
    const message =
      err.type === 'entity.too.large'
        ? `body: larger than the ${limitKb} KB limit (BODY_MAX_KB)`
        : err.type === 'entity.parse.failed'
          ? 'body: not valid JSON'
          : `body: ${err.type === 'entity.verify.failed' ? 'refused' : 'unreadable'} (${err.type})`;
    res.status(status).json({
      statusCode: status,
      error: status === 413 ? 'Payload Too Large' : 'Bad Request',
      message,
      field: 'body',
    });
  };
}
