import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const webFolder = path.join(root, 'web');
const builtIndex = path.join(webFolder, 'dist', 'index.html');

function newestChange(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Builds the web app when web/dist is missing or older than its sources, so the server serves what is tested.
 * The web imports some of the server's pure code (indicator catalog, exact money, fund ceilings), so src/
 * counts as a source too.
 */
export function setup() {
  const sources = Math.max(
    newestChange(path.join(webFolder, 'src')),
    newestChange(path.join(root, 'src')),
    statSync(path.join(webFolder, 'index.html')).mtimeMs,
    statSync(path.join(webFolder, 'vite.config.ts')).mtimeMs,
  );
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= sources) return;
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts'],
    // vitest sets NODE_ENV=test, which would make vite bundle React's and antd's development builds.
    { cwd: root, env: { ...process.env, NODE_ENV: 'production' }, stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error(`vite build failed with exit code ${result.status}`);
}
