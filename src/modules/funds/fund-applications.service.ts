import { and, asc, desc, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { Actor, Scope } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import type { Executor, Transaction } from '../../db/client.ts';
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
import { badRequest, conflict, forbidden, notFound } from '../../http/errors.ts';
import { formatFen, formatYuan } from '../../indicators/exact.ts';
import { readAttachment, storeAttachment } from '../../lib/attachments.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { diffObjects, recordAudit } from '../audit/audit.service.ts';
import { disbursementApprovalRequired } from './fund-county-settings.ts';
import { accountLabel, ensureAccount, postTransaction } from './fund-ledger.ts';
import {
  type FundPolicyRow,
  policyValidOn,
  presentPolicies,
  requireVisiblePolicy,
} from './fund-policies.service.ts';
import {
  eligibleBaseLabel,
  formatRatePercent,
  type RateLimit,
  rateCeilingFen,
  rateLimitCeilingFen,
  rateLimitProblems,
} from './fund-rate-ceiling.ts';
import type {
  ApplicationDetail,
  ApplicationInput,
  approveBodySchema,
  listApplicationsQuerySchema,
  settleBodySchema,
} from './funds.schemas.ts';
import { fundApplicationStatusLabels, type fundSourceLabels } from './funds.schemas.ts';

type ApplicationRow = typeof fundApplications.$inferSelect;
type Status = ApplicationRow['status'];

/** Applications a scope covers: a region subtree, or for an enterprise account only its own entity's. */
export function applicationScopeCondition(scope: Scope): SQL | undefined {
  if (scope.kind === 'entity') {
    return scope.entityId ? eq(fundApplications.entityId, scope.entityId) : sql`false`;
  }
  return regionScopeCondition(scope, fundApplications.etownCode);
}

/** The application when the actor may see it (locked for the rest of the transaction on request); else 404. */
export async function requireVisibleApplication(
  executor: Executor,
  actor: Actor,
  id: string,
  lock = false,
): Promise<ApplicationRow> {
  const query = executor
    .select()
    .from(fundApplications)
    .where(and(eq(fundApplications.id, id), applicationScopeCondition(actor.scope)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('资金申请');
  return row;
}

export function requireStatus(row: ApplicationRow, allowed: Status[], action: string) {
  if (!allowed.includes(row.status)) {
    throw conflict(
      'invalid_status',
      `申请当前为“${fundApplicationStatusLabels[row.status]}”，不能${action}`,
      { status: row.status },
    );
  }
}

/** The applicant's side: the enterprise for its own entity, the e-town operator for what it applied itself. */
function requireApplicantSide(actor: Actor, row: ApplicationRow) {
  const own =
    actor.role === 'enterprise'
      ? actor.scope.kind === 'entity' && row.entityId !== null && row.entityId === actor.scope.entityId
      : actor.role === 'etown_operator' && row.entityId === null;
  if (!own) throw forbidden('只有申请人可以修改申请或上传材料');
}

/** Yuan text of a nullable fen figure. */
const yuanOrNull = (fen: bigint | null) => (fen === null ? null : formatFen(fen));

/** A rate-type policy's limit on an application with this base; null under an amount-type policy or without a base. */
function rateLimitOf(policy: FundPolicyRow, baseFen: bigint | null): RateLimit | null {
  if (policy.standardKind !== 'rate' || policy.rateBp === null || baseFen === null) return null;
  return { mode: policy.supportMode, baseFen, rateBp: policy.rateBp, capFen: policy.capFen };
}

/**
 * Under a rate-type policy an application states its base (贴息基数 …) and asks at most base × rate, rounded
 * down to the fen, and the cap; under an amount-type policy it states none. Returns the base to store.
 */
function checkEligibleBase(
  policy: FundPolicyRow,
  input: ApplicationInput,
  pathPrefix: string,
): bigint | null {
  const basePath = `${pathPrefix}eligibleBaseYuan`;
  if (policy.standardKind === 'amount') {
    if (input.eligibleBaseFen !== null) {
      throw badRequest('eligible_base_not_applicable', `政策“${policy.name}”为定额补助，不填写计算基数`, [
        { path: basePath, message: '定额补助不填写计算基数' },
      ]);
    }
    return null;
  }
  const label = eligibleBaseLabel(policy.supportMode);
  const limit = rateLimitOf(policy, input.eligibleBaseFen);
  if (!limit) {
    throw badRequest(
      'eligible_base_required',
      `政策“${policy.name}”按 ${formatRatePercent(policy.rateBp ?? 0)}% 比例补助，须填写${label}`,
      [{ path: basePath, message: `请填写${label}` }],
    );
  }
  const problems = rateLimitProblems(input.requestedFen, limit);
  if (problems.length > 0) {
    throw conflict('requested_amount_too_high', `申请金额${problems.join('，')}`, [
      {
        path: `${pathPrefix}requestedYuan`,
        message: problems.join('，'),
        limitYuan: formatFen(rateLimitCeilingFen(limit)),
      },
    ]);
  }
  return limit.baseFen;
}

/** The row as the audit log keeps it (bigints as text). */
const auditView = (row: Partial<ApplicationRow>) => ({
  ...row,
  requestedFen: row.requestedFen?.toString() ?? null,
  approvedFen: row.approvedFen?.toString() ?? null,
  eligibleBaseFen: row.eligibleBaseFen?.toString() ?? null,
});

export async function accountBalance(executor: Executor, applicationId: string, kind: 'commitment' | 'paid') {
  const [row] = await executor
    .select({ balance: fundAccounts.balanceFen })
    .from(fundAccounts)
    .where(and(eq(fundAccounts.applicationId, applicationId), eq(fundAccounts.kind, kind)));
  return row?.balance ?? 0n;
}

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

export const applicantName = (entityName: string | null, etownName: string) =>
  entityName ?? `${etownName}运营主体`;

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
    .where(eq(fundDisbursements.applicationId, id))
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
    .where(eq(fundDisbursementRequests.applicationId, id))
    .orderBy(asc(fundDisbursementRequests.requestedAt), asc(fundDisbursementRequests.id));
  const approvalRequired = await disbursementApprovalRequired(executor, visible.etownCode);
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
    .where(eq(fundTransactions.applicationId, id))
    .orderBy(asc(fundTransactions.createdAt), asc(fundEntries.id));
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
    files: files.map((file) => ({
      id: file.id,
      fileName: file.fileName,
      mediaType: file.mediaType,
      sizeBytes: file.sizeBytes,
      sha256: file.fileSha256,
      uploadedAt: file.createdAt.toISOString(),
    })),
    disbursements: disbursements.map(({ row, createdByName, approvedByName }) => ({
      id: row.id,
      instalment: row.instalment,
      amountYuan: formatFen(row.amountFen),
      paidOn: row.paidOn,
      voucherNumber: row.voucherNumber,
      createdByName,
      approvedByName,
      createdAt: row.createdAt.toISOString(),
    })),
    disbursementApprovalRequired: approvalRequired,
    pendingDisbursementYuan: formatFen(
      requests.reduce((sum, { row }) => (row.status === 'pending' ? sum + row.amountFen : sum), 0n),
    ),
    disbursementRequests: requests.map(({ row, requestedByName, decidedByName, instalment }) => ({
      id: row.id,
      amountYuan: formatFen(row.amountFen),
      voucherNumber: row.voucherNumber,
      note: row.note,
      status: row.status,
      requestedByName,
      requestedAt: row.requestedAt.toISOString(),
      decidedByName,
      decidedAt: row.decidedAt?.toISOString() ?? null,
      decisionNote: row.decisionNote,
      instalment,
    })),
    movements: [...movements.values()],
    version: visible.version,
    updatedAt: visible.updatedAt.toISOString(),
  };
}

export async function audit(
  tx: Executor,
  actor: Actor,
  application: { id: string; etownCode: string },
  action: string,
  diff: Record<string, unknown>,
) {
  await recordAudit(tx, actor, {
    action,
    targetType: 'fund_application',
    targetId: application.id,
    regionCode: application.etownCode,
    diff,
  });
}

/** The policy must apply to the e-town (issued at or above it) and be in force on `day`. */
async function requireApplicablePolicy(
  tx: Executor,
  actor: Actor,
  policyId: string,
  etownCode: string,
  day: string,
) {
  const policy = await requireVisiblePolicy(tx, actor, policyId);
  if (!etownCode.startsWith(policy.regionCode)) throw notFound('资金政策');
  if (!policyValidOn(policy, day)) {
    throw conflict(
      'policy_not_valid',
      `政策“${policy.name}”的有效期为 ${policy.validFrom} 至 ${policy.validTo ?? '长期'}，${day} 不在有效期内`,
    );
  }
  return policy;
}

/** 提交申请: an enterprise for its own entity, or the e-town operator for its e-town. */
export async function submitFundApplication(tx: Transaction, actor: Actor, input: ApplicationInput) {
  let etownCode: string;
  let entityId: string | null = null;
  if (actor.role === 'enterprise' && actor.scope.kind === 'entity' && actor.scope.entityId) {
    etownCode = actor.scope.etownCode;
    entityId = actor.scope.entityId;
  } else if (actor.role === 'etown_operator' && actor.scope.kind === 'region') {
    etownCode = actor.scope.code;
  } else {
    throw forbidden('当前账号没有关联市场主体或e镇，不能提交资金申请');
  }
  const policy = await requireApplicablePolicy(tx, actor, input.policyId, etownCode, shanghaiToday());
  const eligibleBaseFen = checkEligibleBase(policy, input, '');
  const [created] = await tx
    .insert(fundApplications)
    .values({
      policyId: input.policyId,
      etownCode,
      entityId,
      applicantId: actor.userId,
      title: input.title,
      description: input.description,
      eligibleBaseFen,
      requestedFen: input.requestedFen,
    })
    .returning({ id: fundApplications.id });
  const id = (created as { id: string }).id;
  await audit(tx, actor, { id, etownCode }, 'funds.application.submit', {
    policyId: input.policyId,
    etownCode,
    entityId,
    title: input.title,
    eligibleBaseYuan: yuanOrNull(eligibleBaseFen),
    requestedYuan: formatFen(input.requestedFen),
  });
  return getApplicationDetail(tx, actor, id);
}

/** 修改申请: while it waits for review or after it was returned; a returned one goes back to review. */
export async function updateFundApplication(
  tx: Transaction,
  actor: Actor,
  id: string,
  input: ApplicationInput,
  version: number,
) {
  const row = await requireVisibleApplication(tx, actor, id, true);
  requireApplicantSide(actor, row);
  requireStatus(row, ['submitted', 'returned'], '修改');
  if (row.version !== version) throw conflict('version_conflict', '该申请已被他人修改，请刷新后重试');
  const policy = await requireApplicablePolicy(tx, actor, input.policyId, row.etownCode, shanghaiToday());
  const after = {
    policyId: input.policyId,
    title: input.title,
    description: input.description,
    eligibleBaseFen: checkEligibleBase(policy, input, 'application.'),
    requestedFen: input.requestedFen,
  };
  await tx
    .update(fundApplications)
    .set({ ...after, status: 'submitted', version: row.version + 1, updatedAt: new Date() })
    .where(eq(fundApplications.id, id));
  await audit(
    tx,
    actor,
    row,
    row.status === 'returned' ? 'funds.application.resubmit' : 'funds.application.update',
    {
      ...diffObjects(auditView(row), auditView({ ...row, ...after })),
      status: { before: row.status, after: 'submitted' },
    },
  );
  return getApplicationDetail(tx, actor, id);
}

/** 上传证明材料: typed by its bytes, stored by content hash, while the application can still change. */
export async function addFundApplicationFile(
  tx: Transaction,
  context: AppContext,
  actor: Actor,
  id: string,
  fileName: string,
  bytes: Buffer,
) {
  const row = await requireVisibleApplication(tx, actor, id, true);
  requireApplicantSide(actor, row);
  requireStatus(row, ['submitted', 'returned'], '上传材料');
  const { sha256, mediaType, sizeBytes } = await storeAttachment(
    context,
    'evidence',
    { accepts: 'document', what: '证明材料' },
    bytes,
  );
  const [file] = await tx
    .insert(fundApplicationFiles)
    .values({
      applicationId: id,
      fileSha256: sha256,
      fileName,
      mediaType,
      sizeBytes,
      uploadedBy: actor.userId,
    })
    .returning();
  const stored = file as typeof fundApplicationFiles.$inferSelect;
  await audit(tx, actor, row, 'funds.application.file.add', {
    fileName,
    mediaType,
    sizeBytes,
    sha256,
  });
  return {
    id: stored.id,
    fileName: stored.fileName,
    mediaType: stored.mediaType,
    sizeBytes: stored.sizeBytes,
    sha256: stored.fileSha256,
    uploadedAt: stored.createdAt.toISOString(),
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

/** 审核退回 / 不予支持: the county sends it back for changes, or turns it down for good; a reason is required. */
export async function refuseFundApplication(
  tx: Transaction,
  actor: Actor,
  id: string,
  outcome: 'returned' | 'rejected',
  reason: string,
) {
  const row = await requireVisibleApplication(tx, actor, id, true);
  requireStatus(row, ['submitted'], outcome === 'returned' ? '退回' : '不予支持');
  await tx
    .update(fundApplications)
    .set({
      status: outcome,
      reviewReason: reason,
      reviewedBy: actor.userId,
      reviewedAt: new Date(),
      version: row.version + 1,
      updatedAt: new Date(),
    })
    .where(eq(fundApplications.id, id));
  await audit(tx, actor, row, `funds.application.${outcome === 'returned' ? 'return' : 'reject'}`, {
    status: { before: row.status, after: outcome },
    reason,
  });
  return getApplicationDetail(tx, actor, id);
}

/**
 * 核定: the county approves an amount (≤ requested, ≤ the policy's standard — a fixed amount, or the base × rate
 * rounded down to the fen — and its cap, the policy valid today)
 * and commits it from the e-town's budget of the policy's source; the budget's own check refuses overspending.
 */
export async function approveFundApplication(
  tx: Transaction,
  actor: Actor,
  id: string,
  input: z.output<typeof approveBodySchema>,
) {
  const row = await requireVisibleApplication(tx, actor, id, true);
  requireStatus(row, ['submitted'], '核定');
  const policy = await requireApplicablePolicy(tx, actor, row.policyId, row.etownCode, shanghaiToday());
  const amount = input.approvedFen;
  const problems: string[] = [];
  // What may be approved at most: the request, and the policy's standard and cap.
  let most = row.requestedFen;
  const bound = (limit: bigint | null) => {
    if (limit !== null && limit < most) most = limit;
  };
  if (amount > row.requestedFen) problems.push(`不能超过申请金额 ${formatYuan(row.requestedFen)} 元`);
  if (policy.standardKind === 'rate') {
    // Checked against the policy as it stands today, as the cap always was: a lowered rate binds too.
    const limit = rateLimitOf(policy, row.eligibleBaseFen);
    if (!limit) {
      throw conflict(
        'application_eligible_base_missing',
        `该申请未填写${eligibleBaseLabel(policy.supportMode)}，不能按政策比例核定，请退回申请人补充`,
      );
    }
    problems.push(...rateLimitProblems(amount, limit));
    bound(rateLimitCeilingFen(limit));
  } else {
    if (policy.capFen !== null && amount > policy.capFen) {
      problems.push(`不能超过政策单项上限 ${formatYuan(policy.capFen)} 元`);
    }
    if (policy.amountFen !== null && amount > policy.amountFen) {
      problems.push(`不能超过政策补助标准 ${formatYuan(policy.amountFen)} 元`);
    }
    bound(policy.capFen);
    bound(policy.amountFen);
  }
  if (problems.length > 0) {
    throw conflict('approved_amount_too_high', `核定金额${problems.join('，')}`, [
      { path: 'approvedYuan', message: problems.join('，'), limitYuan: formatFen(most) },
    ]);
  }
  const [files] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(fundApplicationFiles)
    .where(eq(fundApplicationFiles.applicationId, id));
  if (!files?.count) throw conflict('evidence_required', '申请尚未上传证明材料，不能核定');
  const [etown] = await tx
    .select({ name: regions.name })
    .from(regions)
    .where(eq(regions.code, row.etownCode));
  const etownName = etown?.name ?? row.etownCode;
  const budgetId = await ensureAccount(tx, {
    kind: 'budget',
    source: policy.source,
    regionCode: row.etownCode,
  });
  const commitmentId = await ensureAccount(tx, {
    kind: 'commitment',
    source: policy.source,
    regionCode: row.etownCode,
    applicationId: id,
  });
  await ensureAccount(tx, {
    kind: 'paid',
    source: policy.source,
    regionCode: row.etownCode,
    applicationId: id,
  });
  await postTransaction(tx, {
    kind: 'approve',
    applicationId: id,
    memo: `核定“${row.title}”`,
    reference: policy.documentNumber,
    createdBy: actor.userId,
    movements: [
      { accountId: budgetId, amountFen: -amount, label: accountLabel('budget', policy.source, etownName) },
      { accountId: commitmentId, amountFen: amount, label: '本申请已核定待拨付资金' },
    ],
  });
  await tx
    .update(fundApplications)
    .set({
      status: 'approved',
      approvedFen: amount,
      reviewReason: input.reason,
      reviewedBy: actor.userId,
      reviewedAt: new Date(),
      version: row.version + 1,
      updatedAt: new Date(),
    })
    .where(eq(fundApplications.id, id));
  await audit(tx, actor, row, 'funds.application.approve', {
    status: { before: row.status, after: 'approved' },
    approvedYuan: formatFen(amount),
    reason: input.reason,
  });
  return getApplicationDetail(tx, actor, id);
}

/** 结算: what is left of the commitment goes back to the e-town's budget; nothing more can be paid. */
export async function settleFundApplication(
  tx: Transaction,
  actor: Actor,
  id: string,
  input: z.output<typeof settleBodySchema>,
) {
  const row = await requireVisibleApplication(tx, actor, id, true);
  requireStatus(row, ['approved'], '结算');
  const [pending] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(fundDisbursementRequests)
    .where(
      and(eq(fundDisbursementRequests.applicationId, id), eq(fundDisbursementRequests.status, 'pending')),
    );
  if (pending?.count) {
    throw conflict('disbursement_pending', '有拨付申请待县财政局审批，审批或退回后才能结算');
  }
  const [policy] = await tx
    .select({ source: fundPolicies.source })
    .from(fundPolicies)
    .where(eq(fundPolicies.id, row.policyId));
  const source = policy?.source ?? 'provincial';
  const rest = await accountBalance(tx, id, 'commitment');
  if (rest > 0n) {
    const [etown] = await tx
      .select({ name: regions.name })
      .from(regions)
      .where(eq(regions.code, row.etownCode));
    const commitmentId = await ensureAccount(tx, {
      kind: 'commitment',
      source,
      regionCode: row.etownCode,
      applicationId: id,
    });
    const budgetId = await ensureAccount(tx, { kind: 'budget', source, regionCode: row.etownCode });
    await postTransaction(tx, {
      kind: 'settle',
      applicationId: id,
      memo: input.note ?? `“${row.title}”结算，未拨付部分退回预算`,
      createdBy: actor.userId,
      movements: [
        { accountId: commitmentId, amountFen: -rest, label: '本申请已核定待拨付资金' },
        {
          accountId: budgetId,
          amountFen: rest,
          label: accountLabel('budget', source, etown?.name ?? row.etownCode),
        },
      ],
    });
  }
  await tx
    .update(fundApplications)
    .set({ status: 'settled', settledAt: new Date(), version: row.version + 1, updatedAt: new Date() })
    .where(eq(fundApplications.id, id));
  await audit(tx, actor, row, 'funds.application.settle', {
    status: { before: row.status, after: 'settled' },
    returnedYuan: formatFen(rest),
    note: input.note,
  });
  return getApplicationDetail(tx, actor, id);
}
