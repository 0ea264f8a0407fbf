import { useEffect, useMemo, useState, type SubmitEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, errorText, useApi, type List } from '../api';
import { useSession } from '../auth';
import type { AgentRef, CampaignView } from '../campaign-types';
import { NoPractice, Notice, TableNote } from '../components';
import {
  dayLabel,
  localToday,
  reasonLabel,
  type Absence,
  type AbsenceResult,
  type CycleAssignmentRow,
  type CycleSummary,
} from '../cycle-types';
import { Alert, Page } from '../layout';
import { dateTime, usePracticeBase } from '../records';
import { CampaignStatusBadge } from './campaigns';

/** Rows of an agent's list drawn at once; the rest behind "Show all". */
const ROW_LIMIT = 500;

export function CyclesPage() {
  const base = usePracticeBase();
  return (
    <Page title="Call cycles" testId="cycles-page">
      {base ? <Cycles key={base} base={base} /> : <NoPractice what="cycles" />}
    </Page>
  );
}

/** The URL keeps what is selected (campaign, cycle, agent), so a view can be shared or reloaded. */
function useSelection() {
  const [params, setParams] = useSearchParams();
  const set = (changes: Record<string, string | null>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes)) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );
  return {
    campaignId: params.get('campaign'),
    cycleId: params.get('cycle'),
    agentId: params.get('agent'),
    set,
  };
}

function Cycles({ base }: { base: string }) {
  const { practice } = useSession();
  const today = localToday(practice?.timezone);
  const campaigns = useApi<List<CampaignView>>(`${base}/campaigns`);
  const agents = useApi<List<AgentRef>>(`${base}/agents`);
  const absences = useApi<List<Absence>>(`${base}/absences`);
  const selection = useSelection();
  /** Bumped when an absence moved items, so the cycle views load again. */
  const [version, setVersion] = useState(0);

  const items = campaigns.data?.items ?? [];
  const active = items.filter((c) => c.status === 'active');
  const others = items.filter((c) => c.status !== 'active');
  const campaign =
    items.find((c) => c.id === selection.campaignId) ?? (selection.campaignId ? undefined : active[0]);

  return (
    <>
      <p className="lead">
        Hand every agent a list for the next two weeks: a fair share each, a different caller for patients
        carried over, and callbacks kept with the agent who promised them.
      </p>
      <Alert message={campaigns.error ?? agents.error} />
      <div className="field cycle-campaign">
        <label htmlFor="cycle-campaign">Campaign</label>
        <select
          id="cycle-campaign"
          value={campaign?.id ?? ''}
          onChange={(e) => selection.set({ campaign: e.target.value, cycle: null, agent: null })}
          aria-describedby="cycle-campaign-hint"
        >
          {!campaign && <option value="">{campaigns.loading ? 'Loading…' : 'Choose a campaign'}</option>}
          {active.length > 0 && (
            <optgroup label="Active">
              {active.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </optgroup>
          )}
          {others.length > 0 && (
            <optgroup label="Not active (past cycles only)">
              {others.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.status})
                </option>
              ))}
            </optgroup>
          )}
        </select>
        <small id="cycle-campaign-hint">
          Only an active campaign with agents gets new cycles. <Link to="/manager/campaigns">Campaigns</Link>
        </small>
      </div>
      {campaigns.data && items.length === 0 && (
        <p className="muted">No campaigns yet: create and launch one first.</p>
      )}
      {campaign && (
        <CampaignCycles
          key={campaign.id}
          base={base}
          campaign={campaign}
          today={today}
          agents={agents.data?.items ?? []}
          absences={absences.data?.items ?? []}
          version={version}
        />
      )}
      <Absences
        base={base}
        today={today}
        agents={agents.data?.items ?? []}
        absences={absences}
        onMoved={() => {
          absences.reload();
          setVersion((v) => v + 1);
        }}
      />
    </>
  );
}

// One campaign's cycles ------------------------------------------------------------------------

