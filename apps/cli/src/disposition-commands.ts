import { INestApplicationContext } from '@nestjs/common';
import { CampaignsService } from '@recall/campaigns';
import { DomainError, Role } from '@recall/core';
import {
  DispositionsService,
  DoNotCallService,
  EscalationsService,
  type AttemptView,
  type DispositionResult,
} from '@recall/dispositions';
import { PatientsService } from '@recall/patients';
import { Command } from 'commander';
import { createHash, randomUUID } from 'node:crypto';
import { practiceId } from './campaign-commands';
import { userIn } from './cycle-commands';
import { auditCliRead } from './privacy-commands';
import { CliError, type Output, withApp } from './runtime';

async function campaignRef(app: INestApplicationContext, campaign: string, practice?: string) {
  return app.get(CampaignsService).resolveId(await practiceId(app, practice), campaign);
}

async function practiceOf(app: INestApplicationContext, slug: string): Promise<string> {
  const id = await practiceId(app, slug);
  if (!id) throw DomainError.notFound('practice');
  return id;
}

const resultLines = (r: DispositionResult) => [
  `${r.replayed ? 'already recorded' : 'recorded'} ${r.code}${r.attemptNumber ? ` (attempt ${r.attemptNumber} of ${r.member.attemptCap})` : ''}, attempt id ${r.attemptId}`,
  `patient is now ${r.member.state}` +
    (r.member.notBefore ? `, next call on or after ${r.member.notBefore}` : '') +
    (r.member.callbackAt ? `, callback at ${r.member.callbackAt}` : ''),
  ...(r.markedBad
    ? [`${r.markedBad} marked bad for the practice; next number: ${r.nextNumber ?? 'none'}`]
    : []),
  ...r.escalations.map((e) => `escalated (${e.category}): ${e.reason}`),
];

const attemptLine = (a: AttemptView) =>
  [
    a.endedAt.slice(0, 16).replace('T', ' '),
    a.code.padEnd(11),
    a.attemptNumber ? `#${a.attemptNumber}` : '  ',
    a.agentLogin.padEnd(20),
    a.campaignName,
    a.appointmentAt ? `appt ${a.appointmentAt}` : '',
    a.callbackAt ? `callback ${a.callbackAt}` : '',
    a.supersededBy ? '(corrected)' : '',
    a.remarks ? `“${a.remarks}”` : '',
  ]
    .filter(Boolean)
    .join('  ');

