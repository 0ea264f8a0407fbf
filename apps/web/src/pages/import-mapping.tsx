import { useCallback, useEffect, useMemo, useState, type ReactNode, type SubmitEvent } from 'react';
import { api, errorText, useApi, type List } from '../api';
import { useSession } from '../auth';
import { Notice, PhoneList, TableNote } from '../components';
import { Alert } from '../layout';
import {
  FILE_LABELS,
  VISIT_STATUSES,
  VISIT_STATUS_LABELS,
  type DateOrder,
  type FieldSpec,
  type FileFormat,
  type FileKind,
  type FileMapping,
  type FilePreview,
  type ImportMapping,
  type ImportView,
  type MappedVisitStatus,
  type MappingProblem,
  type MappingProfile,
  type PreviewIssue,
  type PreviewResult,
  type PreviewRow,
  type StoredPhone,
} from '../records';

const DELIMITER_NAMES: Record<FileFormat['delimiter'], string> = {
  ',': 'comma',
  ';': 'semicolon',
  '\t': 'tab',
  '|': 'pipe (|)',
};

const DATE_ORDERS: [value: DateOrder | '', label: string][] = [
  ['', 'Automatic (from the values)'],
  ['mdy', 'M/D/Y (US: 03/04/2021 is March 4)'],
  ['dmy', 'D/M/Y (03/04/2021 is 3 April)'],
  ['ymd', 'Y-M-D (2021-03-04)'],
];

interface StatusRow {
  code: string;
  status: MappedVisitStatus | '';
}

interface MappingStepProps {
  /** `/api/practices/:id` */
  base: string;
  draft: ImportView;
  onStarted(view: ImportView): void;
  onDiscarded(): void;
}

/**
 * Step 2 of an import: check how each file was read, map its columns to fields (or apply a
 * profile), preview the first rows exactly as they would be stored, then start the run.
 */
