import { useEffect, useMemo, useState, type ReactNode, type SubmitEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, errorText, useApi, type List } from '../api';
import {
  CAMPAIGN_STATUS_LABELS,
  CONTACT_CATEGORY_LABELS,
  DEFAULT_PLAN_INPUTS,
  money,
  RETRY_CODE_LABELS,
  RETRY_CODES,
  SCRIPT_PLACEHOLDERS,
  type AgentRef,
  type CampaignAction,
  type CampaignType,
  type CampaignTypeInfo,
  type CampaignView,
  type ContactCategory,
  type ContactImportSummary,
  type EligibilitySummary,
  type MemberListReason,
  type MemberPage,
  type PatientExplanation,
  type PlanInputs,
  type PlanResult,
  type RetryCode,
  type ScriptPreview,
} from '../campaign-types';
import { NoPractice, Notice } from '../components';
import { Alert, Page } from '../layout';
import { dateTime, usePracticeBase } from '../records';
import { CampaignStatusBadge, dateOnly } from './campaigns';

type Eligibility = ReturnType<typeof useApi<EligibilitySummary>>;

export function CampaignDetailPage() {
  const base = usePracticeBase();
  const { campaignId = '' } = useParams();
  if (!base) {
    return (
      <Page title="Campaign" testId="campaign-detail">
        <NoPractice what="campaigns" />
      </Page>
    );
  }
  const path = `${base}/campaigns/${encodeURIComponent(campaignId)}`;
  return <CampaignLoader key={path} base={base} path={path} />;
}

function CampaignLoader({ base, path }: { base: string; path: string }) {
  const loaded = useApi<CampaignView>(path);
  const [updated, setUpdated] = useState<CampaignView | null>(null);
  const view = updated ?? loaded.data;
  return (
    <Page title={view?.name ?? 'Campaign'} testId="campaign-detail">
      <p className="back">
        <Link to="/manager/campaigns">← All campaigns</Link>
      </p>
      <Alert message={loaded.error} />
      {!view && loaded.loading && <p className="muted">Loading…</p>}
      {view && <Campaign base={base} path={path} view={view} onChange={setUpdated} />}
    </Page>
  );
}

const SECTIONS: [id: string, label: string][] = [
  ['targeting', 'Targeting'],
  ['eligibility', 'Who is in'],
  ['plan', 'Plan'],
  ['scripts', 'Scripts'],
];

function Campaign({
  base,
  path,
  view,
  onChange,
}: {
  base: string;
  path: string;
  view: CampaignView;
  onChange(view: CampaignView): void;
}) {
  const types = useApi<List<CampaignTypeInfo>>('/api/campaign-types');
  const eligibility = useApi<EligibilitySummary>(`${path}/eligibility`);
  const [listVersion, setListVersion] = useState(0);
  const typeInfo = types.data?.items.find((t) => t.type === view.type);
  const contacts = view.audience === 'contacts';
  const category = view.rule.contactCategory ?? typeInfo?.defaultRule.contactCategory;

  /** Eligibility depends on the rule, the settings, the lifecycle and the contact list. */
  const refresh = () => {
    eligibility.reload();
    setListVersion((v) => v + 1);
  };

  return (
    <>
      <Header path={path} view={view} onChange={onChange} onRefresh={refresh} />
      <nav className="section-nav" aria-label="Sections">
        {(contacts ? [['contacts', 'Contacts list'], ...SECTIONS] : SECTIONS).map(([id, label]) => (
          <a key={id} href={`#${id}`}>
            {label}
          </a>
        ))}
      </nav>
      {contacts && category && <ContactsImport base={base} category={category} onImported={refresh} />}
      <Targeting
        key={view.id}
        base={base}
        path={path}
        view={view}
        onSaved={(next) => {
          onChange(next);
          refresh();
        }}
      />
      <WhoIsIn path={path} view={view} eligibility={eligibility} listVersion={listVersion} />
      <PlanSection
        key={`plan-${view.id}`}
        path={path}
        view={view}
        patients={eligibility.data?.eligible ?? (eligibility.error ? view.planPatients : null)}
        onSaved={onChange}
      />
      <Scripts key={`scripts-${view.id}`} path={path} view={view} onSaved={onChange} />
    </>
  );
}

// Header: status and lifecycle -----------------------------------------------------------------

const ACTION_LABELS: Record<CampaignAction, string> = {
  launch: 'Launch',
  pause: 'Pause',
  resume: 'Resume',
  complete: 'Complete',
};

