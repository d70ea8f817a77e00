// This machine's npm registry serves no packages for other platforms, so `npm install` leaves the lock
// file without entries for optional platform binaries (e.g. @biomejs/cli-darwin-arm64), and `npm ci`
// then refuses the lock file as out of sync. This adds the missing entries (exact version, optional),
// which `npm ci` accepts and skips on other platforms. Run after `npm install`: `npm run lock:complete`.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type LockEntry = {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  optionalDependencies?: Record<string, string>;
};
type LockFile = { packages: Record<string, LockEntry> };

/** Where npm would look for `name` when required from the package at `fromPath` (nearest node_modules up). */
function resolves(packages: Record<string, LockEntry>, fromPath: string, name: string): boolean {
  let base = fromPath;
  for (;;) {
    if (`${base ? `${base}/` : ''}node_modules/${name}` in packages) return true;
    if (!base) return false;
    const index = base.lastIndexOf('/node_modules/');
    base = index >= 0 ? base.slice(0, index) : '';
  }
}

/** The optional dependencies (path → entry) the lock file names but has no entry for. */
export function missingOptionalEntries(lock: LockFile): Record<string, LockEntry> {
  const missing: Record<string, LockEntry> = {};
  for (const [path, entry] of Object.entries(lock.packages)) {
    for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
      if (resolves(lock.packages, path, name) || !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec)) continue;
      const top = `node_modules/${name}`;
      const key = top in lock.packages || top in missing ? `${path}/node_modules/${name}` : top;
      missing[key] = { version: spec, ...(entry.dev ? { dev: true } : {}), optional: true };
    }
  }
  return missing;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = fileURLToPath(new URL('../package-lock.json', import.meta.url));
  const lock = JSON.parse(readFileSync(file, 'utf8')) as LockFile;
  const missing = missingOptionalEntries(lock);
  const packages = { ...lock.packages, ...missing };
  const sorted = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
  );
  writeFileSync(file, `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`);
  console.log(`package-lock.json: added ${Object.keys(missing).length} optional platform entries`);
}
