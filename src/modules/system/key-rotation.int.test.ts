import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entities } from '../../db/schema/entities.ts';
import { traceCodeRuns } from '../../db/schema/traceability.ts';
import { buildApp } from '../../http/app.ts';
import type { AppContext } from '../../http/context.ts';
import { idNumberCheckCharacter } from '../../lib/id-number.ts';
import {
  createSeededApp,
  loginAs,
  loginReady,
  nextTotpCode,
  type TestContext,
  testBackends,
} from '../../test/test-context.ts';
import { traceCodeSigner, traceMacKeyOf } from '../trace/trace-code.ts';
import { loadTraceMacKey, reencryptUnderNewKey } from './key-rotation.ts';
import { pendingKeyFile, verifySecretKey } from './secret-key-check.ts';

const NEW_KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const NEWER_KEY = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const cli = { username: 'cli:test', ip: 'local' };
const TRAINEE_ID_NUMBER = `14082719900101123${idNumberCheckCharacter('14082719900101123')}`;

describe.each(testBackends)('rotating the SM4 key on %s', (backend) => {
  let context: TestContext;
  let entityId: string;
  let traceCode: string;
  let totpSecret: string;
  let traineeId: string;

  beforeAll(async () => {
    const seeded = await createSeededApp(backend);
    context = seeded.context;
    const app = seeded.app;
    await verifySecretKey(context);
    const county = await loginAs(app, 'county.yuanqu');
    const [entity] = await context.database.db.select({ id: entities.id }).from(entities).limit(1);
    entityId = entity?.id as string;
    const { version } = (
      await app.inject({ method: 'GET', url: `/api/entities/${entityId}`, headers: { cookie: county } })
    ).json();
    const edited = await app.inject({
      method: 'PATCH',
      url: `/api/entities/${entityId}`,
      headers: { cookie: county },
      payload: { contactName: '王经理', contactPhone: '13812341234', version },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    const trainee = await app.inject({
      method: 'POST',
      url: '/api/trainees',
      headers: { cookie: county },
      payload: {
        etownCode: '140827-E01',
        name: '轮换测试学员',
        gender: 'female',
        idNumber: TRAINEE_ID_NUMBER,
        phone: '13900001111',
        category: 'college_student',
      },
    });
    expect(trainee.statusCode, trainee.body).toBe(201);
    traineeId = trainee.json().id;
    totpSecret = (await loginReady(app, 'auditor')).totpSecret as string;
    const [run] = await context.database.db.select().from(traceCodeRuns).limit(1);
    traceCode = traceCodeSigner(traceMacKeyOf(context)).code({
      runNumber: run?.runNumber as number,
      serial: run?.firstSerial as number,
    });
    expect((await app.inject({ method: 'GET', url: `/t/${traceCode}` })).statusCode).toBe(200);
    await app.close();
  });
  afterAll(() => context.close());

  /** The same database as another server process would open it with `keyHex`. */
  const reopened = (keyHex: string): AppContext => ({
    config: context.config,
    database: context.database,
    secretKeyHex: keyHex,
  });

  it('re-encrypts everything in one transaction and leaves nothing under the old key', async () => {
    const before = await context.database.db
      .select({ cipher: entities.contactPhoneCipher })
      .from(entities)
      .where(eq(entities.id, entityId));
    const summary = await reencryptUnderNewKey(context, NEW_KEY, cli);
    expect(summary.totpSecrets).toBeGreaterThanOrEqual(1);
    expect(summary.entityPhones).toBeGreaterThanOrEqual(1);
    expect(summary.traineeIdentities).toBeGreaterThanOrEqual(1);
    const after = await context.database.db
      .select({ cipher: entities.contactPhoneCipher })
      .from(entities)
      .where(eq(entities.id, entityId));
    expect(after[0]?.cipher).not.toBe(before[0]?.cipher);

    // The old key is refused at start-up now; the new one opens everything.
    await expect(verifySecretKey(reopened(context.secretKeyHex))).rejects.toThrow(/EZHEN_SECRET_KEY/);
    const next = reopened(NEW_KEY);
    await verifySecretKey(next);
    await loadTraceMacKey(next);
    const app = await buildApp(next);
    await app.ready();
    const county = await loginAs(app, 'county.yuanqu');
    const revealed = await app.inject({
      method: 'POST',
      url: `/api/entities/${entityId}/contact/reveal`,
      headers: { cookie: county },
    });
    expect(revealed.json()).toMatchObject({ phone: '13812341234' });
    // Trainees' ID numbers and phones decrypt under the new key, and the blind index still finds them.
    const identity = await app.inject({
      method: 'POST',
      url: `/api/trainees/${traineeId}/identity/reveal`,
      headers: { cookie: county },
    });
    expect(identity.json()).toEqual({ idNumber: TRAINEE_ID_NUMBER, phone: '13900001111' });
    const found = await app.inject({
      method: 'GET',
      url: `/api/trainees?idNumber=${TRAINEE_ID_NUMBER}`,
      headers: { cookie: county },
    });
    expect(found.json().items.map((item: { id: string }) => item.id)).toEqual([traineeId]);
    // A label printed before the rotation still scans as genuine.
    expect((await app.inject({ method: 'GET', url: `/t/${traceCode}` })).statusCode).toBe(200);
    // The auditor's authenticator app keeps working.
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: {
        username: 'auditor',
        password: 'Demo-Pass-2026!',
        totp: nextTotpCode('auditor', totpSecret),
      },
    });
    expect(login.statusCode, login.body).toBe(200);
    await app.close();
    context.secretKeyHex = NEW_KEY;
    context.traceMacKeyHex = next.traceMacKeyHex;
  });

  it('changes nothing when one value cannot be decrypted', async () => {
    const [victim] = await context.database.db
      .select({ id: entities.id, cipher: entities.contactPhoneCipher })
      .from(entities)
      .where(isNotNull(entities.contactPhoneCipher))
      .limit(1);
    await context.database.db
      .update(entities)
      .set({ contactPhoneCipher: '00:zz' })
      .where(eq(entities.id, victim?.id as string));
    await expect(reencryptUnderNewKey(context, NEWER_KEY, cli)).rejects.toThrow();
    await verifySecretKey(reopened(NEW_KEY));
    await expect(verifySecretKey(reopened(NEWER_KEY))).rejects.toThrow(/EZHEN_SECRET_KEY/);
    await context.database.db
      .update(entities)
      .set({ contactPhoneCipher: victim?.cipher as string })
      .where(eq(entities.id, victim?.id as string));
  });

  it('picks up the new key file of a rotation that committed but stopped before renaming it', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'ezhen-rotate-'));
    try {
      writeFileSync(path.join(folder, 'secret.key'), `${context.secretKeyHex}\n`);
      await reencryptUnderNewKey(context, NEWER_KEY, cli);
      writeFileSync(pendingKeyFile(folder), `${NEWER_KEY}\n`);
      const restarted: AppContext = {
        config: { ...context.config, dataDir: folder, secretKeyHex: undefined },
        database: context.database,
        secretKeyHex: context.secretKeyHex,
      };
      await verifySecretKey(restarted);
      expect(restarted.secretKeyHex).toBe(NEWER_KEY);
      expect(readFileSync(path.join(folder, 'secret.key'), 'utf8').trim()).toBe(NEWER_KEY);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
