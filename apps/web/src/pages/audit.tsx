import { useState, type SubmitEvent } from 'react';
import { api, errorText } from '../api';
import { useUser } from '../auth';
import { TableNote } from '../components';
import { Alert, Page } from '../layout';

export interface AuditEvent {
  id: string;
  occurredAt: string;
  actorUserId: string | null;
  actorLogin: string | null;
  practiceId: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  outcome: 'success' | 'failure' | 'denied';
  requestId: string | null;
  channel: string | null;
  details: Record<string, unknown>;
}

interface AuditPage {
  items: AuditEvent[];
  nextCursor: string | null;
}

const FILTERS = ['practiceId', 'login', 'action', 'record', 'outcome', 'requestId', 'from', 'to'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

/** The query string of the filters that are set (the same for the table and the CSV). */
export function auditQuery(filters: Filters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of FILTERS) {
    const value = filters[key]?.trim();
    if (value) params.set(key, value);
  }
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** How many records a list view showed, or the one record an event is about. */
function recordText(e: AuditEvent): string {
  const shown = typeof e.details.shown === 'number' ? e.details.shown : undefined;
  const members = Array.isArray(e.details.members) ? e.details.members.length : undefined;
  const count = shown ?? members;
  const entity = e.entityType ? `${e.entityType}${e.entityId ? ` ${e.entityId}` : ''}` : '';
  return count !== undefined && !e.entityId ? `${count} shown${entity ? ` (${entity})` : ''}` : entity || '—';
}

/** Administrators search the audit log (every read and change of patient data) and export it. */
export function AuditPage() {
  const user = useUser();
  const [filters, setFilters] = useState<Filters>({});
  const [applied, setApplied] = useState<Filters | null>(null);
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async (query: Filters, after?: string) => {
    setBusy(true);
    setError(null);
    try {
      const page = await api<AuditPage>(
        `/api/admin/audit${auditQuery(query, { limit: '100', ...(after ? { cursor: after } : {}) })}`,
      );
      setEvents((old) => (after ? [...old, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setApplied(query);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: SubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    void load(filters);
  };
  const field = (key: keyof Filters) => ({
    id: `audit-${key}`,
    value: filters[key] ?? '',
    onChange: (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [key]: e.target.value })),
  });
  const practiceName = (id: string | null) =>
    id ? (user.practices.find((p) => p.id === id)?.name ?? id.slice(0, 8)) : '—';

  return (
    <Page title="Audit log" testId="audit-page">
      <p className="lead">
        Every read and change of patient data, sign-in and administrative action, with who, when, the outcome
        and the request. Kept at least six years; rows cannot be changed or deleted.
      </p>
      <form className="panel" onSubmit={submit} aria-label="Search the audit log">
        <div className="field-grid">
          <div className="field">
            <label htmlFor="audit-practiceId">Practice</label>
            <select {...field('practiceId')}>
              <option value="">All my practices</option>
              {user.practices.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="audit-login">User (login)</label>
            <input type="text" maxLength={100} {...field('login')} />
          </div>
          <div className="field">
            <label htmlFor="audit-action">Action</label>
            <input type="text" maxLength={100} placeholder="patient.*" {...field('action')} />
          </div>
          <div className="field">
            <label htmlFor="audit-record">Record id</label>
            <input type="text" maxLength={100} {...field('record')} />
          </div>
          <div className="field">
            <label htmlFor="audit-outcome">Outcome</label>
            <select {...field('outcome')}>
              <option value="">Any</option>
              <option value="success">Success</option>
              <option value="failure">Failure</option>
              <option value="denied">Denied</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="audit-requestId">Request id</label>
            <input type="text" maxLength={100} {...field('requestId')} />
          </div>
          <div className="field">
            <label htmlFor="audit-from">From (UTC day)</label>
            <input type="date" {...field('from')} />
          </div>
          <div className="field">
            <label htmlFor="audit-to">To (UTC day)</label>
            <input type="date" {...field('to')} />
          </div>
        </div>
        <div className="buttons">
          <button type="submit" disabled={busy}>
            Search
          </button>
          {applied && (
            <a className="download-link" href={`/api/admin/audit.csv${auditQuery(applied)}`} download>
              Download CSV
            </a>
          )}
        </div>
      </form>
      <Alert message={error} />
      {applied && (
        <div className="table-scroll">
          <table data-testid="audit-table">
            <caption>
              {events.length.toLocaleString()} {events.length === 1 ? 'event' : 'events'}
              {cursor ? ' (more below)' : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Who</th>
                <th scope="col">Practice</th>
                <th scope="col">Action</th>
                <th scope="col">Record</th>
                <th scope="col">Outcome</th>
                <th scope="col">Request</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id} data-testid="audit-row">
                  <td className="nowrap">{e.occurredAt.replace('T', ' ').slice(0, 19)}</td>
                  <td>{e.actorLogin ?? '—'}</td>
                  <td>{practiceName(e.practiceId)}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{recordText(e)}</td>
                  <td>{e.outcome}</td>
                  <td>
                    <code>{e.requestId ?? '—'}</code>
                  </td>
                </tr>
              ))}
              {events.length === 0 && <TableNote colSpan={7}>No events match.</TableNote>}
            </tbody>
          </table>
        </div>
      )}
      {cursor && applied && (
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => void load(applied, cursor)}
        >
          Older events
        </button>
      )}
    </Page>
  );
}
