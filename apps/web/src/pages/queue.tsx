import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, errorText, useApi, type List } from '../api';
import { useSession } from '../auth';
import { NoPractice } from '../components';
import {
  ageOn,
  dayLabel,
  localToday,
  type CallStart,
  type Queue,
  type QueueItem,
  type QueueSection,
} from '../cycle-types';
import { Page } from '../layout';
import { usePracticeBase } from '../records';
import {
  categoryLabel,
  identityLock,
  toWallInput,
  wallToInstant,
  zonedTime,
  type DispositionResult,
  type CallIdentity,
  type DispositionSpec,
  type RedFlag,
  type WorkspaceCard,
} from '../workspace-types';
import {
  DispositionForm,
  EMPTY_DRAFT,
  FIELD_IDS,
  firstField,
  Kbd,
  type Draft,
  type DraftField,
} from './disposition-form';
import { bestFirst, CardDetails, dialable, PatientCard } from './workspace-card';
import { CallProtocol } from './transfer-panel';
import { IDENTITY_STEP_ID, IdentityCheck } from './identity-check';

const SECTIONS: { section: QueueSection; title: string; otherDay: string; testId: string }[] = [
  { section: 'callback', title: 'Callbacks due', otherDay: 'Callbacks due', testId: 'queue-callback' },
  { section: 'open', title: 'Call now', otherDay: 'Window open now', testId: 'queue-open' },
  { section: 'later', title: 'Later today', otherDay: 'Window not open now', testId: 'queue-later' },
];

const SCREEN_DELAY_MS = 350;
const CARD_DELAY_MS = 120;
const ENTER_AFTER_SAVE_MS = 600;
const AUTO_DIAL_KEY = 'recall.autoDial';

export function QueuePage() {
  const base = usePracticeBase();
  return (
    <Page title="My queue" testId="queue-page">
      {/* The agent's home page: "home-agent" is what the sign-in tests wait for on every role's home. */}
      <div data-testid="home-agent">
        {base ? <Workspace key={base} base={base} /> : <NoPractice what="patients to call" />}
      </div>
    </Page>
  );
}

/** "Mon 15 Jun, 9:00 AM EST" + "Mon 15 Jun, 8:00 AM CST" → the second without the shared day. */
function opensText(local: { practice: string; patient: string }): string {
  const comma = local.practice.indexOf(', ');
  const prefix = comma >= 0 ? local.practice.slice(0, comma + 2) : '';
  const patient =
    prefix && local.patient.startsWith(prefix) ? local.patient.slice(prefix.length) : local.patient;
  return `opens ${local.practice} (${patient} for the patient)`;
}

/** A v4 UUID; `crypto.randomUUID` needs a secure context, `getRandomValues` does not. */
function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Inputs where letters and arrows are typing, not commands. */
function isTextEntry(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) {
    return !['radio', 'checkbox', 'button', 'submit', 'reset'].includes(el.type);
  }
  return (el as HTMLElement).isContentEditable;
}

const SERVER_FIELDS: Record<string, DraftField | 'code'> = {
  appointmentAt: 'appointmentAt',
  callbackAt: 'callbackAt',
  reason: 'reason',
  survivorId: 'survivorId',
  phoneUsed: 'phone',
  phone: 'phone',
  remarks: 'remarks',
  code: 'code',
};

