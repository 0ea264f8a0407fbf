import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

export interface SchemaDiff {
  up: string[];
  down: string[];
}

/** What TypeORM would change to make the database at `url` match the entities (empty when they agree). */
export async function schemaDiff(url: string): Promise<SchemaDiff> {
  const ds = new DataSource(dataSourceOptions(url, { extra: { max: 1 } }));
  await ds.initialize();
  try {
    const sql = await ds.driver.createSchemaBuilder().log();
    return {
      up: sql.upQueries.map((q) => q.query),
      down: sql.downQueries.map((q) => q.query).reverse(),
    };
  } finally {
    await ds.destroy();
  }
}
