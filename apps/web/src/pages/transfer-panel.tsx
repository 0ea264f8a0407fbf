import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { api, errorText, useApi } from '../api';
import { Kbd } from './disposition-form';
import './transfer-panel.css';

/** The transfer directory and the de-escalation guide, as the server sends them (protocols 000, 001). */
export interface TransferHours {
  days: number[];
  open: string;
  close: string;
  timeZone?: string;
}

export interface TransferGroup {
  id: string;
  name: string;
  whenToTransfer: string;
  phone: string;
  extension: string | null;
  hours: TransferHours | null;
  allowedRoles: string[];
  situations: string[];
  active: boolean;
  createdAt: string;
}

export interface TransferScripts {
  toCaller: string;
  toRep: string;
  noAnswer: string;
  steps: string[];
}

export interface TransferOption extends TransferGroup {
  open: boolean;
  suggested: boolean;
  scripts: TransferScripts;
}

export type TransferKind = 'warm' | 'blind';
export type TransferOutcome = 'connected' | 'no_answer' | 'declined' | 'unavailable';

export interface CallTransfer {
  id: string;
  groupId: string;
  groupName: string;
  kind: TransferKind;
  outcome: TransferOutcome;
  attemptId: string | null;
  escalationId: string | null;
  createdAt: string;
}

export interface TransferOptions {
  callStartId: string;
  waitSeconds: number;
  situations: string[];
  options: TransferOption[];
  transfers: CallTransfer[];
}

export interface DeescalationGuide {
  strategies: { name: string; say: string }[];
  situations: { name: string; actions: string[] }[];
  reminder: string;
}

export interface DeescalationView {
  guide: DeescalationGuide;
  customized: boolean;
  defaults: DeescalationGuide;
}

export const OUTCOME_LABELS: Record<TransferOutcome, string> = {
  connected: 'connected',
  no_answer: 'no answer',
  declined: 'declined',
  unavailable: 'queue unavailable (callback ticket)',
};

/** Situations an agent can name for the call (the red flags and a hot call come from the workspace). */
export const CALL_SITUATIONS: { value: string; label: string }[] = [
  { value: '', label: 'Nothing in particular' },
  { value: 'supervisor_payment', label: 'Asks for a supervisor: payment or statement' },
  { value: 'supervisor_other', label: 'Asks for a supervisor: not about payment' },
  { value: 'billing', label: 'Billing question' },
  { value: 'clinical', label: 'Clinical question' },
];

export const SITUATION_LABELS: Record<string, string> = {
  legal: 'Legal threat',
  complaint: 'Complaint',
  social: 'Social media',
  financial: 'Money or fraud',
  executive: 'Asks for an executive',
  threat: 'Threat',
  do_not_contact: 'Asks not to be contacted',
  repeated_contact: 'Reached 3+ times',
  hot_call: 'Hot call',
  supervisor_payment: 'Supervisor request (payment)',
  supervisor_other: 'Supervisor request (not payment)',
  billing: 'Billing question',
  clinical: 'Clinical question',
};

const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function hoursText(hours: TransferHours | null): string {
  if (!hours) return 'Always open';
  const days = hours.days.map((d) => DAY_NAMES[d - 1]).join(', ');
  return `${days} ${hours.open}–${hours.close}${hours.timeZone ? ` (${hours.timeZone})` : ''}`;
}

export function dialText(g: Pick<TransferGroup, 'phone' | 'extension'>): string {
  return [g.phone, g.extension ? `ext. ${g.extension}` : null].filter(Boolean).join(' ') || '—';
}

type Phase = 'choose' | 'waiting' | 'no-answer' | 'done';

/**
 * The Transfer action of a started call (protocol 000): the groups this agent may use, the
 * call's situation first, with the number, hours and scripts; a warm transfer waits one minute
 * for the rep, then prompts "return to the caller, ask permission, then blind transfer". A
 * queue that is unavailable (or closed) files a callback ticket for the managers.
 */
