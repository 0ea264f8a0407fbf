import { useCallback, useEffect, useState } from 'react';

export type Role = 'agent' | 'manager' | 'owner' | 'admin';

export const ROLE_LABELS: Record<Role, string> = {
  agent: 'Agent',
  manager: 'Manager',
  owner: 'Owner',
  admin: 'Administrator',
};

export const ROLES = Object.keys(ROLE_LABELS) as Role[];

export interface PracticeRef {
  id: string;
  slug: string;
  name: string;
}

export interface Practice extends PracticeRef {
  timezone: string;
}

export interface PracticeRecord extends Practice {
  createdAt: string;
}

export interface User {
  id: string;
  login: string;
  displayName: string;
  role: Role;
  practices: Practice[];
}

export interface ManagedUser extends Omit<User, 'practices'> {
  isActive: boolean;
  practices: PracticeRef[];
  createdAt: string;
  /** Has a confirmed second factor (TOTP). */
  mfaEnrolled: boolean;
}

export interface MfaStatus {
  enrolled: boolean;
  required: boolean;
  recoveryCodesLeft: number;
}

export interface MfaEnrollment {
  otpauthUrl: string;
  secret: string;
}

export interface List<T> {
  items: T[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The error body's other fields, e.g. `field` naming the input at fault. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** The request field the server blamed, when it named one. */
  get field(): string | null {
    return typeof this.details.field === 'string' ? this.details.field : null;
  }
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Sent as JSON, except FormData, which goes as multipart (the browser sets its boundary). */
  body?: unknown;
  /** A 401 here is an expected answer (login, session probe), not an ended session. */
  allow401?: boolean;
  /** Extra request headers, e.g. `Idempotency-Key`. */
  headers?: Record<string, string>;
}

let unauthorizedHandler: (() => void) | undefined;

/** Called on any unexpected 401: the session expired or was revoked. */
export function onUnauthorized(handler: (() => void) | undefined): void {
  unauthorizedHandler = handler;
}

export async function api<T = void>(
  path: string,
  { method = 'GET', body, allow401, headers: extra }: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...extra };
  const multipart = body instanceof FormData;
  if (body !== undefined && !multipart) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-Recall-CSRF'] = '1';

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : multipart ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'Cannot reach the server. Check your connection and try again.');
  }

  if (response.status === 401 && !allow401) unauthorizedHandler?.();
  const data: unknown = response.status === 204 ? undefined : await response.json().catch(() => undefined);
  if (!response.ok) {
    const details = data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
    throw new ApiError(response.status, errorMessage(data, response), details);
  }
  return data as T;
}

function errorMessage(data: unknown, response: Response): string {
  const message = (data as { message?: unknown } | undefined)?.message;
  if (Array.isArray(message) && message.length > 0) return message.join('\n');
  if (typeof message === 'string' && message) return message;
  if (response.status === 429) return 'Too many attempts. Please wait a moment and try again.';
  return `The request failed (${`${response.status} ${response.statusText}`.trim()}).`;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/** Loads a GET resource; `reload()` fetches it again, keeping the old data on screen meanwhile. */
export function useApi<T>(path: string) {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    api<T>(path).then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) =>
        current && setState((s) => ({ data: s.data, error: errorText(error), loading: false })),
    );
    return () => {
      current = false;
    };
  }, [path, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { ...state, reload };
}