function Header({
  path,
  view,
  onChange,
  onRefresh,
}: {
  path: string;
  view: CampaignView;
  onChange(view: CampaignView): void;
  onRefresh(): void;
}) {
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const act = async (action: CampaignAction) => {
    if (
      action === 'complete' &&
      !window.confirm(
        `Complete “${view.name}”? Nobody in it will be called any more, and it cannot be restarted.`,
      )
    ) {
      return;
    }
    setBusy(true);
    setNotice(null);
    setError(null);
    try {
      const next = await api<CampaignView>(`${path}/${action}`, { method: 'POST' });
      onChange(next);
      setNotice(`“${next.name}” is now ${CAMPAIGN_STATUS_LABELS[next.status].toLowerCase()}.`);
      onRefresh();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card campaign-head" aria-labelledby="campaign-head-heading">
      <h2 id="campaign-head-heading" className="visually-hidden">
        Status
      </h2>
      <div className="section-head">
        <p className="campaign-meta">
          <CampaignStatusBadge status={view.status} /> <strong>{view.typeLabel}</strong>
          <span className="muted">
            {' '}
            · calls {view.audience} · {view.members.open.toLocaleString()} open of{' '}
            {view.members.total.toLocaleString()} members · created {dateOnly(view.createdAt)}
            {view.launchedAt && ` · launched ${dateOnly(view.launchedAt)}`}
            {view.completedAt && ` · completed ${dateOnly(view.completedAt)}`}
          </span>
        </p>
        <div className="buttons">
          {view.allowedActions.map((action) => (
            <button
              key={action}
              type="button"
              className={action === 'complete' ? 'secondary' : undefined}
              disabled={busy}
              onClick={() => void act(action)}
            >
              {ACTION_LABELS[action]}
            </button>
          ))}
        </div>
      </div>
      {view.status === 'draft' && (
        <p className="muted">Save a plan below before launching; launching also needs at least one agent.</p>
      )}
      <Notice message={notice} />
      <Alert message={error} />
    </section>
  );
}

// Targeting and settings -----------------------------------------------------------------------

type RuleKind = 'lastEncounter' | 'lastAppointment' | 'completedVisit' | 'lost' | 'neverSeen' | 'contacts';

const RULE_KINDS: Record<CampaignType, RuleKind> = {
  reactivation: 'lastEncounter',
  no_show: 'lastAppointment',
  cancelled: 'lastAppointment',
  no_encounters: 'neverSeen',
  patient_reviews: 'completedVisit',
  patient_referrals: 'completedVisit',
  existing_partners: 'contacts',
  new_partners: 'contacts',
  community_outreach: 'contacts',
  win_back: 'lost',
};

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

interface TargetingForm {
  encounterMin: string;
  encounterMax: string;
  withinDays: string;
  completedWithinDays: string;
  lostDays: string;
  providers: string;
  locations: string;
  states: string;
  ageMin: string;
  ageMax: string;
  attemptCap: string;
  cycleWorkingDays: string;
  callsPerAgentPerDay: string;
  upcomingAppointmentDays: string;
  touches: string;
  touchWindowDays: string;
  callbackNumber: string;
  retry: Record<RetryCode, string>;
  workingDays: number[];
  start: string;
  end: string;
  agentIds: string[];
}

const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));
const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const optionalNumber = (s: string) => (s.trim() === '' ? undefined : Number(s));

function initialTargeting(view: CampaignView): TargetingForm {
  const { rule: r, settings: s } = view;
  return {
    encounterMin: text(r.lastEncounterMonths?.min),
    encounterMax: text(r.lastEncounterMonths?.max),
    withinDays: text(r.lastAppointment?.withinDays),
    completedWithinDays: text(r.completedVisitWithinDays),
    lostDays: text(r.lostAtLeastDaysAgo),
    providers: (r.providers ?? []).join(', '),
    locations: (r.locations ?? []).join(', '),
    states: (r.states ?? []).join(', '),
    ageMin: text(r.ageMin),
    ageMax: text(r.ageMax),
    attemptCap: text(s.attemptCap),
    cycleWorkingDays: text(s.cycleWorkingDays),
    callsPerAgentPerDay: text(s.callsPerAgentPerDay),
    upcomingAppointmentDays: text(s.upcomingAppointmentDays),
    touches: text(s.touches),
    touchWindowDays: text(s.touchWindowDays),
    callbackNumber: s.callbackNumber ?? '',
    retry: Object.fromEntries(RETRY_CODES.map((c) => [c, text(s.retryDelayDays[c])])) as Record<
      RetryCode,
      string
    >,
    workingDays: [...s.workingDays],
    start: s.callingHours.start,
    end: s.callingHours.end,
    agentIds: view.agents.map((a) => a.id),
  };
}

/** The rule fields this form edits; the PATCH lays them over the stored rule, and null removes one. */
function buildRule(view: CampaignView, kind: RuleKind, f: TargetingForm): Record<string, unknown> {
  const rule: Record<string, unknown> = { states: list(f.states).map((s) => s.toUpperCase()) };
  if (kind === 'lastEncounter') {
    rule.lastEncounterMonths = { min: Number(f.encounterMin), max: Number(f.encounterMax) };
  } else if (kind === 'lastAppointment') {
    const status = view.rule.lastAppointment?.status ?? (view.type === 'no_show' ? 'no_show' : 'cancelled');
    rule.lastAppointment = { status, withinDays: Number(f.withinDays) };
  } else if (kind === 'completedVisit') {
    rule.completedVisitWithinDays = Number(f.completedWithinDays);
  } else if (kind === 'lost') {
    rule.lostAtLeastDaysAgo = Number(f.lostDays);
  }
  if (kind !== 'contacts') {
    rule.providers = list(f.providers);
    rule.locations = list(f.locations);
    rule.ageMin = optionalNumber(f.ageMin) ?? null;
    rule.ageMax = optionalNumber(f.ageMax) ?? null;
  }
  return rule;
}

function buildSettings(view: CampaignView, f: TargetingForm) {
  return {
    ...view.settings,
    attemptCap: Number(f.attemptCap),
    cycleWorkingDays: Number(f.cycleWorkingDays),
    callsPerAgentPerDay: Number(f.callsPerAgentPerDay),
    upcomingAppointmentDays: Number(f.upcomingAppointmentDays),
    touches: Number(f.touches),
    touchWindowDays: Number(f.touchWindowDays),
    callbackNumber: f.callbackNumber.trim() || null,
    retryDelayDays: Object.fromEntries(RETRY_CODES.map((c) => [c, Number(f.retry[c])])) as Record<
      RetryCode,
      number
    >,
    workingDays: [...f.workingDays].sort((a, b) => a - b),
    callingHours: { start: f.start, end: f.end },
  };
}

function NumberField({
  id,
  label,
  value,
  onChange,
  min = 0,
  max,
  disabled,
  hint,
  required = true,
}: {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  min?: number;
  max?: number;
  disabled?: boolean;
  hint?: string;
  required?: boolean;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        step={1}
        min={min}
        max={max}
        required={required}
        disabled={disabled}
        aria-describedby={hint ? `${id}-hint` : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint && <small id={`${id}-hint`}>{hint}</small>}
    </div>
  );
}

function TextField({
  id,
  label,
  value,
  onChange,
  disabled,
  hint,
  type = 'text',
  maxLength,
}: {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  disabled?: boolean;
  hint?: string;
  type?: 'text' | 'tel' | 'time';
  maxLength?: number;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        autoComplete="off"
        required={type === 'time'}
        maxLength={maxLength}
        disabled={disabled}
        aria-describedby={hint ? `${id}-hint` : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint && <small id={`${id}-hint`}>{hint}</small>}
    </div>
  );
}

