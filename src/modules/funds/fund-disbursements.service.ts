import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../access/scope.ts';
import type { Executor, Transaction } from '../../db/client.ts';
import { users } from '../../db/schema/accounts.ts';
import { entities } from '../../db/schema/entities.ts';
import {
  type DisbursementRequestStatus,
  fundApplications,
  fundDisbursementRequests,
  fundDisbursements,
} from '../../db/schema/funds.ts';
import { regions } from '../../db/schema/regions.ts';
import type { AppContext } from '../../http/context.ts';
import { badRequest, conflict, notFound } from '../../http/errors.ts';
import { formatFen, formatYuan } from '../../indicators/exact.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { notifyUsers, usersCovering } from '../notifications/notifications.service.ts';
import {
  type ApplicationRow,
  accountBalance,
  applicantName,
  applicationScopeCondition,
  audit,
  requireStatus,
  requireVisibleApplication,
} from './fund-application-access.ts';
import { getApplicationDetail } from './fund-application-read.service.ts';
import { disbursementApprovalRequired } from './fund-county-settings.ts';
import { postTransaction } from './fund-ledger.ts';
import {
  applicationAccounts,
  policySourceOf,
  presentDisbursement,
  presentDisbursementRequest,
} from './fund-payments.ts';
import type {
  approveDisbursementBodySchema,
  disburseBodySchema,
  disbursementRequestBodySchema,
  listDisbursementRequestsQuerySchema,
} from './funds.schemas.ts';

type RequestRow = typeof fundDisbursementRequests.$inferSelect;

/** What pending requests of an application ask for: reserved, not payable otherwise. */
async function pendingFen(executor: Executor, applicationId: string): Promise<bigint> {
  const [row] = await executor
    .select({ sum: sql<string>`coalesce(sum(${fundDisbursementRequests.amountFen}), 0)::text` })
    .from(fundDisbursementRequests)
    .where(
      and(
        eq(fundDisbursementRequests.applicationId, applicationId),
        eq(fundDisbursementRequests.status, 'pending'),
      ),
    );
  return BigInt(row?.sum ?? '0');
}

/**
 * An instalment (or a request for one) may take at most what is approved and neither paid nor awaiting the
 * finance bureau. Without pending requests the ledger's own check decides a direct payment, as it always did.
 */
async function requireUnreserved(tx: Executor, row: ApplicationRow, amountFen: bigint, always: boolean) {
  const pending = await pendingFen(tx, row.id);
  if (!always && pending === 0n) return;
  const free = (await accountBalance(tx, row.id, 'commitment')) - pending;
  if (amountFen > free) {
    const waiting = pending > 0n ? `（另有 ${formatYuan(pending)} 元待县财政局审批）` : '';
    throw conflict(
      'insufficient_funds',
      `拨付金额超过可拨付余额 ${formatYuan(free < 0n ? 0n : free)} 元${waiting}`,
      [
        {
          path: 'amountYuan',
          message: `不能超过 ${formatYuan(free < 0n ? 0n : free)} 元`,
          limitYuan: formatFen(free),
        },
      ],
    );
  }
}

type Instalment = {
  amountFen: bigint;
  paidOn: string;
  voucherNumber: string;
  /** Who asked for it, when the finance bureau approves a request; otherwise the actor registers it. */
  requestedBy?: string;
  requestId?: string;
};

/** 拨付: one instalment from the commitment to paid; the commitment's check refuses paying more than approved. */
async function payInstalment(tx: Transaction, actor: Actor, row: ApplicationRow, input: Instalment) {
  const source = await policySourceOf(tx, row.policyId);
  const { commitmentId, paidId } = await applicationAccounts(tx, row, source);
  // The application row is locked, so instalment numbers follow one another without gaps.
  const [last] = await tx
    .select({ instalment: sql<number>`coalesce(max(${fundDisbursements.instalment}), 0)::int` })
    .from(fundDisbursements)
    .where(eq(fundDisbursements.applicationId, row.id));
  const instalment = (last?.instalment ?? 0) + 1;
  const transactionId = await postTransaction(tx, {
    kind: 'disburse',
    applicationId: row.id,
    memo: `“${row.title}”第 ${instalment} 期拨付`,
    reference: input.voucherNumber,
    createdBy: actor.userId,
    movements: [
      { accountId: commitmentId, amountFen: -input.amountFen, label: '本申请已核定待拨付资金' },
      { accountId: paidId, amountFen: input.amountFen, label: '本申请已拨付资金' },
    ],
  });
  const approved = input.requestedBy !== undefined;
  const [created] = await tx
    .insert(fundDisbursements)
    .values({
      applicationId: row.id,
      instalment,
      amountFen: input.amountFen,
      paidOn: input.paidOn,
      voucherNumber: input.voucherNumber,
      transactionId,
      createdBy: input.requestedBy ?? actor.userId,
      approvedBy: approved ? actor.userId : null,
    })
    .returning();
  await audit(tx, actor, row, 'funds.application.disburse', {
    instalment,
    amountYuan: formatFen(input.amountFen),
    paidOn: input.paidOn,
    voucherNumber: input.voucherNumber,
    ...(input.requestId ? { requestId: input.requestId } : {}),
  });
  return created as typeof fundDisbursements.$inferSelect;
}

