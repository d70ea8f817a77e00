import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../../access/scope.ts';
import type { Transaction } from '../../db/client.ts';
import { systemSettings } from '../../db/schema/system.ts';
import type { AppContext } from '../../http/context.ts';
import { diffObjects, recordAudit } from '../audit/audit.service.ts';

export const settingsSchema = z.object({
  loginNotice: z.string().trim().max(500, '登录页公告不超过 500 字'),
  supportContact: z.string().trim().max(200, '技术支持联系方式不超过 200 字'),
});
export type Settings = z.infer<typeof settingsSchema>;

const defaults: Settings = { loginNotice: '', supportContact: '' };
const KEY = 'platform';

/**
 * Stores one setting under its key inside the caller's transaction; modules keep their own settings
 * (monthly rules, trace rules, fund caps) here through this function, and audit the change themselves.
 */
export async function putSystemSetting(tx: Transaction, key: string, value: unknown, updatedBy: string) {
  await tx
    .insert(systemSettings)
    .values({ key, value, updatedBy })
    .onConflictDoUpdate({ target: systemSettings.key, set: { value, updatedAt: new Date(), updatedBy } });
}

export async function readSettings(context: AppContext): Promise<Settings> {
  const [row] = await context.database.db.select().from(systemSettings).where(eq(systemSettings.key, KEY));
  return { ...defaults, ...(row ? settingsSchema.partial().parse(row.value) : {}) };
}

export async function writeSettings(context: AppContext, actor: Actor, input: Settings): Promise<Settings> {
  const before = await readSettings(context);
  await context.database.db.transaction(async (tx) => {
    await putSystemSetting(tx, KEY, input, actor.username);
    await recordAudit(tx, actor, {
      action: 'settings.update',
      targetType: 'settings',
      targetId: KEY,
      diff: diffObjects(before, input),
    });
  });
  return input;
}