function CampaignCycles({
  base,
  campaign,
  today,
  agents,
  absences,
  version,
}: {
  base: string;
  campaign: CampaignView;
  today: string;
  agents: AgentRef[];
  absences: Absence[];
  version: number;
}) {
  const path = `${base}/campaigns/${campaign.id}/cycles`;
  const cycles = useApi<List<CycleSummary>>(path);
  const selection = useSelection();
  const { reload } = cycles;

  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);

  const items = cycles.data?.items ?? [];
  const selected = items.find((c) => c.cycleId === selection.cycleId) ?? items[0];

  return (
    <>
      <section className="card cycle-campaign-head" aria-labelledby="cycle-campaign-heading">
        <div className="section-head">
          <h2 id="cycle-campaign-heading">
            <Link to={`/manager/campaigns/${campaign.id}`}>{campaign.name}</Link>
          </h2>
          <CampaignStatusBadge status={campaign.status} />
        </div>
        <p className="muted campaign-meta">
          {campaign.agents.length > 0
            ? `Agents: ${campaign.agents.map((a) => a.displayName).join(', ')}`
            : 'No agents assigned yet.'}{' '}
          · {campaign.settings.cycleWorkingDays} working days per cycle ·{' '}
          {campaign.settings.callsPerAgentPerDay.toLocaleString()} calls per agent per day
        </p>
      </section>
      <BuildCycle
        path={path}
        campaign={campaign}
        cycles={items}
        today={today}
        onBuilt={(summary) => {
          reload();
          selection.set({ cycle: summary.cycleId, agent: null });
        }}
      />
      <Alert message={cycles.error} />
      <CycleList
        cycles={items}
        loading={!cycles.data && cycles.loading}
        selectedId={selected?.cycleId}
        onSelect={(id) => selection.set({ cycle: id, agent: null })}
      />
      {selected && (
        <CycleDetail
          key={selected.cycleId}
          base={base}
          cycle={selected}
          agents={agents}
          absences={absences}
          version={version}
        />
      )}
    </>
  );
}

function BuildCycle({
  path,
  campaign,
  cycles,
  today,
  onBuilt,
}: {
  path: string;
  campaign: CampaignView;
  cycles: CycleSummary[];
  today: string;
  onBuilt(summary: CycleSummary): void;
}) {
  const [start, setStart] = useState('');
  const [seed, setSeed] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [built, setBuilt] = useState<{ summary: CycleSummary; rebuilt: boolean } | null>(null);

  const open = cycles.find((c) => c.status === 'open');
  const notStarted = open && open.start > today ? open : undefined;
  const running = open && !notStarted ? open : undefined;
  const blocked =
    campaign.status !== 'active'
      ? `This campaign is ${campaign.status}: only an active campaign gets new cycles.`
      : campaign.agents.length === 0
        ? 'This campaign has no agents: assign some on the campaign page first.'
        : null;

  const build = async (body: { start?: string; seed?: number }, rebuilt: boolean) => {
    setBusy(true);
    setError(null);
    setBuilt(null);
    try {
      const summary = await api<CycleSummary>(path, { method: 'POST', body });
      setBuilt({ summary, rebuilt });
      setSeed('');
      onBuilt(summary);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body: { start?: string; seed?: number } = {};
    if (start) body.start = start;
    if (seed.trim()) {
      const n = Number(seed);
      if (!Number.isSafeInteger(n) || n < 0) {
        setError('Seed: a whole number, 0 or more (or leave it empty for a random one).');
        return;
      }
      body.seed = n;
    }
    void build(body, false);
  };

  const total = (s: CycleSummary) => s.agents.reduce((n, a) => n + a.assigned, 0);

  return (
    <form
      className="card cycle-build"
      onSubmit={submit}
      aria-labelledby="cycle-build-heading"
      data-testid="cycle-build"
    >
      <h2 id="cycle-build-heading">Build the next cycle</h2>
      <Alert message={error} />
      {built && (
        <Notice
          message={
            `Cycle ${built.summary.seq} ${built.rebuilt ? 'rebuilt' : 'built'}: ` +
            `${total(built.summary).toLocaleString()} assigned to ${built.summary.agents.length} ` +
            `${built.summary.agents.length === 1 ? 'agent' : 'agents'}, ` +
            `${built.summary.backlog.toLocaleString()} in the backlog (seed ${built.summary.seed}).`
          }
        />
      )}
      {blocked && <p className="warning-note">{blocked}</p>}
      {running && !blocked && (
        <p className="warning-note">
          Cycle {running.seq} is running ({dayLabel(running.start)} – {dayLabel(running.end)}). Building now
          closes it: its pending items go into the new cycle, to a different agent where possible.
        </p>
      )}
      {notStarted && !blocked && (
        <div className="rebuild">
          <p>
            Cycle {notStarted.seq} has not started yet (first day {dayLabel(notStarted.start)}, seed{' '}
            {notStarted.seed}). Rebuilding replaces it with a new shuffle.
          </p>
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void build({ start: notStarted.start }, true)}
            data-testid="cycle-rebuild"
          >
            Rebuild with a new seed
          </button>
        </div>
      )}
      <div className="field-row">
        <div className="field">
          <label htmlFor="cycle-start">First day</label>
          <input
            id="cycle-start"
            type="date"
            min={today}
            value={start}
            disabled={!!blocked}
            onChange={(e) => setStart(e.target.value)}
            aria-describedby="cycle-start-hint"
          />
          <small id="cycle-start-hint">Empty: today; a non-working day moves to the next working day.</small>
        </div>
        <div className="field">
          <label htmlFor="cycle-seed">Seed</label>
          <input
            id="cycle-seed"
            type="number"
            inputMode="numeric"
            min={0}
            step={1}
            value={seed}
            disabled={!!blocked}
            onChange={(e) => setSeed(e.target.value)}
            aria-describedby="cycle-seed-hint"
          />
          <small id="cycle-seed-hint">Empty: random. The same seed and data give the same lists.</small>
        </div>
      </div>
      <button type="submit" disabled={busy || !!blocked}>
        {busy ? 'Building…' : 'Build next cycle'}
      </button>
    </form>
  );
}

