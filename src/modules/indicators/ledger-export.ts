import { asc, eq, inArray } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.ts';
import { brands, mediaChannels, products, promotionEvents } from '../../db/schema/brands.ts';
import { policyDocuments } from '../../db/schema/documents.ts';
import { entities, entityTagAssignments, entityTags } from '../../db/schema/entities.ts';
import { pavilions, supplyChains } from '../../db/schema/portal.ts';
import { complianceIncidents, facilities, investments } from '../../db/schema/projects.ts';
import { etownProfiles, regions } from '../../db/schema/regions.ts';
import { cityOutputGrowth, monthlyStatistics } from '../../db/schema/stats.ts';
import { talentPeople, trainings } from '../../db/schema/talent.ts';
import { AppError } from '../../http/errors.ts';
import { formatExact, formatFen, parseDecimal } from '../../indicators/exact.ts';
import { LEDGER_FORMAT } from '../../indicators/ledger-schema.ts';

/** The `ezhen-ledger/1` JSON value, exactly as a file holds it. */
export type LedgerJson = {
  format: typeof LEDGER_FORMAT;
  year: number;
  etown: {
    code: string;
    name: string;
    countyCode: string;
    countyTier: string;
    landAreaKm2: string | null;
    buildingAreaM2: string | null;
    boundary: Record<string, unknown> | null;
    leadingIndustries: string[];
    cityOutputGrowthPct: string | null;
  };
  documents: { kind: string; title: string; docNo: string | null; issuedOn: string }[];
  entities: {
    creditCode: string;
    name: string;
    legalEntity: boolean;
    registeredOn: string;
    tags: string[];
  }[];
  monthlyStats: { creditCode: string; month: string; outputYuan: string; onlineRetailYuan: string }[];
  investments: { project: string; amountYuan: string; date: string }[];
  facilities: { kind: string; name: string; buildingAreaM2: string; features: string[] }[];
  supplyChains: { name: string }[];
  pavilions: { platform: string; name: string; url: string | null }[];
  brands: { name: string; kind: string }[];
  products: { name: string; brand: string; online: boolean }[];
  events: { kind: string; date: string; title: string }[];
  mediaChannels: { kind: string; name: string }[];
  trainings: { date: string; title: string; crossBorder: boolean; attendance: number }[];
  people: { role: string; name: string }[];
  complianceIncidents: { date: string; category: string; description: string | null }[];
};

/** A numeric column ("1.5000") as the ledger writes it ("1.5"). */
export const normalizedDecimal = (value: string | null): string | null =>
  value === null ? null : formatExact(parseDecimal(value) ?? { numerator: 0n, denominator: 1n });

/** Shanghai calendar date of a timestamp: the fallback registration date of a pre-ledger entity. */
const shanghaiDate = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

async function loadEtown(executor: Executor, etownCode: string) {
  const [etown] = await executor.select().from(regions).where(eq(regions.code, etownCode));
  if (etown?.level !== 'etown') throw new AppError(404, 'etown_not_found', `e镇 ${etownCode} 不存在`);
  const [county] = etown.parentCode
    ? await executor.select().from(regions).where(eq(regions.code, etown.parentCode))
    : [];
  if (!county) throw new AppError(404, 'county_not_found', `e镇 ${etownCode} 没有所属县`);
  if (!county.tier) {
    throw new AppError(
      409,
      'county_tier_missing',
      `${county.name}（${county.code}）尚未设定县域类别，无法评价`,
    );
  }
  return { etown, county, tier: county.tier };
}

