import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { webBuildIsCurrent, webSources } from './build-web.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A checkout in miniature: every source dated `sourcesAt`, the built index dated `builtAt` (seconds). */
function checkout(sourcesAt: number, builtAt: number | null) {
  const base = mkdtempSync(path.join(tmpdir(), 'ezhen-build-web-'));
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
