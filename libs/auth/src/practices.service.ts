import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import { DomainError } from '@recall/core';
import { DateTime } from 'luxon';
import { DataSource, In, Repository } from 'typeorm';
import { Practice } from './entities';

export interface NewPractice {
  slug: string;
  name?: string;
  timezone: string;
}

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

@Injectable()
export class PracticesService {
  constructor(
    @InjectRepository(Practice) private readonly practices: Repository<Practice>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Creates a practice; `memberUserId` (the admin creating it) joins it in the same transaction. */
  async create(input: NewPractice, memberUserId?: string): Promise<Practice> {
    const slug = input.slug.trim().toLowerCase();
    if (!SLUG_PATTERN.test(slug)) {
      throw DomainError.invalid(
        'slug: 2-63 lower-case letters, digits or dashes, starting with a letter or digit',
        {
          field: 'slug',
        },
      );
    }
    if (!DateTime.local().setZone(input.timezone).isValid) {
      throw DomainError.invalid(
        `timezone: "${input.timezone}" is not an IANA time zone (e.g. America/New_York)`,
        {
          field: 'timezone',
        },
      );
    }
    const practice = await this.db.transaction(async (tx) => {
      const inserted: { id: string }[] = await tx.query(
        `INSERT INTO practice (slug, name, timezone) VALUES ($1, $2, $3)
         ON CONFLICT (slug) DO NOTHING RETURNING id`,
        [slug, input.name?.trim() || slug, input.timezone],
      );
      if (inserted.length === 0) {
        throw DomainError.conflict(`a practice with slug "${slug}" already exists`, { field: 'slug' });
      }
      if (memberUserId) {
        await tx.query('INSERT INTO user_practice (user_id, practice_id) VALUES ($1, $2)', [
          memberUserId,
          inserted[0].id,
        ]);
      }
      return tx.getRepository(Practice).findOneByOrFail({ id: inserted[0].id });
    });
    await this.audit.record({
      action: 'practice.create',
      practiceId: practice.id,
      entityType: 'practice',
      entityId: practice.id,
    });
    return practice;
  }

  list(ids?: string[]): Promise<Practice[]> {
    return this.practices.find({ where: ids ? { id: In(ids) } : {}, order: { slug: 'ASC' } });
  }

  async findBySlug(slug: string): Promise<Practice> {
    const practice = await this.practices.findOneBy({ slug });
    if (!practice) throw DomainError.notFound(`practice "${slug}"`);
    return practice;
  }

  /** Resolves slugs, naming every unknown one. */
  async findBySlugs(slugs: string[]): Promise<Practice[]> {
    const unique = [...new Set(slugs.map((s) => s.trim().toLowerCase()).filter(Boolean))];
    const found = await this.practices.findBy({ slug: In(unique) });
    const missing = unique.filter((s) => !found.some((p) => p.slug === s));
    if (missing.length)
      throw DomainError.invalid(`unknown practice: ${missing.join(', ')}`, { field: 'practices' });
    return found;
  }
}
