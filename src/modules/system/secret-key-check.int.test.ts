import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.ts';
import { entities } from '../../db/schema/entities.ts';
import { systemSettings } from '../../db/schema/system.ts';
import { sm4Encrypt } from '../../lib/national-crypto.ts';
import { resolveSecretKey } from '../../lib/secret-key.ts';
import { prepareDatabase } from '../../runtime.ts';
import { createSeededApp, createTestContext, testBackends } from '../../test/test-context.ts';
import { KEY_CHECK_SETTING, verifySecretKey } from './secret-key-check.ts';

const OTHER_KEY = 'fedcba9876543210fedcba9876543210';

describe.each(testBackends)('the SM4 key is checked at start-up on %s', (backend) => {
  it('keeps a check value on first start, and refuses another key naming EZHEN_SECRET_KEY', async () => {
    const context = await createTestContext(backend);
    try {
      await prepareDatabase(context, { seedDemoWhenEmpty: false });
      const [stored] = await context.database.db
        .select()
        .from(systemSettings)
        .where(eq(systemSettings.key, KEY_CHECK_SETTING));
      expect(stored?.value).toMatch(/^[0-9a-f]{32}$/);
      expect(JSON.stringify(stored?.value)).not.toContain(context.secretKeyHex);
      await prepareDatabase(context, { seedDemoWhenEmpty: false });

      const wrong = { ...context, secretKeyHex: OTHER_KEY };
      const refused = await verifySecretKey(wrong).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ConfigError);
      expect((refused as Error).message).toContain('EZHEN_SECRET_KEY');
      expect((refused as Error).message).toContain('secret.key');
      await expect(prepareDatabase(wrong, { seedDemoWhenEmpty: false })).rejects.toBeInstanceOf(ConfigError);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('checks a database from before the check value against a value it holds encrypted', async () => {
    const { context, app } = await createSeededApp(backend);
    try {
      // A registry entity with its contact phone SM4-encrypted, and no check value yet.
      const [entity] = await context.database.db.select({ id: entities.id }).from(entities).limit(1);
      await context.database.db
        .update(entities)
        .set({ contactPhoneCipher: sm4Encrypt('13800001111', context.secretKeyHex) })
        .where(eq(entities.id, entity?.id as string));
      await context.database.db.delete(systemSettings).where(eq(systemSettings.key, KEY_CHECK_SETTING));
      await expect(verifySecretKey({ ...context, secretKeyHex: OTHER_KEY })).rejects.toBeInstanceOf(
        ConfigError,
      );
      const [none] = await context.database.db
        .select()
        .from(systemSettings)
        .where(eq(systemSettings.key, KEY_CHECK_SETTING));
      expect(none).toBeUndefined();
      await verifySecretKey(context);
      await verifySecretKey(context);
    } finally {
      await app.close();
      await context.close();
    }
  }, 120_000);
});

describe('the key file', () => {
  it('refuses a damaged secret.key instead of encrypting under it, naming the file', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ezhen-key-'));
    try {
      const config = loadConfig({ EZHEN_DATA_DIR: dataDir });
      const generated = resolveSecretKey(config);
      expect(generated).toMatch(/^[0-9a-f]{32}$/);
      expect(resolveSecretKey(config)).toBe(generated);
      writeFileSync(path.join(dataDir, 'secret.key'), 'not a key\n');
      expect(() => resolveSecretKey(config)).toThrow(ConfigError);
      expect(() => resolveSecretKey(config)).toThrow(/secret\.key: 密钥文件已损坏/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('creates the key file whole, owner-only, and leaves no draft behind; processes starting together agree', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ezhen-key-'));
    try {
      const keyOf = () =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [
              '--import',
              'tsx',
              '--eval',
              `import('./src/lib/secret-key.ts').then(async ({ resolveSecretKey }) => { const { loadConfig } = await import('./src/config.ts'); console.log(resolveSecretKey(loadConfig({ EZHEN_DATA_DIR: process.argv.at(-1) }))); })`,
              dataDir,
            ],
            { stdio: ['ignore', 'pipe', 'inherit'] },
          );
          let output = '';
          child.stdout.on('data', (chunk) => {
            output += chunk;
          });
          child.on('exit', (code) =>
            code === 0 ? resolve(output.trim()) : reject(new Error(`exit ${code}`)),
          );
        });
      const keys = await Promise.all(Array.from({ length: 8 }, keyOf));
      expect(new Set(keys).size).toBe(1);
      expect(readdirSync(dataDir)).toEqual(['secret.key']);
      expect(statSync(path.join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
      expect(readFileSync(path.join(dataDir, 'secret.key'), 'utf8').trim()).toBe(keys[0]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
