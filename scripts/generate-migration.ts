/**
 * Writes migrations/<unix-ms>-<Name>.ts with what the entities need beyond the current
 * migrations, and registers it in migrations/index.ts. Runs against a scratch database
 * on DATABASE_URL's server, or on an embedded PostgreSQL under .data/dev-pg.
 *   npm run migration:generate -- AddCampaigns
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres, migrateDatabase, schemaDiff } from '@recall/database';

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
    throw new Error('usage: npm run migration:generate -- <PascalCaseName>');
  }
  let server: EmbeddedPostgres | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    server = new EmbeddedPostgres({ dataDir: path.resolve('.data/dev-pg'), port: 54339 });
    adminUrl = await server.start();
  }
  const scratch = `recall_gen_${Date.now()}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${scratch}`);
  const url = new URL(adminUrl);
  url.pathname = `/${scratch}`;
  try {
    await migrateDatabase(url.toString());
    const diff = await schemaDiff(url.toString());
    if (diff.up.length === 0) {
      console.log('Entities and migrations agree: nothing to generate.');
      return;
    }
    const stamp = Date.now();
    const className = `${name}${stamp}`;
    const file = `${stamp}-${name}`;
    const q = (s: string) => `    await queryRunner.query(${JSON.stringify(s)});`;
    const body = `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${diff.up.map(q).join('\n')}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${diff.down.map(q).join('\n')}
  }
}
`;
    writeFileSync(path.join('migrations', `${file}.ts`), body);
    const indexPath = path.join('migrations', 'index.ts');
    const index = readFileSync(indexPath, 'utf8');
    const imports = [...index.matchAll(/^import \{ (\w+) \} from '\.\/([^']+)';$/gm)].map((m) => [
      m[1],
      m[2],
    ]);
    imports.push([className, file]);
    writeFileSync(
      indexPath,
      `// Every migration, in order. \`npm run migration:generate -- <Name>\` appends to this list.\n` +
        imports.map(([c, f]) => `import { ${c} } from './${f}';`).join('\n') +
        `\n\nexport const migrations = [\n${imports.map(([c]) => `  ${c},`).join('\n')}\n];\n`,
    );
    console.log(`Wrote migrations/${file}.ts (${diff.up.length} statements). Review it, then commit.`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
    await admin.end();
    await server?.stop();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
