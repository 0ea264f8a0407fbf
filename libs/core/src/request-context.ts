import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContextValues {
  requestId: string;
  channel: 'api' | 'cli' | 'worker' | 'system';
  userId?: string;
  login?: string;
}

const storage = new AsyncLocalStorage<RequestContextValues>();

/** Who is acting and under which request id, carried across awaits for audit rows and logs. */
export const RequestContext = {
  run<T>(values: RequestContextValues, fn: () => T): T {
    return storage.run(values, fn);
  },
  current(): RequestContextValues | undefined {
    return storage.getStore();
  },
  setActor(userId: string, login: string): void {
    const store = storage.getStore();
    if (store) {
      store.userId = userId;
      store.login = login;
    }
  },
};