function CycleList({
  cycles,
  loading,
  selectedId,
  onSelect,
}: {
  cycles: CycleSummary[];
  loading: boolean;
  selectedId: string | undefined;
  onSelect(id: string): void;
}) {
  return (
    <div className="table-scroll">
      <table data-testid="cycle-list">
        <caption>{cycles.length === 1 ? '1 cycle' : `${cycles.length} cycles`}</caption>
        <thead>
          <tr>
            <th scope="col">Cycle</th>
            <th scope="col">Days</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Assigned
            </th>
            <th scope="col" className="num">
              Done
            </th>
            <th scope="col" className="num">
              Backlog
            </th>
            <th scope="col" className="num">
              Moved
            </th>
            <th scope="col">Seed</th>
            <th scope="col">Built</th>
          </tr>
        </thead>
        <tbody>
          {cycles.map((c) => {
            const selected = c.cycleId === selectedId;
            return (
              <tr key={c.cycleId} className={selected ? 'selected' : undefined}>
                <td>
                  <button
                    type="button"
                    className="link"
                    aria-current={selected ? 'true' : undefined}
                    onClick={() => onSelect(c.cycleId)}
                  >
                    Cycle {c.seq}
                  </button>
                </td>
                <td>
                  {dayLabel(c.start)} – {dayLabel(c.end)}
                  <small>{c.days.length} working days</small>
                </td>
                <td>
                  <span className={`badge cycle-${c.status}`}>{c.status === 'open' ? 'Open' : 'Closed'}</span>
                </td>
                <td className="num">{c.agents.reduce((n, a) => n + a.assigned, 0).toLocaleString()}</td>
                <td className="num">{c.agents.reduce((n, a) => n + a.done, 0).toLocaleString()}</td>
                <td className="num">{c.backlog.toLocaleString()}</td>
                <td className="num">{c.moved.toLocaleString()}</td>
                <td>
                  <code>{c.seed}</code>
                </td>
                <td>{dateTime(c.createdAt)}</td>
              </tr>
            );
          })}
          {!loading && cycles.length === 0 && (
            <TableNote colSpan={9}>No cycles yet: build the first one above.</TableNote>
          )}
          {loading && <TableNote colSpan={9}>Loading…</TableNote>}
        </tbody>
      </table>
    </div>
  );
}

