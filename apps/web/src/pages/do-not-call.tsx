import { useState, type SubmitEvent } from 'react';
import { api, errorText, useApi, type List } from '../api';
import { useSession, useUser } from '../auth';
import { NoPractice, Notice, TableNote } from '../components';
import { Alert, Page } from '../layout';
import { patientName, usePracticeBase, type PatientPage } from '../records';
import { zonedStamp, type DoNotCallEntry } from '../workspace-types';

/** An admin says why a do-not-call is lifted; the server wants at least this much. */
const LIFT_REASON_MIN = 5;

export function DoNotCallPage() {
  const base = usePracticeBase();
  return (
    <Page title="Do-not-call" testId="do-not-call-page">
      {base ? <DoNotCall key={base} base={base} /> : <NoPractice what="do-not-call entries" />}
    </Page>
  );
}

function DoNotCall({ base }: { base: string }) {
  const user = useUser();
  const isAdmin = user.role === 'admin';
  const zone = useSession().practice?.timezone;
  const list = useApi<List<DoNotCallEntry>>(`${base}/do-not-call`);
  const [status, setStatus] = useState<string | null>(null);
  const [lifting, setLifting] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [liftError, setLiftError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const items = list.data?.items ?? [];

  const lift = async (entry: DoNotCallEntry) => {
    if (reason.trim().length < LIFT_REASON_MIN) {
      setLiftError(`Say why the do-not-call is lifted (at least ${LIFT_REASON_MIN} characters).`);
      document.getElementById(`lift-${entry.patientId}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await api(`${base}/do-not-call/${entry.patientId}/lift`, { method: 'POST', body: { reason } });
      setLifting(null);
      setStatus(
        `${entry.name} (MRN ${entry.mrn}) is off the do-not-call list; future campaigns may call them.`,
      );
      list.reload();
    } catch (e) {
      setLiftError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p className="lead">
        Patients who must not be called: asked on a call, flagged in an EMR export, or added here. No import,
        campaign or cycle takes anyone off this list{isAdmin ? '; you can lift an entry, with a reason' : ''}.
      </p>
      <Notice message={status} />
      <AddToList
        base={base}
        onAdded={(message) => {
          setStatus(message);
          list.reload();
        }}
      />
      <Alert message={list.error} />
      <div className="table-scroll">
        <table data-testid="dnc-table">
          <caption>
            {list.data
              ? `${items.length.toLocaleString()} ${items.length === 1 ? 'patient' : 'patients'} on the list`
              : 'Do-not-call list'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Patient</th>
              <th scope="col">MRN</th>
              <th scope="col">Since</th>
              <th scope="col">Reason</th>
              {isAdmin && <th scope="col">Lift</th>}
            </tr>
          </thead>
          <tbody>
            {items.map((entry) => (
              <tr key={entry.patientId} data-testid="dnc-row">
                <td>{entry.name || '—'}</td>
                <td>
                  <code>{entry.mrn}</code>
                </td>
                <td className="nowrap">{zonedStamp(entry.since, zone)}</td>
                <td>{entry.reason || '—'}</td>
                {isAdmin && (
                  <td>
                    {lifting === entry.patientId ? (
                      <form
                        className="inline-form"
                        noValidate
                        onSubmit={(e) => {
                          e.preventDefault();
                          void lift(entry);
                        }}
                      >
                        <label htmlFor={`lift-${entry.patientId}`}>Why lift it?</label>
                        <input
                          id={`lift-${entry.patientId}`}
                          type="text"
                          maxLength={500}
                          required
                          minLength={LIFT_REASON_MIN}
                          autoFocus
                          value={reason}
                          aria-invalid={!!liftError || undefined}
                          aria-describedby={liftError ? `lift-${entry.patientId}-error` : undefined}
                          onChange={(e) => {
                            setReason(e.target.value);
                            setLiftError(null);
                          }}
                          onKeyDown={(e) => e.key === 'Escape' && setLifting(null)}
                        />
                        {liftError && (
                          <small className="problem-text" id={`lift-${entry.patientId}-error`} role="alert">
                            {liftError}
                          </small>
                        )}
                        <div className="buttons">
                          <button type="submit" className="small" disabled={busy}>
                            {busy ? 'Lifting…' : 'Lift'}
                          </button>
                          <button type="button" className="secondary small" onClick={() => setLifting(null)}>
                            Cancel
                          </button>
                        </div>
                      </form>
                    ) : (
                      <button
                        type="button"
                        className="secondary small"
                        aria-label={`Lift the do-not-call for ${entry.name} (MRN ${entry.mrn})`}
                        onClick={() => {
                          setLifting(entry.patientId);
                          setReason('');
                          setLiftError(null);
                          setStatus(null);
                        }}
                      >
                        Lift…
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
            {list.data && items.length === 0 && (
              <TableNote colSpan={isAdmin ? 5 : 4}>Nobody is on the do-not-call list.</TableNote>
            )}
            {!list.data && list.loading && <TableNote colSpan={isAdmin ? 5 : 4}>Loading…</TableNote>}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** A manager adds a patient by MRN (a letter, a call to the front desk). */
function AddToList({ base, onAdded }: { base: string; onAdded: (message: string) => void }) {
  const [mrn, setMrn] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ mrn?: string; reason?: string; form?: string }>({});

  const submit = async (e: SubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const wanted = mrn.trim();
    const why = reason.trim();
    const missing = { mrn: wanted ? undefined : 'Enter the MRN.', reason: why ? undefined : 'Say why.' };
    if (missing.mrn || missing.reason) {
      setErrors(missing);
      document.getElementById(missing.mrn ? 'dnc-mrn' : 'dnc-reason')?.focus();
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const found = await api<PatientPage>(
        `${base}/patients?${new URLSearchParams({ search: wanted, limit: '5', offset: '0' })}`,
      );
      const patient = found.patients.find((p) => p.mrn.toLowerCase() === wanted.toLowerCase());
      if (!patient) {
        setErrors({ mrn: `No patient with MRN ${wanted}.` });
        document.getElementById('dnc-mrn')?.focus();
        return;
      }
      await api(`${base}/do-not-call`, { method: 'POST', body: { patientId: patient.id, reason: why } });
      setMrn('');
      setReason('');
      onAdded(`${patientName(patient.name)} (MRN ${patient.mrn}) is on the do-not-call list.`);
    } catch (err) {
      setErrors({ form: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card dnc-add"
      aria-labelledby="dnc-add-heading"
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      <h2 id="dnc-add-heading">Add a patient</h2>
      <Alert message={errors.form} />
      <div className="field-row">
        <div className="field">
          <label htmlFor="dnc-mrn">MRN</label>
          <input
            id="dnc-mrn"
            value={mrn}
            maxLength={100}
            aria-invalid={!!errors.mrn || undefined}
            aria-describedby={errors.mrn ? 'dnc-mrn-error' : undefined}
            onChange={(e) => setMrn(e.target.value)}
          />
          {errors.mrn && (
            <small className="problem-text" id="dnc-mrn-error">
              {errors.mrn}
            </small>
          )}
        </div>
        <div className="field">
          <label htmlFor="dnc-reason">Reason</label>
          <input
            id="dnc-reason"
            value={reason}
            maxLength={500}
            aria-invalid={!!errors.reason || undefined}
            aria-describedby={errors.reason ? 'dnc-reason-error' : undefined}
            onChange={(e) => setReason(e.target.value)}
          />
          {errors.reason && (
            <small className="problem-text" id="dnc-reason-error">
              {errors.reason}
            </small>
          )}
        </div>
      </div>
      <button type="submit" disabled={busy}>
        {busy ? 'Adding…' : 'Add to the list'}
      </button>
    </form>
  );
}
