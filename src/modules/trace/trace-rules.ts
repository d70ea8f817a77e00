import { z } from 'zod';
import type { Actor } from '../../access/scope.ts';
import type { Executor } from '../../db/client.ts';
import type { AppContext } from '../../http/context.ts';
import { loadedVersionSchema, storedVersionSchema } from '../../http/schemas.ts';
import { diffObjects, recordAudit } from '../audit/audit.service.ts';
import { putSystemSetting, readSystemSetting, type SystemSettingRow } from '../system/settings.service.ts';
import { invalidateScanPages } from './scan-cache.ts';

/** When a scan counts as suspicious; set by the province, stored in system settings. */
export const traceRulesSchema = z.object({
  /**
   * A code scanned more often than this is flagged (excessive_scans) and its page warns of a possible
   * counterfeit: a real package is scanned a few times, a copied label by everyone who buys the copy.
   */
  excessiveScanThreshold: z
    .number()
    .int('须为整数')
    .min(2, '阈值至少为 2 次')
    .max(100_000, '阈值不超过 100000 次'),
});
export type TraceRules = z.infer<typeof traceRulesSchema>;
export const traceRulesBodySchema = traceRulesSchema.extend({ version: loadedVersionSchema });
export type TraceRulesBody = z.infer<typeof traceRulesBodySchema>;
/** The rules as the settings page loads them, with the version of the stored document (null: defaults). */
export const traceRulesViewSchema = traceRulesSchema.extend({ version: storedVersionSchema });
export type TraceRulesView = z.infer<typeof traceRulesViewSchema>;

export const defaultTraceRules: TraceRules = { excessiveScanThreshold: 20 };

const KEY = 'trace.scan-rules';

function rulesOf(row: SystemSettingRow | undefined): TraceRules {
  const stored = row ? traceRulesSchema.safeParse(row.value) : null;
  return stored?.success ? stored.data : defaultTraceRules;
}

const presentRules = (row: SystemSettingRow | undefined): TraceRulesView => ({
  ...rulesOf(row),
  version: row?.version ?? null,
});

export async function readTraceRules(executor: Executor): Promise<TraceRules> {
  return rulesOf(await readSystemSetting(executor, KEY));
}

export async function readTraceRulesView(executor: Executor): Promise<TraceRulesView> {
  return presentRules(await readSystemSetting(executor, KEY));
}

export async function writeTraceRules(
  context: AppContext,
  actor: Actor,
  input: TraceRulesBody,
): Promise<TraceRulesView> {
  const { version, ...rules } = input;
  const row = await context.database.db.transaction(async (tx) => {
    const before = await readTraceRules(tx);
    const written = await putSystemSetting(tx, KEY, rules, actor.username, version ?? null, presentRules);
    await recordAudit(tx, actor, {
      action: 'trace.rules.update',
      targetType: 'settings',
      targetId: KEY,
      diff: diffObjects(before, rules),
    });
    return written;
  });
  invalidateScanPages();
  return presentRules(row);
}
