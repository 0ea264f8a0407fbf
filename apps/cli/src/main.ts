import 'reflect-metadata';
import { LoginLockoutService, PracticesService, UsersService } from '@recall/auth';
import { DomainError, ROLES } from '@recall/core';
import { migrateDatabase } from '@recall/database';
import { JobQueue } from '@recall/queue';
import { Command, Option } from 'commander';
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { registerCampaignCommands, registerContactCommands } from './campaign-commands';
import { registerCycleCommands } from './cycle-commands';
import { registerDemoCommand } from './demo-commands';
import { registerDispositionCommands } from './disposition-commands';
import { registerReportCommands } from './report-commands';
import { registerQualityCommands } from './quality-commands';
import { registerImportCommands } from './import-commands';
import { registerPlanCommand } from './plan-commands';
import { registerPrivacyCommands } from './privacy-commands';
import { output, reportFailure, withApp, withDatabase } from './runtime';

const program = new Command('recall')
  .description('Recall: outbound patient recall campaigns (run `recall <command> --help` for details)')
  .option('--json', 'machine-readable output on stdout')
  .showHelpAfterError();

// `--json` is global and may come anywhere on the line; subcommands parse their options
// positionally (`import suggest-mapping --patients F` must not give --patients to `import`).
const json = process.argv.slice(2).includes('--json');
const argv = process.argv.filter((a, i) => i < 2 || a !== '--json');
program.enablePositionalOptions();
const out = () => output(json);
const csv = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

program
  .command('migrate')
  .description('apply pending database migrations (safe to run again)')
  .action(async () => {
    const applied = await withDatabase((url) => migrateDatabase(url), false);
    out().result({ applied }, applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  });

const practices = program.command('practices').description('practices (tenants)');
practices
  .command('add <slug>')
  .description('create a practice')
  .option('--name <name>', 'display name (default: the slug)')
  .option('--timezone <zone>', 'IANA time zone', 'America/New_York')
  .action(async (slug: string, opts: { name?: string; timezone: string }) => {
    const practice = await withApp((app) =>
      app.get(PracticesService).create({ slug, name: opts.name, timezone: opts.timezone }),
    );
    out().result(practice, `created practice ${practice.slug} (${practice.name}, ${practice.timezone})`);
  });
practices
  .command('list')
  .description('list practices')
  .action(async () => {
    const items = await withApp((app) => app.get(PracticesService).list());
    out().result(
      items,
      items.map((p) => `${p.slug.padEnd(24)} ${p.timezone.padEnd(22)} ${p.name}`),
    );
  });

const users = program.command('users').description('user accounts');
users
  .command('add')
  .description('create a user (prints a generated password when --password is not given)')
  .requiredOption('--login <login>', 'sign-in name')
  .addOption(new Option('--role <role>', 'role').choices(ROLES as string[]).makeOptionMandatory())
  .requiredOption('--practice <slugs>', 'practice slug(s), comma-separated', csv)
  .option('--name <displayName>', 'display name')
  .option('--password <password>', 'initial password (at least 12 characters)')
  .action(
    async (opts: { login: string; role: string; practice: string[]; name?: string; password?: string }) => {
      const created = await withApp((app) =>
        app.get(UsersService).create({
          login: opts.login,
          role: opts.role,
          practiceSlugs: opts.practice,
          displayName: opts.name,
          password: opts.password,
        }),
      );
      out().result(created, [
        `created ${created.user.role} ${created.user.login} in ${created.user.practices.map((p) => p.slug).join(', ')}`,
        ...(created.generatedPassword
          ? [`password: ${created.generatedPassword}  (shown once; hand it over securely)`]
          : []),
      ]);
    },
  );
users
  .command('list')
  .description('list users')
  .option('--practice <slug>', 'only users of this practice')
  .action(async (opts: { practice?: string }) => {
    const items = await withApp(async (app) => {
      const scope = opts.practice
        ? [(await app.get(PracticesService).findBySlug(opts.practice)).id]
        : undefined;
      return app.get(UsersService).list(scope);
    });
    out().result(
      items,
      items.map(
        (u) =>
          `${u.login.padEnd(24)} ${u.role.padEnd(8)} ${u.isActive ? 'active  ' : 'inactive'} ${u.practices.map((p) => p.slug).join(',')}`,
      ),
    );
  });
users
  .command('mfa-reset')
  .description("remove a user's second factor (a lost phone) and end their sessions; they set it up again")
  .requiredOption('--login <login>', 'sign-in name')
  .action(async (opts: { login: string }) => {
    const result = await withApp(async (app) => {
      const login = opts.login.trim().toLowerCase();
      const user = (await app.get(UsersService).list()).find((u) => u.login === login);
      if (!user) throw DomainError.notFound(`user "${login}"`);
      return app.get(UsersService).resetMfa(user.id);
    });
    out().result(
      result,
      result.hadMfa ? `reset two-factor sign-in of ${opts.login}` : `${opts.login} had none`,
    );
  });
users
  .command('unlock')
  .description('clear the failed sign-ins of a login (ends a LOGIN_LOCKOUT_MINUTES lock early)')
  .requiredOption('--login <login>', 'sign-in name')
  .action(async (opts: { login: string }) => {
    await withApp((app) => app.get(LoginLockoutService).reset(opts.login));
    out().result({ unlocked: opts.login }, `unlocked ${opts.login}`);
  });

const jobs = program.command('jobs').description('background jobs');
jobs
  .command('failed')
  .description('list failed jobs with their errors')
  .action(async () => {
    const failed = await withApp((app) => app.get(JobQueue).failed(100));
    out().result(
      failed,
      failed.length
        ? failed.map((j) => `${j.failedAt} ${j.name} ${j.id}: ${j.failedReason}`)
        : 'no failed jobs',
    );
  });
jobs
  .command('ping')
  .description('enqueue a job that writes an audit row (checks that workers run)')
  .action(async () => {
    const jobId = await withApp((app) =>
      app
        .get(JobQueue)
        .enqueue('system.ping', { requestedBy: `cli:${userInfo().username}`, nonce: randomUUID() }),
    );
    out().result({ jobId }, `enqueued ${jobId}`);
  });

registerImportCommands(program, out);
registerPlanCommand(program, out);
registerCampaignCommands(program, out);
registerContactCommands(program, out);
registerCycleCommands(program, out);
registerDispositionCommands(program, out);
registerReportCommands(program, out);
registerQualityCommands(program, out);
registerPrivacyCommands(program, out);
registerDemoCommand(program, out);

program.parseAsync(argv).catch((error: unknown) => reportFailure(error, json));
