import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { systemSettings } from '../../db/schema/system.ts';
import type { AppContext } from '../../http/context.ts';
import { badRequest } from '../../http/errors.ts';
import { idNumberBlindIndex } from '../../lib/id-number.ts';
import { sm4Decrypt, sm4Encrypt } from '../../lib/national-crypto.ts';
import { keyCheckValue } from '../../lib/secret-key.ts';
import { rewrapTotpSecrets } from '../accounts/secret-rewrap.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { rewrapContactPhones } from '../entities/secret-rewrap.ts';
import { rewrapTraineeSecrets } from '../talent/secret-rewrap.ts';
import { traceMacKeyOf } from '../trace/trace-code.ts';
import { KEY_CHECK_SETTING, pendingKeyFile } from './secret-key-check.ts';

/** The trace codes' MAC key, kept encrypted under the SM4 key once the SM4 key has been rotated. */
export const TRACE_MAC_KEY_SETTING = 'trace_mac_key';

const KEY_PATTERN = /^[0-9a-f]{32}$/;

/** After the key check: the trace MAC key kept over an earlier rotation, if any, decrypted into the context. */
export async function loadTraceMacKey(context: AppContext): Promise<void> {
  const [stored] = await context.database.db
    .select()
    .from(systemSettings)
    .where(eq(systemSettings.key, TRACE_MAC_KEY_SETTING));
  if (stored) context.traceMacKeyHex = sm4Decrypt(stored.value as string, context.secretKeyHex);
}

async function upsertSetting(executor: Executor, key: string, value: string, updatedBy: string) {
  await executor
    .insert(systemSettings)
    .values({ key, value, updatedBy })
    .onConflictDoUpdate({ target: systemSettings.key, set: { value, updatedBy, updatedAt: new Date() } });
}

export type RotationSummary = {
  totpSecrets: number;
  entityPhones: number;
  applicationPhones: number;
  traineeIdentities: number;
};

/**
 * Re-encrypts every value held under the SM4 key (TOTP secrets, contact phones, phones in entry
 * applications, trainees' ID numbers and phones with the ID numbers' blind index, the trace MAC key) under
 * `newKeyHex`, and records the new key's check value, in one
 * transaction: a failure leaves everything under the old key. Printed trace codes stay valid: their MAC
 * key is kept, not re-derived.
 */
export async function reencryptUnderNewKey(
  context: AppContext,
  newKeyHex: string,
  actor: { username: string; ip: string },
): Promise<RotationSummary> {
  const oldKey = context.secretKeyHex;
  const newKey = newKeyHex.toLowerCase();
  if (!KEY_PATTERN.test(newKey))
    throw badRequest('validation_failed', '新密钥须为 32 位十六进制数字（SM4 128 位）');
  if (newKey === oldKey) throw badRequest('validation_failed', '新密钥与当前密钥相同');
  const rewrap = (cipher: string) => sm4Encrypt(sm4Decrypt(cipher, oldKey), newKey);
  const reindex = (cipher: string) => idNumberBlindIndex(sm4Decrypt(cipher, oldKey), newKey);
  return context.database.db.transaction(async (tx) => {
    const summary: RotationSummary = {
      totpSecrets: await rewrapTotpSecrets(tx, rewrap),
      ...(await rewrapContactPhones(tx, rewrap)),
      ...(await rewrapTraineeSecrets(tx, rewrap, reindex)),
    };
    await upsertSetting(
      tx,
      TRACE_MAC_KEY_SETTING,
      sm4Encrypt(traceMacKeyOf(context), newKey),
      actor.username,
    );
    await upsertSetting(tx, KEY_CHECK_SETTING, keyCheckValue(newKey), actor.username);
    await recordAudit(tx, actor, {
      action: 'system.rotate_secret_key',
      targetType: 'database',
      targetId: 'sm4',
      diff: { ...summary, newKeyCheck: keyCheckValue(newKey) },
    });
    return summary;
  });
}

/**
 * `ezhen key rotate`: a new random key (or the one given), everything re-encrypted under it. With the key
 * in the data folder the new key is written next to it first and takes its place once the database has
 * committed (a start in between picks it up: see verifySecretKey); with EZHEN_SECRET_KEY the operator
 * must set the new value before the next start.
 */
export async function rotateSecretKey(
  context: AppContext,
  actor: { username: string; ip: string },
  newKeyHex: string = randomBytes(16).toString('hex'),
): Promise<{ newKeyHex: string; keyFile: string | null; summary: RotationSummary }> {
  const keyInFile = !context.config.secretKeyHex;
  const keyFile = path.resolve(context.config.dataDir, 'secret.key');
  const pending = pendingKeyFile(context.config.dataDir);
  if (keyInFile) writeFileSync(pending, `${newKeyHex.toLowerCase()}\n`, { mode: 0o600 });
  try {
    const summary = await reencryptUnderNewKey(context, newKeyHex, actor);
    if (keyInFile) renameSync(pending, keyFile);
    return { newKeyHex: newKeyHex.toLowerCase(), keyFile: keyInFile ? keyFile : null, summary };
  } catch (error) {
    if (keyInFile) rmSync(pending, { force: true });
    throw error;
  }
}
