import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { completedEntry, incompleteEntries, missingOptionalEntries } from './complete-lockfile.ts';

const lockFile = () => JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));

describe('package-lock.json', () => {
  it('has an entry for every optional platform package, so `npm ci` accepts it', () => {
    expect(Object.keys(missingOptionalEntries(lockFile()))).toEqual([]);
  });

  it('gives every entry its integrity and every platform binary its os/cpu, so `npm ci` skips the others', () => {
    expect(incompleteEntries(lockFile())).toEqual([]);
  });

  it('finds an optional binary that has no entry', () => {
    const lock = {
      packages: {
        '': {},
        'node_modules/tool': {
          version: '1.0.0',
          dev: true,
          optionalDependencies: { 'tool-linux': '1.0.0', 'tool-mac': '1.0.0' },
        },
        'node_modules/tool-linux': { version: '1.0.0', dev: true, optional: true },
      },
    };
    expect(missingOptionalEntries(lock)).toEqual({
      'node_modules/tool-mac': { version: '1.0.0', dev: true, optional: true },
    });
  });

  it('finds entries without integrity, and platform binaries without os or cpu', () => {
    const lock = {
      packages: {
        '': {},
        'node_modules/tool': { version: '1.0.0', integrity: 'sha512-a' },
        'node_modules/tool-darwin-arm64': { version: '1.0.0', integrity: 'sha512-b', optional: true },
        'node_modules/tool-linux-x64': {
          version: '1.0.0',
          integrity: 'sha512-c',
          optional: true,
          os: ['linux'],
        },
        'node_modules/tool/node_modules/helper': { version: '2.0.0' },
        'node_modules/local': { link: true },
      },
    };
    expect(incompleteEntries(lock)).toEqual([
      'node_modules/tool-darwin-arm64',
      'node_modules/tool/node_modules/helper',
    ]);
  });

  it('completes an entry from the registry metadata', () => {
    const entry = { version: '2.6.8', dev: true, optional: true };
    const metadata = {
      os: ['linux'],
      cpu: ['x64'],
      libc: ['musl'],
      license: 'MIT',
      'dist.integrity': 'sha512-xyz',
    };
    expect(completedEntry(entry, metadata)).toEqual({
      version: '2.6.8',
      integrity: 'sha512-xyz',
      cpu: ['x64'],
      dev: true,
      libc: ['musl'],
      license: 'MIT',
      optional: true,
      os: ['linux'],
    });
  });
});
