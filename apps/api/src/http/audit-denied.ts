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
    const req = host.switchToHttp().getRequest<AuditedRequest>();
    const declaration = req.auditDeclaration;
    if (declaration && declaration.kind !== 'none' && !req.auditRecorded && req.user) {
      req.auditRecorded = true;
      const practiceParam = String(req.params?.practiceId ?? '');
      this.audit
        .record({
          action: declaration.action,
          practiceId: UUID.test(practiceParam) ? practiceParam : null,
          entityType: declaration.kind === 'interceptor' ? declaration.entityType : undefined,
          outcome: 'denied',
          details: { route: `${req.method} ${req.routePattern ?? ''}`, status: 403 },
        })
        .catch((error: unknown) => this.logger.error({ err: error }, 'could not audit a refusal'));
    }
    super.catch(exception, host);
  }
}
