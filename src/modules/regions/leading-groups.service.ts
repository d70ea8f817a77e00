import { and, asc, count, eq, inArray, isNull, like } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import type { Executor } from '../../db/client.ts';
import { leadingGroupMembers, leadingGroups, leadingGroupUnits, regions } from '../../db/schema/regions.ts';
import { updateVersioned } from '../../db/versioned-update.ts';
import type { AppContext } from '../../http/context.ts';
import { conflict, invalidFields, notFound } from '../../http/errors.ts';
import { diffObjects, recordAudit } from '../audit/audit.service.ts';
import type {
  AddMemberInput,
  CreateGroupInput,
  GroupDetail,
  ReplaceMemberInput,
  UnitInput,
  UpdateGroupInput,
  UpdateUnitInput,
} from './leading-groups.schemas.ts';
import { requireVisibleRegion } from './regions.service.ts';

type GroupRow = typeof leadingGroups.$inferSelect;

async function requireVisibleGroup(executor: Executor, actor: Actor, id: string): Promise<GroupRow> {
  const [group] = await executor
    .select()
    .from(leadingGroups)
    .where(and(eq(leadingGroups.id, id), regionScopeCondition(actor.scope, leadingGroups.regionCode)));
  if (!group) throw notFound('领导小组');
  return group;
}

export async function listGroups(context: AppContext, actor: Actor, regionCode?: string) {
  const { db } = context.database;
  if (regionCode) await requireVisibleRegion(db, actor, regionCode);
  const groups = await db
    .select({ group: leadingGroups, regionName: regions.name })
    .from(leadingGroups)
    .innerJoin(regions, eq(regions.code, leadingGroups.regionCode))
    .where(
      and(
        regionScopeCondition(actor.scope, leadingGroups.regionCode),
        regionCode ? like(leadingGroups.regionCode, `${regionCode}%`) : undefined,
      ),
    )
    .orderBy(asc(leadingGroups.regionCode), asc(leadingGroups.createdAt));
  if (groups.length === 0) return [];
  const ids = groups.map((row) => row.group.id);
  const [memberCounts, unitCounts] = await Promise.all([
    db
      .select({ groupId: leadingGroupMembers.groupId, count: count() })
      .from(leadingGroupMembers)
      .where(and(inArray(leadingGroupMembers.groupId, ids), isNull(leadingGroupMembers.until)))
      .groupBy(leadingGroupMembers.groupId),
    db
      .select({ groupId: leadingGroupUnits.groupId, count: count() })
      .from(leadingGroupUnits)
      .where(inArray(leadingGroupUnits.groupId, ids))
      .groupBy(leadingGroupUnits.groupId),
  ]);
  return groups.map(({ group, regionName }) => ({
    id: group.id,
    regionCode: group.regionCode,
    regionName,
    name: group.name,
    docNo: group.docNo,
    establishedOn: group.establishedOn,
    activeMemberCount: memberCounts.find((row) => row.groupId === group.id)?.count ?? 0,
    unitCount: unitCounts.find((row) => row.groupId === group.id)?.count ?? 0,
    version: group.version,
  }));
}

export async function getGroup(
  context: AppContext,
  actor: Actor,
  id: string,
  executor?: Executor,
): Promise<GroupDetail> {
  const db = executor ?? context.database.db;
  const group = await requireVisibleGroup(db, actor, id);
  return presentGroup(db, group);
}

async function presentGroup(executor: Executor, group: GroupRow): Promise<GroupDetail> {
  // One query after another: the executor may be a transaction, whose connection runs one query at a time.
  const [region] = await executor
    .select({ name: regions.name })
    .from(regions)
    .where(eq(regions.code, group.regionCode));
  const units = await executor
    .select()
    .from(leadingGroupUnits)
    .where(eq(leadingGroupUnits.groupId, group.id))
    .orderBy(asc(leadingGroupUnits.sortOrder), asc(leadingGroupUnits.name));
  const members = await executor
    .select()
    .from(leadingGroupMembers)
    .where(eq(leadingGroupMembers.groupId, group.id))
    .orderBy(asc(leadingGroupMembers.sortOrder), asc(leadingGroupMembers.createdAt));
  const unitNames = new Map(units.map((unit) => [unit.id, unit.name]));
  const replacedBy = new Map(members.filter((m) => m.replacesId).map((m) => [m.replacesId as string, m.id]));
  return {
    id: group.id,
    regionCode: group.regionCode,
    regionName: region?.name ?? group.regionCode,
    name: group.name,
    docNo: group.docNo,
    establishedOn: group.establishedOn,
    responsibilities: group.responsibilities,
    officeLocation: group.officeLocation,
    memberChangeRule: group.memberChangeRule,
    version: group.version,
    units: units.map((unit) => ({
      id: unit.id,
      name: unit.name,
      duties: unit.duties,
      sortOrder: unit.sortOrder,
      version: unit.version,
    })),
    members: members.map((member) => ({
      id: member.id,
      unitId: member.unitId,
      unitName: member.unitId ? (unitNames.get(member.unitId) ?? null) : null,
      position: member.position,
      personName: member.personName,
      title: member.title,
      since: member.since,
      until: member.until,
      replacesId: member.replacesId,
      replacedById: replacedBy.get(member.id) ?? null,
      note: member.note,
      sortOrder: member.sortOrder,
    })),
  };
}

