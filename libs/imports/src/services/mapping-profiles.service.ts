import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import { DomainError } from '@recall/core';
import { DataSource } from 'typeorm';
import { BUILTIN_PROFILES, findBuiltinProfile } from '../mapping/builtin-profiles';
import { parseMapping, type ImportMapping } from '../mapping/mapping';

export interface ProfileView {
  name: string;
  builtin: boolean;
  description: string | null;
  mapping: ImportMapping;
  updatedAt: string | null;
}

const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._()-]{0,79}$/u;

/** Named column mappings per practice, plus the built-in layouts (Synthea). */
@Injectable()
export class MappingProfilesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(practiceId: string): Promise<ProfileView[]> {
    const rows = await this.db.query(
      `SELECT name, mapping, updated_at FROM mapping_profile WHERE practice_id = $1 ORDER BY name`,
      [practiceId],
    );
    return [
      ...BUILTIN_PROFILES.map((p) => ({
        name: p.name,
        builtin: true,
        description: p.description,
        mapping: p.mapping,
        updatedAt: null,
      })),
      ...rows.map((r: { name: string; mapping: ImportMapping; updated_at: Date }) => ({
        name: r.name,
        builtin: false,
        description: null,
        mapping: r.mapping,
        updatedAt: r.updated_at.toISOString(),
      })),
    ];
  }

  /** A saved profile of the practice, else a built-in one. */
  async get(practiceId: string, name: string): Promise<ProfileView> {
    const [row] = await this.db.query(
      `SELECT name, mapping, updated_at FROM mapping_profile WHERE practice_id = $1 AND name = $2`,
      [practiceId, name],
    );
    if (row)
      return {
        name: row.name,
        builtin: false,
        description: null,
        mapping: row.mapping,
        updatedAt: row.updated_at.toISOString(),
      };
    const builtin = findBuiltinProfile(name);
    if (builtin)
      return {
        name: builtin.name,
        builtin: true,
        description: builtin.description,
        mapping: builtin.mapping,
        updatedAt: null,
      };
    throw DomainError.notFound(`mapping profile "${name}"`);
  }

  async save(
    practiceId: string,
    name: string,
    mapping: unknown,
    userId: string | null,
  ): Promise<ProfileView> {
    const clean = name.trim();
    if (!NAME.test(clean)) {
      throw DomainError.invalid('name: 1-80 letters, digits, spaces or . _ ( ) -', { field: 'name' });
    }
    if (findBuiltinProfile(clean))
      throw DomainError.conflict(`"${clean}" is a built-in profile name`, { field: 'name' });
    let parsed: ImportMapping;
    try {
      parsed = parseMapping(mapping);
    } catch (error) {
      throw DomainError.invalid((error as Error).message, { field: 'mapping' });
    }
    await this.db.query(
      `INSERT INTO mapping_profile (practice_id, name, mapping, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (practice_id, name) DO UPDATE SET mapping = excluded.mapping, updated_at = now()`,
      [practiceId, clean, JSON.stringify(parsed), userId],
    );
    await this.audit.record({
      action: 'imports.profile-saved',
      practiceId,
      entityType: 'mapping_profile',
      entityId: clean,
    });
    return this.get(practiceId, clean);
  }

  async remove(practiceId: string, name: string): Promise<void> {
    const [rows] = await this.db.query(
      `DELETE FROM mapping_profile WHERE practice_id = $1 AND name = $2 RETURNING id`,
      [practiceId, name],
    );
    if (!rows?.length) throw DomainError.notFound(`saved mapping profile "${name}"`);
    await this.audit.record({
      action: 'imports.profile-deleted',
      practiceId,
      entityType: 'mapping_profile',
      entityId: name,
    });
  }
}
