import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { AppError, notFound } from '../http/errors.ts';
import type { Executor } from './client.ts';

/** A table whose rows are edited under optimistic locking: it has an integer `version` column. */
export type VersionedTable = PgTable & { version: PgColumn };

export const STALE_VERSION_MESSAGE = '该记录已被他人修改，已载入最新内容';

/** 409 `stale_version`: the caller edited an older version; `current` is the record as it is now. */
export const staleVersion = (current: unknown) =>
  new AppError(409, 'stale_version', STALE_VERSION_MESSAGE, { current });

/**
 * Optimistic locking for every editable record: `UPDATE … SET …, version = version + 1 WHERE <row> AND
 * version = $expected RETURNING *`, the row named by `row` (e.g. `eq(table.id, id)`). No row updated means the record is gone (404) or another write came first
 * (409 `stale_version` carrying the current record, presented by `present`, so the client can reload it).
 */
export async function updateVersioned<T extends VersionedTable>(
  executor: Executor,
  table: T,
  row: SQL | undefined,
  expectedVersion: number,
  values: PgUpdateSetSource<T>,
  present: (current: T['$inferSelect']) => Promise<unknown> | unknown,
  what = '记录',
): Promise<T['$inferSelect']> {
  const versioned = { ...values, version: sql`${table.version} + 1` } as PgUpdateSetSource<T>;
  const updated = (await executor
    .update(table)
    .set(versioned)
    .where(and(row, eq(table.version, expectedVersion)))
    .returning()) as T['$inferSelect'][];
  if (updated[0]) return updated[0];
  const [current] = (await executor
    .select()
    .from(table as PgTable)
    .where(row)) as T['$inferSelect'][];
  if (!current) throw notFound(what);
  throw staleVersion(await present(current));
}
