import { eq, inArray } from 'drizzle-orm';
import type { Transaction } from '../../db/client.ts';
import { entities } from '../../db/schema/entities.ts';
import { regions } from '../../db/schema/regions.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError } from '../../http/errors.ts';
import type { Ledger, LedgerProblem } from '../../indicators/ledger-schema.ts';
import type { AuditActor } from '../../modules/audit/audit.service.ts';
import { recordAudit } from '../../modules/audit/audit.service.ts';
import { importBrandsLedgerSection } from '../brands/brands-ledger-section.ts';
import { importLedgerEntities } from '../entities/entities-ledger-section.ts';
import { replacePortalLedgerSection } from '../portal/portal-ledger-section.ts';
import { importProjectsLedgerSection } from '../projects/projects-ledger-section.ts';
import { replaceEtownProfileFromLedger } from '../regions/etown-profile-ledger-section.ts';
import {
  removeApprovedMonthlyFigures,
  writeApprovedLedgerFigures,
  writeLedgerCityOutputGrowth,
} from '../stats/monthly-ledger-section.ts';
import { replaceTalentLedgerSection } from '../talent/talent-ledger-section.ts';
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
    const county = await ledgerCounty(tx, ledger, etownCode);
    const { inOtherEtowns, problems } = await entitiesInOtherEtowns(tx, ledger, etownCode);
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

    // Each module writes its own section of the ledger, all inside this one transaction (ADR 007).
    onStep?.('lists');
    await replacePortalLedgerSection(tx, etownCode, ledger);
    await replaceTalentLedgerSection(tx, etownCode, ledger);
    // Seeding writes the ledger's approved monthly figures (after the entities); an import never touches them.
    if (mode === 'seed') await removeApprovedMonthlyFigures(tx, etownCode);
    const { keptInvestments, keptFacilities } = await importProjectsLedgerSection(tx, etownCode, ledger, {
      withComplianceIncidents: mode === 'seed',
    });
    const { keptBrands, keptProducts } = await importBrandsLedgerSection(tx, etownCode, ledger);
    onStep?.('entities');
    let keptEntities: string[] = [];
    if (mode === 'seed') {
      const written = await importLedgerEntities(tx, etownCode, ledger, actor);
      await writeApprovedLedgerFigures(tx, etownCode, ledger.monthlyStats, written.entityIdByCreditCode);
      keptEntities = written.keptEntities;
    }
    onStep?.('profile');
    const previousProfile = await replaceEtownProfileFromLedger(tx, etownCode, ledger);
    // The city's growth rate is the city's own entry; only seeding writes the ledger's.
    if (mode === 'seed' && county.parentCode)
      await writeLedgerCityOutputGrowth(tx, county.parentCode, ledger);

    const counts = ledgerCounts(ledger);
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

/** The e-town's county, checked against the ledger's; the e-town must exist. */
async function ledgerCounty(tx: Transaction, ledger: Ledger, etownCode: string) {
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
  return county;
}

/** The ledger's entities already registered in another e-town, and a problem for each. */
async function entitiesInOtherEtowns(tx: Transaction, ledger: Ledger, etownCode: string) {
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
  return { inOtherEtowns, problems };
}

/** Rows of each list in the file. */
function ledgerCounts(ledger: Ledger): Record<string, number> {
  return {
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
}
