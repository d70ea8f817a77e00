import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../../access/scope.ts';
import type { Executor } from '../../db/client.ts';
import { systemSettings } from '../../db/schema/system.ts';
import type { AppContext } from '../../http/context.ts';
import { diffObjects, recordAudit } from '../audit/audit.service.ts';
import { putSystemSetting } from '../system/settings.service.ts';
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

export const defaultTraceRules: TraceRules = { excessiveScanThreshold: 20 };

const KEY = 'trace.scan-rules';

export async function readTraceRules(executor: Executor): Promise<TraceRules> {
  const [row] = await executor.select().from(systemSettings).where(eq(systemSettings.key, KEY));
  const stored = row ? traceRulesSchema.safeParse(row.value) : null;
  return stored?.success ? stored.data : defaultTraceRules;
}

export async function writeTraceRules(
  context: AppContext,
  actor: Actor,
  rules: TraceRules,
): Promise<TraceRules> {
  await context.database.db.transaction(async (tx) => {
    const before = await readTraceRules(tx);
    await putSystemSetting(tx, KEY, rules, actor.username);
    await recordAudit(tx, actor, {
      action: 'trace.rules.update',
      targetType: 'settings',
      targetId: KEY,
      diff: diffObjects(before, rules),
    });
  });
  invalidateScanPages();
  return rules;
}
