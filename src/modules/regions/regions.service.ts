import turfArea from '@turf/area';
import { and, asc, desc, eq, inArray, like, sql } from 'drizzle-orm';
import { type Actor, canSeeRegion } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import type { DatabaseHandle, Executor } from '../../db/client.ts';
import { keptAt, subtreeVersion } from '../../db/data-versions.ts';
import {
  type CountyTier,
  countyTierChanges,
  etownProfiles,
  type RegionLevel,
  regions,
} from '../../db/schema/regions.ts';
import { staleVersion, updateVersioned } from '../../db/versioned-update.ts';
import type { AppContext } from '../../http/context.ts';
import { conflict, invalidFields, notFound } from '../../http/errors.ts';
import { contiguityProblem } from '../../indicators/boundary-contiguity.ts';
import { diffObjects, recordAudit } from '../audit/audit.service.ts';
import type {
  Boundary,
  CreateEtownInput,
  EtownDetail,
  EtownSummary,
  RegionDetail,
  RegionNode,
  UpdateEtownInput,
} from './regions.schemas.ts';

const levelNames: Record<RegionLevel, string> = { province: '省', city: '市', county: '县', etown: 'e镇' };

type RegionRow = typeof regions.$inferSelect;

/** The region row when the actor may see it; otherwise 404, exactly as if it did not exist. */
export async function requireVisibleRegion(
  executor: Executor,
  actor: Actor,
  code: string,
  level?: RegionLevel,
): Promise<RegionRow> {
  const what = level ? `${levelNames[level]}级区划` : '区划';
  if (!canSeeRegion(actor.scope, code)) throw notFound(what);
  const [row] = await executor.select().from(regions).where(eq(regions.code, code));
  if (!row || (level && row.level !== level)) throw notFound(what);
  return row;
}

/**
 * `requireVisibleRegion` for a list filtered by a region: reads the version of the data under the region (which a
 * change to the region row moves too) and keeps the row at that version, so a list that counts its rows per the
 * same version (`countAt`) pays one statement for both.
 */
export async function requireVisibleRegionAt(
  database: DatabaseHandle,
  actor: Actor,
  code: string,
  level?: RegionLevel,
): Promise<{ region: RegionRow; version: string }> {
  const what = level ? `${levelNames[level]}级区划` : '区划';
  if (!canSeeRegion(actor.scope, code)) throw notFound(what);
  const version = await subtreeVersion(database.db, [code]);
  const region = await keptAt(database, 'region-row', version, code, async () => {
    const [row] = await database.db.select().from(regions).where(eq(regions.code, code));
    return row ?? null;
  });
  if (!region || (level && region.level !== level)) throw notFound(what);
  return { region, version };
}