export function MappingStep({ base, draft, onStarted, onDiscarded }: MappingStepProps) {
  const importPath = `${base}/imports/${draft.id}`;
  const zone = useSession().practice?.timezone;
  const fields = useApi<Record<FileKind, FieldSpec[]>>('/api/import-fields');
  const profiles = useApi<List<MappingProfile>>(`${base}/mapping-profiles`);

  const [mapping, setMapping] = useState<ImportMapping>(() => draft.mapping ?? { patients: { columns: {} } });
  const [statusRows, setStatusRows] = useState<StatusRow[]>(() => statusRowsOf(draft.mapping));
  const [codes, setCodes] = useState(() => ({
    deceased: (draft.mapping?.deceasedCodes ?? []).join(', '),
    doNotCall: (draft.mapping?.doNotCallCodes ?? []).join(', '),
  }));
  const [profileName, setProfileName] = useState<string | null>(draft.suggestedProfile);
  const [preview, setPreview] = useState<PreviewResult | null>(null);
  const [previewedWith, setPreviewedWith] = useState<string | null>(null);
  const [run, setRun] = useState({ saveAs: '', dryRun: false });
  const [busy, setBusy] = useState<'preview' | 'start' | 'discard' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(
    draft.suggestedProfile
      ? `The columns match the profile “${draft.suggestedProfile}”; it is applied.`
      : null,
  );

  /** What Start and Preview send: the file mappings plus the code tables. */
  const effective = useMemo<ImportMapping>(() => {
    const out: ImportMapping = { patients: mapping.patients };
    for (const f of draft.files) if (f.kind !== 'patients' && mapping[f.kind]) out[f.kind] = mapping[f.kind];
    const statusCodes = Object.fromEntries(
      statusRows
        .filter((r) => r.code.trim() !== '' && r.status !== '')
        .map((r) => [r.code.trim(), r.status as MappedVisitStatus]),
    );
    if (Object.keys(statusCodes).length > 0) out.statusCodes = statusCodes;
    const deceased = splitCodes(codes.deceased);
    if (deceased.length > 0) out.deceasedCodes = deceased;
    const doNotCall = splitCodes(codes.doNotCall);
    if (doNotCall.length > 0) out.doNotCallCodes = doNotCall;
    return out;
  }, [mapping, statusRows, codes, draft.files]);
  const effectiveKey = JSON.stringify(effective);
  const stale = preview !== null && previewedWith !== effectiveKey;

  const runPreview = useCallback(
    async (m: ImportMapping) => {
      setBusy('preview');
      setError(null);
      try {
        const result = await api<PreviewResult>(`${importPath}/preview`, {
          method: 'POST',
          body: { mapping: m },
        });
        setPreview(result);
        setPreviewedWith(JSON.stringify(m));
        setStatusRows((rows) => withUnknownStatuses(rows, result));
      } catch (e) {
        setError(errorText(e));
      } finally {
        setBusy(null);
      }
    },
    [importPath],
  );

  // Preview the suggested mapping as soon as the files are in.
  const [firstPreview] = useState(effective);
  useEffect(() => {
    void runPreview(firstPreview);
  }, [runPreview, firstPreview]);

  const editFile = (kind: FileKind, change: (m: FileMapping) => FileMapping) => {
    setProfileName(null);
    setMapping((m) => ({ ...m, [kind]: change(m[kind] ?? { columns: {} }) }));
  };

  const applyProfile = (kind: FileKind, name: string) => {
    const profile = profiles.data?.items.find((p) => p.name === name);
    const fileMapping = profile?.mapping[kind];
    if (!profile || !fileMapping) return;
    setMapping((m) => ({ ...m, [kind]: fileMapping }));
    if (kind === 'appointments' && profile.mapping.statusCodes) {
      setStatusRows((rows) => mergeStatusRows(rows, profile.mapping.statusCodes!));
    }
    if (kind === 'patients') {
      setCodes({
        deceased: (profile.mapping.deceasedCodes ?? []).join(', '),
        doNotCall: (profile.mapping.doNotCallCodes ?? []).join(', '),
      });
    }
    setProfileName(name);
    setNotice(`Profile “${name}” applied to the ${kind} file. Preview to check it.`);
  };

  const start = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy('start');
    setStartError(null);
    const saveAs = run.saveAs.trim();
    try {
      const view = await api<ImportView>(`${importPath}/start`, {
        method: 'POST',
        body: {
          mapping: effective,
          dryRun: run.dryRun,
          ...(saveAs ? { saveProfileAs: saveAs } : {}),
          ...(profileName && !saveAs ? { profileName } : {}),
        },
      });
      onStarted(view);
    } catch (e) {
      setStartError(errorText(e));
      setBusy(null);
    }
  };

  const discard = async () => {
    if (!window.confirm('Discard this import? The uploaded files are deleted.')) return;
    setBusy('discard');
    setError(null);
    try {
      await api(`${importPath}/cancel`, { method: 'POST' });
      onDiscarded();
    } catch (e) {
      setError(errorText(e));
      setBusy(null);
    }
  };

  const problems = preview?.files.flatMap((f) => f.problems) ?? [];

  return (
    <div className="mapping-step">
      <Alert message={error ?? fields.error ?? profiles.error} />
      <Notice message={notice} />
      {problems.length > 0 && !stale && (
        <div className="alert problems" role="alert" data-testid="mapping-problems">
          <strong>Fix the mapping before starting:</strong>
          <ul>
            {problems.map((p) => (
              <li key={`${p.file}-${p.field}-${p.message}`}>{p.message}</li>
            ))}
          </ul>
        </div>
      )}

      {draft.files.map((file) => (
        <FileCard
          key={file.kind}
          file={file}
          fields={fields.data?.[file.kind] ?? []}
          mapping={mapping[file.kind] ?? { columns: {} }}
          problems={preview?.files.find((f) => f.kind === file.kind)?.problems ?? []}
          profiles={(profiles.data?.items ?? []).filter((p) => p.mapping[file.kind])}
          onApplyProfile={(name) => applyProfile(file.kind, name)}
          onColumn={(field, header) =>
            editFile(file.kind, (m) => {
              const columns = { ...m.columns };
              if (header) columns[field] = header;
              else delete columns[field];
              return { ...m, columns };
            })
          }
          onDateOrder={(order) =>
            editFile(file.kind, (m) => {
              const { dateOrder: _old, ...rest } = m;
              return order ? { ...rest, dateOrder: order } : rest;
            })
          }
        >
          {file.kind === 'patients' && (
            <PatientCodes mapping={mapping.patients} codes={codes} onChange={setCodes} />
          )}
          {file.kind === 'appointments' && <StatusCodes rows={statusRows} onChange={setStatusRows} />}
        </FileCard>
      ))}

      <section className="card" aria-labelledby="preview-heading">
        <div className="section-head">
          <h2 id="preview-heading">Preview</h2>
          <button
            type="button"
            className="secondary"
            disabled={busy !== null}
            onClick={() => void runPreview(effective)}
          >
            {busy === 'preview' ? 'Previewing…' : 'Preview'}
          </button>
        </div>
        {stale && (
          <p className="warning-note" role="status">
            The mapping changed since this preview. Preview again to see its effect.
          </p>
        )}
        {!preview && busy === 'preview' && <p className="muted">Reading the first rows…</p>}
        {preview?.files.map((f) => (
          <PreviewTable key={f.kind} file={f} zone={zone} />
        ))}
      </section>

      <form className="card form run-form" onSubmit={start} aria-labelledby="run-heading">
        <h2 id="run-heading">Run the import</h2>
        <div className="field">
          <label htmlFor="save-profile">Save mapping as profile (optional)</label>
          <input
            id="save-profile"
            maxLength={80}
            aria-describedby="save-profile-hint"
            value={run.saveAs}
            onChange={(e) => setRun({ ...run, saveAs: e.target.value })}
          />
          <small id="save-profile-hint">
            Next time, files with these columns get this mapping by themselves.
          </small>
        </div>
        <div className="field checkbox">
          <input
            id="dry-run"
            type="checkbox"
            checked={run.dryRun}
            onChange={(e) => setRun({ ...run, dryRun: e.target.checked })}
          />
          <label htmlFor="dry-run">Dry run (change nothing)</label>
        </div>
        {problems.length > 0 && !stale && !startError && (
          <p className="problem-text">
            The mapping has {problems.length === 1 ? 'a problem' : `${problems.length} problems`} (listed at
            the top): the import cannot start until {problems.length === 1 ? 'it is' : 'they are'} fixed.
          </p>
        )}
        <Alert message={startError} />
        <div className="buttons">
          <button type="submit" disabled={busy !== null}>
            {busy === 'start' ? 'Starting…' : run.dryRun ? 'Start dry run' : 'Start import'}
          </button>
          <button type="button" className="secondary" disabled={busy !== null} onClick={() => void discard()}>
            Discard
          </button>
        </div>
      </form>
    </div>
  );
}

