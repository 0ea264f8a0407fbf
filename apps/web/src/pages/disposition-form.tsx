import type { SubmitEvent } from 'react';
import {
  categoryLabel,
  toWallInput,
  wallToInstant,
  zonedTime,
  zoneCity,
  type CardPhone,
  type DispositionSpec,
  type RedFlag,
} from '../workspace-types';
import { dialable } from './workspace-card';

/** What the agent has entered for one patient; kept while they look at another. */
export interface Draft {
  code: string | null;
  appointmentAt: string;
  callbackAt: string;
  reason: string;
  survivorId: string;
  phone: string;
  remarks: string;
  /** The Idempotency-Key of this save: made at the first try, reused by every retry. */
  key: string | null;
}

export const EMPTY_DRAFT: Draft = {
  code: null,
  appointmentAt: '',
  callbackAt: '',
  reason: '',
  survivorId: '',
  phone: '',
  remarks: '',
  key: null,
};

export type DraftField = 'appointmentAt' | 'callbackAt' | 'reason' | 'survivorId' | 'phone' | 'remarks';

/** Element ids the workspace moves focus to. */
export const FIELD_IDS: Record<DraftField | 'save' | 'gate' | 'codes', string> = {
  appointmentAt: 'ws-appointment',
  callbackAt: 'ws-callback',
  reason: 'ws-reason',
  survivorId: 'ws-survivor',
  phone: 'ws-phone',
  remarks: 'ws-remarks',
  save: 'ws-save',
  gate: 'ws-gate-dnc',
  codes: 'ws-codes',
};

/** The field the agent fills next after choosing a code (the save button when none is needed). */
export function firstField(spec: DispositionSpec): DraftField | 'save' {
  if (spec.requiresAppointment) return 'appointmentAt';
  if (spec.requiresCallback) return 'callbackAt';
  if (spec.requiresReason) return 'reason';
  if (spec.requiresSurvivor) return 'survivorId';
  return 'save';
}

export function Kbd({ children }: { children: string }) {
  return <kbd>{children}</kbd>;
}

/**
 * The disposition: one radio (and one key) per code; the picker the chosen code needs, with the
 * times it names on the other clocks; remarks screened for red flags as the agent types.
 */