export async function getRegionTree(context: AppContext, actor: Actor): Promise<RegionNode[]> {
  const rows = await context.database.db
    .select()
    .from(regions)
    .where(regionScopeCondition(actor.scope, regions.code))
    .orderBy(asc(regions.code));
  const nodes = new Map<string, RegionNode>();
  for (const row of rows) {
    nodes.set(row.code, { code: row.code, name: row.name, level: row.level, tier: row.tier, children: [] });
  }
  const roots: RegionNode[] = [];
  for (const row of rows) {
    const node = nodes.get(row.code) as RegionNode;
    const parent = row.parentCode ? nodes.get(row.parentCode) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

export function getRegionDetail(context: AppContext, actor: Actor, code: string): Promise<RegionDetail> {
  return regionDetail(context.database.db, actor, code);
}

async function regionDetail(db: Executor, actor: Actor, code: string): Promise<RegionDetail> {
  const region = await requireVisibleRegion(db, actor, code);
  const ancestorCodes: string[] = [];
  if (region.level !== 'province') ancestorCodes.push(code.slice(0, 2));
  if (region.level === 'county' || region.level === 'etown') ancestorCodes.push(code.slice(0, 4));
  if (region.level === 'etown') ancestorCodes.push(code.slice(0, 6));
  const visibleAncestorCodes = ancestorCodes.filter((ancestor) => canSeeRegion(actor.scope, ancestor));
  const [ancestors, children, history, [etownCount]] = await Promise.all([
    visibleAncestorCodes.length
      ? db
          .select({ code: regions.code, name: regions.name, level: regions.level })
          .from(regions)
          .where(inArray(regions.code, visibleAncestorCodes))
          .orderBy(asc(regions.code))
      : Promise.resolve([]),
    db
      .select({ code: regions.code, name: regions.name, level: regions.level, tier: regions.tier })
      .from(regions)
      .where(and(eq(regions.parentCode, code), regionScopeCondition(actor.scope, regions.code)))
      .orderBy(asc(regions.code)),
    db
      .select()
      .from(countyTierChanges)
      .where(eq(countyTierChanges.countyCode, code))
      .orderBy(desc(countyTierChanges.changedAt), desc(countyTierChanges.id)),
    db
      .select({ count: sql<number>`count(*)::int` })
      .from(regions)
      .where(
        and(
          eq(regions.level, 'etown'),
          like(regions.code, `${code}%`),
          regionScopeCondition(actor.scope, regions.code),
        ),
      ),
  ]);
  return {
    code: region.code,
    name: region.name,
    level: region.level,
    tier: region.tier,
    parentCode: region.parentCode,
    ancestors,
    children,
    tierHistory: history.map((change) => ({
      tier: change.tier,
      previousTier: change.previousTier,
      reason: change.reason,
      changedByName: change.changedByName,
      changedAt: change.changedAt.toISOString(),
    })),
    etownCount: etownCount?.count ?? 0,
    version: region.version,
  };
}

/**
 * The province sets a county's tier; every change is kept with who made it and when. `version` is the
 * county's the page loaded: a stale or absent one answers 409 with the county as it is now, even when the
 * tier asked for is the current one (the page decided on what it showed).
 */
export async function setCountyTier(
  context: AppContext,
  actor: Actor,
  code: string,
  input: { tier: CountyTier; reason: string; version?: number | null | undefined },
): Promise<RegionDetail> {
  const { tier, reason } = input;
  await context.database.db.transaction(async (tx) => {
    const county = await requireVisibleRegion(tx, actor, code, 'county');
    const present = () => regionDetail(tx, actor, code);
    if (input.version == null || input.version !== county.version) throw staleVersion(await present());
    if (county.tier === tier) return;
    await updateVersioned(tx, regions, eq(regions.code, code), input.version, { tier }, present);
    await tx.insert(countyTierChanges).values({
      countyCode: code,
      previousTier: county.tier,
      tier,
      reason,
      changedBy: actor.userId,
      changedByName: `${actor.displayName}（${actor.username}）`,
    });
    await recordAudit(tx, actor, {
      action: 'region.set_tier',
      targetType: 'region',
      targetId: code,
      diff: { tier: { before: county.tier, after: tier }, reason },
    });
  });
  return getRegionDetail(context, actor, code);
}

/** Geodesic area in km² as @turf/area computes it (sphere of radius 6,371,008.8 m, holes subtracted). */
export function boundaryAreaKm2(boundary: Boundary): string {
  return (turfArea(boundary) / 1_000_000).toFixed(6);
}

type EtownJoinRow = {
  region: RegionRow;
  profile: typeof etownProfiles.$inferSelect;
  county: RegionRow;
  city: RegionRow;
};

async function selectEtowns(executor: Executor, condition: ReturnType<typeof and>): Promise<EtownJoinRow[]> {
  const rows = await executor
    .select({ region: regions, profile: etownProfiles })
    .from(regions)
    .innerJoin(etownProfiles, eq(etownProfiles.code, regions.code))
    .where(and(eq(regions.level, 'etown'), condition))
    .orderBy(asc(regions.code));
  if (rows.length === 0) return [];
  const parentCodes = [
    ...new Set(rows.flatMap((row) => [row.region.code.slice(0, 6), row.region.code.slice(0, 4)])),
  ];
  const parents = await executor.select().from(regions).where(inArray(regions.code, parentCodes));
  const byCode = new Map(parents.map((row) => [row.code, row]));
  return rows.map((row) => ({
    ...row,
    county: byCode.get(row.region.code.slice(0, 6)) as RegionRow,
    city: byCode.get(row.region.code.slice(0, 4)) as RegionRow,
  }));
}

function presentSummary(row: EtownJoinRow): EtownSummary {
  return {
    code: row.region.code,
    name: row.region.name,
    countyCode: row.county.code,
    countyName: row.county.name,
    cityCode: row.city.code,
    cityName: row.city.name,
    tier: row.county.tier,
    landAreaKm2: row.profile.landAreaKm2,
    boundaryAreaKm2: row.profile.boundaryAreaKm2,
    leadingIndustries: row.profile.leadingIndustries,
    operatingEntity: row.profile.operatingEntity,
  };
}

/** The boundary's problems for #24 that do not stop it being saved (the engine rules on them). */
export function boundaryWarnings(boundary: Boundary | null): string[] {
  const fragmented = boundary ? contiguityProblem(boundary) : null;
  return fragmented ? [fragmented] : [];
}

function presentDetail(row: EtownJoinRow): EtownDetail {
  return {
    ...presentSummary(row),
    villages: row.profile.villages,
    boundaryEast: row.profile.boundaryEast,
    boundaryWest: row.profile.boundaryWest,
    boundarySouth: row.profile.boundarySouth,
    boundaryNorth: row.profile.boundaryNorth,
    buildingAreaM2: row.profile.buildingAreaM2,
    boundary: (row.profile.boundary as Boundary | null) ?? null,
    boundaryWarnings: boundaryWarnings((row.profile.boundary as Boundary | null) ?? null),
    phases: row.profile.phases,
    version: row.profile.version,
    updatedAt: row.profile.updatedAt.toISOString(),
  };
}

export async function listEtowns(
  context: AppContext,
  actor: Actor,
  regionCode?: string,
): Promise<EtownSummary[]> {
  const { db } = context.database;
  if (regionCode) await requireVisibleRegion(db, actor, regionCode);
  const rows = await selectEtowns(
    db,
    and(
      regionScopeCondition(actor.scope, regions.code),
      regionCode ? like(regions.code, `${regionCode}%`) : undefined,
    ),
  );
  return rows.map(presentSummary);
}

export async function getEtown(context: AppContext, actor: Actor, code: string, executor?: Executor) {
  const db = executor ?? context.database.db;
  await requireVisibleRegion(db, actor, code, 'etown');
  const [row] = await selectEtowns(db, eq(regions.code, code));
  if (!row) throw notFound('e镇');
  return presentDetail(row);
}

function profileValues(input: Partial<CreateEtownInput>) {
  const values: Partial<typeof etownProfiles.$inferInsert> = {};
  if (input.villages !== undefined) values.villages = input.villages;
  if (input.boundaryEast !== undefined) values.boundaryEast = input.boundaryEast;
  if (input.boundaryWest !== undefined) values.boundaryWest = input.boundaryWest;
  if (input.boundarySouth !== undefined) values.boundarySouth = input.boundarySouth;
  if (input.boundaryNorth !== undefined) values.boundaryNorth = input.boundaryNorth;
  if (input.landAreaKm2 !== undefined) values.landAreaKm2 = input.landAreaKm2;
  if (input.buildingAreaM2 !== undefined) values.buildingAreaM2 = input.buildingAreaM2;
  if (input.boundary !== undefined) {
    values.boundary = input.boundary ?? null;
    values.boundaryAreaKm2 = input.boundary ? boundaryAreaKm2(input.boundary) : null;
  }
  if (input.leadingIndustries !== undefined) values.leadingIndustries = [...new Set(input.leadingIndustries)];
  if (input.operatingEntity !== undefined) values.operatingEntity = input.operatingEntity;
  if (input.phases !== undefined) {
    const seen = new Set<string>();
    input.phases.forEach((phase, index) => {
      if (seen.has(phase.phase))
        throw invalidFields([{ path: `phases.${index}.phase`, message: '同一阶段只能填写一次' }]);
      seen.add(phase.phase);
    });
    values.phases = input.phases;
  }
  return values;
}

/** Creates an e-town under a county with the next free code `<county>-E<nn>`. */
export async function createEtown(context: AppContext, actor: Actor, input: CreateEtownInput) {
  const code = await context.database.db.transaction(async (tx) => {
    await requireVisibleRegion(tx, actor, input.countyCode, 'county');
    // Serialises code assignment per county.
    await tx.execute(sql`select pg_advisory_xact_lock(727003, ${Number(input.countyCode)})`);
    const existing = await tx
      .select({ code: regions.code, name: regions.name })
      .from(regions)
      .where(and(eq(regions.parentCode, input.countyCode), eq(regions.level, 'etown')));
    if (existing.some((row) => row.name === input.name)) {
      throw conflict('etown_name_taken', `本县已有名为“${input.name}”的e镇`, [{ path: 'name' }]);
    }
    const used = new Set(existing.map((row) => Number(row.code.slice(-2))));
    let next = 1;
    while (used.has(next)) next += 1;
    if (next > 99) throw conflict('etown_codes_exhausted', '本县e镇编号已用完（最多 99 个）');
    const newCode = `${input.countyCode}-E${String(next).padStart(2, '0')}`;
    await tx
      .insert(regions)
      .values({ code: newCode, name: input.name, level: 'etown', parentCode: input.countyCode });
    const values = profileValues(input);
    await tx.insert(etownProfiles).values({ code: newCode, ...values });
    await recordAudit(tx, actor, {
      action: 'etown.create',
      targetType: 'etown',
      targetId: newCode,
      diff: { name: input.name, ...values },
    });
    return newCode;
  });
  return getEtown(context, actor, code);
}

export async function updateEtown(context: AppContext, actor: Actor, code: string, input: UpdateEtownInput) {
  await context.database.db.transaction(async (tx) => {
    const before = await getEtown(context, actor, code, tx);
    if (before.version !== input.version) throw staleVersion(before);
    if (input.name !== undefined && input.name !== before.name) {
      const [clash] = await tx
        .select({ code: regions.code })
        .from(regions)
        .where(and(eq(regions.parentCode, before.countyCode), eq(regions.name, input.name)));
      if (clash) throw conflict('etown_name_taken', `本县已有名为“${input.name}”的e镇`, [{ path: 'name' }]);
      await tx.update(regions).set({ name: input.name }).where(eq(regions.code, code));
    }
    const values = profileValues(input);
    const updated = await tx
      .update(etownProfiles)
      .set({ ...values, version: sql`${etownProfiles.version} + 1`, updatedAt: new Date() })
      .where(and(eq(etownProfiles.code, code), eq(etownProfiles.version, input.version)))
      .returning({ code: etownProfiles.code });
    if (updated.length === 0) throw staleVersion(await getEtown(context, actor, code, tx));
    const after = { ...values, ...(input.name !== undefined ? { name: input.name } : {}) };
    await recordAudit(tx, actor, {
      action: 'etown.update',
      targetType: 'etown',
      targetId: code,
      diff: diffObjects(before as unknown as Record<string, unknown>, after),
    });
  });
  return getEtown(context, actor, code);
}

export async function deleteEtown(context: AppContext, actor: Actor, code: string) {
  await context.database.db.transaction(async (tx) => {
    const before = await getEtown(context, actor, code, tx);
    try {
      await tx.execute(sql`savepoint delete_etown`);
      await tx.delete(etownProfiles).where(eq(etownProfiles.code, code));
      await tx.delete(regions).where(eq(regions.code, code));
    } catch {
      await tx.execute(sql`rollback to savepoint delete_etown`);
      throw conflict('etown_in_use', 'e镇下已有领导小组、账号或其他业务数据，不能删除');
    }
    await recordAudit(tx, actor, {
      action: 'etown.delete',
      targetType: 'etown',
      targetId: code,
      diff: { before },
    });
  });
}
