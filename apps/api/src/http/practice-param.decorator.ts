import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { assertPracticeAccess } from '@recall/auth';
import { DomainError, RequestContext } from '@recall/core';
import type { AuthedRequest } from './current-user.decorator';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The `:practiceId` of a practice-scoped route, checked against the caller's memberships:
 * another practice (or a malformed id) is "not found", never "forbidden".
 */
export const PracticeParam = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const req = ctx.switchToHttp().getRequest<AuthedRequest>();
  const id = String(req.params.practiceId ?? '');
  if (!UUID.test(id)) throw DomainError.notFound('practice');
  assertPracticeAccess(req.user!, id);
  RequestContext.setPractice(id);
  return id;
});
