import { and, asc, desc, eq, inArray, lt, ne, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Actor } from '../../access/scope.ts';
import type { Executor } from '../../db/client.ts';
import { users } from '../../db/schema/accounts.ts';
import { findingFiles, inspectionFindings, inspections } from '../../db/schema/projects.ts';
import type { AppContext } from '../../http/context.ts';
import { conflict, notFound } from '../../http/errors.ts';
import { readAttachment, storeAttachment } from '../../lib/attachments.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { regionNames } from '../regions/region-names.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';
import { fileView, inScope, requireVersion } from './project-support.ts';
import type {
  CreateInspectionInput,
  FindingInput,
  FindingView,
  ListFindingsQuery,
  RectifyInput,
  ReviewFindingInput,
} from './projects.schemas.ts';

type InspectionRow = typeof inspections.$inferSelect;
type FindingRow = typeof inspectionFindings.$inferSelect;

/** Overdue: the deadline (a Shanghai calendar day) has passed and the inspector has not closed it. */
export const isOverdue = (finding: Pick<FindingRow, 'deadline' | 'status'>, today = shanghaiToday()) =>
  finding.status !== 'closed' && finding.deadline < today;

export async function requireVisibleInspection(executor: Executor, actor: Actor, id: string) {
  const [row] = await executor
    .select()
    .from(inspections)
    .where(and(eq(inspections.id, id), inScope(actor, inspections.etownCode)));
  if (!row) throw notFound('检查记录');
  return row;
}

async function requireVisibleFinding(executor: Executor, actor: Actor, id: string, forUpdate = false) {
  const query = executor
    .select()
    .from(inspectionFindings)
    .where(and(eq(inspectionFindings.id, id), inScope(actor, inspectionFindings.etownCode)));
  const [row] = forUpdate ? await query.for('update') : await query;
  if (!row) throw notFound('问题');
  return row;
}

const rectifier = alias(users, 'rectifier');
const closer = alias(users, 'closer');

async function findingViews(executor: Executor, condition: SQL | undefined): Promise<FindingView[]> {
  const rows = await executor
    .select({
      finding: inspectionFindings,
      inspection: inspections,
      rectifiedByName: rectifier.displayName,
      closedByName: closer.displayName,
    })
    .from(inspectionFindings)
    .innerJoin(inspections, eq(inspections.id, inspectionFindings.inspectionId))
    .leftJoin(rectifier, eq(rectifier.id, inspectionFindings.rectifiedBy))
    .leftJoin(closer, eq(closer.id, inspectionFindings.closedBy))
    .where(condition)
    .orderBy(asc(inspectionFindings.deadline), asc(inspectionFindings.createdAt));
  const ids = rows.map((row) => row.finding.id);
  const [names, files] = await Promise.all([
    regionNames(
      executor,
      rows.map((row) => row.finding.etownCode),
    ),
    ids.length
      ? executor
          .select()
          .from(findingFiles)
          .where(inArray(findingFiles.findingId, ids))
          .orderBy(asc(findingFiles.createdAt))
      : Promise.resolve([]),
  ]);
  const today = shanghaiToday();
  return rows.map(({ finding, inspection, rectifiedByName, closedByName }) => ({
    id: finding.id,
    inspectionId: inspection.id,
    inspectionKind: inspection.kind,
    inspectedOn: inspection.inspectedOn,
    etownCode: finding.etownCode,
    etownName: names.get(finding.etownCode) ?? finding.etownCode,
    description: finding.description,
    owner: finding.owner,
    deadline: finding.deadline,
    status: finding.status,
    overdue: isOverdue(finding, today),
    rectificationNote: finding.rectificationNote,
    rectifiedAt: finding.rectifiedAt?.toISOString() ?? null,
    rectifiedByName,
    closeNote: finding.closeNote,
    closedAt: finding.closedAt?.toISOString() ?? null,
    closedByName,
    files: files.filter((file) => file.findingId === finding.id).map(fileView),
    version: finding.version,
  }));
}

async function inspectionViews(executor: Executor, rows: InspectionRow[]) {
  const ids = rows.map((row) => row.id);
  const today = shanghaiToday();
  const [names, counts] = await Promise.all([
    regionNames(
      executor,
      rows.map((row) => row.etownCode),
    ),
    ids.length
      ? executor
          .select({
            inspectionId: inspectionFindings.inspectionId,
            open: sql<number>`count(*) filter (where ${inspectionFindings.status} = 'open')::int`,
            rectified: sql<number>`count(*) filter (where ${inspectionFindings.status} = 'rectified')::int`,
            closed: sql<number>`count(*) filter (where ${inspectionFindings.status} = 'closed')::int`,
            overdue: sql<number>`count(*) filter (where ${inspectionFindings.status} <> 'closed' and ${inspectionFindings.deadline} < ${today})::int`,
          })
          .from(inspectionFindings)
          .where(inArray(inspectionFindings.inspectionId, ids))
          .groupBy(inspectionFindings.inspectionId)
      : Promise.resolve([]),
  ]);
  return rows.map((row) => {
    const count = counts.find((entry) => entry.inspectionId === row.id);
    return {
      id: row.id,
      etownCode: row.etownCode,
      etownName: names.get(row.etownCode) ?? row.etownCode,
      kind: row.kind,
      inspectedOn: row.inspectedOn,
      inspectors: row.inspectors,
      summary: row.summary,
      findingCounts: {
        open: count?.open ?? 0,
        rectified: count?.rectified ?? 0,
        closed: count?.closed ?? 0,
        overdue: count?.overdue ?? 0,
      },
    };
  });
}

