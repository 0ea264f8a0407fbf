import { useState } from 'react';
import { api, errorText, useApi } from '../api';
import { useSession } from '../auth';
import { NoPractice, Notice } from '../components';
import {
  ageOn,
  dayLabel,
  localToday,
  reasonLabel,
  type CallStart,
  type Queue,
  type QueueItem,
  type QueueSection,
} from '../cycle-types';
import { Alert, Page } from '../layout';
import { usePracticeBase, type StoredPhone } from '../records';

const SECTIONS: { section: QueueSection; title: string; otherDay: string; testId: string; empty: string }[] =
  [
    {
      section: 'callback',
      title: 'Callbacks due',
      otherDay: 'Callbacks due',
      testId: 'queue-callback',
      empty: 'No callbacks due right now.',
    },
    {
      section: 'open',
      title: 'Call now',
      otherDay: 'Window open now',
      testId: 'queue-open',
      empty: 'Nobody whose calling window is open right now.',
    },
    {
      section: 'later',
      title: 'Later today',
      otherDay: 'Window not open now',
      testId: 'queue-later',
      empty: 'Nobody waiting for their calling window to open.',
    },
  ];

export function QueuePage() {
  const base = usePracticeBase();
  return (
    <Page title="My queue" testId="queue-page">
      {/* The agent's home page: "home-agent" is what the sign-in tests wait for on every role's home. */}
      <div data-testid="home-agent">
        {base ? <QueueView key={base} base={base} /> : <NoPractice what="patients to call" />}
      </div>
    </Page>
  );
}

function QueueView({ base }: { base: string }) {
  const { practice } = useSession();
  const zone = practice?.timezone;
  const today = localToday(zone);
  /** Empty: the practice's today (the server decides which day that is). */
  const [date, setDate] = useState('');
  const queue = useApi<Queue>(`${base}/queue${date ? `?date=${encodeURIComponent(date)}` : ''}`);
  const day = date || queue.data?.date || today;
  // Without a date the server answers for the practice's today, whatever the browser's clock says.
  const isToday = !date || date === today;
  const future = !!date && date > today;
  const items = queue.data?.items ?? [];

  const asOf = queue.data
    ? new Date(queue.data.now).toLocaleTimeString(undefined, {
        timeZone: zone,
        hour: 'numeric',
        minute: '2-digit',
        timeZoneName: 'short',
      })
    : null;

  return (
    <>
      <div className="queue-toolbar">
        <div className="field">
          <label htmlFor="queue-date">Day</label>
          <input
            id="queue-date"
            type="date"
            value={day}
            onChange={(e) => setDate(e.target.value === today ? '' : e.target.value)}
          />
        </div>
        <div className="buttons">
          {!isToday && (
            <button type="button" className="secondary" onClick={() => setDate('')}>
              Back to today
            </button>
          )}
          <button type="button" className="secondary" onClick={queue.reload} disabled={queue.loading}>
            {queue.loading ? 'Loading…' : 'Refresh'}
          </button>
        </div>
      </div>
      <p className="lead" aria-live="polite">
        {queue.data
          ? `${items.length.toLocaleString()} ${items.length === 1 ? 'patient' : 'patients'} for ${dayLabel(day)}` +
            (asOf ? `, calling windows as of ${asOf}` : '')
          : queue.loading
            ? 'Loading your queue…'
            : ''}
      </p>
      {future && (
        <p className="warning-note">
          This is a later day&apos;s list: calls can be started from today&apos;s list only.
        </p>
      )}
      <Alert message={queue.error} />
      {queue.data &&
        SECTIONS.map((s) => {
          const inSection = items.filter((i) => i.section === s.section);
          const headingId = `queue-${s.section}-heading`;
          return (
            <section
              key={s.section}
              className={`queue-section queue-${s.section}`}
              aria-labelledby={headingId}
            >
              <h2 id={headingId}>
                {isToday ? s.title : s.otherDay} <span className="badge">{inSection.length}</span>
              </h2>
              {inSection.length === 0 && <p className="muted">{s.empty}</p>}
              <ol className="queue-list" data-testid={s.testId}>
                {inSection.map((item) => (
                  <QueueEntry
                    key={item.assignmentId}
                    base={base}
                    item={item}
                    day={day}
                    zone={zone}
                    canStart={!future}
                  />
                ))}
              </ol>
            </section>
          );
        })}
    </>
  );
}

/** Valid numbers first (the first valid one is what the server dials by default), in stored order. */
function bestFirst(phones: readonly StoredPhone[]): StoredPhone[] {
  return [...phones.filter((p) => p.valid && p.e164), ...phones.filter((p) => !(p.valid && p.e164))];
}

function telHref(p: StoredPhone): string {
  return `tel:${p.e164}${p.extension ? `;ext=${p.extension}` : ''}`;
}

