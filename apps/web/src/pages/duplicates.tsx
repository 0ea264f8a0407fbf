import { useState } from 'react';
import { api, errorText, useApi, type List } from '../api';
import { NoPractice, Notice, PhoneList } from '../components';
import { Alert, Page } from '../layout';
import { patientName, usePracticeBase, type DuplicateView, type PatientView } from '../records';

const REASONS: Record<DuplicateView['reason'], string> = {
  name_birth_date: 'Same name and date of birth',
  phone_name: 'Same name and a shared phone number',
};

export function DuplicatesPage() {
  const base = usePracticeBase();
  return (
    <Page title="Duplicates" testId="duplicates">
      {base ? <Duplicates key={base} base={base} /> : <NoPractice what="duplicates" />}
    </Page>
  );
}

function Duplicates({ base }: { base: string }) {
  const pairs = useApi<List<DuplicateView>>(`${base}/duplicates?status=open`);
  const [busy, setBusy] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const act = async (pair: DuplicateView, confirmation: string, run: () => Promise<string>) => {
    if (!window.confirm(confirmation)) return;
    setBusy(pair.id);
    setStatus(null);
    setError(null);
    try {
      setStatus(await run());
      pairs.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const keep = (pair: DuplicateView, survivor: PatientView, other: PatientView) =>
    act(
      pair,
      `Keep MRN ${survivor.mrn} and merge MRN ${other.mrn} into it? ` +
        `MRN ${other.mrn} takes no further calls; its phones and visits move over. This cannot be undone.`,
      async () => {
        await api(`${base}/duplicates/${pair.id}/merge`, {
          method: 'POST',
          body: { survivorId: survivor.id },
        });
        return `MRN ${other.mrn} was merged into MRN ${survivor.mrn}.`;
      },
    );

  const dismiss = (pair: DuplicateView) =>
    act(
      pair,
      `Mark MRN ${pair.patients[0].mrn} and MRN ${pair.patients[1].mrn} as different patients?`,
      async () => {
        await api(`${base}/duplicates/${pair.id}/dismiss`, { method: 'POST' });
        return `MRN ${pair.patients[0].mrn} and MRN ${pair.patients[1].mrn} are kept as different patients.`;
      },
    );

  const items = pairs.data?.items ?? [];
  return (
    <>
      <p className="lead">
        Imports flag patients that may be the same person. Keep one record (the other is merged into it) or
        mark them as different people.
      </p>
      <Notice message={status} />
      <Alert message={error ?? pairs.error} />
      {!pairs.data && pairs.loading && <p className="muted">Loading…</p>}
      {pairs.data && items.length === 0 && <p className="muted">No open possible duplicates.</p>}
      {items.map((pair) => {
        const [left, right] = pair.patients;
        const headingId = `pair-${pair.id}`;
        return (
          <section
            key={pair.id}
            className="card pair"
            aria-labelledby={headingId}
            data-testid="duplicate-pair"
          >
            <h2 id={headingId}>
              {patientName(left.name)}: MRN {left.mrn} or MRN {right.mrn}?
            </h2>
            <p className="muted">
              {REASONS[pair.reason] ?? pair.reason} · flagged {new Date(pair.createdAt).toLocaleString()}
            </p>
            <div className="pair-sides">
              <PairSide side="Left" patient={left} />
              <PairSide side="Right" patient={right} />
            </div>
            <div className="buttons">
              <button
                type="button"
                disabled={busy !== null}
                aria-describedby={headingId}
                onClick={() => void keep(pair, left, right)}
              >
                Keep left
              </button>
              <button
                type="button"
                disabled={busy !== null}
                aria-describedby={headingId}
                onClick={() => void keep(pair, right, left)}
              >
                Keep right
              </button>
              <button
                type="button"
                className="secondary"
                disabled={busy !== null}
                aria-describedby={headingId}
                onClick={() => void dismiss(pair)}
              >
                Not a duplicate
              </button>
            </div>
          </section>
        );
      })}
    </>
  );
}

function PairSide({ side, patient: p }: { side: string; patient: PatientView }) {
  const address = [p.address, p.city, p.state, p.zip].filter(Boolean).join(', ');
  return (
    <div className="pair-side">
      <h3>
        {side}: MRN <code>{p.mrn}</code>
      </h3>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{patientName(p.name)}</dd>
        <dt>Date of birth</dt>
        <dd>{p.birthDate ?? '—'}</dd>
        <dt>Phones</dt>
        <dd>
          <PhoneList phones={p.phones} />
        </dd>
        <dt>MRN</dt>
        <dd>
          <code>{p.mrn}</code>
        </dd>
        <dt>Last encounter</dt>
        <dd>{p.lastEncounterOn ?? '—'}</dd>
        <dt>Address</dt>
        <dd>{address || '—'}</dd>
        <dt>Callable</dt>
        <dd>{p.callable ? 'Yes' : p.callability}</dd>
      </dl>
    </div>
  );
}
