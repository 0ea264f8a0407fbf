import type { INestApplicationContext } from '@nestjs/common';
import {
  auditBound,
  type AuditOutcome,
  type AuditQuery,
  AuditService,
  PracticeDataService,
} from '@recall/audit';
import { RecallConfig } from '@recall/config';
import { DomainError } from '@recall/core';
import { Command, Option } from 'commander';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { type Output, note, withApp } from './runtime';

interface FilterOptions {
  practice?: string;
  user?: string;
  action?: string;
  record?: string;
  outcome?: AuditOutcome;
  requestId?: string;
  from?: string;
  to?: string;
}

const withFilters = (command: Command) =>
  command
    .option('--practice <slug>', 'events of this practice')
    .option('--user <login>', 'events of this acting login (e.g. ann, cli:root)')
    .option('--action <action>', 'exact, or a prefix ending in * (patient.*)')
    .option('--record <id>', 'events about this record (its id), including list views that showed it')
    .addOption(new Option('--outcome <outcome>', 'outcome').choices(['success', 'failure', 'denied']))
    .option('--request-id <id>', 'events of one request')
    .option('--from <when>', 'from (UTC day YYYY-MM-DD or ISO instant, inclusive)')
    .option('--to <when>', 'to (UTC day, inclusive, or ISO instant, exclusive)');

async function queryOf(data: PracticeDataService, o: FilterOptions): Promise<AuditQuery> {
  return {
    practiceId: o.practice ? (await data.findPractice({ slug: o.practice })).id : undefined,
    actorLogin: o.user,
    action: o.action,
    record: o.record,
    outcome: o.outcome,
    requestId: o.requestId,
    from: auditBound(o.from, 'from'),
    to: auditBound(o.to, 'to'),
  };
}

/** `recall audit search|export|purge` and `recall practice export|erase`. */
export function registerPrivacyCommands(program: Command, out: () => Output): void {
  const audit = program.command('audit').description('the audit log: search, export, retention');
  withFilters(audit.command('search').description('audit events, newest first'))
    .option('--limit <n>', 'events per page (at most 1000)', (v) => Number.parseInt(v, 10), 50)
    .option('--cursor <cursor>', 'the next page (printed after a full page)')
    .action(async (o: FilterOptions & { limit: number; cursor?: string }) => {
      const page = await withApp(async (app) =>
        app
          .get(AuditService)
          .search({ ...(await queryOf(app.get(PracticeDataService), o)), limit: o.limit, cursor: o.cursor }),
      );
      out().result(page, [
        ...page.items.map(
          (e) =>
            `${e.occurredAt.toISOString()} ${e.outcome.padEnd(7)} ${(e.actorLogin ?? '-').padEnd(16)} ` +
            `${e.action.padEnd(24)} ${e.entityType ?? ''}${e.entityId ? `:${e.entityId}` : ''} ${e.requestId ?? ''}`,
        ),
        ...(page.nextCursor ? [`more: --cursor ${page.nextCursor}`] : []),
      ]);
    });
  withFilters(audit.command('export').description('audit events as CSV'))
    .requiredOption('--out <file>', 'CSV file to write')
    .action(async (o: FilterOptions & { out: string }) => {
      await withApp(async (app) => {
        const lines = app.get(AuditService).csv(await queryOf(app.get(PracticeDataService), o));
        await pipeline(Readable.from(lines), createWriteStream(o.out, { mode: 0o600 }));
      });
      out().result({ file: o.out }, `wrote ${o.out}`);
    });
  audit
    .command('purge')
    .description('delete events older than AUDIT_RETENTION_YEARS now (a daily job does it too)')
    .action(async () => {
      const result = await withApp(async (app) => {
        const years = app.get(RecallConfig).env.AUDIT_RETENTION_YEARS;
        const purged = await app.get(AuditService).purgeExpired(years);
        if (purged)
          await app
            .get(AuditService)
            .record({ action: 'audit.purged', details: { purged, retentionYears: years } });
        return { purged, retentionYears: years };
      });
      out().result(result, `deleted ${result.purged} events older than ${result.retentionYears} years`);
    });

  const practice = program.command('practice').description("a practice's data: export it all, or erase it");
  practice
    .command('export')
    .description('everything the practice owns, as gzipped NDJSON ({"table", "row"} per line)')
    .requiredOption('--practice <slug>', 'practice slug')
    .requiredOption('--out <file>', 'file to write (e.g. lakeside.ndjson.gz)')
    .action(async (o: { practice: string; out: string }) => {
      await withApp(async (app) => {
        const data = app.get(PracticeDataService);
        const { id } = await data.findPractice({ slug: o.practice });
        await pipeline(
          Readable.from(data.exportLines(id)),
          createGzip(),
          createWriteStream(o.out, { mode: 0o600 }),
        );
      });
      out().result({ file: o.out }, `wrote ${o.out}`);
    });
  practice
    .command('erase')
    .description('delete every row of the practice, and the practice (its audit trail stays)')
    .requiredOption('--practice <slug>', 'practice slug')
    .requiredOption('--confirm <slug>', 'the slug again')
    .action(async (o: { practice: string; confirm: string }) => {
      if (o.confirm !== o.practice) throw DomainError.invalid('--confirm must repeat the practice slug');
      note(`erasing practice ${o.practice}…`);
      const erased = await withApp(async (app) => {
        const data = app.get(PracticeDataService);
        const { id } = await data.findPractice({ slug: o.practice });
        return data.erase(id, o.confirm);
      });
      out().result(erased, [
        `erased practice ${erased.slug}:`,
        ...Object.entries(erased.rows).map(([t, n]) => `  ${t}: ${n}`),
      ]);
    });
}

/** A command that shows patient data leaves the same audit row as the API's route (channel cli). */
export async function auditCliRead(
  app: INestApplicationContext,
  read: { action: string; entityType: string; practiceId: string; ids: string[] },
): Promise<void> {
  await app.get(AuditService).record({
    action: read.action,
    practiceId: read.practiceId,
    entityType: read.entityType,
    entityId: read.ids.length === 1 ? read.ids[0] : undefined,
    details: { ids: read.ids, shown: read.ids.length },
  });
}
