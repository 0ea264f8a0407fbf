import { useState, type FormEvent } from 'react';
import { api, ApiError, errorText, useApi, type List } from '../api';
import { useSession } from '../auth';
import type { AgentRef } from '../campaign-types';
import { NoPractice, Notice, TableNote } from '../components';
import { Alert, Page } from '../layout';
import { usePracticeBase } from '../records';
import { useFilterParams } from '../report-types';
import {
  duration,
  scoreText,
  type QaCall,
  type QaCriteria,
  type QaReviewDetail,
  type QaReviewSummary,
  type QaSampleView,
  type QaSettings,
} from '../quality-types';
import { zonedStamp } from '../workspace-types';
import '../quality.css';

type View = 'queue' | 'calls' | 'scored' | 'settings';

const VIEWS: Record<View, string> = {
  queue: 'Review queue',
  calls: 'Review any call',
  scored: 'Scored',
  settings: 'Settings',
};

const isView = (v: string | null): v is View => v !== null && v in VIEWS;

/** Managers and admins: the daily sample's queue, any call, the scored reviews and the sample share. */
export function QualityPage() {
  const base = usePracticeBase();
  return (
    <Page title="QA reviews" testId="quality-page">
      {base ? <Quality key={base} base={base} /> : <NoPractice what="QA reviews" />}
    </Page>
  );
}

function Quality({ base }: { base: string }) {
  const params = useFilterParams();
  const view: View = isView(params.get('view')) ? (params.get('view') as View) : 'queue';
  const reviewId = params.get('review');
  const criteria = useApi<QaCriteria>(`${base}/qa/criteria`);
  const open = (id: string) => params.set({ review: id });

  return (
    <>
      <p className="lead">
        Every morning Recall draws a random share of each agent&apos;s contacts of the day before (the seed is
        kept, so the draw can be checked). Score each call on the playbook&apos;s criteria; the agent sees the
        scores and your comments.
      </p>
      <nav className="section-nav qa-views" aria-label="QA views">
        {(Object.keys(VIEWS) as View[]).map((v) => (
          <button
            key={v}
            type="button"
            className={v === view ? 'link-button current' : 'link-button'}
            aria-current={v === view ? 'page' : undefined}
            onClick={() => params.set({ view: v === 'queue' ? null : v, review: null })}
          >
            {VIEWS[v]}
          </button>
        ))}
      </nav>
      <Alert message={criteria.error} />
      {reviewId && criteria.data ? (
        <ReviewForm
          key={reviewId}
          base={base}
          reviewId={reviewId}
          criteria={criteria.data}
          onClose={() => params.set({ review: null })}
        />
      ) : view === 'queue' ? (
        <Queue base={base} onOpen={open} />
      ) : view === 'calls' ? (
        <Calls base={base} onOpen={open} />
      ) : view === 'scored' ? (
        <Scored base={base} onOpen={open} />
      ) : (
        <Settings base={base} />
      )}
    </>
  );
}

