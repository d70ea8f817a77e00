import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/app.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { idNumberCheckCharacter } from '../../lib/id-number.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';
import { trainingsByEtown } from './training-list.ts';

const ETOWN = '140827-E01';

type Indicator = { no: number; values: string[]; facts: Record<string, unknown> };

describe.each(testBackends)('training sessions and attendance on %s', (backend) => {
  let app: App;
  let context: TestContext;
  const cookies: Record<string, string> = {};
  let institutionId = '';
  let traineeIds: string[] = [];
  let sessionId = '';
  const today = shanghaiToday();
  const year = Number(today.slice(0, 4));

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    for (const username of ['county.yuanqu', 'county.other', 'etown.gaotao', 'city.yuncheng'])
      cookies[username] = (await loginReady(app, username)).cookie;
    const [entity] = await context.database.query<{ id: string }>(
      `select id from entities where etown_code = $1 and id not in (select entity_id from entity_tags where tag = 'training') order by name limit 1`,
      [ETOWN],
    );
    institutionId = entity?.id as string;
    const list = await call('county.yuanqu', 'GET', `/api/trainees?regionCode=${ETOWN}`);
    traineeIds = list.json().items.map((item: { id: string }) => item.id);
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  function call(username: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) {
    return app.inject({
      method,
      url,
      headers: { cookie: cookies[username] as string },
      ...(payload ? { payload } : {}),
    });
  }

  const indicator11 = async (): Promise<Indicator> => {
    const scorecard = (
      await call('county.yuanqu', 'GET', `/api/etowns/${ETOWN}/scorecard?year=${year}`)
    ).json();
    return scorecard.indicators.find((indicator: Indicator) => indicator.no === 11);
  };

  const session = {
    etownCode: ETOWN,
    heldOn: today,
    place: '皋陶e镇电商培训孵化中心',
    teacher: '刘老师',
    topic: '跨境电商入门（测试场次）',
    crossBorder: true,
    capacity: 3,
  };

  it('holds the demo session of 皋陶 (演示数据) with its four trainees signed in', async () => {
    const list = (await call('etown.gaotao', 'GET', `/api/trainings/sessions?regionCode=${ETOWN}`)).json();
    expect(list.items).toEqual([
      expect.objectContaining({
        topic: '直播带货实操培训（演示数据）',
        attendance: 4,
        etownName: expect.any(String),
      }),
    ]);
  });

  it('refuses an institution not tagged 培训机构, naming the field, then registers the session', async () => {
    const refused = await call('etown.gaotao', 'POST', '/api/trainings/sessions', {
      ...session,
      institutionEntityId: institutionId,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details[0].path).toBe('institutionEntityId');
    const tagged = await call('county.yuanqu', 'POST', `/api/entities/${institutionId}/tags`, {
      tag: 'training',
      reason: '承办电商培训',
      effectiveOn: today,
    });
    expect(tagged.statusCode, tagged.body).toBe(200);
    const created = await call('etown.gaotao', 'POST', '/api/trainings/sessions', {
      ...session,
      institutionEntityId: institutionId,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ attendance: 0, crossBorder: true, capacity: 3 });
    sessionId = created.json().id;
    expect((await call('county.other', 'GET', `/api/trainings/sessions/${sessionId}`)).statusCode).toBe(404);
  });

  it('counts person-times from attendance, one per trainee, and indicator 11 follows', async () => {
    const before = await indicator11();
    const signed = await call('etown.gaotao', 'POST', `/api/trainings/sessions/${sessionId}/attendance`, {
      traineeIds: [traineeIds[0], traineeIds[1], traineeIds[0]],
    });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({ added: 2, alreadyPresent: 0, session: { attendance: 2 } });
    expect(signed.json().session.attendees[0].idNumberMasked).toMatch(/^14\*{14}/);
    const again = await call('etown.gaotao', 'POST', `/api/trainings/sessions/${sessionId}/attendance`, {
      traineeIds: [traineeIds[1]],
    });
    expect(again.json()).toMatchObject({ added: 0, alreadyPresent: 1, session: { attendance: 2 } });
    const after = await indicator11();
    expect(after.values).not.toEqual(before.values);
    expect(JSON.stringify(after.facts)).not.toEqual(JSON.stringify(before.facts));
  });

  it('refuses a batch that would pass the capacity, signing in nobody', async () => {
    const full = await call('etown.gaotao', 'POST', `/api/trainings/sessions/${sessionId}/attendance`, {
      traineeIds: [traineeIds[2], traineeIds[3]],
    });
    expect(full.statusCode).toBe(409);
    expect(full.json().error.code).toBe('session_full');
    const detail = (await call('city.yuncheng', 'GET', `/api/trainings/sessions/${sessionId}`)).json();
    expect(detail.attendance).toBe(2);
  });

  it('lists the session in the ledger with its counted attendance, and a removal counts down', async () => {
    const removed = await call(
      'etown.gaotao',
      'DELETE',
      `/api/trainings/sessions/${sessionId}/attendance/${traineeIds[1]}`,
    );
    expect(removed.json().attendance).toBe(1);
    const list = (
      await call('county.yuanqu', 'GET', `/api/trainings/sessions?regionCode=${ETOWN}&year=${year}`)
    ).json();
    expect(
      list.items.map((item: { id: string; attendance: number }) => [item.id, item.attendance]),
    ).toContainEqual([sessionId, 1]);
  });

  it('combines with ledger-imported trainings: a ledger row for the same date and title is counted by the session', async () => {
    await context.database.query(
      `insert into trainings (etown_code, held_on, title, cross_border, attendance) values ($1, $2, $3, true, 999), ($1, $2, '村播培训（台账）', false, 7)`,
      [ETOWN, today, session.topic],
    );
    const list = (await trainingsByEtown(context.database.db, [ETOWN])).get(ETOWN) ?? [];
    const heldToday = list.filter((row) => row.date === today);
    expect(heldToday).toEqual([
      { date: today, title: session.topic, crossBorder: true, attendance: 1 },
      { date: today, title: '村播培训（台账）', crossBorder: false, attendance: 7 },
    ]);
  });

  it('signs in from an imported sheet by ID number, all or nothing', async () => {
    const created = await call('etown.gaotao', 'POST', '/api/trainings/sessions', {
      ...session,
      topic: '签到表导入测试',
      institutionEntityId: institutionId,
      capacity: 10,
    });
    const id = created.json().id;
    const valid = (first17: string) => `${first17}${idNumberCheckCharacter(first17)}`;
    const upload = (lines: string[]) =>
      app.inject({
        method: 'POST',
        url: `/api/trainings/sessions/${id}/attendance/import?fileName=${encodeURIComponent('签到表.csv')}`,
        headers: { cookie: cookies['etown.gaotao'] as string, 'content-type': 'application/octet-stream' },
        payload: Buffer.from(`\uFEFF序号,姓名,身份证号\r\n${lines.join('\r\n')}\r\n`, 'utf8'),
      });
    const demoA = valid('14082719920314202');
    const demoB = valid('14082719880921101');
    const refusedSheet = await upload([`1,李春梅,${demoA}`, `2,路人,${valid('14082719700101999')}`]);
    expect(refusedSheet.statusCode).toBe(400);
    expect(refusedSheet.json().error).toMatchObject({
      code: 'sign_in_list_rejected',
      details: [expect.objectContaining({ row: 3, column: 'C', code: 'trainee_not_on_file' })],
    });
    expect((await call('etown.gaotao', 'GET', `/api/trainings/sessions/${id}`)).json().attendance).toBe(0);
    const signed = await upload([
      `1,李春梅,${demoA}`,
      `2,王建军,${demoB.toLowerCase()}`,
      `3,李春梅,${demoA}`,
    ]);
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({ added: 2, session: { attendance: 2 } });
    expect(signed.json().session.attendees.map((row: { source: string }) => row.source)).toEqual([
      'import',
      'import',
    ]);
  });
});
