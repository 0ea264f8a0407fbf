import { useEffect, useState, type KeyboardEvent } from 'react';
import { api, errorText } from '../api';
import {
  AFTER_FAILED_IDENTITY,
  IDENTITY_FIELD_LABELS,
  type CallIdentity,
  type IdentityField,
  type WorkspaceCard,
} from '../workspace-types';
import { Kbd } from './disposition-form';
import './identity-check.css';

export const IDENTITY_STEP_ID = 'ws-identity';

/** What the agent compares each field with: the record's value (the patient says theirs first). */
function expected(field: IdentityField, card: WorkspaceCard | undefined, dialled: string | null): string {
  const p = card?.patient;
  if (field === 'name') return [p?.name.first, p?.name.last].filter(Boolean).join(' ') || '—';
  if (field === 'dob') return p?.birthDate ?? '— (not on record)';
  if (field === 'zip') return p?.zip ?? '— (not on record)';
  return dialled ?? p?.phones.find((ph) => ph.valid)?.e164 ?? '—';
}

/**
 * The identity step of a started call (protocol 001): one key per field, Y = matches, N = does
 * not match, while the step has the focus (I moves it here; outside it N is "no answer"). The
 * answers go to the server once every field is keyed; the card shows the patient's details only
 * after it has verified them.
 */
export function IdentityCheck({
  base,
  callStartId,
  identity,
  card,
  dialled,
  patientName,
  onRecorded,
}: {
  base: string;
  callStartId: string;
  identity: CallIdentity;
  card: WorkspaceCard | undefined;
  dialled: string | null;
  patientName: string;
  onRecorded: (result: CallIdentity) => void;
}) {
  const [answers, setAnswers] = useState<Partial<Record<IdentityField, boolean>>>({});
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A new call starts a new check.
  useEffect(() => {
    setAnswers({});
    setError(null);
  }, [callStartId]);

  const fields = identity.fields;
  const current = fields.find((f) => answers[f] === undefined) ?? null;

  const answer = async (field: IdentityField, matches: boolean) => {
    if (sending || identity.status !== 'unchecked') return;
    const next = { ...answers, [field]: matches };
    setAnswers(next);
    setError(null);
    if (!fields.every((f) => next[f] !== undefined)) return;
    setSending(true);
    try {
      const result = await api<CallIdentity>(`${base}/calls/${callStartId}/identity`, {
        method: 'POST',
        body: { checks: next },
      });
      onRecorded(result);
    } catch (e) {
      setError(errorText(e));
      setAnswers({});
    } finally {
      setSending(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey || !current) return;
    const key = e.key.toLowerCase();
    if (key !== 'y' && key !== 'n') return;
    // Handled here: the workspace's own keys (N is "no answer" there) never see it.
    e.preventDefault();
    e.stopPropagation();
    if (!e.repeat) void answer(current, key === 'y');
  };

  if (identity.status === 'verified') {
    return (
      <section className="card ws-identity ws-identity-ok" aria-labelledby="ws-identity-heading">
        <h2 id="ws-identity-heading">Identity confirmed</h2>
        <p data-testid="identity-verified">
          {patientName}: {fields.map((f) => IDENTITY_FIELD_LABELS[f].toLowerCase()).join(' and ')} confirmed
          on this call. The patient&apos;s details are shown below.
        </p>
      </section>
    );
  }
  if (identity.status === 'failed') {
    return (
      <section
        className="card ws-identity ws-identity-failed"
        aria-labelledby="ws-identity-heading"
        data-testid="identity-failed"
      >
        <h2 id="ws-identity-heading">
          Identity not confirmed — close as {AFTER_FAILED_IDENTITY.join(' or ')}
        </h2>
        <p>
          The person on the call did not match the record
          {identity.checks
            ? ` (${fields
                .filter((f) => identity.checks?.[f] === false)
                .map((f) => IDENTITY_FIELD_LABELS[f].toLowerCase())
                .join(', ')} did not match)`
            : ''}
          . Nothing about the patient&apos;s visits may be shared; the call cannot be booked. Press{' '}
          <Kbd>U</Kbd> (not available) or <Kbd>W</Kbd> (wrong number).
        </p>
      </section>
    );
  }

  return (
    <section
      className="card ws-identity"
      id={IDENTITY_STEP_ID}
      tabIndex={-1}
      role="group"
      aria-labelledby="ws-identity-heading"
      aria-describedby="ws-identity-hint"
      aria-keyshortcuts="Y N"
      onKeyDown={onKeyDown}
      data-testid="identity-step"
    >
      <h2 id="ws-identity-heading">
        Confirm who you are speaking to <Kbd>I</Kbd>
      </h2>
      <p id="ws-identity-hint" className="muted">
        Ask the person for each, then compare: <Kbd>Y</Kbd> matches, <Kbd>N</Kbd> does not match. The
        patient&apos;s visits and history show once every field matches.
      </p>
      <ol className="ws-identity-fields">
        {fields.map((f) => {
          const a = answers[f];
          const isCurrent = f === current;
          return (
            <li
              key={f}
              className={isCurrent ? 'current' : undefined}
              aria-current={isCurrent ? 'step' : undefined}
              data-testid="identity-field"
              data-field={f}
            >
              <span className="ws-identity-label">{IDENTITY_FIELD_LABELS[f]}</span>{' '}
              <span className="ws-identity-expected" data-testid="identity-expected">
                {expected(f, card, dialled)}
              </span>
              <span className="buttons">
                <button
                  type="button"
                  className={a === true ? undefined : 'secondary'}
                  aria-pressed={a === true}
                  disabled={sending}
                  onClick={() => void answer(f, true)}
                  aria-label={`${IDENTITY_FIELD_LABELS[f]} matches`}
                >
                  Matches{isCurrent && ' (Y)'}
                </button>
                <button
                  type="button"
                  className={a === false ? 'danger' : 'secondary'}
                  aria-pressed={a === false}
                  disabled={sending}
                  onClick={() => void answer(f, false)}
                  aria-label={`${IDENTITY_FIELD_LABELS[f]} does not match`}
                >
                  Doesn&apos;t match{isCurrent && ' (N)'}
                </button>
              </span>
            </li>
          );
        })}
      </ol>
      <p role="status" className="ws-identity-live" data-testid="identity-progress">
        {sending
          ? 'Recording the check…'
          : current
            ? `Now: ${IDENTITY_FIELD_LABELS[current].toLowerCase()} (${fields.indexOf(current) + 1} of ${fields.length}).`
            : ''}
      </p>
      {error && (
        <p role="alert" className="problem-text">
          Not recorded: {error}
        </p>
      )}
    </section>
  );
}
