import { z } from 'zod';
import type { Actor } from '../../access/scope.ts';
import type { Executor, Transaction } from '../../db/client.ts';
import type { AppContext } from '../../http/context.ts';
import { formatFen } from '../../indicators/exact.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { putSystemSetting, readSystemSetting, type SystemSettingRow } from '../system/settings.service.ts';

/** The system-settings key the fund rules are stored under. */
export const FUND_SETTINGS_KEY = 'funds.settings';

/** 每个e镇省级补助上限: 20 million yuan unless the province sets another figure. */
export const DEFAULT_PROVINCIAL_CAP_FEN = 2_000_000_000n;

const storedSchema = z.object({ provincialCapPerEtownFen: z.string().regex(/^\d+$/) });

function capFenOf(row: SystemSettingRow | undefined): bigint {
  const stored = row ? storedSchema.safeParse(row.value) : null;
  return stored?.success ? BigInt(stored.data.provincialCapPerEtownFen) : DEFAULT_PROVINCIAL_CAP_FEN;
}

const present = (row: SystemSettingRow | undefined) => ({
  provincialCapPerEtownYuan: formatFen(capFenOf(row)),
  version: row?.version ?? null,
});

export async function readProvincialCapFen(executor: Executor): Promise<bigint> {
  return capFenOf(await readSystemSetting(executor, FUND_SETTINGS_KEY));
}

export async function readFundSettings(context: AppContext) {
  return present(await readSystemSetting(context.database.db, FUND_SETTINGS_KEY));
}

/** `version` is the one the page loaded (null: it showed the default cap); a stale one answers 409. */
export async function writeFundSettings(
  tx: Transaction,
  actor: Actor,
  capFen: bigint,
  version: number | null,
) {
  const before = await readProvincialCapFen(tx);
  const value = { provincialCapPerEtownFen: capFen.toString() };
  const row = await putSystemSetting(tx, FUND_SETTINGS_KEY, value, actor.username, version, present);
  await recordAudit(tx, actor, {
    action: 'funds.settings.update',
    targetType: 'settings',
    targetId: FUND_SETTINGS_KEY,
    diff: { provincialCapPerEtownYuan: { before: formatFen(before), after: formatFen(capFen) } },
  });
  return present(row);
}
