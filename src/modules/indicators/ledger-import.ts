import { and, asc, eq, inArray, ne, notInArray, type SQL, sql } from 'drizzle-orm';
import type { Transaction } from '../../db/client.ts';
import { users } from '../../db/schema/accounts.ts';
import { brands, mediaChannels, products, promotionEvents } from '../../db/schema/brands.ts';
import { policyDocuments } from '../../db/schema/documents.ts';
import {
  entities,
  entityTagAssignments,
  type LedgerEntityTag,
  ledgerEntityTags,
} from '../../db/schema/entities.ts';
import { entityTagEvents, entryApplications } from '../../db/schema/entity-registry.ts';
import { pavilions, supplyChains } from '../../db/schema/portal.ts';
import { complianceIncidents, facilities, investments } from '../../db/schema/projects.ts';
import { etownProfiles, regions } from '../../db/schema/regions.ts';
import { cityOutputGrowth, monthlyStatistics } from '../../db/schema/stats.ts';
import { talentPeople, trainings } from '../../db/schema/talent.ts';
import { brandAuthorizations, productBatches } from '../../db/schema/traceability.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError } from '../../http/errors.ts';
import { formatExact, formatFen, type Rational } from '../../indicators/exact.ts';
import type { Ledger, LedgerProblem } from '../../indicators/ledger-schema.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import type { AuditActor } from '../../modules/audit/audit.service.ts';
import { recordAudit } from '../../modules/audit/audit.service.ts';
import { boundaryAreaKm2 } from '../regions/regions.service.ts';
import { exportLedger } from './ledger-export.ts';
import { type RefusedItem, refusedChanges } from './ledger-import-refusals.ts';

/** A ledger the platform refuses to import; nothing was written. */
export class LedgerImportError extends AppError {
  constructor(readonly problems: LedgerProblem[]) {
    super(
      422,
      'ledger_rejected',
      `台账不能导入：\n${problems.map((problem) => `  ${problem.path}: ${problem.message}`).join('\n')}`,
      problems,
    );
  }
}

export type LedgerImportSummary = {
  etownCode: string;
  year: number;
  /** Rows of each list in the file. */
  counts: Record<string, number>;
  /**
   * What the file asks to change in records another role reviews (registry entities and tags, approved
   * monthly figures, compliance incidents, the leading-group document, the city's growth rate): not
   * written, item by item with the reason. Empty for a file exported from the platform.
   */
  refused: RefusedItem[];
  /** Entities with enterprise accounts that the ledger does not list: kept, not deleted. */
  keptEntities: string[];
  /** Brands (with authorizations or own brands under them) and products (with batches) the ledger omits: kept. */
  keptBrands: string[];
  keptProducts: string[];
  /** Investments and facilities linked to a platform project that the ledger omits: kept. */
  keptInvestments: string[];
  keptFacilities: string[];
};

/** The steps of an import's single transaction, in order. */
export const ledgerImportSteps = ['lists', 'entities', 'profile'] as const;
export type LedgerImportStep = (typeof ledgerImportSteps)[number];

/** The audit record keeps this many refused items (the count always; the receipt has them all). */
const MAX_AUDITED_REFUSALS = 500;

const decimal = (value: Rational | null) => (value === null ? null : formatExact(value));

const withOrder = <T>(rows: T[], etownCode: string) =>
  rows.map((row, sortOrder) => ({ ...row, etownCode, sortOrder }));

async function insertAll<T>(rows: T[], insert: (rows: T[]) => Promise<unknown>) {
  // A ledger may hold thousands of monthly rows; stay well under the bind-parameter limit.
  for (let start = 0; start < rows.length; start += 1000) await insert(rows.slice(start, start + 1000));
}

/**
 * A person's ledger import (web upload, `ezhen ledger import`): writes the e-town's own ledger lists
 * (documents other than the leading group's, investments, facilities, brands, products, supply chains,
 * pavilions, events, media channels, trainings, people) and the e-town profile's areas, boundary and
 * leading industries, in one transaction audited once. It never writes what another role reviews —
 * registry entities and tags, monthly figures, compliance incidents, the leading-group register, the
 * city's growth rate — and lists each change the file asks for there in `refused`. The county tier
 * and the e-town's name stay the platform's own.
 */
