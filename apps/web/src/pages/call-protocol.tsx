import { useEffect, useState, type SubmitEvent } from 'react';
import { api, ApiError, errorText, useApi, type List } from '../api';
import { useSession } from '../auth';
import { NoPractice, Notice, TableNote } from '../components';
import { Alert, Page } from '../layout';
import { usePracticeBase } from '../records';
import { zonedStamp } from '../workspace-types';
import {
  dialText,
  hoursText,
  OUTCOME_LABELS,
  SITUATION_LABELS,
  type DeescalationGuide,
  type DeescalationView,
  type TransferGroup,
  type TransferKind,
  type TransferOutcome,
} from './transfer-panel';
import './transfer-panel.css';

const ROLE_CHOICES: { value: string; label: string }[] = [
  { value: 'agent', label: 'Agents (level 1)' },
  { value: 'manager', label: 'Managers' },
  { value: 'admin', label: 'Administrators' },
];
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

interface TransferListItem {
  id: string;
  groupName: string;
  kind: TransferKind;
  outcome: TransferOutcome;
  agentLogin: string;
  patientName: string | null;
  mrn: string | null;
  campaignName: string;
  attemptCode: string | null;
  escalationId: string | null;
  createdAt: string;
}

interface GroupDraft {
  name: string;
  whenToTransfer: string;
  phone: string;
  extension: string;
  alwaysOpen: boolean;
  days: number[];
  open: string;
  close: string;
  allowedRoles: string[];
  situations: string[];
}

const EMPTY_GROUP: GroupDraft = {
  name: '',
  whenToTransfer: '',
  phone: '',
  extension: '',
  alwaysOpen: true,
  days: [1, 2, 3, 4, 5],
  open: '09:00',
  close: '17:00',
  allowedRoles: ['agent', 'manager', 'admin'],
  situations: [],
};

function draftOf(g: TransferGroup): GroupDraft {
  return {
    name: g.name,
    whenToTransfer: g.whenToTransfer,
    phone: g.phone,
    extension: g.extension ?? '',
    alwaysOpen: !g.hours,
    days: g.hours?.days ?? [1, 2, 3, 4, 5],
    open: g.hours?.open ?? '09:00',
    close: g.hours?.close ?? '17:00',
    allowedRoles: g.allowedRoles,
    situations: g.situations,
  };
}

const toggle = (list: string[] | number[], v: string | number) =>
  (list as (string | number)[]).includes(v) ? list.filter((x) => x !== v) : [...list, v];

export function CallProtocolPage() {
  const base = usePracticeBase();
  return (
    <Page title="Transfers and de-escalation" testId="call-protocol-page">
      {base ? <CallProtocolSettings key={base} base={base} /> : <NoPractice what="settings" />}
    </Page>
  );
}

function CallProtocolSettings({ base }: { base: string }) {
  return (
    <div className="protocol-settings">
      <p className="lead">
        Where agents transfer calls (protocol 000 and 001), who may, and when; the de-escalation steps agents
        see when a red flag goes up or they mark a hot call.
      </p>
      <TransferDirectory base={base} />
      <GuideEditor base={base} />
      <RecentTransfers base={base} />
    </div>
  );
}

