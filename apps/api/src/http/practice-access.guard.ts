import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@recall/audit';
import { assertPracticeAccess } from '@recall/auth';
import { DomainError } from '@recall/core';
import { recordDenied, type AuditedRequest } from './audit-denied';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Global guard, after the session guard: a route whose path names a practice answers only
 * members of that practice, whether or not its handler reads the practice (`@PracticeParam`).
 * A static catalogue under another practice's path is "not found" like everything else there.
 * The refusal of a route that touches patient data is audited as "denied".
 */
@Injectable()
export class PracticeAccessGuard implements CanActivate {
  private readonly logger = new Logger('Audit');

  constructor(private readonly audit: AuditService) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<AuditedRequest>();
    const id = req.params?.practiceId;
    if (id === undefined || !req.user) return true;
    try {
      if (!UUID.test(String(id))) throw DomainError.notFound('practice');
      assertPracticeAccess(req.user, String(id));
    } catch (error) {
      recordDenied(this.audit, this.logger, req, 404);
      throw error;
    }
    return true;
  }
}