export function importLedger(
  context: AppContext,
  actor: AuditActor,
  ledger: Ledger,
  etownCode: string,
  options: {
    /** Hears each step of the write, for a job's progress. */
    onStep?: (step: LedgerImportStep) => void;
    /** Runs last inside the import's transaction (a job records its outcome with the data). */
    beforeCommit?: (tx: Transaction, summary: LedgerImportSummary) => Promise<void>;
  } = {},
): Promise<LedgerImportSummary> {
  return writeLedger(context, actor, ledger, etownCode, 'import', options);
}

/**
 * The demo seed's (and test fixtures') way in: writes the ledger like an import and also the registry
 * entities with their tags, approved monthly figures and compliance incidents, as if their owners had
 * entered them. No route or command reaches it.
 */
export function seedEtownLedger(
  context: AppContext,
  actor: AuditActor,
  ledger: Ledger,
  etownCode: string,
): Promise<LedgerImportSummary> {
  return writeLedger(context, actor, ledger, etownCode, 'seed');
}

async function writeLedger(
  context: AppContext,
  actor: AuditActor,
  ledger: Ledger,
  etownCode: string,
  mode: 'import' | 'seed',
  { onStep, beforeCommit }: Parameters<typeof importLedger>[4] = {},
): Promise<LedgerImportSummary> {
  if (ledger.etown.code !== etownCode) {
    throw new LedgerImportError([
      {
        path: 'etown.code',
        message: `台账属于 e镇 ${ledger.etown.code}，不能导入到 ${etownCode}`,
        code: 'etown_code_mismatch',
      },
    ]);
  }
  return context.database.db.transaction(async (tx) => {
    const [etown] = await tx.select().from(regions).where(eq(regions.code, etownCode));
    if (etown?.level !== 'etown') throw new AppError(404, 'etown_not_found', `e镇 ${etownCode} 不存在`);
    const [county] = await tx
      .select()
      .from(regions)
      .where(eq(regions.code, etown.parentCode ?? ''));
    if (!county || county.code !== ledger.etown.countyCode) {
      throw new LedgerImportError([
        {
          path: 'etown.countyCode',
          message: `e镇 ${etownCode} 属于县 ${county?.code ?? '（无）'}，台账写的是 ${ledger.etown.countyCode}`,
          code: 'county_mismatch',
        },
      ]);
    }
    const creditCodes = ledger.entities.map((entity) => entity.creditCode);
    const elsewhere =
      creditCodes.length === 0
        ? []
        : await tx
            .select({ creditCode: entities.creditCode, etownCode: entities.etownCode })
            .from(entities)
            .where(inArray(entities.creditCode, creditCodes));
    const inOtherEtowns = elsewhere.filter((row) => row.etownCode !== etownCode);
    const problems = inOtherEtowns.map((row) => ({
      path: `entities[${creditCodes.indexOf(row.creditCode)}].creditCode`,
      message: `市场主体 ${row.creditCode} 已登记在 e镇 ${row.etownCode}，不能同时属于 ${etownCode}`,
      code: 'entity_in_other_etown',
    }));
    if (mode === 'seed' && problems.length > 0) throw new LedgerImportError(problems);
    // Compared before anything is written: the platform's own ledger of the file's year.
    const refused =
      mode === 'import'
        ? refusedChanges(
            ledger,
            await exportLedger(tx, etownCode, ledger.year),
            new Map(inOtherEtowns.map((row) => [row.creditCode, row.etownCode])),
          )
        : [];

    onStep?.('lists');
    await replaceLists(tx, ledger, etownCode, mode);
    const { keptInvestments, keptFacilities } = await mergePlatformLists(tx, ledger, etownCode, mode);
    const { keptBrands, keptProducts } = await mergeBrandsAndProducts(tx, ledger, etownCode);
    onStep?.('entities');
    const keptEntities = mode === 'seed' ? await replaceEntities(tx, ledger, etownCode, actor) : [];
    onStep?.('profile');
    const previousProfile = await replaceProfile(
      tx,
      ledger,
      etownCode,
      mode === 'seed' ? county.parentCode : null,
    );

    const counts = {
      documents: ledger.documents.length,
      entities: ledger.entities.length,
      monthlyStats: ledger.monthlyStats.length,
      investments: ledger.investments.length,
      facilities: ledger.facilities.length,
      supplyChains: ledger.supplyChains.length,
      pavilions: ledger.pavilions.length,
      brands: ledger.brands.length,
      products: ledger.products.length,
      events: ledger.events.length,
      mediaChannels: ledger.mediaChannels.length,
      trainings: ledger.trainings.length,
      people: ledger.people.length,
      complianceIncidents: ledger.complianceIncidents.length,
    };
    await recordAudit(tx, actor, {
      action: 'ledger.import',
      targetType: 'etown',
      targetId: etownCode,
      diff: {
        year: ledger.year,
        mode,
        counts,
        refusedCount: refused.length,
        refused: refused.slice(0, MAX_AUDITED_REFUSALS),
        keptEntities,
        keptBrands,
        keptProducts,
        keptInvestments,
        keptFacilities,
        previousProfile,
      },
    });
    const summary = {
      etownCode,
      year: ledger.year,
      counts,
      refused,
      keptEntities,
      keptBrands,
      keptProducts,
      keptInvestments,
      keptFacilities,
    };
    await beforeCommit?.(tx, summary);
    return summary;
  });
}

