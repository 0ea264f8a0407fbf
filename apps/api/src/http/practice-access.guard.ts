import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { assertPracticeAccess } from '@recall/auth';
import { DomainError } from '@recall/core';
import type { AuthedRequest } from './current-user.decorator';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Global guard, after the session guard: a route whose path names a practice answers only
 * members of that practice, whether or not its handler reads the practice (`@PracticeParam`).
 * A static catalogue under another practice's path is "not found" like everything else there.
 */
@Injectable()
export class PracticeAccessGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const id = req.params?.practiceId;
    if (id === undefined || !req.user) return true;
    if (!UUID.test(String(id))) throw DomainError.notFound('practice');
    assertPracticeAccess(req.user, String(id));
    return true;
  }
}