export function registerDispositionCommands(program: Command, out: () => Output): void {
  program
    .command('disposition')
    .description(
      'record a call outcome (back-office entry of a call made earlier: every rule is checked for --at)',
    )
    .requiredOption('--campaign <id>', 'campaign id or name')
    .requiredOption('--mrn <id>', "the patient's MRN")
    .requiredOption('--agent <login>', 'the agent who made the call')
    .requiredOption(
      '--code <code>',
      'DONE, NOANS, LVM, WNUM, CBACK, LOST, DCONN, UNAVLBL, HUNGUP, DNC, RECONFIRMED, DUPLICATE',
    )
    .option('--practice <slug>', 'practice slug (when a campaign name is given)')
    .option('--appointment <iso>', 'DONE, RECONFIRMED: the appointment (no offset = practice time)')
    .option('--callback <iso>', 'CBACK: when to call back (no offset = patient time)')
    .option('--reason <text>', 'LOST: why')
    .option('--survivor-mrn <id>', 'DUPLICATE: the MRN of the record to keep')
    .option('--phone <e164>', 'the number dialled (default: the best valid one)')
    .option('--remarks <text>', 'what was said (screened for red flags)')
    .option('--at <iso>', 'when the call happened, with an offset (default: now)')
    .option(
      '--idempotency-key <key>',
      'a rerun with the same key records nothing new (default: derived from --at)',
    )
    .action(
      async (opts: {
        campaign: string;
        mrn: string;
        agent: string;
        code: string;
        practice?: string;
        appointment?: string;
        callback?: string;
        reason?: string;
        survivorMrn?: string;
        phone?: string;
        remarks?: string;
        at?: string;
        idempotencyKey?: string;
      }) => {
        const result = await withApp(async (app) => {
          const ref = await campaignRef(app, opts.campaign, opts.practice);
          const dispositions = app.get(DispositionsService);
          const memberId = await dispositions.resolveMember(ref.practiceId, {
            campaignId: ref.id,
            mrn: opts.mrn,
          });
          const agentId = await userIn(app, ref.practiceId, opts.agent);
          const survivorId = opts.survivorMrn
            ? (await app.get(PatientsService).findByMrn(ref.practiceId, opts.survivorMrn)).id
            : undefined;
          const code = opts.code.trim().toUpperCase();
          // With --at the same command twice is the same call; without it each run is a new one.
          const idempotencyKey =
            opts.idempotencyKey ??
            (opts.at
              ? `cli:${createHash('sha256')
                  .update(JSON.stringify([memberId, agentId, code, opts.at]))
                  .digest('hex')}`
              : `cli:${randomUUID()}`);
          return dispositions.record(
            ref.practiceId,
            {
              memberId,
              agentId,
              code,
              appointmentAt: opts.appointment,
              callbackAt: opts.callback,
              reason: opts.reason,
              survivorId,
              phone: opts.phone,
              remarks: opts.remarks,
              at: opts.at,
              idempotencyKey,
              source: 'cli',
            },
            { id: agentId, role: Role.Manager },
          );
        });
        out().result(result, resultLines(result));
      },
    );

  program
    .command('attempts')
    .description("a patient's attempts in a campaign, newest first")
    .requiredOption('--campaign <id>', 'campaign id or name')
    .requiredOption('--mrn <id>', "the patient's MRN")
    .option('--practice <slug>', 'practice slug (when a campaign name is given)')
    .action(async (opts: { campaign: string; mrn: string; practice?: string }) => {
      const items = await withApp(async (app) => {
        const ref = await campaignRef(app, opts.campaign, opts.practice);
        const dispositions = app.get(DispositionsService);
        const memberId = await dispositions.resolveMember(ref.practiceId, {
          campaignId: ref.id,
          mrn: opts.mrn,
        });
        const found = await dispositions.attempts(ref.practiceId, { memberId });
        await auditCliRead(app, {
          action: 'attempt.list',
          entityType: 'call_attempt',
          practiceId: ref.practiceId,
          ids: [...new Set(found.flatMap((a) => [a.id, a.patientId].filter((v): v is string => !!v)))],
        });
        return found;
      });
      out().result({ items }, items.length ? items.map(attemptLine) : ['no attempts yet']);
    });

  const esc = program.command('escalations').description("the managers' escalation inbox");
  esc
    .command('list')
    .requiredOption('--practice <slug>', 'practice slug')
    .option('--status <status>', 'open | resolved | all', 'open')
    .action(async (opts: { practice: string; status: string }) => {
      if (!['open', 'resolved', 'all'].includes(opts.status))
        throw new CliError('--status: open, resolved or all');
      const items = await withApp(async (app) =>
        app.get(EscalationsService).list(await practiceOf(app, opts.practice), opts.status as 'open'),
      );
      out().result(
        { items },
        items.length
          ? items.map(
              (e) =>
                `${e.createdAt.slice(0, 16)}  ${e.category.padEnd(16)} ${e.mrn ?? '-'}  ${e.reason}${e.excerpt ? `  “${e.excerpt}”` : ''}  (${e.status}, id ${e.id})`,
            )
          : ['inbox empty'],
      );
    });
  esc
    .command('resolve')
    .requiredOption('--practice <slug>', 'practice slug')
    .requiredOption('--id <id>', 'escalation id')
    .requiredOption('--resolution <text>', 'what was done')
    .requiredOption('--by <login>', 'the manager resolving it')
    .action(async (opts: { practice: string; id: string; resolution: string; by: string }) => {
      const e = await withApp(async (app) => {
        const pid = await practiceOf(app, opts.practice);
        return app
          .get(EscalationsService)
          .resolve(pid, opts.id, opts.resolution, await userIn(app, pid, opts.by));
      });
      out().result(e, `resolved ${e.id}`);
    });

  const dnc = program.command('dnc').description("the practice's do-not-call list");
  dnc
    .command('list')
    .requiredOption('--practice <slug>', 'practice slug')
    .action(async (opts: { practice: string }) => {
      const items = await withApp(async (app) =>
        app.get(DoNotCallService).list(await practiceOf(app, opts.practice)),
      );
      out().result(
        { items },
        items.length
          ? items.map((e) => `${e.mrn.padEnd(12)} ${e.name.padEnd(28)} since ${e.since}  ${e.reason}`)
          : ['empty'],
      );
    });
  for (const [name, description] of [
    ['add', 'put a patient on the list (closed in every campaign at once)'],
    ['lift', 'take a patient off the list (an admin decision; the reason is audited)'],
  ] as const) {
    dnc
      .command(name)
      .description(description)
      .requiredOption('--practice <slug>', 'practice slug')
      .requiredOption('--mrn <id>', "the patient's MRN")
      .requiredOption('--reason <text>', 'why')
      .action(async (opts: { practice: string; mrn: string; reason: string }) => {
        await withApp(async (app) => {
          const pid = await practiceOf(app, opts.practice);
          const patient = await app.get(PatientsService).findByMrn(pid, opts.mrn);
          const service = app.get(DoNotCallService);
          await (name === 'add'
            ? service.add(pid, patient.id, opts.reason)
            : service.lift(pid, patient.id, opts.reason));
        });
        out().result(
          { mrn: opts.mrn, doNotCall: name === 'add' },
          `${opts.mrn}: do-not-call ${name === 'add' ? 'added' : 'lifted'}`,
        );
      });
  }
}
