import { existsSync } from 'node:fs';
import path from 'node:path';

/** The checkout's root (where package.json and nest-cli.json live), from source or from dist/. */
export function repoRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'nest-cli.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the repository root above ${from}`);
    dir = parent;
  }
  return dir;
}