/** Creates a group for a county or an e-town (not a city or the province). */
export async function createGroup(
  context: AppContext,
  actor: Actor,
  input: CreateGroupInput,
  executor: Executor = context.database.db,
) {
  return executor.transaction(async (tx) => {
    const region = await requireVisibleRegion(tx, actor, input.regionCode);
    if (region.level !== 'county' && region.level !== 'etown') {
      throw invalidFields([{ path: 'regionCode', message: '领导小组只能建在县或e镇' }]);
    }
    const [group] = await tx.insert(leadingGroups).values(input).returning();
    if (!group) throw new Error('insert returned no row');
    await recordAudit(tx, actor, {
      action: 'leading_group.create',
      targetType: 'leading_group',
      targetId: group.id,
      regionCode: group.regionCode,
      diff: input,
    });
    return presentGroup(tx, group);
  });
}

export async function updateGroup(context: AppContext, actor: Actor, id: string, input: UpdateGroupInput) {
  return context.database.db.transaction(async (tx) => {
    const before = await requireVisibleGroup(tx, actor, id);
    const { version, ...fields } = input;
    const group = await updateVersioned(
      tx,
      leadingGroups,
      eq(leadingGroups.id, id),
      version,
      { ...fields, updatedAt: new Date() },
      (current) => presentGroup(tx, current),
      '领导小组',
    );
    await recordAudit(tx, actor, {
      action: 'leading_group.update',
      targetType: 'leading_group',
      targetId: id,
      regionCode: before.regionCode,
      diff: diffObjects(before, fields),
    });
    return presentGroup(tx, group);
  });
}

export async function addUnit(context: AppContext, actor: Actor, groupId: string, input: UnitInput) {
  return context.database.db.transaction(async (tx) => {
    const group = await requireVisibleGroup(tx, actor, groupId);
    const [unit] = await tx
      .insert(leadingGroupUnits)
      .values({ groupId, name: input.name, duties: input.duties ?? null, sortOrder: input.sortOrder ?? 1000 })
      .returning({ id: leadingGroupUnits.id });
    await recordAudit(tx, actor, {
      action: 'leading_group.add_unit',
      targetType: 'leading_group',
      targetId: groupId,
      regionCode: group.regionCode,
      diff: { unitId: unit?.id, ...input },
    });
    return getGroup(context, actor, groupId, tx);
  });
}

export async function updateUnit(
  context: AppContext,
  actor: Actor,
  groupId: string,
  unitId: string,
  input: UpdateUnitInput,
) {
  return context.database.db.transaction(async (tx) => {
    const group = await requireVisibleGroup(tx, actor, groupId);
    const [before] = await tx
      .select()
      .from(leadingGroupUnits)
      .where(and(eq(leadingGroupUnits.id, unitId), eq(leadingGroupUnits.groupId, groupId)));
    if (!before) throw notFound('成员单位');
    const { version, ...fields } = input;
    await updateVersioned(
      tx,
      leadingGroupUnits,
      and(eq(leadingGroupUnits.id, unitId), eq(leadingGroupUnits.groupId, groupId)),
      version,
      fields,
      () => presentGroup(tx, group),
      '成员单位',
    );
    await recordAudit(tx, actor, {
      action: 'leading_group.update_unit',
      targetType: 'leading_group',
      targetId: groupId,
      regionCode: group.regionCode,
      diff: { unitId, ...diffObjects(before, fields) },
    });
    return getGroup(context, actor, groupId, tx);
  });
}

async function requireUnitOfGroup(executor: Executor, groupId: string, unitId: string | null | undefined) {
  if (!unitId) return;
  const [unit] = await executor
    .select({ id: leadingGroupUnits.id })
    .from(leadingGroupUnits)
    .where(and(eq(leadingGroupUnits.id, unitId), eq(leadingGroupUnits.groupId, groupId)));
  if (!unit) throw invalidFields([{ path: 'unitId', message: '成员单位不属于该领导小组' }]);
}

