import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { Link } from 'react-router-dom';
import { api, errorText, useApi, type List } from '../api';
import { NoPractice, Notice, TableNote } from '../components';
import { Alert, Page } from '../layout';
import {
  dateTime,
  FILE_KINDS,
  FILE_LABELS,
  FINISHED,
  usePracticeBase,
  type FileKind,
  type ImportIssue,
  type ImportStatus,
  type ImportSummary,
  type ImportView,
} from '../records';
import { formatBytes, MappingStep } from './import-mapping';

const STATUS_LABELS: Record<ImportStatus, string> = {
  draft: 'Draft',
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function ImportsPage() {
  const base = usePracticeBase();
  return (
    <Page title="Imports" testId="imports">
      {base ? <Imports key={base} base={base} /> : <NoPractice what="imports" />}
    </Page>
  );
}

function Imports({ base }: { base: string }) {
  const history = useApi<List<ImportView>>(`${base}/imports`);
  const [open, setOpen] = useState<ImportView | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const detailRef = useRef<HTMLElement>(null);

  const show = (target: ImportView | 'new' | null) => {
    setNotice(null);
    setOpen(target);
  };

  useEffect(() => {
    if (open) detailRef.current?.focus();
  }, [open]);

  return (
    <>
      <Notice message={notice} />
      {open === null ? (
        <p>
          <button type="button" onClick={() => show('new')}>
            New import
          </button>
        </p>
      ) : (
        <section className="wizard" ref={detailRef} tabIndex={-1} aria-labelledby="wizard-heading">
          <div className="section-head">
            <h2 id="wizard-heading">
              {open === 'new'
                ? 'New import'
                : `Import of ${new Date(open.createdAt).toLocaleString()} (${open.files.map((f) => f.name).join(', ')})`}
            </h2>
            <button type="button" className="secondary" onClick={() => show(null)}>
              Close
            </button>
          </div>
          {open === 'new' ? (
            <>
              <Steps current={0} />
              <UploadForm
                base={base}
                onUploaded={(view) => {
                  history.reload();
                  setOpen(view);
                }}
              />
            </>
          ) : (
            <ImportDetail
              key={open.id}
              base={base}
              initial={open}
              onChanged={history.reload}
              onDiscarded={() => {
                history.reload();
                show(null);
                setNotice('The draft import was discarded.');
              }}
            />
          )}
        </section>
      )}
      <ImportHistory history={history} onOpen={show} />
    </>
  );
}

const STEPS = ['Upload', 'Mapping and preview', 'Run', 'Result'];

function Steps({ current }: { current: number }) {
  return (
    <ol className="steps" aria-label="Import steps">
      {STEPS.map((s, i) => (
        <li
          key={s}
          className={i === current ? 'current' : i < current ? 'done' : undefined}
          aria-current={i === current ? 'step' : undefined}
        >
          {s}
        </li>
      ))}
    </ol>
  );
}

function ImportHistory({
  history,
  onOpen,
}: {
  history: ReturnType<typeof useApi<List<ImportView>>>;
  onOpen(view: ImportView): void;
}) {
  return (
    <>
      <Alert message={history.error} />
      <div className="table-scroll">
        <table data-testid="import-history">
          <caption>Import history</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Files</th>
              <th scope="col">Status</th>
              <th scope="col">Rows</th>
              <th scope="col">Accepted / rejected</th>
              <th scope="col">Created / updated / unchanged</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {history.data?.items.map((imp) => {
              const s = imp.summary;
              return (
                <tr key={imp.id}>
                  <td>{new Date(imp.createdAt).toLocaleString()}</td>
                  <td>
                    <ul className="plain">
                      {imp.files.map((f) => (
                        <li key={f.kind}>
                          <span className="muted">{FILE_LABELS[f.kind]}:</span> {f.name}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <StatusBadge status={imp.status} />
                    {imp.dryRun && <small>dry run</small>}
                  </td>
                  <td>{s ? s.totalRows : imp.status === 'running' ? imp.progress.rowsDone : '—'}</td>
                  <td>{s ? `${s.accepted} / ${s.rejected}` : '—'}</td>
                  <td>{s ? `${s.created} / ${s.updated} / ${s.unchanged}` : '—'}</td>
                  <td>
                    <button type="button" className="secondary small" onClick={() => onOpen(imp)}>
                      {imp.status === 'draft' ? 'Continue' : 'Open'}
                    </button>
                  </td>
                </tr>
              );
            })}
            {history.data?.items.length === 0 && <TableNote colSpan={7}>No imports yet.</TableNote>}
            {!history.data && history.loading && <TableNote colSpan={7}>Loading…</TableNote>}
          </tbody>
        </table>
      </div>
    </>
  );
}

function StatusBadge({ status }: { status: ImportStatus }) {
  return <span className={`badge status-${status}`}>{STATUS_LABELS[status]}</span>;
}

// Step 1: upload -------------------------------------------------------------------------------

const FILE_HINTS: Record<FileKind, string> = {
  patients: 'Required. One row per patient: id (MRN), name, birth date, phones, address…',
  appointments: 'Optional. Past and future appointments with their status.',
  encounters: 'Optional. Completed visits (encounters).',
};

function UploadForm({ base, onUploaded }: { base: string; onUploaded(view: ImportView): void }) {
  const [files, setFiles] = useState<Partial<Record<FileKind, File>>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!files.patients) {
      setError('Choose the patients file.');
      return;
    }
    setBusy(true);
    setError(null);
    const form = new FormData();
    for (const kind of FILE_KINDS) {
      const file = files[kind];
      if (file) form.append(kind, file, file.name);
    }
    try {
      onUploaded(await api<ImportView>(`${base}/imports`, { method: 'POST', body: form }));
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="upload-heading">
      <h3 id="upload-heading">Upload the EMR export</h3>
      <p className="muted">
        CSV or other delimited text (comma, semicolon, tab or |), UTF-8 or Windows-1252. Recall reads the
        layout itself and proposes a column mapping.
      </p>
      <Alert message={error} />
      {FILE_KINDS.map((kind) => (
        <div className="field" key={kind}>
          <label htmlFor={`upload-${kind}`}>
            {FILE_LABELS[kind]} file{kind === 'patients' ? '' : ' (optional)'}
          </label>
          <input
            id={`upload-${kind}`}
            name={kind}
            type="file"
            accept=".csv,.txt,.tsv,.tab,.psv,text/csv,text/plain,text/tab-separated-values"
            required={kind === 'patients'}
            aria-describedby={`upload-${kind}-hint`}
            onChange={(e) => setFiles((f) => ({ ...f, [kind]: e.target.files?.[0] }))}
          />
          <small id={`upload-${kind}-hint`}>{FILE_HINTS[kind]}</small>
        </div>
      ))}
      <button type="submit" disabled={busy}>
        {busy ? 'Uploading…' : 'Upload and preview'}
      </button>
    </form>
  );
}

// One import: mapping (draft), progress, result ------------------------------------------------

interface Sample {
  at: number;
  rows: number;
  bytes: number;
}

function ImportDetail({
  base,
  initial,
  onChanged,
  onDiscarded,
}: {
  base: string;
  initial: ImportView;
  onChanged(): void;
  onDiscarded(): void;
}) {
  const [view, setView] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [retry, setRetry] = useState(0);
  const [cancelling, setCancelling] = useState(false);
  const samples = useRef<Sample[]>([]);
  const path = `${base}/imports/${view.id}`;
  const active = view.status === 'queued' || view.status === 'running';

  // Poll every second while the import is queued or running.
  useEffect(() => {
    if (!active) return;
    let current = true;
    const timer = setTimeout(() => {
      api<ImportView>(path).then(
        (next) => {
          if (!current) return;
          setError(null);
          if (next.status === 'running') {
            samples.current = [
              ...samples.current.slice(-30),
              { at: performance.now(), rows: next.progress.rowsDone, bytes: next.progress.bytesDone },
            ];
          }
          setView(next);
          if (FINISHED.includes(next.status)) onChanged();
        },
        (e: unknown) => {
          if (!current) return;
          setError(`Could not refresh the progress: ${errorText(e)}`);
          setRetry((n) => n + 1);
        },
      );
    }, 1000);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [active, path, view, retry, onChanged]);

  const cancel = async () => {
    setCancelling(true);
    try {
      setView(await api<ImportView>(`${path}/cancel`, { method: 'POST' }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setCancelling(false);
    }
  };

  if (view.status === 'draft') {
    return (
      <>
        <Steps current={1} />
        <MappingStep
          base={base}
          draft={view}
          onStarted={(started) => {
            samples.current = [];
            setView(started);
            onChanged();
          }}
          onDiscarded={onDiscarded}
        />
      </>
    );
  }
  return (
    <>
      <Steps current={active ? 2 : 3} />
      <Alert message={error} />
      {active ? (
        <ImportProgress view={view} samples={samples.current} cancelling={cancelling} onCancel={cancel} />
      ) : (
        <ImportResult path={path} view={view} />
      )}
    </>
  );
}

function ImportProgress({
  view,
  samples,
  cancelling,
  onCancel,
}: {
  view: ImportView;
  samples: Sample[];
  cancelling: boolean;
  onCancel(): void;
}) {
  const { rowsDone, bytesDone, bytesTotal, phase } = view.progress;
  const percent = bytesTotal > 0 ? Math.min(100, Math.round((bytesDone / bytesTotal) * 100)) : 0;
  const first = samples[0];
  const last = samples[samples.length - 1];
  const seconds = first && last ? (last.at - first.at) / 1000 : 0;
  const rowsPerSecond = seconds >= 1 ? (last.rows - first.rows) / seconds : null;
  const bytesPerSecond = seconds >= 1 ? (last.bytes - first.bytes) / seconds : null;
  const eta = bytesPerSecond && bytesPerSecond > 0 ? (bytesTotal - bytesDone) / bytesPerSecond : null;

  return (
    <section className="card" aria-labelledby="progress-heading" data-testid="import-progress">
      <h3 id="progress-heading">
        {view.status === 'queued' ? 'Waiting to start…' : view.dryRun ? 'Dry run in progress' : 'Importing…'}
      </h3>
      <label htmlFor="import-progress-bar" className="visually-hidden">
        Import progress
      </label>
      <progress id="import-progress-bar" max={bytesTotal || 1} value={bytesDone}>
        {percent}%
      </progress>
      <dl className="facts" aria-live="polite">
        <dt>Phase</dt>
        <dd>{phase ?? (view.status === 'queued' ? 'queued' : 'starting')}</dd>
        <dt>Read</dt>
        <dd>
          {percent}% ({formatBytes(bytesDone)} of {formatBytes(bytesTotal)})
        </dd>
        <dt>Rows done</dt>
        <dd>{rowsDone.toLocaleString()}</dd>
        <dt>Speed</dt>
        <dd>{rowsPerSecond === null ? '—' : `${Math.round(rowsPerSecond).toLocaleString()} rows/s`}</dd>
        <dt>Time left</dt>
        <dd>{eta === null ? '—' : duration(eta)}</dd>
        <dt>Started</dt>
        <dd>{dateTime(view.progress.startedAt)}</dd>
      </dl>
      <button type="button" className="secondary" disabled={cancelling} onClick={onCancel}>
        {cancelling ? 'Cancelling…' : 'Cancel import'}
      </button>
    </section>
  );
}

const COUNTS: [key: keyof Omit<ImportSummary, 'files' | 'visits'>, label: string][] = [
  ['totalRows', 'rows read'],
  ['accepted', 'accepted'],
  ['rejected', 'rejected'],
  ['created', 'patients created'],
  ['updated', 'patients updated'],
  ['unchanged', 'patients unchanged'],
  ['mergedRows', 'rows folded into another row of the same patient'],
  ['warnings', 'warnings'],
  ['possibleDuplicates', 'possible duplicates'],
];

function ImportResult({ path, view }: { path: string; view: ImportView }) {
  const s = view.summary;
  const hasIssues = s !== null || view.status === 'failed';
  return (
    <section className="result" aria-labelledby="result-heading" data-testid="import-result">
      <h3 id="result-heading">
        {view.status === 'succeeded'
          ? view.dryRun
            ? 'Dry run finished'
            : 'Import finished'
          : view.status === 'failed'
            ? 'Import failed'
            : 'Import cancelled'}
      </h3>
      {view.status === 'failed' && <Alert message={view.error ?? 'The import failed.'} />}
      {view.status === 'cancelled' && <p className="muted">The import was cancelled before it finished.</p>}
      {view.dryRun && view.status === 'succeeded' && (
        <Notice message="Dry run: nothing was changed. The counts show what the import would do." />
      )}
      {s && (
        <>
          <ul className="stats" data-testid="import-summary" aria-label="Import summary">
            {COUNTS.map(([key, label]) => (
              <li key={key} className={`stat stat-${key}`}>
                <span className="stat-value" data-testid={`count-${key}`}>
                  {s[key].toLocaleString()}
                </span>
                <span className="stat-label">{label}</span>
              </li>
            ))}
          </ul>
          {s.possibleDuplicates > 0 && !view.dryRun && (
            <p>
              <Link to="/manager/duplicates">Review the possible duplicates</Link>
            </p>
          )}
          <FileCounts summary={s} />
        </>
      )}
      {hasIssues && <RejectedRows path={path} total={s?.rejected ?? null} />}
      {hasIssues && (
        <p className="downloads">
          <a href={`${path}/rejected.csv`} download>
            Download rejected rows (CSV)
          </a>
          <a href={`${path}/rejected.csv?severity=warning`} download>
            Download warnings (CSV)
          </a>
        </p>
      )}
      <p className="muted">
        Finished {dateTime(view.progress.finishedAt)}
        {view.profileName && <> · mapping profile “{view.profileName}”</>}
      </p>
    </section>
  );
}

function FileCounts({ summary }: { summary: ImportSummary }) {
  const files = Object.entries(summary.files);
  const visits = summary.visits;
  if (files.length < 2) return null;
  return (
    <table>
      <caption>Per file</caption>
      <thead>
        <tr>
          <th scope="col">File</th>
          <th scope="col">Rows</th>
          <th scope="col">Accepted</th>
          <th scope="col">Rejected</th>
          <th scope="col">Warnings</th>
        </tr>
      </thead>
      <tbody>
        {files.map(([kind, c]) => (
          <tr key={kind}>
            <td>{FILE_LABELS[kind as FileKind] ?? kind}</td>
            <td>{c.totalRows}</td>
            <td>{c.accepted}</td>
            <td>{c.rejected}</td>
            <td>{c.warnings}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td colSpan={5}>
            Visits: {visits.created} created, {visits.updated} updated, {visits.unchanged} unchanged
          </td>
        </tr>
      </tfoot>
    </table>
  );
}

function RejectedRows({ path, total }: { path: string; total: number | null }) {
  const issues = useApi<List<ImportIssue>>(`${path}/issues?severity=rejected&limit=100`);
  const items = issues.data?.items ?? [];
  if (issues.error) return <Alert message={issues.error} />;
  if (issues.data && items.length === 0) return <p className="muted">No row was rejected.</p>;
  return (
    <div className="table-scroll">
      <table data-testid="rejected-rows">
        <caption>
          Rejected rows
          {total !== null && total > items.length ? ` (the first ${items.length} of ${total})` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Line</th>
            <th scope="col">Column</th>
            <th scope="col">Reason</th>
            <th scope="col">Original row</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.id}>
              <td>{FILE_LABELS[i.fileKind] ?? i.fileKind}</td>
              <td>{i.line}</td>
              <td>{i.column ?? '—'}</td>
              <td>{i.reason}</td>
              <td>
                <code className="raw-row">{i.rawRow ?? ''}</code>
              </td>
            </tr>
          ))}
          {!issues.data && <TableNote colSpan={5}>Loading…</TableNote>}
        </tbody>
      </table>
    </div>
  );
}

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
