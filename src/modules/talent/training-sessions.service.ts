import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import type { Executor } from '../../db/client.ts';
import { entities, entityTagAssignments } from '../../db/schema/entities.ts';
import { trainees, trainingAttendance, trainingSessions } from '../../db/schema/talent.ts';
import type { AppContext } from '../../http/context.ts';
import { conflict, invalidFields, notFound } from '../../http/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { requireVisibleEntity } from '../entities/entities.service.ts';
import { regionNames } from '../regions/region-names.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';
import type {
  CreateSessionInput,
  ListSessionsQuery,
  SessionDetail,
  SessionSummary,
} from './training-sessions.schemas.ts';

type SessionRow = typeof trainingSessions.$inferSelect;

const attendanceCount = sql<number>`(select count(*)::int from ${trainingAttendance} where ${trainingAttendance.sessionId} = ${trainingSessions.id})`;

/** The session when the actor's scope covers its e-town; otherwise 404. */
export async function requireVisibleSession(
  executor: Executor,
  actor: Actor,
  id: string,
): Promise<SessionRow> {
  const [row] = await executor
    .select()
    .from(trainingSessions)
    .where(and(eq(trainingSessions.id, id), regionScopeCondition(actor.scope, trainingSessions.etownCode)));
  if (!row) throw notFound('培训场次');
  return row;
}

async function summaries(
  executor: Executor,
  rows: { session: SessionRow; institutionName: string; attendance: number }[],
) {
  const names = await regionNames(
    executor,
    rows.map((row) => row.session.etownCode),
  );
  return rows.map(
    ({ session, institutionName, attendance }): SessionSummary => ({
      id: session.id,
      etownCode: session.etownCode,
      etownName: names.get(session.etownCode) ?? session.etownCode,
      institutionEntityId: session.institutionEntityId,
      institutionName,
      heldOn: session.heldOn,
      place: session.place,
      teacher: session.teacher,
      topic: session.topic,
      crossBorder: session.crossBorder,
      capacity: session.capacity,
      attendance,
      version: session.version,
    }),
  );
}

const sessionSelection = {
  session: trainingSessions,
  institutionName: entities.name,
  attendance: attendanceCount,
};

