import { PracticesService } from '@recall/auth';
import {
  ImportsService,
  MappingProfilesService,
  sniffFile,
  suggestImportMapping,
  type FileKind,
  type ImportProgress,
  type IncomingFile,
} from '@recall/imports';
import { DuplicatesService, PatientsService } from '@recall/patients';
import { Command } from 'commander';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { auditCliRead } from './privacy-commands';
import { CliError, note, type Output, withApp } from './runtime';

interface ImportOptions {
  practice: string;
  patients: string;
  appointments?: string;
  encounters?: string;
  mapping?: string;
  saveProfile?: string;
  dryRun?: boolean;
  rejectedOut?: string;
}

function files(opts: { patients: string; appointments?: string; encounters?: string }): IncomingFile[] {
  const list: IncomingFile[] = [];
  for (const kind of ['patients', 'appointments', 'encounters'] as FileKind[]) {
    const path = opts[kind];
    if (!path) continue;
    const full = resolve(path);
    if (!existsSync(full)) throw new CliError(`--${kind}: no such file: ${path}`);
    list.push({ kind, name: basename(full), path: full, owned: false });
  }
  return list;
}

/** `--mapping` is a saved/built-in profile name, or a JSON file holding a mapping. */
async function mappingFrom(
  spec: string,
  profiles: MappingProfilesService,
  practiceId: string,
): Promise<{ mapping: unknown; profileName: string | null }> {
  if (spec.endsWith('.json') || existsSync(spec)) {
    try {
      return { mapping: JSON.parse(readFileSync(spec, 'utf8')), profileName: null };
    } catch (error) {
      throw new CliError(`--mapping ${spec}: ${(error as Error).message}`);
    }
  }
  const profile = await profiles.get(practiceId, spec);
  return { mapping: profile.mapping, profileName: profile.name };
}

function progressBar(): (p: ImportProgress) => void {
  const started = Date.now();
  let lastPhase = '';
  return (p) => {
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? p.rowsDone / seconds : 0;
    const fraction = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 0;
    if (!process.stderr.isTTY) {
      if (p.phase !== lastPhase) note(`${p.phase}… (${p.rowsDone.toLocaleString('en-US')} rows)`);
      lastPhase = p.phase;
      return;
    }
    const width = 28;
    const filled = Math.round(fraction * width);
    const eta = fraction > 0 && fraction < 1 ? Math.round((seconds / fraction) * (1 - fraction)) : 0;
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
        `${p.rowsDone.toLocaleString('en-US')} rows  ${Math.round(rate).toLocaleString('en-US')} rows/s` +
        `${eta ? `  ETA ${eta}s` : ''}  ${p.phase.padEnd(28)}`,
    );
  };
}

