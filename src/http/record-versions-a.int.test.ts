import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../db/schema/accounts.ts';
import { mediaChannels, products, promotionEvents } from '../db/schema/brands.ts';
import {
  evaluationExperts,
  evaluationItems,
  evaluations,
  expertScores,
  rectificationItems,
} from '../db/schema/evaluations.ts';
import { projectMilestones } from '../db/schema/projects.ts';
import { leadingGroups, leadingGroupUnits } from '../db/schema/regions.ts';
import { productCertifications } from '../db/schema/traceability.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../test/test-context.ts';
import type { App } from './app.ts';

const ETOWN = '140827-E01';

type Body = Record<string, unknown>;
type Answer = Record<string, unknown>;

/** One edit route under optimistic locking, as the table below drives it. */
type EditCase = {
  route: string;
  username: string;
  method: 'PUT' | 'PATCH';
  /** Creates or finds the record; answers its URL and the version a client would have loaded. */
  load: () => Promise<{ url: string; version: number }>;
  /** The first write's fields, and another writer's fields sent later with the same (now old) version. */
  first: Body;
  second: Body;
  /** The edited record inside the route's answer (which may be its parent, e.g. the whole evaluation). */
  record: (answer: Answer) => Answer | undefined;
  /** How the first write's fields read in the record. */
  shown: Answer;
  /** The stored row, to prove a refused write changed nothing. */
  stored: () => Promise<Answer | undefined>;
  /** How the first write's fields read in the stored row. */
  storedShown: Answer;
};

/**
 * Lost updates on the remaining record edits: each one carries the version it loaded, a write of the
 * current version succeeds and moves it on, a write of an older one is refused with the record as it is
 * now, and a body without a version is refused outright.
 */
