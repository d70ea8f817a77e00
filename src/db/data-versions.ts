import { eq, like, or, type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { type Scope, scopeRoots } from '../access/scope.ts';
import { VersionedCache } from '../lib/versioned-cache.ts';
import { anyOfText } from './any-of.ts';
import type { DatabaseHandle, Executor } from './client.ts';
import { regionDataVersions } from './schema/system.ts';

/**
 * Reads of the versions the database keeps per region (migration 0021, `region_data_versions`): a trigger
 * on every table an evaluation, an aggregate or the reporting progress reads bumps the regions a change
 * touches, in the writer's transaction, with values from one sequence.
 *
 * A cache entry computed after reading a version is current as long as that version is unchanged: a change
 * committed between the read and the computation bumps it again, so the next reader recomputes.
 */

/** Region codes nest by prefix; null means every region. */
export type VersionRoots = readonly string[] | null;

const PROVINCE_SETTINGS = '*';

function rootsCondition(roots: VersionRoots): SQL | undefined {
  if (roots === null) return undefined;
  // Region codes are digits (and -E), so they never carry LIKE wildcards.
  return or(
    eq(regionDataVersions.regionCode, PROVINCE_SETTINGS),
    ...roots.map((root) => like(regionDataVersions.regionCode, `${root}%`)),
  );
}

/**
 * One value that changes whenever data of any region under the roots, or the province-wide settings,
 * change. Versions only grow and rows are never deleted, so the sum grows with every committed change
 * (whatever the commit order of concurrent writers); count and maximum tell apart a table rebuilt anew.
 */
export async function subtreeVersion(executor: Executor, roots: VersionRoots): Promise<string> {
  const [row] = await executor
    .select({
      fingerprint: sql<string>`coalesce(sum(${regionDataVersions.version}), 0)::text || '.' || count(*) || '.' || coalesce(max(${regionDataVersions.version}), 0)`,
    })
    .from(regionDataVersions)
    .where(rootsCondition(roots));
  return row?.fingerprint ?? '0';
}

/** The version of each region asked for ('0' for one never seen). */
export async function regionVersions(
  executor: Executor,
  codes: readonly string[],
): Promise<Map<string, string>> {
  const versions = new Map(codes.map((code) => [code, '0']));
  if (codes.length === 0) return versions;
  const rows = await executor
    .select({
      code: regionDataVersions.regionCode,
      version: sql<string>`${regionDataVersions.version}::text`,
    })
    .from(regionDataVersions)
    .where(anyOfText(regionDataVersions.regionCode, codes));
  for (const row of rows) versions.set(row.code, row.version);
  return versions;
}

const caches = new WeakMap<object, Map<string, VersionedCache<unknown>>>();

/** The named cache of answers computed from this database (one set per database handle). */
export function answerCache<Value>(database: DatabaseHandle, name: string, maxEntries = 500) {
  let named = caches.get(database);
  if (!named) {
    named = new Map();
    caches.set(database, named);
  }
  let cache = named.get(name);
  if (!cache) {
    cache = new VersionedCache<unknown>(maxEntries);
    named.set(name, cache);
  }
  return cache as VersionedCache<Value>;
}

/**
 * An answer that depends only on the data of the regions under `roots` (and the province-wide settings),
 * computed once per version of that data: one indexed read of the versions when it is current.
 */
export async function cachedForSubtree<Value>(
  database: DatabaseHandle,
  name: string,
  roots: VersionRoots,
  key: unknown,
  compute: () => Promise<Value>,
): Promise<Value> {
  return keptAt(database, name, await subtreeVersion(database.db, roots), key, compute);
}

/**
 * An answer kept at a version the caller has read already with `subtreeVersion` or `regionVersions`, so that the
 * answers of one request that depend on the same data (a list's region and its count) share one read.
 */
export function keptAt<Value>(
  database: DatabaseHandle,
  name: string,
  version: string,
  key: unknown,
  compute: () => Promise<Value>,
): Promise<Value> {
  return answerCache<Value>(database, name).get(JSON.stringify(key), version, compute);
}

/** What an answer asked for `regionCode` (or, without one, for the whole scope) depends on. */
export const versionRootsOf = (scope: Scope, regionCode: string | undefined): VersionRoots =>
  regionCode ? [regionCode] : scopeRoots(scope);

/**
 * The rows of `table` matching `where`, counted once per version of the data under the list's roots (read already by
 * the caller): paging a province-wide list would otherwise count all its rows again for every page.
 */
export function countAt(
  database: DatabaseHandle,
  name: string,
  version: string,
  key: unknown,
  table: PgTable,
  where: SQL | undefined,
): Promise<number> {
  return keptAt(database, name, version, key, async () => {
    const [counted] = await database.db
      .select({ count: sql<number>`count(*)::int` })
      .from(table)
      .where(where);
    return counted?.count ?? 0;
  });
}

/** Forgets every kept answer of this database (tests compare cached answers with fresh ones). */
export function clearAnswerCaches(database: DatabaseHandle): void {
  caches.delete(database);
}
