import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import type { Executor } from '../../db/client.ts';
import { facilities, facilityPhotos, projects } from '../../db/schema/projects.ts';
import type { AppContext } from '../../http/context.ts';
import { invalidFields, notFound } from '../../http/errors.ts';
import { currentProvinceCatalog, type IndicatorCatalog } from '../../indicators/catalog.ts';
import { compare, formatExact, formatGrouped, parseDecimal, type Rational } from '../../indicators/exact.ts';
import { type FacilityFeature, facilityFeatureLabels } from '../../indicators/ledger-schema.ts';
import { readAttachment, storeAttachment } from '../../lib/attachments.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { regionNames } from '../regions/region-names.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';
import { fileView, inScope, requireVersion } from './project-support.ts';
import type {
  CreateFacilityInput,
  FacilityPlanCheck,
  FacilityView,
  UpdateFacilityInput,
} from './projects.schemas.ts';

type FacilityRow = typeof facilities.$inferSelect;

const shownArea = (value: Rational) => formatGrouped(formatExact(value));

/**
 * The catalog's facility conditions for this facility's kind (area bounds, required functional zones),
 * checked against this facility alone — the scorecard is met when any facility of the kind passes.
 */
export function checkFacilityAgainstPlan(
  facility: Pick<FacilityRow, 'kind' | 'buildingAreaM2' | 'features'>,
  catalog: IndicatorCatalog = currentProvinceCatalog(),
): FacilityPlanCheck[] {
  const area = parseDecimal(facility.buildingAreaM2) as Rational;
  return catalog.indicators.flatMap((indicator) =>
    indicator.conditions.flatMap((condition) => {
      if (condition.type !== 'facility' || condition.kind !== facility.kind) return [];
      const reasons: string[] = [];
      const minimum =
        condition.minAreaM2 === undefined ? null : (parseDecimal(condition.minAreaM2) as Rational);
      const maximum =
        condition.maxAreaM2 === undefined ? null : (parseDecimal(condition.maxAreaM2) as Rational);
      if (minimum && compare(area, minimum) < 0) {
        reasons.push(`建筑面积 ${shownArea(area)} 平方米，少于 ${shownArea(minimum)} 平方米`);
      }
      if (maximum && compare(area, maximum) > 0) {
        reasons.push(`建筑面积 ${shownArea(area)} 平方米，多于 ${shownArea(maximum)} 平方米`);
      }
      const lacking = condition.features.filter(
        (feature) => !facility.features.includes(feature as FacilityFeature),
      );
      if (lacking.length > 0) {
        reasons.push(`缺少${lacking.map((feature) => facilityFeatureLabels[feature]).join('、')}`);
      }
      return [
        {
          indicatorNo: indicator.no,
          label: condition.label,
          standard: indicator.standard,
          met: reasons.length === 0,
          reasons,
        },
      ];
    }),
  );
}

export async function requireVisibleFacility(
  executor: Executor,
  actor: Actor,
  id: string,
  forUpdate = false,
) {
  const query = executor
    .select()
    .from(facilities)
    .where(and(eq(facilities.id, id), inScope(actor, facilities.etownCode)));
  const [row] = forUpdate ? await query.for('update') : await query;
  if (!row) throw notFound('设施');
  return row;
}

async function present(executor: Executor, rows: FacilityRow[]): Promise<FacilityView[]> {
  const ids = rows.map((row) => row.id);
  const projectIds = rows.flatMap((row) => (row.projectId ? [row.projectId] : []));
  const [names, linked, photos] = await Promise.all([
    regionNames(
      executor,
      rows.map((row) => row.etownCode),
    ),
    projectIds.length
      ? executor
          .select({ id: projects.id, name: projects.name })
          .from(projects)
          .where(inArray(projects.id, projectIds))
      : Promise.resolve([]),
    ids.length
      ? executor
          .select()
          .from(facilityPhotos)
          .where(inArray(facilityPhotos.facilityId, ids))
          .orderBy(asc(facilityPhotos.createdAt))
      : Promise.resolve([]),
  ]);
  const projectName = new Map(linked.map((row) => [row.id, row.name]));
  const catalog = currentProvinceCatalog();
  return rows.map((row) => ({
    id: row.id,
    etownCode: row.etownCode,
    etownName: names.get(row.etownCode) ?? row.etownCode,
    kind: row.kind,
    name: row.name,
    buildingAreaM2: formatExact(parseDecimal(row.buildingAreaM2) as Rational),
    // Stored only through the API body and the ledger import, both of which admit these codes alone.
    features: row.features as FacilityFeature[],
    projectId: row.projectId,
    projectName: row.projectId ? (projectName.get(row.projectId) ?? null) : null,
    openedOn: row.openedOn,
    version: row.version,
    planChecks: checkFacilityAgainstPlan(row, catalog),
    photos: photos.filter((photo) => photo.facilityId === row.id).map(fileView),
  }));
}

export async function listFacilities(
  context: AppContext,
  actor: Actor,
  query: { regionCode?: string | undefined; kind?: FacilityRow['kind'] | undefined },
) {
  const { db } = context.database;
  const rows = await db
    .select()
    .from(facilities)
    .where(
      and(
        inScope(actor, facilities.etownCode, query.regionCode),
        query.kind ? eq(facilities.kind, query.kind) : undefined,
      ),
    )
    .orderBy(asc(facilities.etownCode), asc(facilities.sortOrder), asc(facilities.createdAt));
  return present(db, rows);
}

export async function getFacility(
  context: AppContext,
  actor: Actor,
  id: string,
  executor: Executor = context.database.db,
) {
  const [view] = await present(executor, [await requireVisibleFacility(executor, actor, id)]);
  return view as FacilityView;
}