async function replaceLists(tx: Transaction, ledger: Ledger, etownCode: string, mode: 'import' | 'seed') {
  const tables = [supplyChains, pavilions, promotionEvents, mediaChannels, trainings, talentPeople] as const;
  for (const table of tables) await tx.delete(table).where(eq(table.etownCode, etownCode));
  // Seeding writes the ledger's approved monthly figures (replaceEntities); an import never touches them.
  if (mode === 'seed') {
    await tx
      .delete(monthlyStatistics)
      .where(and(eq(monthlyStatistics.etownCode, etownCode), eq(monthlyStatistics.status, 'approved')));
  }

  const code = etownCode;
  const insertInto = async <T extends Record<string, unknown>>(table: (typeof tables)[number], rows: T[]) => {
    await insertAll(rows, (chunk) => tx.insert(table).values(chunk as never));
  };
  await insertInto(supplyChains, withOrder(ledger.supplyChains, code));
  await insertInto(pavilions, withOrder(ledger.pavilions, code));
  await insertInto(
    promotionEvents,
    withOrder(
      ledger.events.map((row) => ({ kind: row.kind, heldOn: row.date, title: row.title })),
      code,
    ),
  );
  await insertInto(mediaChannels, withOrder(ledger.mediaChannels, code));
  await insertInto(
    trainings,
    withOrder(
      ledger.trainings.map((row) => ({
        heldOn: row.date,
        title: row.title,
        crossBorder: row.crossBorder,
        attendance: row.attendance,
      })),
      code,
    ),
  );
  await insertInto(talentPeople, withOrder(ledger.people, code));
}

type MergeableTable =
  | typeof policyDocuments
  | typeof investments
  | typeof facilities
  | typeof complianceIncidents;

/**
 * Merges one ledger list into the e-town's rows by a natural key: a matched row takes the ledger's fields
 * and order and keeps its id and platform fields (files, photos, project links, handling); the ledger's
 * other rows are inserted; unmatched rows go unless `keep` holds for them, and the kept ones are placed
 * after the ledger's rows and returned.
 */
async function mergeByKey<Row extends { id: string; sortOrder: number; createdAt: Date }>(
  tx: Transaction,
  table: MergeableTable,
  etownCode: string,
  incoming: Record<string, unknown>[],
  keyOf: (row: Record<string, unknown>) => string,
  keep: (row: Row) => boolean = () => false,
  /** Only these of the e-town's rows take part (the others are neither matched nor removed). */
  only?: SQL,
): Promise<Row[]> {
  const previous = (await tx
    .select()
    .from(table)
    .where(and(eq(table.etownCode, etownCode), only))
    .orderBy(asc(table.sortOrder), asc(table.createdAt))) as unknown as Row[];
  const unmatched = new Map<string, Row[]>();
  for (const row of previous) {
    const key = keyOf(row as unknown as Record<string, unknown>);
    unmatched.set(key, [...(unmatched.get(key) ?? []), row]);
  }
  const inserts: Record<string, unknown>[] = [];
  for (const [sortOrder, values] of incoming.entries()) {
    const matched = unmatched.get(keyOf(values))?.shift();
    if (matched) {
      const versioned =
        'version' in matched ? { version: (matched.version as number) + 1, updatedAt: new Date() } : {};
      await tx
        .update(table)
        .set({ ...values, ...versioned, sortOrder } as never)
        .where(eq(table.id, matched.id));
    } else {
      inserts.push({ ...values, etownCode, sortOrder });
    }
  }
  await insertAll(inserts, (chunk) => tx.insert(table).values(chunk as never));
  const rest = [...unmatched.values()].flat().sort((a, b) => a.sortOrder - b.sortOrder);
  const kept = rest.filter(keep);
  const removable = rest.filter((row) => !keep(row)).map((row) => row.id);
  for (let start = 0; start < removable.length; start += 1000) {
    await tx.delete(table).where(inArray(table.id, removable.slice(start, start + 1000)));
  }
  for (const [index, row] of kept.entries()) {
    await tx
      .update(table)
      .set({ sortOrder: incoming.length + index })
      .where(eq(table.id, row.id));
  }
  return kept;
}

