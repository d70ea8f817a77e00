import { and, desc, eq, gt, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import type { Executor, Transaction } from '../../db/client.ts';
import { users } from '../../db/schema/accounts.ts';
import {
  type FundSource,
  fundAccounts,
  fundEntries,
  fundSources,
  fundTransactions,
} from '../../db/schema/funds.ts';
import { regions } from '../../db/schema/regions.ts';
import type { AppContext } from '../../http/context.ts';
import { conflict, forbidden } from '../../http/errors.ts';
import { formatFen, formatYuan } from '../../indicators/exact.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';
import { accountLabel, ensureAccount, postTransaction } from './fund-ledger.ts';
import { readProvincialCapFen } from './fund-settings.ts';
import type { allocationBodySchema, budgetOverviewSchema } from './funds.schemas.ts';
import { fundSourceLabels } from './funds.schemas.ts';

type AllocationInput = z.output<typeof allocationBodySchema>;

/**
 * Who puts money of a source into an e-town's budget, and from which source account: the province its own
 * funds, the city reviewer the city's, the county operator the county's and the social capital it raised.
 */
function sourceAccountRegion(actor: Actor, source: FundSource, etownCode: string): string {
  const allowed: Record<FundSource, Actor['role']> = {
    provincial: 'province_admin',
    city: 'city_reviewer',
    county: 'county_operator',
    social: 'county_operator',
  };
  if (allowed[source] !== actor.role) {
    throw forbidden(`${fundSourceLabels[source]}资金只能由${roleNames[allowed[source]]}下达`);
  }
  if (source === 'provincial') return '14';
  if (source === 'city') return etownCode.slice(0, 4);
  return etownCode.slice(0, 6);
}
const roleNames: Partial<Record<Actor['role'], string>> = {
  province_admin: '省级管理员',
  city_reviewer: '市级审核员',
  county_operator: '县级操作员',
};

/** Everything ever allocated into a budget account (settlement returns are not allocations). */
async function allocatedInto(tx: Executor, accountId: string): Promise<bigint> {
  const [row] = await tx
    .select({ total: sql<string>`coalesce(sum(${fundEntries.amountFen}), 0)::text` })
    .from(fundEntries)
    .innerJoin(fundTransactions, eq(fundTransactions.id, fundEntries.transactionId))
    .where(and(eq(fundEntries.accountId, accountId), eq(fundTransactions.kind, 'allocate')));
  return BigInt(row?.total ?? '0');
}

/** 预算下达: source account → the e-town's budget of that source, with the allocating document. */
export async function allocateBudget(tx: Transaction, actor: Actor, input: AllocationInput) {
  const etown = await requireVisibleRegion(tx, actor, input.etownCode, 'etown');
  const sourceRegion = sourceAccountRegion(actor, input.source, etown.code);
  const [sourceRegionRow] = await tx.select().from(regions).where(eq(regions.code, sourceRegion));
  const budgetId = await ensureAccount(tx, { kind: 'budget', source: input.source, regionCode: etown.code });
  const sourceId = await ensureAccount(tx, {
    kind: 'source',
    source: input.source,
    regionCode: sourceRegion,
  });
  if (input.source === 'provincial') {
    // The e-town's provincial budget row is the lock every provincial allocation to it takes first, so two
    // concurrent allocations cannot both see room under the cap.
    await tx.execute(sql`select id from ${fundAccounts} where ${fundAccounts.id} = ${budgetId} for update`);
    const cap = await readProvincialCapFen(tx);
    const already = await allocatedInto(tx, budgetId);
    if (already + input.amountFen > cap) {
      throw conflict(
        'provincial_cap_exceeded',
        `${etown.name}的省级补助上限为 ${formatYuan(cap)} 元，已下达 ${formatYuan(already)} 元，本次最多还可下达 ${formatYuan(cap - already > 0n ? cap - already : 0n)} 元`,
        { capYuan: formatFen(cap), allocatedYuan: formatFen(already) },
      );
    }
  }
  const transactionId = await postTransaction(tx, {
    kind: 'allocate',
    memo: input.memo ?? `${fundSourceLabels[input.source]}资金下达${etown.name}`,
    reference: input.documentReference,
    createdBy: actor.userId,
    movements: [
      {
        accountId: sourceId,
        amountFen: -input.amountFen,
        label: accountLabel('source', input.source, sourceRegionRow?.name ?? sourceRegion),
      },
      {
        accountId: budgetId,
        amountFen: input.amountFen,
        label: accountLabel('budget', input.source, etown.name),
      },
    ],
  });
  await recordAudit(tx, actor, {
    action: 'funds.budget.allocate',
    targetType: 'fund_transaction',
    targetId: transactionId,
    regionCode: etown.code,
    diff: {
      etownCode: etown.code,
      source: input.source,
      amountYuan: formatFen(input.amountFen),
      documentReference: input.documentReference,
    },
  });
  const [allocation] = await listAllocations(tx, actor, undefined, transactionId);
  return allocation as NonNullable<typeof allocation>;
}

async function listAllocations(
  executor: Executor,
  actor: Actor,
  regionCode?: string,
  transactionId?: string,
) {
  const rows = await executor
    .select({
      transactionId: fundTransactions.id,
      etownCode: fundAccounts.regionCode,
      etownName: regions.name,
      source: fundAccounts.source,
      amountFen: fundEntries.amountFen,
      documentReference: fundTransactions.reference,
      memo: fundTransactions.memo,
      createdByName: users.displayName,
      createdAt: fundTransactions.createdAt,
    })
    .from(fundTransactions)
    .innerJoin(fundEntries, eq(fundEntries.transactionId, fundTransactions.id))
    .innerJoin(fundAccounts, and(eq(fundAccounts.id, fundEntries.accountId), eq(fundAccounts.kind, 'budget')))
    .innerJoin(regions, eq(regions.code, fundAccounts.regionCode))
    .leftJoin(users, eq(users.id, fundTransactions.createdBy))
    .where(
      and(
        eq(fundTransactions.kind, 'allocate'),
        regionScopeCondition(actor.scope, fundAccounts.regionCode),
        regionCode ? sql`${fundAccounts.regionCode} like ${`${regionCode}%`}` : undefined,
        transactionId ? eq(fundTransactions.id, transactionId) : undefined,
      ),
    )
    .orderBy(desc(fundTransactions.createdAt))
    .limit(500);
  return rows.map((row) => ({
    transactionId: row.transactionId,
    etownCode: row.etownCode,
    etownName: row.etownName,
    source: row.source,
    amountYuan: formatFen(row.amountFen),
    documentReference: row.documentReference,
    memo: row.memo,
    createdByName: row.createdByName,
    createdAt: row.createdAt.toISOString(),
  }));
}

type BudgetOverview = z.infer<typeof budgetOverviewSchema>;

/** Everything ever allocated to each e-town's budget, per source, where the condition holds. */
const allocatedTotals = (executor: Executor, accountCondition: SQL | undefined) =>
  executor
    .select({
      regionCode: fundAccounts.regionCode,
      source: fundAccounts.source,
      total: sql<string>`sum(${fundEntries.amountFen})::text`,
    })
    .from(fundEntries)
    .innerJoin(fundTransactions, eq(fundTransactions.id, fundEntries.transactionId))
    .innerJoin(fundAccounts, eq(fundAccounts.id, fundEntries.accountId))
    .where(
      and(
        eq(fundTransactions.kind, 'allocate'),
        eq(fundAccounts.kind, 'budget'),
        gt(fundEntries.amountFen, 0n),
        accountCondition,
      ),
    )
    .groupBy(fundAccounts.regionCode, fundAccounts.source);

/** Per e-town and source: allocated, available, committed and paid; with the provincial cap's room. */
export async function getBudgetOverview(
  context: AppContext,
  actor: Actor,
  regionCode: string | undefined,
): Promise<BudgetOverview> {
  const { db } = context.database;
  if (regionCode) await requireVisibleRegion(db, actor, regionCode);
  const inRegion = (column: typeof regions.code | typeof fundAccounts.regionCode): SQL | undefined =>
    and(
      regionScopeCondition(actor.scope, column),
      regionCode ? sql`${column} like ${`${regionCode}%`}` : undefined,
    );
  const [etowns, balances, allocated, cap, allocations] = await Promise.all([
    db
      .select({ code: regions.code, name: regions.name })
      .from(regions)
      .where(and(eq(regions.level, 'etown'), inRegion(regions.code)))
      .orderBy(regions.code),
    db
      .select({
        regionCode: fundAccounts.regionCode,
        source: fundAccounts.source,
        kind: fundAccounts.kind,
        total: sql<string>`sum(${fundAccounts.balanceFen})::text`,
      })
      .from(fundAccounts)
      .where(and(sql`${fundAccounts.kind} <> 'source'`, inRegion(fundAccounts.regionCode)))
      .groupBy(fundAccounts.regionCode, fundAccounts.source, fundAccounts.kind),
    allocatedTotals(db, inRegion(fundAccounts.regionCode)),
    readProvincialCapFen(db),
    listAllocations(db, actor, regionCode),
  ]);
  const figure = (
    rows: { regionCode: string; source: FundSource; total: string }[],
    etown: string,
    source: FundSource,
  ) => BigInt(rows.find((row) => row.regionCode === etown && row.source === source)?.total ?? '0');
  const balanceOf = (etown: string, source: FundSource, kind: string) =>
    figure(
      balances.filter((row) => row.kind === kind),
      etown,
      source,
    );
  return {
    provincialCapYuan: formatFen(cap),
    etowns: etowns.map((etown) => {
      const provincial = figure(allocated, etown.code, 'provincial');
      return {
        etownCode: etown.code,
        etownName: etown.name,
        sources: fundSources.map((source) => ({
          source,
          allocatedYuan: formatFen(figure(allocated, etown.code, source)),
          availableYuan: formatFen(balanceOf(etown.code, source, 'budget')),
          committedYuan: formatFen(balanceOf(etown.code, source, 'commitment')),
          paidYuan: formatFen(balanceOf(etown.code, source, 'paid')),
        })),
        provincialCapYuan: formatFen(cap),
        provincialRemainingYuan: formatFen(cap > provincial ? cap - provincial : 0n),
      };
    }),
    allocations,
  };
}