// The selected cycle ---------------------------------------------------------------------------

function CycleDetail({
  base,
  cycle,
  agents,
  absences,
  version,
}: {
  base: string;
  cycle: CycleSummary;
  agents: AgentRef[];
  absences: Absence[];
  version: number;
}) {
  const selection = useSelection();
  const assigned = cycle.agents.reduce((n, a) => n + a.assigned, 0);
  const done = cycle.agents.reduce((n, a) => n + a.done, 0);
  const agentId = cycle.agents.some((a) => a.agentId === selection.agentId) ? selection.agentId : null;
  const exportPath = `${base}/cycles/${cycle.cycleId}/export`;
  const [sheet, setSheet] = useState<{
    agent: string;
    file: string;
    report?: SheetReport;
    error?: string;
    busy?: boolean;
  } | null>(null);
  const uploadSheet = async (agentId: string, agent: string, file: File) => {
    setSheet({ agent, file: file.name, busy: true });
    const form = new FormData();
    form.append('file', file);
    form.append('agentId', agentId);
    try {
      const report = await api<SheetReport>(`${base}/cycles/${cycle.cycleId}/sheets`, {
        method: 'POST',
        body: form,
      });
      setSheet({ agent, file: file.name, report });
    } catch (e) {
      setSheet({ agent, file: file.name, error: errorText(e) });
    }
  };

  return (
    <section
      className="card cycle-summary"
      aria-labelledby="cycle-summary-heading"
      data-testid="cycle-summary"
    >
      <h2 id="cycle-summary-heading">
        Cycle {cycle.seq}: {dayLabel(cycle.start)} – {dayLabel(cycle.end)}
      </h2>
      <ul className="stats">
        <li className="stat">
          <span className="stat-value" data-testid="cycle-assigned">
            {assigned.toLocaleString()}
          </span>
          <span className="stat-label">assigned</span>
        </li>
        <li className="stat stat-accepted">
          <span className="stat-value">{done.toLocaleString()}</span>
          <span className="stat-label">done</span>
        </li>
        <li className={`stat${cycle.backlog > 0 ? ' stat-rejected' : ''}`}>
          <span className="stat-value" data-testid="cycle-backlog">
            {cycle.backlog.toLocaleString()}
          </span>
          <span className="stat-label">in the backlog (no capacity this cycle)</span>
        </li>
        <li className="stat">
          <span className="stat-value" data-testid="cycle-moved">
            {cycle.moved.toLocaleString()}
          </span>
          <span className="stat-label">moved to another agent</span>
        </li>
      </ul>
      <dl className="facts cycle-facts">
        <dt>Status</dt>
        <dd>{cycle.status === 'open' ? 'Open' : 'Closed'}</dd>
        <dt>Working days</dt>
        <dd>{cycle.days.length}</dd>
        <dt>Seed</dt>
        <dd>
          <code>{cycle.seed}</code>
        </dd>
        <dt>Built</dt>
        <dd>{dateTime(cycle.createdAt)}</dd>
      </dl>

      <div className="table-scroll">
        <table className="cycle-agents" data-testid="cycle-agents">
          <caption>Lists per agent</caption>
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col" className="num">
                Assigned
              </th>
              <th scope="col" className="num">
                Done
              </th>
              <th scope="col">Spreadsheet</th>
              <th scope="col">
                <span className="visually-hidden">List</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {cycle.agents.map((a) => {
              const q = `agentId=${encodeURIComponent(a.agentId)}`;
              return (
                <tr
                  key={a.agentId}
                  data-testid={`cycle-agent-${a.agent}`}
                  className={a.agentId === agentId ? 'selected' : undefined}
                >
                  <th scope="row">
                    {a.displayName} <span className="muted">({a.agent})</span>
                  </th>
                  <td className="num" data-testid="assigned">
                    {a.assigned.toLocaleString()}
                  </td>
                  <td className="num" data-testid="done">
                    {a.done.toLocaleString()}
                  </td>
                  <td>
                    <span className="export-links">
                      <a
                        href={`${exportPath}?${q}&format=xlsx`}
                        download
                        aria-label={`Download ${a.displayName}'s list as XLSX`}
                      >
                        XLSX
                      </a>
                      <a
                        href={`${exportPath}?${q}&format=csv`}
                        download
                        aria-label={`Download ${a.displayName}'s list as CSV`}
                      >
                        CSV
                      </a>
                      <label className="upload-link">
                        Upload filled
                        <span className="visually-hidden"> sheet of {a.displayName}</span>
                        <input
                          type="file"
                          accept=".xlsx,.csv,text/csv"
                          className="visually-hidden"
                          data-testid={`sheet-upload-${a.agent}`}
                          onChange={(e) => {
                            const file = e.currentTarget.files?.[0];
                            e.currentTarget.value = '';
                            if (file) void uploadSheet(a.agentId, a.displayName, file);
                          }}
                        />
                      </label>
                    </span>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="secondary small"
                      aria-pressed={a.agentId === agentId}
                      onClick={() => selection.set({ agent: a.agentId })}
                    >
                      Show list<span className="visually-hidden"> of {a.displayName}</span>
                    </button>
                  </td>
                </tr>
              );
            })}
            {cycle.agents.length === 0 && (
              <TableNote colSpan={5}>Nobody was assigned in this cycle.</TableNote>
            )}
          </tbody>
        </table>
      </div>

      <SheetResult sheet={sheet} />

      <Assignments
        base={base}
        cycle={cycle}
        agentId={agentId}
        onAgent={(id) => selection.set({ agent: id || null })}
        agents={agents}
        absences={absences}
        version={version}
      />
    </section>
  );
}