interface FileCardProps {
  file: ImportView['files'][number];
  fields: FieldSpec[];
  mapping: FileMapping;
  problems: MappingProblem[];
  profiles: MappingProfile[];
  onApplyProfile(name: string): void;
  onColumn(field: string, header: string): void;
  onDateOrder(order: DateOrder | ''): void;
  children?: ReactNode;
}

function FileCard({
  file,
  fields,
  mapping,
  problems,
  profiles,
  onApplyProfile,
  onColumn,
  onDateOrder,
  children,
}: FileCardProps) {
  const { kind, format } = file;
  const [profile, setProfile] = useState('');
  const headingId = `file-${kind}-heading`;
  const used = new Set(Object.values(mapping.columns).map((h) => resolveHeader(h, format.headers)));
  const unmapped = format.headers.filter((h) => !used.has(h));

  return (
    <section className="card file-card" aria-labelledby={headingId} data-testid={`file-${kind}`}>
      <h2 id={headingId}>
        {FILE_LABELS[kind]} file: <span className="file-name">{file.name}</span>
      </h2>
      <dl className="facts format">
        <dt>Encoding</dt>
        <dd>
          {format.encoding === 'utf-8' ? 'UTF-8' : 'Windows-1252'}
          {format.bom && ' (with byte-order mark)'}
        </dd>
        <dt>Delimiter</dt>
        <dd>{DELIMITER_NAMES[format.delimiter] ?? format.delimiter}</dd>
        <dt>Header row</dt>
        <dd>
          line {format.headerLine} ({format.headers.length} columns); data from line {format.dataLine}
        </dd>
        <dt>Skipped lines</dt>
        <dd>
          {format.skippedLines.length === 0 ? (
            'none'
          ) : (
            <>
              {format.skippedLines.length} title {format.skippedLines.length === 1 ? 'line' : 'lines'} above
              the header:
              <ul className="skipped">
                {format.skippedLines.map((l, i) => (
                  <li key={i}>
                    <q>{l}</q>
                  </li>
                ))}
              </ul>
            </>
          )}
        </dd>
        <dt>Size</dt>
        <dd>{formatBytes(file.bytes)}</dd>
      </dl>

      <div className="profile-picker">
        <label htmlFor={`profile-${kind}`}>Mapping profile</label>
        <div className="inline">
          <select id={`profile-${kind}`} value={profile} onChange={(e) => setProfile(e.target.value)}>
            <option value="">Choose a profile…</option>
            {profiles.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
                {p.builtin ? ' (built-in)' : ''}
                {p.description ? ` — ${p.description}` : ''}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="secondary"
            disabled={!profile}
            onClick={() => {
              onApplyProfile(profile);
              setProfile('');
            }}
          >
            Apply profile
          </button>
        </div>
        {profiles.length === 0 && <small>No saved profile has a {kind} mapping yet.</small>}
      </div>

      <table className="mapping-table">
        <caption>Columns of {file.name}</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Column in the file</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((field) => {
            const id = `map-${kind}-${field.name}`;
            const value = mapping.columns[field.name] ?? '';
            const selected = value ? (resolveHeader(value, format.headers) ?? value) : '';
            const fieldProblems = problems.filter((p) => p.field === field.name);
            return (
              <tr key={field.name} className={fieldProblems.length ? 'field-problem' : undefined}>
                <th scope="row">
                  <label htmlFor={id}>{field.label}</label>
                  {field.hint && <small id={`${id}-hint`}>{field.hint}</small>}
                </th>
                <td>
                  <select
                    id={id}
                    value={selected}
                    aria-invalid={fieldProblems.length > 0 || undefined}
                    aria-describedby={
                      [field.hint && `${id}-hint`, fieldProblems.length && `${id}-problem`]
                        .filter(Boolean)
                        .join(' ') || undefined
                    }
                    onChange={(e) => onColumn(field.name, e.target.value)}
                  >
                    <option value="">(not mapped)</option>
                    {format.headers.map((h) => (
                      <option key={h} value={h}>
                        {h}
                      </option>
                    ))}
                    {selected && !format.headers.includes(selected) && (
                      <option value={selected}>{selected} (not in this file)</option>
                    )}
                  </select>
                  {fieldProblems.length > 0 && (
                    <small id={`${id}-problem`} className="problem-text">
                      {fieldProblems.map((p) => p.message).join(' ')}
                    </small>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {unmapped.length > 0 && (
        <p className="muted unmapped">
          Not imported: {unmapped.map((h, i) => [i > 0 && ', ', <q key={h}>{h}</q>])}
        </p>
      )}

      <div className="field date-order">
        <label htmlFor={`dateorder-${kind}`}>Date order</label>
        <select
          id={`dateorder-${kind}`}
          value={mapping.dateOrder ?? ''}
          aria-describedby={`dateorder-${kind}-hint`}
          onChange={(e) => onDateOrder(e.target.value as DateOrder | '')}
        >
          {DATE_ORDERS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <small id={`dateorder-${kind}-hint`}>How to read dates such as 03/04/2021 in this file.</small>
      </div>
      {children}
    </section>
  );
}

function PatientCodes({
  mapping,
  codes,
  onChange,
}: {
  mapping: FileMapping;
  codes: { deceased: string; doNotCall: string };
  onChange(codes: { deceased: string; doNotCall: string }): void;
}) {
  if (!mapping.columns.deceasedStatus && !mapping.columns.doNotCall) return null;
  return (
    <div className="codes">
      {mapping.columns.deceasedStatus && (
        <div className="field">
          <label htmlFor="deceased-codes">More values meaning “deceased”</label>
          <input
            id="deceased-codes"
            aria-describedby="deceased-codes-hint"
            value={codes.deceased}
            onChange={(e) => onChange({ ...codes, deceased: e.target.value })}
          />
          <small id="deceased-codes-hint">
            Comma-separated; on top of deceased, dead, expired, died, D, Y, yes, true, 1, X.
          </small>
        </div>
      )}
      {mapping.columns.doNotCall && (
        <div className="field">
          <label htmlFor="dnc-codes">More values meaning “do not call”</label>
          <input
            id="dnc-codes"
            aria-describedby="dnc-codes-hint"
            value={codes.doNotCall}
            onChange={(e) => onChange({ ...codes, doNotCall: e.target.value })}
          />
          <small id="dnc-codes-hint">
            Comma-separated; on top of Y, yes, true, 1, X, DNC, do not call, no calls, none.
          </small>
        </div>
      )}
    </div>
  );
}

function StatusCodes({ rows, onChange }: { rows: StatusRow[]; onChange(rows: StatusRow[]): void }) {
  const set = (i: number, change: Partial<StatusRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  return (
    <div className="status-codes">
      <table>
        <caption>Appointment status codes</caption>
        <thead>
          <tr>
            <th scope="col">Code in the file</th>
            <th scope="col">Means</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} className={r.status === '' ? 'field-problem' : undefined}>
              <td>
                <input
                  aria-label={`Status code ${i + 1}`}
                  value={r.code}
                  onChange={(e) => set(i, { code: e.target.value })}
                />
              </td>
              <td>
                <select
                  aria-label={`Meaning of status code ${r.code || i + 1}`}
                  value={r.status}
                  onChange={(e) => set(i, { status: e.target.value as StatusRow['status'] })}
                >
                  <option value="">Choose…</option>
                  {VISIT_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {VISIT_STATUS_LABELS[s]}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <button
                  type="button"
                  className="secondary small"
                  onClick={() => onChange(rows.filter((_, j) => j !== i))}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
          {rows.length === 0 && (
            <TableNote colSpan={3}>
              Common codes (Kept, No Show, Cxl, Broken…) are understood already.
            </TableNote>
          )}
        </tbody>
      </table>
      <button
        type="button"
        className="secondary"
        onClick={() => onChange([...rows, { code: '', status: '' }])}
      >
        Add status code
      </button>
      <small>Codes the preview did not recognise are added here; choose what each means.</small>
    </div>
  );
}

// Preview --------------------------------------------------------------------------------------

type Parsed = Record<string, unknown>;

interface PreviewColumn {
  id: string;
  label: string;
  /** Mapping fields whose problems show in this cell. */
  fields: string[];
  /** `zone`: the practice's time zone, for instants. */
  render(p: Parsed, zone?: string): ReactNode;
}

const text = (v: unknown): ReactNode => (v === null || v === undefined || v === '' ? <Empty /> : String(v));
/** Booleans arrive as true/false, 't'/'f' or 'true'/'false'. */
const truthy = (v: unknown) => v === true || v === 't' || v === 'true';

function Empty() {
  return <span className="muted">—</span>;
}

function Dated({ label, value, extra }: { label: string; value: unknown; extra?: unknown }) {
  if (value === null || value === undefined || value === '') return null;
  return (
    <div>
      <span className="muted">{label}</span> {String(value)}
      {extra ? ` (${String(extra)})` : ''}
    </div>
  );
}

const PATIENT_COLUMNS: PreviewColumn[] = [
  {
    id: 'mrn',
    label: 'MRN',
    fields: ['patientId', 'joinKey'],
    render: (p) => (
      <>
        {text(p.mrn)}
        {p.join_key !== p.mrn && <small>key {text(p.join_key)}</small>}
      </>
    ),
  },
  {
    id: 'name',
    label: 'Name',
    fields: ['fullName', 'firstName', 'middleName', 'lastName'],
    render: (p) =>
      text([p.last_name, [p.first_name, p.middle_name].filter(Boolean).join(' ')].filter(Boolean).join(', ')),
  },
  { id: 'birth', label: 'Birth date', fields: ['birthDate'], render: (p) => text(p.birth_date) },
  { id: 'sex', label: 'Sex', fields: ['sex'], render: (p) => text(p.sex) },
  {
    id: 'phones',
    label: 'Phones',
    fields: [
      'mobilePhone',
      'homePhone',
      'workPhone',
      'phone1',
      'phone1Type',
      'phone2',
      'phone2Type',
      'phone3',
      'phone3Type',
    ],
    render: (p) => <PhoneList phones={Array.isArray(p.phones) ? (p.phones as StoredPhone[]) : []} />,
  },
  { id: 'email', label: 'Email', fields: ['email'], render: (p) => text(p.email) },
  {
    id: 'address',
    label: 'Address',
    fields: ['address', 'city'],
    render: (p) => text([p.address, p.city].filter(Boolean).join(', ')),
  },
  { id: 'state', label: 'State', fields: ['state'], render: (p) => text(p.state) },
  { id: 'zip', label: 'ZIP', fields: ['zip'], render: (p) => text(p.zip) },
  {
    id: 'zone',
    label: 'Time zone',
    fields: [],
    render: (p) => (
      <>
        {text(p.time_zone)}
        {Boolean(p.time_zone_source) && <small>from {String(p.time_zone_source)}</small>}
      </>
    ),
  },
  {
    id: 'provider',
    label: 'Provider / location',
    fields: ['provider', 'location'],
    render: (p) => text([p.provider, p.location].filter(Boolean).join(' · ')),
  },
  {
    id: 'deceased',
    label: 'Deceased',
    fields: ['deceasedDate', 'deceasedStatus'],
    render: (p) => (truthy(p.deceased) ? `yes${p.deceased_on ? `, ${String(p.deceased_on)}` : ''}` : 'no'),
  },
  {
    id: 'dnc',
    label: 'Do not call',
    fields: ['doNotCall'],
    render: (p) => (truthy(p.do_not_call) ? 'yes' : 'no'),
  },
  {
    id: 'dates',
    label: 'Visits',
    fields: ['lastVisit', 'lastAppointment', 'lastAppointmentStatus', 'nextAppointment'],
    render: (p) =>
      p.listed_last_visit_on || p.listed_last_appointment_on || p.listed_next_appointment_on ? (
        <>
          <Dated label="last visit" value={p.listed_last_visit_on} />
          <Dated
            label="last appt."
            value={p.listed_last_appointment_on}
            extra={p.listed_last_appointment_status}
          />
          <Dated label="next appt." value={p.listed_next_appointment_on} />
        </>
      ) : (
        <Empty />
      ),
  },
];

const VISIT_COLUMNS: PreviewColumn[] = [
  { id: 'key', label: 'Patient key', fields: ['patientKey'], render: (p) => text(p.patient_key) },
  { id: 'id', label: 'Visit id', fields: ['visitId'], render: (p) => text(p.source_key) },
  {
    id: 'date',
    label: 'Date',
    fields: ['date', 'time'],
    render: (p, zone) => (
      <>
        {text(p.occurs_on)}
        {Boolean(p.occurs_at) && (
          <small>
            {new Date(String(p.occurs_at)).toLocaleTimeString(undefined, {
              timeZone: zone,
              hour: 'numeric',
              minute: '2-digit',
              timeZoneName: 'short',
            })}
          </small>
        )}
      </>
    ),
  },
  {
    id: 'status',
    label: 'Status',
    fields: ['status'],
    render: (p) => (
      <>
        {text(p.status === 'no_show' ? 'no-show' : p.status)}
        {Boolean(p.raw_status) && <small>as written: {String(p.raw_status)}</small>}
      </>
    ),
  },
  {
    id: 'provider',
    label: 'Provider / location',
    fields: ['provider', 'location'],
    render: (p) => text([p.provider, p.location].filter(Boolean).join(' · ')),
  },
  { id: 'type', label: 'Type', fields: ['type'], render: (p) => text(p.visit_type) },
];

function PreviewTable({ file, zone }: { file: FilePreview; zone?: string }) {
  const columns = file.kind === 'patients' ? PATIENT_COLUMNS : VISIT_COLUMNS;
  // Header (as the server names it in issues) → preview column.
  const columnOfHeader = new Map<string, string>();
  for (const [field, header] of Object.entries(file.mapping.columns)) {
    const resolved = resolveHeader(header, file.format.headers);
    const col = columns.find((c) => c.fields.includes(field));
    if (resolved && col && !columnOfHeader.has(resolved)) columnOfHeader.set(resolved, col.id);
  }
  const issues = file.rows.flatMap((r) => r.issues.map((i) => ({ line: r.line, ...i })));
  const captionId = `preview-${file.kind}-caption`;

  return (
    <div className="preview" data-testid={`preview-${file.kind}`}>
      {file.rows.length === 0 ? (
        <p className="muted">
          {FILE_LABELS[file.kind]} file: no rows to show
          {file.problems.length > 0 ? ' until the mapping problems are fixed.' : '.'}
        </p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
          <table className="preview-table">
            <caption id={captionId}>
              {FILE_LABELS[file.kind]} file: the first {file.rows.length} rows as they would be stored
            </caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                {columns.map((c) => (
                  <th key={c.id} scope="col">
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {file.rows.map((row) => (
                <PreviewRowView
                  key={row.line}
                  row={row}
                  columns={columns}
                  columnOfHeader={columnOfHeader}
                  zone={zone}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {file.rows.length > 0 &&
        (issues.length === 0 ? (
          <p className="muted">No problems in these rows.</p>
        ) : (
          <ul className="issue-list" aria-label={`Problems in the ${file.kind} preview`}>
            {issues.map((i, n) => (
              <li key={n} className={i.severity === 'rejected' ? 'issue-rejected' : 'issue-warning'}>
                <strong>Line {i.line}</strong>
                {i.column && <> · {i.column}</>} · {i.severity === 'rejected' ? 'rejected: ' : 'warning: '}
                {i.reason}
              </li>
            ))}
          </ul>
        ))}
    </div>
  );
}

function PreviewRowView({
  row,
  columns,
  columnOfHeader,
  zone,
}: {
  row: PreviewRow;
  columns: PreviewColumn[];
  columnOfHeader: Map<string, string>;
  zone?: string;
}) {
  const byColumn = new Map<string, PreviewIssue[]>();
  const rowLevel: PreviewIssue[] = [];
  for (const issue of row.issues) {
    const col = issue.column ? columnOfHeader.get(issue.column) : undefined;
    if (col) byColumn.set(col, [...(byColumn.get(col) ?? []), issue]);
    else rowLevel.push(issue);
  }
  const reasons = (list: PreviewIssue[]) =>
    list.map((i) => `${i.column ? `${i.column}: ` : ''}${i.reason}`).join('\n') || undefined;

  if (!row.parsed) {
    return (
      <tr className="row-rejected" data-line={row.line}>
        <td className="cell-rejected" title={reasons(row.issues)}>
          {row.line}
        </td>
        <td colSpan={columns.length} title={reasons(row.issues)}>
          <strong>Rejected:</strong> {row.issues.map((i) => i.reason).join('; ')}
          <div className="raw-row">
            <code>{row.cells.join(' | ')}</code>
          </div>
        </td>
      </tr>
    );
  }
  return (
    <tr data-line={row.line}>
      <td className={rowLevel.length ? 'cell-warning' : undefined} title={reasons(rowLevel)}>
        {row.line}
      </td>
      {columns.map((c) => {
        const cellIssues = byColumn.get(c.id);
        return (
          <td
            key={c.id}
            className={`col-${c.id}${cellIssues ? ' cell-warning' : ''}`}
            title={reasons(cellIssues ?? [])}
          >
            {c.render(row.parsed!, zone)}
          </td>
        );
      })}
    </tr>
  );
}

// Helpers --------------------------------------------------------------------------------------

/** Like the server: lower-case letters and digits only. */
function normalizeHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** The file's header a mapping value refers to (exactly, else loosely, as the server matches). */
function resolveHeader(value: string, headers: readonly string[]): string | undefined {
  if (headers.includes(value)) return value;
  const n = normalizeHeader(value);
  return n ? headers.find((h) => normalizeHeader(h) === n) : undefined;
}

function splitCodes(text: string): string[] {
  return text
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
}

function statusRowsOf(mapping: ImportMapping | null): StatusRow[] {
  return Object.entries(mapping?.statusCodes ?? {}).map(([code, status]) => ({ code, status }));
}

function mergeStatusRows(rows: StatusRow[], codes: Record<string, MappedVisitStatus>): StatusRow[] {
  const out = rows.filter((r) => !(r.code.trim().toLowerCase() in lowerKeys(codes)));
  for (const [code, status] of Object.entries(codes)) out.push({ code, status });
  return out;
}

function lowerKeys(codes: Record<string, unknown>): Record<string, true> {
  return Object.fromEntries(Object.keys(codes).map((k) => [k.trim().toLowerCase(), true]));
}

/** Adds the appointment status codes the preview could not place, for the user to map. */
function withUnknownStatuses(rows: StatusRow[], result: PreviewResult): StatusRow[] {
  const known = new Set(rows.map((r) => r.code.trim().toLowerCase()));
  const added: StatusRow[] = [];
  for (const r of result.files.find((f) => f.kind === 'appointments')?.rows ?? []) {
    const raw = r.parsed?.status === 'unknown' ? String(r.parsed.raw_status ?? '').trim() : '';
    if (raw && !known.has(raw.toLowerCase())) {
      known.add(raw.toLowerCase());
      added.push({ code: raw, status: '' });
    }
  }
  return added.length ? [...rows, ...added] : rows;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}
