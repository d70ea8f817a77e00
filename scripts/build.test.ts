import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildServer,
  serverBuildFile,
  serverBuildIsCurrent,
  serverSources,
  webBuildIsCurrent,
  webSources,
} from './build.js';

const packageVersion = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A checkout in miniature: every source dated `sourcesAt`, the built index dated `builtAt` (seconds). */
function checkout(sourcesAt: number, builtAt: number | null) {
  const base = mkdtempSync(path.join(tmpdir(), 'ezhen-build-'));
  folders.push(base);
  for (const folder of ['web/src/pages', 'src/lib', 'web/dist'])
    mkdirSync(path.join(base, folder), { recursive: true });
  const files = [
    'web/src/pages/page.tsx',
    'web/index.html',
    'web/vite.config.ts',
    'src/lib/money.ts',
    'package-lock.json',
  ];
  for (const file of files) writeFileSync(path.join(base, file), '');
  for (const source of [...files, 'web/src/pages', 'web/src', 'src/lib', 'src'])
    utimesSync(path.join(base, source), sourcesAt, sourcesAt);
  if (builtAt !== null) {
    writeFileSync(path.join(base, 'web/dist/index.html'), '<!doctype html>');
    utimesSync(path.join(base, 'web/dist/index.html'), builtAt, builtAt);
  }
  return base;
}

describe('building the web app only when it changed', () => {
  it('builds when there is no build yet', () => {
    expect(webBuildIsCurrent(checkout(1_000, null))).toBe(false);
  });

  it('skips the build when it is newer than every source', () => {
    expect(webBuildIsCurrent(checkout(1_000, 2_000))).toBe(true);
  });

  it('builds again after a page, the server code the web imports, or the installed libraries change', () => {
    for (const changed of [
      'web/src/pages/page.tsx',
      'src/lib/money.ts',
      'package-lock.json',
      'web/index.html',
    ]) {
      const base = checkout(1_000, 2_000);
      utimesSync(path.join(base, changed), 3_000, 3_000);
      expect(webBuildIsCurrent(base), changed).toBe(false);
    }
  });

  it('builds again after a source file is deleted (its folder changes)', () => {
    const base = checkout(1_000, 2_000);
    rmSync(path.join(base, 'web/src/pages/page.tsx'));
    expect(webBuildIsCurrent(base)).toBe(false);
  });

  it('names the sources it watches', () => {
    expect(webSources('/x').map((source) => path.relative('/x', source))).toEqual([
      'web/src',
      'web/index.html',
      'web/vite.config.ts',
      'src',
      'package-lock.json',
    ]);
  });
});

describe('compiling the server only when it changed', () => {
  /** A checkout whose server sources are dated `sourcesAt` and the compiled module `builtAt` (seconds). */
  function server(sourcesAt: number, builtAt: number | null) {
    const base = mkdtempSync(path.join(tmpdir(), 'ezhen-build-server-'));
    folders.push(base);
    for (const folder of ['src/modules', 'scripts', '.cache/server'])
      mkdirSync(path.join(base, folder), { recursive: true });
    const files = ['src/modules/app.ts', 'tsconfig.json', 'package-lock.json', 'scripts/build.js'];
    for (const file of files) writeFileSync(path.join(base, file), '');
    for (const source of [...files, 'src/modules', 'src', 'scripts'])
      utimesSync(path.join(base, source), sourcesAt, sourcesAt);
    if (builtAt !== null) {
      writeFileSync(serverBuildFile(base), '');
      utimesSync(serverBuildFile(base), builtAt, builtAt);
    }
    return base;
  }

  it('compiles when there is no compiled server yet, and runs it when it is newer than every source', () => {
    expect(serverBuildIsCurrent(server(1_000, null))).toBe(false);
    expect(serverBuildIsCurrent(server(1_000, 2_000))).toBe(true);
  });

  it('compiles again after the code, the compiler settings, the libraries or the recipe change', () => {
    for (const changed of ['src/modules/app.ts', 'tsconfig.json', 'package-lock.json', 'scripts/build.js']) {
      const base = server(1_000, 2_000);
      utimesSync(path.join(base, changed), 3_000, 3_000);
      expect(serverBuildIsCurrent(base), changed).toBe(false);
    }
  });

  it('compiles again after a source file is deleted (its folder changes)', () => {
    const base = server(1_000, 2_000);
    rmSync(path.join(base, 'src/modules/app.ts'));
    expect(serverBuildIsCurrent(base)).toBe(false);
  });

  it('names the sources it watches and where the compiled server goes', () => {
    expect(serverSources('/x').map((source) => path.relative('/x', source))).toEqual([
      'src',
      'tsconfig.json',
      'package-lock.json',
      'scripts/build.js',
    ]);
    expect(path.relative('/x', serverBuildFile('/x'))).toBe('.cache/server/ezhen.mjs');
  });
});

describe('the compiled server', () => {
  it('runs the CLI and finds package.json beside the TypeScript (its import.meta.url is its own)', async () => {
    await buildServer();
    const run = spawnSync(process.execPath, [serverBuildFile(), '--version'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(packageVersion);
    expect(serverBuildIsCurrent()).toBe(true);
  }, 60_000);
});
