import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { useApi } from '../api';
import { NoPractice, PhoneList, TableNote } from '../components';
import { Alert, Page } from '../layout';
import {
  dateTime,
  patientName,
  TIME_ZONE_SOURCES,
  usePracticeBase,
  VISIT_STATUS_LABELS,
  type PatientPage,
  type PatientView,
} from '../records';

const PAGE_SIZE = 50;

export function PatientsPage() {
  const base = usePracticeBase();
  return (
    <Page title="Patients" testId="patients">
      {base ? <Patients key={base} base={base} /> : <NoPractice what="patients" />}
    </Page>
  );
}

function Patients({ base }: { base: string }) {
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const params = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset) });
  if (search) params.set('search', search);
  const list = useApi<PatientPage>(`${base}/patients?${params}`);
  const total = list.data?.total ?? 0;

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSearch(query.trim());
    setOffset(0);
    setSelected(null);
  };

  return (
    <>
      <form className="search" role="search" onSubmit={submit}>
        <label htmlFor="patient-search">Search patients</label>
        <div className="inline">
          <input
            id="patient-search"
            type="search"
            maxLength={100}
            aria-describedby="patient-search-hint"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <button type="submit">Search</button>
        </div>
        <small id="patient-search-hint">The exact MRN, or part of a name or phone number.</small>
      </form>
      <Alert message={list.error} />
      <div className="master-detail">
        <div className="table-scroll">
          <table data-testid="patient-table">
            <caption>
              {list.data
                ? `${total.toLocaleString()} ${total === 1 ? 'patient' : 'patients'}${search ? ` matching “${search}”` : ''}`
                : 'Patients'}
            </caption>
            <thead>
              <tr>
                <th scope="col">MRN</th>
                <th scope="col">Name</th>
                <th scope="col">Date of birth</th>
                <th scope="col">Phones</th>
                <th scope="col">State</th>
                <th scope="col">Last encounter</th>
                <th scope="col">Next appointment</th>
                <th scope="col">Callable?</th>
              </tr>
            </thead>
            <tbody>
              {list.data?.patients.map((p) => (
                <tr
                  key={p.id}
                  className={`clickable${p.id === selected ? ' selected' : ''}${p.callable ? '' : ' inactive'}`}
                  onClick={() => setSelected(p.id)}
                >
                  <td>
                    <code>{p.mrn}</code>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="link"
                      aria-pressed={p.id === selected}
                      onClick={(e) => {
                        e.stopPropagation();
                        setSelected(p.id);
                      }}
                    >
                      {patientName(p.name)}
                    </button>
                  </td>
                  <td>{p.birthDate ?? '—'}</td>
                  <td>
                    <PhoneList phones={p.phones} />
                  </td>
                  <td>{p.state ?? '—'}</td>
                  <td>{p.lastEncounterOn ?? '—'}</td>
                  <td>{p.nextAppointmentOn ?? '—'}</td>
                  <td title={p.callability}>{p.callable ? 'Yes' : 'No'}</td>
                </tr>
              ))}
              {list.data?.patients.length === 0 && (
                <TableNote colSpan={8}>
                  {search ? 'No patient matches.' : 'No patients yet: import a patient list first.'}
                </TableNote>
              )}
              {!list.data && list.loading && <TableNote colSpan={8}>Loading…</TableNote>}
            </tbody>
          </table>
        </div>
        {selected && <PatientDetail base={base} id={selected} onClose={() => setSelected(null)} />}
      </div>
      {total > PAGE_SIZE && (
        <nav className="pager" aria-label="Pages">
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
    </>
  );
}

function PatientDetail({ base, id, onClose }: { base: string; id: string; onClose(): void }) {
  const patient = useApi<PatientView>(`${base}/patients/${id}`);
  const heading = useRef<HTMLHeadingElement>(null);
  const p = patient.data?.id === id ? patient.data : undefined;

  useEffect(() => {
    heading.current?.focus();
  }, [id]);

  return (
    <section className="card detail" aria-labelledby="patient-detail-heading" data-testid="patient-detail">
      <div className="section-head">
        <h2 id="patient-detail-heading" ref={heading} tabIndex={-1}>
          {p ? patientName(p.name) : 'Patient'}
        </h2>
        <button type="button" className="secondary small" onClick={onClose}>
          Close
        </button>
      </div>
      <Alert message={patient.error} />
      {!p && !patient.error && <p className="muted">Loading…</p>}
      {p && <PatientFacts p={p} />}
    </section>
  );
}

export function PatientFacts({ p }: { p: PatientView }) {
  const address = [p.address, p.city, [p.state, p.zip].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return (
    <>
      <p className={p.callable ? 'callable yes' : 'callable no'} data-testid="callability">
        <strong>{p.callable ? 'Callable' : 'Not callable'}</strong>
        {!p.callable && `: ${p.callability.replace(/^not callable:\s*/, '')}`}
      </p>
      <dl className="facts">
        <dt>MRN</dt>
        <dd>
          <code>{p.mrn}</code>
        </dd>
        <dt>Key in other files</dt>
        <dd>
          <code>{p.joinKey}</code>
        </dd>
        <dt>First name</dt>
        <dd>{p.name.first ?? '—'}</dd>
        <dt>Middle name</dt>
        <dd>{p.name.middle ?? '—'}</dd>
        <dt>Last name</dt>
        <dd>{p.name.last ?? '—'}</dd>
        <dt>Date of birth</dt>
        <dd>{p.birthDate ?? '—'}</dd>
        <dt>Sex</dt>
        <dd>{p.sex ?? '—'}</dd>
        <dt>Phones</dt>
        <dd>
          <PhoneList phones={p.phones} />
        </dd>
        <dt>Email</dt>
        <dd>{p.email ?? '—'}</dd>
        <dt>Address</dt>
        <dd>{address || '—'}</dd>
        <dt>Time zone</dt>
        <dd>
          {p.timeZone}{' '}
          <span className="muted">({TIME_ZONE_SOURCES[p.timeZoneSource] ?? p.timeZoneSource})</span>
        </dd>
        <dt>Provider</dt>
        <dd>{p.provider ?? '—'}</dd>
        <dt>Location</dt>
        <dd>{p.location ?? '—'}</dd>
        <dt>Deceased</dt>
        <dd>{p.deceased ? `Yes${p.deceasedOn ? `, ${p.deceasedOn}` : ''}` : 'No'}</dd>
        <dt>Do not call</dt>
        <dd>
          {p.doNotCall
            ? `Since ${dateTime(p.doNotCall.since)}${p.doNotCall.reason ? `: ${p.doNotCall.reason}` : ''}`
            : 'No'}
        </dd>
        <dt>Merged into</dt>
        <dd>{p.mergedIntoId ? <code>{p.mergedIntoId}</code> : '—'}</dd>
        <dt>Last encounter</dt>
        <dd>{p.lastEncounterOn ?? '—'}</dd>
        <dt>Last appointment</dt>
        <dd>
          {p.lastAppointment
            ? `${p.lastAppointment.on} (${VISIT_STATUS_LABELS[p.lastAppointment.status] ?? p.lastAppointment.status})`
            : '—'}
        </dd>
        <dt>Next appointment</dt>
        <dd>{p.nextAppointmentOn ?? '—'}</dd>
        <dt>Updated</dt>
        <dd>{dateTime(p.updatedAt)}</dd>
      </dl>
    </>
  );
}
