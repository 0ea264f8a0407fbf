import { TableNote } from '../components';
import { ageOn, type CallStart, type QueueItem } from '../cycle-types';
import { VISIT_STATUS_LABELS } from '../records';
import { zonedTime, zoneCity, type CardPhone, type WorkspaceCard } from '../workspace-types';

const BAD_LABELS: Record<string, string> = { WNUM: 'wrong number', DCONN: 'disconnected' };

export const dialable = (p: CardPhone) => p.valid && !!p.e164 && !p.bad;

/** Valid numbers first (the first is what the server dials by default), then bad and invalid ones. */
export function bestFirst<T extends CardPhone>(phones: readonly T[]): T[] {
  return [...phones.filter(dialable), ...phones.filter((p) => !dialable(p))];
}

function telHref(p: CardPhone): string {
  return `tel:${p.e164}${p.extension ? `;ext=${p.extension}` : ''}`;
}

/** In place of what the server holds back until the identity check passes. */
function Locked() {
  return <span className="ws-locked">shown after the identity check</span>;
}

/** The patient on the call: who, how to reach them, their visits, what was tried, and what to say. */
export function PatientCard({
  item,
  card,
  loading,
  error,
  day,
  practiceZone,
  now,
  call,
  canStart,
  starting,
  onCall,
}: {
  item: QueueItem;
  card: WorkspaceCard | undefined;
  loading: boolean;
  error: string | undefined;
  day: string;
  practiceZone: string | undefined;
  now: number;
  call: CallStart | undefined;
  canStart: boolean;
  starting: boolean;
  onCall: (phone?: string) => void;
}) {
  const patient = card?.patient ?? null;
  const phones = bestFirst<CardPhone>(patient?.phones ?? item.phones ?? []);
  const anyDialable = phones.some(dialable);
  const zone = patient?.timeZone ?? item.timeZone ?? practiceZone ?? 'UTC';
  const age = ageOn(patient?.birthDate ?? item.birthDate, day);
  const attempts = card?.member.attempts ?? item.attempts;
  const cap = card?.member.attemptCap ?? item.attemptCap;
  const sameZone = !practiceZone || zonedTime(now, zone, false) === zonedTime(now, practiceZone, false);

  return (
    <article className="card ws-card" aria-labelledby="ws-patient-name" data-testid="patient-card">
      <div className="ws-card-head">
        <h2 id="ws-patient-name">{item.name || '—'}</h2>
        <span className="muted">
          {item.mrn ? `MRN ${item.mrn}` : 'No MRN'}
          {age !== null && ` · ${age} y`}
          {(patient?.birthDate ?? item.birthDate) && ` · born ${patient?.birthDate ?? item.birthDate}`}
        </span>
      </div>
      {error && <p className="alert">{error}</p>}
      {loading && !card && <p className="muted">Loading the patient&apos;s card…</p>}
      <dl className="facts ws-facts">
        <dt>Patient&apos;s time</dt>
        <dd data-testid="patient-time">
          {zonedTime(now, zone, false)} <span className="muted">({zoneCity(zone)})</span>
          {!sameZone && practiceZone && (
            <span className="muted"> · practice {zonedTime(now, practiceZone, false)}</span>
          )}
          {!item.window.open && (
            <small className="window-closed">
              Window closed{item.window.reason ? `: ${item.window.reason}` : ''}
            </small>
          )}
        </dd>
        <dt>Phones</dt>
        <dd>
          {phones.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            <ul className="phones" data-testid="card-phones">
              {phones.map((p, i) => (
                <li
                  key={`${p.e164 ?? p.raw}-${i}`}
                  className={dialable(p) ? 'phone' : 'phone invalid'}
                  data-testid="card-phone"
                >
                  {dialable(p) ? (
                    <a
                      href={telHref(p)}
                      className="phone-number"
                      aria-disabled={!canStart || starting || undefined}
                      onClick={(e) => {
                        // The server records "call started" and checks the window before we dial.
                        e.preventDefault();
                        if (canStart && !starting) onCall(p.e164!);
                      }}
                      aria-label={`Call ${item.name} on ${p.e164}${p.extension ? ` extension ${p.extension}` : ''} (${p.type})`}
                    >
                      {p.e164}
                      {p.extension && ` ext. ${p.extension}`}
                    </a>
                  ) : (
                    <span
                      className="phone-number"
                      title={
                        p.bad
                          ? `Found ${BAD_LABELS[p.bad]} on a call; never dialled again`
                          : `Not a valid number, never dialled (as written: ${p.raw})`
                      }
                    >
                      {p.e164 ?? p.raw}
                    </span>
                  )}{' '}
                  <span className="phone-type">{p.type}</span>
                  {i === 0 && dialable(p) && <span className="badge">best</span>}
                  {!dialable(p) && (
                    <span className="badge badge-bad">{p.bad ? BAD_LABELS[p.bad] : 'invalid'}</span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Last visit</dt>
        <dd data-testid="last-visit">{card?.redacted ? <Locked /> : (patient?.lastVisitOn ?? '—')}</dd>
        <dt>Last appointment</dt>
        <dd data-testid="last-appointment">
          {card?.redacted ? (
            <Locked />
          ) : patient?.lastAppointment ? (
            `${patient.lastAppointment.on} (${VISIT_STATUS_LABELS[patient.lastAppointment.status] ?? patient.lastAppointment.status})`
          ) : (
            '—'
          )}
        </dd>
        {patient?.nextAppointmentOn && (
          <>
            <dt>Next appointment</dt>
            <dd>{patient.nextAppointmentOn}</dd>
          </>
        )}
        <dt>Campaign</dt>
        <dd>
          {card?.member.campaignName ?? item.campaignName}{' '}
          <span className="muted" data-testid="card-attempts">
            · attempt {Math.min(attempts + 1, cap)} of {cap}
          </span>
        </dd>
        {(card?.member.callbackAt ?? item.callbackAt) && (
          <>
            <dt>Callback</dt>
            <dd>
              {zonedTime((card?.member.callbackAt ?? item.callbackAt)!, zone)} patient time
              {!sameZone && ` (${zonedTime((card?.member.callbackAt ?? item.callbackAt)!, practiceZone)})`}
            </dd>
          </>
        )}
        {patient?.doNotCall && (
          <>
            <dt>Do not call</dt>
            <dd className="problem-text">This patient is on the do-not-call list.</dd>
          </>
        )}
      </dl>
      <div className="ws-call">
        <button
          type="button"
          data-testid="start-call"
          className={item.window.open ? undefined : 'secondary'}
          disabled={starting || !canStart || !anyDialable}
          aria-keyshortcuts="Enter"
          onClick={() => onCall()}
        >
          {starting ? 'Starting…' : call ? 'Call again' : 'Start call'}
        </button>
        {call && (
          <span data-testid="call-started">
            Call started {zonedTime(call.startedAt, practiceZone, false)}:{' '}
            <a href={call.tel} className="phone-number">
              {call.dial}
            </a>
          </span>
        )}
      </div>
    </article>
  );
}

/** The campaign's scripts rendered for this patient, and every attempt in every campaign. */
export function CardDetails({
  card,
  practiceZone,
}: {
  card: WorkspaceCard;
  practiceZone: string | undefined;
}) {
  return (
    <>
      <section className="card ws-script" aria-labelledby="ws-script-heading">
        <h2 id="ws-script-heading">Call script</h2>
        <p className="rendered" data-testid="call-script">
          {card.script || 'This campaign has no call script.'}
        </p>
        <h3>Voicemail</h3>
        <p className="rendered" data-testid="voicemail-script">
          {card.voicemail || 'This campaign has no voicemail script.'}
        </p>
      </section>
      <section className="ws-history" aria-labelledby="ws-history-heading">
        <div className="table-scroll">
          <table data-testid="attempt-history">
            <caption id="ws-history-heading">
              Every attempt ({card.attempts.length}){' '}
              <small className="muted">all campaigns, newest first</small>
              {card.redacted && (
                <small className="ws-locked" data-testid="details-locked">
                  {' '}
                  Notes, reasons and appointments show after the identity check.
                </small>
              )}
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Campaign</th>
                <th scope="col">Outcome</th>
                <th scope="col">Number</th>
                <th scope="col">Notes</th>
              </tr>
            </thead>
            <tbody>
              {card.attempts.map((a) => (
                <tr key={a.id} className={a.supersededBy ? 'inactive' : undefined} data-testid="attempt-row">
                  <td className="nowrap">{zonedTime(a.endedAt, practiceZone)}</td>
                  <td>{a.agentLogin}</td>
                  <td>{a.campaignName}</td>
                  <td>
                    {a.label} <code>{a.code}</code>
                    {a.attemptNumber !== null && <small>attempt {a.attemptNumber}</small>}
                    {a.supersededBy && <small>corrected later</small>}
                  </td>
                  <td className="nowrap">{a.phone ?? '—'}</td>
                  <td>
                    {a.appointmentAt && <small>Appointment {zonedTime(a.appointmentAt, practiceZone)}</small>}
                    {a.callbackAt && <small>Callback {zonedTime(a.callbackAt, practiceZone)}</small>}
                    {a.reason && <small>Reason: {a.reason}</small>}
                    {a.remarks && <span className="ws-remarks">“{a.remarks}”</span>}
                  </td>
                </tr>
              ))}
              {card.attempts.length === 0 && (
                <TableNote colSpan={6}>No attempts yet: this is the first call.</TableNote>
              )}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
