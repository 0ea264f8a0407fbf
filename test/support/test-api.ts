import { NestExpressApplication } from '@nestjs/platform-express';
import { PracticesService, UsersService } from '@recall/auth';
import { parseConfig } from '@recall/config';
import { Clock, RequestContext, Role } from '@recall/core';
import request from 'supertest';
import { createApiApp } from '../../apps/api/src/create-app';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestApi {
  app: NestExpressApplication;
  db: TestDatabase;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

/** The real HTTP stack (same factory as main.ts) on a fresh database. */
export async function startTestApi(
  options: { env?: Record<string, string>; clock?: Clock } = {},
): Promise<TestApi> {
  const db = await createTestDatabase();
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    LOG_LEVEL: 'silent',
    // Suites sign in with a password; test/mfa.int-spec.ts turns the second factor on.
    MFA_REQUIRED_ROLES: 'none',
    ...options.env,
  });
  const app = await createApiApp({ config, databaseUrl: db.url, clock: options.clock });
  await app.init();
  return {
    app,
    db,
    http: () => request(app.getHttpServer()),
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

export const PASSWORD = 'correct-horse-battery';

/** Creates practices and users directly through the services, as the CLI would. */
export async function seed(
  api: TestApi,
  practices: string[],
  users: { login: string; role: Role; practices: string[] }[],
): Promise<void> {
  await RequestContext.run({ requestId: 'test-seed', channel: 'system' }, async () => {
    for (const slug of practices)
      await api.app.get(PracticesService).create({ slug, timezone: 'America/Chicago' });
    for (const u of users) {
      await api.app
        .get(UsersService)
        .create({ login: u.login, role: u.role, practiceSlugs: u.practices, password: PASSWORD });
    }
  });
}

/** Signs in through the API and returns the bearer token. */
export async function tokenFor(api: TestApi, login: string, password = PASSWORD): Promise<string> {
  const res = await api.http().post('/api/auth/token').send({ login, password }).expect(200);
  return res.body.token as string;
}
