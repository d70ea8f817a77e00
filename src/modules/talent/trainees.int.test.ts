import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/audit.ts';
import type { App } from '../../http/app.ts';
import { idNumberCheckCharacter } from '../../lib/id-number.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';
import { backupDatabase } from '../system/backup.service.ts';

/** A valid 身份证号 from its first 17 digits. */
const validIdNumber = (first17: string) => `${first17}${idNumberCheckCharacter(first17)}`;
const ownEtown = '140827-E01';
const ID_NUMBER = validIdNumber('14082719950315201');
const PHONE = '13912345678';

describe.each(testBackends)('trainee files (一人一档) on %s', (backend) => {
  let app: App;
  let context: TestContext;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    for (const username of [
      'county.yuanqu',
      'county.other',
      'city.yuncheng',
      'etown.gaotao',
      'enterprise.demo',
    ])
      cookies[username] = (await loginReady(app, username)).cookie;
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  const call = (username: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    app.inject({
      method,
      url,
      headers: { cookie: cookies[username] as string },
      ...(payload ? { payload } : {}),
    });

  const register = (username: string, overrides: Record<string, unknown> = {}) =>
    call(username, 'POST', '/api/trainees', {
      etownCode: ownEtown,
      villageName: '坡底村',
      name: '张小燕',
      gender: 'female',
      idNumber: ID_NUMBER,
      phone: PHONE,
      category: 'poverty_alleviated',
      skills: ['直播带货'],
      certificates: [{ name: '电子商务师（四级）', issuedOn: '2024-06-01' }],
      ...overrides,
    });

  let traineeId = '';

  it('holds the demo trainees of 皋陶 (演示数据), 脱贫户 among them, masked', async () => {
    const list = (await call('county.yuanqu', 'GET', `/api/trainees?regionCode=${ownEtown}`)).json();
    expect(list.total).toBe(4);
    expect(list.items.every((item: { name: string }) => item.name.endsWith('（演示数据）'))).toBe(true);
    expect(list.items.map((item: { category: string }) => item.category)).toContain('poverty_alleviated');
    expect(
      list.items.every((item: { idNumberMasked: string }) => /^14\*{14}[0-9X]{2}$/.test(item.idNumberMasked)),
    ).toBe(true);
  });

  it('refuses an ID number failing its check digit, naming the expected one', async () => {
    const wrongDigit = ID_NUMBER.endsWith('0') ? '1' : '0';
    const refused = await register('county.yuanqu', { idNumber: `${ID_NUMBER.slice(0, 17)}${wrongDigit}` });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('id_number_check_digit');
    expect(refused.json().error.message).toContain(`第 18 位应为“${ID_NUMBER[17]}”`);
    expect(refused.json().error.details[0].path).toBe('idNumber');
    const badYear = await register('county.yuanqu', { birthYear: 1990 });
    expect(badYear.json().error.code).toBe('id_number_birth_year_mismatch');
  });

  it('registers a file with the ID number and phone masked, and refuses a second file for the same person', async () => {
    const created = await register('county.yuanqu');
    expect(created.statusCode, created.body).toBe(201);
    traineeId = created.json().id;
    expect(created.json()).toMatchObject({
      idNumberMasked: `14**************${ID_NUMBER.slice(-2)}`,
      phoneMasked: '139****5678',
      birthYear: 1995,
      category: 'poverty_alleviated',
      categoryHidden: false,
    });
    expect(created.body).not.toContain(ID_NUMBER);
    expect(created.body).not.toContain(PHONE);
    const again = await register('etown.gaotao', { name: '张晓燕', idNumber: ID_NUMBER.toLowerCase() });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('trainee_already_registered');
  });

  it('keeps neither the ID number nor the phone in clear text in the table or the audit log', async () => {
    const raw = JSON.stringify(await context.database.query('select * from trainees'));
    expect(raw).not.toContain(ID_NUMBER);
    expect(raw).not.toContain(PHONE);
    const audit = JSON.stringify(await context.database.query('select * from audit_log'));
    expect(audit).not.toContain(ID_NUMBER);
    expect(audit).not.toContain(PHONE);
  });

  it('keeps them out of a backup too: only ciphers, masks and the blind index are in it', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'ezhen-trainee-backup-'));
    try {
      const file = path.join(folder, 'backup.jsonl.gz');
      const summary = await backupDatabase(context, file);
      expect(summary.tables.trainees).toBeGreaterThanOrEqual(5);
      const text = gunzipSync(readFileSync(file)).toString('utf8');
      expect(text).toContain(`14**************${ID_NUMBER.slice(-2)}`);
      expect(text).not.toContain(ID_NUMBER);
      expect(text).not.toContain(PHONE);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('finds a file by its whole ID number through the blind index, within the scope only', async () => {
    const found = await call('etown.gaotao', 'GET', `/api/trainees?idNumber=${ID_NUMBER}`);
    expect(found.json().items.map((item: { id: string }) => item.id)).toEqual([traineeId]);
    const elsewhere = await call('county.other', 'GET', `/api/trainees?idNumber=${ID_NUMBER}`);
    expect(elsewhere.json().total).toBe(0);
    expect((await call('county.other', 'GET', `/api/trainees/${traineeId}`)).statusCode).toBe(404);
    expect(
      (await register('county.other', { idNumber: validIdNumber('14082619800101101') })).statusCode,
    ).toBe(404);
    expect((await call('enterprise.demo', 'GET', '/api/trainees')).statusCode).toBe(403);
  });

  it('hides 脱贫户 from roles above the county and refuses to filter by it for them', async () => {
    const cityView = await call('city.yuncheng', 'GET', `/api/trainees/${traineeId}`);
    expect(cityView.json()).toMatchObject({ category: null, categoryHidden: true });
    const filter = await call('city.yuncheng', 'GET', '/api/trainees?category=poverty_alleviated');
    expect(filter.statusCode).toBe(400);
    expect(filter.json().error.code).toBe('category_hidden');
    const countyList = await call('county.yuanqu', 'GET', '/api/trainees?category=poverty_alleviated');
    expect(countyList.json().items.map((item: { id: string }) => item.id)).toContain(traineeId);
  });

  it('reveals the ID number and phone to the county only, auditing each reveal with masked values', async () => {
    const url = `/api/trainees/${traineeId}/identity/reveal`;
    expect((await call('etown.gaotao', 'POST', url)).statusCode).toBe(403);
    const revealed = await call('county.yuanqu', 'POST', url);
    expect(revealed.json()).toEqual({ idNumber: ID_NUMBER, phone: PHONE });
    const records = await context.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'trainee.identity.reveal'), eq(auditLog.targetId, traineeId)));
    expect(records).toHaveLength(1);
    expect(JSON.stringify(records[0]?.diff)).not.toContain(ID_NUMBER);
  });

  it('edits a file under its version and records follow-ups with an entity of the registry', async () => {
    const { version } = (await call('etown.gaotao', 'GET', `/api/trainees/${traineeId}`)).json();
    const edited = await call('etown.gaotao', 'PATCH', `/api/trainees/${traineeId}`, {
      skills: ['直播带货', '短视频剪辑'],
      phone: '13700001111',
      version,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ phoneMasked: '137****1111', skills: ['直播带货', '短视频剪辑'] });
    const stale = await call('etown.gaotao', 'PATCH', `/api/trainees/${traineeId}`, {
      name: '张三',
      version,
    });
    expect(stale.json().error.code).toBe('stale_version');

    const [entity] = await context.database.query<{ id: string; name: string }>(
      `select id, name from entities where etown_code = $1 limit 1`,
      [ownEtown],
    );
    const url = `/api/trainees/${traineeId}/follow-ups`;
    const missing = await call('etown.gaotao', 'POST', url, { kind: 'employed', happenedOn: '2025-03-01' });
    expect(missing.json().error.details[0].path).toBe('entityId');
    const employed = await call('etown.gaotao', 'POST', url, {
      kind: 'employed',
      happenedOn: '2025-03-01',
      entityId: entity?.id,
    });
    expect(employed.statusCode, employed.body).toBe(200);
    const income = await call('etown.gaotao', 'POST', url, {
      kind: 'income_change',
      happenedOn: '2025-06-01',
      monthlyIncomeYuan: '3500',
    });
    expect(income.json().followUps).toMatchObject([
      { kind: 'income_change', monthlyIncomeYuan: '3500.00' },
      { kind: 'employed', entityName: entity?.name },
    ]);
  });
});