async function requireProjectInEtown(executor: Executor, projectId: string | null, etownCode: string) {
  if (!projectId) return;
  const [project] = await executor
    .select({ etownCode: projects.etownCode })
    .from(projects)
    .where(eq(projects.id, projectId));
  if (project?.etownCode !== etownCode) {
    throw invalidFields([{ path: 'projectId', message: '关联项目须为本e镇的项目' }]);
  }
}

const uniqueFeatures = (features: readonly string[]) => [...new Set(features)];

export async function createFacility(context: AppContext, actor: Actor, input: CreateFacilityInput) {
  return context.database.db.transaction(async (tx) => {
    await requireVisibleRegion(tx, actor, input.etownCode, 'etown');
    await requireProjectInEtown(tx, input.projectId, input.etownCode);
    const [{ next } = { next: 0 }] = await tx
      .select({ next: sql<number>`coalesce(max(${facilities.sortOrder}) + 1, 0)::int` })
      .from(facilities)
      .where(eq(facilities.etownCode, input.etownCode));
    const [row] = await tx
      .insert(facilities)
      .values({ ...input, features: uniqueFeatures(input.features), sortOrder: next })
      .returning();
    const created = row as FacilityRow;
    await recordAudit(tx, actor, {
      action: 'facility.create',
      targetType: 'facility',
      targetId: created.id,
      regionCode: created.etownCode,
      diff: { ...input },
    });
    return getFacility(context, actor, created.id, tx);
  });
}

export async function updateFacility(
  context: AppContext,
  actor: Actor,
  id: string,
  input: UpdateFacilityInput,
) {
  return context.database.db.transaction(async (tx) => {
    const row = await requireVisibleFacility(tx, actor, id, true);
    await requireVersion(row.version, input.version, () => getFacility(context, actor, id, tx));
    await requireProjectInEtown(tx, input.projectId, row.etownCode);
    const { version: _version, ...fields } = input;
    await tx
      .update(facilities)
      .set({
        ...fields,
        features: uniqueFeatures(fields.features),
        version: row.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(facilities.id, id));
    await recordAudit(tx, actor, {
      action: 'facility.update',
      targetType: 'facility',
      targetId: id,
      regionCode: row.etownCode,
      diff: {
        before: {
          kind: row.kind,
          name: row.name,
          buildingAreaM2: row.buildingAreaM2,
          features: row.features,
          projectId: row.projectId,
          openedOn: row.openedOn,
        },
        after: fields,
      },
    });
    return getFacility(context, actor, id, tx);
  });
}

export async function deleteFacility(context: AppContext, actor: Actor, id: string) {
  await context.database.db.transaction(async (tx) => {
    const row = await requireVisibleFacility(tx, actor, id, true);
    // The photos go with the facility (on delete cascade); the audit names them.
    const photos = await tx
      .select({ id: facilityPhotos.id, fileName: facilityPhotos.fileName })
      .from(facilityPhotos)
      .where(eq(facilityPhotos.facilityId, id));
    await tx.delete(facilities).where(eq(facilities.id, id));
    await recordAudit(tx, actor, {
      action: 'facility.delete',
      targetType: 'facility',
      targetId: id,
      regionCode: row.etownCode,
      diff: {
        etownCode: row.etownCode,
        kind: row.kind,
        name: row.name,
        buildingAreaM2: row.buildingAreaM2,
        projectId: row.projectId,
        openedOn: row.openedOn,
        photos,
      },
    });
  });
}

export async function addFacilityPhoto(
  context: AppContext,
  actor: Actor,
  id: string,
  fileName: string,
  bytes: Buffer,
) {
  const stored = await storeAttachment(context, 'projects', { accepts: 'photo', what: '设施照片' }, bytes);
  return context.database.db.transaction(async (tx) => {
    const row = await requireVisibleFacility(tx, actor, id, true);
    const [photo] = await tx
      .insert(facilityPhotos)
      .values({
        facilityId: id,
        fileSha256: stored.sha256,
        fileName,
        mediaType: stored.mediaType,
        sizeBytes: stored.sizeBytes,
      })
      .returning({ id: facilityPhotos.id });
    await recordAudit(tx, actor, {
      action: 'facility.photo.add',
      targetType: 'facility',
      targetId: id,
      regionCode: row.etownCode,
      diff: { photoId: photo?.id, fileName, sha256: stored.sha256 },
    });
    return getFacility(context, actor, id, tx);
  });
}

export async function readFacilityPhoto(context: AppContext, actor: Actor, id: string, photoId: string) {
  const { db } = context.database;
  await requireVisibleFacility(db, actor, id);
  const [photo] = await db
    .select()
    .from(facilityPhotos)
    .where(and(eq(facilityPhotos.id, photoId), eq(facilityPhotos.facilityId, id)));
  if (!photo) throw notFound('照片');
  return readAttachment(context, 'projects', photo);
}

export async function removeFacilityPhoto(context: AppContext, actor: Actor, id: string, photoId: string) {
  return context.database.db.transaction(async (tx) => {
    const row = await requireVisibleFacility(tx, actor, id, true);
    const [removed] = await tx
      .delete(facilityPhotos)
      .where(and(eq(facilityPhotos.id, photoId), eq(facilityPhotos.facilityId, id)))
      .returning();
    if (!removed) throw notFound('照片');
    await recordAudit(tx, actor, {
      action: 'facility.photo.remove',
      targetType: 'facility',
      targetId: id,
      regionCode: row.etownCode,
      diff: { photoId, fileName: removed.fileName },
    });
    return getFacility(context, actor, id, tx);
  });
}
