import { and, eq, gte, inArray, lte, or, type SQL, sql } from 'drizzle-orm';
import { type EntityTagCode, entities, entityTagAssignments, entityTags } from '../../db/schema/entities.ts';
import { type IndicatorCatalog, indicatorCatalogs } from '../../indicators/catalog.ts';

/** The registration date a ledger gives an entity: its own, or the Shanghai day it was entered. */
export const entityRegisteredOn = sql<string>`coalesce(${entities.registeredOn}, (${entities.createdAt} at time zone 'Asia/Shanghai')::date)::text`;

/**
 * The entity left the e-town on or before `yearEnd` (YYYY-MM-DD): the ledger of that year describes the
 * e-town at its end, so such an entity counts for no tag or registration condition (its monthly figures
 * up to its exit still count).
 */
export const exitedBy = (yearEnd: string) =>
  sql<boolean>`(${entities.status} = 'exited' and coalesce(${entities.exitedOn} <= ${yearEnd}::date, true))`;

/** The base catalog with every county add-on written on top of it (all counties). */
export function catalogsWithAddOns(base: IndicatorCatalog): IndicatorCatalog[] {
  return [
    base,
    ...indicatorCatalogs.filter(
      ({ layer }) =>
        layer.kind === 'county_add_on' && layer.base.id === base.id && layer.base.version === base.version,
    ),
  ];
}

/**
 * The entities an evaluation in `year` can count, read off the catalogs' count conditions: an entity
 * that matches no condition's `where` and window changes no count, so leaving it out of a ledger built
 * only to be evaluated changes no status, fact or reason. `undefined` (keep every entity) when a condition
 * counts every entity or filters on a field this translation does not know.
 */
export function countableEntitiesCondition(
  catalogs: readonly IndicatorCatalog[],
  year: number,
): SQL | undefined {
  // Per window: the tags and legal-entity values that single-field conditions count; other
  // conditions (several fields) as their own clause. Few clauses keep the planner's estimate honest.
  const windows = new Map<string, { tags: Set<string>; legalEntity: Set<boolean> }>();
  const clauses: SQL[] = [];
  const inWindow = (window: 'in_year' | 'by_year' | undefined): SQL | undefined =>
    window === 'in_year'
      ? and(gte(entityRegisteredOn, `${year}-01-01`), lte(entityRegisteredOn, `${year}-12-31`))
      : window === 'by_year'
        ? lte(entityRegisteredOn, `${year}-12-31`)
        : undefined;
  const taggedWith = (tags: readonly string[]) =>
    inArray(
      entities.id,
      sql`(select ${entityTagAssignments.entityId} from ${entityTagAssignments} where ${inArray(entityTagAssignments.tag, tags as EntityTagCode[])})`,
    );
  for (const condition of catalogs.flatMap((catalog) =>
    catalog.indicators.flatMap((indicator) => indicator.conditions),
  )) {
    if (condition.type !== 'count' || condition.list !== 'entities') continue;
    const fields = Object.entries(condition.where ?? {});
    if (fields.length === 0) return undefined;
    const parts: SQL[] = [];
    for (const [field, value] of fields) {
      if (field === 'tags' && entityTags.includes(value as EntityTagCode))
        parts.push(taggedWith([value as string]));
      else if (field === 'legalEntity' && typeof value === 'boolean')
        parts.push(eq(entities.legalEntity, value));
      else return undefined;
    }
    const [[field, value]] = fields as [[string, string | boolean]];
    if (fields.length === 1) {
      const key = condition.window ?? 'always';
      const group = windows.get(key) ?? { tags: new Set(), legalEntity: new Set() };
      if (field === 'tags') group.tags.add(value as string);
      else group.legalEntity.add(value as boolean);
      windows.set(key, group);
    } else {
      clauses.push(and(inWindow(condition.window), ...parts) as SQL);
    }
  }
  for (const [window, group] of windows) {
    const matches = or(
      group.tags.size > 0 ? taggedWith([...group.tags]) : undefined,
      ...[...group.legalEntity].map((value) => eq(entities.legalEntity, value)),
    );
    clauses.push(
      and(window === 'always' ? undefined : inWindow(window as 'in_year' | 'by_year'), matches) as SQL,
    );
  }
  return clauses.length === 0 ? sql`false` : or(...clauses);
}
