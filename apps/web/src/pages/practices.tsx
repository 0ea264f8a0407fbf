import { useState, type SubmitEvent } from 'react';
import { api, errorText, useApi, type List, type PracticeRecord } from '../api';
import { TableNote } from '../components';
import { Alert, Page } from '../layout';

const TIME_ZONES: [zone: string, label: string][] = [
  ['America/New_York', 'Eastern'],
  ['America/Chicago', 'Central'],
  ['America/Denver', 'Mountain'],
  ['America/Phoenix', 'Mountain, no DST (Arizona)'],
  ['America/Los_Angeles', 'Pacific'],
  ['America/Anchorage', 'Alaska'],
  ['Pacific/Honolulu', 'Hawaii'],
  ['America/Puerto_Rico', 'Atlantic (Puerto Rico)'],
];

const EMPTY = { slug: '', name: '', timezone: 'America/New_York' };

export function PracticesPage() {
  const practices = useApi<List<PracticeRecord>>('/api/practices');
  const [form, setForm] = useState(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const created = await api<PracticeRecord>('/api/practices', { method: 'POST', body: form });
      setForm(EMPTY);
      setSaved(`Practice “${created.name}” added.`);
      practices.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title="Practices">
      <Alert message={practices.error} />
      <table>
        <caption>All practices</caption>
        <thead>
          <tr>
            <th scope="col">Slug</th>
            <th scope="col">Name</th>
            <th scope="col">Time zone</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {practices.data?.items.map((p) => (
            <tr key={p.id}>
              <td>
                <code>{p.slug}</code>
              </td>
              <td>{p.name}</td>
              <td>{p.timezone}</td>
              <td>{new Date(p.createdAt).toLocaleDateString()}</td>
            </tr>
          ))}
          {practices.data?.items.length === 0 && <TableNote colSpan={4}>No practices yet.</TableNote>}
          {!practices.data && practices.loading && <TableNote colSpan={4}>Loading…</TableNote>}
        </tbody>
      </table>

      <form className="card form" onSubmit={submit} aria-labelledby="add-practice">
        <h2 id="add-practice">Add a practice</h2>
        <Alert message={error} />
        {saved && (
          <p className="notice" role="status">
            {saved}
          </p>
        )}
        <div className="field">
          <label htmlFor="practice-slug">Slug</label>
          <input
            id="practice-slug"
            required
            pattern="[a-z0-9][a-z0-9\-]{1,62}"
            aria-describedby="practice-slug-hint"
            value={form.slug}
            onChange={(e) => setForm({ ...form, slug: e.target.value })}
          />
          <small id="practice-slug-hint">
            2–63 lower-case letters, digits or dashes, e.g. “lakeside-dental”.
          </small>
        </div>
        <div className="field">
          <label htmlFor="practice-name">Name</label>
          <input
            id="practice-name"
            required
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="practice-timezone">Time zone</label>
          <select
            id="practice-timezone"
            value={form.timezone}
            onChange={(e) => setForm({ ...form, timezone: e.target.value })}
          >
            {TIME_ZONES.map(([zone, label]) => (
              <option key={zone} value={zone}>
                {label} — {zone}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={busy}>
          Add practice
        </button>
      </form>
    </Page>
  );
}
