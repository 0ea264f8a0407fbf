import { useState, type SubmitEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, errorText, useApi, type List } from '../api';
import {
  CAMPAIGN_STATUS_LABELS,
  money,
  type AgentRef,
  type CampaignStatus,
  type CampaignType,
  type CampaignTypeInfo,
  type CampaignView,
} from '../campaign-types';
import { NoPractice, TableNote } from '../components';
import { Alert, Page } from '../layout';
import { usePracticeBase } from '../records';

export function CampaignsPage() {
  const base = usePracticeBase();
  return (
    <Page title="Campaigns" testId="campaigns">
      {base ? <Campaigns key={base} base={base} /> : <NoPractice what="campaigns" />}
    </Page>
  );
}

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  return (
    <span className={`badge campaign-${status}`} data-testid="campaign-status">
      {CAMPAIGN_STATUS_LABELS[status] ?? status}
    </span>
  );
}

export function dateOnly(iso: string | null): string {
  return iso ? new Date(iso).toLocaleDateString() : '—';
}

function Campaigns({ base }: { base: string }) {
  const campaigns = useApi<List<CampaignView>>(`${base}/campaigns`);
  const items = campaigns.data?.items ?? [];
  return (
    <>
      <p className="lead">
        Decide who to call and why, check the numbers before spending an agent hour, then launch.
      </p>
      <Alert message={campaigns.error} />
      <div className="table-scroll">
        <table data-testid="campaign-table">
          <caption>
            {campaigns.data
              ? `${items.length} ${items.length === 1 ? 'campaign' : 'campaigns'}`
              : 'Campaigns'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Agents</th>
              <th scope="col">Open members</th>
              <th scope="col">Planned revenue / month</th>
              <th scope="col">Launched</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/manager/campaigns/${c.id}`}>{c.name}</Link>
                </td>
                <td>{c.typeLabel}</td>
                <td>
                  <CampaignStatusBadge status={c.status} />
                </td>
                <td>
                  {c.agents.length > 0 ? (
                    c.agents.map((a) => a.displayName).join(', ')
                  ) : (
                    <span className="muted">none</span>
                  )}
                </td>
                <td className="num">{c.members.open.toLocaleString()}</td>
                <td className="num">{money(c.planResult?.campaign.revenuePerMonth)}</td>
                <td>{dateOnly(c.launchedAt)}</td>
              </tr>
            ))}
            {campaigns.data && items.length === 0 && (
              <TableNote colSpan={7}>No campaigns yet: create the first one below.</TableNote>
            )}
            {!campaigns.data && campaigns.loading && <TableNote colSpan={7}>Loading…</TableNote>}
          </tbody>
        </table>
      </div>
      <CreateCampaign base={base} />
    </>
  );
}

function CreateCampaign({ base }: { base: string }) {
  const navigate = useNavigate();
  const types = useApi<List<CampaignTypeInfo>>('/api/campaign-types');
  const agents = useApi<List<AgentRef>>(`${base}/agents`);
  const [type, setType] = useState<CampaignType | null>(null);
  const [name, setName] = useState('');
  const [agentIds, setAgentIds] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!type) {
      setError('Choose a campaign type.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const created = await api<CampaignView>(`${base}/campaigns`, {
        method: 'POST',
        body: { type, name: name.trim(), agentIds },
      });
      navigate(`/manager/campaigns/${created.id}`);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  const toggleAgent = (id: string, on: boolean) =>
    setAgentIds((ids) => (on ? [...ids, id] : ids.filter((x) => x !== id)));

  return (
    <form
      className="card campaign-create"
      onSubmit={submit}
      aria-labelledby="campaign-create-heading"
      data-testid="campaign-create"
    >
      <h2 id="campaign-create-heading">New campaign</h2>
      <Alert message={error ?? types.error ?? agents.error} />
      <fieldset className="type-picker">
        <legend>Campaign type</legend>
        {!types.data && types.loading && <p className="muted">Loading…</p>}
        <div className="type-options">
          {types.data?.items.map((t) => (
            <div key={t.type} className={`type-option${type === t.type ? ' selected' : ''}`}>
              <input
                type="radio"
                id={`campaign-type-${t.type}`}
                name="campaign-type"
                value={t.type}
                required
                checked={type === t.type}
                aria-describedby={`campaign-type-${t.type}-hint`}
                onChange={() => setType(t.type)}
              />
              <div>
                <label htmlFor={`campaign-type-${t.type}`}>
                  {t.label}
                  {t.audience === 'contacts' && (
                    <>
                      {' '}
                      <span className="badge">contacts</span>
                    </>
                  )}
                </label>
                <small id={`campaign-type-${t.type}-hint`}>{t.description}</small>
              </div>
            </div>
          ))}
        </div>
      </fieldset>
      <div className="field narrow">
        <label htmlFor="campaign-name">Name</label>
        <input
          id="campaign-name"
          required
          maxLength={120}
          autoComplete="off"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <fieldset className="agent-picker">
        <legend>Agents</legend>
        {agents.data?.items.length === 0 && (
          <p className="muted">No active agents in this practice yet; you can assign them later.</p>
        )}
        <ul className="checks">
          {agents.data?.items.map((a) => (
            <li key={a.id} className="field checkbox">
              <input
                type="checkbox"
                id={`campaign-agent-${a.id}`}
                checked={agentIds.includes(a.id)}
                onChange={(e) => toggleAgent(a.id, e.target.checked)}
              />
              <label htmlFor={`campaign-agent-${a.id}`}>
                {a.displayName} <span className="muted">({a.login})</span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <button type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create campaign'}
      </button>
    </form>
  );
}