function requirePaidOnNotFuture(paidOn: string) {
  if (paidOn > shanghaiToday()) {
    throw badRequest('paid_on_in_future', '拨付日期不能晚于今天', [
      { path: 'paidOn', message: '不能晚于今天' },
    ]);
  }
}

/**
 * The county operator pays an instalment. Where the county requires the finance bureau's approval it
 * cannot: it asks for the instalment (`requestDisbursement`) and the bureau approves it.
 */
export async function disburseFundApplication(
  tx: Transaction,
  actor: Actor,
  id: string,
  input: z.output<typeof disburseBodySchema>,
) {
  const row = await requireVisibleApplication(tx, actor, id, true);
  requireStatus(row, ['approved'], '拨付');
  if (await disbursementApprovalRequired(tx, row.etownCode)) {
    throw conflict(
      'finance_approval_required',
      '本县拨付须经县财政局审批：请提交拨付申请，县财政局批准后拨付',
    );
  }
  requirePaidOnNotFuture(input.paidOn);
  await requireUnreserved(tx, row, input.amountFen, false);
  const disbursement = await payInstalment(tx, actor, row, {
    amountFen: input.amountFen,
    paidOn: input.paidOn,
    voucherNumber: input.voucherNumber,
  });
  return presentDisbursement(disbursement, { createdByName: actor.displayName, approvedByName: null });
}

/** 拨付申请: where the county requires it, the county operator asks its finance bureau to pay an instalment. */
export async function requestDisbursement(
  tx: Transaction,
  actor: Actor,
  id: string,
  input: z.output<typeof disbursementRequestBodySchema>,
) {
  const row = await requireVisibleApplication(tx, actor, id, true);
  requireStatus(row, ['approved'], '申请拨付');
  if (!(await disbursementApprovalRequired(tx, row.etownCode))) {
    throw conflict('finance_approval_not_required', '本县拨付无需县财政局审批，请直接登记拨付');
  }
  await requireUnreserved(tx, row, input.amountFen, true);
  const [created] = await tx
    .insert(fundDisbursementRequests)
    .values({
      applicationId: id,
      amountFen: input.amountFen,
      voucherNumber: input.voucherNumber,
      note: input.note,
      requestedBy: actor.userId,
    })
    .returning({ id: fundDisbursementRequests.id });
  const requestId = (created as { id: string }).id;
  await audit(tx, actor, row, 'funds.disbursement.request', {
    requestId,
    amountYuan: formatFen(input.amountFen),
    voucherNumber: input.voucherNumber,
    note: input.note,
  });
  await notifyUsers(tx, await usersCovering(tx, 'county_finance', row.etownCode), {
    kind: 'funds.disbursement.requested',
    title: `拨付申请待审批：“${row.title}” ${formatYuan(input.amountFen)} 元`,
    body: `凭证号 ${input.voucherNumber}${input.note ? `；${input.note}` : ''}`,
  });
  return getApplicationDetail(tx, actor, id);
}

/** The request and its application, both locked, when the actor's scope covers the application; else 404. */
async function requirePendingRequest(tx: Transaction, actor: Actor, requestId: string, action: string) {
  const [found] = await tx
    .select({ applicationId: fundDisbursementRequests.applicationId })
    .from(fundDisbursementRequests)
    .where(eq(fundDisbursementRequests.id, requestId));
  if (!found) throw notFound('拨付申请');
  // The application first (the order every other write locks in), then the request.
  const application = await requireVisibleApplication(tx, actor, found.applicationId, true);
  const [request] = await tx
    .select()
    .from(fundDisbursementRequests)
    .where(eq(fundDisbursementRequests.id, requestId))
    .for('update');
  if (!request) throw notFound('拨付申请');
  if (request.status !== 'pending') {
    throw conflict(
      'disbursement_request_decided',
      `该拨付申请已${request.status === 'approved' ? '批准' : '退回'}，不能${action}`,
    );
  }
  return { application, request };
}

async function decide(
  tx: Transaction,
  actor: Actor,
  request: RequestRow,
  status: Exclude<DisbursementRequestStatus, 'pending'>,
  note: string | null,
  disbursementId: string | null,
) {
  await tx
    .update(fundDisbursementRequests)
    .set({ status, decidedBy: actor.userId, decidedAt: new Date(), decisionNote: note, disbursementId })
    .where(eq(fundDisbursementRequests.id, request.id));
}

