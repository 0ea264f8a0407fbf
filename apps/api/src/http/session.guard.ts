import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthService } from '@recall/auth';
import { RequestContext, Role } from '@recall/core';
import { AuthedRequest } from './current-user.decorator';
import { PUBLIC_KEY, ROLES_KEY } from './policy.decorators';

export const SESSION_COOKIE = 'recall_session';
export const CSRF_HEADER = 'x-recall-csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Global guard: resolves the session (cookie for the browser, Bearer token for API clients),
 * checks the route's declared roles, and for cookie sessions requires the CSRF header on
 * every state-changing request (a cross-site form cannot set a custom header).
 */
@Injectable()
export class SessionGuard implements CanActivate {
  private readonly logger = new Logger('SessionGuard');

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    if (!roles) {
      this.logger.error(
        { route: `${req.method} ${req.route?.path}` },
        'route has no access policy; refusing',
      );
      throw new ForbiddenException('This route has no access policy');
    }

    const bearer = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const cookie = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    const token = bearer ?? cookie;
    if (!token) throw new UnauthorizedException('Sign in first');
    const user = await this.auth.authenticate(token);
    if (!user) throw new UnauthorizedException('Your session has ended; sign in again');
    req.user = user;
    req.authVia = bearer ? 'bearer' : 'cookie';
    RequestContext.setActor(user.id, user.login);

    if (req.authVia === 'cookie' && !SAFE_METHODS.has(req.method) && req.headers[CSRF_HEADER] !== '1') {
      throw new ForbiddenException(`Missing ${CSRF_HEADER} header`);
    }
    if (!roles.includes(user.role)) throw new ForbiddenException('Your role cannot do this');
    return true;
  }
}