/**
 * Documents, investments, facilities and compliance incidents carry platform data the ledger does not
 * (files, issuers, photos, project links, handling), so they are merged by natural key, not replaced.
 * Investments and facilities that a platform project records stay even when the ledger omits them.
 * The leading-group document is the register's (never written here), and incidents are the county's:
 * only seeding writes them.
 */
async function mergePlatformLists(
  tx: Transaction,
  ledger: Ledger,
  etownCode: string,
  mode: 'import' | 'seed',
) {
  const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
  await mergeByKey(
    tx,
    policyDocuments,
    etownCode,
    ledger.documents.filter((row) => row.kind !== 'leading_group').map((row) => ({ ...row })),
    (row) => JSON.stringify([row.kind, row.title, text(row.docNo)]),
    () => false,
    ne(policyDocuments.kind, 'leading_group'),
  );
  const keptInvestments = await mergeByKey<typeof investments.$inferSelect>(
    tx,
    investments,
    etownCode,
    ledger.investments.map((row) => ({
      project: row.project,
      amountFen: row.amountFen,
      investedOn: row.date,
    })),
    (row) => JSON.stringify([row.project, text(row.amountFen), row.investedOn]),
    (row) => row.projectId !== null,
  );
  const keptFacilities = await mergeByKey<typeof facilities.$inferSelect>(
    tx,
    facilities,
    etownCode,
    ledger.facilities.map((row) => ({
      kind: row.kind,
      name: row.name,
      buildingAreaM2: decimal(row.buildingAreaM2),
      features: row.features,
    })),
    (row) => JSON.stringify([row.kind, row.name]),
    (row) => row.projectId !== null,
  );
  if (mode === 'seed') {
    await mergeByKey(
      tx,
      complianceIncidents,
      etownCode,
      ledger.complianceIncidents.map((row) => ({
        occurredOn: row.date,
        category: row.category,
        description: row.description,
      })),
      (row) => JSON.stringify([row.occurredOn, row.category, text(row.description)]),
    );
  }
  return {
    keptInvestments: keptInvestments.map(
      (row) => `${row.project}（${formatFen(row.amountFen)} 元，${row.investedOn}）`,
    ),
    keptFacilities: keptFacilities.map((row) => row.name),
  };
}

/**
 * Brands and products carry platform data (authorizations, batches and so trace codes), so they are merged,
 * not replaced: a brand is matched by name and kind, a product by name. Matched rows take the ledger's
 * fields and order, new ones are inserted (linked to the e-town's brand of that name), and the others go
 * only when nothing refers to them; the rest are kept after the ledger's rows and reported.
 */
