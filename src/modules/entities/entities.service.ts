import { and, asc, desc, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import { type Actor, type Scope, scopeRoots } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import type { Executor } from '../../db/client.ts';
import { countAt, subtreeVersion } from '../../db/data-versions.ts';
import { qualified } from '../../db/qualified.ts';
import { users } from '../../db/schema/accounts.ts';
import { entities, entityShops, entityTagAssignments } from '../../db/schema/entities.ts';
import { creditRecords, entityTagEvents } from '../../db/schema/entity-registry.ts';
import { regions } from '../../db/schema/regions.ts';
import { staleVersion } from '../../db/versioned-update.ts';
import type { AppContext } from '../../http/context.ts';
import { conflict, invalidFields, notFound } from '../../http/errors.ts';
import { sm4Decrypt, sm4Encrypt } from '../../lib/national-crypto.ts';
import { diffObjects, recordAudit } from '../audit/audit.service.ts';
import { regionNames } from '../regions/region-names.ts';
import { requireVisibleRegion, requireVisibleRegionAt } from '../regions/regions.service.ts';
import type {
  AddShopInput,
  CreateEntityInput,
  CreateEntityWithOverrideInput,
  EntityDetail,
  EntitySummary,
  ListEntitiesQuery,
  TagChangeInput,
  UpdateEntityInput,
} from './entities.schemas.ts';
import { entityTagLabels } from './entities.schemas.ts';
import { creditCodeProblem, creditGrade, maskPhone } from './entity-rules.ts';

type EntityRow = typeof entities.$inferSelect;

/** Entities the scope covers: a region subtree, or for an enterprise account only its own entity. */
export function entityScopeCondition(scope: Scope): SQL | undefined {
  if (scope.kind === 'entity') return scope.entityId ? eq(entities.id, scope.entityId) : sql`false`;
  return regionScopeCondition(scope, entities.etownCode);
}

/** The entity when the actor may see it; otherwise 404, exactly as if it did not exist. */
export async function requireVisibleEntity(executor: Executor, actor: Actor, id: string): Promise<EntityRow> {
  const [row] = await executor
    .select()
    .from(entities)
    .where(and(eq(entities.id, id), entityScopeCondition(actor.scope)));
  if (!row) throw notFound('市场主体');
  return row;
}

const phoneColumns = (phone: string | null | undefined, secretKeyHex: string) =>
  phone === undefined
    ? {}
    : phone === null
      ? { contactPhoneCipher: null, contactPhoneMasked: null }
      : { contactPhoneCipher: sm4Encrypt(phone, secretKeyHex), contactPhoneMasked: maskPhone(phone) };

/** What the audit log keeps of an entity: never the clear phone, only its masked form. */
function auditView(row: Partial<EntityRow>) {
  const { contactPhoneCipher: _cipher, updatedAt: _updated, createdAt: _created, ...rest } = row;
  return rest;
}

async function creditSums(executor: Executor, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await executor
    .select({ entityId: creditRecords.entityId, points: sql<number>`sum(${creditRecords.points})::int` })
    .from(creditRecords)
    .where(inArray(creditRecords.entityId, ids))
    .groupBy(creditRecords.entityId);
  return new Map(rows.map((row) => [row.entityId, row.points]));
}

/** What a list shows of an entity beside its row: its e-town's name, credit points and tags. */
type SummaryExtras = { etownName: string | null; creditPoints: number | null; tags: string[] };

const tagOrder = Object.keys(entityTagLabels);

/** The columns of an entity a list shows (the rest — contacts' cipher, address, … — stay in the database). */
const listedColumns = {
  id: entities.id,
  creditCode: entities.creditCode,
  name: entities.name,
  etownCode: entities.etownCode,
  entityType: entities.entityType,
  legalEntity: entities.legalEntity,
  registeredOn: entities.registeredOn,
  status: entities.status,
  exitedOn: entities.exitedOn,
  contactName: entities.contactName,
  contactPhoneMasked: entities.contactPhoneMasked,
};

type ListedEntity = Pick<EntityRow, keyof typeof listedColumns>;

function presentSummary(row: ListedEntity, extras: SummaryExtras): EntitySummary {
  return {
    id: row.id,
    creditCode: row.creditCode,
    name: row.name,
    etownCode: row.etownCode,
    etownName: extras.etownName ?? row.etownCode,
    entityType: row.entityType,
    legalEntity: row.legalEntity,
    registeredOn: row.registeredOn,
    status: row.status,
    exitedOn: row.exitedOn,
    tags: [...extras.tags].sort((a, b) => tagOrder.indexOf(a) - tagOrder.indexOf(b)) as EntitySummary['tags'],
    contactName: row.contactName,
    contactPhoneMasked: row.contactPhoneMasked,
    credit: creditGrade(extras.creditPoints ? [extras.creditPoints] : []),
  };
}

async function summaries(executor: Executor, rows: EntityRow[]): Promise<EntitySummary[]> {
  const ids = rows.map((row) => row.id);
  const [names, sums, tagRows] = await Promise.all([
    regionNames(
      executor,
      rows.map((row) => row.etownCode),
    ),
    creditSums(executor, ids),
    ids.length
      ? executor
          .select({ entityId: entityTagAssignments.entityId, tag: entityTagAssignments.tag })
          .from(entityTagAssignments)
          .where(inArray(entityTagAssignments.entityId, ids))
      : Promise.resolve([]),
  ]);
  return rows.map((row) =>
    presentSummary(row, {
      etownName: names.get(row.etownCode) ?? null,
      creditPoints: sums.get(row.id) ?? null,
      tags: tagRows.filter((tag) => tag.entityId === row.id).map((tag) => tag.tag),
    }),
  );
}

/** A list page's rows with their extras read by the same statement (one round trip for the page). */
const summaryColumns = {
  entity: listedColumns,
  etownName: sql<
    string | null
  >`(select ${regions.name} from ${regions} where ${regions.code} = ${qualified(entities.etownCode)})`,
  creditPoints: sql<
    number | null
  >`(select sum(${creditRecords.points})::int from ${creditRecords} where ${creditRecords.entityId} = ${qualified(entities.id)})`,
  tags: sql<string[]>`array(select ${entityTagAssignments.tag}::text from ${entityTagAssignments}
    where ${entityTagAssignments.entityId} = ${qualified(entities.id)})`,
};

/**
 * Name or credit code containing the keyword. Three characters or more go through the trigram indexes. One or two
 * have no trigram and are tested row by row (`ilike`, about a microsecond a row): the count is kept per version of
 * the subtree's data, and the page reads the list in order and stops at its last row. (Migration 0021 indexed the
 * name's character pairs instead, but PostgreSQL then ran that SQL function on every row whenever the credit code
 * was searched too or the keyword was common, some thirty times slower than `ilike`; migration 0023 removed it.)
 * The credit code holds only digits and capital letters, so it is searched only for such a keyword.
 */
function keywordCondition(keyword: string): SQL | undefined {
  const pattern = `%${keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const searchesCreditCode = [...keyword].length > 2 || /^[0-9a-z]{1,2}$/i.test(keyword);
  return searchesCreditCode
    ? or(ilike(entities.name, pattern), ilike(entities.creditCode, pattern))
    : ilike(entities.name, pattern);
}

export async function listEntities(context: AppContext, actor: Actor, query: ListEntitiesQuery) {
  const { db } = context.database;
  const keyword = query.keyword?.trim();
  const condition = and(
    entityScopeCondition(actor.scope),
    query.regionCode ? sql`${entities.etownCode} like ${`${query.regionCode}%`}` : undefined,
    query.entityType ? eq(entities.entityType, query.entityType) : undefined,
    query.status ? eq(entities.status, query.status) : undefined,
    query.tag
      ? sql`exists (select 1 from ${entityTagAssignments} where ${entityTagAssignments.entityId} = ${entities.id} and ${entityTagAssignments.tag} = ${query.tag})`
      : undefined,
    keyword ? keywordCondition(keyword) : undefined,
  );
  // The region asked for is checked, and the count kept, at one read of the version of the data under it; the page
  // is read meanwhile (the scope already limits it, and a region the actor may not see answers 404 all the same).
  const [version, rows] = await Promise.all([
    query.regionCode
      ? requireVisibleRegionAt(context.database, actor, query.regionCode).then(({ version }) => version)
      : subtreeVersion(db, scopeRoots(actor.scope)),
    db
      .select(summaryColumns)
      .from(entities)
      .where(condition)
      .orderBy(asc(entities.etownCode), asc(entities.sortOrder), asc(entities.createdAt), asc(entities.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
  ]);
  // The count reads entities and their tags only, so it is kept per version of the subtree's data.
  const total = await countAt(
    context.database,
    'entity-count',
    version,
    [actor.scope, query.regionCode, query.entityType, query.status, query.tag, keyword],
    entities,
    condition,
  );
  return {
    items: rows.map(({ entity, ...extras }) => presentSummary(entity, extras)),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export async function getEntity(
  context: AppContext,
  actor: Actor,
  id: string,
  executor: Executor = context.database.db,
): Promise<EntityDetail> {
  const row = await requireVisibleEntity(executor, actor, id);
  const countyCode = row.etownCode.slice(0, 6);
  const [[summary], names, currentTags, history, shops, records] = await Promise.all([
    summaries(executor, [row]),
    regionNames(executor, [countyCode]),
    executor.select().from(entityTagAssignments).where(eq(entityTagAssignments.entityId, id)),
    executor
      .select({ event: entityTagEvents, actorName: users.displayName })
      .from(entityTagEvents)
      .leftJoin(users, eq(users.id, entityTagEvents.actorId))
      .where(eq(entityTagEvents.entityId, id))
      .orderBy(desc(entityTagEvents.effectiveOn), desc(entityTagEvents.at)),
    executor
      .select()
      .from(entityShops)
      .where(eq(entityShops.entityId, id))
      .orderBy(asc(entityShops.createdAt), asc(entityShops.id)),
    executor
      .select({ record: creditRecords, recordedByName: users.displayName })
      .from(creditRecords)
      .leftJoin(users, eq(users.id, creditRecords.recordedBy))
      .where(eq(creditRecords.entityId, id))
      .orderBy(desc(creditRecords.occurredOn), desc(creditRecords.createdAt)),
  ]);
  if (!summary) throw notFound('市场主体');
  return {
    ...summary,
    credit: creditGrade(records.map(({ record }) => record.points).reverse()),
    address: row.address,
    exitReason: row.exitReason,
    creditCodeOverride: row.creditCodeOverride,
    countyCode,
    countyName: names.get(countyCode) ?? countyCode,
    currentTags: currentTags
      .map((tag) => ({ tag: tag.tag, reason: tag.reason, taggedOn: tag.taggedOn }))
      .sort((a, b) => tagOrder.indexOf(a.tag) - tagOrder.indexOf(b.tag)),
    tagHistory: history.map(({ event, actorName }) => ({
      id: event.id,
      tag: event.tag,
      action: event.action,
      reason: event.reason,
      effectiveOn: event.effectiveOn,
      actorName,
      at: event.at.toISOString(),
    })),
    shops: shops.map((shop) => ({
      id: shop.id,
      platform: shop.platform,
      shopName: shop.shopName,
      url: shop.url,
    })),
    creditRecords: records.map(({ record, recordedByName }) => ({
      id: record.id,
      kind: record.kind,
      category: record.category,
      description: record.description,
      source: record.source,
      occurredOn: record.occurredOn,
      points: record.points,
      recordedByName,
      createdAt: record.createdAt.toISOString(),
    })),
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}

async function refuseTakenCreditCode(executor: Executor, creditCode: string, exceptId?: string) {
  const [taken] = await executor
    .select({ id: entities.id })
    .from(entities)
    .where(eq(entities.creditCode, creditCode));
  // The code is unique province-wide, so the refusal cannot avoid saying it exists; it names nothing else.
  if (taken && taken.id !== exceptId) {
    throw conflict('credit_code_taken', `统一社会信用代码 ${creditCode} 已登记为市场主体`, [
      { path: 'creditCode', message: '该统一社会信用代码已登记' },
    ]);
  }
}

type NewEntity = Omit<CreateEntityInput, 'tags'> & { creditCodeOverride?: string | null };

/** Inserts a registry row (used by the county's registration and by admitting an entry application). */
export async function insertEntity(
  tx: Executor,
  context: AppContext,
  actor: Actor,
  input: NewEntity,
  auditExtra: Record<string, unknown> = {},
): Promise<EntityRow> {
  await refuseTakenCreditCode(tx, input.creditCode);
  const [last] = await tx
    .select({ sortOrder: sql<number>`coalesce(max(${entities.sortOrder}), -1)::int` })
    .from(entities)
    .where(eq(entities.etownCode, input.etownCode));
  const [row] = await tx
    .insert(entities)
    .values({
      creditCode: input.creditCode,
      name: input.name,
      etownCode: input.etownCode,
      entityType: input.entityType,
      legalEntity: input.legalEntity,
      registeredOn: input.registeredOn,
      address: input.address,
      contactName: input.contactName,
      ...phoneColumns(input.contactPhone, context.secretKeyHex),
      creditCodeOverride: input.creditCodeOverride ?? null,
      sortOrder: (last?.sortOrder ?? -1) + 1,
    })
    .returning();
  if (!row) throw new Error('insert returned no row');
  await recordAudit(tx, actor, {
    action: 'entity.create',
    targetType: 'entity',
    targetId: row.id,
    regionCode: row.etownCode,
    diff: { after: auditView(row), ...auditExtra },
  });
  return row;
}

async function addTag(
  tx: Executor,
  actor: Actor,
  entity: { id: string; etownCode: string },
  input: TagChangeInput,
) {
  const entityId = entity.id;
  const inserted = await tx
    .insert(entityTagAssignments)
    .values({ entityId, tag: input.tag, reason: input.reason, taggedOn: input.effectiveOn })
    .onConflictDoNothing()
    .returning({ tag: entityTagAssignments.tag });
  if (inserted.length === 0) {
    throw conflict('tag_present', `该主体已有“${entityTagLabels[input.tag]}”标签`, [{ path: 'tag' }]);
  }
  await tx.insert(entityTagEvents).values({
    entityId,
    tag: input.tag,
    action: 'added',
    reason: input.reason,
    effectiveOn: input.effectiveOn,
    actorId: actor.userId,
  });
  await recordAudit(tx, actor, {
    action: 'entity.tag.add',
    targetType: 'entity',
    targetId: entityId,
    regionCode: entity.etownCode,
    diff: { tag: { before: null, after: input.tag }, reason: input.reason, effectiveOn: input.effectiveOn },
  });
}

function requireValidCreditCode(creditCode: string) {
  const problem = creditCodeProblem(creditCode);
  if (problem) throw invalidFields([{ path: 'creditCode', message: problem }]);
}

/** The county registers an entity in one of its e-towns; the code must pass its GB 32100 check character. */
export async function createEntity(context: AppContext, actor: Actor, input: CreateEntityInput) {
  const id = await context.database.db.transaction(async (tx) => {
    await requireVisibleRegion(tx, actor, input.etownCode, 'etown');
    requireValidCreditCode(input.creditCode);
    const { tags, ...fields } = input;
    const row = await insertEntity(tx, context, actor, fields);
    for (const tag of tags ?? []) await addTag(tx, actor, row, tag);
    return row.id;
  });
  return getEntity(context, actor, id);
}

/**
 * Override design: a county's registration of a code failing its check character is refused (400 on
 * `creditCode`, naming the expected character). The province admin, the only role with
 * entitiesCreditCodeOverride, registers such an entity through its own route with a documented reason,
 * kept on the entity (`creditCodeOverride`) and in the audit log; the county manages it from then on.
 */
export async function createEntityWithCreditCodeOverride(
  context: AppContext,
  actor: Actor,
  input: CreateEntityWithOverrideInput,
) {
  const id = await context.database.db.transaction(async (tx) => {
    await requireVisibleRegion(tx, actor, input.etownCode, 'etown');
    const problem = creditCodeProblem(input.creditCode);
    if (!problem) {
      throw invalidFields([
        { path: 'creditCodeOverride', message: '该代码校验位正确，无需放行，请由县级正常登记' },
      ]);
    }
    const { tags, ...fields } = input;
    const row = await insertEntity(tx, context, actor, fields);
    await recordAudit(tx, actor, {
      action: 'entity.credit_code_override',
      targetType: 'entity',
      targetId: row.id,
      regionCode: row.etownCode,
      diff: { creditCode: input.creditCode, problem, reason: input.creditCodeOverride },
    });
    for (const tag of tags ?? []) await addTag(tx, actor, row, tag);
    return row.id;
  });
  return getEntity(context, actor, id);
}

/** 409 `stale_version` with the entity as it is now. */
const staleEntity = async (context: AppContext, tx: Executor, actor: Actor, id: string) =>
  staleVersion(await getEntity(context, actor, id, tx));

/** Bumps the version only if it is still the one the editor saw; otherwise 409 with the current entity. */
async function bumpVersion(
  context: AppContext,
  tx: Executor,
  actor: Actor,
  id: string,
  version: number,
  values: Partial<EntityRow>,
) {
  const updated = await tx
    .update(entities)
    .set({ ...values, version: sql`${entities.version} + 1`, updatedAt: new Date() })
    .where(and(eq(entities.id, id), eq(entities.version, version)))
    .returning();
  if (!updated[0]) throw await staleEntity(context, tx, actor, id);
  return updated[0];
}

export async function updateEntity(context: AppContext, actor: Actor, id: string, input: UpdateEntityInput) {
  await context.database.db.transaction(async (tx) => {
    const before = await requireVisibleEntity(tx, actor, id);
    if (before.version !== input.version) throw await staleEntity(context, tx, actor, id);
    const { version, contactPhone, ...fields } = input;
    const values: Partial<EntityRow> = { ...fields, ...phoneColumns(contactPhone, context.secretKeyHex) };
    if (input.creditCode !== undefined && input.creditCode !== before.creditCode) {
      // A new code must pass the check on its own; the old code's override does not carry over.
      requireValidCreditCode(input.creditCode);
      await refuseTakenCreditCode(tx, input.creditCode, id);
      values.creditCodeOverride = null;
    }
    const after = await bumpVersion(context, tx, actor, id, version, values);
    const changes = diffObjects(auditView(before), auditView(after));
    delete changes.version;
    await recordAudit(tx, actor, {
      action: 'entity.update',
      targetType: 'entity',
      targetId: id,
      regionCode: before.etownCode,
      diff: changes,
    });
  });
  return getEntity(context, actor, id);
}

export async function exitEntity(
  context: AppContext,
  actor: Actor,
  id: string,
  input: { version: number; exitedOn: string; reason: string },
) {
  await context.database.db.transaction(async (tx) => {
    const before = await requireVisibleEntity(tx, actor, id);
    if (before.status === 'exited') throw conflict('already_exited', '该市场主体已退出');
    if (before.version !== input.version) throw await staleEntity(context, tx, actor, id);
    if (before.registeredOn && input.exitedOn < before.registeredOn) {
      throw invalidFields([{ path: 'exitedOn', message: '退出日期不能早于注册日期' }]);
    }
    await bumpVersion(context, tx, actor, id, input.version, {
      status: 'exited',
      exitedOn: input.exitedOn,
      exitReason: input.reason,
    });
    await recordAudit(tx, actor, {
      action: 'entity.exit',
      targetType: 'entity',
      targetId: id,
      regionCode: before.etownCode,
      diff: {
        status: { before: before.status, after: 'exited' },
        exitedOn: { before: before.exitedOn, after: input.exitedOn },
        exitReason: { before: before.exitReason, after: input.reason },
      },
    });
  });
  return getEntity(context, actor, id);
}

export async function addEntityTag(context: AppContext, actor: Actor, id: string, input: TagChangeInput) {
  await context.database.db.transaction(async (tx) => {
    const entity = await requireVisibleEntity(tx, actor, id);
    await addTag(tx, actor, entity, input);
  });
  return getEntity(context, actor, id);
}

export async function removeEntityTag(context: AppContext, actor: Actor, id: string, input: TagChangeInput) {
  await context.database.db.transaction(async (tx) => {
    const entity = await requireVisibleEntity(tx, actor, id);
    const removed = await tx
      .delete(entityTagAssignments)
      .where(and(eq(entityTagAssignments.entityId, id), eq(entityTagAssignments.tag, input.tag)))
      .returning();
    const previous = removed[0];
    if (!previous) {
      throw conflict('tag_absent', `该主体没有“${entityTagLabels[input.tag]}”标签`, [{ path: 'tag' }]);
    }
    await tx.insert(entityTagEvents).values({
      entityId: id,
      tag: input.tag,
      action: 'removed',
      reason: input.reason,
      effectiveOn: input.effectiveOn,
      actorId: actor.userId,
    });
    await recordAudit(tx, actor, {
      action: 'entity.tag.remove',
      targetType: 'entity',
      targetId: id,
      regionCode: entity.etownCode,
      diff: {
        tag: { before: input.tag, after: null },
        previous: { reason: previous.reason, taggedOn: previous.taggedOn },
        reason: input.reason,
        effectiveOn: input.effectiveOn,
      },
    });
  });
  return getEntity(context, actor, id);
}

export async function addEntityShop(context: AppContext, actor: Actor, id: string, input: AddShopInput) {
  await context.database.db.transaction(async (tx) => {
    const entity = await requireVisibleEntity(tx, actor, id);
    const [shop] = await tx
      .insert(entityShops)
      .values({ entityId: id, platform: input.platform, shopName: input.shopName, url: input.url })
      .returning();
    await recordAudit(tx, actor, {
      action: 'entity.shop.add',
      targetType: 'entity',
      targetId: id,
      regionCode: entity.etownCode,
      diff: { shop: { before: null, after: shop } },
    });
  });
  return getEntity(context, actor, id);
}

export async function removeEntityShop(context: AppContext, actor: Actor, id: string, shopId: string) {
  await context.database.db.transaction(async (tx) => {
    const entity = await requireVisibleEntity(tx, actor, id);
    const [removed] = await tx
      .delete(entityShops)
      .where(and(eq(entityShops.id, shopId), eq(entityShops.entityId, id)))
      .returning();
    if (!removed) throw notFound('网店');
    await recordAudit(tx, actor, {
      action: 'entity.shop.remove',
      targetType: 'entity',
      targetId: id,
      regionCode: entity.etownCode,
      diff: { shop: { before: removed, after: null } },
    });
  });
  return getEntity(context, actor, id);
}

/** The clear contact phone for a role that may see it; every reveal is audited in the same transaction. */
export async function revealEntityContact(context: AppContext, actor: Actor, id: string) {
  return context.database.db.transaction(async (tx) => {
    const row = await requireVisibleEntity(tx, actor, id);
    if (!row.contactPhoneCipher) throw notFound('联系电话');
    const phone = sm4Decrypt(row.contactPhoneCipher, context.secretKeyHex);
    await recordAudit(tx, actor, {
      action: 'entity.contact.reveal',
      targetType: 'entity',
      targetId: id,
      regionCode: row.etownCode,
      diff: { field: 'contactPhone', masked: row.contactPhoneMasked },
    });
    return { contactName: row.contactName, phone };
  });
}
