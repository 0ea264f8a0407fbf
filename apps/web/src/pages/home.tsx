import type { Role } from '../api';
import { useSession, useUser } from '../auth';
import { Page } from '../layout';

const HOME: Record<Role, { title: string; abilities: string[] }> = {
  agent: {
    title: 'My queue',
    abilities: [
      'Work through the patients due for a recall call in your practice.',
      'Record each call outcome and schedule callbacks.',
      'Escalate patients who need follow-up by the practice.',
    ],
  },
  manager: {
    title: 'Campaign overview',
    abilities: [
      'Import patient lists for recall.',
      'Set up campaigns and their call cycles.',
      'Follow progress and handle escalations from agents.',
    ],
  },
  owner: {
    title: 'Owner dashboard',
    abilities: [
      'See how recall campaigns perform for your practice.',
      'Review reports on calls and outcomes.',
    ],
  },
  admin: {
    title: 'Administration',
    abilities: [
      'Add users, assign their role and practices, and deactivate accounts.',
      'Reset passwords and sign users out of all sessions.',
      'Add practices and set their time zone.',
    ],
  },
};

export function HomePage() {
  const user = useUser();
  const { practice } = useSession();
  const { title, abilities } = HOME[user.role];

  return (
    <Page title={title} testId={`home-${user.role}`}>
      <p className="lead">Welcome, {user.displayName}.</p>
      <section className="card" aria-labelledby="practice-heading">
        <h2 id="practice-heading">Current practice</h2>
        {practice ? (
          <dl className="facts">
            <dt>Name</dt>
            <dd>{practice.name}</dd>
            <dt>Time zone</dt>
            <dd>{practice.timezone}</dd>
          </dl>
        ) : (
          <p className="muted">You are not assigned to a practice.</p>
        )}
      </section>
      <section className="card" aria-labelledby="abilities-heading">
        <h2 id="abilities-heading">What you can do here</h2>
        <ul>
          {abilities.map((a) => (
            <li key={a}>{a}</li>
          ))}
        </ul>
      </section>
    </Page>
  );
}

export function ComingSoonPage({ title }: { title: string }) {
  return (
    <Page title={title} testId="coming-soon">
      <p className="muted">This feature is coming in a later release.</p>
    </Page>
  );
}
