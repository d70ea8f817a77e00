import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { type Actor, canSeeRegion } from '../../access/scope.ts';
import type { Executor } from '../../db/client.ts';
import { qualified } from '../../db/qualified.ts';
import { users } from '../../db/schema/accounts.ts';
import { entities } from '../../db/schema/entities.ts';
import {
  facilities,
  investments,
  projectMilestones,
  projectPhotos,
  projectProgressReports,
  projects,
} from '../../db/schema/projects.ts';
import { regions } from '../../db/schema/regions.ts';
import { updateVersioned } from '../../db/versioned-update.ts';
import type { AppContext } from '../../http/context.ts';
import { conflict, invalidFields, notFound } from '../../http/errors.ts';
import { formatFen } from '../../indicators/exact.ts';
import { readAttachment, storeAttachment } from '../../lib/attachments.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';
import { fileView, inScope, requireVersion } from './project-support.ts';
import type {
  CreateProjectInput,
  InvestmentInput,
  ListProjectsQuery,
  MilestoneInput,
  ProgressReportInput,
  ProjectDetail,
  ProjectStatusInput,
  ProjectSummary,
  UpdateMilestoneInput,
  UpdateProjectInput,
} from './projects.schemas.ts';
import { projectStatusLabels } from './projects.schemas.ts';

type ProjectRow = typeof projects.$inferSelect;
type ProjectStatus = ProjectRow['status'];

/** Which status may follow which: a completed project only goes back to construction (a correction). */
const nextStatuses: Record<ProjectStatus, readonly ProjectStatus[]> = {
  planned: ['in_progress', 'suspended'],
  in_progress: ['completed', 'suspended'],
  suspended: ['planned', 'in_progress'],
  completed: ['in_progress'],
};

/** The project when the actor may see it; otherwise 404, exactly as if it did not exist. */
export async function requireVisibleProject(executor: Executor, actor: Actor, id: string, forUpdate = false) {
  const query = executor
    .select()
    .from(projects)
    .where(and(eq(projects.id, id), inScope(actor, projects.etownCode)));
  const [row] = forUpdate ? await query.for('update') : await query;
  if (!row) throw notFound('项目');
  return row;
}

async function requireOwnerInEtown(executor: Executor, ownerEntityId: string | null, etownCode: string) {
  if (!ownerEntityId) return;
  const [owner] = await executor
    .select({ etownCode: entities.etownCode })
    .from(entities)
    .where(eq(entities.id, ownerEntityId));
  if (owner?.etownCode !== etownCode) {
    throw invalidFields([{ path: 'ownerEntityId', message: '项目业主须为本e镇登记的市场主体' }]);
  }
}

/**
 * A project's row with what its summary shows beside it — the e-town's and the owner's names, the investment total and
 * the latest progress report — read in the same statement (a page of projects is one query, not five).
 */
const summaryColumns = {
  project: projects,
  etownName: sql<
    string | null
  >`(select ${regions.name} from ${regions} where ${regions.code} = ${qualified(projects.etownCode)})`,
  ownerEntityName: sql<
    string | null
  >`(select ${entities.name} from ${entities} where ${entities.id} = ${qualified(projects.ownerEntityId)})`,
  totalInvestmentFen: sql<string>`(select coalesce(sum(${investments.amountFen}), 0)::text from ${investments}
    where ${investments.projectId} = ${qualified(projects.id)})`,
  progressPct: sql<number | null>`(select ${projectProgressReports.progressPct} from ${projectProgressReports}
    where ${projectProgressReports.projectId} = ${qualified(projects.id)}
    order by ${projectProgressReports.reportedOn} desc, ${projectProgressReports.createdAt} desc limit 1)`,
};

type SummaryRow = {
  project: ProjectRow;
  etownName: string | null;
  ownerEntityName: string | null;
  totalInvestmentFen: string;
  progressPct: number | null;
};

