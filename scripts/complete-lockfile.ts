// This machine's npm registry serves no packages for other platforms, so `npm install` leaves the lock
// file without entries for optional platform binaries (e.g. @biomejs/cli-darwin-arm64), and `npm ci`
// then refuses the lock file as out of sync. This adds the missing entries (exact version, optional)
// with the `os`, `cpu`, `libc` and `integrity` the registry's metadata gives them: without those, `npm ci`
// cannot tell a binary is for another platform and installs every one (Biome's alone are 800 MB).
// Run after `npm install`: `npm run lock:complete`.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type LockEntry = {
  version?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  license?: string;
  optional?: boolean;
  optionalDependencies?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  libc?: string[];
};
type LockFile = { packages: Record<string, LockEntry> };

/** What the registry says about one published version (`npm view <name>@<version> … --json`). */
export type RegistryMetadata = {
  license?: string;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  'dist.integrity': string;
};

/** A name that says which platform a binary is built for: such a package must declare `os` or `cpu`. */
const platformNamePattern =
  /(^|[-/])(android|darwin|linux|win32|freebsd|openbsd|netbsd|sunos|aix|wasm32)([-/]|$)/;

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

/** The package name installed at a lock path (`node_modules/a/node_modules/@b/c` → `@b/c`). */
export const packageNameAt = (path: string) => path.slice(path.lastIndexOf('node_modules/') + 13);

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

/**
 * Entries `npm ci` cannot check before downloading: no integrity, or a platform binary without the
 * `os`/`cpu` that lets npm skip it on other platforms.
 */
export function incompleteEntries(lock: LockFile): string[] {
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && !entry.link)
    .filter(
      ([path, entry]) =>
        !entry.integrity ||
        (entry.optional && platformNamePattern.test(packageNameAt(path)) && !entry.os && !entry.cpu),
    )
    .map(([path]) => path);
}

/** The entry with the registry's integrity and platform fields, in the order npm writes them. */
export function completedEntry(entry: LockEntry, metadata: RegistryMetadata): LockEntry {
  const { version, dev, optional, ...rest } = entry;
  return {
    version,
    integrity: metadata['dist.integrity'],
    ...(metadata.cpu ? { cpu: metadata.cpu } : {}),
    ...(dev ? { dev } : {}),
    ...(metadata.libc ? { libc: metadata.libc } : {}),
    ...(metadata.license ? { license: metadata.license } : {}),
    ...(optional ? { optional } : {}),
    ...(metadata.os ? { os: metadata.os } : {}),
    ...rest,
  };
}

function registryMetadata(name: string, version: string): RegistryMetadata {
  const fields = ['name', 'os', 'cpu', 'libc', 'license', 'dist.integrity'];
  const output = execFileSync('npm', ['view', `${name}@${version}`, ...fields, '--json'], {
    encoding: 'utf8',
  });
  const metadata = JSON.parse(output) as RegistryMetadata;
  if (!metadata['dist.integrity']) throw new Error(`the registry gives no integrity for ${name}@${version}`);
  return metadata;
}

function completeLockFile(file: string) {
  const lock = JSON.parse(readFileSync(file, 'utf8')) as LockFile;
  const missing = missingOptionalEntries(lock);
  const packages = { ...lock.packages, ...missing };
  const incomplete = incompleteEntries({ packages });
  for (const path of incomplete) {
    const entry = packages[path] ?? {};
    packages[path] = completedEntry(entry, registryMetadata(packageNameAt(path), entry.version ?? ''));
  }
  const sorted = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
  );
  writeFileSync(file, `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`);
  console.log(
    `package-lock.json: added ${Object.keys(missing).length} optional platform entries, ` +
      `completed ${incomplete.length} from the registry's metadata`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  completeLockFile(fileURLToPath(new URL('../package-lock.json', import.meta.url)));
}
