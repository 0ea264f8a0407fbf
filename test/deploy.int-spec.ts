import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, parseConfig } from '@recall/config';

const root = path.resolve(__dirname, '..');

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: unknown;
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
  };
  const services = compose.services;

  it('runs postgres, redis, a one-shot migrate, api and a scalable worker', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'migrate', 'postgres', 'redis', 'worker']);
    expect(services.redis.command?.join(' ')).toMatch(/--maxmemory-policy noeviction/);
    expect(services.migrate.command).toEqual(['node', 'dist/apps/cli/src/main.js', 'migrate']);
    expect(services.api.command).toEqual(['node', 'dist/apps/api/src/main.js']);
    expect(services.worker.command).toEqual(['node', 'dist/apps/worker/src/main.js']);
    expect(services.worker).not.toHaveProperty('ports'); // --scale worker=N needs no fixed port
    expect(services.worker).not.toHaveProperty('container_name');
    for (const name of ['postgres', 'redis', 'api']) expect(services[name].healthcheck).toBeDefined();
    expect(services.api.depends_on?.migrate.condition).toBe('service_completed_successfully');
    expect(services.worker.depends_on?.migrate.condition).toBe('service_completed_successfully');
  });

  it('passes only variables the config module knows, with values it accepts', () => {
    for (const name of ['migrate', 'api', 'worker']) {
      const env = services[name].environment ?? {};
      const unknown = Object.keys(env).filter((k) => !(CONFIG_VARIABLES as string[]).includes(k));
      expect({ service: name, unknown }).toEqual({ service: name, unknown: [] });
      // ${VAR:-default} → default, as compose would resolve it with nothing set
      const resolved = Object.fromEntries(
        Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{\w+:-([^}]*)\}/g, '$1')]),
      );
      expect(() => parseConfig(resolved)).not.toThrow();
      expect(resolved.DATABASE_URL).toMatch(/@postgres:5432\//);
      expect(resolved.REDIS_URL).toBe('redis://redis:6379');
    }
  });
});

describe('.env.example', () => {
  it('documents every configuration variable, and nothing else', () => {
    const text = readFileSync(path.join(root, '.env.example'), 'utf8');
    const documented = [...text.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual([...CONFIG_VARIABLES].sort());
  });
});

describe('configuration validation', () => {
  it('names the variable and what is expected', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT: .*number.*\(got "eighty"\)/);
    expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: a postgres:\/\//);
    expect(() => parseConfig({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL: a redis:\/\//);
    expect(() => parseConfig({ SESSION_IDLE_MINUTES: '0' })).toThrow(/SESSION_IDLE_MINUTES/);
    expect(() => parseConfig({ RECALL_NOW: 'yesterday' })).toThrow(/RECALL_NOW: an ISO-8601 instant/);
    expect(() => parseConfig({ DEFAULT_TIMEZONE: 'Mars/Base' })).toThrow(
      /DEFAULT_TIMEZONE: an IANA time zone/,
    );
  });

  it('refuses a pinned clock and the embedded database in production', () => {
    const base = { NODE_ENV: 'production', DATABASE_URL: 'postgres://u@h/db' };
    expect(() => parseConfig({ ...base, RECALL_NOW: '2026-03-02T14:00:00Z' })).toThrow(
      /RECALL_NOW: must not be set when NODE_ENV=production/,
    );
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL: is required/);
    expect(parseConfig(base).embeddedDatabase).toBe(false);
  });

  it('lists every problem at once', () => {
    try {
      parseConfig({ PORT: '0', LOG_LEVEL: 'loud' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect((e as Error).message).toMatch(/PORT/);
      expect((e as Error).message).toMatch(/LOG_LEVEL/);
    }
  });
});