function Assignments({
  base,
  cycle,
  agentId,
  onAgent,
  agents,
  absences,
  version,
}: {
  base: string;
  cycle: CycleSummary;
  agentId: string | null;
  onAgent(id: string): void;
  agents: AgentRef[];
  absences: Absence[];
  version: number;
}) {
  const [movedOnly, setMovedOnly] = useState(false);
  const agent = cycle.agents.find((a) => a.agentId === agentId);

  return (
    <div className="cycle-assignments">
      <h3 id="cycle-assignments-heading">Who calls whom</h3>
      <div className="inline-fields">
        <div className="field">
          <label htmlFor="cycle-agent">Agent</label>
          <select id="cycle-agent" value={agentId ?? ''} onChange={(e) => onAgent(e.target.value)}>
            <option value="">Choose an agent</option>
            {cycle.agents.map((a) => (
              <option key={a.agentId} value={a.agentId}>
                {a.displayName} ({a.agent})
              </option>
            ))}
          </select>
        </div>
        <div className="field checkbox">
          <input
            type="checkbox"
            id="cycle-moved-only"
            checked={movedOnly}
            onChange={(e) => setMovedOnly(e.target.checked)}
          />
          <label htmlFor="cycle-moved-only">Only items moved from another agent</label>
        </div>
      </div>
      {agent ? (
        <AssignmentTable
          key={agent.agentId}
          path={`${base}/cycles/${cycle.cycleId}/assignments?agentId=${encodeURIComponent(agent.agentId)}`}
          displayName={agent.displayName}
          cycle={cycle}
          movedOnly={movedOnly}
          agents={agents}
          absences={absences}
          version={version}
        />
      ) : (
        <p className="muted">Choose an agent to see their list, day by day, and what was moved to them.</p>
      )}
    </div>
  );
}