function Queue({ base, onOpen }: { base: string; onOpen: (id: string) => void }) {
  const zone = useSession().practice?.timezone;
  const queue = useApi<List<QaReviewSummary>>(`${base}/qa/reviews?state=pending`);
  const samples = useApi<List<QaSampleView>>(`${base}/qa/samples`);
  const [day, setDay] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const items = queue.data?.items ?? [];
  const latest = samples.data?.items[0];
  const perAgent = [
    ...items
      .reduce(
        (m, r) => m.set(r.agent, { name: r.agentName, n: (m.get(r.agent)?.n ?? 0) + 1 }),
        new Map<string, { name: string; n: number }>(),
      )
      .entries(),
  ];

  const draw = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      const s = await api<QaSampleView>(`${base}/qa/samples`, {
        method: 'POST',
        body: day ? { day } : {},
      });
      setStatus(
        `${s.created ? 'Sampled' : 'Already sampled'} ${s.day}: ${s.sampled} of ${s.contacts} ${s.contacts === 1 ? 'contact' : 'contacts'} (seed ${s.seed}).`,
      );
      queue.reload();
      samples.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="qa-queue-title">
      <div className="section-head">
        <h2 id="qa-queue-title">Waiting for a score</h2>
        <button type="button" className="secondary" onClick={queue.reload} disabled={queue.loading}>
          {queue.loading ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      <p className="muted" data-testid="qa-latest-sample">
        {latest
          ? `Latest sample: ${latest.day}, ${latest.sampled} of ${latest.contacts} contacts at ${Math.round(latest.share * 1000) / 10}% (seed ${latest.seed}).`
          : samples.data
            ? 'No day has been sampled yet.'
            : ''}
      </p>
      <form className="filter-bar" onSubmit={draw} noValidate>
        <div className="field">
          <label htmlFor="qa-sample-day">Sample a day</label>
          <input id="qa-sample-day" type="date" value={day} onChange={(e) => setDay(e.target.value)} />
        </div>
        <button type="submit" className="secondary" disabled={busy}>
          {busy ? 'Sampling…' : day ? 'Sample this day' : 'Sample yesterday'}
        </button>
      </form>
      <Notice message={status} />
      <Alert message={error ?? queue.error ?? samples.error} />
      {perAgent.length > 0 && (
        <ul className="qa-agent-counts" aria-label="Waiting per agent">
          {perAgent.map(([login, a]) => (
            <li key={login}>
              <strong>{a.name}</strong> {a.n} {a.n === 1 ? 'call' : 'calls'}
            </li>
          ))}
        </ul>
      )}
      <ReviewTable items={items} zone={zone} onOpen={onOpen} testId="qa-queue" loading={queue.loading}>
        {queue.data ? 'Nothing waiting: every sampled call has a score.' : 'Loading…'}
      </ReviewTable>
    </section>
  );
}

function Scored({ base, onOpen }: { base: string; onOpen: (id: string) => void }) {
  const zone = useSession().practice?.timezone;
  const list = useApi<List<QaReviewSummary>>(`${base}/qa/reviews?state=scored`);
  return (
    <section aria-labelledby="qa-scored-title">
      <h2 id="qa-scored-title">Scored reviews</h2>
      <Alert message={list.error} />
      <ReviewTable
        items={list.data?.items ?? []}
        zone={zone}
        onOpen={onOpen}
        testId="qa-scored"
        loading={list.loading}
      >
        {list.data ? 'No call has been scored yet.' : 'Loading…'}
      </ReviewTable>
    </section>
  );
}

function ReviewTable({
  items,
  zone,
  onOpen,
  testId,
  loading,
  children,
}: {
  items: QaReviewSummary[];
  zone: string | undefined;
  onOpen: (id: string) => void;
  testId: string;
  loading: boolean;
  children: string;
}) {
  return (
    <div className="table-scroll">
      <table data-testid={testId} aria-busy={loading}>
        <caption>
          {items.length.toLocaleString()} {items.length === 1 ? 'call' : 'calls'}
        </caption>
        <thead>
          <tr>
            <th scope="col">Call</th>
            <th scope="col">Agent</th>
            <th scope="col">Patient</th>
            <th scope="col">Campaign · outcome</th>
            <th scope="col">Why</th>
            <th scope="col" className="num">
              Score
            </th>
            <th scope="col">
              <span className="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id} data-testid="qa-review-row">
              <td className="nowrap">{zonedStamp(r.endedAt, zone)}</td>
              <td>{r.agentName}</td>
              <td>
                {r.patientName ?? '—'}
                {r.mrn && <small>MRN {r.mrn}</small>}
              </td>
              <td>
                {r.campaignName}
                <small>{r.code}</small>
              </td>
              <td>{r.source === 'sample' ? 'Daily sample' : 'Picked'}</td>
              <td className="num">{scoreText(r.score)}</td>
              <td>
                <button
                  type="button"
                  className="small"
                  onClick={() => onOpen(r.id)}
                  aria-label={`${r.state === 'scored' ? 'Open' : 'Review'} ${r.agentName}'s call with ${r.patientName ?? 'the patient'}`}
                >
                  {r.state === 'scored' ? 'Open' : 'Review…'}
                </button>
              </td>
            </tr>
          ))}
          {items.length === 0 && <TableNote colSpan={7}>{children}</TableNote>}
        </tbody>
      </table>
    </div>
  );
}

