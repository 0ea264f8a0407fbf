import { EmbeddedPostgres, reachable } from '@recall/database';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from './support/free-port';

describe('reachable()', () => {
  it('follows the permission bits of every directory on the way', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'reach-'));
    mkdirSync(path.join(dir, 'inner'));
    chmodSync(dir, 0o700);
    expect(reachable(path.join(dir, 'inner'), 65000, 65000)).toBe(false); // a stranger cannot enter
    expect(reachable(path.join(dir, 'inner'), userInfo().uid, userInfo().gid)).toBe(true);
    chmodSync(dir, 0o755);
    expect(reachable(path.join(dir, 'inner'), 65000, 65000)).toBe(true);
    rmSync(dir, { recursive: true });
  });
});

describe('embedded PostgreSQL in a directory the server user cannot enter', () => {
  const asRoot = userInfo().uid === 0;
  (asRoot ? it : it.skip)(
    'stages the cluster where it can, says so, and keeps it across restarts',
    async () => {
      const privateDir = mkdtempSync(path.join(tmpdir(), 'recall-private-')); // mode 0700, like /root
      const dataDir = path.join(privateDir, 'pg');
      const port = await freePort();
      const logs: string[] = [];
      let staged: string | undefined;
      try {
        const first = new EmbeddedPostgres({ dataDir, port, log: (m) => logs.push(m) });
        const url = await first.start();
        expect(logs.join('\n')).toMatch(/cannot enter .* lives in \/var\/lib\/recall-embedded-postgres\//);
        staged = readFileSync(`${dataDir}.location`, 'utf8').trim();
        expect(existsSync(path.join(staged, 'PG_VERSION'))).toBe(true);
        const client = new Client({ connectionString: url });
        await client.connect();
        await client.query('CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)');
        await client.end();
        await first.stop();

        const second = new EmbeddedPostgres({ dataDir, port });
        const again = new Client({ connectionString: await second.start() });
        await again.connect();
        expect((await again.query('SELECT v FROM kept')).rows).toEqual([{ v: 42 }]);
        await again.end();
        await second.stop();
      } finally {
        rmSync(privateDir, { recursive: true, force: true });
        if (staged) rmSync(path.dirname(staged), { recursive: true, force: true });
      }
    },
  );
});
