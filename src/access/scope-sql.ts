import { inArray, like, or, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { type Scope, scopeIsLeafOnly, scopeRoots } from './scope.ts';

/** A WHERE condition keeping rows whose region code lies in the scope; `undefined` means no filter. */
export function regionScopeCondition(scope: Scope, column: PgColumn): SQL | undefined {
  const roots = scopeRoots(scope);
  if (roots === null) return undefined;
  if (roots.length === 0) return sql`false`;
  if (scopeIsLeafOnly(scope)) return inArray(column, roots);
  // Region codes are digits (and -E), so they never carry LIKE wildcards.
  return or(...roots.map((root) => like(column, `${root}%`)));
}
