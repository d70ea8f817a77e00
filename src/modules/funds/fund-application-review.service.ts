import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../access/scope.ts';
import type { Transaction } from '../../db/client.ts';
import { fundApplicationFiles, fundApplications, fundDisbursementRequests } from '../../db/schema/funds.ts';
import { regions } from '../../db/schema/regions.ts';
import { conflict } from '../../http/errors.ts';
import { formatFen, formatYuan } from '../../indicators/exact.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import {
  type ApplicationRow,
  accountBalance,
  audit,
  rateLimitOf,
  requireApplicablePolicy,
  requireStatus,
  requireVisibleApplication,
} from './fund-application-access.ts';
import { getApplicationDetail } from './fund-application-read.service.ts';
import { accountLabel, ensureAccount, postTransaction } from './fund-ledger.ts';
import { applicationAccounts, policySourceOf } from './fund-payments.ts';
import type { FundPolicyRow } from './fund-policies.service.ts';
import { eligibleBaseLabel, rateLimitCeilingFen, rateLimitProblems } from './fund-rate-ceiling.ts';
import type { approveBodySchema, settleBodySchema } from './funds.schemas.ts';

/** The county's decisions on an application: 退回, 不予支持, 核定, and 结算 once it is paid. */

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
 * Refuses an approved amount above the request, the policy's standard (a fixed amount, or the base × rate
 * rounded down to the fen) or its cap, naming the most that may be approved.
 */
function requireApprovableAmount(row: ApplicationRow, policy: FundPolicyRow, amountFen: bigint) {
  const problems: string[] = [];
  // What may be approved at most: the request, and the policy's standard and cap.
  let most = row.requestedFen;
  const bound = (limit: bigint | null) => {
    if (limit !== null && limit < most) most = limit;
  };
  if (amountFen > row.requestedFen) problems.push(`不能超过申请金额 ${formatYuan(row.requestedFen)} 元`);
  if (policy.standardKind === 'rate') {
    // Checked against the policy as it stands today, as the cap always was: a lowered rate binds too.
    const limit = rateLimitOf(policy, row.eligibleBaseFen);
    if (!limit) {
      throw conflict(
        'application_eligible_base_missing',
        `该申请未填写${eligibleBaseLabel(policy.supportMode)}，不能按政策比例核定，请退回申请人补充`,
      );
    }
    problems.push(...rateLimitProblems(amountFen, limit));
    bound(rateLimitCeilingFen(limit));
  } else {
    if (policy.capFen !== null && amountFen > policy.capFen) {
      problems.push(`不能超过政策单项上限 ${formatYuan(policy.capFen)} 元`);
    }
    if (policy.amountFen !== null && amountFen > policy.amountFen) {
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
}

/** Moves the approved amount from the e-town's budget of the policy's source to the application's commitment. */
async function commitApprovedAmount(
  tx: Transaction,
  actor: Actor,
  row: ApplicationRow,
  policy: FundPolicyRow,
  amountFen: bigint,
) {
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
  const { commitmentId } = await applicationAccounts(tx, row, policy.source);
  await postTransaction(tx, {
    kind: 'approve',
    applicationId: row.id,
    memo: `核定“${row.title}”`,
    reference: policy.documentNumber,
    createdBy: actor.userId,
    movements: [
      { accountId: budgetId, amountFen: -amountFen, label: accountLabel('budget', policy.source, etownName) },
      { accountId: commitmentId, amountFen, label: '本申请已核定待拨付资金' },
    ],
  });
}

/**
 * 核定: the county approves an amount (≤ requested, ≤ the policy's standard and its cap, the policy valid
 * today) and commits it from the e-town's budget of the policy's source; the budget's own check refuses
 * overspending.
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
  const amountFen = input.approvedFen;
  requireApprovableAmount(row, policy, amountFen);
  const [files] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(fundApplicationFiles)
    .where(eq(fundApplicationFiles.applicationId, id));
  if (!files?.count) throw conflict('evidence_required', '申请尚未上传证明材料，不能核定');
  await commitApprovedAmount(tx, actor, row, policy, amountFen);
  await tx
    .update(fundApplications)
    .set({
      status: 'approved',
      approvedFen: amountFen,
      reviewReason: input.reason,
      reviewedBy: actor.userId,
      reviewedAt: new Date(),
      version: row.version + 1,
      updatedAt: new Date(),
    })
    .where(eq(fundApplications.id, id));
  await audit(tx, actor, row, 'funds.application.approve', {
    status: { before: row.status, after: 'approved' },
    approvedYuan: formatFen(amountFen),
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
  const source = await policySourceOf(tx, row.policyId);
  const rest = await accountBalance(tx, id, 'commitment');
  if (rest > 0n) {
    const [etown] = await tx
      .select({ name: regions.name })
      .from(regions)
      .where(eq(regions.code, row.etownCode));
    const { commitmentId } = await applicationAccounts(tx, row, source);
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
