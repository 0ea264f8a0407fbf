import {
  ArgumentsHost,
  CanActivate,
  Catch,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  Logger,
} from '@nestjs/common';
import { BaseExceptionFilter, Reflector } from '@nestjs/core';
import { AuditService } from '@recall/audit';
import { AUDIT_KEY, type AuditDeclaration } from './audit.decorators';
import type { AuthedRequest } from './current-user.decorator';

export type AuditedRequest = AuthedRequest & {
  routePattern?: string;
  auditDeclaration?: AuditDeclaration;
  auditRecorded?: boolean;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs before the session guard (and lets everything through): notes the route's pattern and
 * audit declaration on the request, so that a refusal by a guard is audited too.
 */
@Injectable()
export class AuditContextGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<AuditedRequest>();
    req.routePattern = req.route?.path;
    req.auditDeclaration = this.reflector.getAllAndOverride<AuditDeclaration | undefined>(AUDIT_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    return true;
  }
}

/** A signed-in user refused a route that reads or changes patient data: an audit row "denied". */
@Catch(ForbiddenException)
export class AuditDeniedFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('Audit');

  constructor(private readonly audit: AuditService) {
    super();
  }

  override catch(exception: ForbiddenException, host: ArgumentsHost): void {
    recordDenied(this.audit, this.logger, host.switchToHttp().getRequest<AuditedRequest>(), 403);
    super.catch(exception, host);
  }
}

/**
 * Once per request: a signed-in user refused (by a guard or a handler) on a route that reads or
 * changes patient data gets an audit row "denied" naming the practice the path named.
 */
export function recordDenied(audit: AuditService, logger: Logger, req: AuditedRequest, status: number): void {
  const declaration = req.auditDeclaration;
  if (!declaration || declaration.kind === 'none' || req.auditRecorded || !req.user) return;
  req.auditRecorded = true;
  const practiceParam = String(req.params?.practiceId ?? '');
  audit
    .record({
      action: declaration.action,
      practiceId: UUID.test(practiceParam) ? practiceParam : null,
      entityType: declaration.kind === 'interceptor' ? declaration.entityType : undefined,
      outcome: 'denied',
      details: { route: `${req.method} ${req.routePattern ?? ''}`, status },
    })
    .catch((error: unknown) => logger.error({ err: error }, 'could not audit a refusal'));
}
