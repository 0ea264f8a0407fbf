import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@recall/config';
import { EmbeddedPostgresError, prepareDatabase } from '@recall/database';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.env.REDIS_URL) {
    throw new ConfigError([
      'REDIS_URL: required by the worker (without Redis the API runs jobs itself; no worker is needed)',
    ]);
  }
  const db = await prepareDatabase(config, (m) => process.stdout.write(`${m}\n`));
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, db.url), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.get(Logger).log(`worker started (concurrency ${config.env.WORKER_CONCURRENCY})`, 'Worker');

  const shutdown = async (signal: string) => {
    app.get(Logger).log(`${signal}: draining in-flight jobs`, 'Worker');
    await app.close(); // BullMQ's worker.close() waits for active jobs
    await db.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof EmbeddedPostgresError;
  process.stderr.write(
    `\n${known ? (error as Error).message : `worker failed: ${(error as Error)?.stack ?? error}`}\n`,
  );
  process.exit(1);
});