/** The card of the patient in focus, fetched once the selection rests (arrowing through is cheap). */
function useCard(base: string, memberId: string | null, version: number) {
  const [state, setState] = useState<{ memberId: string | null; data?: WorkspaceCard; error?: string }>({
    memberId: null,
  });
  useEffect(() => {
    if (!memberId) return;
    let current = true;
    const timer = setTimeout(() => {
      api<WorkspaceCard>(`${base}/members/${memberId}/card`).then(
        (data) => current && setState({ memberId, data }),
        (e: unknown) => current && setState({ memberId, error: errorText(e) }),
      );
    }, CARD_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [base, memberId, version]);
  const mine = state.memberId === memberId;
  return {
    data: mine ? state.data : undefined,
    error: mine ? state.error : undefined,
    loading: !mine || (!state.data && !state.error),
  };
}

function Workspace({ base }: { base: string }) {
  const { practice } = useSession();
  const practiceZone = practice?.timezone ?? 'UTC';
  const today = localToday(practiceZone);
  /** Empty: the practice's today (the server decides which day that is). */
  const [date, setDate] = useState('');
  const queue = useApi<Queue>(`${base}/queue${date ? `?date=${encodeURIComponent(date)}` : ''}`);
  const codesApi = useApi<List<DispositionSpec>>(`${base}/dispositions/codes`);
  const codes = useMemo(() => codesApi.data?.items ?? [], [codesApi.data]);
  const day = date || queue.data?.date || today;
  const future = !!date && date > today;
  const canWork = !future;
  const items = useMemo(() => queue.data?.items ?? [], [queue.data]);

  // The server's clock (RECALL_NOW may pin it), moved on by the browser's.
  const [offset, setOffset] = useState(0);
  const [, setTick] = useState(0);
  useEffect(() => {
    if (queue.data) setOffset(Date.parse(queue.data.now) - Date.now());
  }, [queue.data]);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), 30_000);
    return () => clearInterval(timer);
  }, []);
  const now = Date.now() + offset;

  // Selection: the id, and where it was, so a patient who leaves the queue hands over to the next.
  const [sel, setSel] = useState<{ id: string | null; index: number }>({ id: null, index: 0 });
  let index = items.findIndex((i) => i.assignmentId === sel.id);
  if (index < 0) index = items.length ? Math.min(sel.index, items.length - 1) : -1;
  const item: QueueItem | null = index >= 0 ? items[index] : null;
  const memberId = item?.memberId ?? null;

  const [cardVersion, setCardVersion] = useState(0);
  const card = useCard(base, memberId, cardVersion);

  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const draft = (memberId && drafts[memberId]) || EMPTY_DRAFT;
  const [calls, setCalls] = useState<Record<string, CallStart>>({});
  const call = item ? calls[item.assignmentId] : undefined;
  const [starting, setStarting] = useState(false);
  const [saving, setSaving] = useState(false);
  const savingRef = useRef(false);
  const [errors, setErrors] = useState<Partial<Record<DraftField | 'code', string>>>({});
  const [gate, setGate] = useState(false);
  const [status, setStatus] = useState('');
  const [alert, setAlert] = useState('');
  const [screen, setScreen] = useState<{ memberId: string | null; text: string; flags: RedFlag[] }>({
    memberId: null,
    text: '',
    flags: [],
  });
  const [ticket, setTicket] = useState<{ open: boolean; text: string; error: string | null }>({
    open: false,
    text: '',
    error: null,
  });
  const [focusId, setFocusId] = useState<string | null>(null);
  // Agents on a desk phone dial themselves; a softphone takes the tel: link.
  const [autoDial, setAutoDial] = useState(() => localStorage.getItem(AUTO_DIAL_KEY) !== 'false');
  const listboxRef = useRef<HTMLDivElement>(null);
  // Protocol 000 for the patient in focus: the transfer panel, and calls the agent marked hot.
  const [transferOpen, setTransferOpen] = useState(false);
  const [hotCalls, setHotCalls] = useState<Record<string, boolean>>({});
  useEffect(() => setTransferOpen(false), [memberId]);
  const openTransfer = () => {
    if (call) setTransferOpen(true);
    else setAlert('Start the call first (Enter): a transfer is for the call in progress.');
  };

  // The identity check of the call in progress (this page's, or the server's after a reload).
  const [identities, setIdentities] = useState<Record<string, CallIdentity>>({});
  const callStartId = call?.callStartId ?? card.data?.identity?.callStartId ?? null;
  const identity: CallIdentity | null = callStartId
    ? (identities[callStartId] ??
      (card.data?.identity?.callStartId === callStartId ? card.data.identity : null) ?? {
        callStartId,
        status: 'unchecked',
        fields: card.data?.identity?.fields ?? ['name', 'dob'],
        checks: null,
        checkedAt: null,
        allowedCodes: null,
      })
    : null;
  const lock = identityLock(
    identity?.status ?? 'unchecked',
    codes.map((c) => c.code),
  );
  const lockWhy =
    lock && !identity ? 'Start the call and confirm who you are speaking to first' : (lock?.why ?? '');

  const patientZone = card.data?.patient?.timeZone ?? item?.timeZone ?? practiceZone;
  const phones = bestFirst(card.data?.patient?.phones ?? item?.phones ?? []);

  // A new patient in focus: the errors, the do-not-call question and the ticket were about the last one.
  useEffect(() => {
    setErrors({});
    setGate(false);
    setTicket({ open: false, text: '', error: null });
  }, [memberId]);

  useEffect(() => {
    if (!focusId) return;
    document.getElementById(focusId)?.focus();
    setFocusId(null);
  }, [focusId]);

  const selectedId = item?.assignmentId;
  useEffect(() => {
    if (selectedId)
      document.getElementById(`queue-option-${selectedId}`)?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);

  // Red flags while the agent types: debounced, and only the latest answer counts.
  const screenSeq = useRef(0);
  const screenText = useCallback(
    async (text: string): Promise<RedFlag[]> => {
      const seq = ++screenSeq.current;
      if (!text.trim()) {
        setScreen({ memberId, text, flags: [] });
        return [];
      }
      const { flags } = await api<{ flags: RedFlag[] }>(`${base}/remarks/screen`, {
        method: 'POST',
        body: { text },
      });
      if (seq === screenSeq.current) setScreen({ memberId, text, flags });
      return flags;
    },
    [base, memberId],
  );
  const screened = screen.memberId === memberId && screen.text === draft.remarks;
  useEffect(() => {
    if (screened) return;
    const timer = setTimeout(() => void screenText(draft.remarks).catch(() => undefined), SCREEN_DELAY_MS);
    return () => clearTimeout(timer);
  }, [screened, draft.remarks, screenText]);
  // While the agent types on, the last answer for this patient stays up until the next one.
  const flags = screen.memberId === memberId && draft.remarks.trim() ? screen.flags : [];

  const updateDraft = useCallback(
    (patch: Partial<Draft>) => {
      if (!memberId) return;
      setDrafts((all) => ({ ...all, [memberId]: { ...(all[memberId] ?? EMPTY_DRAFT), ...patch } }));
      setErrors((e) => {
        const next = { ...e };
        for (const k of Object.keys(patch)) delete next[k as DraftField];
        if ('code' in patch) delete next.code;
        return next;
      });
    },
    [memberId],
  );

  const choose = (code: string, moveFocus: boolean) => {
    const spec = codes.find((c) => c.code === code);
    if (!spec || !item || !canWork) return;
    if (lock?.locked.includes(code)) {
      setAlert(`${spec.label} is not available: ${lockWhy}.`);
      return;
    }
    const patch: Partial<Draft> = { code };
    if (spec.requiresCallback && !draft.callbackAt) {
      // A callback in about an hour, on the half hour, on the patient's clock.
      const halfHour = 30 * 60_000;
      patch.callbackAt = toWallInput(Math.ceil((now + 60 * 60_000) / halfHour) * halfHour, patientZone);
    }
    if (spec.numberLevel && !draft.phone) patch.phone = call?.dial ?? phones.find(dialable)?.e164 ?? '';
    updateDraft(patch);
    setGate(false);
    setAlert('');
    if (moveFocus) setFocusId(FIELD_IDS[firstField(spec)]);
  };

  // The list is taller than the screen: focusing it must not scroll the page to its top.
  const focusQueue = () => listboxRef.current?.focus({ preventScroll: true });
  /** When the last save ended: an Enter that follows at once is the save key held or pressed twice. */
  const savedAt = useRef(0);
  /**
   * Whether Enter on the queue may start a call. A save disarms it (the next patient is up under
   * the agent's finger: a second Enter must not call them); choosing a patient re-arms it at once,
   * and so does ENTER_AFTER_SAVE_MS passing.
   */
  const startArmed = useRef(true);
  /** The patient highlighted on screen (aria-activedescendant), from the latest list. */
  const highlighted = (): QueueItem | null => {
    const id = listboxRef.current?.getAttribute('aria-activedescendant')?.replace(/^queue-option-/, '');
    return (id && items.find((i) => i.assignmentId === id)) || null;
  };

  // Keyboard-first: the queue has the focus when the page opens.
  const loaded = !!queue.data;
  useEffect(() => {
    if (loaded && (document.activeElement === document.body || !document.activeElement)) {
      listboxRef.current?.focus({ preventScroll: true });
    }
  }, [loaded]);

  const move = (delta: number | 'first' | 'last') => {
    if (!items.length) return;
    const next =
      delta === 'first'
        ? 0
        : delta === 'last'
          ? items.length - 1
          : Math.max(0, Math.min(items.length - 1, (index < 0 ? 0 : index) + delta));
    setSel({ id: items[next].assignmentId, index: next });
    startArmed.current = true;
    setAlert('');
    focusQueue();
  };

  const startCall = async (target: QueueItem | null, phone?: string) => {
    if (!target || starting) return;
    if (!canWork) {
      setAlert("This is a later day's list: calls can be started from today's list only.");
      return;
    }
    setStarting(true);
    setAlert('');
    try {
      const started = await api<CallStart>(`${base}/queue/${target.assignmentId}/start`, {
        method: 'POST',
        body: phone ? { phone } : {},
      });
      setCalls((c) => ({ ...c, [target.assignmentId]: started }));
      setStatus(`Call started with ${target.name}: dialling ${started.dial}.`);
      // The card follows the new call: its identity step, details hidden until it passes.
      setCardVersion((v) => v + 1);
      if (autoDial) window.location.href = started.tel;
    } catch (e) {
      setAlert(errorText(e));
    } finally {
      setStarting(false);
    }
  };

  const savedMessage = (target: QueueItem, spec: DispositionSpec, d: Draft, r: DispositionResult) => {
    const parts = [`Saved for ${target.name}: ${spec.label}.`];
    if (r.replayed) parts.push('It had been saved already; nothing was recorded twice.');
    const appointment = d.appointmentAt ? wallToInstant(d.appointmentAt, practiceZone) : null;
    if (spec.requiresAppointment && appointment !== null) {
      parts.push(`Appointment ${zonedTime(appointment, practiceZone)}.`);
    }
    if (r.member.callbackAt) {
      parts.push(`Callback ${zonedTime(r.member.callbackAt, patientZone)} patient time.`);
    }
    if (r.markedBad) {
      parts.push(
        r.nextNumber
          ? `${r.markedBad} is marked bad; next number ${r.nextNumber}.`
          : `${r.markedBad} is marked bad; no other number to try.`,
      );
    }
    if (r.member.state === 'exhausted') parts.push('That was the last attempt in this campaign.');
    for (const e of r.escalations) {
      parts.push(`Sent to a manager: ${categoryLabel(e.category)} (“${e.reason}”).`);
    }
    return parts.join(' ');
  };

  const save = async (force?: 'dnc' | 'anyway') => {
    if (!item || !memberId || savingRef.current || !canWork) return;
    const target = item;
    const code = force === 'dnc' ? (codes.find((c) => c.doNotCall)?.code ?? null) : draft.code;
    const spec = codes.find((c) => c.code === code);
    if (!spec) {
      setErrors({ code: 'Choose an outcome first: press its letter.' });
      setAlert('Not saved: choose an outcome first (press its letter).');
      focusQueue();
      return;
    }
    if (lock?.locked.includes(spec.code)) {
      setErrors({ code: lockWhy });
      setAlert(`Not saved: ${lockWhy}.`);
      focusQueue();
      return;
    }
    const missing: Partial<Record<DraftField, string>> = {};
    if (spec.requiresAppointment && !draft.appointmentAt) missing.appointmentAt = 'Enter the appointment.';
    if (spec.requiresCallback && !draft.callbackAt) missing.callbackAt = 'Enter when to call back.';
    if (spec.requiresReason && !draft.reason.trim()) missing.reason = 'Say why.';
    if (spec.requiresSurvivor && !draft.survivorId.trim()) missing.survivorId = 'Enter the record to keep.';
    const firstMissing = Object.keys(missing)[0] as DraftField | undefined;
    if (firstMissing) {
      setErrors(missing);
      setAlert(`Not saved: ${missing[firstMissing]}`);
      setFocusId(FIELD_IDS[firstMissing]);
      return;
    }

    savingRef.current = true;
    setSaving(true);
    setAlert('');
    // One key per save: a retry (network error, a second Ctrl+Enter) replays instead of recording twice.
    const key = draft.key ?? newIdempotencyKey();
    if (!draft.key) updateDraft({ key });
    try {
      const found = screened ? screen.flags : await screenText(draft.remarks).catch(() => []);
      if (!force && !spec.doNotCall && found.some((f) => f.category === 'do_not_contact')) {
        setGate(true);
        setFocusId(FIELD_IDS.gate);
        return;
      }
      const numberUsed = spec.numberLevel ? draft.phone || phones.find(dialable)?.e164 : undefined;
      const result = await api<DispositionResult>(`${base}/dispositions`, {
        method: 'POST',
        headers: { 'Idempotency-Key': key },
        body: {
          memberId,
          code: spec.code,
          appointmentAt: spec.requiresAppointment ? draft.appointmentAt : undefined,
          callbackAt: spec.requiresCallback ? draft.callbackAt : undefined,
          reason: spec.requiresReason ? draft.reason.trim() : undefined,
          survivorId: spec.requiresSurvivor ? draft.survivorId.trim() : undefined,
          phone: numberUsed || undefined,
          remarks: draft.remarks.trim() || undefined,
          callStartId: calls[target.assignmentId]?.callStartId,
          source: 'workspace',
        },
      });
      // Next patient: the one after this in the list (this one may stay, e.g. a callback later today).
      const next = items[index + 1] ?? null;
      setSel({ id: next?.assignmentId ?? null, index });
      setDrafts((all) => {
        const rest = { ...all };
        delete rest[memberId];
        return rest;
      });
      setCalls((c) => {
        const rest = { ...c };
        delete rest[target.assignmentId];
        return rest;
      });
      setGate(false);
      setErrors({});
      setStatus(
        savedMessage(target, spec, draft, result) +
          (next ? ` Next: ${next.name}.` : ' That was the last one.'),
      );
      setCardVersion((v) => v + 1);
      queue.reload();
      savedAt.current = Date.now();
      startArmed.current = false;
      // The next patient's card starts at the top, under the save result.
      window.scrollTo({ top: 0 });
      focusQueue();
    } catch (e) {
      // The service names the field; request validation starts its message with it ("survivorId must be…").
      const named =
        e instanceof ApiError ? (e.field ?? /^([A-Za-z]+)(?::| must| should)/.exec(e.message)?.[1]) : null;
      const field = named ? SERVER_FIELDS[named] : undefined;
      let message = errorText(e).replace(/^[A-Za-z]+: /, '');
      if (e instanceof ApiError && e.field === 'idempotencyKey') {
        // This form's earlier save went through (its answer was lost) with other details: a fresh form.
        updateDraft({ key: null });
        message =
          'an earlier try of this save went through before the connection dropped, with other details. ' +
          "Check the patient's history before saving again.";
      }
      if (e instanceof ApiError && e.status === 409) {
        // Someone or something changed the patient meanwhile: show the queue and the card as they are now.
        queue.reload();
        setCardVersion((v) => v + 1);
      }
      if (field) {
        setErrors({ [field]: message });
        if (field === 'code') focusQueue();
        else setFocusId(FIELD_IDS[field]);
      }
      setAlert(
        e instanceof ApiError && e.status === 0
          ? `Not saved: ${message} Press Ctrl+Enter to try again; it will not be recorded twice.`
          : `Not saved: ${message}`,
      );
    } finally {
      savingRef.current = false;
      setSaving(false);
    }
  };

  const fileTicket = async () => {
    const reason = ticket.text.trim();
    if (!reason) {
      setTicket((t) => ({ ...t, error: 'Say what a manager should do.' }));
      return;
    }
    try {
      await api(`${base}/escalations/tickets`, {
        method: 'POST',
        body: { reason, memberId, patientId: card.data?.patient?.id },
      });
      setTicket({ open: false, text: '', error: null });
      setStatus(`Ticket filed for the managers about ${item?.name ?? 'this patient'}.`);
      focusQueue();
    } catch (e) {
      setTicket((t) => ({ ...t, error: errorText(e) }));
    }
  };

  // One keyboard handler for the page, reading the latest state: set during the commit (a
  // layout effect), so a key pressed right after a render never runs the previous render's handler.
  const onKey = useRef<(e: KeyboardEvent) => void>(() => undefined);
  useLayoutEffect(() => {
    onKey.current = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const target = e.target instanceof Element ? e.target : null;
      const inTicket = !!target?.closest('.ws-ticket');
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        if (e.repeat || Date.now() - savedAt.current < ENTER_AFTER_SAVE_MS) return;
        if (inTicket) void fileTicket();
        else void save();
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        if (inTicket) setTicket({ open: false, text: '', error: null });
        else if (gate) {
          setGate(false);
          setFocusId(FIELD_IDS.save);
          return;
        } else if (target?.id !== FIELD_IDS.remarks && draft.code) {
          updateDraft({ code: null });
          setErrors({});
        }
        focusQueue();
        return;
      }
      if (e.altKey || e.ctrlKey || e.metaKey || isTextEntry(target)) return;
      const onList = target === listboxRef.current;
      const onRadio = target instanceof HTMLInputElement && target.type === 'radio';
      const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
      if ((key === 'ArrowDown' && !onRadio) || key === 'j') move(1);
      else if ((key === 'ArrowUp' && !onRadio) || key === 'k') move(-1);
      else if (key === 'Home' && onList) move('first');
      else if (key === 'End' && onList) move('last');
      else if (key === 'Enter' && onList) {
        // The patient the agent sees highlighted, not whichever render this handler came from.
        const armed = startArmed.current || Date.now() - savedAt.current > ENTER_AFTER_SAVE_MS;
        if (!e.repeat && armed) void startCall(highlighted() ?? item);
      } else if (key === 'm' && item && canWork) setFocusId(FIELD_IDS.remarks);
      else if (key === 'i' && identity?.status === 'unchecked') setFocusId(IDENTITY_STEP_ID);
      else if (key === 'f' && item) openTransfer();
      else if (key === 'e' && memberId) setHotCalls((h) => ({ ...h, [memberId]: !h[memberId] }));
      else if (key === 't' && item) {
        setTicket((t) => ({ ...t, open: true }));
        setFocusId('ws-ticket-text');
      } else {
        const spec = codes.find((c) => c.key === key);
        if (!spec) return;
        if (!e.repeat) choose(spec.code, true);
      }
      e.preventDefault();
    };
  });
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey.current(e);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  const asOf = queue.data ? zonedTime(queue.data.now, practiceZone, false) : null;

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
          {date && (
            <button type="button" className="secondary" onClick={() => setDate('')}>
              Back to today
            </button>
          )}
          <button type="button" className="secondary" onClick={queue.reload} disabled={queue.loading}>
            {queue.loading ? 'Loading…' : 'Refresh'}
          </button>
        </div>
        <div className="field checkbox ws-autodial">
          <input
            id="ws-autodial"
            type="checkbox"
            checked={autoDial}
            onChange={(e) => {
              setAutoDial(e.target.checked);
              localStorage.setItem(AUTO_DIAL_KEY, String(e.target.checked));
            }}
          />
          <label htmlFor="ws-autodial">Open my phone app (tel: link) when a call starts</label>
        </div>
        <p className="lead ws-count" aria-live="polite">
          {queue.data
            ? `${items.length.toLocaleString()} ${items.length === 1 ? 'patient' : 'patients'} for ${dayLabel(day)}` +
              (asOf ? `, calling windows as of ${asOf}` : '')
            : queue.loading
              ? 'Loading your queue…'
              : ''}
        </p>
      </div>
      <p className="key-hints" id="ws-keys" data-testid="key-hints">
        <span>
          <Kbd>↑</Kbd>
          <Kbd>↓</Kbd> or <Kbd>J</Kbd>
          <Kbd>K</Kbd> move
        </span>
        <span>
          <Kbd>Enter</Kbd> start call
        </span>
        <span>letters: outcome</span>
        <span>
          <Kbd>I</Kbd> identity check, then <Kbd>Y</Kbd>/<Kbd>N</Kbd> per field
        </span>
        <span>
          <Kbd>M</Kbd> remarks
        </span>
        <span>
          <Kbd>T</Kbd> ticket
        </span>
        <span>
          <Kbd>F</Kbd> transfer · <Kbd>E</Kbd> hot call
        </span>
        <span>
          <Kbd>Ctrl+Enter</Kbd> save
        </span>
        <span>
          <Kbd>Esc</Kbd> cancel / back to the queue
        </span>
      </p>
      {future && (
        <p className="warning-note">
          This is a later day&apos;s list: calls can be started from today&apos;s list only.
        </p>
      )}
      {(queue.error || codesApi.error) && <p className="alert">{queue.error ?? codesApi.error}</p>}
      <div className="workspace">
        <div className="ws-queue">
          <div
            role="listbox"
            tabIndex={0}
            ref={listboxRef}
            className="queue-listbox"
            aria-label="Patients to call"
            aria-describedby="ws-keys"
            aria-activedescendant={item ? `queue-option-${item.assignmentId}` : undefined}
            data-testid="queue-list"
          >
            {queue.data &&
              SECTIONS.map((s) => {
                const inSection = items.filter((i) => i.section === s.section);
                const title = !date ? s.title : s.otherDay;
                return (
                  <div
                    key={s.section}
                    role="group"
                    aria-label={`${title}: ${inSection.length}`}
                    className={`queue-group queue-${s.section}`}
                    data-testid={s.testId}
                  >
                    {/* The group's name says it to screen readers; options are its only children for them. */}
                    <div aria-hidden="true" className="queue-group-label">
                      {title} <span className="badge">{inSection.length}</span>
                    </div>
                    {inSection.map((i) => (
                      <QueueOption
                        key={i.assignmentId}
                        item={i}
                        day={day}
                        zone={practiceZone}
                        selected={i.assignmentId === item?.assignmentId}
                        onCall={!!calls[i.assignmentId]}
                        onSelect={() => {
                          setSel({ id: i.assignmentId, index: items.indexOf(i) });
                          startArmed.current = true;
                          focusQueue();
                        }}
                      />
                    ))}
                  </div>
                );
              })}
          </div>
          {queue.data && items.length === 0 && <p className="muted">Nobody to call on this day.</p>}
        </div>

        <div className="ws-main">
          <div className="ws-live">
            <p role="status" className="notice-live" data-testid="workspace-status">
              {status}
            </p>
            <p role="alert" className="alert-live" data-testid="workspace-alert">
              {alert}
            </p>
          </div>
          {item ? (
            <>
              <PatientCard
                item={item}
                card={card.data}
                loading={card.loading}
                error={card.error}
                day={day}
                practiceZone={practiceZone}
                now={now}
                call={call}
                canStart={canWork}
                starting={starting}
                onCall={(phone) => void startCall(item, phone)}
              />
              {identity && callStartId && (
                <IdentityCheck
                  base={base}
                  callStartId={callStartId}
                  identity={identity}
                  card={card.data}
                  dialled={call?.dial ?? null}
                  patientName={item.name}
                  onRecorded={(result) => {
                    setIdentities((all) => ({ ...all, [callStartId]: result }));
                    setCardVersion((v) => v + 1);
                    if (result.status === 'verified') {
                      setAlert('');
                      setStatus(`Identity confirmed for ${item.name}: the patient's details are shown.`);
                    } else {
                      setAlert(
                        `Identity not confirmed — close as ${(result.allowedCodes ?? []).join(' or ')}.`,
                      );
                    }
                    focusQueue();
                  }}
                />
              )}
              <DispositionForm
                codes={codes}
                draft={draft}
                disabled={!canWork || codes.length === 0}
                locked={lock?.locked ?? []}
                lockedWhy={lockWhy}
                saving={saving}
                errors={errors}
                flags={flags}
                gate={gate}
                phones={phones}
                patientZone={patientZone}
                practiceZone={practiceZone}
                now={now}
                onChange={updateDraft}
                onChoose={(code) => choose(code, false)}
                onSubmit={() => void save()}
                onGate={(choice) => {
                  if (choice === 'back') {
                    setGate(false);
                    setFocusId(FIELD_IDS.save);
                  } else void save(choice);
                }}
              />
              <CallProtocol
                base={base}
                callStartId={call?.callStartId ?? null}
                flagCategories={flags.map((f) => f.category)}
                flagLabels={flags.map((f) => categoryLabel(f.category))}
                hot={!!(memberId && hotCalls[memberId])}
                transferOpen={transferOpen}
                onHot={(hot) => memberId && setHotCalls((h) => ({ ...h, [memberId]: hot }))}
                onTransfer={(open) => (open ? openTransfer() : setTransferOpen(false))}
                onStatus={setStatus}
              />
              {ticket.open && (
                <form
                  className="card ws-ticket"
                  aria-labelledby="ws-ticket-heading"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void fileTicket();
                  }}
                >
                  <h2 id="ws-ticket-heading">Ticket for a manager</h2>
                  <div className="field">
                    <label htmlFor="ws-ticket-text">What should a manager do?</label>
                    <textarea
                      id="ws-ticket-text"
                      rows={2}
                      maxLength={2000}
                      value={ticket.text}
                      aria-invalid={!!ticket.error || undefined}
                      aria-describedby={ticket.error ? 'ws-ticket-error' : undefined}
                      onChange={(e) => setTicket((t) => ({ ...t, text: e.target.value, error: null }))}
                    />
                    {ticket.error && (
                      <small className="problem-text" id="ws-ticket-error">
                        {ticket.error}
                      </small>
                    )}
                  </div>
                  <div className="buttons">
                    <button type="submit">File ticket</button>
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => {
                        setTicket({ open: false, text: '', error: null });
                        focusQueue();
                      }}
                    >
                      Cancel
                    </button>
                  </div>
                </form>
              )}
              {card.data && <CardDetails card={card.data} practiceZone={practiceZone} />}
            </>
          ) : (
            queue.data && <p className="muted">Pick a patient from the queue.</p>
          )}
        </div>
      </div>
    </>
  );
}

