#!/usr/bin/env node
// The `recall` command (npx recall …). Builds the server code on first use.
const { existsSync } = require('node:fs');
const { execSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'dist/apps/cli/src/main.js');
if (!existsSync(entry)) {
  process.stderr.write('recall: building the server code (first run)…\n');
  execSync('npm run --silent build:server', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
process.chdir(root);
require(entry);