function TransferDirectory({ base }: { base: string }) {
  const list = useApi<List<TransferGroup>>(`${base}/transfer-groups?includeArchived=true`);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [draft, setDraft] = useState<GroupDraft>(EMPTY_GROUP);
  const [problem, setProblem] = useState<{ field: string | null; message: string } | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const items = list.data?.items ?? [];

  const edit = (g: TransferGroup | null) => {
    setEditing(g ? g.id : 'new');
    setDraft(g ? draftOf(g) : EMPTY_GROUP);
    setProblem(null);
    setStatus(null);
  };
  useEffect(() => {
    if (editing) document.getElementById('tg-name')?.focus();
  }, [editing]);

  const save = async (e: SubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    const body = {
      name: draft.name,
      whenToTransfer: draft.whenToTransfer,
      phone: draft.phone,
      extension: draft.extension.trim() || null,
      hours: draft.alwaysOpen ? null : { days: draft.days, open: draft.open, close: draft.close },
      allowedRoles: draft.allowedRoles,
      situations: draft.situations,
    };
    try {
      const saved = await api<TransferGroup>(
        editing === 'new' ? `${base}/transfer-groups` : `${base}/transfer-groups/${editing}`,
        { method: editing === 'new' ? 'POST' : 'PATCH', body },
      );
      setStatus(`Saved: ${saved.name}.`);
      setEditing(null);
      list.reload();
    } catch (err) {
      setProblem({ field: err instanceof ApiError ? err.field : null, message: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  const setActive = async (g: TransferGroup, active: boolean) => {
    try {
      await api(active ? `${base}/transfer-groups/${g.id}` : `${base}/transfer-groups/${g.id}/deactivate`, {
        method: active ? 'PATCH' : 'POST',
        body: active ? { active: true } : {},
      });
      setStatus(active ? `Restored: ${g.name}.` : `Archived: ${g.name} (agents no longer see it).`);
      list.reload();
    } catch (err) {
      setStatus(errorText(err));
    }
  };

  const invalid = (field: string) => (problem?.field?.split('.')[0] === field ? true : undefined);

  return (
    <section aria-labelledby="tg-heading" className="card">
      <h2 id="tg-heading">Transfer directory</h2>
      <Notice message={status} />
      <Alert message={list.error} />
      <div className="table-scroll">
        <table data-testid="transfer-groups">
          <caption>Groups agents can transfer to</caption>
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">When to transfer</th>
              <th scope="col">Number</th>
              <th scope="col">Hours</th>
              <th scope="col">Who may transfer</th>
              <th scope="col">Suggested for</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((g) => (
              <tr key={g.id} className={g.active ? undefined : 'muted'} data-testid="transfer-group-row">
                <td>
                  {g.name}
                  {!g.active && <span className="badge">archived</span>}
                </td>
                <td>{g.whenToTransfer || '—'}</td>
                <td className="nowrap">{dialText(g)}</td>
                <td>{hoursText(g.hours)}</td>
                <td>
                  {g.allowedRoles.includes('agent')
                    ? g.allowedRoles
                        .map((r) => ROLE_CHOICES.find((c) => c.value === r)?.label ?? r)
                        .join(', ')
                    : 'Not as a level 1 (managers, administrators)'}
                </td>
                <td>{g.situations.map((s) => SITUATION_LABELS[s] ?? s).join(', ') || '—'}</td>
                <td className="nowrap">
                  <button type="button" className="small secondary" onClick={() => edit(g)}>
                    Edit<span className="visually-hidden"> {g.name}</span>
                  </button>{' '}
                  <button
                    type="button"
                    className="small secondary"
                    onClick={() => void setActive(g, !g.active)}
                  >
                    {g.active ? 'Archive' : 'Restore'}
                    <span className="visually-hidden"> {g.name}</span>
                  </button>
                </td>
              </tr>
            ))}
            {list.data && items.length === 0 && (
              <TableNote colSpan={7}>No groups yet: agents see no Transfer choices.</TableNote>
            )}
          </tbody>
        </table>
      </div>
      {editing === null ? (
        <div className="buttons">
          <button type="button" onClick={() => edit(null)}>
            Add a group
          </button>
        </div>
      ) : (
        <form
          onSubmit={(e) => void save(e)}
          noValidate
          aria-labelledby="tg-form-heading"
          data-testid="transfer-group-form"
        >
          <h3 id="tg-form-heading">{editing === 'new' ? 'New group' : `Edit ${draft.name}`}</h3>
          {problem && (
            <p className="problem-text" role="alert">
              {problem.message}
            </p>
          )}
          <div className="field-grid">
            <div className="field">
              <label htmlFor="tg-name">Name</label>
              <input
                id="tg-name"
                maxLength={100}
                value={draft.name}
                aria-invalid={invalid('name')}
                onChange={(e) => setDraft({ ...draft, name: e.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor="tg-phone">Phone</label>
              <input
                id="tg-phone"
                maxLength={40}
                value={draft.phone}
                aria-invalid={invalid('phone')}
                onChange={(e) => setDraft({ ...draft, phone: e.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor="tg-extension">Extension</label>
              <input
                id="tg-extension"
                maxLength={10}
                value={draft.extension}
                aria-invalid={invalid('extension')}
                onChange={(e) => setDraft({ ...draft, extension: e.target.value })}
              />
            </div>
          </div>
          <div className="field">
            <label htmlFor="tg-when">When to transfer</label>
            <textarea
              id="tg-when"
              rows={2}
              maxLength={1000}
              value={draft.whenToTransfer}
              onChange={(e) => setDraft({ ...draft, whenToTransfer: e.target.value })}
            />
          </div>
          <fieldset aria-invalid={invalid('hours')}>
            <legend>Hours (practice time)</legend>
            <div className="field checkbox">
              <input
                id="tg-always"
                type="checkbox"
                checked={draft.alwaysOpen}
                onChange={(e) => setDraft({ ...draft, alwaysOpen: e.target.checked })}
              />
              <label htmlFor="tg-always">Always open</label>
            </div>
            {!draft.alwaysOpen && (
              <>
                <div className="inline-checks">
                  {DAYS.map((d, i) => (
                    <span key={d} className="field checkbox">
                      <input
                        id={`tg-day-${i + 1}`}
                        type="checkbox"
                        checked={draft.days.includes(i + 1)}
                        onChange={() => setDraft({ ...draft, days: toggle(draft.days, i + 1) as number[] })}
                      />
                      <label htmlFor={`tg-day-${i + 1}`}>{d}</label>
                    </span>
                  ))}
                </div>
                <div className="field-grid">
                  <div className="field">
                    <label htmlFor="tg-open">Opens</label>
                    <input
                      id="tg-open"
                      type="time"
                      value={draft.open}
                      onChange={(e) => setDraft({ ...draft, open: e.target.value })}
                    />
                  </div>
                  <div className="field">
                    <label htmlFor="tg-close">Closes</label>
                    <input
                      id="tg-close"
                      type="time"
                      value={draft.close}
                      onChange={(e) => setDraft({ ...draft, close: e.target.value })}
                    />
                  </div>
                </div>
              </>
            )}
          </fieldset>
          <fieldset aria-invalid={invalid('allowedRoles')}>
            <legend>Who may transfer here</legend>
            <div className="inline-checks">
              {ROLE_CHOICES.map((r) => (
                <span key={r.value} className="field checkbox">
                  <input
                    id={`tg-role-${r.value}`}
                    type="checkbox"
                    checked={draft.allowedRoles.includes(r.value)}
                    onChange={() =>
                      setDraft({ ...draft, allowedRoles: toggle(draft.allowedRoles, r.value) as string[] })
                    }
                  />
                  <label htmlFor={`tg-role-${r.value}`}>{r.label}</label>
                </span>
              ))}
            </div>
          </fieldset>
          <fieldset>
            <legend>Suggest it first for</legend>
            <div className="inline-checks">
              {Object.entries(SITUATION_LABELS).map(([value, label]) => (
                <span key={value} className="field checkbox">
                  <input
                    id={`tg-situation-${value}`}
                    type="checkbox"
                    checked={draft.situations.includes(value)}
                    onChange={() =>
                      setDraft({ ...draft, situations: toggle(draft.situations, value) as string[] })
                    }
                  />
                  <label htmlFor={`tg-situation-${value}`}>{label}</label>
                </span>
              ))}
            </div>
          </fieldset>
          <div className="buttons">
            <button type="submit" disabled={busy}>
              {busy ? 'Saving…' : 'Save group'}
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** Lines of "Name: what to do" ⇄ strategies; a situation's actions, one per line. */
const strategiesText = (g: DeescalationGuide) => g.strategies.map((s) => `${s.name}: ${s.say}`).join('\n');
const situationsText = (g: DeescalationGuide) =>
  g.situations.map((s) => [`# ${s.name}`, ...s.actions].join('\n')).join('\n\n');

function parseStrategies(text: string): DeescalationGuide['strategies'] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const at = l.indexOf(':');
      return at > 0 ? { name: l.slice(0, at).trim(), say: l.slice(at + 1).trim() } : { name: l, say: '' };
    });
}

function parseSituations(text: string): DeescalationGuide['situations'] {
  const out: DeescalationGuide['situations'] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('#')) out.push({ name: line.replace(/^#+/, '').trim(), actions: [] });
    else if (out.length) out[out.length - 1].actions.push(line.replace(/^[-•*]\s*/, ''));
    else out.push({ name: 'Actions', actions: [line] });
  }
  return out;
}

function GuideEditor({ base }: { base: string }) {
  const view = useApi<DeescalationView>(`${base}/protocol/deescalation`);
  const [strategies, setStrategies] = useState('');
  const [situations, setSituations] = useState('');
  const [reminder, setReminder] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!view.data) return;
    setStrategies(strategiesText(view.data.guide));
    setSituations(situationsText(view.data.guide));
    setReminder(view.data.guide.reminder);
  }, [view.data]);

  const put = async (body: object, done: string) => {
    setBusy(true);
    setProblem(null);
    try {
      await api(`${base}/protocol/deescalation`, { method: 'PUT', body });
      setStatus(done);
      view.reload();
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="guide-heading" className="card">
      <h2 id="guide-heading">De-escalation guide</h2>
      <p className="muted">
        {view.data?.customized
          ? "This practice's own guide."
          : 'The defaults of protocol 000 (low & slow; name it to tame it; regulate over educate; “here’s what I would like to do”; pause with purpose).'}
      </p>
      <Notice message={status} />
      <Alert message={view.error} />
      <form
        noValidate
        data-testid="guide-form"
        onSubmit={(e) => {
          e.preventDefault();
          void put(
            { strategies: parseStrategies(strategies), situations: parseSituations(situations), reminder },
            'Saved: agents see this guide now.',
          );
        }}
      >
        {problem && (
          <p className="problem-text" role="alert">
            {problem}
          </p>
        )}
        <div className="field">
          <label htmlFor="guide-strategies">Strategies, one per line: “Name: what to do”</label>
          <textarea
            id="guide-strategies"
            rows={6}
            value={strategies}
            onChange={(e) => setStrategies(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="guide-situations">
            Actions per situation: “# Situation”, then one action per line
          </label>
          <textarea
            id="guide-situations"
            rows={12}
            value={situations}
            onChange={(e) => setSituations(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="guide-reminder">Reminder</label>
          <textarea
            id="guide-reminder"
            rows={2}
            maxLength={2000}
            value={reminder}
            onChange={(e) => setReminder(e.target.value)}
          />
        </div>
        <div className="buttons">
          <button type="submit" disabled={busy}>
            Save guide
          </button>
          <button
            type="button"
            className="secondary"
            disabled={busy || !view.data?.customized}
            onClick={() => void put({ reset: true }, 'Back to the defaults of protocol 000.')}
          >
            Restore the defaults
          </button>
        </div>
      </form>
    </section>
  );
}

function RecentTransfers({ base }: { base: string }) {
  const zone = useSession().practice?.timezone;
  const list = useApi<List<TransferListItem>>(`${base}/transfers`);
  const items = list.data?.items ?? [];
  return (
    <section aria-labelledby="recent-transfers-heading" className="card">
      <h2 id="recent-transfers-heading">Recent transfers</h2>
      <Alert message={list.error} />
      <div className="table-scroll">
        <table data-testid="recent-transfers">
          <caption>Transfers agents tried, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Group</th>
              <th scope="col">Kind</th>
              <th scope="col">Outcome</th>
              <th scope="col">Patient</th>
              <th scope="col">Agent</th>
              <th scope="col">Saved as</th>
            </tr>
          </thead>
          <tbody>
            {items.map((t) => (
              <tr key={t.id} data-testid="recent-transfer-row">
                <td className="nowrap">{zonedStamp(t.createdAt, zone)}</td>
                <td>{t.groupName}</td>
                <td>{t.kind}</td>
                <td>{OUTCOME_LABELS[t.outcome]}</td>
                <td>
                  {t.patientName ?? '—'}
                  {t.mrn && <small>MRN {t.mrn}</small>}
                </td>
                <td>{t.agentLogin}</td>
                <td>{t.attemptCode ?? 'call in progress'}</td>
              </tr>
            ))}
            {list.data && items.length === 0 && <TableNote colSpan={7}>No transfers yet.</TableNote>}
          </tbody>
        </table>
      </div>
    </section>
  );
}