export async function addMember(context: AppContext, actor: Actor, groupId: string, input: AddMemberInput) {
  return context.database.db.transaction(async (tx) => {
    const group = await requireVisibleGroup(tx, actor, groupId);
    await requireUnitOfGroup(tx, groupId, input.unitId);
    const [member] = await tx
      .insert(leadingGroupMembers)
      .values({
        groupId,
        unitId: input.unitId ?? null,
        position: input.position,
        personName: input.personName,
        title: input.title ?? null,
        since: input.since ?? null,
        note: input.note ?? null,
        sortOrder: input.sortOrder ?? 1000,
      })
      .returning();
    await recordAudit(tx, actor, {
      action: 'leading_group.add_member',
      targetType: 'leading_group',
      targetId: groupId,
      regionCode: group.regionCode,
      diff: { memberId: member?.id, ...input },
    });
    return getGroup(context, actor, groupId, tx);
  });
}

async function requireActiveMember(executor: Executor, groupId: string, memberId: string) {
  const [member] = await executor
    .select()
    .from(leadingGroupMembers)
    .where(and(eq(leadingGroupMembers.id, memberId), eq(leadingGroupMembers.groupId, groupId)));
  if (!member) throw notFound('领导小组成员');
  if (member.until) throw conflict('member_already_ended', `${member.personName} 已于 ${member.until} 离任`);
  return member;
}

/**
 * 成员因工作变动调整的，由接任领导自行替补、报领导小组备案，不再另行发文: the seat passes to the successor
 * on the effective date, and the predecessor stays in the history.
 */
export async function replaceMember(
  context: AppContext,
  actor: Actor,
  groupId: string,
  memberId: string,
  input: ReplaceMemberInput,
) {
  return context.database.db.transaction(async (tx) => {
    const group = await requireVisibleGroup(tx, actor, groupId);
    const member = await requireActiveMember(tx, groupId, memberId);
    if (member.since && input.effectiveOn < member.since) {
      throw invalidFields([
        { path: 'effectiveOn', message: `接任日期不能早于原成员任职日期 ${member.since}` },
      ]);
    }
    await tx
      .update(leadingGroupMembers)
      .set({ until: input.effectiveOn })
      .where(eq(leadingGroupMembers.id, memberId));
    const [successor] = await tx
      .insert(leadingGroupMembers)
      .values({
        groupId,
        unitId: member.unitId,
        position: member.position,
        personName: input.personName,
        title: input.title ?? member.title,
        since: input.effectiveOn,
        replacesId: member.id,
        note: input.note ?? null,
        sortOrder: member.sortOrder,
      })
      .returning();
    await recordAudit(tx, actor, {
      action: 'leading_group.replace_member',
      targetType: 'leading_group',
      targetId: groupId,
      regionCode: group.regionCode,
      diff: {
        memberId,
        successorId: successor?.id,
        personName: { before: member.personName, after: input.personName },
        title: { before: member.title, after: input.title ?? member.title },
        effectiveOn: input.effectiveOn,
      },
    });
    return getGroup(context, actor, groupId, tx);
  });
}

export async function endMember(
  context: AppContext,
  actor: Actor,
  groupId: string,
  memberId: string,
  input: { effectiveOn: string; note?: string | null | undefined },
) {
  return context.database.db.transaction(async (tx) => {
    const group = await requireVisibleGroup(tx, actor, groupId);
    const member = await requireActiveMember(tx, groupId, memberId);
    if (member.since && input.effectiveOn < member.since) {
      throw invalidFields([{ path: 'effectiveOn', message: `离任日期不能早于任职日期 ${member.since}` }]);
    }
    await tx
      .update(leadingGroupMembers)
      .set({ until: input.effectiveOn, note: input.note ?? member.note })
      .where(eq(leadingGroupMembers.id, memberId));
    await recordAudit(tx, actor, {
      action: 'leading_group.end_member',
      targetType: 'leading_group',
      targetId: groupId,
      regionCode: group.regionCode,
      diff: { memberId, personName: member.personName, until: input.effectiveOn },
    });
    return getGroup(context, actor, groupId, tx);
  });
}

/** Dissolves a group; the audit record keeps its full last state (units, members and their history). */
export async function deleteGroup(context: AppContext, actor: Actor, id: string) {
  await context.database.db.transaction(async (tx) => {
    const group = await requireVisibleGroup(tx, actor, id);
    const snapshot = await presentGroup(tx, group);
    await tx.delete(leadingGroups).where(eq(leadingGroups.id, id));
    await recordAudit(tx, actor, {
      action: 'leading_group.delete',
      targetType: 'leading_group',
      targetId: id,
      regionCode: group.regionCode,
      diff: { before: snapshot },
    });
  });
}
