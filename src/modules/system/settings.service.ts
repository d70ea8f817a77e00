import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../../access/scope.ts';
import type { Executor, Transaction } from '../../db/client.ts';
import { systemSettings } from '../../db/schema/system.ts';
import { upsertVersioned } from '../../db/versioned-upsert.ts';
import type { AppContext } from '../../http/context.ts';
import { loadedVersionSchema, storedVersionSchema } from '../../http/schemas.ts';
import { diffObjects, recordAudit } from '../audit/audit.service.ts';

export const settingsSchema = z.object({
  loginNotice: z.string().trim().max(500, '登录页公告不超过 500 字'),
  supportContact: z.string().trim().max(200, '技术支持联系方式不超过 200 字'),
});
export type Settings = z.infer<typeof settingsSchema>;
export const settingsBodySchema = settingsSchema.extend({ version: loadedVersionSchema });
export type SettingsBody = z.infer<typeof settingsBodySchema>;
export const settingsViewSchema = settingsSchema.extend({ version: storedVersionSchema });
export type SettingsView = z.infer<typeof settingsViewSchema>;

const defaults: Settings = { loginNotice: '', supportContact: '' };
const KEY = 'platform';

export type SystemSettingRow = typeof systemSettings.$inferSelect;

/** The stored row of a setting (its value and version), undefined while the defaults apply. */
export async function readSystemSetting(
  executor: Executor,
  key: string,
): Promise<SystemSettingRow | undefined> {
  const [row] = await executor.select().from(systemSettings).where(eq(systemSettings.key, key));
  return row;
}

/**
 * Stores one setting under its key inside the caller's transaction; modules keep their own settings
 * (monthly rules, trace rules, fund caps) here through this function, and audit the change themselves.
 * A key's row is one settings document saved whole, so its version versions the document: `version` is the
 * one the caller loaded (null: it loaded none, a first save); a stale one answers 409 with `present(row)`.
 */
export function putSystemSetting(
  tx: Transaction,
  key: string,
  value: unknown,
  updatedBy: string,
  version: number | null,
  present: (current: SystemSettingRow | undefined) => Promise<unknown> | unknown,
): Promise<SystemSettingRow> {
  return upsertVersioned(
    tx,
    systemSettings,
    eq(systemSettings.key, key),
    version,
    { insert: { key, value, updatedBy }, update: { value, updatedAt: new Date(), updatedBy } },
    present,
  );
}

function presentSettings(row: SystemSettingRow | undefined): SettingsView {
  return {
    ...defaults,
    ...(row ? settingsSchema.partial().parse(row.value) : {}),
    version: row?.version ?? null,
  };
}

export async function readSettings(context: AppContext): Promise<SettingsView> {
  return presentSettings(await readSystemSetting(context.database.db, KEY));
}

export async function writeSettings(
  context: AppContext,
  actor: Actor,
  input: SettingsBody,
): Promise<SettingsView> {
  const { version, ...settings } = input;
  return context.database.db.transaction(async (tx) => {
    const before = presentSettings(await readSystemSetting(tx, KEY));
    const row = await putSystemSetting(tx, KEY, settings, actor.username, version ?? null, presentSettings);
    const { version: _before, ...beforeSettings } = before;
    await recordAudit(tx, actor, {
      action: 'settings.update',
      targetType: 'settings',
      targetId: KEY,
      diff: diffObjects(beforeSettings, settings),
    });
    return presentSettings(row);
  });
}
