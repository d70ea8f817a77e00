import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Actor } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import { staleVersion } from '../../db/versioned-update.ts';

/** Rows of the e-towns in the actor's scope, by the row's e-town column; a region filter narrows it. */
export const inScope = (actor: Actor, column: PgColumn, regionCode?: string): SQL | undefined => {
  const scope = regionScopeCondition(actor.scope, column);
  const region = regionCode ? sql`${column} like ${`${regionCode}%`}` : undefined;
  return scope && region ? sql`${scope} and ${region}` : (scope ?? region);
};

/**
 * Optimistic locking for a row read under lock: the client edits the version it read; otherwise 409
 * `stale_version` with the record as the route presents it now (`present`).
 */
export async function requireVersion(current: number, given: number, present: () => Promise<unknown>) {
  if (current !== given) throw staleVersion(await present());
}

export const fileView = (row: { id: string; fileName: string; mediaType: string; sizeBytes: number }) => ({
  id: row.id,
  fileName: row.fileName,
  mediaType: row.mediaType,
  sizeBytes: row.sizeBytes,
});
