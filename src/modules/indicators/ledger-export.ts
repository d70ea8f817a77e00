import { and, asc, eq, inArray, isNotNull, ne, not, or, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import { anyOfText } from '../../db/any-of.ts';
import type { Executor } from '../../db/client.ts';
import { brands, mediaChannels, products, promotionEvents } from '../../db/schema/brands.ts';
import { policyDocuments } from '../../db/schema/documents.ts';
import { entities, entityTagAssignments, ledgerEntityTags } from '../../db/schema/entities.ts';
import { pavilions, supplyChains } from '../../db/schema/portal.ts';
import { complianceIncidents, facilities, investments } from '../../db/schema/projects.ts';
import { etownProfiles, leadingGroups, regions } from '../../db/schema/regions.ts';
import { cityOutputGrowth, monthlyEtownTotals, monthlyStatistics } from '../../db/schema/stats.ts';
import { AppError } from '../../http/errors.ts';
import { formatExact, formatFen, parseDecimal } from '../../indicators/exact.ts';
import { type CountyTier, LEDGER_FORMAT } from '../../indicators/ledger-schema.ts';
import { peopleByEtown } from '../talent/people-list.ts';
import { trainingsByEtown } from '../talent/training-list.ts';
import { entityRegisteredOn, exitedBy } from './countable-entities.ts';

/** The `ezhen-ledger/1` JSON value, exactly as a file holds it. */
export type LedgerJson = {
  format: typeof LEDGER_FORMAT;
  year: number;
  etown: {
    code: string;
    name: string;
    countyCode: string;
    countyTier: CountyTier;
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

/** Columns every per-e-town ledger list table has. */
type EtownListTable = PgTable & { etownCode: AnyPgColumn; sortOrder: AnyPgColumn; createdAt: AnyPgColumn };

/** The rows of one ledger list for many e-towns at once, grouped by e-town in their ledger order. */
async function listByEtown<T extends EtownListTable, Item>(
  executor: Executor,
  table: T,
  codes: readonly string[],
  present: (row: T['$inferSelect']) => Item,
  only?: SQL,
): Promise<Map<string, Item[]>> {
  const rows = (await executor
    .select()
    .from(table as PgTable)
    .where(and(anyOfText(table.etownCode, codes), only))
    .orderBy(asc(table.etownCode), asc(table.sortOrder), asc(table.createdAt))) as (T['$inferSelect'] & {
    etownCode: string;
  })[];
  return groupBy(rows, (row) => row.etownCode, present);
}

function groupBy<Row, Item>(
  rows: readonly Row[],
  keyOf: (row: Row) => string,
  present: (row: Row) => Item,
): Map<string, Item[]> {
  const groups = new Map<string, Item[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(present(row));
    else groups.set(key, [present(row)]);
  }
  return groups;
}

/** The lists that are plain rows of one table per e-town, in the ledger's field order. */
async function loadPlainLists(executor: Executor, codes: readonly string[]) {
  return {
    // A leading_group document comes from the leading-group register only (loadLeadingGroupDocuments).
    documents: await listByEtown(
      executor,
      policyDocuments,
      codes,
      (row) => ({
        kind: row.kind,
        title: row.title,
        docNo: row.docNo,
        issuedOn: row.issuedOn,
      }),
      ne(policyDocuments.kind, 'leading_group'),
    ),
    investments: await listByEtown(executor, investments, codes, (row) => ({
      project: row.project,
      amountYuan: formatFen(row.amountFen),
      date: row.investedOn,
    })),
    facilities: await listByEtown(executor, facilities, codes, (row) => ({
      kind: row.kind,
      name: row.name,
      buildingAreaM2: normalizedDecimal(row.buildingAreaM2) as string,
      features: row.features,
    })),
    supplyChains: await listByEtown(executor, supplyChains, codes, (row) => ({ name: row.name })),
    pavilions: await listByEtown(executor, pavilions, codes, (row) => ({
      platform: row.platform,
      name: row.name,
      url: row.url,
    })),
    brands: await listByEtown(executor, brands, codes, (row) => ({ name: row.name, kind: row.kind })),
    products: await listByEtown(executor, products, codes, (row) => ({
      name: row.name,
      brand: row.brandName,
      online: row.online,
    })),
    events: await listByEtown(executor, promotionEvents, codes, (row) => ({
      kind: row.kind,
      date: row.heldOn,
      title: row.title,
    })),
    mediaChannels: await listByEtown(executor, mediaChannels, codes, (row) => ({
      kind: row.kind,
      name: row.name,
    })),
    // Sessions with their attendance counted, and the ledger-imported trainings no session stands for.
    trainings: await trainingsByEtown(executor, codes),
    // People entered on the platform, and the ledger-imported people none of them stands for.
    people: await peopleByEtown(executor, codes),
    complianceIncidents: await listByEtown(executor, complianceIncidents, codes, (row) => ({
      date: row.occurredOn,
      category: row.category,
      description: row.description,
    })),
  } satisfies { [List in keyof LedgerJson]?: Map<string, LedgerJson[List]> };
}

/**
 * #21's `leading_group` documents, from the leading-group register (one source): each group registered
 * for the e-town or its county with a founding date, its 文号 and date as the document's, the e-town's
 * own groups first.
 */
async function loadLeadingGroupDocuments(
  executor: Executor,
  countyOf: ReadonlyMap<string, string>,
): Promise<Map<string, LedgerJson['documents']>> {
  const regionCodes = [...new Set([...countyOf.keys(), ...countyOf.values()])];
  if (regionCodes.length === 0) return new Map();
  const groups = await executor
    .select({
      regionCode: leadingGroups.regionCode,
      name: leadingGroups.name,
      docNo: leadingGroups.docNo,
      establishedOn: leadingGroups.establishedOn,
    })
    .from(leadingGroups)
    .where(and(anyOfText(leadingGroups.regionCode, regionCodes), isNotNull(leadingGroups.establishedOn)))
    .orderBy(asc(leadingGroups.establishedOn), asc(leadingGroups.createdAt));
  const documentOf = (group: (typeof groups)[number]) => ({
    kind: 'leading_group',
    title: group.name,
    docNo: group.docNo,
    issuedOn: group.establishedOn as string,
  });
  return new Map(
    [...countyOf].map(([etownCode, countyCode]) => [
      etownCode,
      [
        ...groups.filter((group) => group.regionCode === etownCode),
        ...groups.filter((group) => group.regionCode === countyCode),
      ].map(documentOf),
    ]),
  );
}

/** Each e-town with its county and tier, or the reason it cannot have a ledger. */
async function loadEtowns(executor: Executor, codes: readonly string[]) {
  const etownRows = await executor
    .select()
    .from(regions)
    .where(and(anyOfText(regions.code, codes), eq(regions.level, 'etown')));
  const countyCodes = [...new Set(etownRows.map((row) => row.parentCode).filter((code) => code !== null))];
  const countyRows =
    countyCodes.length === 0
      ? []
      : await executor.select().from(regions).where(anyOfText(regions.code, countyCodes));
  const countyOf = new Map(countyRows.map((row) => [row.code, row]));
  const etownOf = new Map(etownRows.map((row) => [row.code, row]));
  type Region = (typeof etownRows)[number];
  type Loaded = { etown: Region; county: Region; tier: NonNullable<Region['tier']> };
  return new Map<string, Loaded | AppError>(
    codes.map((code): [string, Loaded | AppError] => {
      const etown = etownOf.get(code);
      if (!etown) return [code, new AppError(404, 'etown_not_found', `e镇 ${code} 不存在`)];
      const county = etown.parentCode ? countyOf.get(etown.parentCode) : undefined;
      if (!county) return [code, new AppError(404, 'county_not_found', `e镇 ${code} 没有所属县`)];
      if (!county.tier) {
        return [
          code,
          new AppError(
            409,
            'county_tier_missing',
            `${county.name}（${county.code}）尚未设定县域类别，无法评价`,
          ),
        ];
      }
      return [code, { etown, county, tier: county.tier }];
    }),
  );
}

type EntityJson = LedgerJson['entities'][number] & { id: string };

/**
 * The canonical tag order of a ledger file, as an SQL array for `array_position`; tags the format does
 * not have (培训机构) are left out of the file.
 */
const tagOrder = sql.raw(`array[${ledgerEntityTags.map((tag) => `'${tag}'`).join(', ')}]::text[]`);

/**
 * Entities with their tags, per e-town in ledger order. Each e-town's list is built as JSON in the
 * database (one row per e-town instead of one per entity, decoded natively here).
 */
async function loadEntities(
  executor: Executor,
  codes: readonly string[],
  only: SQL | undefined,
  year: number,
) {
  // An entity that exited by the year's end stays listed only to carry its monthly figures: named with
  // its exit, no tags and not a legal entity of the e-town, so no tag or registration condition counts it.
  const exited = exitedBy(`${year}-12-31`);
  const entityJson = sql`json_build_object(
    'id', ${entities.id},
    'creditCode', ${entities.creditCode},
    'name', case when ${exited} then ${entities.name} || '（' || coalesce(${entities.exitedOn}::text || ' ', '') || '已退出）' else ${entities.name} end,
    'legalEntity', ${entities.legalEntity} and not ${exited},
    'registeredOn', ${entityRegisteredOn},
    'tags', case when ${exited} then '[]'::json else coalesce(
      (select json_agg(${entityTagAssignments.tag} order by array_position(${tagOrder}, ${entityTagAssignments.tag}))
       from ${entityTagAssignments}
       where ${entityTagAssignments.entityId} = ${entities.id} and ${entityTagAssignments.tag} = any(${tagOrder})),
      '[]'::json) end)`;
  const lists = await executor
    .select({
      etownCode: entities.etownCode,
      entities: sql<
        EntityJson[]
      >`json_agg(${entityJson} order by ${entities.sortOrder}, ${entities.createdAt})`,
    })
    .from(entities)
    .where(
      and(
        anyOfText(entities.etownCode, codes),
        // Each e-town's entity with the lowest credit code always stays: it carries the year totals.
        only &&
          or(
            and(not(exited), only),
            inArray(
              entities.creditCode,
              executor
                .select({ creditCode: sql<string>`min(${entities.creditCode})` })
                .from(entities)
                .where(anyOfText(entities.etownCode, codes))
                .groupBy(entities.etownCode),
            ),
          ),
      ),
    )
    .groupBy(entities.etownCode)
    .orderBy(asc(entities.etownCode));
  return {
    rows: lists.flatMap((list) =>
      list.entities.map(({ id, creditCode }) => ({ id, creditCode, etownCode: list.etownCode })),
    ),
    byEtown: new Map(
      lists.map((list) => [list.etownCode, list.entities.map(({ id: _id, ...entity }) => entity)]),
    ),
  };
}

/**
 * Only approved monthly figures belong to a ledger: drafts, submissions awaiting review and returned
 * figures are the enterprise's and the county's work in progress, not data an evaluation may use.
 *
 * How monthly figures come out: `rows` is every entity's row, as a ledger file holds them;
 * `monthTotals` is one row per month, summed in SQL over the e-town's entities and credited to its entity
 * with the lowest credit code — the engine reads monthly figures only as sums per month (a running year
 * compares the same months of two years), so the evaluation is the same and thousands of rows per
 * e-town never leave the database. Only for ledgers built to be evaluated, never for files.
 */
export type MonthlyDetail = 'rows' | 'monthTotals';

/** A monthly row counts up to its entity's exit: months after the exit month are left out. */
const beforeExit = sql`not exists (select 1 from ${entities} where ${entities.id} = ${monthlyStatistics.entityId}
  and ${entities.status} = 'exited' and ${monthlyStatistics.month} > to_char(${entities.exitedOn}, 'YYYY-MM'))`;

type EntityKey = { id: string; creditCode: string; etownCode: string };

/**
 * Approved figures per e-town and month, up to each entity's exit: the roll-up the triggers keep (migration
 * 0019) less the few rows of exited entities dated after their exit month — a few sums instead of every row.
 */
async function monthTotalsBeforeExit(executor: Executor, codes: readonly string[]) {
  const afterExit = executor
    .select({
      etownCode: monthlyStatistics.etownCode,
      month: monthlyStatistics.month,
      rows: sql<number>`count(*)::int`.as('exited_rows'),
      outputFen: sql<string>`sum(${monthlyStatistics.outputFen})`.as('exited_output_fen'),
      onlineRetailFen: sql<string>`sum(${monthlyStatistics.onlineRetailFen})`.as('exited_online_retail_fen'),
    })
    .from(monthlyStatistics)
    .innerJoin(entities, eq(entities.id, monthlyStatistics.entityId))
    .where(
      and(
        anyOfText(monthlyStatistics.etownCode, codes),
        eq(monthlyStatistics.status, 'approved'),
        eq(entities.status, 'exited'),
        sql`${monthlyStatistics.month} > to_char(${entities.exitedOn}, 'YYYY-MM')`,
      ),
    )
    .groupBy(monthlyStatistics.etownCode, monthlyStatistics.month)
    .as('after_exit');
  return executor
    .select({
      etownCode: monthlyEtownTotals.etownCode,
      month: monthlyEtownTotals.month,
      outputFen: sql<string>`(${monthlyEtownTotals.outputFen} - coalesce(${afterExit.outputFen}, 0))::text`,
      onlineRetailFen: sql<string>`(${monthlyEtownTotals.onlineRetailFen} - coalesce(${afterExit.onlineRetailFen}, 0))::text`,
    })
    .from(monthlyEtownTotals)
    .leftJoin(
      afterExit,
      and(
        eq(afterExit.etownCode, monthlyEtownTotals.etownCode),
        eq(afterExit.month, monthlyEtownTotals.month),
      ),
    )
    .where(
      and(
        anyOfText(monthlyEtownTotals.etownCode, codes),
        sql`${monthlyEtownTotals.rows} - coalesce(${afterExit.rows}, 0) > 0`,
      ),
    )
    .orderBy(asc(monthlyEtownTotals.etownCode), asc(monthlyEtownTotals.month));
}

async function loadMonthlyStats(
  executor: Executor,
  codes: readonly string[],
  detail: MonthlyDetail,
): Promise<(entityRows: readonly EntityKey[]) => Map<string, LedgerJson['monthlyStats']>> {
  if (detail === 'rows') {
    const rows = await executor
      .select({
        etownCode: monthlyStatistics.etownCode,
        entityId: monthlyStatistics.entityId,
        month: monthlyStatistics.month,
        outputFen: monthlyStatistics.outputFen,
        onlineRetailFen: monthlyStatistics.onlineRetailFen,
      })
      .from(monthlyStatistics)
      .where(
        and(
          anyOfText(monthlyStatistics.etownCode, codes),
          eq(monthlyStatistics.status, 'approved'),
          beforeExit,
        ),
      );
    return (entityRows) => {
      const entityIndex = new Map(entityRows.map((row, index) => [row.id, index]));
      const creditCodeOf = new Map(entityRows.map((row) => [row.id, row.creditCode]));
      rows.sort(
        (a, b) =>
          (entityIndex.get(a.entityId) ?? 0) - (entityIndex.get(b.entityId) ?? 0) ||
          a.month.localeCompare(b.month),
      );
      return groupBy(
        rows,
        (row) => row.etownCode,
        (row) => ({
          creditCode: creditCodeOf.get(row.entityId) ?? '',
          month: row.month,
          outputYuan: formatFen(row.outputFen),
          onlineRetailYuan: formatFen(row.onlineRetailFen),
        }),
      );
    };
  }
  const totals = await monthTotalsBeforeExit(executor, codes);
  return (entityRows) => {
    const anchorOf = new Map<string, string>();
    for (const row of entityRows) {
      const anchor = anchorOf.get(row.etownCode);
      if (anchor === undefined || row.creditCode < anchor) anchorOf.set(row.etownCode, row.creditCode);
    }
    return groupBy(
      totals,
      (row) => row.etownCode,
      (row) => ({
        creditCode: anchorOf.get(row.etownCode) ?? '',
        month: row.month,
        outputYuan: formatFen(BigInt(row.outputFen)),
        onlineRetailYuan: formatFen(BigInt(row.onlineRetailFen)),
      }),
    );
  };
}

/**
 * The `ezhen-ledger/1` JSON values of many e-towns for `year`, each list read once for all of them
 * (a fixed number of queries however many e-towns). An e-town that cannot have a ledger (unknown, no
 * county, county tier not set) gets its error instead.
 */
export async function exportLedgers(
  executor: Executor,
  etownCodes: readonly string[],
  year: number,
  options: {
    monthly?: MonthlyDetail;
    /** Only these entities (and each e-town's lowest credit code): see countableEntitiesCondition. */
    entities?: SQL;
  } = {},
): Promise<Map<string, LedgerJson | AppError>> {
  const codes = [...new Set(etownCodes)];
  if (codes.length === 0) return new Map();
  const etownInfo = await loadEtowns(executor, codes);
  const profileOf = new Map(
    (await executor.select().from(etownProfiles).where(anyOfText(etownProfiles.code, codes))).map((row) => [
      row.code,
      row,
    ]),
  );
  const cityCodes = [
    ...new Set(
      [...etownInfo.values()].flatMap((info) =>
        info instanceof AppError || !info.county.parentCode ? [] : [info.county.parentCode],
      ),
    ),
  ];
  // On PostgreSQL these run on several pooled connections at once (the monthly aggregate in the server
  // while rows of the others are decoded here); on PGlite or in a transaction they simply queue.
  const [growthRows, entityLists, presentMonthly, lists] = await Promise.all([
    cityCodes.length === 0
      ? []
      : executor
          .select()
          .from(cityOutputGrowth)
          .where(and(anyOfText(cityOutputGrowth.cityCode, cityCodes), eq(cityOutputGrowth.year, year))),
    loadEntities(executor, codes, options.entities, year),
    loadMonthlyStats(executor, codes, options.monthly ?? 'rows'),
    loadPlainLists(executor, codes),
  ]);
  const monthly = presentMonthly(entityLists.rows);
  const leadingGroupDocuments = await loadLeadingGroupDocuments(
    executor,
    new Map(
      [...etownInfo].flatMap(([code, info]) => (info instanceof AppError ? [] : [[code, info.county.code]])),
    ),
  );
  const growthOf = new Map(growthRows.map((row) => [row.cityCode, row.growthPct]));

  return new Map(
    codes.map((code): [string, LedgerJson | AppError] => {
      const info = etownInfo.get(code);
      if (!info || info instanceof AppError)
        return [code, info ?? new AppError(404, 'etown_not_found', code)];
      const { etown, county, tier } = info;
      const profile = profileOf.get(code);
      return [
        code,
        {
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
            cityOutputGrowthPct: normalizedDecimal(
              (county.parentCode && growthOf.get(county.parentCode)) || null,
            ),
          },
          documents: [...(lists.documents.get(code) ?? []), ...(leadingGroupDocuments.get(code) ?? [])],
          entities: entityLists.byEtown.get(code) ?? [],
          monthlyStats: monthly.get(code) ?? [],
          investments: lists.investments.get(code) ?? [],
          facilities: lists.facilities.get(code) ?? [],
          supplyChains: lists.supplyChains.get(code) ?? [],
          pavilions: lists.pavilions.get(code) ?? [],
          brands: lists.brands.get(code) ?? [],
          products: lists.products.get(code) ?? [],
          events: lists.events.get(code) ?? [],
          mediaChannels: lists.mediaChannels.get(code) ?? [],
          trainings: lists.trainings.get(code) ?? [],
          people: lists.people.get(code) ?? [],
          complianceIncidents: lists.complianceIncidents.get(code) ?? [],
        },
      ];
    }),
  );
}

/** Everything the platform holds for one e-town, as the `ezhen-ledger/1` JSON value for `year`. */
export async function exportLedger(executor: Executor, etownCode: string, year: number): Promise<LedgerJson> {
  const ledger = (await exportLedgers(executor, [etownCode], year)).get(etownCode);
  if (!ledger || ledger instanceof AppError) throw ledger ?? new AppError(404, 'etown_not_found', etownCode);
  return ledger;
}
