import type { Params } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import type { DestinationStream } from 'pino';

type LoggedRequest = {
  id: string;
  method: string;
  url: string;
  raw?: IncomingMessage & { routePattern?: string; originalUrl?: string };
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WORD = /^[a-z][a-z-]*(\.csv)?$/;

/**
 * The path a request log line shows: ids and the route's own words, every other segment
 * `:value` (`/api/practices/<id>/patients/by-mrn/:value`), and no query string: an MRN, a
 * name or a phone in a URL never reaches the log. (It is computed when the request starts,
 * before routing; the matched route's pattern is added as `route` when it completes.)
 */
export function loggedPath(req: LoggedRequest): string {
  const path = (req.raw?.originalUrl ?? req.url).split('?')[0];
  return path
    .split('/')
    .map((segment) => (segment === '' || UUID.test(segment) || WORD.test(segment) ? segment : ':value'))
    .join('/');
}

/**
 * Structured JSON logs. Requests are logged by method, route pattern and status, never with
 * bodies, parameters, query strings, cookies or tokens: those can carry patient data or
 * secrets. `stream` replaces stdout (tests capture the log with it).
 */
export function pinoParams(level: string, stream?: DestinationStream): Params {
  const options: NonNullable<Exclude<Params['pinoHttp'], unknown[]>> = {
    level,
    genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? 'unknown',
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'req.body',
        'req.query',
        'req.params',
      ],
      remove: true,
    },
    serializers: {
      req: (req: LoggedRequest) => ({ id: req.id, method: req.method, path: loggedPath(req) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    // The route's pattern, recorded on the request by the API's audit interceptor.
    customProps: (req) => {
      const route = (req as IncomingMessage & { routePattern?: string }).routePattern;
      return route ? { route } : {};
    },
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    autoLogging: { ignore: (req) => req.url === '/health' },
  };
  return { pinoHttp: stream ? [options, stream] : options };
}
