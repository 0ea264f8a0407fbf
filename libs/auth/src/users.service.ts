import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { AuditService } from '@recall/audit';
import { Clock, DomainError, isRole, RequestContext, Role } from '@recall/core';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AuthUser, PracticeRef } from './auth-user';
import { User } from './entities';
import { MfaService } from './mfa.service';
import { generatePassword, hashPassword, passwordProblem } from './password';
import { PracticesService } from './practices.service';
import { SessionsService } from './sessions.service';

export interface NewUser {
  login: string;
  displayName?: string;
  role: string;
  practiceSlugs: string[];
  password?: string;
}

export interface UserChanges {
  displayName?: string;
  role?: string;
  isActive?: boolean;
  practiceSlugs?: string[];
}

export interface UserView {
  id: string;
  login: string;
  displayName: string;
  role: Role;
  isActive: boolean;
  practices: PracticeRef[];
  createdAt: Date;
  /** Has a confirmed second factor (TOTP). */
  mfaEnrolled: boolean;
}

const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._@-]{1,99}$/;

/**
 * Accounts. `scope` is the acting admin's practices (undefined = the operator's CLI, which
 * sees everything): an admin manages only users who share a practice with them.
 */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly practices: PracticesService,
    private readonly sessions: SessionsService,
    private readonly mfa: MfaService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(input: NewUser, scope?: string[]): Promise<{ user: UserView; generatedPassword?: string }> {
    const login = input.login.trim().toLowerCase();
    if (!LOGIN_PATTERN.test(login)) {
      throw DomainError.invalid('login: 2-100 characters: lower-case letters, digits, and . _ @ -', {
        field: 'login',
      });
    }
    if (!isRole(input.role))
      throw DomainError.invalid(`role: one of admin, manager, agent, owner`, { field: 'role' });
    const practices = await this.practicesInScope(input.practiceSlugs, scope);
    const { passwordHash, generatedPassword } = await choosePassword(input.password, login);

    const id = await this.db.transaction(async (tx) => {
      const rows: { id: string }[] = await tx.query(
        `INSERT INTO app_user (login, display_name, role, password_hash, password_changed_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (login) DO NOTHING RETURNING id`,
        [login, input.displayName?.trim() || login, input.role, passwordHash, this.clock.nowDate()],
      );
      if (rows.length === 0) throw DomainError.conflict(`login "${login}" is taken`, { field: 'login' });
      await this.setMemberships(
        tx,
        rows[0].id,
        practices.map((p) => p.id),
      );
      return rows[0].id;
    });
    await this.audit.record({
      action: 'user.create',
      entityType: 'user',
      entityId: id,
      details: { role: input.role, practices: practices.map((p) => p.slug) },
    });
    return { user: await this.get(id, scope), generatedPassword };
  }

  async list(scope?: string[], id?: string): Promise<UserView[]> {
    const qb = this.users
      .createQueryBuilder('u')
      .leftJoinAndSelect('u.practices', 'p')
      .orderBy('u.login')
      .addOrderBy('p.slug');
    if (scope) {
      qb.where('u.id IN (SELECT user_id FROM user_practice WHERE practice_id = ANY(:scope))', { scope });
    }
    if (id) qb.andWhere('u.id = :id', { id });
    const users = await qb.getMany();
    const enrolled: { user_id: string }[] = await this.db.query(
      'SELECT user_id FROM user_mfa WHERE confirmed_at IS NOT NULL AND user_id = ANY($1)',
      [users.map((u) => u.id)],
    );
    const withMfa = new Set(enrolled.map((r) => r.user_id));
    // An admin sees only the memberships inside their own practices.
    return users
      .map((u) => ({ ...toView(u), mfaEnrolled: withMfa.has(u.id) }))
      .map((v) => (scope ? { ...v, practices: v.practices.filter((p) => scope.includes(p.id)) } : v));
  }

  async get(id: string, scope?: string[]): Promise<UserView> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw DomainError.notFound('user');
    const [found] = await this.list(scope, id);
    if (!found) throw DomainError.notFound('user');
    return found;
  }

  async update(id: string, changes: UserChanges, scope?: string[]): Promise<UserView> {
    const before = await this.get(id, scope);
    const self = RequestContext.current()?.userId === id;
    const roleChanged = changes.role !== undefined && changes.role !== before.role;
    if (self && (changes.isActive === false || roleChanged)) {
      throw DomainError.invalid('you cannot deactivate yourself or change your own role; ask another admin');
    }
    if (changes.role !== undefined && !isRole(changes.role)) {
      throw DomainError.invalid('role: one of admin, manager, agent, owner', { field: 'role' });
    }
    const practices =
      changes.practiceSlugs !== undefined
        ? await this.practicesInScope(changes.practiceSlugs, scope)
        : undefined;
    await this.db.transaction(async (tx) => {
      const set: Partial<User> = {};
      if (changes.displayName !== undefined) set.displayName = changes.displayName.trim() || before.login;
      if (changes.role !== undefined) set.role = changes.role as Role;
      if (changes.isActive !== undefined) set.isActive = changes.isActive;
      if (Object.keys(set).length) await tx.getRepository(User).update({ id }, set);
      if (practices) {
        await this.setMemberships(
          tx,
          id,
          practices.map((p) => p.id),
          scope,
        );
      }
    });
    if (changes.isActive === false || roleChanged) {
      await this.sessions.revokeAllForUser(id, changes.isActive === false ? 'deactivated' : 'role changed');
    }
    await this.audit.record({
      action: 'user.update',
      entityType: 'user',
      entityId: id,
      details: { fields: Object.keys(changes) },
    });
    return this.get(id, scope);
  }

  /** Sets (or generates) a password and signs the user out everywhere. */
  async setPassword(
    id: string,
    password: string | undefined,
    scope?: string[],
  ): Promise<{ generatedPassword?: string }> {
    const user = await this.get(id, scope);
    const { passwordHash, generatedPassword } = await choosePassword(password, user.login);
    await this.users.update({ id }, { passwordHash, passwordChangedAt: this.clock.nowDate() });
    await this.sessions.revokeAllForUser(id, 'password changed');
    await this.audit.record({ action: 'user.password', entityType: 'user', entityId: id });
    return { generatedPassword };
  }

  async revokeSessions(id: string, scope?: string[]): Promise<number> {
    await this.get(id, scope);
    const count = await this.sessions.revokeAllForUser(id, 'revoked by admin');
    await this.audit.record({
      action: 'user.revoke-sessions',
      entityType: 'user',
      entityId: id,
      details: { count },
    });
    return count;
  }

  /**
   * An admin removes a user's second factor (a lost phone) and signs them out everywhere; if
   * their role requires one, they set up a new one at their next sign-in.
   */
  async resetMfa(id: string, scope?: string[]): Promise<{ hadMfa: boolean }> {
    await this.get(id, scope);
    const hadMfa = await this.mfa.remove(id);
    const sessions = await this.sessions.revokeAllForUser(id, 'mfa reset');
    await this.audit.record({
      action: 'user.mfa-reset',
      entityType: 'user',
      entityId: id,
      details: { hadMfa, sessions },
    });
    return { hadMfa };
  }

  /** For sign-in only: includes the password hash. */
  findForLogin(login: string): Promise<User | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .leftJoinAndSelect('u.practices', 'p')
      .where('u.login = :login', { login: login.trim().toLowerCase() })
      .getOne();
  }

  /** Loads the request's user, or undefined when gone or deactivated. */
  async loadActive(id: string): Promise<AuthUser | undefined> {
    const rows: AuthUser[] = await this.db.query(
      `SELECT u.id, u.login, u.display_name AS "displayName", u.role,
              coalesce(json_agg(json_build_object('id', p.id, 'slug', p.slug, 'name', p.name, 'timezone', p.timezone)
                                ORDER BY p.slug) FILTER (WHERE p.id IS NOT NULL), '[]') AS practices
         FROM app_user u
         LEFT JOIN user_practice up ON up.user_id = u.id
         LEFT JOIN practice p ON p.id = up.practice_id
        WHERE u.id = $1 AND u.is_active
        GROUP BY u.id`,
      [id],
    );
    return rows[0];
  }

  private async practicesInScope(slugs: string[], scope?: string[]) {
    if (!slugs.length) throw DomainError.invalid('practices: at least one practice', { field: 'practices' });
    const practices = await this.practices.findBySlugs(slugs);
    if (scope) {
      const outside = practices.filter((p) => !scope.includes(p.id));
      if (outside.length)
        throw DomainError.invalid(`unknown practice: ${outside.map((p) => p.slug).join(', ')}`);
    }
    return practices;
  }

  /** Memberships become `practiceIds`; with a scope, memberships outside it are left alone. */
  private async setMemberships(
    tx: EntityManager,
    userId: string,
    practiceIds: string[],
    scope?: string[],
  ): Promise<void> {
    await tx.query(
      `DELETE FROM user_practice WHERE user_id = $1 AND NOT (practice_id = ANY($2))
         AND ($3::uuid[] IS NULL OR practice_id = ANY($3))`,
      [userId, practiceIds, scope ?? null],
    );
    await tx.query(
      `INSERT INTO user_practice (user_id, practice_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [userId, practiceIds],
    );
  }
}

const practiceRefs = (u: User): PracticeRef[] =>
  (u.practices ?? [])
    .map((p) => ({ id: p.id, slug: p.slug, name: p.name, timezone: p.timezone }))
    .sort((a, b) => a.slug.localeCompare(b.slug));

function toView(u: User): Omit<UserView, 'mfaEnrolled'> {
  const { id, login, displayName, role, isActive, createdAt } = u;
  return { id, login, displayName, role, isActive, practices: practiceRefs(u), createdAt };
}

export function toAuthUser(u: User): AuthUser {
  const { id, login, displayName, role } = u;
  return { id, login, displayName, role, practices: practiceRefs(u) };
}

/** The given password (checked against the rules) or a generated one, and its hash. */
async function choosePassword(
  given: string | undefined,
  login: string,
): Promise<{ passwordHash: string; generatedPassword?: string }> {
  const generatedPassword = given ? undefined : generatePassword();
  const plain = given ?? generatedPassword!;
  const problem = passwordProblem(plain, login);
  if (problem) throw DomainError.invalid(`password: ${problem}`, { field: 'password' });
  return { passwordHash: await hashPassword(plain), generatedPassword };
}
