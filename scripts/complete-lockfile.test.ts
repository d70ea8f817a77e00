import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missingOptionalEntries } from './complete-lockfile.ts';

describe('package-lock.json', () => {
  it('has an entry for every optional platform package, so `npm ci` accepts it', () => {
    const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
    expect(Object.keys(missingOptionalEntries(lock))).toEqual([]);
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
});
