import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import { entities } from '../../db/schema/entities.ts';
import {
  fundAccounts,
  fundApplications,
  fundEntries,
  fundPolicies,
  fundTransactions,
} from '../../db/schema/funds.ts';
import { regions } from '../../db/schema/regions.ts';
import type { AppContext } from '../../http/context.ts';
import { formatFen } from '../../indicators/exact.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';
import { applicantName } from './fund-application-access.ts';
import type { Disclosure, disclosureQuerySchema, UsageReport, usageQuerySchema } from './funds.schemas.ts';
import { fundSourceLabels } from './funds.schemas.ts';

const PROVINCE = '14';

/** The report's region: the one asked for (when visible), else the root of the caller's scope. */
async function reportRegion(context: AppContext, actor: Actor, regionCode: string | undefined) {
  const code =
    regionCode ??
    (actor.scope.kind === 'region' ? actor.scope.code : actor.scope.kind === 'all' ? PROVINCE : undefined);
  if (!code) return { code: PROVINCE, name: '本人可见范围' };
  const region = await requireVisibleRegion(context.database.db, actor, code);
  return { code: region.code, name: region.name };
}

const shanghaiMonth = sql<string>`to_char(${fundTransactions.createdAt} at time zone 'Asia/Shanghai', 'YYYY-MM')`;
const shanghaiYear = sql<number>`extract(year from ${fundTransactions.createdAt} at time zone 'Asia/Shanghai')::int`;

/**
 * 资金使用情况 from the ledger itself: allocated (预算下达 into budgets), approved (核定 into commitments),
 * paid (拨付) and returned at settlement, grouped by e-town, source, policy or month.
 */
export async function getUsageReport(
  context: AppContext,
  actor: Actor,
  query: z.output<typeof usageQuerySchema>,
): Promise<UsageReport> {
  const { db } = context.database;
  const region = await reportRegion(context, actor, query.regionCode);
  const groupKey = {
    etown: fundAccounts.regionCode,
    source: sql<string>`${fundAccounts.source}::text`,
    policy: sql<string>`coalesce(${fundApplications.policyId}::text, '')`,
    month: shanghaiMonth,
  }[query.groupBy];
  const sumWhere = (kind: string, accountKind: string) =>
    sql<string>`coalesce(sum(${fundEntries.amountFen}) filter (where ${fundTransactions.kind} = ${kind} and ${fundAccounts.kind} = ${accountKind}), 0)::text`;
  const rows = await db
    .select({
      key: groupKey,
      allocated: sumWhere('allocate', 'budget'),
      approved: sumWhere('approve', 'commitment'),
      paid: sumWhere('disburse', 'paid'),
      returned: sumWhere('settle', 'budget'),
    })
    .from(fundEntries)
    .innerJoin(fundTransactions, eq(fundTransactions.id, fundEntries.transactionId))
    .innerJoin(fundAccounts, eq(fundAccounts.id, fundEntries.accountId))
    .leftJoin(fundApplications, eq(fundApplications.id, fundTransactions.applicationId))
    .where(
      and(
        sql`${fundAccounts.kind} <> 'source'`,
        regionScopeCondition(actor.scope, fundAccounts.regionCode),
        sql`${fundAccounts.regionCode} like ${`${region.code}%`}`,
        query.year ? sql`${shanghaiYear} = ${query.year}` : undefined,
        query.groupBy === 'policy' ? sql`${fundTransactions.applicationId} is not null` : undefined,
      ),
    )
    .groupBy(groupKey)
    .orderBy(asc(groupKey));
  const labels = await groupLabels(
    context,
    query.groupBy,
    rows.map((row) => row.key),
  );
  const present = (
    key: string,
    label: string,
    figures: { allocated: bigint; approved: bigint; paid: bigint; returned: bigint },
  ) => ({
    key,
    label,
    allocatedYuan: formatFen(figures.allocated),
    approvedYuan: formatFen(figures.approved),
    paidYuan: formatFen(figures.paid),
    returnedYuan: formatFen(figures.returned),
  });
  const total = { allocated: 0n, approved: 0n, paid: 0n, returned: 0n };
  const presented = rows.map((row) => {
    const figures = {
      allocated: BigInt(row.allocated),
      approved: BigInt(row.approved),
      paid: BigInt(row.paid),
      returned: BigInt(row.returned),
    };
    total.allocated += figures.allocated;
    total.approved += figures.approved;
    total.paid += figures.paid;
    total.returned += figures.returned;
    return present(row.key, labels.get(row.key) ?? row.key, figures);
  });
  return {
    regionCode: region.code,
    regionName: region.name,
    groupBy: query.groupBy,
    year: query.year ?? null,
    rows: presented,
    total: present('total', '合计', total),
  };
}

