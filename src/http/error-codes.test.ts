import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCodes } from './error-codes.ts';

const sourceRoot = path.resolve(import.meta.dirname, '..');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.includes('.test.') ? [full] : [];
  });
}

/** Every (code, status) the server's code throws: `new AppError(status, 'code'`, `conflict('code'`, `badRequest('code'`. */
function thrownCodes(): { code: string; status: number; file: string }[] {
  return sourceFiles(sourceRoot).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const found = [
      ...[...text.matchAll(/AppError\(\s*(\d{3}),\s*'([a-z_0-9]+)'/g)].map((m) => ({
        code: m[2] as string,
        status: Number(m[1]),
      })),
      ...[...text.matchAll(/\bconflict\(\s*'([a-z_0-9]+)'/g)].map((m) => ({
        code: m[1] as string,
        status: 409,
      })),
      ...[...text.matchAll(/\bbadRequest\(\s*'([a-z_0-9]+)'/g)].map((m) => ({
        code: m[1] as string,
        status: 400,
      })),
    ];
    return found.map((entry) => ({ ...entry, file: path.relative(sourceRoot, file) }));
  });
}

describe('the error code registry', () => {
  const thrown = thrownCodes();

  it('finds the codes the sources throw', () => {
    expect(thrown.length).toBeGreaterThan(50);
  });

  it('lists every thrown code with the status it is thrown with, so no code answers two statuses', () => {
    const registry: Record<string, number> = errorCodes;
    const wrong = thrown
      .filter(({ code, status }) => registry[code] !== status)
      .map(
        ({ code, status, file }) => `${file}: ${code} ${status} (registry: ${registry[code] ?? 'missing'})`,
      );
    expect(wrong).toEqual([]);
  });

  it('has no code nobody throws', () => {
    const used = new Set(thrown.map(({ code }) => code));
    const handlerCodes = readFileSync(path.join(sourceRoot, 'http', 'error-handler.ts'), 'utf8');
    const unused = Object.keys(errorCodes).filter(
      (code) =>
        !used.has(code) &&
        !handlerCodes.includes(`'${code}'`) &&
        !['not_found', 'forbidden', 'unauthenticated'].includes(code),
    );
    expect(unused).toEqual([]);
  });
});
