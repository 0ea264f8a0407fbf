import { RequestContext } from '@recall/core';
import type { ClientBase, Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';

/** The role the app's queries run as, so that row-level security applies (see the migration). */
export const APP_ROLE = 'recall_app';

const SET_SCOPE = "SELECT set_config('recall.practice_id', $1, false), set_config('recall.scope', $2, false)";
// On a connection's first use: a login that would bypass row-level security (a superuser or
// BYPASSRLS role, as in tests and the embedded server) switches to the app role, once the
// migration has created it; any other login stays itself.
const SET_ROLE_AND_SCOPE = `${SET_SCOPE}, set_config('role', CASE WHEN
    (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user)
    AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN '${APP_ROLE}' ELSE 'none' END, false)`;

function scopeParams(): [string, string] {
  const scope = RequestContext.practiceScope();
  return scope.kind === 'practice' ? [scope.practiceId, 'practice'] : ['', scope.kind];
}

/**
 * Puts the current request's practice (or "all practices", or nothing) on a connection, as
 * session settings that the row-level security policies read. Both settings are written on
 * every use, so a pooled connection never carries the previous request's practice.
 */
export async function applyPracticeScope(client: ClientBase, firstUse = true): Promise<void> {
  await client.query(firstUse ? SET_ROLE_AND_SCOPE : SET_SCOPE, scopeParams());
}

type ConnectCallback = (err: Error | undefined, client?: PoolClient, release?: () => void) => void;

/**
 * Hooks the data source's pool so every checkout (TypeORM's query runners, a COPY on a raw
 * pooled client) first carries the scope of the work that asked for it, read when it asked.
 */
export function installPracticeScope(ds: DataSource): void {
  const pool = (ds.driver as unknown as { master: Pool & { recallScoped?: boolean } }).master;
  if (pool.recallScoped) return;
  // What each connection was last given: a checkout for the same scope (a job's many queries,
  // one practice's requests) skips the round trip. Only this hook writes these settings, and
  // outside any transaction, so the remembered value is what the session holds.
  const given = new WeakMap<PoolClient, string>();
  const connect = pool.connect.bind(pool) as () => Promise<PoolClient>;
  const scoped = async (params: [string, string]): Promise<PoolClient> => {
    const client = await connect();
    const key = params.join('|');
    const last = given.get(client);
    if (last === key) return client;
    try {
      given.delete(client);
      await client.query(last === undefined ? SET_ROLE_AND_SCOPE : SET_SCOPE, params);
      given.set(client, key);
      return client;
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
  };
  pool.connect = ((callback?: ConnectCallback) => {
    const checkout = scoped(scopeParams());
    if (!callback) return checkout;
    checkout.then(
      (client) => callback(undefined, client, (err?: Error | boolean) => client.release(err)),
      (error: Error) => callback(error),
    );
    return undefined;
  }) as Pool['connect'];
  pool.recallScoped = true;
}

/** Whether the connections of `ds` run as the app role (true when row-level security applies). */
export async function runsUnderRowSecurity(ds: DataSource): Promise<boolean> {
  const [row] = (await ds.query(
    'SELECT NOT (rolsuper OR rolbypassrls) AS applies FROM pg_roles WHERE rolname = current_user',
  )) as { applies: boolean }[];
  return Boolean(row?.applies);
}
