import { and, asc, desc, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { Actor } from '../../access/scope.ts';
import type { Executor } from '../../db/client.ts';
import { users } from '../../db/schema/accounts.ts';
import { entities } from '../../db/schema/entities.ts';
import {
  fundAccounts,
  fundApplicationFiles,
  fundApplications,
  fundDisbursementRequests,
  fundDisbursements,
  fundEntries,
  fundPolicies,
  fundTransactions,
} from '../../db/schema/funds.ts';
import { regions } from '../../db/schema/regions.ts';
import type { AppContext } from '../../http/context.ts';
import { notFound } from '../../http/errors.ts';
import { formatFen } from '../../indicators/exact.ts';
import { readAttachment } from '../../lib/attachments.ts';
import {
  accountBalance,
  applicantName,
  applicationScopeCondition,
  rateLimitOf,
  requireVisibleApplication,
} from './fund-application-access.ts';
import { disbursementApprovalRequired } from './fund-county-settings.ts';
import { accountLabel } from './fund-ledger.ts';
import { presentDisbursement, presentDisbursementRequest, yuanOrNull } from './fund-payments.ts';
import { presentPolicies } from './fund-policies.service.ts';
import { rateCeilingFen, rateLimitCeilingFen } from './fund-rate-ceiling.ts';
import type { ApplicationDetail, fundSourceLabels, listApplicationsQuerySchema } from './funds.schemas.ts';

const paidSum = sql<string>`coalesce((select sum(${fundAccounts.balanceFen}) from ${fundAccounts}
  where ${fundAccounts.applicationId} = ${fundApplications.id} and ${fundAccounts.kind} = 'paid'), 0)::text`;

const summaryColumns = {
  application: fundApplications,
  etownName: regions.name,
  entityName: entities.name,
  creditCode: entities.creditCode,
  policyName: fundPolicies.name,
  source: fundPolicies.source,
  paid: paidSum,
};

const summarySelect = (executor: Executor) =>
  executor
    .select(summaryColumns)
    .from(fundApplications)
    .innerJoin(regions, eq(regions.code, fundApplications.etownCode))
    .innerJoin(fundPolicies, eq(fundPolicies.id, fundApplications.policyId))
    .leftJoin(entities, eq(entities.id, fundApplications.entityId));

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summarySelect>['execute']>>[number];

function presentSummary(row: SummaryRow) {
  const application = row.application;
  return {
    id: application.id,
    etownCode: application.etownCode,
    etownName: row.etownName,
    entityId: application.entityId,
    applicantName: applicantName(row.entityName, row.etownName),
    policyId: application.policyId,
    policyName: row.policyName,
    source: row.source,
    title: application.title,
    requestedYuan: formatFen(application.requestedFen),
    approvedYuan: yuanOrNull(application.approvedFen),
    paidYuan: formatFen(BigInt(row.paid)),
    status: application.status,
    createdAt: application.createdAt.toISOString(),
  };
}

export async function listFundApplications(
  context: AppContext,
  actor: Actor,
  query: z.output<typeof listApplicationsQuerySchema>,
) {
  const { db } = context.database;
  const keyword = query.keyword?.trim();
  const pattern = keyword ? `%${keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const condition = and(
    applicationScopeCondition(actor.scope),
    query.regionCode ? sql`${fundApplications.etownCode} like ${`${query.regionCode}%`}` : undefined,
    query.status ? eq(fundApplications.status, query.status) : undefined,
    query.policyId ? eq(fundApplications.policyId, query.policyId) : undefined,
    pattern ? or(ilike(fundApplications.title, pattern), ilike(entities.name, pattern)) : undefined,
  );
  const [rows, [counted]] = await Promise.all([
    summarySelect(db)
      .where(condition)
      .orderBy(desc(fundApplications.createdAt), asc(fundApplications.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db
      .select({ count: sql<number>`count(*)::int` })
      .from(fundApplications)
      .leftJoin(entities, eq(entities.id, fundApplications.entityId))
      .where(condition),
  ]);
  return {
    items: rows.map(presentSummary),
    total: counted?.count ?? 0,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export const presentApplicationFile = (file: typeof fundApplicationFiles.$inferSelect) => ({
  id: file.id,
  fileName: file.fileName,
  mediaType: file.mediaType,
  sizeBytes: file.sizeBytes,
  sha256: file.fileSha256,
  uploadedAt: file.createdAt.toISOString(),
});

/** Names the ledger accounts an application's movements touch, for people. */
function movementAccountLabel(account: {
  kind: string;
  source: keyof typeof fundSourceLabels;
  regionName: string;
}): string {
  if (account.kind === 'commitment') return '本申请·已核定待拨付';
  if (account.kind === 'paid') return '本申请·已拨付';
  return accountLabel(account.kind as 'budget', account.source, account.regionName);
}

/** The application's instalments and requests for them, in order, with the names of who acted. */
async function readPayments(executor: Executor, applicationId: string) {
  const approver = alias(users, 'approver');
  const disbursements = await executor
    .select({
      row: fundDisbursements,
      createdByName: users.displayName,
      approvedByName: approver.displayName,
    })
    .from(fundDisbursements)
    .leftJoin(users, eq(users.id, fundDisbursements.createdBy))
    .leftJoin(approver, eq(approver.id, fundDisbursements.approvedBy))
    .where(eq(fundDisbursements.applicationId, applicationId))
    .orderBy(asc(fundDisbursements.instalment));
  const decider = alias(users, 'decider');
  const requests = await executor
    .select({
      row: fundDisbursementRequests,
      requestedByName: users.displayName,
      decidedByName: decider.displayName,
      instalment: fundDisbursements.instalment,
    })
    .from(fundDisbursementRequests)
    .leftJoin(users, eq(users.id, fundDisbursementRequests.requestedBy))
    .leftJoin(decider, eq(decider.id, fundDisbursementRequests.decidedBy))
    .leftJoin(fundDisbursements, eq(fundDisbursements.id, fundDisbursementRequests.disbursementId))
    .where(eq(fundDisbursementRequests.applicationId, applicationId))
    .orderBy(asc(fundDisbursementRequests.requestedAt), asc(fundDisbursementRequests.id));
  return {
    disbursements: disbursements.map(({ row, ...people }) => presentDisbursement(row, people)),
    pendingDisbursementYuan: formatFen(
      requests.reduce((sum, { row }) => (row.status === 'pending' ? sum + row.amountFen : sum), 0n),
    ),
    disbursementRequests: requests.map(({ row, ...related }) => presentDisbursementRequest(row, related)),
  };
}

/** The application's ledger movements, one per transaction with its entries, oldest first. */
async function readMovements(executor: Executor, applicationId: string) {
  const entryRows = await executor
    .select({
      transaction: fundTransactions,
      entryId: fundEntries.id,
      amountFen: fundEntries.amountFen,
      kind: fundAccounts.kind,
      source: fundAccounts.source,
      regionName: regions.name,
    })
    .from(fundTransactions)
    .innerJoin(fundEntries, eq(fundEntries.transactionId, fundTransactions.id))
    .innerJoin(fundAccounts, eq(fundAccounts.id, fundEntries.accountId))
    .innerJoin(regions, eq(regions.code, fundAccounts.regionCode))
    .where(eq(fundTransactions.applicationId, applicationId))
    .orderBy(asc(fundTransactions.createdAt), asc(fundEntries.id));
  const movements = new Map<string, ApplicationDetail['movements'][number]>();
  for (const row of entryRows) {
    let movement = movements.get(row.transaction.id);
    if (!movement) {
      movement = {
        transactionId: row.transaction.id,
        kind: row.transaction.kind,
        memo: row.transaction.memo,
        reference: row.transaction.reference,
        createdAt: row.transaction.createdAt.toISOString(),
        entries: [],
      };
      movements.set(row.transaction.id, movement);
    }
    movement.entries.push({ account: movementAccountLabel(row), amountYuan: formatFen(row.amountFen) });
  }
  return [...movements.values()];
}

export async function getApplicationDetail(
  executor: Executor,
  actor: Actor,
  id: string,
): Promise<ApplicationDetail> {
  const visible = await requireVisibleApplication(executor, actor, id);
  // One query after another: inside a transaction they share one connection.
  const [summary] = await summarySelect(executor).where(eq(fundApplications.id, id));
  const [policy] = await executor.select().from(fundPolicies).where(eq(fundPolicies.id, visible.policyId));
  const files = await executor
    .select()
    .from(fundApplicationFiles)
    .where(eq(fundApplicationFiles.applicationId, id))
    .orderBy(asc(fundApplicationFiles.createdAt), asc(fundApplicationFiles.id));
  const payments = await readPayments(executor, id);
  const approvalRequired = await disbursementApprovalRequired(executor, visible.etownCode);
  const movements = await readMovements(executor, id);
  const committed = await accountBalance(executor, id, 'commitment');
  const people = await executor
    .select({ id: users.id, name: users.displayName })
    .from(users)
    .where(
      inArray(
        users.id,
        [visible.applicantId, visible.reviewedBy].filter((value): value is string => value !== null),
      ),
    );
  if (!summary || !policy) throw notFound('资金申请');
  const [presentedPolicy] = await presentPolicies(executor, actor, [policy]);
  const limit = rateLimitOf(policy, visible.eligibleBaseFen);
  const nameOf = (userId: string | null) => people.find((person) => person.id === userId)?.name ?? null;
  return {
    ...presentSummary(summary),
    description: visible.description,
    policy: presentedPolicy as ApplicationDetail['policy'],
    eligibleBaseYuan: yuanOrNull(visible.eligibleBaseFen),
    rateCeilingYuan: limit ? formatFen(rateCeilingFen(limit.baseFen, limit.rateBp)) : null,
    ceilingYuan: limit ? formatFen(rateLimitCeilingFen(limit)) : null,
    applicantUserName: nameOf(visible.applicantId),
    creditCode: summary.creditCode,
    reviewReason: visible.reviewReason,
    reviewedByName: nameOf(visible.reviewedBy),
    reviewedAt: visible.reviewedAt?.toISOString() ?? null,
    settledAt: visible.settledAt?.toISOString() ?? null,
    committedYuan: formatFen(committed),
    files: files.map(presentApplicationFile),
    disbursements: payments.disbursements,
    disbursementApprovalRequired: approvalRequired,
    pendingDisbursementYuan: payments.pendingDisbursementYuan,
    disbursementRequests: payments.disbursementRequests,
    movements,
    version: visible.version,
    updatedAt: visible.updatedAt.toISOString(),
  };
}

export async function readFundApplicationFile(context: AppContext, actor: Actor, id: string, fileId: string) {
  const { db } = context.database;
  await requireVisibleApplication(db, actor, id);
  const [file] = await db
    .select()
    .from(fundApplicationFiles)
    .where(and(eq(fundApplicationFiles.id, fileId), eq(fundApplicationFiles.applicationId, id)));
  if (!file) throw notFound('证明材料');
  return readAttachment(context, 'evidence', file);
}
