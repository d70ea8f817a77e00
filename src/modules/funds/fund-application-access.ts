import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Actor, Scope } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import type { Executor } from '../../db/client.ts';
import { fundAccounts, fundApplications } from '../../db/schema/funds.ts';
import { conflict, forbidden, notFound } from '../../http/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { type FundPolicyRow, policyValidOn, requireVisiblePolicy } from './fund-policies.service.ts';
import type { RateLimit } from './fund-rate-ceiling.ts';
import { fundApplicationStatusLabels } from './funds.schemas.ts';

/** Who may touch which application, and the checks every use case of an application shares. */

export type ApplicationRow = typeof fundApplications.$inferSelect;
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
export function requireApplicantSide(actor: Actor, row: ApplicationRow) {
  const own =
    actor.role === 'enterprise'
      ? actor.scope.kind === 'entity' && row.entityId !== null && row.entityId === actor.scope.entityId
      : actor.role === 'etown_operator' && row.entityId === null;
  if (!own) throw forbidden('只有申请人可以修改申请或上传材料');
}

/** The policy must apply to the e-town (issued at or above it) and be in force on `day`. */
export async function requireApplicablePolicy(
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

/** A rate-type policy's limit on an application with this base; null under an amount-type policy or without a base. */
export function rateLimitOf(policy: FundPolicyRow, baseFen: bigint | null): RateLimit | null {
  if (policy.standardKind !== 'rate' || policy.rateBp === null || baseFen === null) return null;
  return { mode: policy.supportMode, baseFen, rateBp: policy.rateBp, capFen: policy.capFen };
}

export async function accountBalance(executor: Executor, applicationId: string, kind: 'commitment' | 'paid') {
  const [row] = await executor
    .select({ balance: fundAccounts.balanceFen })
    .from(fundAccounts)
    .where(and(eq(fundAccounts.applicationId, applicationId), eq(fundAccounts.kind, kind)));
  return row?.balance ?? 0n;
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

export const applicantName = (entityName: string | null, etownName: string) =>
  entityName ?? `${etownName}运营主体`;