/** "Mon 15 Jun, 9:00 AM EST" + "Mon 15 Jun, 8:00 AM CST" → the second without the shared day. */
function opensText(local: { practice: string; patient: string }): string {
  const comma = local.practice.indexOf(', ');
  const prefix = comma >= 0 ? local.practice.slice(0, comma + 2) : '';
  const patient =
    prefix && local.patient.startsWith(prefix) ? local.patient.slice(prefix.length) : local.patient;
  return `opens ${local.practice} (${patient} for the patient)`;
}

function QueueEntry({
  base,
  item,
  day,
  zone,
  canStart,
}: {
  base: string;
  item: QueueItem;
  day: string;
  zone: string | undefined;
  canStart: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<CallStart | null>(null);
  const phones = bestFirst(item.phones ?? []);
  const dialable = phones.some((p) => p.valid && p.e164);
  const age = ageOn(item.birthDate, day);
  const nameId = `queue-item-${item.assignmentId}`;

  const start = async (phone?: string) => {
    setBusy(true);
    setError(null);
    setStarted(null);
    try {
      const call = await api<CallStart>(`${base}/queue/${item.assignmentId}/start`, {
        method: 'POST',
        body: phone ? { phone } : {},
      });
      setStarted(call);
      window.location.href = call.tel;
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li
      className={`queue-item queue-item-${item.section}`}
      data-testid="queue-item"
      data-section={item.section}
      aria-labelledby={nameId}
    >
      <div className="queue-item-head">
        <h3 id={nameId}>{item.name || '—'}</h3>
        <span className="muted">
          {item.mrn ? `MRN ${item.mrn}` : 'No MRN'}
          {age !== null && ` · ${age} y`}
        </span>
      </div>
      <dl className="facts queue-facts">
        <dt>Campaign</dt>
        <dd>{item.campaignName}</dd>
        <dt>Why today</dt>
        <dd>
          {reasonLabel(item.reason)}
          {item.lastCode && <span className="muted"> · last outcome {item.lastCode}</span>}
        </dd>
        <dt>Attempts</dt>
        <dd data-testid="attempts">
          {item.attempts}/{item.attemptCap}
        </dd>
        {item.callbackAt && (
          <>
            <dt>Callback</dt>
            <dd>
              {new Date(item.callbackAt).toLocaleString(undefined, {
                timeZone: zone,
                weekday: 'short',
                month: 'short',
                day: 'numeric',
                hour: 'numeric',
                minute: '2-digit',
                timeZoneName: 'short',
              })}
            </dd>
          </>
        )}
        <dt>Patient&apos;s time</dt>
        <dd>
          {item.window.patientLocal}
          {item.state && <span className="muted"> · {item.state}</span>}
        </dd>
        <dt>Window</dt>
        <dd>
          {item.window.open ? (
            <span className="window-open">
              open
              {item.window.closesAt &&
                ` until ${new Date(item.window.closesAt).toLocaleTimeString(undefined, {
                  timeZone: zone,
                  hour: 'numeric',
                  minute: '2-digit',
                  timeZoneName: 'short',
                })}`}
            </span>
          ) : (
            <>
              <span className="window-closed" data-testid="opens-at">
                {item.opensAtLocal ? opensText(item.opensAtLocal) : 'does not open in the next days'}
              </span>
              {item.window.reason && <small>{item.window.reason}</small>}
            </>
          )}
        </dd>
        <dt>Phones</dt>
        <dd>
          {phones.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            <ul className="phones">
              {phones.map((p, i) => (
                <li key={`${p.e164 ?? p.raw}-${i}`} className={p.valid && p.e164 ? 'phone' : 'phone invalid'}>
                  {p.valid && p.e164 ? (
                    <a
                      href={telHref(p)}
                      className="phone-number"
                      aria-disabled={!canStart || busy || undefined}
                      onClick={(e) => {
                        // The server records "call started" and checks the window before we dial.
                        e.preventDefault();
                        if (canStart && !busy) void start(p.e164!);
                      }}
                      aria-label={`Call ${item.name} on ${p.e164}${p.extension ? ` extension ${p.extension}` : ''} (${p.type})`}
                    >
                      {p.e164}
                      {p.extension && ` ext. ${p.extension}`}
                    </a>
                  ) : (
                    <span
                      className="phone-number"
                      title={`Not a valid number, never dialled (as written: ${p.raw})`}
                    >
                      {p.raw}
                    </span>
                  )}{' '}
                  <span className="phone-type">{p.type}</span>
                  {!(p.valid && p.e164) && <span className="badge badge-bad">invalid</span>}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      <Alert message={error} />
      {started && <Notice message={`Call started: dialling ${started.dial}.`} />}
      <button
        type="button"
        className={item.window.open ? undefined : 'secondary'}
        data-testid="start-call"
        disabled={busy || !canStart || !dialable}
        onClick={() => void start()}
        aria-describedby={nameId}
      >
        {busy ? 'Starting…' : 'Start call'}
      </button>
    </li>
  );
}
