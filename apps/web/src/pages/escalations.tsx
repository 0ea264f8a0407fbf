import { useState } from 'react';
import { api, errorText, useApi, type List } from '../api';
import { NoPractice, Notice, TableNote } from '../components';
import { Alert, Page } from '../layout';
import { useSession } from '../auth';
import { usePracticeBase } from '../records';
import { categoryLabel, zonedStamp, type EscalationView } from '../workspace-types';

type StatusFilter = 'open' | 'resolved' | 'all';

const FILTERS: Record<StatusFilter, string> = { open: 'Open', resolved: 'Resolved', all: 'All' };

export function EscalationsPage() {
  const base = usePracticeBase();
  return (
    <Page title="Escalations" testId="escalations-page">
      {base ? <Escalations key={base} base={base} /> : <NoPractice what="escalations" />}
    </Page>
  );
}

function Escalations({ base }: { base: string }) {
  const zone = useSession().practice?.timezone;
  const [filter, setFilter] = useState<StatusFilter>('open');
  const list = useApi<List<EscalationView>>(`${base}/escalations?status=${filter}`);
  const [resolving, setResolving] = useState<string | null>(null);
  const [resolution, setResolution] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const items = list.data?.items ?? [];

  const open = (id: string) => {
    setResolving(id);
    setResolution('');
    setFieldError(null);
    setStatus(null);
  };

  const resolve = async (e: EscalationView) => {
    if (!resolution.trim()) {
      setFieldError('Say what was done.');
      document.getElementById(`resolution-${e.id}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await api(`${base}/escalations/${e.id}/resolve`, { method: 'POST', body: { resolution } });
      setResolving(null);
      setStatus(`Resolved: ${categoryLabel(e.category)} for ${e.patientName ?? 'the patient'}.`);
      list.reload();
    } catch (err) {
      setFieldError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p className="lead">
        Calls whose remarks raised a red flag (legal, complaints, social media, money, threats, asked not to
        be called), patients reached three times without a result, and agents&apos; tickets.
      </p>
      <div className="filter-bar">
        <div className="field">
          <label htmlFor="escalation-status">Show</label>
          <select
            id="escalation-status"
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value as StatusFilter);
              setResolving(null);
            }}
          >
            {(Object.keys(FILTERS) as StatusFilter[]).map((f) => (
              <option key={f} value={f}>
                {FILTERS[f]}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="secondary" onClick={list.reload} disabled={list.loading}>
          {list.loading ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      <Notice message={status} />
      <Alert message={list.error} />
      <div className="table-scroll">
        <table data-testid="escalation-table">
          <caption>
            {list.data
              ? `${items.length.toLocaleString()} ${filter === 'all' ? '' : `${FILTERS[filter].toLowerCase()} `}${items.length === 1 ? 'escalation' : 'escalations'}`
              : 'Escalations'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Raised</th>
              <th scope="col">Kind</th>
              <th scope="col">Patient</th>
              <th scope="col">Campaign · agent</th>
              <th scope="col">What was said</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr
                key={e.id}
                className={e.status === 'resolved' ? 'escalation-resolved' : undefined}
                data-testid="escalation-row"
              >
                <td className="nowrap">{zonedStamp(e.createdAt, zone)}</td>
                <td>
                  <span className={`badge${e.status === 'open' ? ' badge-bad' : ''}`}>
                    {categoryLabel(e.category)}
                  </span>
                </td>
                <td>
                  {e.patientName ?? '—'}
                  {e.mrn && <small>MRN {e.mrn}</small>}
                </td>
                <td>
                  {e.campaignName ?? '—'}
                  {e.agentLogin && <small>{e.agentLogin}</small>}
                </td>
                <td>
                  {e.reason}
                  {e.excerpt && <span className="escalation-excerpt">“{e.excerpt}”</span>}
                </td>
                <td>
                  {e.status === 'resolved' ? (
                    <>
                      Resolved {zonedStamp(e.resolvedAt, zone)}
                      {e.resolution && <small>{e.resolution}</small>}
                    </>
                  ) : resolving === e.id ? (
                    <form
                      className="inline-form"
                      noValidate
                      onSubmit={(ev) => {
                        ev.preventDefault();
                        void resolve(e);
                      }}
                    >
                      <label htmlFor={`resolution-${e.id}`}>What was done</label>
                      <textarea
                        id={`resolution-${e.id}`}
                        rows={2}
                        maxLength={2000}
                        value={resolution}
                        autoFocus
                        required
                        aria-invalid={!!fieldError || undefined}
                        aria-describedby={fieldError ? `resolution-${e.id}-error` : undefined}
                        onChange={(ev) => {
                          setResolution(ev.target.value);
                          setFieldError(null);
                        }}
                        onKeyDown={(ev) => {
                          if (ev.key === 'Escape') setResolving(null);
                          if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) void resolve(e);
                        }}
                      />
                      {fieldError && (
                        <small className="problem-text" id={`resolution-${e.id}-error`} role="alert">
                          {fieldError}
                        </small>
                      )}
                      <div className="buttons">
                        <button type="submit" className="small" disabled={busy}>
                          {busy ? 'Saving…' : 'Resolve'}
                        </button>
                        <button type="button" className="secondary small" onClick={() => setResolving(null)}>
                          Cancel
                        </button>
                      </div>
                    </form>
                  ) : (
                    <button
                      type="button"
                      className="small"
                      onClick={() => open(e.id)}
                      aria-label={`Resolve ${categoryLabel(e.category)} for ${e.patientName ?? 'this patient'}`}
                    >
                      Resolve…
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {list.data && items.length === 0 && (
              <TableNote colSpan={6}>
                {filter === 'open' ? 'Nothing waiting: no open escalations.' : 'No escalations.'}
              </TableNote>
            )}
            {!list.data && list.loading && <TableNote colSpan={6}>Loading…</TableNote>}
          </tbody>
        </table>
      </div>
    </>
  );
}
