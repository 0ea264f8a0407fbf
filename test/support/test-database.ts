import { createScratchDatabase, migrateDatabase, ScratchDatabase } from '@recall/database';

export type TestDatabase = ScratchDatabase;

/** A fresh database on the test server (see global-setup.ts); migrated unless told otherwise. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL;
  if (!adminUrl)
    throw new Error('TEST_ADMIN_DATABASE_URL is not set: run the tests through jest (global setup)');
  const db = await createScratchDatabase(adminUrl, 'recall_t');
  if (options.migrate !== false) await migrateDatabase(db.url);
  return db;
}
