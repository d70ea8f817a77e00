import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../../access/scope.ts';
import type { Executor, Transaction } from '../../db/client.ts';
import { systemSettings } from '../../db/schema/system.ts';
import type { AppContext } from '../../http/context.ts';
import { formatFen } from '../../indicators/exact.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { putSystemSetting } from '../system/settings.service.ts';

/** The system-settings key the fund rules are stored under. */
export const FUND_SETTINGS_KEY = 'funds.settings';

/** 每个e镇省级补助上限: 20 million yuan unless the province sets another figure. */
export const DEFAULT_PROVINCIAL_CAP_FEN = 2_000_000_000n;

const storedSchema = z.object({ provincialCapPerEtownFen: z.string().regex(/^\d+$/) });

export async function readProvincialCapFen(executor: Executor): Promise<bigint> {
  const [row] = await executor.select().from(systemSettings).where(eq(systemSettings.key, FUND_SETTINGS_KEY));
  const stored = row ? storedSchema.safeParse(row.value) : null;
  return stored?.success ? BigInt(stored.data.provincialCapPerEtownFen) : DEFAULT_PROVINCIAL_CAP_FEN;
}

export async function readFundSettings(context: AppContext) {
  return { provincialCapPerEtownYuan: formatFen(await readProvincialCapFen(context.database.db)) };
}

export async function writeFundSettings(tx: Transaction, actor: Actor, capFen: bigint) {
  const before = await readProvincialCapFen(tx);
  const value = { provincialCapPerEtownFen: capFen.toString() };
  await putSystemSetting(tx, FUND_SETTINGS_KEY, value, actor.username);
  await recordAudit(tx, actor, {
    action: 'funds.settings.update',
    targetType: 'settings',
    targetId: FUND_SETTINGS_KEY,
    diff: { provincialCapPerEtownYuan: { before: formatFen(before), after: formatFen(capFen) } },
  });
  return { provincialCapPerEtownYuan: formatFen(capFen) };
}