export async function listTrainingSessions(context: AppContext, actor: Actor, query: ListSessionsQuery) {
  const db = context.database.db;
  const where = and(
    regionScopeCondition(actor.scope, trainingSessions.etownCode),
    query.regionCode ? sql`${trainingSessions.etownCode} like ${`${query.regionCode}%`}` : undefined,
    query.year ? sql`extract(year from ${trainingSessions.heldOn}) = ${query.year}` : undefined,
  );
  const [rows, [counted]] = await Promise.all([
    db
      .select(sessionSelection)
      .from(trainingSessions)
      .innerJoin(entities, eq(entities.id, trainingSessions.institutionEntityId))
      .where(where)
      .orderBy(desc(trainingSessions.heldOn), asc(trainingSessions.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ total: sql<number>`count(*)::int` }).from(trainingSessions).where(where),
  ]);
  return {
    items: await summaries(db, rows),
    total: counted?.total ?? 0,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export async function getTrainingSession(
  context: AppContext,
  actor: Actor,
  id: string,
  executor?: Executor,
): Promise<SessionDetail> {
  const db = executor ?? context.database.db;
  const [row] = await db
    .select(sessionSelection)
    .from(trainingSessions)
    .innerJoin(entities, eq(entities.id, trainingSessions.institutionEntityId))
    .where(and(eq(trainingSessions.id, id), regionScopeCondition(actor.scope, trainingSessions.etownCode)));
  if (!row) throw notFound('培训场次');
  const attendees = await db
    .select({
      traineeId: trainingAttendance.traineeId,
      name: trainees.name,
      idNumberMasked: trainees.idNumberMasked,
      villageName: trainees.villageName,
      source: trainingAttendance.source,
      signedInAt: trainingAttendance.signedInAt,
    })
    .from(trainingAttendance)
    .innerJoin(trainees, eq(trainees.id, trainingAttendance.traineeId))
    .where(eq(trainingAttendance.sessionId, id))
    .orderBy(asc(trainingAttendance.signedInAt), asc(trainees.name));
  const [summary] = await summaries(db, [row]);
  return {
    ...(summary as SessionSummary),
    attendees: attendees.map((attendee) => ({ ...attendee, signedInAt: attendee.signedInAt.toISOString() })),
  };
}

/** The institution must be an entity of the registry the actor sees, tagged 培训机构. */
async function requireTrainingInstitution(tx: Executor, actor: Actor, entityId: string) {
  const entity = await requireVisibleEntity(tx, actor, entityId);
  const [tagged] = await tx
    .select({ tag: entityTagAssignments.tag })
    .from(entityTagAssignments)
    .where(and(eq(entityTagAssignments.entityId, entityId), eq(entityTagAssignments.tag, 'training')));
  if (!tagged)
    throw invalidFields([
      {
        path: 'institutionEntityId',
        message: `“${entity.name}”未标记为培训机构，请先在市场主体中添加“培训机构”标签`,
      },
    ]);
}

export async function createTrainingSession(context: AppContext, actor: Actor, input: CreateSessionInput) {
  const id = await context.database.db.transaction(async (tx) => {
    await requireVisibleRegion(tx, actor, input.etownCode, 'etown');
    await requireTrainingInstitution(tx, actor, input.institutionEntityId);
    const [row] = await tx.insert(trainingSessions).values(input).returning();
    if (!row) throw new Error('insert returned no row');
    await recordAudit(tx, actor, {
      action: 'training.session.create',
      targetType: 'training_session',
      targetId: row.id,
      regionCode: row.etownCode,
      diff: { after: { ...input } },
    });
    return row.id;
  });
  return getTrainingSession(context, actor, id);
}

/**
 * Signs trainees in to a session (by hand, from an imported list, or the QR page): one row per trainee,
 * those already signed in counted apart; refused as a whole when it would pass the session's capacity.
 */
export async function addAttendance(
  tx: Executor,
  actor: Actor,
  session: SessionRow,
  traineeIds: readonly string[],
  source: 'manual' | 'import' | 'qr',
) {
  const unique = [...new Set(traineeIds)];
  const visible = await tx
    .select({ id: trainees.id })
    .from(trainees)
    .where(and(inArray(trainees.id, unique), regionScopeCondition(actor.scope, trainees.etownCode)));
  if (visible.length !== unique.length) throw notFound('学员档案');
  const inserted = await tx
    .insert(trainingAttendance)
    .values(
      unique.map((traineeId) => ({ sessionId: session.id, traineeId, etownCode: session.etownCode, source })),
    )
    .onConflictDoNothing()
    .returning({ traineeId: trainingAttendance.traineeId });
  const [counted] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(trainingAttendance)
    .where(eq(trainingAttendance.sessionId, session.id));
  if ((counted?.count ?? 0) > session.capacity)
    throw conflict('session_full', `签到人数将超过本场容纳人数 ${session.capacity} 人，未签到任何人`);
  await recordAudit(tx, actor, {
    action: 'training.attendance.add',
    targetType: 'training_session',
    targetId: session.id,
    regionCode: session.etownCode,
    diff: {
      source,
      added: inserted.map((row) => row.traineeId),
      alreadyPresent: unique.length - inserted.length,
    },
  });
  return { added: inserted.length, alreadyPresent: unique.length - inserted.length };
}

export async function signInByHand(context: AppContext, actor: Actor, id: string, traineeIds: string[]) {
  const change = await context.database.db.transaction(async (tx) =>
    addAttendance(tx, actor, await requireVisibleSession(tx, actor, id), traineeIds, 'manual'),
  );
  return { ...change, session: await getTrainingSession(context, actor, id) };
}

export async function removeAttendance(context: AppContext, actor: Actor, id: string, traineeId: string) {
  await context.database.db.transaction(async (tx) => {
    const session = await requireVisibleSession(tx, actor, id);
    const removed = await tx
      .delete(trainingAttendance)
      .where(and(eq(trainingAttendance.sessionId, id), eq(trainingAttendance.traineeId, traineeId)))
      .returning();
    if (removed.length === 0) throw notFound('签到记录');
    await recordAudit(tx, actor, {
      action: 'training.attendance.remove',
      targetType: 'training_session',
      targetId: id,
      regionCode: session.etownCode,
      diff: { traineeId },
    });
  });
  return getTrainingSession(context, actor, id);
}
