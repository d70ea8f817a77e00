import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Config, ConfigError } from '../config.ts';

const KEY_PATTERN = /^[0-9a-f]{32}$/i;

/**
 * The SM4 key for data encrypted at rest: EZHEN_SECRET_KEY when set, otherwise a key generated once into
 * the data folder (mode 0600) so the embedded setup needs no configuration. A damaged key file stops
 * start-up instead of encrypting new data under garbage.
 */
export function resolveSecretKey(config: Config): string {
  if (config.secretKeyHex) return config.secretKeyHex.toLowerCase();
  const file = path.resolve(config.dataDir, 'secret.key');
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    if (!KEY_PATTERN.test(key)) {
      throw new ConfigError(
        `配置错误 (configuration error):\n  ${file}: 密钥文件已损坏，应为 32 位十六进制数字（SM4 密钥）。` +
          '请从备份恢复该文件，或设置与数据加密时相同的 EZHEN_SECRET_KEY；不要生成新密钥，否则已加密的数据无法读取。',
      );
    }
    return key.toLowerCase();
  }
  mkdirSync(config.dataDir, { recursive: true });
  // Written whole under another name, then linked into place: two servers starting at once on one data
  // folder never read a half-written key, and the second to link takes the first one's key.
  const key = randomBytes(16).toString('hex');
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, `${key}\n`, { mode: 0o600 });
  try {
    linkSync(draft, file);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return resolveSecretKey(config);
  } finally {
    unlinkSync(draft);
  }
}

/**
 * A key check value (KCV): an HMAC-SM3 of a fixed text under the key, kept in the database, so a start with
 * another key is caught before it reads or writes anything. It reveals nothing about the key.
 */
export function keyCheckValue(keyHex: string): string {
  return createHmac('sm3', Buffer.from(keyHex, 'hex'))
    .update('ezhen-secret-key-check/1')
    .digest('hex')
    .slice(0, 32);
}
