import type { Response } from 'superagent';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { Role } from '@recall/core';
import { AUDIT_KEY, type AuditDeclaration } from '../../apps/api/src/http/audit.decorators';
import { PUBLIC_KEY, ROLES_KEY } from '../../apps/api/src/http/policy.decorators';
import type { TestApi } from './test-api';

export interface RouteInfo {
  method: string;
  path: string;
  roles?: Role[];
  isPublic: boolean;
  audit?: AuditDeclaration;
}

/** Every HTTP route with its declared policies, read from the router's own metadata. */
export function routesOf(api: TestApi): RouteInfo[] {
  const discovery = new DiscoveryService(api.app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const base = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '');
    for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
      const handler = instance[name];
      const sub = Reflect.getMetadata(PATH_METADATA, handler);
      if (sub === undefined) continue;
      const read = <T>(key: string): T | undefined =>
        Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, metatype);
      routes.push({
        method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number],
        path: `/${[base, sub].filter((s) => s && s !== '/').join('/')}`.replace(/\/+/g, '/'),
        roles: read<Role[]>(ROLES_KEY),
        isPublic: Boolean(read<boolean>(PUBLIC_KEY)),
        audit: read<AuditDeclaration>(AUDIT_KEY),
      });
    }
  }
  return routes;
}

/** A supertest parser that keeps the body as bytes, whatever its type. */
export function binaryBody(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
