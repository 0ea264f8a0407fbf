import { DataSource } from 'typeorm';
import { dataSourceOptions, migrations, schemaDiff } from '@recall/database';
import { createTestDatabase, TestDatabase } from './support/test-database';

describe('database schema', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(() => db.drop());

  it('entities and migrations agree: generating a migration on a migrated database yields nothing', async () => {
    const diff = await schemaDiff(db.url);
    expect(diff.up).toEqual([]);
  });

  it('every migration has a down() that undoes it, back to an empty schema', async () => {
    const ds = new DataSource(dataSourceOptions(db.url));
    await ds.initialize();
    try {
      for (let i = 0; i < migrations.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      const tables: { table_name: string }[] = await ds.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
      );
      expect(tables).toEqual([]);
      await ds.runMigrations({ transaction: 'each' });
      expect((await schemaDiff(db.url)).up).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it('keeps every timestamp column timezone-aware', async () => {
    const ds = new DataSource(dataSourceOptions(db.url));
    await ds.initialize();
    const naive: unknown[] = await ds.query(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND data_type = 'timestamp without time zone'`,
    );
    await ds.destroy();
    expect(naive).toEqual([]);
  });
});