async function mergeBrandsAndProducts(tx: Transaction, ledger: Ledger, etownCode: string) {
  const previousBrands = await tx
    .select()
    .from(brands)
    .where(eq(brands.etownCode, etownCode))
    .orderBy(asc(brands.sortOrder), asc(brands.createdAt));
  const unmatchedBrands = [...previousBrands];
  const brandIdByName = new Map<string, string>();
  for (const [sortOrder, brand] of ledger.brands.entries()) {
    const index = unmatchedBrands.findIndex((row) => row.name === brand.name && row.kind === brand.kind);
    const [matched] = index >= 0 ? unmatchedBrands.splice(index, 1) : [];
    let id = matched?.id;
    if (matched) {
      if (matched.sortOrder !== sortOrder)
        await tx.update(brands).set({ sortOrder }).where(eq(brands.id, matched.id));
    } else {
      const [row] = await tx
        .insert(brands)
        .values({ etownCode, name: brand.name, kind: brand.kind, sortOrder })
        .returning({ id: brands.id });
      id = row?.id;
    }
    if (id && !brandIdByName.has(brand.name)) brandIdByName.set(brand.name, id);
  }

  const previousProducts = await tx
    .select()
    .from(products)
    .where(eq(products.etownCode, etownCode))
    .orderBy(asc(products.sortOrder), asc(products.createdAt));
  const unmatchedProducts = [...previousProducts];
  for (const [sortOrder, product] of ledger.products.entries()) {
    const index = unmatchedProducts.findIndex((row) => row.name === product.name);
    const [matched] = index >= 0 ? unmatchedProducts.splice(index, 1) : [];
    const linkedBrandId = brandIdByName.get(product.brand) ?? null;
    if (matched) {
      // A product keeps its brand link while the ledger names the same brand.
      const brandId =
        matched.brandName === product.brand && matched.brandId ? matched.brandId : linkedBrandId;
      await tx
        .update(products)
        .set({ brandName: product.brand, online: product.online, brandId, sortOrder })
        .where(eq(products.id, matched.id));
    } else {
      await tx.insert(products).values({
        etownCode,
        name: product.name,
        brandName: product.brand,
        online: product.online,
        brandId: linkedBrandId,
        sortOrder,
      });
    }
  }

  const productsWithBatches = new Set(
    unmatchedProducts.length === 0
      ? []
      : (
          await tx
            .selectDistinct({ productId: productBatches.productId })
            .from(productBatches)
            .where(
              inArray(
                productBatches.productId,
                unmatchedProducts.map((row) => row.id),
              ),
            )
        ).map((row) => row.productId),
  );
  const keptProducts = unmatchedProducts.filter((row) => productsWithBatches.has(row.id));
  const removableProducts = unmatchedProducts.filter((row) => !productsWithBatches.has(row.id));
  if (removableProducts.length > 0) {
    await tx.delete(products).where(
      inArray(
        products.id,
        removableProducts.map((row) => row.id),
      ),
    );
  }

  const unmatchedBrandIds = unmatchedBrands.map((row) => row.id);
  // In use: authorized, or the brand of a product with batches or of another e-town's product.
  const inUse = new Set(
    unmatchedBrandIds.length === 0
      ? []
      : [
          ...(
            await tx
              .selectDistinct({ brandId: brandAuthorizations.brandId })
              .from(brandAuthorizations)
              .where(inArray(brandAuthorizations.brandId, unmatchedBrandIds))
          ).map((row) => row.brandId),
          ...(
            await tx
              .selectDistinct({ brandId: products.brandId })
              .from(products)
              .where(
                and(
                  inArray(products.brandId, unmatchedBrandIds),
                  sql`(${products.etownCode} <> ${etownCode} or exists (select 1 from ${productBatches} where ${productBatches.productId} = ${products.id}))`,
                ),
              )
          ).map((row) => row.brandId),
        ],
  );
  const removable = new Set(unmatchedBrandIds.filter((id) => !inUse.has(id)));
  // A brand with a surviving own brand under it stays; repeat, as keeping a child may keep its parent.
  for (let changed = true; changed && removable.size > 0; ) {
    changed = false;
    const children = await tx
      .select({ id: brands.id, parentBrandId: brands.parentBrandId })
      .from(brands)
      .where(inArray(brands.parentBrandId, [...removable]));
    for (const child of children) {
      if (!removable.has(child.id) && child.parentBrandId && removable.delete(child.parentBrandId))
        changed = true;
    }
  }
  if (removable.size > 0) {
    // The e-town's products keep the brand's name; only the link to the removed row goes.
    await tx
      .update(products)
      .set({ brandId: null })
      .where(inArray(products.brandId, [...removable]));
    await tx.delete(brands).where(inArray(brands.id, [...removable]));
  }
  const keptBrands = unmatchedBrands.filter((row) => !removable.has(row.id));

  // Kept rows go after the ledger's, in their previous order.
  for (const [index, row] of keptBrands.entries()) {
    await tx
      .update(brands)
      .set({ sortOrder: ledger.brands.length + index })
      .where(eq(brands.id, row.id));
  }
  for (const [index, row] of keptProducts.entries()) {
    await tx
      .update(products)
      .set({ sortOrder: ledger.products.length + index })
      .where(eq(products.id, row.id));
  }
  return { keptBrands: keptBrands.map((row) => row.name), keptProducts: keptProducts.map((row) => row.name) };
}