/** Everything the platform holds for one e-town, as the `ezhen-ledger/1` JSON value for `year`. */
export async function exportLedger(executor: Executor, etownCode: string, year: number): Promise<LedgerJson> {
  const { etown, county, tier } = await loadEtown(executor, etownCode);
  const [profile] = await executor.select().from(etownProfiles).where(eq(etownProfiles.code, etownCode));
  const [growth] = county.parentCode
    ? await executor
        .select()
        .from(cityOutputGrowth)
        .where(eq(cityOutputGrowth.cityCode, county.parentCode))
        .then((rows) => rows.filter((row) => row.year === year))
    : [];
  const ordered = (table: { sortOrder: AnyPgColumn; createdAt: AnyPgColumn }) => [
    asc(table.sortOrder),
    asc(table.createdAt),
  ];

  const entityRows = await executor
    .select()
    .from(entities)
    .where(eq(entities.etownCode, etownCode))
    .orderBy(...ordered(entities));
  const tagRows =
    entityRows.length === 0
      ? []
      : await executor
          .select()
          .from(entityTagAssignments)
          .where(
            inArray(
              entityTagAssignments.entityId,
              entityRows.map((row) => row.id),
            ),
          );
  const statRows = await executor
    .select({
      entityId: monthlyStatistics.entityId,
      month: monthlyStatistics.month,
      outputFen: monthlyStatistics.outputFen,
      onlineRetailFen: monthlyStatistics.onlineRetailFen,
    })
    .from(monthlyStatistics)
    .where(eq(monthlyStatistics.etownCode, etownCode));
  const entityIndex = new Map(entityRows.map((row, index) => [row.id, index]));
  statRows.sort(
    (a, b) =>
      (entityIndex.get(a.entityId) ?? 0) - (entityIndex.get(b.entityId) ?? 0) ||
      a.month.localeCompare(b.month),
  );
  const creditCodeOf = new Map(entityRows.map((row) => [row.id, row.creditCode]));

  return {
    format: LEDGER_FORMAT,
    year,
    etown: {
      code: etown.code,
      name: etown.name,
      countyCode: county.code,
      countyTier: tier,
      landAreaKm2: normalizedDecimal(profile?.landAreaKm2 ?? null),
      buildingAreaM2: normalizedDecimal(profile?.buildingAreaM2 ?? null),
      boundary: profile?.boundary ?? null,
      leadingIndustries: profile?.leadingIndustries ?? [],
      cityOutputGrowthPct: normalizedDecimal(growth?.growthPct ?? null),
    },
    documents: (
      await executor
        .select()
        .from(policyDocuments)
        .where(eq(policyDocuments.etownCode, etownCode))
        .orderBy(...ordered(policyDocuments))
    ).map((row) => ({
      kind: row.kind,
      title: row.title,
      docNo: row.docNo,
      issuedOn: row.issuedOn,
    })),
    entities: entityRows.map((row) => ({
      creditCode: row.creditCode,
      name: row.name,
      legalEntity: row.legalEntity,
      registeredOn: row.registeredOn ?? shanghaiDate(row.createdAt),
      tags: entityTags.filter((tag) => tagRows.some((t) => t.entityId === row.id && t.tag === tag)),
    })),
    monthlyStats: statRows.map((row) => ({
      creditCode: creditCodeOf.get(row.entityId) as string,
      month: row.month,
      outputYuan: formatFen(row.outputFen),
      onlineRetailYuan: formatFen(row.onlineRetailFen),
    })),
    investments: (
      await executor
        .select()
        .from(investments)
        .where(eq(investments.etownCode, etownCode))
        .orderBy(...ordered(investments))
    ).map((row) => ({
      project: row.project,
      amountYuan: formatFen(row.amountFen),
      date: row.investedOn,
    })),
    facilities: (
      await executor
        .select()
        .from(facilities)
        .where(eq(facilities.etownCode, etownCode))
        .orderBy(...ordered(facilities))
    ).map((row) => ({
      kind: row.kind,
      name: row.name,
      buildingAreaM2: normalizedDecimal(row.buildingAreaM2) as string,
      features: row.features,
    })),
    supplyChains: (
      await executor
        .select()
        .from(supplyChains)
        .where(eq(supplyChains.etownCode, etownCode))
        .orderBy(...ordered(supplyChains))
    ).map((row) => ({ name: row.name })),
    pavilions: (
      await executor
        .select()
        .from(pavilions)
        .where(eq(pavilions.etownCode, etownCode))
        .orderBy(...ordered(pavilions))
    ).map((row) => ({
      platform: row.platform,
      name: row.name,
      url: row.url,
    })),
    brands: (
      await executor
        .select()
        .from(brands)
        .where(eq(brands.etownCode, etownCode))
        .orderBy(...ordered(brands))
    ).map((row) => ({ name: row.name, kind: row.kind })),
    products: (
      await executor
        .select()
        .from(products)
        .where(eq(products.etownCode, etownCode))
        .orderBy(...ordered(products))
    ).map((row) => ({
      name: row.name,
      brand: row.brandName,
      online: row.online,
    })),
    events: (
      await executor
        .select()
        .from(promotionEvents)
        .where(eq(promotionEvents.etownCode, etownCode))
        .orderBy(...ordered(promotionEvents))
    ).map((row) => ({
      kind: row.kind,
      date: row.heldOn,
      title: row.title,
    })),
    mediaChannels: (
      await executor
        .select()
        .from(mediaChannels)
        .where(eq(mediaChannels.etownCode, etownCode))
        .orderBy(...ordered(mediaChannels))
    ).map((row) => ({
      kind: row.kind,
      name: row.name,
    })),
    trainings: (
      await executor
        .select()
        .from(trainings)
        .where(eq(trainings.etownCode, etownCode))
        .orderBy(...ordered(trainings))
    ).map((row) => ({
      date: row.heldOn,
      title: row.title,
      crossBorder: row.crossBorder,
      attendance: row.attendance,
    })),
    people: (
      await executor
        .select()
        .from(talentPeople)
        .where(eq(talentPeople.etownCode, etownCode))
        .orderBy(...ordered(talentPeople))
    ).map((row) => ({
      role: row.role,
      name: row.name,
    })),
    complianceIncidents: (
      await executor
        .select()
        .from(complianceIncidents)
        .where(eq(complianceIncidents.etownCode, etownCode))
        .orderBy(...ordered(complianceIncidents))
    ).map((row) => ({
      date: row.occurredOn,
      category: row.category,
      description: row.description,
    })),
  };
}
