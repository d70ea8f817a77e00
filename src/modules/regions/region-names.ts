import { inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { regions } from '../../db/schema/regions.ts';

/** Names of the given regions by code, in one query (none for an empty list). */
export async function regionNames(
  executor: Executor,
  codes: readonly string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return new Map();
  const rows = await executor
    .select({ code: regions.code, name: regions.name })
    .from(regions)
    .where(inArray(regions.code, unique));
  return new Map(rows.map((row) => [row.code, row.name]));
}