function presentSummary({ project: row, ...extras }: SummaryRow): ProjectSummary {
  return {
    id: row.id,
    etownCode: row.etownCode,
    etownName: extras.etownName ?? row.etownCode,
    name: row.name,
    ownerEntityId: row.ownerEntityId,
    ownerEntityName: row.ownerEntityId ? extras.ownerEntityName : null,
    status: row.status,
    plannedStart: row.plannedStart,
    plannedEnd: row.plannedEnd,
    actualStart: row.actualStart,
    actualEnd: row.actualEnd,
    progressPct: extras.progressPct,
    totalInvestmentYuan: formatFen(BigInt(extras.totalInvestmentFen)),
    version: row.version,
  };
}

async function summaryOf(executor: Executor, id: string): Promise<ProjectSummary | undefined> {
  const [row] = await executor.select(summaryColumns).from(projects).where(eq(projects.id, id));
  return row && presentSummary(row);
}

/** One page of the projects in scope, by e-town then newest first (the id breaks ties, so pages never overlap). */
export async function listProjects(context: AppContext, actor: Actor, query: ListProjectsQuery) {
  const { db } = context.database;
  if (query.regionCode && !canSeeRegion(actor.scope, query.regionCode)) throw notFound('区划');
  const condition = and(
    inScope(actor, projects.etownCode, query.regionCode),
    query.status ? eq(projects.status, query.status) : undefined,
  );
  const [rows, [counted]] = await Promise.all([
    db
      .select(summaryColumns)
      .from(projects)
      .where(condition)
      .orderBy(asc(projects.etownCode), desc(projects.createdAt), asc(projects.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ count: sql<number>`count(*)::int` }).from(projects).where(condition),
  ]);
  return {
    items: rows.map(presentSummary),
    total: counted?.count ?? 0,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export async function getProject(
  context: AppContext,
  actor: Actor,
  id: string,
  executor: Executor = context.database.db,
): Promise<ProjectDetail> {
  const row = await requireVisibleProject(executor, actor, id);
  const [summary, milestones, reports, photos, money, built] = await Promise.all([
    summaryOf(executor, id),
    executor
      .select()
      .from(projectMilestones)
      .where(eq(projectMilestones.projectId, id))
      .orderBy(asc(projectMilestones.plannedOn), asc(projectMilestones.sortOrder)),
    executor
      .select({ report: projectProgressReports, createdByName: users.displayName })
      .from(projectProgressReports)
      .leftJoin(users, eq(users.id, projectProgressReports.createdBy))
      .where(eq(projectProgressReports.projectId, id))
      .orderBy(desc(projectProgressReports.reportedOn), desc(projectProgressReports.createdAt)),
    executor
      .select()
      .from(projectPhotos)
      .where(eq(projectPhotos.projectId, id))
      .orderBy(asc(projectPhotos.createdAt)),
    executor
      .select()
      .from(investments)
      .where(eq(investments.projectId, id))
      .orderBy(asc(investments.investedOn), asc(investments.createdAt)),
    executor
      .select({ id: facilities.id, kind: facilities.kind, name: facilities.name })
      .from(facilities)
      .where(eq(facilities.projectId, id))
      .orderBy(asc(facilities.createdAt)),
  ]);
  if (!summary) throw notFound('项目');
  const today = shanghaiToday();
  const bySource = new Map<string | null, bigint>();
  for (const investment of money) {
    bySource.set(investment.source, (bySource.get(investment.source) ?? 0n) + investment.amountFen);
  }
  return {
    ...summary,
    description: row.description,
    milestones: milestones.map((milestone) => ({
      id: milestone.id,
      name: milestone.name,
      plannedOn: milestone.plannedOn,
      actualOn: milestone.actualOn,
      late: milestone.actualOn ? milestone.actualOn > milestone.plannedOn : milestone.plannedOn < today,
      version: milestone.version,
    })),
    reports: reports.map(({ report, createdByName }) => ({
      id: report.id,
      reportedOn: report.reportedOn,
      progressPct: report.progressPct,
      summary: report.summary,
      createdByName,
      photos: photos.filter((photo) => photo.reportId === report.id).map(fileView),
    })),
    photos: photos.filter((photo) => !photo.reportId).map(fileView),
    investments: money.map((investment) => ({
      id: investment.id,
      source: investment.source,
      amountYuan: formatFen(investment.amountFen),
      investedOn: investment.investedOn,
    })),
    investmentBySource: [...bySource].map(([source, fen]) => ({
      source,
      amountYuan: formatFen(fen),
    })) as ProjectDetail['investmentBySource'],
    facilities: built,
  };
}

export async function createProject(context: AppContext, actor: Actor, input: CreateProjectInput) {
  return context.database.db.transaction(async (tx) => {
    await requireVisibleRegion(tx, actor, input.etownCode, 'etown');
    await requireOwnerInEtown(tx, input.ownerEntityId, input.etownCode);
    const { milestones, ...fields } = input;
    const [row] = await tx
      .insert(projects)
      .values({ ...fields, createdBy: actor.userId })
      .returning();
    const project = row as ProjectRow;
    if (milestones.length > 0) {
      await tx
        .insert(projectMilestones)
        .values(
          milestones.map((milestone, sortOrder) => ({ ...milestone, projectId: project.id, sortOrder })),
        );
    }
    await recordAudit(tx, actor, {
      action: 'project.create',
      targetType: 'project',
      targetId: project.id,
      regionCode: project.etownCode,
      diff: { etownCode: project.etownCode, name: project.name, milestones: milestones.length },
    });
    return getProject(context, actor, project.id, tx);
  });
}

export async function updateProject(
  context: AppContext,
  actor: Actor,
  id: string,
  input: UpdateProjectInput,
) {
  return context.database.db.transaction(async (tx) => {
    const row = await requireVisibleProject(tx, actor, id, true);
    await requireVersion(row.version, input.version, () => getProject(context, actor, id, tx));
    await requireOwnerInEtown(tx, input.ownerEntityId, row.etownCode);
    const { version: _version, ...fields } = input;
    await tx
      .update(projects)
      .set({ ...fields, version: row.version + 1, updatedAt: new Date() })
      .where(eq(projects.id, id));
    // The ledger names a project's investments by the project's name.
    if (fields.name !== row.name) {
      await tx.update(investments).set({ project: fields.name }).where(eq(investments.projectId, id));
    }
    await recordAudit(tx, actor, {
      action: 'project.update',
      targetType: 'project',
      targetId: id,
      regionCode: row.etownCode,
      diff: { before: { name: row.name, ownerEntityId: row.ownerEntityId }, after: fields },
    });
    return getProject(context, actor, id, tx);
  });
}

export async function changeProjectStatus(
  context: AppContext,
  actor: Actor,
  id: string,
  input: ProjectStatusInput,
) {
  return context.database.db.transaction(async (tx) => {
    const row = await requireVisibleProject(tx, actor, id, true);
    await requireVersion(row.version, input.version, () => getProject(context, actor, id, tx));
    if (!nextStatuses[row.status].includes(input.status)) {
      throw conflict(
        'status_transition_invalid',
        `项目${projectStatusLabels[row.status]}，不能改为${projectStatusLabels[input.status]}`,
      );
    }
    const on = input.on ?? shanghaiToday();
    const dates =
      input.status === 'in_progress'
        ? { actualStart: row.actualStart ?? on, actualEnd: null }
        : input.status === 'completed'
          ? { actualEnd: on }
          : {};
    if (input.status === 'completed' && row.actualStart && on < row.actualStart) {
      throw invalidFields([{ path: 'on', message: '完工日期不能早于实际开工日期' }]);
    }
    await tx
      .update(projects)
      .set({ status: input.status, ...dates, version: row.version + 1, updatedAt: new Date() })
      .where(eq(projects.id, id));
    await recordAudit(tx, actor, {
      action: 'project.status',
      targetType: 'project',
      targetId: id,
      regionCode: row.etownCode,
      diff: { from: row.status, to: input.status, on },
    });
    return getProject(context, actor, id, tx);
  });
}

/** A project with money or facilities recorded against it stays: those rows feed the scorecard. */
export async function deleteProject(context: AppContext, actor: Actor, id: string) {
  await context.database.db.transaction(async (tx) => {
    const row = await requireVisibleProject(tx, actor, id, true);
    const [linked] = await tx
      .execute(sql`select
        (select count(*) from ${investments} where ${investments.projectId} = ${id})::int as investments,
        (select count(*) from ${facilities} where ${facilities.projectId} = ${id})::int as facilities`)
      .then((result) => (result as unknown as { rows: { investments: number; facilities: number }[] }).rows);
    if (linked && (linked.investments > 0 || linked.facilities > 0)) {
      throw conflict('project_in_use', '项目已登记投资或设施，不能删除；请先删除投资记录并解除设施关联');
    }
    await tx.delete(projects).where(eq(projects.id, id));
    await recordAudit(tx, actor, {
      action: 'project.delete',
      targetType: 'project',
      targetId: id,
      regionCode: row.etownCode,
      diff: { etownCode: row.etownCode, name: row.name },
    });
  });
}

async function touch(tx: Executor, row: ProjectRow) {
  await tx
    .update(projects)
    .set({ version: row.version + 1, updatedAt: new Date() })
    .where(eq(projects.id, row.id));
}

export async function addMilestone(context: AppContext, actor: Actor, id: string, input: MilestoneInput) {
  return context.database.db.transaction(async (tx) => {
    const row = await requireVisibleProject(tx, actor, id, true);
    const [{ count } = { count: 0 }] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(projectMilestones)
      .where(eq(projectMilestones.projectId, id));
    await tx.insert(projectMilestones).values({ ...input, projectId: id, sortOrder: count });
    await touch(tx, row);
    await recordAudit(tx, actor, {
      action: 'project.milestone.add',
      targetType: 'project',
      targetId: id,
      regionCode: row.etownCode,
      diff: input,
    });
    return getProject(context, actor, id, tx);
  });
}

export async function updateMilestone(
  context: AppContext,
  actor: Actor,
  id: string,
  milestoneId: string,
  input: UpdateMilestoneInput,
) {
  return context.database.db.transaction(async (tx) => {
    const row = await requireVisibleProject(tx, actor, id, true);
    const { version, ...fields } = input;
    await updateVersioned(
      tx,
      projectMilestones,
      and(eq(projectMilestones.id, milestoneId), eq(projectMilestones.projectId, id)),
      version,
      fields,
      () => getProject(context, actor, id, tx),
      '里程碑',
    );
    await touch(tx, row);
    await recordAudit(tx, actor, {
      action: 'project.milestone.update',
      targetType: 'project',
      targetId: id,
      regionCode: row.etownCode,
      diff: { milestoneId, ...fields },
    });
    return getProject(context, actor, id, tx);
  });
}

export async function removeMilestone(context: AppContext, actor: Actor, id: string, milestoneId: string) {
  return context.database.db.transaction(async (tx) => {
    const row = await requireVisibleProject(tx, actor, id, true);
    const [removed] = await tx
      .delete(projectMilestones)
      .where(and(eq(projectMilestones.id, milestoneId), eq(projectMilestones.projectId, id)))
      .returning();
    if (!removed) throw notFound('里程碑');
    await touch(tx, row);
    await recordAudit(tx, actor, {
      action: 'project.milestone.remove',
      targetType: 'project',
      targetId: id,
      regionCode: row.etownCode,
      diff: { name: removed.name, plannedOn: removed.plannedOn },
    });
    return getProject(context, actor, id, tx);
  });
}

export async function addProgressReport(
  context: AppContext,
  actor: Actor,
  id: string,
  input: ProgressReportInput,
) {
  return context.database.db.transaction(async (tx) => {
    const row = await requireVisibleProject(tx, actor, id, true);
    await tx.insert(projectProgressReports).values({ ...input, projectId: id, createdBy: actor.userId });
    await touch(tx, row);
    await recordAudit(tx, actor, {
      action: 'project.progress.report',
      targetType: 'project',
      targetId: id,
      regionCode: row.etownCode,
      diff: { reportedOn: input.reportedOn, progressPct: input.progressPct },
    });
    return getProject(context, actor, id, tx);
  });
}

/** A photo of the project, or of one of its progress reports when `reportId` is given. */
export async function addProjectPhoto(
  context: AppContext,
  actor: Actor,
  id: string,
  reportId: string | undefined,
  fileName: string,
  bytes: Buffer,
) {
  const stored = await storeAttachment(context, 'projects', { accepts: 'photo', what: '项目照片' }, bytes);
  return context.database.db.transaction(async (tx) => {
    const project = await requireVisibleProject(tx, actor, id, true);
    if (reportId) {
      const [report] = await tx
        .select({ id: projectProgressReports.id })
        .from(projectProgressReports)
        .where(and(eq(projectProgressReports.id, reportId), eq(projectProgressReports.projectId, id)));
      if (!report) throw notFound('进度报告');
    }
    const [photo] = await tx
      .insert(projectPhotos)
      .values({
        projectId: id,
        reportId: reportId ?? null,
        fileSha256: stored.sha256,
        fileName,
        mediaType: stored.mediaType,
        sizeBytes: stored.sizeBytes,
      })
      .returning({ id: projectPhotos.id });
    await recordAudit(tx, actor, {
      action: 'project.photo.add',
      targetType: 'project',
      targetId: id,
      regionCode: project.etownCode,
      diff: { photoId: photo?.id, reportId: reportId ?? null, fileName, sha256: stored.sha256 },
    });
    return getProject(context, actor, id, tx);
  });
}

export async function readProjectPhoto(context: AppContext, actor: Actor, id: string, photoId: string) {
  const { db } = context.database;
  await requireVisibleProject(db, actor, id);
  const [photo] = await db
    .select()
    .from(projectPhotos)
    .where(and(eq(projectPhotos.id, photoId), eq(projectPhotos.projectId, id)));
  if (!photo) throw notFound('照片');
  return readAttachment(context, 'projects', photo);
}

export async function removeProjectPhoto(context: AppContext, actor: Actor, id: string, photoId: string) {
  return context.database.db.transaction(async (tx) => {
    const project = await requireVisibleProject(tx, actor, id, true);
    const [removed] = await tx
      .delete(projectPhotos)
      .where(and(eq(projectPhotos.id, photoId), eq(projectPhotos.projectId, id)))
      .returning();
    if (!removed) throw notFound('照片');
    await recordAudit(tx, actor, {
      action: 'project.photo.remove',
      targetType: 'project',
      targetId: id,
      regionCode: project.etownCode,
      diff: { photoId, fileName: removed.fileName },
    });
    return getProject(context, actor, id, tx);
  });
}

/** An investment is a ledger row (indicator 25) named after the project, with its source. */
export async function addInvestment(context: AppContext, actor: Actor, id: string, input: InvestmentInput) {
  return context.database.db.transaction(async (tx) => {
    const row = await requireVisibleProject(tx, actor, id, true);
    const [{ next } = { next: 0 }] = await tx
      .select({ next: sql<number>`coalesce(max(${investments.sortOrder}) + 1, 0)::int` })
      .from(investments)
      .where(eq(investments.etownCode, row.etownCode));
    const [created] = await tx
      .insert(investments)
      .values({
        etownCode: row.etownCode,
        project: row.name,
        projectId: id,
        source: input.source,
        amountFen: input.amountFen,
        investedOn: input.investedOn,
        sortOrder: next,
      })
      .returning({ id: investments.id });
    await touch(tx, row);
    await recordAudit(tx, actor, {
      action: 'project.investment.add',
      targetType: 'project',
      targetId: id,
      regionCode: row.etownCode,
      diff: {
        investmentId: created?.id,
        source: input.source,
        amountYuan: formatFen(input.amountFen),
        investedOn: input.investedOn,
      },
    });
    return getProject(context, actor, id, tx);
  });
}

export async function removeInvestment(context: AppContext, actor: Actor, id: string, investmentId: string) {
  return context.database.db.transaction(async (tx) => {
    const row = await requireVisibleProject(tx, actor, id, true);
    const [removed] = await tx
      .delete(investments)
      .where(and(eq(investments.id, investmentId), eq(investments.projectId, id)))
      .returning();
    if (!removed) throw notFound('投资记录');
    await touch(tx, row);
    await recordAudit(tx, actor, {
      action: 'project.investment.remove',
      targetType: 'project',
      targetId: id,
      regionCode: row.etownCode,
      diff: {
        investmentId,
        source: removed.source,
        amountYuan: formatFen(removed.amountFen),
        investedOn: removed.investedOn,
      },
    });
    return getProject(context, actor, id, tx);
  });
}
