import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock, DomainError } from '@recall/core';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from './audit.service';

/** A table that holds a practice's rows: by its practice_id, or through its parent's. */
export interface OwnedTable {
  table: string;
  /** SQL condition on alias `t` for the practice `$1`. */
  where: string;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Kept when a practice is erased: the audit log has no patient data and outlives the practice. */
const KEPT_ON_ERASE = new Set(['audit_event']);

/**
 * Everything a practice owns, read from the catalogue (not a hand-kept list, so a new table
 * with a practice_id is exported and erased without anyone remembering to add it): tables
 * with a practice_id column, and tables without one that hang off them by a foreign key
 * (import issues, campaign agents). Ordered children first, which is the order to delete in.
 */
export async function ownedTables(db: DataSource | EntityManager): Promise<OwnedTable[]> {
  const direct: { table_name: string }[] = await db.query(
    `SELECT c.table_name FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND c.column_name = 'practice_id' AND t.table_type = 'BASE TABLE'
     ORDER BY c.table_name`,
  );
  const edges: { child: string; parent: string; child_col: string; parent_col: string }[] = await db.query(
    `SELECT ch.relname AS child, pa.relname AS parent, ca.attname AS child_col, pk.attname AS parent_col
     FROM pg_constraint con
     JOIN pg_class ch ON ch.oid = con.conrelid
     JOIN pg_class pa ON pa.oid = con.confrelid
     JOIN pg_attribute ca ON ca.attrelid = con.conrelid AND ca.attnum = con.conkey[1]
     JOIN pg_attribute pk ON pk.attrelid = con.confrelid AND pk.attnum = con.confkey[1]
     WHERE con.contype = 'f' AND cardinality(con.conkey) = 1
       AND con.connamespace = current_schema()::regnamespace`,
  );
  const practiceTables = new Set(direct.map((d) => d.table_name));
  const where = new Map<string, string>([...practiceTables].map((t) => [t, 't.practice_id = $1']));
  for (const e of edges) {
    if (practiceTables.has(e.parent) && !practiceTables.has(e.child) && !where.has(e.child)) {
      where.set(
        e.child,
        `EXISTS (SELECT 1 FROM ${quote(e.parent)} p WHERE p.${quote(e.parent_col)} = t.${quote(e.child_col)} AND p.practice_id = $1)`,
      );
    }
  }
  // Children before parents (self-references aside); whatever is left of a cycle goes last.
  const parentsOf = new Map<string, Set<string>>();
  for (const e of edges) {
    if (e.child !== e.parent && where.has(e.child) && where.has(e.parent)) {
      parentsOf.set(e.child, (parentsOf.get(e.child) ?? new Set()).add(e.parent));
    }
  }
  const ordered: string[] = [];
  const remaining = new Set([...where.keys()].sort());
  while (remaining.size) {
    const leaf = [...remaining].find(
      (t) => ![...remaining].some((other) => other !== t && parentsOf.get(other)?.has(t)),
    );
    const next = leaf ?? [...remaining][0];
    ordered.push(next);
    remaining.delete(next);
  }
  return ordered.map((table) => ({ table, where: where.get(table)! }));
}

export interface ErasedPractice {
  practiceId: string;
  slug: string;
  rows: Record<string, number>;
}

/** A practice's data export (every row it owns) and its erasure. */
@Injectable()
export class PracticeDataService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async findPractice(ref: {
    id?: string;
    slug?: string;
  }): Promise<{ id: string; slug: string; name: string }> {
    const [p] = await this.db.query(
      `SELECT id, slug, name FROM practice WHERE ($1::uuid IS NULL OR id = $1) AND ($2::text IS NULL OR slug = $2)`,
      [ref.id ?? null, ref.slug ?? null],
    );
    if (!p || (!ref.id && !ref.slug))
      throw DomainError.notFound(ref.slug ? `practice "${ref.slug}"` : 'practice');
    return p;
  }

  /**
   * NDJSON, one row per line as `{"table": …, "row": {…}}` after a header line, read from one
   * snapshot through a server-side cursor (memory stays flat whatever the practice's size).
   * Users appear without their password hashes or second-factor secrets.
   */
  async *exportLines(practiceId: string): AsyncGenerator<string> {
    const practice = await this.findPractice({ id: practiceId });
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await this.audit.record({
        action: 'practice.export',
        practiceId,
        entityType: 'practice',
        entityId: practiceId,
      });
      const tables = (await ownedTables(runner.manager)).reverse();
      yield `${JSON.stringify({
        format: 'recall-practice-export',
        version: 1,
        exportedAt: this.clock.nowDate().toISOString(),
        practice,
        tables: ['practice', 'app_user', ...tables.map((t) => t.table)],
      })}\n`;
      const sources: { table: string; sql: string }[] = [
        { table: 'practice', sql: `SELECT to_jsonb(t)::text AS j FROM practice t WHERE t.id = $1` },
        {
          table: 'app_user',
          sql: `SELECT jsonb_build_object('id', t.id, 'login', t.login, 'display_name', t.display_name,
                  'role', t.role, 'is_active', t.is_active, 'created_at', t.created_at)::text AS j
                FROM app_user t JOIN user_practice up ON up.user_id = t.id WHERE up.practice_id = $1`,
        },
        ...tables.map(({ table, where }) => ({
          table,
          sql: `SELECT to_jsonb(t)::text AS j FROM ${quote(table)} t WHERE ${where}`,
        })),
      ];
      for (const [i, source] of sources.entries()) {
        const cursor = `practice_export_${i}`;
        await runner.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${source.sql}`, [practiceId]);
        const prefix = `{"table":${JSON.stringify(source.table)},"row":`;
        for (;;) {
          const rows: { j: string }[] = await runner.query(`FETCH 2000 FROM ${cursor}`);
          if (rows.length === 0) break;
          let chunk = '';
          for (const r of rows) chunk += `${prefix}${r.j}}\n`;
          yield chunk;
        }
        await runner.query(`CLOSE ${cursor}`);
      }
      await runner.query('COMMIT');
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * Deletes every row the practice owns and the practice itself, in one transaction. The
   * audit log stays (it holds ids and codes, no patient data, and must be kept six years),
   * with a `practice.erased` event naming what went.
   */
  async erase(practiceId: string, confirmSlug: string): Promise<ErasedPractice> {
    const practice = await this.findPractice({ id: practiceId });
    if (confirmSlug !== practice.slug) {
      throw DomainError.invalid(`confirm: type the practice's slug (${practice.slug}) to erase it`, {
        field: 'confirm',
      });
    }
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT 1 FROM practice WHERE id = $1 FOR UPDATE`, [practiceId]);
      const rows: Record<string, number> = {};
      for (const { table, where } of await ownedTables(tx)) {
        if (KEPT_ON_ERASE.has(table)) continue;
        const [, count] = await tx.query(`DELETE FROM ${quote(table)} t WHERE ${where}`, [practiceId]);
        if (count) rows[table] = count as number;
      }
      await tx.query(`DELETE FROM practice WHERE id = $1`, [practiceId]);
      await this.audit.record(
        {
          action: 'practice.erased',
          practiceId,
          entityType: 'practice',
          entityId: practiceId,
          details: { slug: practice.slug, rows },
        },
        tx,
      );
      return { practiceId, slug: practice.slug, rows };
    });
  }
}