export async function listInspections(
  context: AppContext,
  actor: Actor,
  query: { regionCode?: string | undefined; kind?: InspectionRow['kind'] | undefined },
) {
  const { db } = context.database;
  const rows = await db
    .select()
    .from(inspections)
    .where(
      and(
        inScope(actor, inspections.etownCode, query.regionCode),
        query.kind ? eq(inspections.kind, query.kind) : undefined,
      ),
    )
    .orderBy(desc(inspections.inspectedOn), desc(inspections.createdAt));
  return inspectionViews(db, rows);
}

export async function getInspection(
  context: AppContext,
  actor: Actor,
  id: string,
  executor: Executor = context.database.db,
) {
  const row = await requireVisibleInspection(executor, actor, id);
  const [view] = await inspectionViews(executor, [row]);
  return {
    ...(view as NonNullable<typeof view>),
    findings: await findingViews(executor, eq(inspectionFindings.inspectionId, id)),
  };
}

export async function createInspection(context: AppContext, actor: Actor, input: CreateInspectionInput) {
  return context.database.db.transaction(async (tx) => {
    await requireVisibleRegion(tx, actor, input.etownCode, 'etown');
    const { findings, ...fields } = input;
    const [row] = await tx
      .insert(inspections)
      .values({ ...fields, createdBy: actor.userId })
      .returning();
    const inspection = row as InspectionRow;
    if (findings.length > 0) {
      await tx.insert(inspectionFindings).values(
        findings.map((finding) => ({
          ...finding,
          inspectionId: inspection.id,
          etownCode: input.etownCode,
        })),
      );
    }
    await recordAudit(tx, actor, {
      action: 'inspection.create',
      targetType: 'inspection',
      targetId: inspection.id,
      regionCode: input.etownCode,
      diff: {
        etownCode: input.etownCode,
        kind: input.kind,
        inspectedOn: input.inspectedOn,
        findings: findings.length,
      },
    });
    return getInspection(context, actor, inspection.id, tx);
  });
}

export async function addFinding(
  context: AppContext,
  actor: Actor,
  inspectionId: string,
  input: FindingInput,
) {
  return context.database.db.transaction(async (tx) => {
    const inspection = await requireVisibleInspection(tx, actor, inspectionId);
    const [row] = await tx
      .insert(inspectionFindings)
      .values({ ...input, inspectionId, etownCode: inspection.etownCode })
      .returning({ id: inspectionFindings.id });
    await recordAudit(tx, actor, {
      action: 'inspection.finding.add',
      targetType: 'finding',
      targetId: row?.id,
      regionCode: inspection.etownCode,
      diff: { inspectionId, ...input },
    });
    return getInspection(context, actor, inspectionId, tx);
  });
}

/** The problem list (问题清单) across the actor's scope. */
export async function listFindings(context: AppContext, actor: Actor, query: ListFindingsQuery) {
  const today = shanghaiToday();
  return findingViews(
    context.database.db,
    and(
      inScope(actor, inspectionFindings.etownCode, query.regionCode),
      query.status ? eq(inspectionFindings.status, query.status) : undefined,
      query.inspectionId ? eq(inspectionFindings.inspectionId, query.inspectionId) : undefined,
      query.overdue === true
        ? and(ne(inspectionFindings.status, 'closed'), lt(inspectionFindings.deadline, today))
        : query.overdue === false
          ? sql`not (${inspectionFindings.status} <> 'closed' and ${inspectionFindings.deadline} < ${today})`
          : undefined,
    ),
  );
}

export async function getFinding(
  context: AppContext,
  actor: Actor,
  id: string,
  executor: Executor = context.database.db,
) {
  await requireVisibleFinding(executor, actor, id);
  const [view] = await findingViews(executor, eq(inspectionFindings.id, id));
  if (!view) throw notFound('问题');
  return view;
}

/** The e-town or county reports what it did; evidence files may be attached before or after. */
export async function rectifyFinding(context: AppContext, actor: Actor, id: string, input: RectifyInput) {
  return context.database.db.transaction(async (tx) => {
    const row = await requireVisibleFinding(tx, actor, id, true);
    await requireVersion(row.version, input.version, () => getFinding(context, actor, id, tx));
    if (row.status === 'closed') throw conflict('finding_closed', '问题已销号，不能再提交整改');
    await tx
      .update(inspectionFindings)
      .set({
        status: 'rectified',
        rectificationNote: input.note,
        rectifiedAt: new Date(),
        rectifiedBy: actor.userId,
        version: row.version + 1,
      })
      .where(eq(inspectionFindings.id, id));
    await recordAudit(tx, actor, {
      action: 'inspection.finding.rectify',
      targetType: 'finding',
      targetId: id,
      regionCode: row.etownCode,
      diff: { from: row.status, note: input.note },
    });
    return getFinding(context, actor, id, tx);
  });
}

