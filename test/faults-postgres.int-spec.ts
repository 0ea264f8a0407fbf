import { NestExpressApplication } from '@nestjs/platform-express';
import { PracticesService, UsersService } from '@recall/auth';
import { parseConfig } from '@recall/config';
import { RequestContext, Role } from '@recall/core';
import { migrateDatabase } from '@recall/database';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-app';
import { PrivatePostgres, until } from './support/faults';
import { PASSWORD } from './support/test-api';

/**
 * PostgreSQL restarted under a running API (a private server; the shared one is never touched):
 * clear 503s while it is gone, and the same process serves again once it is back.
 */
describe('faults: PostgreSQL restarted under the API', () => {
  let pg: PrivatePostgres;
  let app: NestExpressApplication;
  let token: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    pg = await PrivatePostgres.start();
    await migrateDatabase(pg.url);
    const config = parseConfig({ NODE_ENV: 'test', DATABASE_URL: pg.url, LOG_LEVEL: 'silent' });
    app = await createApiApp({ config, databaseUrl: pg.url });
    await app.init();
    await RequestContext.run({ requestId: 'test-seed', channel: 'system' }, async () => {
      await app.get(PracticesService).create({ slug: 'north', timezone: 'America/Chicago' });
      await app
        .get(UsersService)
        .create({ login: 'north.agent', role: Role.Agent, practiceSlugs: ['north'], password: PASSWORD });
    });
    const res = await http().post('/api/auth/token').send({ login: 'north.agent', password: PASSWORD });
    expect(res.status).toBe(200);
    token = res.body.token;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await pg?.destroy();
  }, 60_000);

  const me = () => http().get('/api/auth/me').set('Authorization', `Bearer ${token}`);

  it('answers 503 saying the database is unavailable, then recovers without a restart', async () => {
    expect((await me()).status).toBe(200);
    expect((await http().get('/health')).status).toBe(200);

    await pg.stop();
    const health = await http().get('/health');
    expect(health.status).toBe(503);
    expect(health.body.error?.database?.status).toBe('down');
    for (const res of [
      await me(),
      await http().post('/api/auth/token').send({ login: 'x', password: 'y' }),
    ]) {
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'The database is unavailable; try again in a moment.',
      });
    }
    expect(JSON.stringify(health.body)).not.toMatch(/\bat \S+ \(|node_modules|SELECT/);

    await pg.restart();
    await until(async () => (await http().get('/health')).status === 200, 30_000, '/health to recover');
    const back = await me();
    expect(back.status).toBe(200);
    expect(back.body.login ?? back.body.user?.login).toBe('north.agent');
    // A business error still goes through its own filter, not the catch-all.
    const missing = await http()
      .get('/api/practices/00000000-0000-4000-8000-000000000000/campaigns')
      .set('Authorization', `Bearer ${token}`);
    expect([403, 404]).toContain(missing.status);
  }, 120_000);
});
