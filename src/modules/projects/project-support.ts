import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Actor } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import { conflict } from '../../http/errors.ts';

/** Rows of the e-towns in the actor's scope, by the row's e-town column; a region filter narrows it. */
export const inScope = (actor: Actor, column: PgColumn, regionCode?: string): SQL | undefined => {
  const scope = regionScopeCondition(actor.scope, column);
  const region = regionCode ? sql`${column} like ${`${regionCode}%`}` : undefined;
  return scope && region ? sql`${scope} and ${region}` : (scope ?? region);
};

/** Optimistic locking: the client edits the version it read. */
export function requireVersion(current: number, given: number, what: string) {
  if (current !== given) throw conflict('version_conflict', `${what}已被他人修改，请刷新后重试`);
}

export const fileView = (row: { id: string; fileName: string; mediaType: string; sizeBytes: number }) => ({
  id: row.id,
  fileName: row.fileName,
  mediaType: row.mediaType,
  sizeBytes: row.sizeBytes,
});
