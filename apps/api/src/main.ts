import 'reflect-metadata';
import { PracticesService, UsersService } from '@recall/auth';
import { ConfigError, loadConfig } from '@recall/config';
import { Clock, RequestContext } from '@recall/core';
import { NestFactory } from '@nestjs/core';
import { CliModule } from '../../cli/src/cli.module';
import { EmbeddedPostgresError, prepareDatabase } from '@recall/database';
import { ImportsService } from '@recall/imports';
import { CampaignsService } from '@recall/campaigns';
import {
  DEMO_PASSWORD,
  DEMO_USERS,
  seedDemo,
  seedDemoCampaign,
  seedDemoImport,
  seedDemoSimulation,
} from '../../../seeds/demo.seed';
import { createApiApp } from './create-app';

const say = (m: string) => process.stdout.write(`${m}\n`);

class StartupError extends Error {}

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await prepareDatabase(config, say);
  say(`database: ${db.description}`);
  const app = await createApiApp({ config, databaseUrl: db.url });
  try {
    if (config.demo) {
      await RequestContext.run({ requestId: 'seed', channel: 'system' }, async () => {
        await seedDemo({ practices: app.get(PracticesService), users: app.get(UsersService) });
        const { imported } = await seedDemoImport(app.get(ImportsService), app.get(PracticesService));
        if (imported) say('demo: imported the sample EMR export (116 patients, 5,722 encounters)');
        const { created } = await seedDemoCampaign(app.get(CampaignsService), app.get(PracticesService));
        if (created) say('demo: planned a reactivation campaign, ready to launch (Campaigns)');
      });
    }
    if (config.singleProcess) {
      // No Redis to hold them: imports interrupted by a stop or a crash run again now.
      const resumed = await app.get(ImportsService).resumeInterrupted();
      if (resumed) say(`imports: resumed ${resumed} interrupted import(s)`);
    }
    await app.listen(config.env.PORT, config.env.HOST);
  } catch (error) {
    await app.close().catch(() => undefined);
    await db.stop();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new StartupError(`Port ${config.env.PORT} is in use: stop the other process or set PORT.`);
    }
    throw error;
  }

  say('');
  say(`Recall is running at ${config.publicUrl}`);
  say(`  API docs: ${config.publicUrl}/api/docs   health: ${config.publicUrl}/health`);
  say(
    config.singleProcess ? '  jobs: single-process mode (no REDIS_URL)' : '  jobs: Redis (run apps/worker)',
  );
  if (config.demo) {
    say(`  demo logins (password "${DEMO_PASSWORD}"):`);
    for (const u of DEMO_USERS) say(`    ${u.role.padEnd(8)} ${u.login}`);
  }
  const mfaRoles = config.mfaRequiredRoles;
  say(
    mfaRoles.length
      ? `  two-factor sign-in (TOTP) required for: ${mfaRoles.join(', ')} (MFA_REQUIRED_ROLES)`
      : '  two-factor sign-in: optional for every role (MFA_REQUIRED_ROLES=admin,manager to require it)',
  );
  say('Press Ctrl+C to stop.');
  if (config.demo) {
    // After the app is up: a context of its own (no HTTP, no job consumers) whose clock walks
    // two simulated weeks of calls, so the dashboards fill within a minute of the first start.
    void RequestContext.run({ requestId: 'seed', channel: 'system' }, () =>
      seedDemoSimulation(
        (clock) =>
          NestFactory.createApplicationContext(CliModule.forRoot(config, db.url, clock), {
            logger: ['error'],
          }),
        app.get(PracticesService),
        app.get(CampaignsService),
        app.get(Clock).now(),
      ),
    )
      .then((sim) => {
        if (sim.simulated) say(`demo: simulated two weeks of calls (${sim.calls} calls, ${sim.seconds} s)`);
      })
      .catch((error: unknown) => say(`demo: the call simulation failed: ${(error as Error).message}`));
  }

  const shutdown = async (signal: string) => {
    say(`\n${signal}: shutting down`);
    await app.close();
    await db.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (
    error instanceof ConfigError ||
    error instanceof EmbeddedPostgresError ||
    error instanceof StartupError
  ) {
    process.stderr.write(`\n${error.message}\n\n`);
  } else {
    process.stderr.write(
      `\nRecall failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
