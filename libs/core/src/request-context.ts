import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContextValues {
  requestId: string;
  channel: 'api' | 'cli' | 'worker' | 'system';
  userId?: string;
  login?: string;
  /** The practice an API request was authorised for; row-level security shows only its rows. */
  practiceId?: string;
}

/**
 * What the database may show the current work (see `practice-scope.ts` in libs/database): an
 * API request sees the one practice it was authorised for, or nothing; the CLI, jobs and
 * system work (boot, seeds) act for every practice.
 */
export type PracticeScope = { kind: 'practice'; practiceId: string } | { kind: 'all' } | { kind: 'none' };

const storage = new AsyncLocalStorage<RequestContextValues>();

/** Who is acting and under which request id, carried across awaits for audit rows and logs. */
export const RequestContext = {
  run<T>(values: RequestContextValues, fn: () => T): T {
    return storage.run(values, fn);
  },
  current(): RequestContextValues | undefined {
    return storage.getStore();
  },
  /** Called once the route's `:practiceId` is authorised for the signed-in user. */
  setPractice(practiceId: string): void {
    const store = storage.getStore();
    if (store) store.practiceId = practiceId;
  },
  practiceScope(): PracticeScope {
    const store = storage.getStore();
    if (store?.practiceId) return { kind: 'practice', practiceId: store.practiceId };
    if (store?.channel === 'api') return { kind: 'none' };
    return { kind: 'all' };
  },
  setActor(userId: string, login: string): void {
    const store = storage.getStore();
    if (store) {
      store.userId = userId;
      store.login = login;
    }
  },
};
