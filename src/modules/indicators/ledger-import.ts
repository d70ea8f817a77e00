import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Transaction } from '../../db/client.ts';
import { users } from '../../db/schema/accounts.ts';
import { brands, mediaChannels, products, promotionEvents } from '../../db/schema/brands.ts';
import { policyDocuments } from '../../db/schema/documents.ts';
import { entities, entityTagAssignments } from '../../db/schema/entities.ts';
import { pavilions, supplyChains } from '../../db/schema/portal.ts';
import { complianceIncidents, facilities, investments } from '../../db/schema/projects.ts';
import { etownProfiles, regions } from '../../db/schema/regions.ts';
import { cityOutputGrowth, monthlyStatistics } from '../../db/schema/stats.ts';
import { talentPeople, trainings } from '../../db/schema/talent.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError } from '../../http/errors.ts';
import { formatExact, type Rational } from '../../indicators/exact.ts';
import type { Ledger, LedgerProblem } from '../../indicators/ledger-schema.ts';
import type { AuditActor } from '../../modules/audit/audit.service.ts';
import { recordAudit } from '../../modules/audit/audit.service.ts';
import { boundaryAreaKm2 } from '../regions/regions.service.ts';

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
  counts: Record<string, number>;
  /** Entities with enterprise accounts that the ledger does not list: kept, not deleted. */
  keptEntities: string[];
};

/** The steps of an import's single transaction, in order. */
export const ledgerImportSteps = ['lists', 'entities', 'profile'] as const;
export type LedgerImportStep = (typeof ledgerImportSteps)[number];

const decimal = (value: Rational | null) => (value === null ? null : formatExact(value));

const withOrder = <T>(rows: T[], etownCode: string) =>
  rows.map((row, sortOrder) => ({ ...row, etownCode, sortOrder }));

async function insertAll<T>(rows: T[], insert: (rows: T[]) => Promise<unknown>) {
  // A ledger may hold thousands of monthly rows; stay well under the bind-parameter limit.
  for (let start = 0; start < rows.length; start += 1000) await insert(rows.slice(start, start + 1000));
}

/**
 * Replaces everything the platform holds for the e-town's ledger lists with the ledger's rows, and the
 * e-town profile's areas, boundary and leading industries with the ledger's `etown` fields, in one
 * transaction audited once. The county tier and the e-town's name stay the platform's own.
 */
export async function importLedger(
  context: AppContext,
  actor: AuditActor,
  ledger: Ledger,
  etownCode: string,
  /** Hears each step of the write, for a job's progress. */
  onStep?: (step: LedgerImportStep) => void,
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
    const problems = elsewhere
      .filter((row) => row.etownCode !== etownCode)
      .map((row) => ({
        path: `entities[${creditCodes.indexOf(row.creditCode)}].creditCode`,
        message: `市场主体 ${row.creditCode} 已登记在 e镇 ${row.etownCode}，不能同时属于 ${etownCode}`,
        code: 'entity_in_other_etown',
      }));
    if (problems.length > 0) throw new LedgerImportError(problems);

    onStep?.('lists');
    await replaceLists(tx, ledger, etownCode);
    onStep?.('entities');
    const keptEntities = await replaceEntities(tx, ledger, etownCode);
    onStep?.('profile');
    const previousProfile = await replaceProfile(tx, ledger, etownCode, county.parentCode);

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
      diff: { year: ledger.year, counts, keptEntities, previousProfile },
    });
    return { etownCode, year: ledger.year, counts, keptEntities };
  });
}

async function replaceLists(tx: Transaction, ledger: Ledger, etownCode: string) {
  const tables = [
    policyDocuments,
    investments,
    facilities,
    complianceIncidents,
    supplyChains,
    pavilions,
    brands,
    products,
    promotionEvents,
    mediaChannels,
    trainings,
    talentPeople,
  ] as const;
  for (const table of tables) await tx.delete(table).where(eq(table.etownCode, etownCode));
  // A ledger holds approved monthly figures only: those are replaced; months still being reported
  // (draft, submitted, returned) stay unless the file gives the same entity and month, which then wins.
  await tx
    .delete(monthlyStatistics)
    .where(and(eq(monthlyStatistics.etownCode, etownCode), eq(monthlyStatistics.status, 'approved')));

  const code = etownCode;
  const insertInto = async <T extends Record<string, unknown>>(table: (typeof tables)[number], rows: T[]) => {
    await insertAll(rows, (chunk) => tx.insert(table).values(chunk as never));
  };
  await insertInto(policyDocuments, withOrder(ledger.documents, code));
  await insertInto(
    investments,
    withOrder(
      ledger.investments.map((row) => ({
        project: row.project,
        amountFen: row.amountFen,
        investedOn: row.date,
      })),
      code,
    ),
  );
  await insertInto(
    facilities,
    withOrder(
      ledger.facilities.map((row) => ({
        kind: row.kind,
        name: row.name,
        buildingAreaM2: decimal(row.buildingAreaM2),
        features: row.features,
      })),
      code,
    ),
  );
  await insertInto(
    complianceIncidents,
    withOrder(
      ledger.complianceIncidents.map((row) => ({
        occurredOn: row.date,
        category: row.category,
        description: row.description,
      })),
      code,
    ),
  );
  await insertInto(supplyChains, withOrder(ledger.supplyChains, code));
  await insertInto(pavilions, withOrder(ledger.pavilions, code));
  await insertInto(brands, withOrder(ledger.brands, code));
  await insertInto(
    products,
    withOrder(
      ledger.products.map((row) => ({ name: row.name, brandName: row.brand, online: row.online })),
      code,
    ),
  );
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

/** Upserts the ledger's entities by credit code; the e-town's others go, unless an account is bound to one. */
async function replaceEntities(tx: Transaction, ledger: Ledger, etownCode: string): Promise<string[]> {
  const creditCodes = ledger.entities.map((entity) => entity.creditCode);
  const others = await tx
    .select({ id: entities.id, creditCode: entities.creditCode })
    .from(entities)
    .where(
      creditCodes.length === 0
        ? eq(entities.etownCode, etownCode)
        : and(eq(entities.etownCode, etownCode), notInArray(entities.creditCode, creditCodes)),
    );
  const bound =
    others.length === 0
      ? []
      : await tx
          .select({ entityId: users.entityId })
          .from(users)
          .where(
            inArray(
              users.entityId,
              others.map((row) => row.id),
            ),
          );
  const boundIds = new Set(bound.map((row) => row.entityId));
  const removable = others.filter((row) => !boundIds.has(row.id)).map((row) => row.id);
  if (removable.length > 0) await tx.delete(entities).where(inArray(entities.id, removable));
  const kept = others.filter((row) => boundIds.has(row.id));
  // Kept entities go after the ledger's, in their previous order.
  for (const [index, row] of kept.entries()) {
    await tx
      .update(entities)
      .set({ sortOrder: ledger.entities.length + index })
      .where(eq(entities.id, row.id));
    await tx.delete(entityTagAssignments).where(eq(entityTagAssignments.entityId, row.id));
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
    await tx.delete(entityTagAssignments).where(eq(entityTagAssignments.entityId, id));
    if (entity.tags.length > 0) {
      await tx
        .insert(entityTagAssignments)
        .values([...new Set(entity.tags)].map((tag) => ({ entityId: id, tag })));
    }
  }
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

/** Returns what the profile held before, for the audit record. */
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
