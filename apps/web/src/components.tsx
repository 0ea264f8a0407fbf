import type { ReactNode } from 'react';
import type { StoredPhone } from './records';

/** Phones as stored: E.164 (plus extension) and type; invalid ones are marked and never dialled. */
export function PhoneList({ phones }: { phones: readonly StoredPhone[] | null | undefined }) {
  if (!phones || phones.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="phones">
      {phones.map((p, i) => (
        <li
          key={`${p.e164 ?? p.raw}-${i}`}
          className={p.valid ? 'phone' : 'phone invalid'}
          title={
            p.valid ? `As written: ${p.raw}` : `Not a valid number, never dialled (as written: ${p.raw})`
          }
        >
          <span className="phone-number">{p.valid && p.e164 ? p.e164 : p.raw}</span>
          {p.extension && <span className="phone-ext"> ext. {p.extension}</span>}{' '}
          <span className="phone-type">{p.type}</span>
          {!p.valid && <span className="badge badge-bad">invalid</span>}
        </li>
      ))}
    </ul>
  );
}

/** A short status message that screen readers announce. */
export function Notice({ message }: { message?: string | null }) {
  return message ? (
    <p className="notice" role="status">
      {message}
    </p>
  ) : null;
}

export function NoPractice({ what }: { what: string }) {
  return <p className="muted">You are not assigned to a practice, so there are no {what} to show.</p>;
}

/** A table's one-row note: loading, empty, or why there is nothing to show. */
export function TableNote({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={colSpan} className="muted">
        {children}
      </td>
    </tr>
  );
}
