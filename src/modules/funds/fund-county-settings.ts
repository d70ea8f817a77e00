import { eq } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import type { Executor, Transaction } from '../../db/client.ts';
import { users } from '../../db/schema/accounts.ts';
import { countyFundSettings } from '../../db/schema/funds.ts';
import { upsertVersioned } from '../../db/versioned-upsert.ts';
import type { AppContext } from '../../http/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';

/** The county of an e-town (140827-E01 → 140827) or the county itself. */
export const countyOf = (regionCode: string) => regionCode.slice(0, 6);

/** 拨付需县财政局审批: does the county of this e-town require its finance bureau's approval before paying? */
export async function disbursementApprovalRequired(executor: Executor, regionCode: string): Promise<boolean> {
  const [row] = await executor
    .select({ required: countyFundSettings.disbursementApprovalRequired })
    .from(countyFundSettings)
    .where(eq(countyFundSettings.countyCode, countyOf(regionCode)));
  return row?.required ?? false;
}

async function present(executor: Executor, countyCode: string, countyName: string) {
  const [row] = await executor
    .select({ settings: countyFundSettings, updatedByName: users.displayName })
    .from(countyFundSettings)
    .leftJoin(users, eq(users.id, countyFundSettings.updatedBy))
    .where(eq(countyFundSettings.countyCode, countyCode));
  return {
    countyCode,
    countyName,
    disbursementApprovalRequired: row?.settings.disbursementApprovalRequired ?? false,
    updatedByName: row?.updatedByName ?? null,
    updatedAt: row?.settings.updatedAt.toISOString() ?? null,
    version: row?.settings.version ?? null,
  };
}

/** A county's fund settings, for those whose scope covers the county (404 otherwise). */
export async function readCountyFundSettings(context: AppContext, actor: Actor, countyCode: string) {
  const { db } = context.database;
  const county = await requireVisibleRegion(db, actor, countyCode, 'county');
  return present(db, county.code, county.name);
}

/**
 * The county operator switches its county's finance-bureau approval of disbursements on or off; audited.
 * `version` is the one the page loaded (absent or null: it showed the default); a stale one answers 409.
 */
export async function writeCountyFundSettings(
  tx: Transaction,
  actor: Actor,
  countyCode: string,
  input: { disbursementApprovalRequired: boolean; version?: number | null | undefined },
) {
  const county = await requireVisibleRegion(tx, actor, countyCode, 'county');
  const before = await disbursementApprovalRequired(tx, county.code);
  const values = {
    disbursementApprovalRequired: input.disbursementApprovalRequired,
    updatedBy: actor.userId,
    updatedAt: new Date(),
  };
  await upsertVersioned(
    tx,
    countyFundSettings,
    eq(countyFundSettings.countyCode, county.code),
    input.version ?? null,
    { insert: { countyCode: county.code, ...values }, update: values },
    () => present(tx, county.code, county.name),
  );
  await recordAudit(tx, actor, {
    action: 'funds.county-settings.update',
    targetType: 'county_fund_settings',
    targetId: county.code,
    regionCode: county.code,
    diff: {
      disbursementApprovalRequired: { before, after: input.disbursementApprovalRequired },
    },
  });
  return present(tx, county.code, county.name);
}
