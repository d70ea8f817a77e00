import { and, asc, desc, eq, or, type SQL, sql } from 'drizzle-orm';
import type { Actor, Scope } from '../../access/scope.ts';
import { scopeRoots } from '../../access/scope.ts';
import type { Executor, Transaction } from '../../db/client.ts';
import { fundPolicies } from '../../db/schema/funds.ts';
import { staleVersion } from '../../db/versioned-update.ts';
import type { AppContext } from '../../http/context.ts';
import { forbidden, notFound } from '../../http/errors.ts';
import { formatFen } from '../../indicators/exact.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { diffObjects, recordAudit } from '../audit/audit.service.ts';
import { regionNames } from '../regions/region-names.ts';
import type { FundPolicy, FundPolicyInput } from './funds.schemas.ts';

export type FundPolicyRow = typeof fundPolicies.$inferSelect;

const PROVINCE = '14';

/** Policies a scope sees: those issued above it (they apply to it) and those issued inside it. */
export function policyScopeCondition(scope: Scope): SQL | undefined {
  const roots = scopeRoots(scope);
  if (roots === null) return undefined;
  if (roots.length === 0) return sql`false`;
  return or(
    ...roots.map(
      (root) =>
        sql`(${root} like ${fundPolicies.regionCode} || '%' or ${fundPolicies.regionCode} like ${`${root}%`})`,
    ),
  );
}

/** The region a caller issues policies for: the province for the province admin, else their own scope. */
export function issuingRegion(actor: Actor): string | null {
  if (actor.scope.kind === 'all') return PROVINCE;
  if (actor.scope.kind === 'region') return actor.scope.code;
  return null;
}

export const policyValidOn = (policy: FundPolicyRow, day: string) =>
  policy.validFrom <= day && (policy.validTo === null || policy.validTo >= day);

export async function presentPolicies(
  executor: Executor,
  actor: Actor,
  rows: FundPolicyRow[],
): Promise<FundPolicy[]> {
  const nameOf = await regionNames(
    executor,
    rows.map((row) => row.regionCode),
  );
  const today = shanghaiToday();
  const home = issuingRegion(actor);
  return rows.map((row) => ({
    id: row.id,
    regionCode: row.regionCode,
    regionName: nameOf.get(row.regionCode) ?? row.regionCode,
    name: row.name,
    supportMode: row.supportMode,
    source: row.source,
    standardKind: row.standardKind,
    amountYuan: row.amountFen === null ? null : formatFen(row.amountFen),
    ratePercent: row.rateBp === null ? null : formatFen(BigInt(row.rateBp)),
    capYuan: row.capFen === null ? null : formatFen(row.capFen),
    conditions: row.conditions,
    documentTitle: row.documentTitle,
    documentNumber: row.documentNumber,
    issuedOn: row.issuedOn,
    validFrom: row.validFrom,
    validTo: row.validTo,
    validToday: policyValidOn(row, today),
    editable: home === row.regionCode,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  }));
}

/** The policy when the actor may see it; otherwise 404. */
export async function requireVisiblePolicy(executor: Executor, actor: Actor, id: string, lock = false) {
  const query = executor
    .select()
    .from(fundPolicies)
    .where(and(eq(fundPolicies.id, id), policyScopeCondition(actor.scope)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('资金政策');
  return row;
}

export async function listFundPolicies(
  context: AppContext,
  actor: Actor,
  query: { validOn?: string | undefined },
) {
  const { db } = context.database;
  const rows = await db
    .select()
    .from(fundPolicies)
    .where(
      and(
        policyScopeCondition(actor.scope),
        query.validOn
          ? sql`${fundPolicies.validFrom} <= ${query.validOn} and (${fundPolicies.validTo} is null or ${fundPolicies.validTo} >= ${query.validOn})`
          : undefined,
      ),
    )
    .orderBy(asc(fundPolicies.regionCode), desc(fundPolicies.issuedOn), asc(fundPolicies.name));
  return presentPolicies(db, actor, rows);
}

const columns = (input: FundPolicyInput) => ({
  name: input.name,
  supportMode: input.supportMode,
  source: input.source,
  standardKind: input.standardKind,
  amountFen: input.standardKind === 'amount' ? input.amountFen : null,
  rateBp: input.standardKind === 'rate' ? input.ratePercent : null,
  capFen: input.capFen,
  conditions: input.conditions,
  documentTitle: input.documentTitle,
  documentNumber: input.documentNumber,
  issuedOn: input.issuedOn,
  validFrom: input.validFrom,
  validTo: input.validTo,
});

const auditView = (row: Partial<FundPolicyRow>) => ({
  ...row,
  amountFen: row.amountFen?.toString() ?? null,
  capFen: row.capFen?.toString() ?? null,
  createdAt: undefined,
  updatedAt: undefined,
});

export async function createFundPolicy(tx: Transaction, actor: Actor, input: FundPolicyInput) {
  const regionCode = issuingRegion(actor);
  if (!regionCode) throw forbidden('当前账号不能发布资金政策');
  const [created] = await tx
    .insert(fundPolicies)
    .values({ ...columns(input), regionCode, createdBy: actor.userId })
    .returning();
  const policy = created as FundPolicyRow;
  await recordAudit(tx, actor, {
    action: 'funds.policy.create',
    targetType: 'fund_policy',
    targetId: policy.id,
    regionCode: policy.regionCode,
    diff: auditView(policy),
  });
  const [presented] = await presentPolicies(tx, actor, [policy]);
  return presented as FundPolicy;
}

export async function updateFundPolicy(
  tx: Transaction,
  actor: Actor,
  id: string,
  input: FundPolicyInput,
  version: number,
) {
  const before = await requireVisiblePolicy(tx, actor, id, true);
  if (issuingRegion(actor) !== before.regionCode) throw forbidden('只能修改本级发布的资金政策');
  if (before.version !== version) {
    const [current] = await presentPolicies(tx, actor, [before]);
    throw staleVersion(current);
  }
  const [updated] = await tx
    .update(fundPolicies)
    .set({ ...columns(input), version: before.version + 1, updatedAt: new Date() })
    .where(eq(fundPolicies.id, id))
    .returning();
  const after = updated as FundPolicyRow;
  await recordAudit(tx, actor, {
    action: 'funds.policy.update',
    targetType: 'fund_policy',
    targetId: id,
    regionCode: after.regionCode,
    diff: diffObjects(auditView(before), auditView(after)),
  });
  const [presented] = await presentPolicies(tx, actor, [after]);
  return presented as FundPolicy;
}
