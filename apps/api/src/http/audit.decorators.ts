import { SetMetadata } from '@nestjs/common';
import type { Request } from 'express';

export const AUDIT_KEY = 'recall:audit';

/** The records a response showed: one id, or the ids of a list (in the order shown). */
export type ShownRecords = (body: unknown, req: Request) => string[];

export type AuditDeclaration =
  /** The audit interceptor writes one row per request (success with the ids shown, or the failure). */
  | { kind: 'interceptor'; action: string; entityType: string; shown?: ShownRecords; entityParam?: string }
  /** The service writes the success row itself (in its transaction); the interceptor writes failures. */
  | { kind: 'service'; action: string }
  /** Reads and changes no patient data (a test walks the router and checks responses for planted patients). */
  | { kind: 'none' };

/**
 * Every route declares how its patient data is audited, as every route declares its roles.
 * `shown` defaults to `items[].id` of a list, or `id` of one record.
 */
export const Audited = (
  action: string,
  entityType: string,
  options: { shown?: ShownRecords; entityParam?: string } = {},
) =>
  SetMetadata<string, AuditDeclaration>(AUDIT_KEY, { kind: 'interceptor', action, entityType, ...options });

export const AuditedInService = (action: string) =>
  SetMetadata<string, AuditDeclaration>(AUDIT_KEY, { kind: 'service', action });

export const NoPatientData = () => SetMetadata<string, AuditDeclaration>(AUDIT_KEY, { kind: 'none' });

/** `<list>[].<key>` of a list response (`items` by default), each key in turn. */
export const idsIn =
  (list: string, ...keys: string[]): ShownRecords =>
  (body) => {
    const items = (body as Record<string, Record<string, unknown>[] | undefined> | null)?.[list] ?? [];
    return items.flatMap((i) => keys.map((k) => i[k])).filter((v): v is string => typeof v === 'string');
  };

export const itemsBy = (...keys: string[]): ShownRecords => idsIn('items', ...keys);

export function defaultShown(body: unknown): string[] {
  if (!body || typeof body !== 'object') return [];
  const b = body as { id?: unknown; items?: unknown };
  if (Array.isArray(b.items)) return itemsBy('id')(body, undefined as never);
  return typeof b.id === 'string' ? [b.id] : [];
}
