import { and, asc, eq, exists, lte, not, sql } from 'drizzle-orm';
import { anyOfText } from '../../db/any-of.ts';
import type { Executor } from '../../db/client.ts';
import { entities, entityTagAssignments } from '../../db/schema/entities.ts';
import type { PlatformCounts } from '../../indicators/engine.ts';
import { entityRegisteredOn, exitedBy } from './countable-entities.ts';

/**
 * What the platform counts beside each e-town's ledger for `year` (the engine's `platformCounts`): the
 * registry's entities tagged 培训机构, registered by the year's end and not exited by then, by name in
 * ledger order. Every e-town asked for gets its counts (possibly empty), with one query for all.
 */
export async function loadPlatformCounts(
  executor: Executor,
  etownCodes: readonly string[],
  year: number,
): Promise<Map<string, PlatformCounts>> {
  const yearEnd = `${year}-12-31`;
  const rows =
    etownCodes.length === 0
      ? []
      : await executor
          .select({ etownCode: entities.etownCode, name: entities.name })
          .from(entities)
          .where(
            and(
              anyOfText(entities.etownCode, etownCodes),
              lte(entityRegisteredOn, yearEnd),
              not(exitedBy(yearEnd)),
              exists(
                executor
                  .select({ one: sql`1` })
                  .from(entityTagAssignments)
                  .where(
                    and(
                      eq(entityTagAssignments.entityId, entities.id),
                      eq(entityTagAssignments.tag, 'training'),
                    ),
                  ),
              ),
            ),
          )
          .orderBy(asc(entities.etownCode), asc(entities.sortOrder), asc(entities.createdAt));
  const counts = new Map<string, string[]>(etownCodes.map((code) => [code, []]));
  for (const row of rows) counts.get(row.etownCode)?.push(row.name);
  return new Map([...counts].map(([code, names]) => [code, { training_institutions: names }]));
}

/** The platform counts of one e-town. */
export async function platformCountsOf(
  executor: Executor,
  etownCode: string,
  year: number,
): Promise<PlatformCounts> {
  return (await loadPlatformCounts(executor, [etownCode], year)).get(etownCode) ?? {};
}
