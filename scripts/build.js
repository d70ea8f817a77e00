// Builds the web app (web/dist) when it is missing or older than its sources, so `npm start` on an unchanged
// checkout starts at once instead of rebuilding every time. `npm run build` always builds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function newestChange(location: string): number {
  if (!existsSync(location)) return 0;
  const stat = statSync(location);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(location))
    newest = Math.max(newest, newestChange(path.join(location, entry)));
  return newest;
}

/**
 * What the built app depends on: the web sources, the server's pure code the web imports (indicator
 * catalog, exact money, fund ceilings), the build configuration and the installed libraries' versions.
 */
export function webSources(base = root): string[] {
  return ['web/src', 'web/index.html', 'web/vite.config.ts', 'src', 'package-lock.json'].map((item) =>
    path.join(base, item),
  );
}

/** Whether web/dist holds a build at least as new as every source. */
export function webBuildIsCurrent(base = root): boolean {
  const builtIndex = path.join(base, 'web', 'dist', 'index.html');
  if (!existsSync(builtIndex)) return false;
  const sources = Math.max(...webSources(base).map(newestChange));
  return statSync(builtIndex).mtimeMs >= sources;
}

/** Builds web/dist with vite in production mode (vitest's NODE_ENV=test would bundle development React). */
export function buildWeb(base = root): void {
  const result = spawnSync(
    process.execPath,
    [path.join(base, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts'],
    { cwd: base, env: { ...process.env, NODE_ENV: 'production' }, stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error(`网页构建失败（vite build 退出码 ${result.status}）`);
}

export function buildWebIfStale(base = root): boolean {
  if (webBuildIsCurrent(base)) return false;
  buildWeb(base);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!buildWebIfStale()) console.log('网页已是最新构建（web/dist），跳过构建');
}