describe.each(testBackends)(
  'record versions of evaluations, projects, brands, groups and users on %s',
  (backend) => {
    let app: App;
    let context: TestContext;
    const cookies = new Map<string, string>();
    let evaluationId = '';
    // The records the cases below created or found, by the case that edits them.
    const ids = { milestone: '', certification: '', unit: '' };

    beforeAll(async () => {
      ({ app, context } = await createSeededApp(backend));
      for (const username of ['county.yuanqu', 'etown.gaotao', 'expert.demo', 'security.admin']) {
        cookies.set(username, (await loginReady(app, username)).cookie);
      }
      const started = await call('county.yuanqu', 'POST', '/api/evaluations', {
        etownCode: ETOWN,
        year: 2025,
      });
      expect(started.statusCode, started.body).toBe(201);
      evaluationId = started.json().id;
    }, 120_000);

    afterAll(async () => {
      await app.close();
      await context.close();
    });

    const call = (
      username: string,
      method: 'GET' | 'POST' | 'PUT' | 'PATCH',
      url: string,
      payload?: object,
    ) =>
      app.inject({
        method,
        url,
        headers: { cookie: cookies.get(username) ?? '' },
        ...(payload ? { payload } : {}),
      });
    const created = async (username: string, url: string, payload: object) => {
      const answer = await call(username, 'POST', url, payload);
      expect(answer.statusCode, answer.body).toBe(201);
      return answer.json();
    };
    const db = () => context.database.db;
    const itemOf = (answer: Answer, no: number) =>
      (answer.items as (Answer & { indicatorNo: number })[]).find((item) => item.indicatorNo === no);
    const ownScore = (answer: Answer) => ((itemOf(answer, 2)?.expertScores ?? []) as Answer[])[0];
    const evaluationItem = async (no: number) =>
      (
        await db()
          .select()
          .from(evaluationItems)
          .where(and(eq(evaluationItems.evaluationId, evaluationId), eq(evaluationItems.indicatorNo, no)))
      )[0];
    const expertId = async () =>
      (await db().select().from(users).where(eq(users.username, 'expert.demo')))[0]?.id as string;
    const yuanquGroup = async () => {
      const [group] = (
        await call('county.yuanqu', 'GET', '/api/leading-groups?regionCode=140827')
      ).json() as {
        id: string;
        version: number;
      }[];
      if (!group) throw new Error('the seed has no leading group of 垣曲县');
      return group;
    };

    const cases: EditCase[] = [
      {
        route: 'PUT /api/evaluations/{id}/items/{no}',
        username: 'county.yuanqu',
        method: 'PUT',
        load: async () => ({
          url: `/api/evaluations/${evaluationId}/items/1`,
          version: (await evaluationItem(1))?.version as number,
        }),
        first: { score: 80, statement: '已建成县级电商公共服务中心' },
        second: { score: 60, statement: '另一窗口的说明' },
        record: (answer) => itemOf(answer, 1),
        shown: { selfScore: 80, statement: '已建成县级电商公共服务中心' },
        stored: () => evaluationItem(1),
        storedShown: { selfScore: 80, statement: '已建成县级电商公共服务中心' },
      },
      {
        route: 'PUT /api/evaluations/{id}/expert-scores/{no}',
        username: 'expert.demo',
        method: 'PUT',
        load: async () => {
          // The evaluation reached expert review with expert.demo assigned; their first score of item 2.
          await db()
            .update(evaluations)
            .set({ status: 'expert_review' })
            .where(eq(evaluations.id, evaluationId));
          await db()
            .insert(evaluationExperts)
            .values({ evaluationId, expertId: await expertId() });
          const url = `/api/evaluations/${evaluationId}/expert-scores/2`;
          const firstScore = await call('expert.demo', 'PUT', url, {
            score: 70,
            finding: null,
            version: null,
          });
          expect(firstScore.statusCode, firstScore.body).toBe(200);
          // A first score from another tab that had not seen this one is refused the same way.
          const again = await call('expert.demo', 'PUT', url, { score: 75, finding: null, version: null });
          expect(again.statusCode).toBe(409);
          expect(again.json().error.code).toBe('stale_version');
          const version = ownScore(firstScore.json())?.version as number;
          expect(version).toBe(1);
          return { url, version };
        },
        first: { score: 85, finding: '服务中心运营规范' },
        second: { score: 40, finding: '另一窗口的意见' },
        record: ownScore,
        shown: { score: 85, finding: '服务中心运营规范' },
        stored: async () => {
          const item = await evaluationItem(2);
          return (
            await db()
              .select()
              .from(expertScores)
              .where(
                and(eq(expertScores.itemId, item?.id as string), eq(expertScores.expertId, await expertId())),
              )
          )[0];
        },
        storedShown: { score: 85, finding: '服务中心运营规范' },
      },
      {
        route: 'PATCH /api/rectifications/{id}',
        username: 'county.yuanqu',
        method: 'PATCH',
        load: async () => {
          await db()
            .update(evaluations)
            .set({ status: 'rectification' })
            .where(eq(evaluations.id, evaluationId));
          const [row] = await db()
            .insert(rectificationItems)
            .values({
              evaluationId,
              indicatorNo: 5,
              finding: '物流未共配',
              owner: '县商务局',
              deadline: '2099-06-30',
            })
            .returning();
          return { url: `/api/rectifications/${row?.id}`, version: row?.version as number };
        },
        first: { status: 'in_progress', note: '已签订共配协议' },
        second: { status: 'closed', note: '另一窗口的说明' },
        record: (answer) => (answer.rectifications as Answer[])[0],
        shown: { status: 'in_progress', note: '已签订共配协议' },
        stored: async () =>
          (
            await db()
              .select()
              .from(rectificationItems)
              .where(eq(rectificationItems.evaluationId, evaluationId))
          )[0],
        storedShown: { status: 'in_progress', note: '已签订共配协议' },
      },
      {
        route: 'PUT /api/projects/{id}/milestones/{milestoneId}',
        username: 'etown.gaotao',
        method: 'PUT',
        load: async () => {
          const project = await created('county.yuanqu', '/api/projects', {
            etownCode: ETOWN,
            name: '皋陶冷链仓储项目',
            milestones: [{ name: '开工', plannedOn: '2026-03-01' }],
          });
          const [milestone] = project.milestones as { id: string; version: number }[];
          ids.milestone = milestone?.id as string;
          return {
            url: `/api/projects/${project.id}/milestones/${milestone?.id}`,
            version: milestone?.version as number,
          };
        },
        first: { name: '开工', plannedOn: '2026-03-01', actualOn: '2026-03-05' },
        second: { name: '开工仪式', plannedOn: '2026-04-01', actualOn: null },
        record: (answer) => (answer.milestones as Answer[])[0],
        shown: { name: '开工', actualOn: '2026-03-05' },
        stored: async () =>
          (await db().select().from(projectMilestones).where(eq(projectMilestones.id, ids.milestone)))[0],
        storedShown: { plannedOn: '2026-03-01', actualOn: '2026-03-05' },
      },
      {
        route: 'PUT /api/promotion/events/{id}',
        username: 'etown.gaotao',
        method: 'PUT',
        load: async () => {
          const event = await created('county.yuanqu', '/api/promotion/events', {
            etownCode: ETOWN,
            kind: 'expo',
            heldOn: '2026-05-01',
            title: '农交会',
          });
          return { url: `/api/promotion/events/${event.id}`, version: event.version };
        },
        first: { kind: 'expo', heldOn: '2026-05-01', title: '山西农交会' },
        second: { kind: 'publicity', heldOn: '2026-05-02', title: '另一窗口的名称' },
        record: (answer) => answer,
        shown: { title: '山西农交会' },
        stored: async () =>
          (await db().select().from(promotionEvents).where(eq(promotionEvents.title, '山西农交会')))[0],
        storedShown: { kind: 'expo', heldOn: '2026-05-01' },
      },
      {
        route: 'PUT /api/promotion/media-channels/{id}',
        username: 'county.yuanqu',
        method: 'PUT',
        load: async () => {
          const channel = await created('etown.gaotao', '/api/promotion/media-channels', {
            etownCode: ETOWN,
            kind: 'new_media',
            name: '皋陶e镇公众号',
          });
          return { url: `/api/promotion/media-channels/${channel.id}`, version: channel.version };
        },
        first: { kind: 'new_media', name: '皋陶e镇视频号' },
        second: { kind: 'traditional', name: '另一窗口的名称' },
        record: (answer) => answer,
        shown: { kind: 'new_media', name: '皋陶e镇视频号' },
        stored: async () =>
          (await db().select().from(mediaChannels).where(eq(mediaChannels.name, '皋陶e镇视频号')))[0],
        storedShown: { kind: 'new_media' },
      },
      {
        route: 'PUT /api/products/{id}/certifications/{certificationId}',
        username: 'county.yuanqu',
        method: 'PUT',
        load: async () => {
          const [product] = await db().select().from(products).where(eq(products.etownCode, ETOWN));
          if (!product) throw new Error('the seed has no product in the e-town');
          const detail = await call('county.yuanqu', 'POST', `/api/products/${product.id}/certifications`, {
            kind: 'green_food',
            number: 'LB-18-0000000001',
            validFrom: '2025-01-01',
            validTo: '2027-12-31',
          });
          expect(detail.statusCode, detail.body).toBe(200);
          const certification = (
            detail.json().certifications as { id: string; number: string; version: number }[]
          ).find((row) => row.number === 'LB-18-0000000001');
          ids.certification = certification?.id as string;
          return {
            url: `/api/products/${product.id}/certifications/${certification?.id}`,
            version: certification?.version as number,
          };
        },
        first: { kind: 'green_food', number: 'LB-18-0000000002', issuer: '中国绿色食品发展中心' },
        second: { kind: 'organic', number: 'OP-另一窗口' },
        record: (answer) => (answer.certifications as Answer[]).find((row) => row.id === ids.certification),
        shown: { number: 'LB-18-0000000002', issuer: '中国绿色食品发展中心' },
        stored: async () =>
          (
            await db()
              .select()
              .from(productCertifications)
              .where(eq(productCertifications.id, ids.certification))
          )[0],
        storedShown: { kind: 'green_food', issuer: '中国绿色食品发展中心' },
      },
      {
        route: 'PATCH /api/leading-groups/{id}',
        username: 'county.yuanqu',
        method: 'PATCH',
        load: async () => {
          const group = await yuanquGroup();
          return { url: `/api/leading-groups/${group.id}`, version: group.version };
        },
        first: { officeLocation: '垣曲县商务局三楼' },
        second: { officeLocation: '另一窗口的地点' },
        record: (answer) => answer,
        shown: { officeLocation: '垣曲县商务局三楼' },
        stored: async () =>
          (
            await db()
              .select()
              .from(leadingGroups)
              .where(eq(leadingGroups.id, (await yuanquGroup()).id))
          )[0],
        storedShown: { officeLocation: '垣曲县商务局三楼' },
      },
      {
        route: 'PATCH /api/leading-groups/{id}/units/{unitId}',
        username: 'county.yuanqu',
        method: 'PATCH',
        load: async () => {
          const group = await yuanquGroup();
          const detail = (await call('county.yuanqu', 'GET', `/api/leading-groups/${group.id}`)).json();
          const [unit] = detail.units as { id: string; version: number }[];
          ids.unit = unit?.id as string;
          return {
            url: `/api/leading-groups/${group.id}/units/${unit?.id}`,
            version: unit?.version as number,
          };
        },
        first: { duties: '统筹e镇建设，牵头考核' },
        second: { duties: '另一窗口的职责' },
        record: (answer) => (answer.units as Answer[]).find((unit) => unit.id === ids.unit),
        shown: { duties: '统筹e镇建设，牵头考核' },
        stored: async () =>
          (await db().select().from(leadingGroupUnits).where(eq(leadingGroupUnits.id, ids.unit)))[0],
        storedShown: { duties: '统筹e镇建设，牵头考核' },
      },
      {
        route: 'PATCH /api/users/{id}',
        username: 'security.admin',
        method: 'PATCH',
        load: async () => {
          const answer = await created('security.admin', '/api/users', {
            username: 'rename.me',
            displayName: '待改名',
            role: 'county_operator',
            scopeRegionCode: '140827',
          });
          return { url: `/api/users/${answer.user.id}`, version: answer.user.version };
        },
        first: { displayName: '张三' },
        second: { displayName: '李四' },
        record: (answer) => answer,
        shown: { username: 'rename.me', displayName: '张三' },
        stored: async () => (await db().select().from(users).where(eq(users.username, 'rename.me')))[0],
        storedShown: { displayName: '张三' },
      },
    ];

    it.each(cases)(
      '$route: the loaded version saves, an older one answers 409 with the current record, none 400',
      async (edit) => {
        const { url, version } = await edit.load();
        expect(version).toBeGreaterThanOrEqual(1);

        const saved = await call(edit.username, edit.method, url, { ...edit.first, version });
        expect(saved.statusCode, saved.body).toBe(200);
        expect(edit.record(saved.json())).toMatchObject({ ...edit.shown, version: version + 1 });

        // Another tab loaded the same version and saves after the first write.
        const stale = await call(edit.username, edit.method, url, { ...edit.second, version });
        expect(stale.statusCode, stale.body).toBe(409);
        const error = stale.json().error;
        expect(error).toMatchObject({ code: 'stale_version', message: '该记录已被他人修改，已载入最新内容' });
        expect(edit.record(error.details.current)).toMatchObject({ ...edit.shown, version: version + 1 });
        expect(await edit.stored()).toMatchObject({ ...edit.storedShown, version: version + 1 });

        const unversioned = await call(edit.username, edit.method, url, edit.second);
        expect(unversioned.statusCode).toBe(400);
        expect(unversioned.json().error.message).toContain('version');
        expect(await edit.stored()).toMatchObject({ ...edit.storedShown, version: version + 1 });
      },
    );
  },
);