function AssignmentTable({
  path,
  displayName,
  cycle,
  movedOnly,
  agents,
  absences,
  version,
}: {
  path: string;
  displayName: string;
  cycle: CycleSummary;
  movedOnly: boolean;
  agents: AgentRef[];
  absences: Absence[];
  version: number;
}) {
  const rows = useApi<List<CycleAssignmentRow>>(path);
  const [showAll, setShowAll] = useState(false);
  const { reload } = rows;

  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);

  const names = useMemo(() => new Map(agents.map((a) => [a.login, a.displayName])), [agents]);
  const all = rows.data?.items ?? [];
  const movedIn = all.filter((r) => r.movedFromAgent).length;
  const shown = movedOnly ? all.filter((r) => r.movedFromAgent) : all;
  const visible = showAll ? shown : shown.slice(0, ROW_LIMIT);

  /** Why an item moved: the absence of the agent it came from that overlaps this cycle. */
  const why = (login: string) => {
    const a = absences.find((x) => x.login === login && x.from <= cycle.end && x.to >= cycle.start);
    if (!a) return null;
    return `absent ${a.from === a.to ? dayLabel(a.from) : `${dayLabel(a.from)} – ${dayLabel(a.to)}`}${
      a.reason ? `: ${a.reason}` : ''
    }`;
  };

  return (
    <>
      <Alert message={rows.error} />
      <div className="table-scroll">
        <table className="assignment-table" data-testid="cycle-assignments">
          <caption>
            {rows.data
              ? `${displayName}: ${all.length.toLocaleString()} ${all.length === 1 ? 'item' : 'items'}, ` +
                `${movedIn.toLocaleString()} moved from other agents`
              : `${displayName}'s list`}
          </caption>
          <thead>
            <tr>
              <th scope="col">Due</th>
              <th scope="col">Patient</th>
              <th scope="col">MRN</th>
              <th scope="col">Why in the list</th>
              <th scope="col">State</th>
              <th scope="col">Moved from</th>
            </tr>
          </thead>
          <tbody>
            {visible.map((r) => {
              const reason = r.movedFromAgent ? why(r.movedFromAgent) : null;
              return (
                <tr
                  key={r.id}
                  data-testid="cycle-assignment"
                  className={r.movedFromAgent ? 'moved' : undefined}
                >
                  <td className="nowrap">{dayLabel(r.dueOn)}</td>
                  <td>{r.name || '—'}</td>
                  <td>{r.mrn ?? '—'}</td>
                  <td>{reasonLabel(r.reason)}</td>
                  <td>{r.state}</td>
                  <td data-testid="moved-from">
                    {r.movedFromAgent ? (
                      <>
                        {names.get(r.movedFromAgent) ?? r.movedFromAgent}{' '}
                        <span className="muted">({r.movedFromAgent})</span>
                        {reason && <small>{reason}</small>}
                      </>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              );
            })}
            {rows.data && shown.length === 0 && (
              <TableNote colSpan={6}>
                {movedOnly ? 'Nothing was moved to this agent.' : 'No items in this list.'}
              </TableNote>
            )}
            {!rows.data && rows.loading && <TableNote colSpan={6}>Loading…</TableNote>}
          </tbody>
        </table>
      </div>
      {!showAll && shown.length > ROW_LIMIT && (
        <p>
          Showing the first {ROW_LIMIT.toLocaleString()} of {shown.length.toLocaleString()}.{' '}
          <button type="button" className="secondary small" onClick={() => setShowAll(true)}>
            Show all
          </button>
        </p>
      )}
    </>
  );
}

// Absences -------------------------------------------------------------------------------------

function Absences({
  base,
  today,
  agents,
  absences,
  onMoved,
}: {
  base: string;
  today: string;
  agents: AgentRef[];
  absences: ReturnType<typeof useApi<List<Absence>>>;
  onMoved(): void;
}) {
  const [userId, setUserId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ moved: number; who: string } | null>(null);
  const names = new Map(agents.map((a) => [a.login, a.displayName]));
  const items = absences.data?.items ?? [];

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (to < from) {
      setError('"To" must not be before "From".');
      return;
    }
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const body: { userId: string; from: string; to: string; reason?: string } = { userId, from, to };
      if (reason.trim()) body.reason = reason.trim();
      const r = await api<AbsenceResult>(`${base}/absences`, { method: 'POST', body });
      setResult({ moved: r.moved, who: agents.find((a) => a.id === userId)?.displayName ?? 'the agent' });
      setReason('');
      onMoved();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card absences" aria-labelledby="absences-heading">
      <h2 id="absences-heading">Absences</h2>
      <p className="muted">
        An absent agent&apos;s pending items on those days move to the campaign&apos;s other agents, keeping
        loads even and the different-agent rule.
      </p>
      <form
        className="absence-form"
        onSubmit={submit}
        data-testid="absence-form"
        aria-label="Plan an absence"
      >
        <Alert message={error} />
        <div className="field-row">
          <div className="field">
            <label htmlFor="absence-agent">Agent</label>
            <select id="absence-agent" required value={userId} onChange={(e) => setUserId(e.target.value)}>
              <option value="">Choose an agent</option>
              {agents.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.displayName} ({a.login})
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="absence-from">From</label>
            <input
              id="absence-from"
              type="date"
              required
              min={today}
              value={from}
              onChange={(e) => {
                setFrom(e.target.value);
                if (!to || to < e.target.value) setTo(e.target.value);
              }}
            />
          </div>
          <div className="field">
            <label htmlFor="absence-to">To</label>
            <input
              id="absence-to"
              type="date"
              required
              min={from || today}
              value={to}
              onChange={(e) => setTo(e.target.value)}
            />
          </div>
        </div>
        <div className="field narrow">
          <label htmlFor="absence-reason">Reason (optional)</label>
          <input
            id="absence-reason"
            maxLength={200}
            autoComplete="off"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-describedby="absence-reason-hint"
          />
          <small id="absence-reason-hint">E.g. vacation, training. No health details.</small>
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Mark absent'}
        </button>
      </form>
      {result && (
        <p className="notice absence-result" role="status" data-testid="absence-result">
          {result.moved.toLocaleString()} {result.moved === 1 ? 'item' : 'items'} moved from {result.who} to
          other agents.
        </p>
      )}
      <Alert message={absences.error} />
      <div className="table-scroll">
        <table data-testid="absence-list">
          <caption>Planned absences</caption>
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} className={a.to < today ? 'inactive' : undefined}>
                <td>
                  {names.get(a.login) ?? a.login} <span className="muted">({a.login})</span>
                </td>
                <td>{dayLabel(a.from)}</td>
                <td>{dayLabel(a.to)}</td>
                <td>{a.reason ?? <span className="muted">—</span>}</td>
              </tr>
            ))}
            {absences.data && items.length === 0 && <TableNote colSpan={4}>No absences planned.</TableNote>}
            {!absences.data && absences.loading && <TableNote colSpan={4}>Loading…</TableNote>}
          </tbody>
        </table>
      </div>
    </section>
  );
}

