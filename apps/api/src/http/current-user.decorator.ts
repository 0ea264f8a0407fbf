import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AuthUser } from '@recall/auth';
import { Request } from 'express';

export type AuthedRequest = Request & { user?: AuthUser; authVia?: 'cookie' | 'bearer' };

export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthUser => ctx.switchToHttp().getRequest<AuthedRequest>().user!,
);
