import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Executor } from '../../db/client.ts';
import {
  type FundSource,
  type fundDisbursementRequests,
  type fundDisbursements,
  fundPolicies,
} from '../../db/schema/funds.ts';
import { formatFen } from '../../indicators/exact.ts';
import { ensureAccount } from './fund-ledger.ts';
import type { disbursementRequestSchema, disbursementSchema } from './funds.schemas.ts';

/**
 * What paying an application shares between its use cases: the shape of an instalment and of a request for
 * one (the application's detail, the payment answer and the finance bureau's work list show the same), and
 * the ledger accounts a payment moves between.
 */

type DisbursementRow = typeof fundDisbursements.$inferSelect;
type DisbursementRequestRow = typeof fundDisbursementRequests.$inferSelect;

/** Yuan text of a nullable fen figure. */
export const yuanOrNull = (fen: bigint | null) => (fen === null ? null : formatFen(fen));

export function presentDisbursement(
  row: DisbursementRow,
  people: { createdByName: string | null; approvedByName: string | null },
): z.output<typeof disbursementSchema> {
  return {
    id: row.id,
    instalment: row.instalment,
    amountYuan: formatFen(row.amountFen),
    paidOn: row.paidOn,
    voucherNumber: row.voucherNumber,
    createdByName: people.createdByName,
    approvedByName: people.approvedByName,
    createdAt: row.createdAt.toISOString(),
  };
}

export function presentDisbursementRequest(
  row: DisbursementRequestRow,
  related: { requestedByName: string | null; decidedByName: string | null; instalment: number | null },
): z.output<typeof disbursementRequestSchema> {
  return {
    id: row.id,
    amountYuan: formatFen(row.amountFen),
    voucherNumber: row.voucherNumber,
    note: row.note,
    status: row.status,
    requestedByName: related.requestedByName,
    requestedAt: row.requestedAt.toISOString(),
    decidedByName: related.decidedByName,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decisionNote: row.decisionNote,
    instalment: related.instalment,
  };
}

/** The source of the application's policy: the budget it is committed from and paid out of. */
export async function policySourceOf(executor: Executor, policyId: string): Promise<FundSource> {
  const [policy] = await executor
    .select({ source: fundPolicies.source })
    .from(fundPolicies)
    .where(eq(fundPolicies.id, policyId));
  return policy?.source ?? 'provincial';
}

/** The application's own accounts: approved and not yet paid (commitment), and paid. */
export async function applicationAccounts(
  tx: Executor,
  application: { id: string; etownCode: string },
  source: FundSource,
) {
  const identity = { source, regionCode: application.etownCode, applicationId: application.id };
  const commitmentId = await ensureAccount(tx, { kind: 'commitment', ...identity });
  const paidId = await ensureAccount(tx, { kind: 'paid', ...identity });
  return { commitmentId, paidId };
}
