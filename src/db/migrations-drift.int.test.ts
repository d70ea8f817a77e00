import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const drizzleKit = path.join(repoRoot, 'node_modules', '.bin', 'drizzle-kit');
const committedMigrations = path.join(repoRoot, 'drizzle');

const temporaryFolders: string[] = [];
afterEach(() => {
  for (const folder of temporaryFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function temporaryFolder(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'ezhen-drift-'));
  temporaryFolders.push(folder);
  return folder;
}

/**
 * `drizzle-kit generate` against a copy of drizzle/, from the repo root. Paths go relative because
 * drizzle-kit prefixes `--out` with `./`; it exits 0 even when it fails, so its output is returned.
 */
function generate(schemaFile: string, out: string): string {
  return execFileSync(
    drizzleKit,
    [
      'generate',
      '--dialect',
      'postgresql',
      '--schema',
      path.relative(repoRoot, schemaFile),
      '--out',
      path.relative(repoRoot, out),
    ],
    { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

const sqlFiles = (folder: string) =>
  readdirSync(folder)
    .filter((name) => name.endsWith('.sql'))
    .sort();

describe('schema and migrations', () => {
  it('agree: drizzle-kit generates no new migration from src/db/schema', () => {
    const out = path.join(temporaryFolder(), 'drizzle');
    cpSync(committedMigrations, out, { recursive: true });
    const output = generate(path.join(repoRoot, 'src/db/schema/index.ts'), out);
    expect(output).toContain('No schema changes, nothing to migrate');
    expect(sqlFiles(out)).toEqual(sqlFiles(committedMigrations));
    expect(readFileSync(path.join(out, 'meta/_journal.json'), 'utf8')).toBe(
      readFileSync(path.join(committedMigrations, 'meta/_journal.json'), 'utf8'),
    );
  });

  it('would catch drift: a column added to the schema without a migration produces one', () => {
    const folder = temporaryFolder();
    // The copy keeps the repo's layout, since the schema imports shared constants such as src/access/roles.ts.
    const schema = path.join(folder, 'src/db/schema');
    cpSync(path.join(repoRoot, 'src/db/schema'), schema, { recursive: true });
    cpSync(path.join(repoRoot, 'src/access'), path.join(folder, 'src/access'), { recursive: true });
    // The copied schema imports drizzle-orm, which resolves through the repo's node_modules.
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(folder, 'node_modules'), 'dir');
    const systemFile = path.join(schema, 'system.ts');
    const original = readFileSync(systemFile, 'utf8');
    const changed = original.replace(
      "updatedBy: text('updated_by'),",
      "updatedBy: text('updated_by'),\n  note: text('note'),",
    );
    expect(changed).not.toBe(original);
    writeFileSync(systemFile, changed);
    const out = path.join(folder, 'drizzle');
    cpSync(committedMigrations, out, { recursive: true });

    const output = generate(path.join(schema, 'index.ts'), out);

    expect(output).not.toContain('No schema changes');
    const added = sqlFiles(out).filter((name) => !sqlFiles(committedMigrations).includes(name));
    expect(added).toHaveLength(1);
    expect(readFileSync(path.join(out, added[0] as string), 'utf8')).toContain(
      'ALTER TABLE "system_settings" ADD COLUMN "note" text;',
    );
  });
});