/**
 * Upserts the ledger's entities by credit code; the e-town's others go, unless something still refers
 * to one (an enterprise account, an entry application, a product, a brand or a brand authorization).
 * Tags follow the file — only the format's tags: 培训机构 is the registry's own — and every tag given or
 * taken away is written to the tag history with the reason 台账导入.
 */
async function replaceEntities(
  tx: Transaction,
  ledger: Ledger,
  etownCode: string,
  actor: AuditActor,
): Promise<string[]> {
  const creditCodes = ledger.entities.map((entity) => entity.creditCode);
  const others = await tx
    .select({ id: entities.id, creditCode: entities.creditCode })
    .from(entities)
    .where(
      creditCodes.length === 0
        ? eq(entities.etownCode, etownCode)
        : and(eq(entities.etownCode, etownCode), notInArray(entities.creditCode, creditCodes)),
    );
  const referenced = await referencedEntityIds(
    tx,
    others.map((row) => row.id),
  );
  const removable = others.filter((row) => !referenced.has(row.id)).map((row) => row.id);
  if (removable.length > 0) await tx.delete(entities).where(inArray(entities.id, removable));
  const kept = others.filter((row) => referenced.has(row.id));
  const wantedTags = new Map<string, ReadonlySet<string>>();
  // Kept entities go after the ledger's, in their previous order, without the format's tags.
  for (const [index, row] of kept.entries()) {
    await tx
      .update(entities)
      .set({ sortOrder: ledger.entities.length + index })
      .where(eq(entities.id, row.id));
    wantedTags.set(row.id, new Set());
  }

  const idOf = new Map<string, string>();
  for (const [sortOrder, entity] of ledger.entities.entries()) {
    const values = {
      creditCode: entity.creditCode,
      name: entity.name,
      etownCode,
      legalEntity: entity.legalEntity,
      registeredOn: entity.registeredOn,
      sortOrder,
    };
    const [row] = await tx
      .insert(entities)
      .values(values)
      .onConflictDoUpdate({ target: entities.creditCode, set: values })
      .returning({ id: entities.id });
    const id = row?.id as string;
    idOf.set(entity.creditCode, id);
    wantedTags.set(id, new Set(entity.tags));
  }
  await syncLedgerTags(tx, wantedTags, actor);
  await insertAll(
    ledger.monthlyStats.map((row) => ({
      etownCode,
      entityId: idOf.get(row.creditCode) as string,
      month: row.month,
      outputFen: row.outputFen,
      onlineRetailFen: row.onlineRetailFen,
    })),
    (chunk) =>
      tx
        .insert(monthlyStatistics)
        .values(chunk)
        .onConflictDoUpdate({
          target: [monthlyStatistics.entityId, monthlyStatistics.month],
          set: {
            outputFen: sql`excluded.output_fen`,
            onlineRetailFen: sql`excluded.online_retail_fen`,
            status: 'approved',
            source: 'ledger',
            updatedAt: new Date(),
          },
        }),
  );
  return kept.map((row) => row.creditCode);
}

/** Of these entities, the ones something else in the platform refers to (they cannot simply go). */
async function referencedEntityIds(tx: Transaction, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const result = (await tx.execute(sql`
    select ${entities.id} as id from ${entities} where ${inArray(entities.id, [...ids])} and (
      exists (select 1 from ${users} where ${users.entityId} = ${entities.id})
      or exists (select 1 from ${entryApplications} where ${entryApplications.entityId} = ${entities.id})
      or exists (select 1 from ${products} where ${products.entityId} = ${entities.id})
      or exists (select 1 from ${brands} where ${brands.ownerEntityId} = ${entities.id})
      or exists (select 1 from ${brandAuthorizations} where ${brandAuthorizations.entityId} = ${entities.id}))`)) as unknown as {
    rows: { id: string }[];
  };
  return new Set(result.rows.map((row) => row.id));
}