function Targeting({
  base,
  path,
  view,
  onSaved,
}: {
  base: string;
  path: string;
  view: CampaignView;
  onSaved(view: CampaignView): void;
}) {
  const agents = useApi<List<AgentRef>>(`${base}/agents`);
  const [form, setForm] = useState(() => initialTargeting(view));
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const kind = RULE_KINDS[view.type] ?? 'neverSeen';
  const contacts = view.audience === 'contacts';
  const ruleEditable = view.status === 'draft' || view.status === 'planned';
  const editable = view.status !== 'completed';
  const ruleLocked = !ruleEditable || busy;
  const set = <K extends keyof TargetingForm>(key: K, value: TargetingForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

  // Agents no longer active still show, so that saving does not drop them unnoticed.
  const agentChoices = [
    ...(agents.data?.items ?? []),
    ...view.agents.filter((a) => !agents.data?.items.some((b) => b.id === a.id)),
  ];

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (form.workingDays.length === 0) {
      setError('Choose at least one working day.');
      return;
    }
    setBusy(true);
    setNotice(null);
    setError(null);
    try {
      const body = {
        agentIds: form.agentIds,
        settings: buildSettings(view, form),
        ...(ruleEditable ? { rule: buildRule(view, kind, form) } : {}),
      };
      onSaved(await api<CampaignView>(path, { method: 'PATCH', body }));
      setNotice(ruleEditable ? 'Targeting and settings saved.' : 'Settings saved.');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const people = contacts ? 'contacts' : 'patients';
  return (
    <form
      id="targeting"
      className="card campaign-section"
      onSubmit={submit}
      aria-labelledby="targeting-heading"
      data-testid="targeting-form"
    >
      <h2 id="targeting-heading">Targeting and settings</h2>
      {!ruleEditable && (
        <p className="muted">The campaign was launched: its targeting is fixed; settings can still change.</p>
      )}
      <fieldset disabled={ruleLocked}>
        <legend>Who is targeted</legend>
        <div className="field-grid">
          {kind === 'lastEncounter' && (
            <>
              <NumberField
                id="rule-encounter-min"
                label="Last encounter at least (months ago)"
                value={form.encounterMin}
                max={600}
                onChange={(v) => set('encounterMin', v)}
              />
              <NumberField
                id="rule-encounter-max"
                label="Last encounter at most (months ago)"
                value={form.encounterMax}
                max={600}
                onChange={(v) => set('encounterMax', v)}
              />
            </>
          )}
          {kind === 'lastAppointment' && (
            <NumberField
              id="rule-within-days"
              label={`Last appointment ${view.type === 'no_show' ? 'a no-show' : 'cancelled'} within (days)`}
              value={form.withinDays}
              min={1}
              max={3650}
              onChange={(v) => set('withinDays', v)}
              hint="Patients who rebooked since are not targeted."
            />
          )}
          {kind === 'completedVisit' && (
            <NumberField
              id="rule-completed-days"
              label="Completed visit within (days)"
              value={form.completedWithinDays}
              min={1}
              max={3650}
              onChange={(v) => set('completedWithinDays', v)}
            />
          )}
          {kind === 'lost' && (
            <NumberField
              id="rule-lost-days"
              label="Dispositioned LOST at least (days ago)"
              value={form.lostDays}
              max={3650}
              onChange={(v) => set('lostDays', v)}
              hint="In another campaign of the practice."
            />
          )}
          {kind === 'neverSeen' && (
            <p className="muted rule-note">Registered patients with no encounter and no completed visit.</p>
          )}
          {kind === 'contacts' && (
            <p className="muted rule-note">
              Contacts of the list “
              {view.rule.contactCategory
                ? CONTACT_CATEGORY_LABELS[view.rule.contactCategory]
                : view.typeLabel}
              ”.
            </p>
          )}
        </div>
        <div className="field-grid">
          {!contacts && (
            <>
              <TextField
                id="rule-providers"
                label="Providers"
                value={form.providers}
                onChange={(v) => set('providers', v)}
                hint="Comma-separated, as in the EMR; empty for any."
              />
              <TextField
                id="rule-locations"
                label="Locations"
                value={form.locations}
                onChange={(v) => set('locations', v)}
                hint="Comma-separated; empty for any."
              />
            </>
          )}
          <TextField
            id="rule-states"
            label="States"
            value={form.states}
            onChange={(v) => set('states', v)}
            hint="Two-letter codes, comma-separated; empty for any."
          />
          {!contacts && (
            <>
              <NumberField
                id="rule-age-min"
                label="Age from (years)"
                value={form.ageMin}
                required={false}
                max={130}
                onChange={(v) => set('ageMin', v)}
              />
              <NumberField
                id="rule-age-max"
                label="Age to (years)"
                value={form.ageMax}
                required={false}
                max={130}
                onChange={(v) => set('ageMax', v)}
                hint="Inclusive; empty for any."
              />
            </>
          )}
        </div>
      </fieldset>

      <fieldset disabled={!editable || busy}>
        <legend>How {people} are called</legend>
        <div className="field-grid">
          <NumberField
            id="settings-attempt-cap"
            label={`Attempts per ${contacts ? 'contact' : 'patient'}`}
            value={form.attemptCap}
            min={1}
            max={20}
            onChange={(v) => set('attemptCap', v)}
          />
          <NumberField
            id="settings-cycle-days"
            label="Cycle length (working days)"
            value={form.cycleWorkingDays}
            min={1}
            max={30}
            onChange={(v) => set('cycleWorkingDays', v)}
          />
          <NumberField
            id="settings-calls-per-day"
            label="Calls per agent per day"
            value={form.callsPerAgentPerDay}
            min={1}
            max={1000}
            onChange={(v) => set('callsPerAgentPerDay', v)}
          />
          {contacts ? (
            <>
              <NumberField
                id="settings-touches"
                label="Touches per contact"
                value={form.touches}
                min={1}
                max={50}
                onChange={(v) => set('touches', v)}
              />
              <NumberField
                id="settings-touch-window"
                label="Over (days)"
                value={form.touchWindowDays}
                min={1}
                max={730}
                onChange={(v) => set('touchWindowDays', v)}
              />
            </>
          ) : (
            <NumberField
              id="settings-upcoming-days"
              label="Skip patients with an appointment within (days)"
              value={form.upcomingAppointmentDays}
              max={365}
              onChange={(v) => set('upcomingAppointmentDays', v)}
            />
          )}
          <TextField
            id="settings-callback"
            type="tel"
            label="Callback number"
            maxLength={40}
            value={form.callbackNumber}
            onChange={(v) => set('callbackNumber', v)}
            hint="The number voicemails ask to call back."
          />
          <TextField
            id="settings-hours-start"
            type="time"
            label="Calling from"
            value={form.start}
            onChange={(v) => set('start', v)}
          />
          <TextField
            id="settings-hours-end"
            type="time"
            label="Calling until"
            value={form.end}
            onChange={(v) => set('end', v)}
            hint="Practice time; federal and state windows still apply."
          />
        </div>
        <fieldset className="weekdays">
          <legend>Working days</legend>
          <ul className="checks inline-checks">
            {WEEKDAYS.map((day, i) => (
              <li key={day} className="field checkbox">
                <input
                  type="checkbox"
                  id={`settings-day-${i + 1}`}
                  checked={form.workingDays.includes(i + 1)}
                  onChange={(e) =>
                    set(
                      'workingDays',
                      e.target.checked
                        ? [...form.workingDays, i + 1]
                        : form.workingDays.filter((d) => d !== i + 1),
                    )
                  }
                />
                <label htmlFor={`settings-day-${i + 1}`}>{day}</label>
              </li>
            ))}
          </ul>
        </fieldset>
        <fieldset>
          <legend>Retry after (days), per disposition</legend>
          <div className="retry-grid">
            {RETRY_CODES.map((code) => (
              <div className="field" key={code}>
                <label htmlFor={`settings-retry-${code}`}>
                  <code>{code}</code>
                </label>
                <input
                  id={`settings-retry-${code}`}
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={90}
                  step={1}
                  required
                  aria-describedby={`settings-retry-${code}-hint`}
                  value={form.retry[code]}
                  onChange={(e) => set('retry', { ...form.retry, [code]: e.target.value })}
                />
                <small id={`settings-retry-${code}-hint`}>{RETRY_CODE_LABELS[code]}</small>
              </div>
            ))}
          </div>
        </fieldset>
      </fieldset>

      <fieldset disabled={!editable || busy}>
        <legend>Agents</legend>
        <Alert message={agents.error} />
        {agents.data && agentChoices.length === 0 && (
          <p className="muted">No active agents in this practice yet.</p>
        )}
        <ul className="checks inline-checks">
          {agentChoices.map((a) => (
            <li key={a.id} className="field checkbox">
              <input
                type="checkbox"
                id={`targeting-agent-${a.id}`}
                checked={form.agentIds.includes(a.id)}
                onChange={(e) =>
                  set(
                    'agentIds',
                    e.target.checked ? [...form.agentIds, a.id] : form.agentIds.filter((x) => x !== a.id),
                  )
                }
              />
              <label htmlFor={`targeting-agent-${a.id}`}>
                {a.displayName} <span className="muted">({a.login})</span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <Notice message={notice} />
      <Alert message={error} />
      {editable && (
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save targeting and settings'}
        </button>
      )}
    </form>
  );
}

// Who is in, and why not -----------------------------------------------------------------------

const PAGE_SIZE = 50;

function WhoIsIn({
  path,
  view,
  eligibility,
  listVersion,
}: {
  path: string;
  view: CampaignView;
  eligibility: Eligibility;
  listVersion: number;
}) {
  const [reason, setReason] = useState<MemberListReason | null>(null);
  const summary = eligibility.data;
  const contacts = view.audience === 'contacts';
  const people = contacts ? 'contacts' : 'patients';
  const labels = useMemo(() => {
    const map = new Map<string, string>([
      ['eligible', 'Eligible'],
      ['not_target', 'Not in the target'],
    ]);
    for (const e of summary?.exclusions ?? []) map.set(e.reason, e.label);
    return map;
  }, [summary]);

  const reasonButton = (r: MemberListReason, label: string, count: number) => (
    <button
      type="button"
      className="link"
      aria-pressed={reason === r}
      aria-controls="member-list"
      disabled={count === 0}
      onClick={() => setReason(r)}
    >
      {label}
    </button>
  );

  return (
    <section id="eligibility" className="card campaign-section" aria-labelledby="eligibility-heading">
      <div className="section-head">
        <h2 id="eligibility-heading">Who is in and why not</h2>
        <button type="button" className="secondary small" onClick={eligibility.reload}>
          Refresh
        </button>
      </div>
      <Alert message={eligibility.error} />
      {!summary && eligibility.loading && <p className="muted">Counting…</p>}
      {summary && (
        <div data-testid="eligibility" aria-busy={eligibility.loading}>
          <ul className="stats" aria-label="Population">
            <li className="stat">
              <span className="stat-value" data-testid="eligibility-population">
                {summary.population.toLocaleString()}
              </span>
              <span className="stat-label">{people} in the practice</span>
            </li>
            <li className="stat">
              <span className="stat-value" data-testid="eligibility-candidates">
                {summary.candidates.toLocaleString()}
              </span>
              <span className="stat-label">match the target</span>
            </li>
            <li className="stat stat-accepted">
              <span className="stat-value" data-testid="eligibility-eligible">
                {summary.eligible.toLocaleString()}
              </span>
              <span className="stat-label">eligible to call</span>
            </li>
          </ul>
          <table className="exclusions">
            <caption>
              Of the {summary.candidates.toLocaleString()} matching the target
              <small>A {contacts ? 'contact' : 'patient'} can be excluded for several reasons.</small>
            </caption>
            <thead>
              <tr>
                <th scope="col">Reason</th>
                <th scope="col" className="num">
                  {people}
                </th>
              </tr>
            </thead>
            <tbody>
              <tr className="row-eligible" data-testid="eligible-row">
                <th scope="row">{reasonButton('eligible', 'Eligible', summary.eligible)}</th>
                <td className="num">{summary.eligible.toLocaleString()}</td>
              </tr>
              {summary.exclusions.map((e) => (
                <tr
                  key={e.reason}
                  data-testid={`exclusion-${e.reason}`}
                  className={e.count ? undefined : 'inactive'}
                >
                  <th scope="row">{reasonButton(e.reason, e.label, e.count)}</th>
                  <td className="num">{e.count.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr data-testid="not-target-row">
                <th scope="row">
                  {reasonButton(
                    'not_target',
                    'Not in the target',
                    Math.max(0, summary.population - summary.candidates),
                  )}
                </th>
                <td className="num">
                  {Math.max(0, summary.population - summary.candidates).toLocaleString()}
                </td>
              </tr>
            </tfoot>
          </table>
          <small className="elapsed">
            Evaluated for {summary.asOf} in {summary.elapsedMs.toLocaleString()} ms
          </small>
        </div>
      )}
      {reason && (
        <MemberList
          key={`${reason}-${listVersion}`}
          path={path}
          reason={reason}
          label={labels.get(reason) ?? reason}
          labels={labels}
          contacts={contacts}
          onClose={() => setReason(null)}
        />
      )}
      {!contacts && <Explain path={path} />}
    </section>
  );
}

function MemberList({
  path,
  reason,
  label,
  labels,
  contacts,
  onClose,
}: {
  path: string;
  reason: MemberListReason;
  label: string;
  labels: Map<string, string>;
  contacts: boolean;
  onClose(): void;
}) {
  const [offset, setOffset] = useState(0);
  const params = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset) });
  const members = useApi<MemberPage>(`${path}/eligibility/${reason}?${params}`);
  const total = members.data?.total ?? 0;
  const columns = contacts ? 2 : 7;

  return (
    <div id="member-list" className="member-list" data-testid="member-list">
      <div className="section-head">
        <h3>
          {label}
          {members.data && <span className="muted"> · {total.toLocaleString()}</span>}
        </h3>
        <button type="button" className="secondary small" onClick={onClose}>
          Close list
        </button>
      </div>
      <Alert message={members.error} />
      <div className="table-scroll">
        <table aria-busy={members.loading}>
          <caption className="visually-hidden">{label}</caption>
          <thead>
            <tr>
              {!contacts && <th scope="col">MRN</th>}
              <th scope="col">Name</th>
              {!contacts && (
                <>
                  <th scope="col">Date of birth</th>
                  <th scope="col">Last encounter</th>
                  <th scope="col">Last appointment</th>
                  <th scope="col">Next appointment</th>
                </>
              )}
              <th scope="col">Reasons</th>
            </tr>
          </thead>
          <tbody>
            {members.data?.items.map((m) => (
              <tr key={m.id}>
                {!contacts && <td>{m.mrn ? <code>{m.mrn}</code> : '—'}</td>}
                <td>{m.name}</td>
                {!contacts && (
                  <>
                    <td>{m.birthDate ?? '—'}</td>
                    <td>{m.lastEncounterOn ?? '—'}</td>
                    <td>
                      {m.lastAppointment
                        ? `${m.lastAppointment.on} (${m.lastAppointment.status.replace('_', '-')})`
                        : '—'}
                    </td>
                    <td>{m.nextAppointmentOn ?? '—'}</td>
                  </>
                )}
                <td>
                  {m.reasons.length === 0 ? (
                    <span className="muted">{reason === 'not_target' ? 'not in the target' : 'none'}</span>
                  ) : (
                    <ul className="plain">
                      {m.reasons.map((r) => (
                        <li key={r}>{labels.get(r) ?? r}</li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
            {members.data?.items.length === 0 && (
              <tr>
                <td colSpan={columns} className="muted">
                  Nobody here.
                </td>
              </tr>
            )}
            {!members.data && members.loading && (
              <tr>
                <td colSpan={columns} className="muted">
                  Loading…
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {total > PAGE_SIZE && (
        <nav className="pager" aria-label={`Pages of ${label}`}>
          <button
            type="button"
            className="secondary"
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
          >
            Previous
          </button>
          <span>
            {offset + 1}–{Math.min(offset + PAGE_SIZE, total)} of {total.toLocaleString()}
          </span>
          <button
            type="button"
            className="secondary"
            disabled={offset + PAGE_SIZE >= total}
            onClick={() => setOffset(offset + PAGE_SIZE)}
          >
            Next
          </button>
        </nav>
      )}
    </div>
  );
}

function Explain({ path }: { path: string }) {
  const [mrn, setMrn] = useState('');
  const [result, setResult] = useState<PatientExplanation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const wanted = mrn.trim();
    if (!wanted) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api<PatientExplanation>(`${path}/explain?${new URLSearchParams({ mrn: wanted })}`));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="explain">
      <form onSubmit={submit} aria-labelledby="explain-heading">
        <h3 id="explain-heading">Why not this patient?</h3>
        <label htmlFor="explain-mrn">MRN</label>
        <div className="inline">
          <input
            id="explain-mrn"
            required
            maxLength={100}
            autoComplete="off"
            spellCheck={false}
            value={mrn}
            onChange={(e) => setMrn(e.target.value)}
          />
          <button type="submit" disabled={busy}>
            {busy ? 'Checking…' : 'Explain'}
          </button>
        </div>
      </form>
      <Alert message={error} />
      <div role="status">
        {result && (
          <div className="explain-result" data-testid="explain-result">
            <p className={result.eligible ? 'callable yes' : 'callable no'}>
              <strong>
                {result.patient.name} (MRN <code>{result.patient.mrn ?? '—'}</code>):{' '}
                {result.eligible ? 'eligible, will be called' : 'not eligible'}
              </strong>
            </p>
            <p>
              {result.inTarget ? 'In the target' : 'Not in the target'}
              {result.targetDetail && `: ${result.targetDetail}`}
            </p>
            {result.reasons.length > 0 && (
              <ul className="reasons">
                {result.reasons.map((r) => (
                  <li key={r.reason} data-testid={`explain-${r.reason}`}>
                    <strong>{r.label}</strong>
                    {r.detail && r.detail !== result.targetDetail && (
                      <span className="muted"> · {r.detail}</span>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
    </div>
  );
}

// The ROI plan ---------------------------------------------------------------------------------

type InputKind = 'count' | 'percent' | 'money' | 'decimal';

interface PlanField {
  key: keyof PlanInputs;
  label: string;
  kind: InputKind;
  hint?: string;
  optional?: boolean;
}

const PLAN_FIELDS: PlanField[] = [
  { key: 'dialsPerAgentPerDay', label: 'Dials per agent per day', kind: 'count' },
  { key: 'pickupRate', label: 'Pickup rate', kind: 'percent', hint: 'Dials answered.' },
  { key: 'bookingRate', label: 'Booking rate', kind: 'percent', hint: 'Of the contacts.' },
  { key: 'showRate', label: 'Show rate', kind: 'percent', hint: 'Bookings that are kept.' },
  { key: 'revenuePerVisit', label: 'Revenue per kept visit', kind: 'money' },
  { key: 'agentMonthlyCost', label: 'Agent cost per month', kind: 'money' },
  { key: 'weeksPerMonth', label: 'Weeks per month', kind: 'decimal', hint: '52 / 12 = 4.3333' },
  { key: 'numbersPerAgentPerMonth', label: 'Numbers per agent per month', kind: 'count' },
  { key: 'workingDaysPerWeek', label: 'Working days per week', kind: 'count' },
  {
    key: 'agents',
    label: 'Agents (optional)',
    kind: 'count',
    optional: true,
    hint: 'Empty: as many as the eligible population needs.',
  },
];

type PlanTexts = Record<keyof PlanInputs, string>;

function planText(field: PlanField, value: number | undefined): string {
  if (value === undefined || value === null) return '';
  if (field.kind === 'percent') return String(Number((value * 100).toFixed(4)));
  if (field.kind === 'decimal') return String(Number(value.toFixed(4)));
  return String(value);
}

/**
 * The inputs typed so far, or the labels of those that are not numbers. A field still showing
 * a saved or default value sends that exact value (52/12, not the 4.3333 on screen).
 */
function parsePlan(texts: PlanTexts, saved: PlanInputs): { inputs: PlanInputs } | { invalid: string[] } {
  const inputs: Partial<PlanInputs> = {};
  const invalid: string[] = [];
  for (const field of PLAN_FIELDS) {
    const raw = texts[field.key].trim();
    const exact = [saved[field.key], DEFAULT_PLAN_INPUTS[field.key]].find(
      (v) => v !== undefined && planText(field, v) === raw,
    );
    if (raw === '' && field.optional) continue;
    const typed = Number(raw);
    if (exact === undefined && (raw === '' || !Number.isFinite(typed) || typed < 0)) {
      invalid.push(field.label);
      continue;
    }
    inputs[field.key] = exact ?? (field.kind === 'percent' ? typed / 100 : typed);
  }
  return invalid.length > 0 ? { invalid } : { inputs: inputs as PlanInputs };
}

function PlanSection({
  path,
  view,
  patients,
  onSaved,
}: {
  path: string;
  view: CampaignView;
  /** The eligible population the preview plans for; null until it is known. */
  patients: number | null;
  onSaved(view: CampaignView): void;
}) {
  const saved = view.plan ?? DEFAULT_PLAN_INPUTS;
  const editable = view.status === 'draft' || view.status === 'planned';
  const [texts, setTexts] = useState<PlanTexts>(
    () => Object.fromEntries(PLAN_FIELDS.map((f) => [f.key, planText(f, saved[f.key])])) as PlanTexts,
  );
  const [preview, setPreview] = useState<PlanResult | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const parsed = useMemo(() => parsePlan(texts, saved), [texts, saved]);
  const request =
    editable && 'inputs' in parsed && patients !== null
      ? JSON.stringify({ inputs: parsed.inputs, patients })
      : null;

  useEffect(() => {
    if (!request) return;
    let current = true;
    const timer = setTimeout(() => {
      api<PlanResult>('/api/plan', { method: 'POST', body: JSON.parse(request) as unknown }).then(
        (result) => {
          if (!current) return;
          setPreview(result);
          setPreviewError(null);
        },
        (e: unknown) => current && setPreviewError(errorText(e)),
      );
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [request]);

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!('inputs' in parsed)) return;
    setBusy(true);
    setNotice(null);
    setError(null);
    try {
      const next = await api<CampaignView>(`${path}/plan`, { method: 'PUT', body: parsed.inputs });
      onSaved(next);
      setNotice(
        `Plan saved for ${(next.planPatients ?? 0).toLocaleString()} eligible ${view.audience}.` +
          (next.status === 'planned' ? ' The campaign can be launched.' : ''),
      );
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const reset = () =>
    setTexts(
      Object.fromEntries(
        PLAN_FIELDS.map((f) => [f.key, planText(f, DEFAULT_PLAN_INPUTS[f.key])]),
      ) as PlanTexts,
    );

  const shown = editable ? (preview ?? view.planResult) : view.planResult;
  return (
    <section id="plan" className="card campaign-section" aria-labelledby="plan-heading">
      <h2 id="plan-heading">The plan</h2>
      <p className="muted">
        {view.planSavedAt
          ? `Saved ${dateTime(view.planSavedAt)} for ${(view.planPatients ?? 0).toLocaleString()} eligible ${view.audience}.`
          : 'No plan saved yet: the campaign cannot be launched without one.'}
        {editable &&
          patients !== null &&
          view.planPatients !== null &&
          patients !== view.planPatients &&
          ` ${patients.toLocaleString()} are eligible now; save again to plan for them.`}
      </p>
      <div className="plan-layout">
        <form onSubmit={submit} aria-labelledby="plan-inputs-heading" data-testid="plan-form">
          <h3 id="plan-inputs-heading">Inputs</h3>
          <fieldset disabled={!editable || busy} className="plan-inputs">
            <legend className="visually-hidden">Plan inputs</legend>
            {PLAN_FIELDS.map((f) => (
              <div className="field" key={f.key}>
                <label htmlFor={`plan-input-${f.key}`}>{f.label}</label>
                <div className={`adorned adorned-${f.kind}`}>
                  {f.kind === 'money' && <span aria-hidden="true">$</span>}
                  <input
                    id={`plan-input-${f.key}`}
                    type="number"
                    inputMode="decimal"
                    step="any"
                    min={0}
                    max={f.kind === 'percent' ? 100 : undefined}
                    required={!f.optional}
                    aria-describedby={f.hint ? `plan-input-${f.key}-hint` : undefined}
                    value={texts[f.key]}
                    onChange={(e) => setTexts((t) => ({ ...t, [f.key]: e.target.value }))}
                  />
                  {f.kind === 'percent' && <span aria-hidden="true">%</span>}
                </div>
                {f.hint && <small id={`plan-input-${f.key}-hint`}>{f.hint}</small>}
              </div>
            ))}
          </fieldset>
          {'invalid' in parsed && (
            <p className="problem-text">Enter a number for: {parsed.invalid.join(', ')}.</p>
          )}
          {/* "can be launched" is stale once it is. */}
          <Notice message={editable ? notice : null} />
          <Alert message={error} />
          {editable && (
            <div className="buttons">
              <button type="submit" disabled={busy || !('inputs' in parsed)}>
                {busy ? 'Saving…' : 'Save plan'}
              </button>
              <button type="button" className="secondary" disabled={busy} onClick={reset}>
                Reset to defaults
              </button>
            </div>
          )}
        </form>
        <div className="plan-output">
          <h3>
            {editable ? 'Preview' : 'Saved plan'}
            {shown && (
              <span className="muted">
                {' '}
                · {shown.patients.toLocaleString()} {view.audience}
              </span>
            )}
          </h3>
          <Alert message={previewError} />
          {!shown && patients === null && <p className="muted">Waiting for the eligibility count…</p>}
          {shown && <PlanFigures result={shown} />}
        </div>
      </div>
    </section>
  );
}

const count = (n: number | null) =>
  n === null ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: 2 });
const percent = (n: number | null) =>
  n === null ? '—' : `${n.toLocaleString('en-US', { maximumFractionDigits: 2 })}%`;

type Figure = keyof Omit<PlanResult, 'inputs' | 'campaign'>;
type CampaignFigure = keyof PlanResult['campaign'];

const SCALED: [key: Figure & CampaignFigure, label: string, format: (n: number | null) => string][] = [
  ['contactsPerDay', 'Contacts / day', count],
  ['bookingsPerDay', 'Bookings / day', count],
  ['dailyListReduction', 'List reduction / day', count],
  ['weeklyListSize', 'Numbers for a weekly cadence', count],
  ['bookingsPerWeek', 'Bookings / week', count],
  ['keptVisitsPerWeek', 'Kept visits / week', count],
  ['revenuePerWeek', 'Revenue / week', money],
  ['revenuePerMonth', 'Revenue / month', money],
  ['costPerMonth', 'Cost / month', money],
  ['netPerMonth', 'Net / month', money],
  ['roiPercent', 'ROI', percent],
  ['breakEvenKeptVisitsPerMonth', 'Break-even kept visits / month', count],
  ['breakEvenBookingsPerMonth', 'Break-even bookings / month', count],
];

const PER_AGENT: [key: Figure, label: string, format: (n: number | null) => ReactNode][] = [
  ['conversionRate', 'Conversion (bookings per dial)', (n) => percent(n === null ? null : n * 100)],
];

const STAFFING: [key: Figure, label: string][] = [
  ['agentsNeeded', 'Agents needed'],
  ['agents', 'Agents staffed'],
  ['daysToExhaust', 'Working days to exhaust the list'],
];

function PlanFigures({ result }: { result: PlanResult }) {
  return (
    <div data-testid="plan-results" aria-live="polite">
      <table className="plan-table">
        <caption className="visually-hidden">Plan figures</caption>
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col" className="num">
              Per agent
            </th>
            <th scope="col" className="num">
              Campaign ({result.campaign.agents} {result.campaign.agents === 1 ? 'agent' : 'agents'})
            </th>
          </tr>
        </thead>
        <tbody>
          {PER_AGENT.map(([key, label, format]) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              <td className="num" data-testid={`plan-${key}`}>
                {format(result[key])}
              </td>
              <td className="num muted">—</td>
            </tr>
          ))}
          {SCALED.map(([key, label, format]) => (
            <tr key={key} className={key === 'netPerMonth' ? 'total' : undefined}>
              <th scope="row">{label}</th>
              <td className="num" data-testid={`plan-${key}`}>
                {format(result[key])}
              </td>
              <td className="num" data-testid={`plan-campaign-${key}`}>
                {format(result.campaign[key])}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="facts staffing">
        {STAFFING.map(([key, label]) => (
          <FactRow key={key} label={label} testId={`plan-${key}`} value={count(result[key])} />
        ))}
      </dl>
    </div>
  );
}

function FactRow({ label, value, testId }: { label: string; value: ReactNode; testId: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </>
  );
}

// Scripts --------------------------------------------------------------------------------------

function Scripts({
  path,
  view,
  onSaved,
}: {
  path: string;
  view: CampaignView;
  onSaved(view: CampaignView): void;
}) {
  const [script, setScript] = useState(view.script);
  const [voicemail, setVoicemail] = useState(view.voicemailScript);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const preview = useApi<ScriptPreview>(`${path}/script`);
  const editable = view.status !== 'completed';
  const changed = script !== view.script || voicemail !== view.voicemailScript;

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setNotice(null);
    setError(null);
    try {
      const next = await api<CampaignView>(path, {
        method: 'PATCH',
        body: { script, voicemailScript: voicemail },
      });
      onSaved(next);
      preview.reload();
      setNotice(
        next.voicemailWarnings.length > 0 ? 'Scripts saved; check the voicemail warnings.' : 'Scripts saved.',
      );
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section id="scripts" className="card campaign-section" aria-labelledby="scripts-heading">
      <h2 id="scripts-heading">Scripts</h2>
      <div className="scripts-layout">
        <form onSubmit={submit} aria-labelledby="scripts-heading" data-testid="scripts-form">
          <fieldset disabled={!editable || busy}>
            <legend className="visually-hidden">Edit the scripts</legend>
            <div className="field">
              <label htmlFor="script-agent">Call script</label>
              <textarea
                id="script-agent"
                rows={12}
                aria-describedby="script-placeholders-heading"
                value={script}
                onChange={(e) => setScript(e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="script-voicemail">Voicemail script</label>
              <textarea
                id="script-voicemail"
                rows={4}
                aria-describedby="script-voicemail-hint"
                value={voicemail}
                onChange={(e) => setVoicemail(e.target.value)}
              />
              <small id="script-voicemail-hint">
                Minimum necessary only: the {view.audience === 'contacts' ? 'contact' : 'patient'}’s name, the
                practice and the callback number. No clinical details.
              </small>
            </div>
          </fieldset>
          {view.voicemailWarnings.length > 0 && (
            <div className="warning-note" data-testid="voicemail-warnings">
              <strong>The voicemail script may say too much:</strong>
              <ul>
                {view.voicemailWarnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </div>
          )}
          <Notice message={notice} />
          <Alert message={error} />
          {editable && (
            <button type="submit" disabled={busy || !changed}>
              {busy ? 'Saving…' : 'Save scripts'}
            </button>
          )}
        </form>
        <div>
          <h3 id="script-placeholders-heading">Placeholders</h3>
          <ul className="placeholders">
            {SCRIPT_PLACEHOLDERS.map((p) => (
              <li key={p}>
                <code>{p}</code>
              </li>
            ))}
          </ul>
        </div>
      </div>
      <div className="script-preview" data-testid="script-preview">
        <h3>Preview with sample values</h3>
        <Alert message={preview.error} />
        {!preview.data && preview.loading && <p className="muted">Loading…</p>}
        {preview.data && (
          <>
            <h4>Call script</h4>
            <blockquote className="rendered">{preview.data.script}</blockquote>
            <h4>Voicemail</h4>
            <blockquote className="rendered">{preview.data.voicemail}</blockquote>
            {preview.data.warnings.length > 0 && (
              <div className="warning-note">
                <ul>
                  {preview.data.warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              </div>
            )}
          </>
        )}
      </div>
    </section>
  );
}

// Contact list import (partner and community campaigns) ----------------------------------------

type ContactCount =
  'totalRows' | 'accepted' | 'rejected' | 'created' | 'updated' | 'unchanged' | 'mergedRows' | 'warnings';

const CONTACT_COUNTS: [key: ContactCount, label: string][] = [
  ['totalRows', 'rows read'],
  ['accepted', 'accepted'],
  ['rejected', 'rejected'],
  ['created', 'contacts created'],
  ['updated', 'contacts updated'],
  ['unchanged', 'contacts unchanged'],
  ['mergedRows', 'rows folded into an earlier row of the same contact'],
  ['warnings', 'warnings'],
];

/** One CSV cell; a leading = + - @ is defused so spreadsheets do not run it as a formula. */
function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function downloadRejected(rows: ContactImportSummary['rejectedRows']) {
  const lines = [
    ['line', 'column', 'reason', 'row'].join(','),
    ...rows.map((r) => [r.line, r.column, r.reason, r.originalRow].map(csvCell).join(',')),
  ];
  const url = URL.createObjectURL(new Blob([`${lines.join('\r\n')}\r\n`], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'rejected-contacts.csv';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function ContactsImport({
  base,
  category,
  onImported,
}: {
  base: string;
  category: ContactCategory;
  onImported(): void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [summary, setSummary] = useState<ContactImportSummary | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!file) {
      setError('Choose the contacts file.');
      return;
    }
    setBusy(true);
    setError(null);
    setSummary(null);
    const form = new FormData();
    form.append('file', file, file.name);
    form.append('category', category);
    try {
      setSummary(await api<ContactImportSummary>(`${base}/contacts/import`, { method: 'POST', body: form }));
      onImported();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const rejected = summary?.rejectedRows ?? [];
  return (
    <section id="contacts" className="card campaign-section" aria-labelledby="contacts-heading">
      <h2 id="contacts-heading">Contacts list</h2>
      <p className="muted">
        This campaign calls organisations, not patients. Import a CSV with the organisation, contact person,
        role, phones and address; importing the list again updates it.
      </p>
      <form onSubmit={submit} className="form" data-testid="contacts-import">
        <p>
          Category: <strong>{CONTACT_CATEGORY_LABELS[category] ?? category}</strong>
        </p>
        <div className="field">
          <label htmlFor="contacts-file">Contacts file</label>
          <input
            id="contacts-file"
            type="file"
            required
            accept=".csv,.txt,.tsv,text/csv,text/plain,text/tab-separated-values"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <Alert message={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Importing…' : 'Import contacts'}
        </button>
      </form>
      <div role="status">
        {summary && (
          <div className="contact-result" data-testid="contacts-summary">
            <p className="notice">{summary.dryRun ? 'Dry run finished.' : 'Contacts imported.'}</p>
            <ul className="stats" aria-label="Contact import summary">
              {CONTACT_COUNTS.map(([key, label]) => (
                <li key={key} className={`stat stat-${key}`}>
                  <span className="stat-value" data-testid={`contacts-count-${key}`}>
                    {summary[key].toLocaleString()}
                  </span>
                  <span className="stat-label">{label}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      {rejected.length > 0 && (
        <>
          <div className="table-scroll">
            <table data-testid="contacts-rejected">
              <caption>Rejected rows</caption>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Column</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {rejected.map((r, i) => (
                  <tr key={`${r.line}-${r.column}-${i}`}>
                    <td>{r.line}</td>
                    <td>{r.column ?? '—'}</td>
                    <td>{r.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button type="button" className="secondary" onClick={() => downloadRejected(rejected)}>
            Download rejected rows (CSV)
          </button>
        </>
      )}
    </section>
  );
}
