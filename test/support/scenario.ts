import { CampaignsService } from '@recall/campaigns';
import { RequestContext } from '@recall/core';
import { CyclesService } from '@recall/cycles';
import { ImportsService } from '@recall/imports';
import path from 'node:path';
import type { TestApi } from './test-api';

/** Runs `fn` as the system (no signed-in user), as jobs and the CLI do. */
export const asSystem = <T>(fn: () => Promise<T>): Promise<T> =>
  RequestContext.run({ requestId: 'test', channel: 'system' }, fn);

/** Imports EMR files the way a manager's upload does, inline, with the suggested mapping. */
export async function importFiles(
  api: TestApi,
  practiceId: string,
  files: { kind: 'patients' | 'appointments' | 'encounters'; path: string }[],
): Promise<void> {
  const imports = api.app.get(ImportsService);
  const draft = await imports.createDraft(
    practiceId,
    files.map((f) => ({ kind: f.kind, name: path.basename(f.path), path: f.path, owned: false })),
    null,
  );
  await imports.start(practiceId, draft.id, { mapping: draft.mapping, enqueue: false }, null);
  await imports.runInline(draft.id);
}

/** Creates, plans (default inputs) and launches a campaign, and builds its first cycle when `seed` is given. */
export async function launchCampaign(
  api: TestApi,
  practiceId: string,
  c: { type: string; name: string; agents: string[]; seed?: number },
): Promise<{ campaignId: string; open: number; cycleId: string | null }> {
  return asSystem(async () => {
    const campaigns = api.app.get(CampaignsService);
    const created = await campaigns.create(
      practiceId,
      { type: c.type, name: c.name, agentLogins: c.agents },
      null,
    );
    await campaigns.savePlan(practiceId, created.id, {});
    const launched = await campaigns.transition(practiceId, created.id, 'launch');
    const cycleId =
      c.seed === undefined
        ? null
        : (await api.app.get(CyclesService).build(practiceId, created.id, { seed: c.seed })).cycleId;
    return { campaignId: created.id, open: launched.members.open, cycleId };
  });
}