export function registerImportCommands(program: Command, out: () => Output): void {
  const imp = program
    .command('import')
    .description('import an EMR export (patients, and optionally appointments and encounters)')
    .enablePositionalOptions()
    .option('--practice <slug>', 'practice to import into')
    .option('--patients <file>', 'patients CSV')
    .option('--appointments <file>', 'appointments CSV')
    .option('--encounters <file>', 'encounters CSV')
    .option(
      '--mapping <name|file.json>',
      'saved or built-in profile name, or a mapping JSON file (default: suggested)',
    )
    .option('--save-profile <name>', 'save the mapping used as a profile of the practice')
    .option('--dry-run', 'parse, merge and count, then roll back: nothing is changed')
    .option(
      '--rejected-out <file>',
      'where to write rejected rows (default: ./recall-import-<id>-rejected.csv)',
    )
    .action(async (opts: ImportOptions) => {
      if (!opts.practice) throw new CliError('--practice <slug> is required');
      if (!opts.patients) throw new CliError('--patients <file> is required');
      const incoming = files(opts);
      const result = await withApp(async (app) => {
        const practice = await app.get(PracticesService).findBySlug(opts.practice);
        const imports = app.get(ImportsService);
        const draft = await imports.createDraft(practice.id, incoming, null);
        const chosen = opts.mapping
          ? await mappingFrom(opts.mapping, app.get(MappingProfilesService), practice.id)
          : { mapping: draft.mapping, profileName: draft.suggestedProfile };
        if (!opts.mapping)
          note(
            `mapping: ${chosen.profileName ? `profile "${chosen.profileName}"` : 'suggested from the headers'}`,
          );
        await imports.start(
          practice.id,
          draft.id,
          {
            mapping: chosen.mapping,
            dryRun: opts.dryRun,
            profileName: chosen.profileName,
            saveProfileAs: opts.saveProfile,
            enqueue: false,
          },
          null,
        );
        const finished = await imports.runInline(draft.id, progressBar());
        if (process.stderr.isTTY) process.stderr.write('\n');
        if (finished.status !== 'succeeded')
          throw new CliError(`import ${finished.status}: ${finished.error ?? ''}`);
        const s = finished.summary!;
        let rejectedRowsFile: string | null = null;
        if (s.rejected > 0) {
          rejectedRowsFile = resolve(
            opts.rejectedOut ?? `recall-import-${draft.id.slice(0, 8)}-rejected.csv`,
          );
          const file = createWriteStream(rejectedRowsFile);
          for await (const chunk of imports.rejectedCsv(practice.id, draft.id)) file.write(chunk);
          await new Promise((r) => file.end(r));
        }
        return {
          importId: draft.id,
          dryRun: Boolean(opts.dryRun),
          totalRows: s.totalRows,
          accepted: s.accepted,
          rejected: s.rejected,
          created: s.created,
          updated: s.updated,
          unchanged: s.unchanged,
          mergedRows: s.mergedRows,
          warnings: s.warnings,
          possibleDuplicates: s.possibleDuplicates,
          rejectedRowsFile,
          files: s.files,
          visits: s.visits,
        };
      });
      out().result(result, [
        `${result.dryRun ? 'dry run (nothing saved)' : 'imported'}: ${result.totalRows} rows, ${result.accepted} accepted, ${result.rejected} rejected, ${result.warnings} warnings`,
        `patients: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged, ${result.mergedRows} rows merged into repeated ids`,
        `visits: ${result.visits.created} created, ${result.visits.updated} updated, ${result.visits.unchanged} unchanged`,
        `possible duplicates flagged for review: ${result.possibleDuplicates}`,
        ...(result.rejectedRowsFile ? [`rejected rows: ${result.rejectedRowsFile}`] : []),
        `import id: ${result.importId}`,
      ]);
    });

  imp
    .command('suggest-mapping')
    .description('print the mapping Recall infers from the files’ headers (reads only the files)')
    .requiredOption('--patients <file>', 'patients CSV')
    .option('--appointments <file>', 'appointments CSV')
    .option('--encounters <file>', 'encounters CSV')
    .action(async (opts: { patients: string; appointments?: string; encounters?: string }) => {
      const formats: Record<string, unknown> = {};
      const headers: { kind: FileKind; headers: string[] }[] = [];
      for (const f of files(opts)) {
        const format = await sniffFile(f.path);
        formats[f.kind] = {
          encoding: format.encoding,
          delimiter: format.delimiter,
          headerLine: format.headerLine,
          headers: format.headers,
        };
        headers.push({ kind: f.kind, headers: format.headers });
      }
      const { mapping, profile } = suggestImportMapping(headers);
      out().result({ profile, mapping, formats }, [
        ...(profile ? [`matches the built-in profile "${profile}"`] : []),
        JSON.stringify(mapping, null, 2),
      ]);
    });

  const history = program.command('imports').description('past and running imports');
  history
    .command('list')
    .description('imports of a practice, newest first')
    .requiredOption('--practice <slug>', 'practice')
    .action(async (opts: { practice: string }) => {
      const items = await withApp(async (app) => {
        const practice = await app.get(PracticesService).findBySlug(opts.practice);
        return app.get(ImportsService).list(practice.id);
      });
      out().result(
        items,
        items.map(
          (i) =>
            `${i.id} ${i.createdAt.slice(0, 19)} ${i.status.padEnd(9)} ${i.files.map((f) => f.name).join('+')}` +
            (i.summary
              ? `  ${i.summary.accepted}/${i.summary.totalRows} accepted, ${i.summary.rejected} rejected`
              : '') +
            (i.error ? `  ${i.error}` : ''),
        ),
      );
    });
  history
    .command('resume <importId>')
    .description('run again an import that was interrupted (crash, kill): it starts over cleanly')
    .action(async (importId: string) => {
      const finished = await withApp((app) => app.get(ImportsService).runInline(importId, progressBar()));
      if (process.stderr.isTTY) process.stderr.write('\n');
      out().result(
        finished,
        `import ${finished.id}: ${finished.status}${finished.error ? ` (${finished.error})` : ''}`,
      );
    });

  const patients = program.command('patients').description('patients as imported');
  patients
    .command('show')
    .description('one patient as stored, with activity and whether they can be called')
    .requiredOption('--practice <slug>', 'practice')
    .requiredOption('--mrn <id>', 'patient id (MRN)')
    .action(async (opts: { practice: string; mrn: string }) => {
      const patient = await withApp(async (app) => {
        const practice = await app.get(PracticesService).findBySlug(opts.practice);
        const found = await app.get(PatientsService).findByMrn(practice.id, opts.mrn);
        await auditCliRead(app, {
          action: 'patient.view',
          entityType: 'patient',
          practiceId: practice.id,
          ids: [found.id],
        });
        return found;
      });
      const name = [patient.name.first, patient.name.middle, patient.name.last].filter(Boolean).join(' ');
      out().result(patient, [
        `${name}  MRN ${patient.mrn}  born ${patient.birthDate ?? '?'}${patient.deceased ? `  deceased ${patient.deceasedOn ?? ''}` : ''}`,
        ...patient.phones.map(
          (p) =>
            `  ${p.type.padEnd(6)} ${p.e164 ?? p.raw}${p.extension ? ` x${p.extension}` : ''}${p.valid ? '' : '  (invalid, never dialled)'}`,
        ),
        `  ${[patient.city, patient.state, patient.zip].filter(Boolean).join(', ')}  time zone ${patient.timeZone} (from ${patient.timeZoneSource})`,
        `  last encounter ${patient.lastEncounterOn ?? '-'}, last appointment ${patient.lastAppointment ? `${patient.lastAppointment.on} (${patient.lastAppointment.status})` : '-'}, next appointment ${patient.nextAppointmentOn ?? '-'}`,
        `  ${patient.callability}`,
      ]);
    });
  patients
    .command('duplicates')
    .description('possible duplicates waiting for review')
    .requiredOption('--practice <slug>', 'practice')
    .action(async (opts: { practice: string }) => {
      const list = await withApp(async (app) => {
        const practice = await app.get(PracticesService).findBySlug(opts.practice);
        const found = await app.get(DuplicatesService).list(practice.id);
        const ids = found.flatMap((d) => d.patients.map((p) => p.id));
        await auditCliRead(app, {
          action: 'duplicate.list',
          entityType: 'patient',
          practiceId: practice.id,
          ids,
        });
        return found;
      });
      out().result(
        list,
        list.length
          ? list.map(
              (d) =>
                `${d.id} ${d.reason.padEnd(16)} ${d.patients.map((p) => `${p.mrn} ${p.name.last ?? ''}, ${p.name.first ?? ''} ${p.birthDate ?? ''}`).join('  |  ')}`,
            )
          : 'no open possible duplicates',
      );
    });
}
