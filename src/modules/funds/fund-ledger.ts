import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../../db/client.ts';
import {
  type FundSource,
  fundAccounts,
  fundEntries,
  type fundTransactionKinds,
  fundTransactions,
} from '../../db/schema/funds.ts';
import { regions } from '../../db/schema/regions.ts';
import { conflict } from '../../http/errors.ts';
import { formatFen, formatYuan } from '../../indicators/exact.ts';
import { fundSourceLabels } from './funds.schemas.ts';

export type FundAccountKind = (typeof fundAccounts.$inferSelect)['kind'];
export type FundAccountIdentity = {
  kind: FundAccountKind;
  source: FundSource;
  regionCode: string;
  applicationId?: string | null;
};

const kindLabels: Record<FundAccountKind, string> = {
  source: '资金来源',
  budget: '预算',
  commitment: '已核定待拨付',
  paid: '已拨付',
};

/** "皋陶乡村e镇·省级财政·预算": how people name an account. */
export const accountLabel = (kind: FundAccountKind, source: FundSource, regionName: string) =>
  `${regionName}·${fundSourceLabels[source]}·${kindLabels[kind]}`;

/** The account's id, creating it with a zero balance the first time (concurrent creators meet on the unique key). */
export async function ensureAccount(tx: Executor, identity: FundAccountIdentity): Promise<string> {
  const applicationId = identity.applicationId ?? null;
  await tx
    .insert(fundAccounts)
    .values({ kind: identity.kind, source: identity.source, regionCode: identity.regionCode, applicationId })
    .onConflictDoNothing();
  const [row] = await tx
    .select({ id: fundAccounts.id })
    .from(fundAccounts)
    .where(
      and(
        eq(fundAccounts.kind, identity.kind),
        eq(fundAccounts.source, identity.source),
        eq(fundAccounts.regionCode, identity.regionCode),
        applicationId === null
          ? isNull(fundAccounts.applicationId)
          : eq(fundAccounts.applicationId, applicationId),
      ),
    );
  if (!row) throw new Error('fund account could not be created');
  return row.id;
}

export type Movement = {
  accountId: string;
  amountFen: bigint;
  /** Names the account in the refusal when it cannot go that far below zero ("皋陶乡村e镇·省级财政·预算"). */
  label: string;
};

type NewTransaction = {
  kind: (typeof fundTransactionKinds)[number];
  applicationId?: string | null;
  memo: string;
  reference?: string | null;
  createdBy: string | null;
  movements: Movement[];
};

const isNonNegativeViolation = (error: unknown): boolean => {
  for (
    let candidate = error as { code?: string; constraint?: string; cause?: unknown } | undefined;
    candidate;
  ) {
    if (candidate.code === '23514' && candidate.constraint === 'fund_accounts_non_negative') return true;
    candidate = candidate.cause as typeof candidate;
  }
  return false;
};

/**
 * Posts one balanced transaction: each balance moves by an atomic `balance + delta` in this database
 * transaction, so the non-negative check on the account row decides, under any concurrency, whether the
 * money is there. The deferred trigger refuses the commit if the entries do not sum to zero.
 */
export async function postTransaction(tx: Transaction, input: NewTransaction): Promise<string> {
  const total = input.movements.reduce((sum, movement) => sum + movement.amountFen, 0n);
  if (total !== 0n || input.movements.length < 2) throw new Error('unbalanced fund transaction');
  const [created] = await tx
    .insert(fundTransactions)
    .values({
      kind: input.kind,
      applicationId: input.applicationId ?? null,
      memo: input.memo,
      reference: input.reference ?? null,
      createdBy: input.createdBy,
    })
    .returning({ id: fundTransactions.id });
  const transactionId = (created as { id: string }).id;
  for (const movement of input.movements) {
    try {
      await tx
        .update(fundAccounts)
        .set({ balanceFen: sql`${fundAccounts.balanceFen} + ${movement.amountFen}` })
        .where(eq(fundAccounts.id, movement.accountId));
    } catch (error) {
      if (!isNonNegativeViolation(error)) throw error;
      throw conflict(
        'insufficient_funds',
        `${movement.label}余额不足，无法支出 ${formatYuan(-movement.amountFen)} 元`,
        {
          account: movement.label,
          amountYuan: formatFen(-movement.amountFen),
        },
      );
    }
  }
  await tx.insert(fundEntries).values(
    input.movements.map((movement) => ({
      transactionId,
      accountId: movement.accountId,
      amountFen: movement.amountFen,
    })),
  );
  return transactionId;
}

export type LedgerVerification = {
  accounts: number;
  transactions: number;
  entries: number;
  mismatchedAccounts: { id: string; label: string; storedYuan: string; rebuiltYuan: string }[];
  unbalancedTransactions: { id: string; kind: string; sumYuan: string; entries: number }[];
};

/** Rebuilds every balance from the entries and checks each transaction sums to zero. */
export async function verifyFundLedger(executor: Executor): Promise<LedgerVerification> {
  const accounts = await executor
    .select({
      id: fundAccounts.id,
      kind: fundAccounts.kind,
      source: fundAccounts.source,
      regionName: regions.name,
      stored: fundAccounts.balanceFen,
      rebuilt: sql<string>`coalesce((select sum(${fundEntries.amountFen}) from ${fundEntries} where ${fundEntries.accountId} = ${fundAccounts.id}), 0)::text`,
    })
    .from(fundAccounts)
    .innerJoin(regions, eq(regions.code, fundAccounts.regionCode));
  const unbalanced = await executor
    .select({
      id: fundTransactions.id,
      kind: fundTransactions.kind,
      sum: sql<string>`coalesce(sum(${fundEntries.amountFen}), 0)::text`,
      entries: sql<number>`count(${fundEntries.id})::int`,
    })
    .from(fundTransactions)
    .leftJoin(fundEntries, eq(fundEntries.transactionId, fundTransactions.id))
    .groupBy(fundTransactions.id, fundTransactions.kind)
    .having(sql`coalesce(sum(${fundEntries.amountFen}), 0) <> 0 or count(${fundEntries.id}) < 2`);
  const [counts] = await executor
    .select({
      transactions: sql<number>`(select count(*) from ${fundTransactions})::int`,
      entries: sql<number>`(select count(*) from ${fundEntries})::int`,
    })
    .from(sql`(select 1) as one`);
  return {
    accounts: accounts.length,
    transactions: counts?.transactions ?? 0,
    entries: counts?.entries ?? 0,
    mismatchedAccounts: accounts
      .filter((account) => account.stored !== BigInt(account.rebuilt))
      .map((account) => ({
        id: account.id,
        label: accountLabel(account.kind, account.source, account.regionName),
        storedYuan: formatFen(account.stored),
        rebuiltYuan: formatFen(BigInt(account.rebuilt)),
      })),
    unbalancedTransactions: unbalanced.map((row) => ({
      id: row.id,
      kind: row.kind,
      sumYuan: formatFen(BigInt(row.sum)),
      entries: row.entries,
    })),
  };
}