function QueueOption({
  item,
  day,
  zone,
  selected,
  onCall,
  onSelect,
}: {
  item: QueueItem;
  day: string;
  zone: string;
  selected: boolean;
  onCall: boolean;
  onSelect: () => void;
}) {
  const age = ageOn(item.birthDate, day);
  const windowText = item.window.open
    ? `open${item.window.closesAt ? ` until ${zonedTime(item.window.closesAt, zone, false)}` : ''}`
    : item.opensAtLocal
      ? opensText(item.opensAtLocal)
      : 'window does not open in the next days';
  const label = [
    item.name || 'No name',
    age !== null ? `${age} years` : null,
    onCall ? 'on a call' : null,
    item.callbackAt ? `callback ${zonedTime(item.callbackAt, zone, false)}` : null,
    windowText,
    `${item.attempts} of ${item.attemptCap} attempts`,
    item.lastCode ? `last outcome ${item.lastCode}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <div
      role="option"
      id={`queue-option-${item.assignmentId}`}
      aria-selected={selected}
      aria-label={label}
      className={`queue-option queue-item-${item.section}`}
      data-testid="queue-item"
      data-section={item.section}
      onClick={onSelect}
    >
      <span className="queue-option-name">
        {item.name || '—'}
        {age !== null && <span className="muted">, {age} y</span>}
        {onCall && <span className="badge status-running">on call</span>}
      </span>
      <span className="queue-option-meta">
        {item.callbackAt && (
          <span className="queue-callback-at">Callback {zonedTime(item.callbackAt, zone, false)} · </span>
        )}
        {item.window.open ? (
          <span className="window-open">{windowText}</span>
        ) : (
          <span className="window-closed" data-testid="opens-at">
            {windowText}
          </span>
        )}
      </span>
      <span className="queue-option-meta muted">
        <span data-testid="attempts">
          {item.attempts}/{item.attemptCap}
        </span>{' '}
        attempts{item.lastCode && ` · last ${item.lastCode}`}
      </span>
    </div>
  );
}