/** Gives and takes the format's tags so each entity carries exactly the wanted ones, with history. */
async function syncLedgerTags(
  tx: Transaction,
  wanted: ReadonlyMap<string, ReadonlySet<string>>,
  actor: AuditActor,
) {
  const ids = [...wanted.keys()];
  if (ids.length === 0) return;
  const current = new Map<string, Set<string>>();
  for (let start = 0; start < ids.length; start += 1000) {
    const rows = await tx
      .select({ entityId: entityTagAssignments.entityId, tag: entityTagAssignments.tag })
      .from(entityTagAssignments)
      .where(
        and(
          inArray(entityTagAssignments.entityId, ids.slice(start, start + 1000)),
          inArray(entityTagAssignments.tag, [...ledgerEntityTags]),
        ),
      );
    for (const row of rows) current.set(row.entityId, (current.get(row.entityId) ?? new Set()).add(row.tag));
  }
  const today = shanghaiToday();
  const reason = '台账导入';
  const actorId = 'userId' in actor ? actor.userId : null;
  const added: { entityId: string; tag: LedgerEntityTag }[] = [];
  const events: (typeof entityTagEvents.$inferInsert)[] = [];
  for (const [entityId, tags] of wanted) {
    const had = current.get(entityId) ?? new Set<string>();
    const removed = [...had].filter((tag) => !tags.has(tag)) as LedgerEntityTag[];
    if (removed.length > 0) {
      await tx
        .delete(entityTagAssignments)
        .where(and(eq(entityTagAssignments.entityId, entityId), inArray(entityTagAssignments.tag, removed)));
    }
    for (const tag of removed)
      events.push({ entityId, tag, action: 'removed', reason, effectiveOn: today, actorId });
    for (const tag of tags as ReadonlySet<LedgerEntityTag>) {
      if (had.has(tag)) continue;
      added.push({ entityId, tag });
      events.push({ entityId, tag, action: 'added', reason, effectiveOn: today, actorId });
    }
  }
  await insertAll(added, (chunk) =>
    tx.insert(entityTagAssignments).values(chunk.map((row) => ({ ...row, reason, taggedOn: today }))),
  );
  await insertAll(events, (chunk) => tx.insert(entityTagEvents).values(chunk));
}

/**
 * Returns what the profile held before, for the audit record. The city's growth rate is written only
 * when `cityCode` is given (seeding): otherwise it is the city's own entry.
 */
async function replaceProfile(tx: Transaction, ledger: Ledger, etownCode: string, cityCode: string | null) {
  const { etown } = ledger;
  const boundary = etown.boundary as Parameters<typeof boundaryAreaKm2>[0] | null;
  const profile = {
    landAreaKm2: decimal(etown.landAreaKm2),
    buildingAreaM2: decimal(etown.buildingAreaM2),
    boundary: boundary as Record<string, unknown> | null,
    boundaryAreaKm2: boundary ? boundaryAreaKm2(boundary) : null,
    leadingIndustries: etown.leadingIndustries,
    updatedAt: new Date(),
  };
  const [existing] = await tx.select().from(etownProfiles).where(eq(etownProfiles.code, etownCode));
  if (existing) {
    await tx
      .update(etownProfiles)
      .set({ ...profile, version: existing.version + 1 })
      .where(eq(etownProfiles.code, etownCode));
  } else {
    await tx.insert(etownProfiles).values({ code: etownCode, ...profile });
  }
  const previous = {
    landAreaKm2: existing?.landAreaKm2 ?? null,
    buildingAreaM2: existing?.buildingAreaM2 ?? null,
    boundaryAreaKm2: existing?.boundaryAreaKm2 ?? null,
    leadingIndustries: existing?.leadingIndustries ?? [],
  };
  if (!cityCode) return previous;
  const growthKey = and(eq(cityOutputGrowth.cityCode, cityCode), eq(cityOutputGrowth.year, ledger.year));
  if (etown.cityOutputGrowthPct === null) {
    await tx.delete(cityOutputGrowth).where(growthKey);
    return previous;
  }
  const growthPct = decimal(etown.cityOutputGrowthPct) as string;
  await tx
    .insert(cityOutputGrowth)
    .values({ cityCode, year: ledger.year, growthPct })
    .onConflictDoUpdate({
      target: [cityOutputGrowth.cityCode, cityOutputGrowth.year],
      set: { growthPct, updatedAt: new Date() },
    });
  return previous;
}
