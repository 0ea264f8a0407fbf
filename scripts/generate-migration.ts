/**
 * Writes migrations/<unix-ms>-<Name>.ts with what the entities need beyond the current
 * migrations, and registers it in migrations/index.ts. Runs against a scratch database
 * on DATABASE_URL's server, or on an embedded PostgreSQL under .data/dev-pg.
 *   npm run migration:generate -- AddCampaigns
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { migrateDatabase, schemaDiff, withScratchDatabase } from '@recall/database';

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
    throw new Error('usage: npm run migration:generate -- <PascalCaseName>');
  }
  await withScratchDatabase(
    {
      serverUrl: process.env.DATABASE_URL,
      embeddedDir: path.resolve('.data/dev-pg'),
      embeddedPort: 54339,
      prefix: 'recall_gen',
    },
    async (url) => {
      await migrateDatabase(url);
      const diff = await schemaDiff(url);
      if (diff.up.length === 0) {
        console.log('Entities and migrations agree: nothing to generate.');
        return;
      }
      writeMigration(name, diff);
    },
  );
}

function writeMigration(name: string, diff: { up: string[]; down: string[] }): void {
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
  const imports = [...index.matchAll(/^import \{ (\w+) \} from '\.\/([^']+)';$/gm)].map((m) => [m[1], m[2]]);
  imports.push([className, file]);
  writeFileSync(
    indexPath,
    `// Every migration, in order. \`npm run migration:generate -- <Name>\` appends to this list.\n` +
      imports.map(([c, f]) => `import { ${c} } from './${f}';`).join('\n') +
      `\n\nexport const migrations = [\n${imports.map(([c]) => `  ${c},`).join('\n')}\n];\n`,
  );
  console.log(`Wrote migrations/${file}.ts (${diff.up.length} statements). Review it, then commit.`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
