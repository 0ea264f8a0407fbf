import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import { Clock, DomainError } from '@recall/core';
import type { Delimiter, Encoding } from '@recall/imports';
import type { StoredPhone, TimeZoneSource } from '@recall/patients';
import { DataSource } from 'typeorm';
import { resolveTimeZone } from '../../../imports/src/normalize';
import { CONTACT_CATEGORIES, type ContactCategory } from '../campaign-types';
import type { ContactMapping } from './contact-fields';
import { foldContacts } from './contact-rows';
import { readContactsFile, type ContactImportIssue, type ContactsFile } from './contacts-file';

export interface ContactImportInput {
  /** Where the uploaded file is; the service reads it and never deletes it. */
  path: string;
  /** The file's name as the user knows it, used in messages and rejected rows. */
  name: string;
  category: ContactCategory;
  /** Without one, the mapping `suggestContactMapping` proposes for the file's headers. */
  mapping?: ContactMapping;
  /** Counts everything, changes nothing. */
  dryRun?: boolean;
}

export interface ContactImportSummary {
  file: string;
  category: ContactCategory;
  dryRun: boolean;
  format: { encoding: Encoding; delimiter: Delimiter; headerLine: number; skippedLines: string[] };
  mapping: ContactMapping;
  /** accepted + rejected. */
  totalRows: number;
  accepted: number;
  rejected: number;
  /** Contacts after folding repeated keys: created + updated + unchanged. */
  created: number;
  updated: number;
  unchanged: number;
  /** Accepted rows folded into an earlier row with the same key. */
  mergedRows: number;
  /** Number of warnings (a row can have several). */
  warnings: number;
  rejectedRows: ContactImportIssue[];
  warningRows: ContactImportIssue[];
}

export interface ContactView {
  id: string;
  category: ContactCategory;
  contactKey: string;
  organisation: string;
  contactName: string | null;
  contactRole: string | null;
  phones: StoredPhone[];
  email: string | null;
  address: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  timeZone: string;
  timeZoneSource: TimeZoneSource;
  doNotCallAt: string | null;
  /** Not on do-not-call and has a valid phone. */
  callable: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ContactListQuery {
  category?: ContactCategory;
  /** Matches organisation, contact name, role, email, city, the key, or digits of a phone. */
  search?: string;
  limit?: number;
  offset?: number;
}

export function isContactCategory(value: unknown): value is ContactCategory {
  return typeof value === 'string' && (CONTACT_CATEGORIES as readonly string[]).includes(value);
}

/** Checks a category from a request or a command line. */
export function parseContactCategory(value: unknown): ContactCategory {
  if (isContactCategory(value)) return value;
  throw DomainError.invalid(
    `category must be one of ${CONTACT_CATEGORIES.join(', ')} (got ${JSON.stringify(value ?? null)})`,
  );
}

/** Columns of `contact` written by an import, as `jsonb_to_recordset` reads them. */
const RECORD_COLUMNS = `contact_key text, category text, organisation text, contact_name text,
  contact_role text, phones jsonb, email text, address text, city text, state text, zip text,
  time_zone text, time_zone_source text, do_not_call boolean`;
const DATA = [
  'category',
  'organisation',
  'contact_name',
  'contact_role',
  'phones',
  'email',
  'address',
  'city',
  'state',
  'zip',
  'time_zone',
  'time_zone_source',
];

/**
 * One statement for the whole list: new keys are inserted, known ones updated only when
 * their content changed. A do-not-call is set by a flagged row and never lifted.
 * $1 practice, $2 the contacts as a JSON array, $3 now.
 */
const UPSERT_CONTACTS = `
  WITH src AS (
    SELECT r.*, md5(ROW(${DATA.map((c) => `r.${c}`).join(', ')}, r.do_not_call)::text) AS content_hash
    FROM jsonb_to_recordset($2::jsonb) AS r(${RECORD_COLUMNS})
  ), up AS (
    INSERT INTO contact AS c (practice_id, contact_key, ${DATA.join(', ')}, do_not_call_at, content_hash)
    SELECT $1, s.contact_key, ${DATA.map((c) => `s.${c}`).join(', ')},
           CASE WHEN s.do_not_call THEN $3::timestamptz END, s.content_hash
    FROM src s
    ON CONFLICT (practice_id, contact_key) DO UPDATE SET
      ${DATA.map((c) => `${c} = excluded.${c}`).join(', ')},
      do_not_call_at = coalesce(c.do_not_call_at, excluded.do_not_call_at),
      content_hash = excluded.content_hash, updated_at = now()
    WHERE c.content_hash IS DISTINCT FROM excluded.content_hash
    RETURNING (xmax = 0) AS inserted
  )
  SELECT count(*) FILTER (WHERE inserted)::int AS created,
         count(*) FILTER (WHERE NOT inserted)::int AS updated
  FROM up`;

interface ContactRecord {
  contact_key: string;
  category: ContactCategory;
  organisation: string;
  contact_name: string | null;
  contact_role: string | null;
  phones: StoredPhone[];
  email: string | null;
  address: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  time_zone: string;
  time_zone_source: TimeZoneSource;
  do_not_call: boolean;
}

const iso = (d: Date | string | null): string | null =>
  d === null ? null : typeof d === 'string' ? d : d.toISOString();

/**
 * Contact lists for partner and community campaigns: imported whole, in one transaction, with
 * the EMR importer's rules (sniffing, mapping, rejects, idempotent re-import, dry run, audit).
 */
@Injectable()
export class ContactsImportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async importFile(
    practiceId: string,
    input: ContactImportInput,
    actorUserId: string | null,
  ): Promise<ContactImportSummary> {
    const category = parseContactCategory(input.category);
    const dryRun = input.dryRun === true;
    const [practice] = await this.db.query(`SELECT timezone FROM practice WHERE id = $1`, [practiceId]);
    if (!practice) throw DomainError.notFound('practice');
    const actor = actorUserId ? { userId: actorUserId } : undefined;

    let file: ContactsFile;
    try {
      file = await readContactsFile(input.path, { name: input.name, mapping: input.mapping });
    } catch (error) {
      await this.audit.record({
        action: 'contacts.import',
        outcome: 'failure',
        practiceId,
        entityType: 'contact',
        details: { category, dryRun },
        actor,
      });
      throw error;
    }

    const { contacts, mergedRows } = foldContacts(file.rows);
    const records: ContactRecord[] = contacts.map((c) => {
      const tz = resolveTimeZone(c.zip ? c.zip.slice(0, 5) : null, c.state, practice.timezone);
      return {
        contact_key: c.key,
        category,
        organisation: c.organisation,
        contact_name: c.contactName,
        contact_role: c.contactRole,
        phones: c.phones,
        email: c.email,
        address: c.address,
        city: c.city,
        state: c.state,
        zip: c.zip,
        time_zone: tz.zone,
        time_zone_source: tz.source,
        do_not_call: c.doNotCall,
      };
    });

    const { created, updated } = await this.write(practiceId, records, dryRun);
    const summary: ContactImportSummary = {
      file: file.name,
      category,
      dryRun,
      format: {
        encoding: file.format.encoding,
        delimiter: file.format.delimiter,
        headerLine: file.format.headerLine,
        skippedLines: file.format.skippedLines,
      },
      mapping: file.mapping,
      totalRows: file.totalRows,
      accepted: file.rows.length,
      rejected: file.rejected.length,
      created,
      updated,
      unchanged: records.length - created - updated,
      mergedRows,
      warnings: file.warnings.length,
      rejectedRows: file.rejected,
      warningRows: file.warnings,
    };
    await this.audit.record({
      action: 'contacts.import',
      practiceId,
      entityType: 'contact',
      details: {
        category,
        dryRun,
        sha256: file.sha256,
        totalRows: summary.totalRows,
        accepted: summary.accepted,
        rejected: summary.rejected,
        created,
        updated,
        unchanged: summary.unchanged,
        mergedRows,
        warnings: summary.warnings,
      },
      actor,
    });
    return summary;
  }

