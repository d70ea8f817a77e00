import { and, desc, eq, ilike, or, sql } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import { entities } from '../../db/schema/entities.ts';
import { creditRecords } from '../../db/schema/entity-registry.ts';
import { regions } from '../../db/schema/regions.ts';
import type { AppContext } from '../../http/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { CreditRecordInput } from './entities.schemas.ts';
import { goodConductCategories, violationCategories } from './entities.schemas.ts';
import { entityScopeCondition, getEntity, requireVisibleEntity } from './entities.service.ts';

function standardPoints(input: CreditRecordInput): number {
  const table: Record<string, number> = input.kind === 'good' ? goodConductCategories : violationCategories;
  return table[input.category] ?? 0;
}

export async function addCreditRecord(
  context: AppContext,
  actor: Actor,
  id: string,
  input: CreditRecordInput,
) {
  await context.database.db.transaction(async (tx) => {
    const entity = await requireVisibleEntity(tx, actor, id);
    const [record] = await tx
      .insert(creditRecords)
      .values({
        entityId: id,
        kind: input.kind,
        category: input.category,
        description: input.description,
        source: input.source,
        occurredOn: input.occurredOn,
        points: input.points ?? standardPoints(input),
        recordedBy: actor.userId,
      })
      .returning();
    await recordAudit(tx, actor, {
      action: 'entity.credit.add',
      targetType: 'entity',
      targetId: id,
      regionCode: entity.etownCode,
      diff: { creditRecord: { before: null, after: record } },
    });
  });
  return getEntity(context, actor, id);
}

/**
 * The shared violation list (信用共享). Deliberate exception to "outside the scope does not exist": the issue
 * asks that other counties can consult violations, so every county operator sees the province's list, but
 * only name, credit code, e-town, category and date. The other roles see their own scope, as everywhere.
 */
export async function listSharedViolations(
  context: AppContext,
  actor: Actor,
  query: { keyword?: string | undefined; category?: string | undefined; page: number; pageSize: number },
) {
  const { db } = context.database;
  const provinceWide = actor.role === 'county_operator';
  const keyword = query.keyword?.trim();
  const pattern = keyword ? `%${keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const condition = and(
    eq(creditRecords.kind, 'violation'),
    provinceWide ? undefined : entityScopeCondition(actor.scope),
    query.category ? eq(creditRecords.category, query.category) : undefined,
    pattern ? or(ilike(entities.name, pattern), ilike(entities.creditCode, pattern)) : undefined,
  );
  const ownScope = entityScopeCondition(actor.scope) ?? sql`true`;
  const [rows, [counted]] = await Promise.all([
    db
      .select({
        id: creditRecords.id,
        entityId: entities.id,
        entityName: entities.name,
        creditCode: entities.creditCode,
        etownCode: entities.etownCode,
        etownName: regions.name,
        category: creditRecords.category,
        occurredOn: creditRecords.occurredOn,
        inScope: sql<boolean>`(${ownScope})`,
      })
      .from(creditRecords)
      .innerJoin(entities, eq(entities.id, creditRecords.entityId))
      .innerJoin(regions, eq(regions.code, entities.etownCode))
      .where(condition)
      .orderBy(desc(creditRecords.occurredOn), desc(creditRecords.createdAt), desc(creditRecords.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db
      .select({ count: sql<number>`count(*)::int` })
      .from(creditRecords)
      .innerJoin(entities, eq(entities.id, creditRecords.entityId))
      .where(condition),
  ]);
  return {
    items: rows.map((row) => ({ ...row, inScope: Boolean(row.inScope) })),
    total: counted?.count ?? 0,
    page: query.page,
    pageSize: query.pageSize,
  };
}
