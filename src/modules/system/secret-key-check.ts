import { existsSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { eq, isNotNull } from 'drizzle-orm';
import { ConfigError } from '../../config.ts';
import type { Executor } from '../../db/client.ts';
import { users } from '../../db/schema/accounts.ts';
import { entities } from '../../db/schema/entities.ts';
import { systemSettings } from '../../db/schema/system.ts';
import type { AppContext } from '../../http/context.ts';
import { sm4Decrypt } from '../../lib/national-crypto.ts';
import { keyCheckValue } from '../../lib/secret-key.ts';

export const KEY_CHECK_SETTING = 'secret_key_check';

/** The key file a rotation writes before it commits; renamed to secret.key once the database has the new key. */
export const pendingKeyFile = (dataDir: string) => path.resolve(dataDir, 'secret.key.new');

/**
 * A rotation that committed but stopped before renaming its key file left the database's key in
 * secret.key.new: it becomes secret.key. Null when there is none or it does not match either.
 */
function adoptPendingKey(dataDir: string, expectedCheck: string): string | null {
  const pending = pendingKeyFile(dataDir);
  if (!existsSync(pending)) return null;
  const key = readFileSync(pending, 'utf8').trim().toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(key) || keyCheckValue(key) !== expectedCheck) return null;
  renameSync(pending, path.resolve(dataDir, 'secret.key'));
  return key;
}

const mismatch = () =>
  new ConfigError(
    '配置错误 (configuration error):\n' +
      '  EZHEN_SECRET_KEY: 当前 SM4 密钥（EZHEN_SECRET_KEY，未设置时为数据目录中的 secret.key）与数据库加密数据时所用的密钥不一致，已停止启动以免数据无法读取或以错误的密钥写入。\n' +
      '  请设置原来的 EZHEN_SECRET_KEY，或把原数据目录的 secret.key 复制回来后再启动。',
  );

/** One value the database holds encrypted, if any: an administrator's TOTP secret or a contact phone. */
async function encryptedSample(executor: Executor): Promise<string | null> {
  const [totp] = await executor
    .select({ cipher: users.totpSecretEncrypted })
    .from(users)
    .where(isNotNull(users.totpSecretEncrypted))
    .limit(1);
  if (totp?.cipher) return totp.cipher;
  const [phone] = await executor
    .select({ cipher: entities.contactPhoneCipher })
    .from(entities)
    .where(isNotNull(entities.contactPhoneCipher))
    .limit(1);
  return phone?.cipher ?? null;
}

function decryptsCleanly(cipher: string, keyHex: string): boolean {
  try {
    return /^[\x20-\x7e]+$/.test(sm4Decrypt(cipher, keyHex));
  } catch {
    return false;
  }
}

/**
 * Start-up refuses an SM4 key that is not the one the data was encrypted with. The database keeps the
 * key's check value; a database from before the check value existed is checked against a value it holds
 * encrypted, then gets its check value.
 */
export async function verifySecretKey(context: AppContext): Promise<void> {
  const { db } = context.database;
  const expected = keyCheckValue(context.secretKeyHex);
  const [stored] = await db.select().from(systemSettings).where(eq(systemSettings.key, KEY_CHECK_SETTING));
  if (stored) {
    if (stored.value === expected) return;
    const adopted = context.config.secretKeyHex
      ? null
      : adoptPendingKey(context.config.dataDir, stored.value as string);
    if (!adopted) throw mismatch();
    context.secretKeyHex = adopted;
    return;
  }
  const sample = await encryptedSample(db);
  if (sample !== null && !decryptsCleanly(sample, context.secretKeyHex)) throw mismatch();
  await db
    .insert(systemSettings)
    .values({ key: KEY_CHECK_SETTING, value: expected, updatedBy: 'system' })
    .onConflictDoNothing();
}