/** Any call of a day, for a supervisor to pick: it joins the queue (or opens its review). */
function Calls({ base, onOpen }: { base: string; onOpen: (id: string) => void }) {
  const zone = useSession().practice?.timezone;
  const params = useFilterParams();
  const day = params.get('day') ?? '';
  const agentId = params.get('agent') ?? '';
  const agents = useApi<List<AgentRef>>(`${base}/agents`);
  const q = new URLSearchParams();
  if (day) q.set('day', day);
  if (agentId) q.set('agentId', agentId);
  const calls = useApi<List<QaCall>>(`${base}/qa/calls${q.size ? `?${q}` : ''}`);
  const [error, setError] = useState<string | null>(null);
  const items = calls.data?.items ?? [];

  const pick = async (c: QaCall) => {
    setError(null);
    try {
      const r = await api<{ reviewId: string }>(`${base}/qa/reviews`, {
        method: 'POST',
        body: { attemptId: c.attemptId },
      });
      onOpen(r.reviewId);
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <section aria-labelledby="qa-calls-title">
      <h2 id="qa-calls-title">Review any call</h2>
      <div className="filter-bar">
        <div className="field">
          <label htmlFor="qa-calls-day">Day</label>
          <input
            id="qa-calls-day"
            type="date"
            value={day}
            onChange={(e) => params.set({ day: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="qa-calls-agent">Agent</label>
          <select id="qa-calls-agent" value={agentId} onChange={(e) => params.set({ agent: e.target.value })}>
            <option value="">All agents</option>
            {(agents.data?.items ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.displayName}
              </option>
            ))}
          </select>
        </div>
      </div>
      {!day && <p className="muted">Today&apos;s calls; choose a day for another.</p>}
      <Alert message={error ?? calls.error ?? agents.error} />
      <div className="table-scroll">
        <table data-testid="qa-calls" aria-busy={calls.loading}>
          <caption>
            {items.length.toLocaleString()} {items.length === 1 ? 'call' : 'calls'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Call</th>
              <th scope="col">Agent</th>
              <th scope="col">Patient</th>
              <th scope="col">Campaign · outcome</th>
              <th scope="col">Review</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.attemptId} data-testid="qa-call-row">
                <td className="nowrap">{zonedStamp(c.endedAt, zone)}</td>
                <td>{c.agent}</td>
                <td>
                  {c.patientName ?? '—'}
                  {c.mrn && <small>MRN {c.mrn}</small>}
                </td>
                <td>
                  {c.campaignName}
                  <small>
                    {c.code}
                    {c.contact ? '' : ' (no contact)'}
                  </small>
                </td>
                <td>
                  <button
                    type="button"
                    className="small"
                    onClick={() => (c.reviewId ? onOpen(c.reviewId) : void pick(c))}
                    aria-label={`Review the ${c.code} call with ${c.patientName ?? 'the patient'}`}
                  >
                    {c.reviewState === 'scored' ? 'Scored: open' : c.reviewId ? 'Queued: review…' : 'Review…'}
                  </button>
                </td>
              </tr>
            ))}
            {items.length === 0 && (
              <TableNote colSpan={5}>{calls.data ? 'No calls on this day.' : 'Loading…'}</TableNote>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

type Answer = boolean | null;

/** The score sheet: 1–5 on each criterion, disposition accuracy, comments; errors next to their field. */
function ReviewForm({
  base,
  reviewId,
  criteria,
  onClose,
}: {
  base: string;
  reviewId: string;
  criteria: QaCriteria;
  onClose: () => void;
}) {
  const zone = useSession().practice?.timezone;
  const review = useApi<QaReviewDetail>(`${base}/qa/reviews/${reviewId}`);
  const [scores, setScores] = useState<Record<string, number> | null>(null);
  const [codeCorrect, setCodeCorrect] = useState<Answer | undefined>(undefined);
  const [appointmentCorrect, setAppointmentCorrect] = useState<Answer | undefined>(undefined);
  const [comments, setComments] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ field: string | null; message: string } | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const r = review.data;
  if (!r) {
    return (
      <>
        <Alert message={review.error} />
        {!review.error && <p className="muted">Loading…</p>}
        <button type="button" className="secondary" onClick={onClose}>
          Back
        </button>
      </>
    );
  }
  const sheet = scores ?? r.scores;
  const code = codeCorrect === undefined ? r.codeCorrect : codeCorrect;
  const appointment = appointmentCorrect === undefined ? r.appointmentCorrect : appointmentCorrect;
  const text = comments ?? r.comments ?? '';
  const hasAppointment = r.attempt.appointmentAt !== null;
  const { min, max } = criteria.scale;
  const steps = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  const errorFor = (field: string) => (problem?.field === field ? problem.message : null);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const missing = criteria.items.find((c) => sheet[c.key] === undefined);
    if (missing) {
      setProblem({ field: `scores.${missing.key}`, message: `Score ${missing.label}.` });
      document.getElementById(`qa-${missing.key}-${min}`)?.focus();
      return;
    }
    if (code === null) {
      setProblem({ field: 'codeCorrect', message: 'Say whether the disposition code was right.' });
      document.getElementById('qa-code-yes')?.focus();
      return;
    }
    if (hasAppointment && appointment === null) {
      setProblem({
        field: 'appointmentCorrect',
        message: 'Say whether the appointment was booked as the notes say.',
      });
      document.getElementById('qa-appointment-yes')?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    setStatus(null);
    try {
      const saved = await api<QaReviewDetail>(`${base}/qa/reviews/${reviewId}/score`, {
        method: 'PUT',
        body: {
          scores: sheet,
          codeCorrect: code,
          ...(hasAppointment ? { appointmentCorrect: appointment } : {}),
          comments: text,
        },
      });
      setStatus(`Saved: ${scoreText(saved.score)} for ${saved.agentName}.`);
      review.reload();
    } catch (err) {
      setProblem({ field: err instanceof ApiError ? err.field : null, message: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="qa-review" aria-labelledby="qa-review-title" data-testid="qa-review">
      <div className="section-head">
        <h2 id="qa-review-title">
          {r.agentName}&apos;s call with {r.patientName ?? 'a patient'}
        </h2>
        <button type="button" className="secondary" onClick={onClose}>
          Back to the list
        </button>
      </div>
      <CallFacts review={r} zone={zone} />
      <form className="form qa-sheet" onSubmit={save} noValidate>
        {criteria.items.map((c) => {
          const error = errorFor(`scores.${c.key}`);
          return (
            <fieldset
              key={c.key}
              className="qa-criterion"
              aria-invalid={!!error || undefined}
              aria-describedby={error ? `qa-${c.key}-error` : undefined}
            >
              <legend>{c.label}</legend>
              <div className="inline-checks">
                {steps.map((n) => (
                  <label key={n} className="qa-step">
                    <input
                      id={`qa-${c.key}-${n}`}
                      type="radio"
                      name={`qa-${c.key}`}
                      value={n}
                      checked={sheet[c.key] === n}
                      onChange={() => {
                        setScores({ ...sheet, [c.key]: n });
                        setProblem(null);
                      }}
                    />{' '}
                    {n} <small>{criteria.labels[n]}</small>
                  </label>
                ))}
              </div>
              {error && (
                <small className="problem-text" id={`qa-${c.key}-error`} role="alert">
                  {error}
                </small>
              )}
            </fieldset>
          );
        })}
        <YesNo
          name="code"
          legend={`Disposition accuracy: was ${r.attempt.code} (${r.attempt.codeLabel}) the right code?`}
          value={code}
          onChange={(v) => {
            setCodeCorrect(v);
            setProblem(null);
          }}
          error={errorFor('codeCorrect')}
        />
        {hasAppointment && (
          <YesNo
            name="appointment"
            legend="Was the appointment booked as the notes say?"
            value={appointment}
            onChange={(v) => {
              setAppointmentCorrect(v);
              setProblem(null);
            }}
            error={errorFor('appointmentCorrect')}
          />
        )}
        <div className="field">
          <label htmlFor="qa-comments">Comments for the agent</label>
          <textarea
            id="qa-comments"
            rows={3}
            maxLength={4000}
            value={text}
            aria-invalid={!!errorFor('comments') || undefined}
            onChange={(e) => setComments(e.target.value)}
          />
          {errorFor('comments') && (
            <small className="problem-text" role="alert">
              {errorFor('comments')}
            </small>
          )}
        </div>
        {problem && problem.field === null && <Alert message={problem.message} />}
        <Notice message={status} />
        <div className="buttons">
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : r.state === 'scored' ? 'Save the new score' : 'Save score'}
          </button>
        </div>
      </form>
    </section>
  );
}

function YesNo({
  name,
  legend,
  value,
  onChange,
  error,
}: {
  name: string;
  legend: string;
  value: Answer;
  onChange: (v: boolean) => void;
  error: string | null;
}) {
  return (
    <fieldset aria-invalid={!!error || undefined} aria-describedby={error ? `qa-${name}-error` : undefined}>
      <legend>{legend}</legend>
      <div className="inline-checks">
        <label>
          <input
            id={`qa-${name}-yes`}
            type="radio"
            name={`qa-${name}`}
            checked={value === true}
            onChange={() => onChange(true)}
          />{' '}
          Yes
        </label>
        <label>
          <input
            id={`qa-${name}-no`}
            type="radio"
            name={`qa-${name}`}
            checked={value === false}
            onChange={() => onChange(false)}
          />{' '}
          No
        </label>
      </div>
      {error && (
        <small className="problem-text" id={`qa-${name}-error`} role="alert">
          {error}
        </small>
      )}
    </fieldset>
  );
}

function CallFacts({ review: r, zone }: { review: QaReviewDetail; zone: string | undefined }) {
  const a = r.attempt;
  return (
    <dl className="facts qa-call" data-testid="qa-call">
      <dt>Call</dt>
      <dd>
        {zonedStamp(a.endedAt, zone)}
        {a.attemptNumber !== null && ` · attempt ${a.attemptNumber}`} · handle time{' '}
        {duration(a.handleSeconds)}
      </dd>
      <dt>Campaign</dt>
      <dd>{r.campaignName}</dd>
      <dt>Patient</dt>
      <dd>
        {r.patientName ?? '—'}
        {r.mrn && ` (MRN ${r.mrn})`}
      </dd>
      <dt>Outcome</dt>
      <dd>
        {a.code} · {a.codeLabel}
        {a.reason && ` · ${a.reason}`}
      </dd>
      {a.appointmentAt && (
        <>
          <dt>Appointment</dt>
          <dd>{zonedStamp(a.appointmentAt, zone)}</dd>
        </>
      )}
      {a.callbackAt && (
        <>
          <dt>Callback</dt>
          <dd>{zonedStamp(a.callbackAt, zone)}</dd>
        </>
      )}
      <dt>Remarks</dt>
      <dd>{a.remarks ?? <span className="muted">none</span>}</dd>
      <dt>Why reviewed</dt>
      <dd>
        {r.sample
          ? `Daily sample of ${r.sample.day} (${Math.round(r.sample.share * 1000) / 10}%, seed ${r.sample.seed})`
          : 'Picked by a supervisor'}
      </dd>
      {r.state === 'scored' && (
        <>
          <dt>Score</dt>
          <dd data-testid="qa-score">
            {scoreText(r.score)} by {r.reviewer} · {zonedStamp(r.scoredAt, zone)}
          </dd>
        </>
      )}
    </dl>
  );
}

function Settings({ base }: { base: string }) {
  const settings = useApi<QaSettings>(`${base}/qa/settings`);
  const [percent, setPercent] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shown =
    percent ?? (settings.data ? String(Math.round(settings.data.sampleShare * 100_000) / 1000) : '');

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const n = Number(shown);
    if (shown.trim() === '' || !(n >= 0 && n <= 100)) {
      setError('A share from 0 to 100 %.');
      document.getElementById('qa-share')?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      const saved = await api<QaSettings>(`${base}/qa/settings`, {
        method: 'PUT',
        body: { sampleShare: n / 100 },
      });
      setPercent(null);
      setStatus(`Saved: ${Math.round(saved.sampleShare * 100_000) / 1000}% of each agent's contacts a day.`);
      settings.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="qa-settings-title">
      <h2 id="qa-settings-title">Sampling</h2>
      <Alert message={settings.error} />
      <form className="form" onSubmit={save} noValidate>
        <div className="field">
          <label htmlFor="qa-share">Share of each agent&apos;s contacts sampled every day (%)</label>
          <input
            id="qa-share"
            type="number"
            min={0}
            max={100}
            step={0.1}
            value={shown}
            aria-invalid={!!error || undefined}
            aria-describedby="qa-share-hint"
            onChange={(e) => {
              setPercent(e.target.value);
              setError(null);
            }}
          />
          <small id="qa-share-hint" className="muted">
            The playbook audits about 10 % of calls daily. An agent with any contact gets at least one call
            sampled when the share is above 0.
          </small>
          {error && (
            <small className="problem-text" role="alert">
              {error}
            </small>
          )}
        </div>
        <Notice message={status} />
        <div className="buttons">
          <button type="submit" disabled={busy || !settings.data}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </section>
  );
}

/** Agents: their own scored reviews, newest first, with each criterion and the comments. */
export function MyReviewsPage() {
  const base = usePracticeBase();
  return (
    <Page title="My QA reviews" testId="my-qa-page">
      {base ? <MyReviews key={base} base={base} /> : <NoPractice what="QA reviews" />}
    </Page>
  );
}

function MyReviews({ base }: { base: string }) {
  const zone = useSession().practice?.timezone;
  const mine = useApi<List<QaReviewDetail>>(`${base}/qa/mine`);
  const criteria = useApi<QaCriteria>(`${base}/qa/criteria`);
  const items = mine.data?.items ?? [];
  const labels = new Map((criteria.data?.items ?? []).map((c) => [c.key, c.label]));
  return (
    <>
      <p className="lead">
        Calls a supervisor listened to and scored (1 to 5 on each point of the call), with their comments.
      </p>
      <Alert message={mine.error ?? criteria.error} />
      {!mine.data && mine.loading && <p className="muted">Loading…</p>}
      {mine.data && items.length === 0 && <p className="muted">No scored calls yet.</p>}
      <ol className="qa-mine" data-testid="qa-mine">
        {items.map((r) => (
          <li key={r.id} className="card qa-mine-item" data-testid="qa-mine-item">
            <div className="section-head">
              <h2>
                {r.patientName ?? 'A patient'} · {r.attempt.code}
              </h2>
              <span className="qa-score" data-testid="qa-mine-score">
                {scoreText(r.score)}
              </span>
            </div>
            <p className="muted">
              Call {zonedStamp(r.endedAt, zone)} · {r.campaignName} · scored by {r.reviewer}{' '}
              {zonedStamp(r.scoredAt, zone)}
            </p>
            <dl className="facts">
              {Object.entries(r.scores).map(([k, v]) => (
                <div key={k} className="qa-fact">
                  <dt>{labels.get(k) ?? k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
              <div className="qa-fact">
                <dt>Right disposition code</dt>
                <dd>{r.codeCorrect ? 'yes' : 'no'}</dd>
              </div>
              {r.appointmentCorrect !== null && (
                <div className="qa-fact">
                  <dt>Appointment as the notes say</dt>
                  <dd>{r.appointmentCorrect ? 'yes' : 'no'}</dd>
                </div>
              )}
            </dl>
            {r.comments && (
              <blockquote className="qa-comments" data-testid="qa-mine-comments">
                {r.comments}
              </blockquote>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}
