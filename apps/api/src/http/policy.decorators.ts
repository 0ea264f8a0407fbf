import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth } from '@nestjs/swagger';
import { Role, ROLES } from '@recall/core';

export const ROLES_KEY = 'recall:roles';
export const PUBLIC_KEY = 'recall:public';

/** Every route declares who may call it; a route without a policy is refused (and fails a test). */
export const Roles = (...roles: Role[]) =>
  applyDecorators(SetMetadata(ROLES_KEY, roles), ApiCookieAuth('session'), ApiBearerAuth());

export const AnyRole = () => Roles(...ROLES);

export const Public = () => SetMetadata(PUBLIC_KEY, true);