  /** All or nothing, one import per practice at a time; a dry run rolls back what it counted. */
  private async write(
    practiceId: string,
    records: ContactRecord[],
    dryRun: boolean,
  ): Promise<{ created: number; updated: number }> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(`SELECT pg_advisory_xact_lock(hashtext('recall.contacts-import'), hashtext($1))`, [
        practiceId,
      ]);
      const [counts] = await runner.query(UPSERT_CONTACTS, [
        practiceId,
        JSON.stringify(records),
        this.clock.nowDate(),
      ]);
      if (dryRun) await runner.rollbackTransaction();
      else await runner.commitTransaction();
      return { created: counts.created, updated: counts.updated };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  async list(
    practiceId: string,
    query: ContactListQuery = {},
  ): Promise<{ total: number; items: ContactView[] }> {
    const params: unknown[] = [practiceId];
    const where = ['c.practice_id = $1'];
    if (query.category !== undefined) {
      params.push(parseContactCategory(query.category));
      where.push(`c.category = $${params.length}`);
    }
    const search = query.search?.trim();
    if (search) {
      params.push(`%${search.replace(/[\\%_]/g, (ch) => '\\' + ch)}%`, search);
      const like = `$${params.length - 1}`;
      const conditions = [
        ...['organisation', 'contact_name', 'contact_role', 'email', 'city'].map(
          (c) => `c.${c} ILIKE ${like}`,
        ),
        `c.contact_key = $${params.length}`,
      ];
      const digits = search.replace(/\D/g, '');
      if (digits.length >= 4) {
        params.push(`%${digits}%`);
        conditions.push(
          `EXISTS (SELECT 1 FROM jsonb_array_elements(c.phones) ph WHERE ph->>'e164' LIKE $${params.length})`,
        );
      }
      where.push(`(${conditions.join(' OR ')})`);
    }
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 500);
    const offset = Math.max(Math.trunc(query.offset ?? 0), 0);
    const [{ total }] = await this.db.query(
      `SELECT count(*)::int AS total FROM contact c WHERE ${where.join(' AND ')}`,
      params,
    );
    const rows = await this.db.query(
      `SELECT c.* FROM contact c WHERE ${where.join(' AND ')}
       ORDER BY lower(c.organisation), lower(coalesce(c.contact_name, '')), c.id
       LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { total, items: rows.map(toView) };
  }
}

interface ContactDbRow {
  id: string;
  category: ContactCategory;
  contact_key: string;
  organisation: string;
  contact_name: string | null;
  contact_role: string | null;
  phones: StoredPhone[];
  email: string | null;
  address: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  time_zone: string;
  time_zone_source: TimeZoneSource;
  do_not_call_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

function toView(r: ContactDbRow): ContactView {
  return {
    id: r.id,
    category: r.category,
    contactKey: r.contact_key,
    organisation: r.organisation,
    contactName: r.contact_name,
    contactRole: r.contact_role,
    phones: r.phones,
    email: r.email,
    address: r.address,
    city: r.city,
    state: r.state,
    zip: r.zip,
    timeZone: r.time_zone,
    timeZoneSource: r.time_zone_source,
    doNotCallAt: iso(r.do_not_call_at),
    callable: r.do_not_call_at === null && r.phones.some((p) => p.valid),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}