/** The inspector accepts the rectification and closes the finding (销号). */
export async function closeFinding(context: AppContext, actor: Actor, id: string, input: ReviewFindingInput) {
  return context.database.db.transaction(async (tx) => {
    const row = await requireVisibleFinding(tx, actor, id, true);
    await requireVersion(row.version, input.version, () => getFinding(context, actor, id, tx));
    if (row.status !== 'rectified') {
      throw conflict(
        'finding_not_rectified',
        row.status === 'closed' ? '问题已销号' : '问题尚未提交整改，不能销号',
      );
    }
    await tx
      .update(inspectionFindings)
      .set({
        status: 'closed',
        closeNote: input.note,
        closedAt: new Date(),
        closedBy: actor.userId,
        version: row.version + 1,
      })
      .where(eq(inspectionFindings.id, id));
    await recordAudit(tx, actor, {
      action: 'inspection.finding.close',
      targetType: 'finding',
      targetId: id,
      regionCode: row.etownCode,
      diff: { note: input.note },
    });
    return getFinding(context, actor, id, tx);
  });
}

/** The inspector rejects a rectification or reopens a closed finding; it is open again. */
export async function reopenFinding(
  context: AppContext,
  actor: Actor,
  id: string,
  input: ReviewFindingInput,
) {
  return context.database.db.transaction(async (tx) => {
    const row = await requireVisibleFinding(tx, actor, id, true);
    await requireVersion(row.version, input.version, () => getFinding(context, actor, id, tx));
    if (row.status === 'open') throw conflict('finding_open', '问题仍待整改，无需重新打开');
    await tx
      .update(inspectionFindings)
      .set({
        status: 'open',
        closeNote: input.note,
        closedAt: null,
        closedBy: null,
        version: row.version + 1,
      })
      .where(eq(inspectionFindings.id, id));
    await recordAudit(tx, actor, {
      action: 'inspection.finding.reopen',
      targetType: 'finding',
      targetId: id,
      regionCode: row.etownCode,
      diff: { from: row.status, note: input.note },
    });
    return getFinding(context, actor, id, tx);
  });
}

export async function addFindingFile(
  context: AppContext,
  actor: Actor,
  id: string,
  fileName: string,
  bytes: Buffer,
) {
  const stored = await storeAttachment(context, 'projects', { accepts: 'document', what: '整改材料' }, bytes);
  return context.database.db.transaction(async (tx) => {
    const row = await requireVisibleFinding(tx, actor, id, true);
    if (row.status === 'closed') throw conflict('finding_closed', '问题已销号，不能再上传整改材料');
    const [file] = await tx
      .insert(findingFiles)
      .values({
        findingId: id,
        fileSha256: stored.sha256,
        fileName,
        mediaType: stored.mediaType,
        sizeBytes: stored.sizeBytes,
        uploadedBy: actor.userId,
      })
      .returning({ id: findingFiles.id });
    await recordAudit(tx, actor, {
      action: 'inspection.finding.file.add',
      targetType: 'finding',
      targetId: id,
      regionCode: row.etownCode,
      diff: { fileId: file?.id, fileName, sha256: stored.sha256 },
    });
    return getFinding(context, actor, id, tx);
  });
}

/** Evidence uploaded by mistake can be removed while the finding is still being rectified, not after 销号. */
export async function removeFindingFile(context: AppContext, actor: Actor, id: string, fileId: string) {
  return context.database.db.transaction(async (tx) => {
    const row = await requireVisibleFinding(tx, actor, id, true);
    if (row.status === 'closed') throw conflict('finding_closed', '问题已销号，不能再删除整改材料');
    const [removed] = await tx
      .delete(findingFiles)
      .where(and(eq(findingFiles.id, fileId), eq(findingFiles.findingId, id)))
      .returning();
    if (!removed) throw notFound('整改材料');
    await recordAudit(tx, actor, {
      action: 'inspection.finding.file.remove',
      targetType: 'finding',
      targetId: id,
      regionCode: row.etownCode,
      diff: { fileId, fileName: removed.fileName, sha256: removed.fileSha256 },
    });
    return getFinding(context, actor, id, tx);
  });
}

export async function readFindingFile(context: AppContext, actor: Actor, id: string, fileId: string) {
  const { db } = context.database;
  await requireVisibleFinding(db, actor, id);
  const [file] = await db
    .select()
    .from(findingFiles)
    .where(and(eq(findingFiles.id, fileId), eq(findingFiles.findingId, id)));
  if (!file) throw notFound('整改材料');
  return readAttachment(context, 'projects', file);
}
