import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuditService } from '@recall/audit';
import { DomainError, DomainErrorCode } from '@recall/core';
import { Observable, catchError, from, mergeMap, throwError } from 'rxjs';
import { AUDIT_KEY, AuditDeclaration, defaultShown } from './audit.decorators';
import type { AuditedRequest } from './audit-denied';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A list view names at most this many records in its row (the queue and lists cap far below). */
const MAX_IDS = 1000;

/**
 * One audit row per request to a route that reads or changes patient data: who, practice,
 * record(s), action, outcome, request id (the actor and request id come from the request
 * context). A failed or refused request is recorded too, with its status.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const declaration = this.reflector.getAllAndOverride<AuditDeclaration | undefined>(AUDIT_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!declaration || declaration.kind === 'none' || context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<AuditedRequest>();
    const practiceParam = String(req.params.practiceId ?? '');
    const practiceId = UUID.test(practiceParam) ? practiceParam : null;
    const route = `${req.method} ${req.route?.path ?? req.path}`;

    return next.handle().pipe(
      mergeMap((body: unknown) => {
        if (declaration.kind !== 'interceptor') return [body];
        const shown = [...new Set((declaration.shown ?? defaultShown)(body, req))];
        const param = declaration.entityParam ? String(req.params[declaration.entityParam] ?? '') : '';
        const entityId = param || (shown.length === 1 ? shown[0] : undefined);
        return from(
          this.audit
            .record({
              action: declaration.action,
              practiceId,
              entityType: declaration.entityType,
              entityId,
              details: { route, ids: shown.slice(0, MAX_IDS), shown: shown.length },
            })
            .then(() => body),
        );
      }),
      catchError((error: unknown) => {
        req.auditRecorded = true;
        const status = statusOf(error);
        const outsider = practiceId !== null && !req.user?.practices.some((p) => p.id === practiceId);
        return from(
          this.audit.record({
            action: declaration.action,
            practiceId,
            entityType: declaration.kind === 'interceptor' ? declaration.entityType : undefined,
            outcome: status === 401 || status === 403 || outsider ? 'denied' : 'failure',
            details: { route, status, params: idParams(req.params) },
          }),
        ).pipe(mergeMap(() => throwError(() => error)));
      }),
    );
  }
}

function statusOf(error: unknown): number {
  if (error instanceof HttpException) return error.getStatus();
  if (error instanceof DomainError) {
    const byCode: Partial<Record<DomainErrorCode, number>> = {
      [DomainErrorCode.NotFound]: 404,
      [DomainErrorCode.Invalid]: 400,
      [DomainErrorCode.Conflict]: 409,
      [DomainErrorCode.Forbidden]: 403,
      [DomainErrorCode.Unauthenticated]: 401,
      [DomainErrorCode.Locked]: 429,
    };
    return byCode[error.code] ?? 400;
  }
  return 500;
}

/** Route parameters that are ids (never an MRN or a name: those would put patient data in the log). */
function idParams(params: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).filter((e): e is [string, string] => typeof e[1] === 'string' && UUID.test(e[1])),
  );
}