async function groupLabels(context: AppContext, groupBy: UsageReport['groupBy'], keys: string[]) {
  const { db } = context.database;
  if (groupBy === 'source') {
    return new Map(keys.map((key) => [key, fundSourceLabels[key as keyof typeof fundSourceLabels] ?? key]));
  }
  if (groupBy === 'month')
    return new Map(keys.map((key) => [key, `${key.slice(0, 4)}年${Number(key.slice(5))}月`]));
  if (keys.length === 0) return new Map<string, string>();
  if (groupBy === 'etown') {
    const rows = await db
      .select({ key: regions.code, label: regions.name })
      .from(regions)
      .where(inArray(regions.code, keys));
    return new Map(rows.map((row) => [row.key, row.label]));
  }
  const rows = await db
    .select({ key: fundPolicies.id, label: fundPolicies.name, number: fundPolicies.documentNumber })
    .from(fundPolicies)
    .where(inArray(fundPolicies.id, keys.filter(Boolean)));
  return new Map(rows.map((row) => [row.key as string, `${row.label}（${row.number}）`]));
}

/**
 * 补助对象公示名单: who received support under which policy, how much was approved and paid. Only
 * what disclosure requires: the entity's name and credit code, never a person's data.
 */
export async function getDisclosure(
  context: AppContext,
  actor: Actor,
  query: z.output<typeof disclosureQuerySchema>,
): Promise<Disclosure> {
  const { db } = context.database;
  const region = await reportRegion(context, actor, query.regionCode);
  const rows = await db
    .select({
      application: fundApplications,
      etownName: regions.name,
      entityName: entities.name,
      creditCode: entities.creditCode,
      policyName: fundPolicies.name,
      supportMode: fundPolicies.supportMode,
      documentNumber: fundPolicies.documentNumber,
      paid: sql<string>`coalesce((select sum(${fundAccounts.balanceFen}) from ${fundAccounts}
        where ${fundAccounts.applicationId} = ${fundApplications.id} and ${fundAccounts.kind} = 'paid'), 0)::text`,
    })
    .from(fundApplications)
    .innerJoin(regions, eq(regions.code, fundApplications.etownCode))
    .innerJoin(fundPolicies, eq(fundPolicies.id, fundApplications.policyId))
    .leftJoin(entities, eq(entities.id, fundApplications.entityId))
    .where(
      and(
        inArray(fundApplications.status, ['approved', 'settled']),
        regionScopeCondition(actor.scope, fundApplications.etownCode),
        sql`${fundApplications.etownCode} like ${`${region.code}%`}`,
        query.year
          ? sql`extract(year from ${fundApplications.reviewedAt} at time zone 'Asia/Shanghai')::int = ${query.year}`
          : undefined,
      ),
    )
    .orderBy(asc(fundApplications.etownCode), asc(fundApplications.reviewedAt), asc(fundApplications.id));
  return {
    regionCode: region.code,
    regionName: region.name,
    year: query.year ?? null,
    rows: rows.map((row) => ({
      applicationId: row.application.id,
      etownName: row.etownName,
      entityName: applicantName(row.entityName, row.etownName),
      creditCode: row.creditCode,
      policyName: row.policyName,
      supportMode: row.supportMode,
      documentNumber: row.documentNumber,
      approvedYuan: formatFen(row.application.approvedFen ?? 0n),
      paidYuan: formatFen(BigInt(row.paid)),
      approvedOn: shanghaiToday(row.application.reviewedAt ?? row.application.createdAt),
      status: row.application.status,
    })),
  };
}