interface SheetReport {
  applied: boolean;
  dryRun: boolean;
  rows: number;
  blank: number;
  recorded: number;
  unchanged: number;
  problems: { line: number; column: string | null; mrn?: string | null; message: string }[];
}

/** What an uploaded sheet did: recorded rows, or every problem by line and column (nothing recorded). */
function SheetResult({
  sheet,
}: {
  sheet: { agent: string; file: string; report?: SheetReport; error?: string; busy?: boolean } | null;
}) {
  return (
    <div role="status" aria-live="polite" data-testid="sheet-result">
      {sheet?.busy && <p>Recording {sheet.file}…</p>}
      {sheet?.error && (
        <p className="alert" role="alert">
          {sheet.file}: {sheet.error}
        </p>
      )}
      {sheet?.report && sheet.report.problems.length === 0 && (
        <p className="notice">
          {sheet.file} ({sheet.agent}): {sheet.report.recorded} recorded, {sheet.report.unchanged} already
          recorded, {sheet.report.blank} without a disposition.
        </p>
      )}
      {sheet?.report && sheet.report.problems.length > 0 && (
        <>
          <p className="alert">
            {sheet.file} ({sheet.agent}): nothing was recorded. Fix these rows and upload the sheet again.
          </p>
          <div className="table-scroll">
            <table data-testid="sheet-problems">
              <caption>Problems in {sheet.file}</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    Line
                  </th>
                  <th scope="col">Column</th>
                  <th scope="col">MRN</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {sheet.report.problems.map((p, i) => (
                  <tr key={i}>
                    <td className="num">{p.line}</td>
                    <td>{p.column ?? '—'}</td>
                    <td>{p.mrn ?? '—'}</td>
                    <td>{p.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