export function DispositionForm({
  codes,
  draft,
  disabled,
  locked = [],
  lockedWhy = '',
  saving,
  errors,
  flags,
  gate,
  phones,
  patientZone,
  practiceZone,
  now,
  onChange,
  onChoose,
  onSubmit,
  onGate,
}: {
  codes: DispositionSpec[];
  draft: Draft;
  disabled: boolean;
  /** Codes the call cannot close with yet (the identity check), and why. */
  locked?: readonly string[];
  lockedWhy?: string;
  saving: boolean;
  errors: Partial<Record<DraftField | 'code', string>>;
  flags: RedFlag[];
  gate: boolean;
  phones: CardPhone[];
  patientZone: string;
  practiceZone: string;
  now: number;
  onChange: (patch: Partial<Draft>) => void;
  onChoose: (code: string) => void;
  onSubmit: () => void;
  onGate: (choice: 'dnc' | 'anyway' | 'back') => void;
}) {
  const spec = codes.find((c) => c.code === draft.code) ?? null;
  const dnc = codes.find((c) => c.doNotCall) ?? null;
  const asksNotToCall = flags.some((f) => f.category === 'do_not_contact');
  const valid = phones.filter(dialable);
  const describe = (field: DraftField, hint?: string) =>
    [hint, errors[field] ? `${FIELD_IDS[field]}-error` : null].filter(Boolean).join(' ') || undefined;
  const fieldError = (field: DraftField) =>
    errors[field] ? (
      <small className="problem-text" id={`${FIELD_IDS[field]}-error`} data-testid="field-error">
        {errors[field]}
      </small>
    ) : null;

  const submit = (e: SubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    onSubmit();
  };

  const other = (wall: string, zone: string, otherZone: string, otherName: string) => {
    const at = wall ? wallToInstant(wall, zone) : null;
    if (wall && at === null) return `That time does not exist in ${zoneCity(zone)} (the clocks change).`;
    if (at === null) return null;
    const here = zonedTime(at, zone);
    return zone === otherZone ? here : `${here} = ${zonedTime(at, otherZone)} ${otherName}`;
  };

  return (
    <form
      className="card ws-form"
      aria-labelledby="ws-form-heading"
      onSubmit={submit}
      onKeyDown={(e) => {
        // Enter in a picker saves (a select would not submit the form by itself).
        const t = e.target;
        if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && !e.repeat) {
          if (t instanceof HTMLSelectElement || (t instanceof HTMLInputElement && t.type !== 'submit')) {
            e.preventDefault();
            onSubmit();
          }
        }
      }}
      noValidate
      data-testid="disposition-form"
    >
      <h2 id="ws-form-heading">Outcome</h2>
      <fieldset className="ws-codes" disabled={disabled || saving} aria-describedby="ws-codes-hint">
        <legend className="visually-hidden">Disposition</legend>
        <ul className="ws-code-list" id={FIELD_IDS.codes}>
          {codes.map((c) => (
            <li key={c.code}>
              <input
                type="radio"
                name="ws-code"
                id={`ws-code-${c.code}`}
                value={c.code}
                checked={draft.code === c.code}
                disabled={locked.includes(c.code)}
                onChange={() => onChoose(c.code)}
                aria-keyshortcuts={c.key.toUpperCase()}
                aria-describedby={locked.includes(c.code) ? 'ws-codes-locked' : undefined}
              />
              <label htmlFor={`ws-code-${c.code}`}>
                <Kbd>{c.key.toUpperCase()}</Kbd> {c.label}
              </label>
            </li>
          ))}
        </ul>
        <small id="ws-codes-hint">Press a code&apos;s letter (outside a text field) to choose it.</small>
        {locked.length > 0 && lockedWhy && (
          <small id="ws-codes-locked" className="muted" data-testid="codes-locked">
            {locked.length <= 2 && `${locked.join(' and ')}: `}
            {lockedWhy}.
          </small>
        )}
        {errors.code && (
          <small className="problem-text" data-testid="field-error">
            {errors.code}
          </small>
        )}
      </fieldset>

      {spec?.requiresAppointment && (
        <div className="field ws-picker">
          <label htmlFor={FIELD_IDS.appointmentAt}>
            Appointment (practice time, {zoneCity(practiceZone)})
          </label>
          <input
            id={FIELD_IDS.appointmentAt}
            type="datetime-local"
            value={draft.appointmentAt}
            required
            aria-invalid={!!errors.appointmentAt || undefined}
            aria-describedby={describe('appointmentAt', 'ws-appointment-hint')}
            onChange={(e) => onChange({ appointmentAt: e.target.value })}
          />
          <small id="ws-appointment-hint" aria-live="polite">
            {other(draft.appointmentAt, practiceZone, patientZone, 'for the patient') ??
              'The date and time the practice booked.'}
          </small>
          {fieldError('appointmentAt')}
        </div>
      )}
      {spec?.requiresCallback && (
        <div className="field ws-picker">
          <label htmlFor={FIELD_IDS.callbackAt}>
            Call back at (patient&apos;s time, {zoneCity(patientZone)})
          </label>
          <input
            id={FIELD_IDS.callbackAt}
            type="datetime-local"
            value={draft.callbackAt}
            min={toWallInput(now, patientZone)}
            required
            aria-invalid={!!errors.callbackAt || undefined}
            aria-describedby={describe('callbackAt', 'ws-callback-hint')}
            onChange={(e) => onChange({ callbackAt: e.target.value })}
          />
          <small id="ws-callback-hint" aria-live="polite">
            {`It is ${zonedTime(now, patientZone, false)} for the patient now. `}
            {other(draft.callbackAt, patientZone, practiceZone, 'practice time') ?? ''}
          </small>
          {fieldError('callbackAt')}
        </div>
      )}
      {spec?.requiresReason && (
        <div className="field ws-picker">
          <label htmlFor={FIELD_IDS.reason}>Why ({spec.label.toLowerCase()})</label>
          <input
            id={FIELD_IDS.reason}
            type="text"
            maxLength={500}
            value={draft.reason}
            required
            aria-invalid={!!errors.reason || undefined}
            aria-describedby={describe('reason')}
            onChange={(e) => onChange({ reason: e.target.value })}
          />
          {fieldError('reason')}
        </div>
      )}
      {spec?.requiresSurvivor && (
        <div className="field ws-picker">
          <label htmlFor={FIELD_IDS.survivorId}>Patient ID of the record to keep</label>
          <input
            id={FIELD_IDS.survivorId}
            type="text"
            maxLength={40}
            value={draft.survivorId}
            required
            aria-invalid={!!errors.survivorId || undefined}
            aria-describedby={describe('survivorId', 'ws-survivor-hint')}
            onChange={(e) => onChange({ survivorId: e.target.value })}
          />
          <small id="ws-survivor-hint">A manager finds it on the Patients page.</small>
          {fieldError('survivorId')}
        </div>
      )}
      {spec?.numberLevel && (
        <div className="field ws-picker">
          <label htmlFor={FIELD_IDS.phone}>Number dialled</label>
          <select
            id={FIELD_IDS.phone}
            value={draft.phone || valid[0]?.e164 || ''}
            aria-invalid={!!errors.phone || undefined}
            aria-describedby={describe('phone', 'ws-phone-hint')}
            onChange={(e) => onChange({ phone: e.target.value })}
          >
            {valid.map((p) => (
              <option key={p.e164} value={p.e164!}>
                {p.e164} ({p.type})
              </option>
            ))}
          </select>
          <small id="ws-phone-hint">
            It is marked {spec.label.toLowerCase()} for the practice; calls go on with the next number.
          </small>
          {fieldError('phone')}
        </div>
      )}

      <div className="field">
        <label htmlFor={FIELD_IDS.remarks}>
          Remarks <Kbd>M</Kbd>
        </label>
        <textarea
          id={FIELD_IDS.remarks}
          rows={2}
          maxLength={4000}
          value={draft.remarks}
          disabled={disabled || saving}
          aria-invalid={!!errors.remarks || undefined}
          aria-describedby={
            [flags.length ? 'ws-flags' : null, errors.remarks ? 'ws-remarks-error' : null]
              .filter(Boolean)
              .join(' ') || undefined
          }
          onChange={(e) => onChange({ remarks: e.target.value })}
        />
        {fieldError('remarks')}
        <div aria-live="polite" className="ws-flags-live">
          {flags.length > 0 && (
            <div className="red-flags" id="ws-flags" data-testid="red-flags">
              <strong>Red flag: a manager will see this call.</strong>
              <ul>
                {flags.map((f, i) => (
                  <li key={`${f.category}-${f.phrase}-${i}`}>
                    {categoryLabel(f.category)}: “{f.match}”
                  </li>
                ))}
              </ul>
              {asksNotToCall && dnc && draft.code !== dnc.code && (
                <p data-testid="dnc-suggestion">
                  The patient seems to ask not to be called again: consider <Kbd>{dnc.key.toUpperCase()}</Kbd>{' '}
                  {dnc.label} (<Kbd>Esc</Kbd> leaves the remarks).
                </p>
              )}
            </div>
          )}
        </div>
      </div>

      {gate && dnc && spec && (
        <div
          className="warning-note ws-gate"
          role="group"
          aria-labelledby="ws-gate-text"
          data-testid="dnc-gate"
        >
          <p id="ws-gate-text">
            The remarks read like a request not to be called again. Save as {dnc.label} instead?
          </p>
          <div className="buttons">
            <button type="button" id={FIELD_IDS.gate} onClick={() => onGate('dnc')} disabled={saving}>
              Save as {dnc.label}
            </button>
            <button type="button" className="secondary" onClick={() => onGate('anyway')} disabled={saving}>
              Save as {spec.label} anyway
            </button>
            <button type="button" className="secondary" onClick={() => onGate('back')} disabled={saving}>
              Back
            </button>
          </div>
        </div>
      )}

      <div className="ws-save">
        <button
          type="submit"
          id={FIELD_IDS.save}
          disabled={disabled || saving}
          aria-keyshortcuts="Control+Enter"
          data-testid="save-disposition"
        >
          {saving ? 'Saving…' : spec ? `Save: ${spec.label}` : 'Save'}
        </button>
        <span className="muted">
          <Kbd>Ctrl+Enter</Kbd> saves · <Kbd>Esc</Kbd> cancels
        </span>
        {spec?.doNotCall && (
          <small className="problem-text">
            For good, in every campaign of the practice: only an administrator can lift it.
          </small>
        )}
      </div>
    </form>
  );
}