/** The county finance bureau approves a request: the instalment is paid on the given day. */
export async function approveDisbursementRequest(
  tx: Transaction,
  actor: Actor,
  requestId: string,
  input: z.output<typeof approveDisbursementBodySchema>,
) {
  const { application, request } = await requirePendingRequest(tx, actor, requestId, '批准');
  requireStatus(application, ['approved'], '拨付');
  requirePaidOnNotFuture(input.paidOn);
  const requestedOn = shanghaiToday(request.requestedAt);
  if (input.paidOn < requestedOn) {
    throw badRequest('paid_on_before_request', `拨付日期不能早于申请日期 ${requestedOn}`, [
      { path: 'paidOn', message: `不能早于 ${requestedOn}` },
    ]);
  }
  const disbursement = await payInstalment(tx, actor, application, {
    amountFen: request.amountFen,
    paidOn: input.paidOn,
    voucherNumber: request.voucherNumber,
    requestedBy: request.requestedBy,
    requestId: request.id,
  });
  await decide(tx, actor, request, 'approved', input.note, disbursement.id);
  await audit(tx, actor, application, 'funds.disbursement.approve', {
    requestId: request.id,
    instalment: disbursement.instalment,
    amountYuan: formatFen(request.amountFen),
    paidOn: input.paidOn,
    note: input.note,
  });
  await notifyUsers(tx, [request.requestedBy], {
    kind: 'funds.disbursement.approved',
    title: `县财政局已批准拨付：“${application.title}”第 ${disbursement.instalment} 期 ${formatYuan(request.amountFen)} 元`,
    body: input.note ?? `拨付日期 ${input.paidOn}`,
  });
  return getApplicationDetail(tx, actor, application.id);
}

/** The county finance bureau returns a request with its reason; nothing is paid. */
export async function returnDisbursementRequest(
  tx: Transaction,
  actor: Actor,
  requestId: string,
  reason: string,
) {
  const { application, request } = await requirePendingRequest(tx, actor, requestId, '退回');
  await decide(tx, actor, request, 'returned', reason, null);
  await audit(tx, actor, application, 'funds.disbursement.return', {
    requestId: request.id,
    amountYuan: formatFen(request.amountFen),
    reason,
  });
  await notifyUsers(tx, [request.requestedBy], {
    kind: 'funds.disbursement.returned',
    title: `县财政局退回拨付申请：“${application.title}” ${formatYuan(request.amountFen)} 元`,
    body: `退回理由：${reason}`,
  });
  return getApplicationDetail(tx, actor, application.id);
}

/** Disbursement requests in the actor's scope (the finance bureau's work list), newest first. */
export async function listDisbursementRequests(
  context: AppContext,
  actor: Actor,
  query: z.output<typeof listDisbursementRequestsQuerySchema>,
) {
  const { db } = context.database;
  const conditions: (SQL | undefined)[] = [
    applicationScopeCondition(actor.scope),
    query.regionCode ? sql`${fundApplications.etownCode} like ${`${query.regionCode}%`}` : undefined,
    query.status ? eq(fundDisbursementRequests.status, query.status) : undefined,
  ];
  const rows = await db
    .select({
      row: fundDisbursementRequests,
      application: {
        id: fundApplications.id,
        title: fundApplications.title,
        etownCode: fundApplications.etownCode,
      },
      etownName: regions.name,
      entityName: entities.name,
      requestedByName: users.displayName,
      instalment: fundDisbursements.instalment,
    })
    .from(fundDisbursementRequests)
    .innerJoin(fundApplications, eq(fundApplications.id, fundDisbursementRequests.applicationId))
    .innerJoin(regions, eq(regions.code, fundApplications.etownCode))
    .leftJoin(entities, eq(entities.id, fundApplications.entityId))
    .leftJoin(users, eq(users.id, fundDisbursementRequests.requestedBy))
    .leftJoin(fundDisbursements, eq(fundDisbursements.id, fundDisbursementRequests.disbursementId))
    .where(and(...conditions))
    .orderBy(desc(fundDisbursementRequests.requestedAt), asc(fundDisbursementRequests.id))
    .limit(500);
  const deciders = await namesOf(
    db,
    rows.map(({ row }) => row.decidedBy),
  );
  return rows.map(({ row, application, etownName, entityName, requestedByName, instalment }) => ({
    ...presentDisbursementRequest(row, {
      requestedByName,
      decidedByName: row.decidedBy ? (deciders.get(row.decidedBy) ?? null) : null,
      instalment,
    }),
    applicationId: application.id,
    applicationTitle: application.title,
    etownCode: application.etownCode,
    etownName,
    applicantName: applicantName(entityName, etownName),
  }));
}

async function namesOf(executor: Executor, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map<string, string>();
  const rows = await executor
    .select({ id: users.id, name: users.displayName })
    .from(users)
    .where(inArray(users.id, wanted));
  return new Map(rows.map((row) => [row.id, row.name]));
}
