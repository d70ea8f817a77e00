import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';

/**
 * The SM4 key for data encrypted at rest: EZHEN_SECRET_KEY when set, otherwise a key generated once into
 * the data folder (mode 0600) so the embedded setup needs no configuration.
 */
export function resolveSecretKey(config: Config): string {
  if (config.secretKeyHex) return config.secretKeyHex.toLowerCase();
  const file = path.resolve(config.dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(16).toString('hex');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
