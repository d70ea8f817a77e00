import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/app.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { idNumberCheckCharacter } from '../../lib/id-number.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';
import { SIGN_IN_FAILURE_LIMIT } from './session-sign-in.routes.ts';

const ETOWN = '140827-E01';
const validIdNumber = (first17: string) => `${first17}${idNumberCheckCharacter(first17)}`;
const ID_NUMBER = validIdNumber('14082719960412301');
const OTHER_ID_NUMBER = validIdNumber('14082719970101302');
const LATE_ID_NUMBER = validIdNumber('14082719980202303');
const NAME = '王签到';

describe.each(testBackends)('QR sign-in page of a training session on %s', (backend) => {
  let app: App;
  let context: TestContext;
  const cookies: Record<string, string> = {};
  let sessionId = '';
  let code = '';

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    for (const username of ['county.yuanqu', 'county.other', 'etown.gaotao'])
      cookies[username] = (await loginReady(app, username)).cookie;
    const [institution] = await context.database.query<{ id: string }>(
      `select entity_id as id from entity_tags where tag = 'training' and entity_id in (select id from entities where etown_code = $1) limit 1`,
      [ETOWN],
    );
    const created = await call('etown.gaotao', 'POST', '/api/trainings/sessions', {
      etownCode: ETOWN,
      institutionEntityId: institution?.id,
      heldOn: shanghaiToday(),
      place: '皋陶e镇电商培训孵化中心',
      teacher: '李老师',
      topic: '扫码签到测试场次',
      crossBorder: false,
      capacity: 1,
    });
    expect(created.statusCode, created.body).toBe(201);
    sessionId = created.json().id;
    const registered = await call('etown.gaotao', 'POST', '/api/trainees', {
      etownCode: ETOWN,
      villageName: '坡底村',
      name: NAME,
      gender: 'male',
      idNumber: ID_NUMBER,
      category: 'returning_migrant_worker',
    });
    expect(registered.statusCode, registered.body).toBe(201);
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  function call(username: string, method: 'GET' | 'POST', url: string, payload?: object) {
    return app.inject({
      method,
      url,
      headers: { cookie: cookies[username] as string },
      ...(payload ? { payload } : {}),
    });
  }

  /** The phone's form post: same-origin, URL-encoded, from its own address. */
  const post = (path: string, fields: Record<string, string>, ip = '10.0.0.1') =>
    app.inject({
      method: 'POST',
      url: path,
      remoteAddress: ip,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'same-origin',
        origin: context.config.publicUrl,
      },
      payload: new URLSearchParams(fields).toString(),
    });

  const attendance = async () =>
    (await call('etown.gaotao', 'GET', `/api/trainings/sessions/${sessionId}`)).json().attendees as {
      name: string;
    }[];

  it('opens a sign-in code only for a user whose scope holds the session', async () => {
    const outside = await call('county.other', 'POST', `/api/trainings/sessions/${sessionId}/sign-in-code`);
    expect(outside.statusCode).toBe(404);
    const opened = await call('etown.gaotao', 'POST', `/api/trainings/sessions/${sessionId}/sign-in-code`);
    expect(opened.statusCode, opened.body).toBe(200);
    const { url, expiresAt, qrSvg } = opened.json();
    expect(url.startsWith(`${context.config.publicUrl}/s/`)).toBe(true);
    expect(qrSvg).toContain('<svg');
    expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now());
    code = url.slice(url.lastIndexOf('/') + 1);
    const [stored] = await context.database.query<{ hash: string }>(
      'select sign_in_code_hash as hash from training_sessions where id = $1',
      [sessionId],
    );
    expect(stored?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.hash).not.toContain(code);
  });

  it('shows a phone-friendly form with no external resource and no script', async () => {
    const page = await app.inject({ method: 'GET', url: `/s/${code}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain("form-action 'self'");
    expect(page.body).toContain('扫码签到测试场次');
    expect(page.body).toContain('name="idNumber"');
    expect(page.body).toContain('name="viewport"');
    expect(page.body).not.toMatch(/<script|<link|<img|<iframe|src=|href=|url\(|@import|https?:\/\//i);
  });

  it('refuses a wrong check digit, naming the expected one, and never echoes the ID number', async () => {
    const wrong = `${ID_NUMBER.slice(0, 17)}${ID_NUMBER.endsWith('0') ? '1' : '0'}`;
    const refused = await post(`/s/${code}`, { name: NAME, idNumber: wrong });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('身份证号不正确');
    expect(refused.body).toContain(`应为“${ID_NUMBER.slice(-1)}”`);
    expect(refused.body).not.toContain(wrong);
    expect(refused.body).not.toContain(ID_NUMBER.slice(0, 17));
    expect(await attendance()).toEqual([]);
  });

  it('tells an unknown person (or a wrong name) to contact the organiser and creates no file', async () => {
    const [before] = await context.database.query<{ n: number }>('select count(*)::int as n from trainees');
    for (const fields of [
      { name: '陌生人', idNumber: OTHER_ID_NUMBER },
      { name: '王错名', idNumber: ID_NUMBER },
    ]) {
      const refused = await post(`/s/${code}`, fields);
      expect(refused.statusCode).toBe(422);
      expect(refused.body).toContain('未找到您的学员档案');
      expect(refused.body).toContain('联系培训组织者');
      expect(refused.body).not.toContain(fields.idNumber);
    }
    const [after] = await context.database.query<{ n: number }>('select count(*)::int as n from trainees');
    expect(after?.n).toBe(before?.n);
  });

  it('signs the trainee in once; a second sign-in says 已签到 and adds nothing', async () => {
    const signed = await post(
      `/s/${code}`,
      { name: ` ${NAME} `, idNumber: ID_NUMBER.toLowerCase() },
      '10.0.0.2',
    );
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.body).toContain(`签到成功：${NAME}`);
    expect(signed.body).not.toContain(ID_NUMBER);
    expect(signed.body).not.toContain(ID_NUMBER.slice(0, 17));
    const again = await post(`/s/${code}`, { name: NAME, idNumber: ID_NUMBER }, '10.0.0.2');
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain(`已签到：${NAME}`);
    expect(await attendance()).toEqual([expect.objectContaining({ name: NAME, source: 'qr' })]);
    const [audit] = await context.database.query<{ username: string; ip: string; diff: string }>(
      `select username, ip, diff::text as diff from audit_log where action = 'training.attendance.add' and target_id = $1`,
      [sessionId],
    );
    expect(audit).toMatchObject({ username: '公开签到', ip: '10.0.0.2' });
    expect(audit?.diff).not.toContain(ID_NUMBER.slice(0, 17));
  });

  it('keeps the capacity as the hand sign-in does', async () => {
    const registered = await call('etown.gaotao', 'POST', '/api/trainees', {
      etownCode: ETOWN,
      villageName: '坡底村',
      name: '赵晚到',
      gender: 'female',
      idNumber: LATE_ID_NUMBER,
      category: 'college_student',
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const full = await post(`/s/${code}`, { name: '赵晚到', idNumber: LATE_ID_NUMBER }, '10.0.0.3');
    expect(full.statusCode).toBe(409);
    expect(full.body).toContain('本场签到人数已满');
    expect(await attendance()).toHaveLength(1);
  });

  it('refuses cross-site posts and any other body type on the page', async () => {
    const forged = await app.inject({
      method: 'POST',
      url: `/s/${code}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
      payload: new URLSearchParams({ name: NAME, idNumber: ID_NUMBER }).toString(),
    });
    expect(forged.statusCode).toBe(403);
    const bare = await app.inject({
      method: 'POST',
      url: `/s/${code}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ name: NAME, idNumber: ID_NUMBER }).toString(),
    });
    expect(bare.statusCode).toBe(403);
    const elsewhere = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
      payload: 'username=a&password=b',
    });
    expect(elsewhere.statusCode).toBe(403);
  });

  it('limits refused attempts per address and code, so ID numbers cannot be probed', async () => {
    for (let attempt = 0; attempt < SIGN_IN_FAILURE_LIMIT; attempt++) {
      const refused = await post(`/s/${code}`, { name: '试探', idNumber: OTHER_ID_NUMBER }, '10.0.0.9');
      expect(refused.statusCode).toBe(422);
    }
    const blocked = await post(`/s/${code}`, { name: NAME, idNumber: ID_NUMBER }, '10.0.0.9');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.body).toContain('尝试次数过多');
    const otherPhone = await post(`/s/${code}`, { name: NAME, idNumber: ID_NUMBER }, '10.0.0.10');
    expect(otherPhone.body).toContain('已签到');
  });

  it('answers an unknown, replaced or expired code with a clear 404 page', async () => {
    const unknown = await app.inject({ method: 'GET', url: '/s/ABCDEFGHJKMNPQRS' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('签到码无效或已过期');
    const reopened = await call('etown.gaotao', 'POST', `/api/trainings/sessions/${sessionId}/sign-in-code`);
    const fresh = reopened.json().url.split('/s/')[1];
    expect((await app.inject({ method: 'GET', url: `/s/${code}` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/s/${fresh}` })).statusCode).toBe(200);
    await context.database.query(
      `update training_sessions set sign_in_code_expires_at = now() - interval '1 minute' where id = $1`,
      [sessionId],
    );
    const expired = await post(`/s/${fresh}`, { name: NAME, idNumber: ID_NUMBER }, '10.0.0.4');
    expect(expired.statusCode).toBe(404);
    expect(expired.body).toContain('签到码无效或已过期');
  });
});
