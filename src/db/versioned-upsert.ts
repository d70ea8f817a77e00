import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { PgInsertValue, PgTable, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Executor } from './client.ts';
import { staleVersion, type VersionedTable } from './versioned-update.ts';

/**
 * Optimistic locking for a record that may not be stored yet (a settings document, a county's or a month's
 * setting: until a first save the defaults apply). `expectedVersion` is the version the client loaded, or
 * null when it loaded no stored row:
 * - null: `INSERT … ON CONFLICT DO NOTHING`; a row someone stored meanwhile (or before) makes it stale;
 * - a number: one conditional `UPDATE … SET …, version = version + 1 WHERE <row> AND version = $expected`;
 *   a row of another version, or no row any more (it was reset), makes it stale.
 * Stale: 409 `stale_version` with `present(current)`, the record as the route answers it (`current`
 * undefined when no row is stored: `present` shows the defaults, or throws 404 for a record that is gone).
 */
export async function upsertVersioned<T extends VersionedTable>(
  executor: Executor,
  table: T,
  row: SQL | undefined,
  expectedVersion: number | null,
  values: { insert: PgInsertValue<T>; update: PgUpdateSetSource<T> },
  present: (current: T['$inferSelect'] | undefined) => Promise<unknown> | unknown,
): Promise<T['$inferSelect']> {
  const written = (
    expectedVersion === null
      ? await executor.insert(table).values(values.insert).onConflictDoNothing().returning()
      : await executor
          .update(table)
          .set({ ...values.update, version: sql`${table.version} + 1` } as PgUpdateSetSource<T>)
          .where(and(row, eq(table.version, expectedVersion)))
          .returning()
  ) as T['$inferSelect'][];
  if (written[0]) return written[0];
  const [current] = (await executor
    .select()
    .from(table as PgTable)
    .where(row)) as T['$inferSelect'][];
  throw staleVersion(await present(current));
}