export function TransferPanel({
  base,
  callStartId,
  situations,
  onClose,
  onStatus,
}: {
  base: string;
  callStartId: string;
  /** From the workspace: red-flag categories of the remarks, hot_call. */
  situations: string[];
  onClose: () => void;
  onStatus: (message: string) => void;
}) {
  const [reason, setReason] = useState('');
  const [topic, setTopic] = useState('');
  const [topicSent, setTopicSent] = useState('');
  const [note, setNote] = useState('');
  const [groupId, setGroupId] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>('choose');
  const [waitStarted, setWaitStarted] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    const timer = setTimeout(() => setTopicSent(topic.trim()), 400);
    return () => clearTimeout(timer);
  }, [topic]);
  const all = [...new Set([...situations, ...(reason ? [reason] : [])])];
  const query = new URLSearchParams();
  if (all.length) query.set('situations', all.join(','));
  if (topicSent) query.set('topic', topicSent);
  const qs = query.toString();
  const data = useApi<TransferOptions>(`${base}/calls/${callStartId}/transfer-options${qs ? `?${qs}` : ''}`);
  const options = data.data?.options ?? [];
  const waitSeconds = data.data?.waitSeconds ?? 60;
  const chosen = options.find((o) => o.id === groupId) ?? options[0] ?? null;

  useEffect(() => headingRef.current?.focus(), []);
  useEffect(() => {
    if (phase !== 'waiting') return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [phase]);
  const left = Math.max(0, waitSeconds - Math.floor((now - waitStarted) / 1000));
  const waitedOut = phase === 'waiting' && left === 0;

  const record = async (kind: TransferKind, outcome: TransferOutcome) => {
    if (!chosen || busy) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await api<CallTransfer & { ticket: { id: string } | null }>(
        `${base}/calls/${callStartId}/transfers`,
        { method: 'POST', body: { groupId: chosen.id, kind, outcome, ...(note.trim() ? { note } : {}) } },
      );
      data.reload();
      // The button pressed may be gone in the next step: the focus stays in the panel (Esc closes it).
      headingRef.current?.focus();
      if (saved.outcome === 'unavailable') {
        setPhase('done');
        onStatus(`${chosen.name} was unavailable: a callback ticket is in the managers' inbox.`);
      } else if (kind === 'warm' && saved.outcome === 'no_answer') {
        setPhase('no-answer');
        onStatus(`Warm transfer to ${chosen.name}: no answer. Return to the caller and ask permission.`);
      } else {
        setPhase('done');
        onStatus(
          `${kind === 'warm' ? 'Warm' : 'Blind'} transfer to ${chosen.name}: ${OUTCOME_LABELS[saved.outcome]}.`,
        );
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const startWarm = () => {
    setWaitStarted(Date.now());
    setNow(Date.now());
    setPhase('waiting');
    setError(null);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    // The workspace's letter keys (codes, remarks…) stay out of the panel; Esc closes it.
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
    }
    e.stopPropagation();
  };

  return (
    <section
      className="card ws-transfer"
      aria-labelledby="ws-transfer-heading"
      data-testid="transfer-panel"
      onKeyDown={onKeyDown}
    >
      <h2 id="ws-transfer-heading" tabIndex={-1} ref={headingRef}>
        Transfer the call
      </h2>
      <div className="ws-transfer-situation">
        <div className="field">
          <label htmlFor="ws-transfer-reason">What the caller needs</label>
          <select id="ws-transfer-reason" value={reason} onChange={(e) => setReason(e.target.value)}>
            {CALL_SITUATIONS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="ws-transfer-topic">Regarding (for the scripts)</label>
          <input
            id="ws-transfer-topic"
            type="text"
            maxLength={200}
            value={topic}
            placeholder="e.g. a missing statement"
            onChange={(e) => setTopic(e.target.value)}
          />
        </div>
        {situations.length > 0 && (
          <p className="muted">On this call: {situations.map((s) => SITUATION_LABELS[s] ?? s).join(', ')}</p>
        )}
      </div>
      {data.error && <p className="problem-text">{data.error}</p>}
      {data.data && options.length === 0 && (
        <p className="warning-note">
          No transfer group takes calls from you. File a ticket for a manager (<Kbd>T</Kbd>).
        </p>
      )}
      {options.length > 0 && (
        <fieldset className="ws-transfer-groups" disabled={phase !== 'choose' || busy}>
          <legend>Transfer to</legend>
          <ul>
            {options.map((o) => (
              <li key={o.id} data-testid="transfer-group">
                <input
                  type="radio"
                  name="ws-transfer-group"
                  id={`ws-transfer-group-${o.id}`}
                  checked={chosen?.id === o.id}
                  onChange={() => setGroupId(o.id)}
                />
                <label htmlFor={`ws-transfer-group-${o.id}`}>
                  <strong>{o.name}</strong>
                  {o.suggested && <span className="badge status-running">fits this call</span>}
                  {!o.open && <span className="badge badge-bad">closed now</span>}
                  <span className="ws-transfer-dial">
                    {dialText(o)} · {hoursText(o.hours)}
                  </span>
                  {o.whenToTransfer && <small>{o.whenToTransfer}</small>}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      {chosen && (
        <div className="ws-transfer-scripts" data-testid="transfer-scripts">
          <h3>Warm transfer to {chosen.name}</h3>
          <ol className="ws-transfer-steps">
            {chosen.scripts.steps.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
          <p>
            <strong>To the caller:</strong> “{chosen.scripts.toCaller}”
          </p>
          <p>
            <strong>To the rep:</strong> “{chosen.scripts.toRep}”
          </p>
          <div className="field">
            <label htmlFor="ws-transfer-note">
              Note for a callback ticket (what the patient needs, no more)
            </label>
            <input
              id="ws-transfer-note"
              type="text"
              maxLength={500}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          </div>
          <div aria-live="polite" className="ws-transfer-live">
            {phase === 'waiting' && !waitedOut && (
              <p data-testid="transfer-timer">
                Waiting for a rep: {left} s left of {waitSeconds / 60} minute.
              </p>
            )}
            {(waitedOut || phase === 'no-answer') && (
              <div className="warning-note" data-testid="transfer-no-answer">
                <p>
                  <strong>No answer: return to the caller, ask permission, then blind transfer.</strong>
                </p>
                <p>“{chosen.scripts.noAnswer}”</p>
              </div>
            )}
          </div>
          {error && (
            <p className="problem-text" role="alert">
              {error}
            </p>
          )}
          <div className="buttons">
            {phase === 'choose' && chosen.open && (
              <button type="button" onClick={startWarm} disabled={busy}>
                Start warm transfer
              </button>
            )}
            {phase === 'waiting' && (
              <>
                <button type="button" onClick={() => void record('warm', 'connected')} disabled={busy}>
                  Rep answered: connected
                </button>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => void record('warm', 'declined')}
                  disabled={busy}
                >
                  Rep declined
                </button>
                {waitedOut && (
                  <button type="button" onClick={() => void record('warm', 'no_answer')} disabled={busy}>
                    No answer: back to the caller
                  </button>
                )}
              </>
            )}
            {phase === 'no-answer' && (
              <>
                <button type="button" onClick={() => void record('blind', 'connected')} disabled={busy}>
                  Caller agreed: blind transfer done
                </button>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => void record('blind', 'declined')}
                  disabled={busy}
                >
                  Caller declined
                </button>
              </>
            )}
            {phase !== 'done' && (
              <button
                type="button"
                className="secondary"
                onClick={() => void record(phase === 'no-answer' ? 'blind' : 'warm', 'unavailable')}
                disabled={busy}
              >
                Queue unavailable: file a callback ticket
              </button>
            )}
            <button type="button" className="secondary" onClick={onClose}>
              Close <Kbd>Esc</Kbd>
            </button>
          </div>
        </div>
      )}
      {(data.data?.transfers.length ?? 0) > 0 && (
        <div className="ws-transfer-log">
          <h3>On this call</h3>
          <ul data-testid="transfer-log">
            {data.data!.transfers.map((t) => (
              <li key={t.id}>
                {t.kind === 'warm' ? 'Warm' : 'Blind'} to {t.groupName}: {OUTCOME_LABELS[t.outcome]}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/**
 * De-escalation steps (protocol 000), shown while a red flag is up or the agent marked a hot
 * call: the strategies first, then the concrete actions per situation, as the practice set them.
 */
export function DeescalationPanel({ base, reasons }: { base: string; reasons: string[] }) {
  const view = useApi<DeescalationView>(`${base}/protocol/deescalation`);
  const guide = view.data?.guide;
  return (
    <aside
      className="card ws-deescalation"
      aria-labelledby="ws-deescalation-heading"
      data-testid="deescalation-panel"
    >
      <h2 id="ws-deescalation-heading">De-escalate first</h2>
      {reasons.length > 0 && <p className="muted">{reasons.join(' · ')}</p>}
      {view.error && <p className="problem-text">{view.error}</p>}
      {guide && (
        <>
          <ol className="ws-deescalation-strategies">
            {guide.strategies.map((s) => (
              <li key={s.name}>
                <strong>{s.name}:</strong> {s.say}
              </li>
            ))}
          </ol>
          <div className="ws-deescalation-situations">
            {guide.situations.map((s) => (
              <details key={s.name}>
                <summary>{s.name}</summary>
                <ul>
                  {s.actions.map((a) => (
                    <li key={a}>{a}</li>
                  ))}
                </ul>
              </details>
            ))}
          </div>
          {guide.reminder && <p className="ws-deescalation-reminder">“{guide.reminder}”</p>}
        </>
      )}
    </aside>
  );
}

/**
 * The call-protocol strip of the workspace: the Transfer action (F) and the hot-call mark (E),
 * the de-escalation steps while a red flag is up or the call is marked hot, and the transfer
 * panel while it is open.
 */
export function CallProtocol({
  base,
  callStartId,
  flagCategories,
  flagLabels,
  hot,
  transferOpen,
  onHot,
  onTransfer,
  onStatus,
}: {
  base: string;
  callStartId: string | null;
  flagCategories: string[];
  flagLabels: string[];
  hot: boolean;
  transferOpen: boolean;
  onHot: (hot: boolean) => void;
  onTransfer: (open: boolean) => void;
  onStatus: (message: string) => void;
}) {
  const situations = [...new Set([...flagCategories, ...(hot ? ['hot_call'] : [])])];
  const reasons = [...(hot ? ['Marked as a hot call'] : []), ...flagLabels.map((l) => `Red flag: ${l}`)];
  return (
    <>
      <div className="ws-protocol buttons" role="group" aria-label="Call protocol">
        <button
          type="button"
          className="secondary"
          id="ws-transfer-open"
          aria-keyshortcuts="F"
          aria-expanded={transferOpen}
          disabled={!callStartId}
          title={callStartId ? undefined : 'Start the call first'}
          onClick={() => onTransfer(!transferOpen)}
          data-testid="transfer-open"
        >
          <Kbd>F</Kbd> Transfer
        </button>
        <button
          type="button"
          className="secondary"
          id="ws-hot-call"
          aria-keyshortcuts="E"
          aria-pressed={hot}
          onClick={() => onHot(!hot)}
          data-testid="hot-call"
        >
          <Kbd>E</Kbd> Hot call
        </button>
      </div>
      {(hot || flagCategories.length > 0) && <DeescalationPanel base={base} reasons={reasons} />}
      {transferOpen && callStartId && (
        <TransferPanel
          key={callStartId}
          base={base}
          callStartId={callStartId}
          situations={situations}
          onClose={() => {
            onTransfer(false);
            document.getElementById('ws-transfer-open')?.focus();
          }}
          onStatus={onStatus}
        />
      )}
    </>
  );
}
