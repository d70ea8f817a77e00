import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/app.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';

const ETOWN = '140827-E01';
const OTHER_ETOWN = '140826-E01';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * Separation of duties for the incidents that decide #20: the county (or the city, the province, within
 * their scope) records, edits and deletes them; the e-town they concern cannot, and answers them instead.
 */
describe.each(testBackends)(
  'compliance incidents: recorded by the county, answered by the e-town on %s',
  (backend) => {
    let app: App;
    let context: TestContext;
    const cookies: Record<string, string> = {};
    const today = shanghaiToday();

    beforeAll(async () => {
      ({ app, context } = await createSeededApp(backend));
      for (const user of [
        'province.admin',
        'city.yuncheng',
        'county.yuanqu',
        'county.other',
        'etown.gaotao',
        'county.yuanqu.discipline',
      ]) {
        cookies[user] = (await loginReady(app, user)).cookie;
      }
    });
    afterAll(async () => {
      await app.close();
      await context.close();
    });

    const call = (user: string, method: Method, url: string, payload?: object) =>
      app.inject({
        method,
        url,
        headers: { cookie: cookies[user] as string },
        ...(payload ? { payload } : {}),
      });
    const incident = (etownCode: string, description: string) => ({
      etownCode,
      occurredOn: today,
      category: 'environment',
      description,
    });
    const record = async (user: string, etownCode: string, description: string) => {
      const response = await call(
        user,
        'POST',
        '/api/compliance-incidents',
        incident(etownCode, description),
      );
      expect(response.statusCode, response.body).toBe(201);
      return response.json() as { id: string; recordedByName: string | null };
    };

    it('refuses the e-town operator recording, editing or deleting an incident (403 forbidden), changing nothing', async () => {
      const create = await call(
        'etown.gaotao',
        'POST',
        '/api/compliance-incidents',
        incident(ETOWN, '自报事件'),
      );
      expect(create.statusCode).toBe(403);
      expect(create.json().error.code).toBe('forbidden');

      const recorded = await record('county.yuanqu', ETOWN, '河道旁堆放建筑垃圾');
      const edit = await call('etown.gaotao', 'PUT', `/api/compliance-incidents/${recorded.id}`, {
        version: 1,
        occurredOn: today,
        category: 'environment',
        description: '已不存在',
      });
      expect(edit.statusCode).toBe(403);
      expect(edit.json().error.code).toBe('forbidden');
      const remove = await call('etown.gaotao', 'DELETE', `/api/compliance-incidents/${recorded.id}`);
      expect(remove.statusCode).toBe(403);
      expect(remove.json().error.code).toBe('forbidden');

      const listed = (await call('etown.gaotao', 'GET', '/api/compliance-incidents')).json();
      expect(listed).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: recorded.id, description: '河道旁堆放建筑垃圾' }),
        ]),
      );
      expect(listed.some((row: { description: string }) => row.description === '自报事件')).toBe(false);
      const denied = await context.database.query<{ action: string }>(
        "select action from audit_log where username = 'etown.gaotao' and result = 'denied' order by id",
      );
      expect(denied.map((row) => row.action)).toEqual([
        'POST /api/compliance-incidents',
        'PUT /api/compliance-incidents/:id',
        'DELETE /api/compliance-incidents/:id',
      ]);
    });

    it('lets the county, the city and the province record within their scope; outside it is 404', async () => {
      const byCounty = await record('county.yuanqu', ETOWN, '未批先建临时仓库');
      expect(byCounty.recordedByName).toBe('垣曲县工科局操作员（演示）');
      const byCity = await record('city.yuncheng', ETOWN, '市级检查发现违规占地');
      expect(byCity.recordedByName).toBe('运城市商务局审核员（演示）');
      const byProvince = await record('province.admin', OTHER_ETOWN, '省级通报的安全生产事件');

      // The other county can neither record in Yuanqu nor touch its incidents, and never lists them.
      const outside = await call(
        'county.other',
        'POST',
        '/api/compliance-incidents',
        incident(ETOWN, '越权登记'),
      );
      expect(outside.statusCode).toBe(404);
      expect(
        (
          await call('county.other', 'PUT', `/api/compliance-incidents/${byCounty.id}`, {
            version: 1,
            occurredOn: today,
            category: 'land',
          })
        ).statusCode,
      ).toBe(404);
      expect(
        (await call('county.other', 'DELETE', `/api/compliance-incidents/${byCity.id}`)).statusCode,
      ).toBe(404);
      const otherList = (await call('county.other', 'GET', '/api/compliance-incidents')).json();
      expect(otherList.map((row: { id: string }) => row.id)).toEqual([byProvince.id]);
      // Yuanqu's county does not see Jiangxian's incident either.
      expect(
        (
          await call('county.yuanqu', 'PUT', `/api/compliance-incidents/${byProvince.id}`, {
            version: 1,
            occurredOn: today,
            category: 'land',
          })
        ).statusCode,
      ).toBe(404);

      // The county edits and deletes what the city recorded in its e-town.
      const edited = await call('county.yuanqu', 'PUT', `/api/compliance-incidents/${byCity.id}`, {
        version: 1,
        occurredOn: today,
        category: 'land',
        description: '市级检查发现违规占地',
        handling: '已责令限期拆除',
        handledOn: today,
      });
      expect(edited.statusCode, edited.body).toBe(200);
      expect(edited.json()).toMatchObject({ category: 'land', handling: '已责令限期拆除' });
      expect(
        (await call('county.yuanqu', 'DELETE', `/api/compliance-incidents/${byCity.id}`)).statusCode,
      ).toBe(204);
    });

    it('lets the e-town answer an incident about it, with who and when, audited; only the e-town answers', async () => {
      const recorded = await record('county.yuanqu', ETOWN, '直播基地噪声扰民被投诉');
      const before = Date.now();
      const answered = await call('etown.gaotao', 'POST', `/api/compliance-incidents/${recorded.id}/answer`, {
        answer: '已加装隔音设施，直播时段调整为 9:00—21:00。',
      });
      expect(answered.statusCode, answered.body).toBe(200);
      const view = answered.json();
      expect(view).toMatchObject({
        id: recorded.id,
        answer: '已加装隔音设施，直播时段调整为 9:00—21:00。',
        answeredByName: '皋陶乡村e镇运营主体（演示）',
        recordedByName: '垣曲县工科局操作员（演示）',
      });
      expect(Date.parse(view.answeredAt)).toBeGreaterThanOrEqual(before - 1000);
      // The county sees the answer in its list and is told about it.
      const listed = (
        await call('county.yuanqu', 'GET', `/api/compliance-incidents?regionCode=${ETOWN}`)
      ).json();
      expect(listed.find((row: { id: string }) => row.id === recorded.id)).toMatchObject({
        answer: '已加装隔音设施，直播时段调整为 9:00—21:00。',
        answeredByName: '皋陶乡村e镇运营主体（演示）',
      });
      const notices = (await call('county.yuanqu', 'GET', '/api/notifications')).json();
      expect(JSON.stringify(notices)).toContain('已答复违规违法事件');
      // The e-town was told when the county recorded it.
      expect(JSON.stringify((await call('etown.gaotao', 'GET', '/api/notifications')).json())).toContain(
        '违规违法事件',
      );

      // A second answer replaces the first; the audit trail keeps both, with the e-town as the actor.
      await call('etown.gaotao', 'POST', `/api/compliance-incidents/${recorded.id}/answer`, {
        answer: '隔音设施已验收。',
      });
      const trail = await context.database.query<{
        username: string;
        diff: { answer: { before: string | null; after: string } };
        region_code: string;
      }>(
        "select username, diff, region_code from audit_log where action = 'compliance.incident.answer' and target_id = $1 order by id",
        [recorded.id],
      );
      expect(
        trail.map((row) => [row.username, row.diff.answer.before, row.diff.answer.after, row.region_code]),
      ).toEqual([
        ['etown.gaotao', null, '已加装隔音设施，直播时段调整为 9:00—21:00。', ETOWN],
        ['etown.gaotao', '已加装隔音设施，直播时段调整为 9:00—21:00。', '隔音设施已验收。', ETOWN],
      ]);

      // Only the e-town answers: the county and the discipline commission are refused; an empty answer is invalid.
      for (const user of ['county.yuanqu', 'county.yuanqu.discipline']) {
        const refused = await call(user, 'POST', `/api/compliance-incidents/${recorded.id}/answer`, {
          answer: '代答',
        });
        expect(refused.statusCode).toBe(403);
        expect(refused.json().error.code).toBe('forbidden');
      }
      const empty = await call('etown.gaotao', 'POST', `/api/compliance-incidents/${recorded.id}/answer`, {
        answer: '  ',
      });
      expect(empty.statusCode).toBe(400);
    });

    it("answers 404 when the e-town answers another e-town's incident", async () => {
      const jiangxian = await record('province.admin', OTHER_ETOWN, '绛县e镇违规举债');
      const answer = await call('etown.gaotao', 'POST', `/api/compliance-incidents/${jiangxian.id}/answer`, {
        answer: '越权答复',
      });
      expect(answer.statusCode).toBe(404);
      expect(answer.json().error.code).toBe('not_found');
      const [row] = await context.database.query<{ answer: string | null }>(
        'select answer from compliance_incidents where id = $1',
        [jiangxian.id],
      );
      expect(row?.answer).toBeNull();
    });
  },
);
