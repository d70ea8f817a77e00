import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/app.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import {
  createSeededApp,
  DEMO_PASSWORD,
  loginReady,
  type TestContext,
  testBackends,
} from '../../test/test-context.ts';
import { createUser } from '../accounts/user.service.ts';

const ETOWN = '140827-E01';
const YEAR = 2025;
const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

type Item = {
  indicatorNo: number;
  version: number;
  reviewStatus: string;
  returnReason: string | null;
  history: { kind: string; reason: string | null }[];
  evidence: { id: string; sha256: string }[];
  expertScores: { expertId: string; score: number }[];
  panel: { count: number; mean: number | null; outlierExpertIds: string[] } | null;
};

describe.each(testBackends)('evaluation workflow on %s', (backend) => {
  let app: App;
  let context: TestContext;
  const cookies = new Map<string, string>();
  let evaluationId = '';
  let expertIds: string[] = [];

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    // A second expert whose scope is another county's e-town until the province assigns them here.
    await createUser(
      context,
      { username: 'test', ip: 'local' },
      {
        username: 'expert.second',
        displayName: '第二位专家',
        role: 'expert',
        expertEtownCodes: ['140826-E01'],
      },
      { password: DEMO_PASSWORD, mustChangePassword: false },
    );
    for (const username of [
      'county.yuanqu',
      'county.other',
      'city.yuncheng',
      'province.admin',
      'expert.demo',
      'expert.second',
      'etown.gaotao',
      'enterprise.demo',
      'auditor',
      'security.admin',
      'system.admin',
    ]) {
      cookies.set(username, (await loginReady(app, username)).cookie);
    }
    const rows = await context.database.query<{ id: string }>(
      "select id from users where username in ('expert.demo', 'expert.second') order by username",
    );
    expertIds = rows.map((row) => row.id);
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  const call = (
    username: string,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    app.inject({
      method,
      url,
      headers: { cookie: cookies.get(username) as string, ...headers },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const detail = async (username = 'county.yuanqu') =>
    (await call(username, 'GET', `/api/evaluations/${evaluationId}`)).json();
  const item = (body: { items: Item[] }, no: number) => body.items.find((i) => i.indicatorNo === no) as Item;
  /** The version of an item as the county loads it, which its edit sends back. */
  const itemVersion = async (no: number) => item(await detail(), no).version;
  const upload = (username: string, no: number, bytes: Buffer, fileName = 'evidence.pdf') =>
    app.inject({
      method: 'POST',
      url: `/api/evaluations/${evaluationId}/items/${no}/evidence?fileName=${encodeURIComponent(fileName)}`,
      headers: { cookie: cookies.get(username) as string, 'content-type': 'application/octet-stream' },
      payload: bytes,
    });
  const unread = async (username: string) =>
    (await call(username, 'GET', '/api/notifications?unread=true')).json() as {
      unreadCount: number;
      items: { id: string; kind: string }[];
    };

  it('the county starts a self-evaluation filled from the platform data, with the catalog pinned', async () => {
    const started = await call('county.yuanqu', 'POST', '/api/evaluations', { etownCode: ETOWN, year: YEAR });
    expect(started.statusCode).toBe(201);
    const body = started.json();
    evaluationId = body.id;
    expect(body.status).toBe('draft');
    expect(body.catalog).toEqual({ id: 'shanxi-province', version: 1 });
    expect(body.items).toHaveLength(28);
    expect(body.items.map((i: Item) => i.indicatorNo)).toEqual(Array.from({ length: 28 }, (_, n) => n + 1));
    const again = await call('county.yuanqu', 'POST', '/api/evaluations', { etownCode: ETOWN, year: YEAR });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('evaluation_exists');
  });

  it('starts a self-evaluation only for a closed year', async () => {
    const thisYear = Number(shanghaiToday().slice(0, 4));
    for (const year of [thisYear, thisYear + 1]) {
      const refused = await call('county.yuanqu', 'POST', '/api/evaluations', { etownCode: ETOWN, year });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error).toMatchObject({
        code: 'evaluation_year_not_closed',
        details: { field: 'year', firstAllowedOn: `${year + 1}-01-01` },
      });
      expect(refused.json().error.message).toContain('尚未结束');
    }
    const listed = (await call('county.yuanqu', 'GET', `/api/evaluations?year=${thisYear}`)).json();
    expect(listed).toEqual([]);
  });

  it('refuses the other county (404), other roles (403) and steps out of order (409)', async () => {
    const other = await call('county.other', 'POST', '/api/evaluations', { etownCode: ETOWN, year: 2026 });
    expect(other.statusCode).toBe(404);
    expect((await call('county.other', 'GET', `/api/evaluations/${evaluationId}`)).statusCode).toBe(404);
    const otherList = (await call('county.other', 'GET', '/api/evaluations')).json();
    expect(otherList).toEqual([]);
    expect(
      (await call('city.yuncheng', 'POST', '/api/evaluations', { etownCode: ETOWN, year: 2026 })).statusCode,
    ).toBe(403);
    expect((await call('etown.gaotao', 'GET', '/api/evaluations')).statusCode).toBe(403);
    expect((await call('auditor', 'GET', `/api/evaluations/${evaluationId}`)).statusCode).toBe(403);
    const early = await call('county.yuanqu', 'POST', `/api/evaluations/${evaluationId}/submit`);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('self_assessment_incomplete');
    expect(early.json().error.details.indicatorNos).toHaveLength(28);
    const review = await call('city.yuncheng', 'POST', `/api/evaluations/${evaluationId}/review`, {
      returns: [],
    });
    expect(review.statusCode).toBe(409);
    expect(review.json().error.code).toBe('invalid_evaluation_state');
    const badScore = await call('county.yuanqu', 'PUT', `/api/evaluations/${evaluationId}/items/1`, {
      score: 101,
      statement: null,
      version: 1,
    });
    expect(badScore.statusCode).toBe(400);
  });

  it('stores evidence by content hash and refuses other types and oversized files', async () => {
    const stored = await upload('county.yuanqu', 1, PDF, '实施方案.pdf');
    expect(stored.statusCode).toBe(201);
    expect(stored.json()).toMatchObject({
      fileName: '实施方案.pdf',
      mediaType: 'application/pdf',
      sizeBytes: PDF.length,
      sha256: createHash('sha256').update(PDF).digest('hex'),
    });
    const download = await call(
      'city.yuncheng',
      'GET',
      `/api/evaluations/${evaluationId}/evidence/${stored.json().id}`,
    );
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.rawPayload.equals(PDF)).toBe(true);
    const exe = await upload('county.yuanqu', 1, Buffer.from('MZ\x90\x00 this is a program'), 'report.pdf');
    expect(exe.statusCode).toBe(415);
    expect(exe.json().error.code).toBe('unsupported_file_type');
    const huge = await upload('county.yuanqu', 1, Buffer.concat([PDF, Buffer.alloc(20 * 1024 * 1024)]));
    expect(huge.statusCode).toBe(413);
    expect((await upload('county.other', 1, PDF)).statusCode).toBe(404);
    expect(item(await detail(), 1).evidence).toHaveLength(1);
  });

  it.each([
    ['province.admin', 200],
    ['city.yuncheng', 200],
    ['county.yuanqu', 200],
    ['county.other', 404],
    ['expert.demo', 200],
    ['expert.second', 404],
    ['etown.gaotao', 403],
    ['enterprise.demo', 403],
    ['auditor', 403],
    ['security.admin', 403],
    ['system.admin', 403],
  ])('%s reads the evaluation with %i and lists it only when in scope', async (username, expected) => {
    expect((await call(username, 'GET', `/api/evaluations/${evaluationId}`)).statusCode).toBe(expected);
    const list = await call(username, 'GET', '/api/evaluations');
    if (expected === 403) {
      expect(list.statusCode).toBe(403);
    } else {
      expect(list.json().some((e: { id: string }) => e.id === evaluationId)).toBe(expected === 200);
    }
  });

  it('the county scores every indicator and submits; the city is notified', async () => {
    const loaded = await detail();
    for (let no = 1; no <= 28; no += 1) {
      const saved = await call('county.yuanqu', 'PUT', `/api/evaluations/${evaluationId}/items/${no}`, {
        score: 70 + (no % 20),
        statement: `指标 ${no} 自评说明`,
        version: item(loaded, no).version,
      });
      expect(saved.statusCode).toBe(200);
      expect(item(saved.json(), no).version).toBe(item(loaded, no).version + 1);
    }
    const submitted = await call('county.yuanqu', 'POST', `/api/evaluations/${evaluationId}/submit`);
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json().status).toBe('submitted');
    const inbox = await unread('city.yuncheng');
    expect(inbox.items.map((n) => n.kind)).toContain('evaluation.submitted');
    expect((await unread('county.other')).unreadCount).toBe(0);
    const locked = await call('county.yuanqu', 'PUT', `/api/evaluations/${evaluationId}/items/2`, {
      score: 1,
      statement: null,
      version: await itemVersion(2),
    });
    expect(locked.statusCode).toBe(409);
    expect(locked.json().error.code).toBe('invalid_evaluation_state');
  });

  it('the city returns one item with a reason; the county fixes only that item and resubmits', async () => {
    const returned = await call('city.yuncheng', 'POST', `/api/evaluations/${evaluationId}/review`, {
      returns: [{ indicatorNo: 3, reason: '缺少服务中心运营台账' }],
    });
    expect(returned.statusCode).toBe(200);
    const body = returned.json();
    expect(body.status).toBe('returned');
    expect(item(body, 3)).toMatchObject({ reviewStatus: 'returned', returnReason: '缺少服务中心运营台账' });
    expect(item(body, 4).reviewStatus).toBe('approved');
    expect((await unread('county.yuanqu')).items.map((n) => n.kind)).toContain('evaluation.returned');
    const notReturned = await call('county.yuanqu', 'PUT', `/api/evaluations/${evaluationId}/items/4`, {
      score: 50,
      statement: '改',
      version: item(body, 4).version,
    });
    expect(notReturned.statusCode).toBe(409);
    expect(notReturned.json().error.code).toBe('item_not_returned');
    const fixed = await call('county.yuanqu', 'PUT', `/api/evaluations/${evaluationId}/items/3`, {
      score: 85,
      statement: '已补充服务中心运营台账',
      version: item(body, 3).version,
    });
    expect(fixed.statusCode).toBe(200);
    const resubmitted = await call('county.yuanqu', 'POST', `/api/evaluations/${evaluationId}/submit`);
    expect(resubmitted.json().status).toBe('submitted');
    const history = item(resubmitted.json(), 3).history.map((h) => h.kind);
    expect(history.slice(-3)).toEqual(['returned', 'edited', 'resubmitted']);
    expect(item(resubmitted.json(), 3).history.find((h) => h.kind === 'returned')?.reason).toBe(
      '缺少服务中心运营台账',
    );
  });

  it('approval locks; a reopen is counted; bulk approval reports each e-town', async () => {
    const approved = await call('city.yuncheng', 'POST', `/api/evaluations/${evaluationId}/review`, {});
    expect(approved.json().status).toBe('approved');
    expect(approved.json().items.every((i: Item) => i.reviewStatus === 'approved')).toBe(true);
    const edit = await call('county.yuanqu', 'PUT', `/api/evaluations/${evaluationId}/items/3`, {
      score: 90,
      statement: null,
      version: item(approved.json(), 3).version,
    });
    expect(edit.statusCode).toBe(409);
    expect((await upload('county.yuanqu', 3, PDF)).statusCode).toBe(409);
    expect(
      (await call('county.yuanqu', 'POST', `/api/evaluations/${evaluationId}/reopen`, { reason: '自行重开' }))
        .statusCode,
    ).toBe(403);
    const reopened = await call('city.yuncheng', 'POST', `/api/evaluations/${evaluationId}/reopen`, {
      reason: '省级抽查发现数据需更正',
    });
    expect(reopened.json()).toMatchObject({ status: 'draft', reopenCount: 1 });
    const corrected = await call('county.yuanqu', 'PUT', `/api/evaluations/${evaluationId}/items/2`, {
      score: 88,
      statement: '更正',
      version: item(reopened.json(), 2).version,
    });
    expect(corrected.statusCode).toBe(200);
    expect(
      (await call('county.yuanqu', 'POST', `/api/evaluations/${evaluationId}/submit`)).json().status,
    ).toBe('submitted');
    const unknown = randomUUID();
    const bulk = await call('city.yuncheng', 'POST', '/api/evaluations/bulk-approve', {
      evaluationIds: [evaluationId, unknown],
    });
    expect(bulk.statusCode).toBe(200);
    expect(bulk.json().results).toEqual([
      { evaluationId, ok: true, status: 'approved' },
      { evaluationId: unknown, ok: false, error: { code: 'not_found', message: expect.any(String) } },
    ]);
    expect((await detail()).reopenCount).toBe(1);
    // The snapshot is frozen: a later change of the county's tier does not move a submitted evaluation.
    const before = await detail();
    const county = (await call('province.admin', 'GET', '/api/regions/140827')).json();
    const tier = await call('province.admin', 'PUT', '/api/regions/140827/tier', {
      tier: 'pilot_demo',
      reason: '测试：评价快照不随分类变化',
      version: county.version,
    });
    expect(tier.statusCode).toBe(200);
    const after = await detail();
    expect({ tier: after.tier, summary: after.summary, catalog: after.catalog }).toEqual({
      tier: before.tier,
      summary: before.summary,
      catalog: before.catalog,
    });
  });

  it('the province assigns experts, who score independently; the panel shows mean and outliers', async () => {
    const [demoExpert, secondExpert] = expertIds as [string, string];
    expect((await call('expert.second', 'GET', `/api/evaluations/${evaluationId}`)).statusCode).toBe(404);
    const tooEarly = await call('expert.demo', 'PUT', `/api/evaluations/${evaluationId}/expert-scores/1`, {
      score: 80,
      finding: null,
      version: null,
    });
    expect(tooEarly.statusCode).toBe(409);
    expect(
      (
        await call('city.yuncheng', 'POST', `/api/evaluations/${evaluationId}/experts`, {
          expertUserIds: expertIds,
        })
      ).statusCode,
    ).toBe(403);
    const assigned = await call('province.admin', 'POST', `/api/evaluations/${evaluationId}/experts`, {
      expertUserIds: expertIds,
    });
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json().status).toBe('expert_review');
    expect((await call('expert.second', 'GET', `/api/evaluations/${evaluationId}`)).statusCode).toBe(200);
    expect((await unread('expert.second')).items.map((n) => n.kind)).toContain('evaluation.expert_assigned');

    // A first score of an indicator carries version null; a change, the version of the expert's score.
    const score = (
      username: string,
      no: number,
      value: number,
      finding: string | null = null,
      version: number | null = null,
    ) =>
      call(username, 'PUT', `/api/evaluations/${evaluationId}/expert-scores/${no}`, {
        score: value,
        finding,
        version,
      });
    for (let no = 1; no <= 28; no += 1) {
      expect((await score('expert.demo', no, 80)).statusCode).toBe(200);
      if (no < 28)
        await score('expert.second', no, no === 5 ? 40 : 82, no === 5 ? '物流配送未实现共配' : null);
    }
    const incomplete = await call(
      'expert.second',
      'POST',
      `/api/evaluations/${evaluationId}/expert-scores/submit`,
    );
    expect(incomplete.statusCode).toBe(409);
    expect(incomplete.json().error.code).toBe('expert_scores_incomplete');
    expect(incomplete.json().error.details.indicatorNos).toEqual([28]);
    await score('expert.second', 28, 82);
    expect(
      (await call('expert.demo', 'POST', `/api/evaluations/${evaluationId}/expert-scores/submit`)).statusCode,
    ).toBe(200);
    const early = await call('province.admin', 'POST', `/api/evaluations/${evaluationId}/rectifications`, {
      items: [],
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('expert_review_incomplete');
    expect(
      (await call('expert.second', 'POST', `/api/evaluations/${evaluationId}/expert-scores/submit`))
        .statusCode,
    ).toBe(200);
    const afterSubmit = await score('expert.demo', 1, 10, null, 1);
    expect(afterSubmit.statusCode).toBe(409);
    expect(afterSubmit.json().error.code).toBe('expert_scores_submitted');

    const province = await detail('province.admin');
    expect(item(province, 1).panel).toEqual({ count: 2, mean: 81, median: 81, outlierExpertIds: [] });
    expect(item(province, 5).panel?.mean).toBe(60);
    expect(item(province, 5).panel?.outlierExpertIds.sort()).toEqual([demoExpert, secondExpert].sort());
    const ownOnly = await detail('expert.second');
    expect(item(ownOnly, 5).expertScores.map((s) => s.expertId)).toEqual([secondExpert]);
    expect(item(ownOnly, 5).panel).toBeNull();
    expect((await unread('province.admin')).items.map((n) => n.kind)).toContain('evaluation.panel_complete');
  });

  it('findings become rectification items; acceptance only once all are closed', async () => {
    const planned = await call('province.admin', 'POST', `/api/evaluations/${evaluationId}/rectifications`, {
      items: [
        { indicatorNo: 5, finding: '物流配送未实现共配', owner: '县商务局', deadline: '2020-06-30' },
        { indicatorNo: null, finding: '台账归档不规范', owner: 'e镇运营主体', deadline: '2099-12-31' },
      ],
    });
    expect(planned.statusCode).toBe(200);
    const body = planned.json();
    expect(body.status).toBe('rectification');
    expect(body.rectifications.map((r: { overdue: boolean }) => r.overdue)).toEqual([true, false]);
    const [first, second] = body.rectifications as { id: string }[] as [{ id: string }, { id: string }];
    const tooEarly = await call('province.admin', 'POST', `/api/evaluations/${evaluationId}/acceptance`, {
      acceptedOn: '2026-03-01',
      conclusion: '通过',
    });
    expect(tooEarly.statusCode).toBe(409);
    expect(tooEarly.json().error.code).toBe('rectification_not_closed');
    expect(
      (
        await call('county.other', 'PATCH', `/api/rectifications/${first.id}`, {
          status: 'closed',
          version: 1,
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await call('county.yuanqu', 'PATCH', `/api/rectifications/${first.id}`, {
          status: 'in_progress',
          version: 1,
        })
      ).json().rectifications[0],
    ).toMatchObject({ status: 'in_progress', version: 2 });
    await call('county.yuanqu', 'PATCH', `/api/rectifications/${first.id}`, {
      status: 'closed',
      note: '已签订共配协议',
      version: 2,
    });
    const closed = await call('county.yuanqu', 'PATCH', `/api/rectifications/${second.id}`, {
      status: 'closed',
      version: 1,
    });
    expect(
      closed
        .json()
        .rectifications.every(
          (r: { status: string; overdue: boolean }) => r.status === 'closed' && !r.overdue,
        ),
    ).toBe(true);
    expect((await unread('province.admin')).items.map((n) => n.kind)).toContain(
      'evaluation.rectification_closed',
    );
    const accepted = await call('province.admin', 'POST', `/api/evaluations/${evaluationId}/acceptance`, {
      acceptedOn: '2026-03-01',
      conclusion: '整改到位，同意通过验收',
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({
      status: 'accepted',
      acceptance: { acceptedOn: '2026-03-01', conclusion: '整改到位，同意通过验收' },
    });
    const twice = await call('province.admin', 'POST', `/api/evaluations/${evaluationId}/acceptance`, {
      acceptedOn: '2026-03-02',
      conclusion: '再次',
    });
    expect(twice.statusCode).toBe(409);
    expect((await unread('county.yuanqu')).items.map((n) => n.kind)).toContain('evaluation.accepted');
  });

  it('audited every state change; notifications are private and can be marked read', async () => {
    const rows = await context.database.query<{ action: string }>(
      `select action from audit_log where target_type = 'evaluation' and target_id = $1 and result = 'success' order by id`,
      [evaluationId],
    );
    const actions = new Set(rows.map((row) => row.action));
    for (const action of [
      'evaluation.start',
      'evaluation.evidence.add',
      'evaluation.item.update',
      'evaluation.submit',
      'evaluation.return',
      'evaluation.approve',
      'evaluation.reopen',
      'evaluation.experts.assign',
      'evaluation.expert.score',
      'evaluation.expert.submit',
      'evaluation.rectification.plan',
      'evaluation.rectification.update',
      'evaluation.accept',
    ]) {
      expect(actions).toContain(action);
    }
    const inbox = await unread('county.yuanqu');
    const firstId = inbox.items[0]?.id as string;
    expect((await call('city.yuncheng', 'POST', `/api/notifications/${firstId}/read`)).statusCode).toBe(404);
    expect((await call('county.yuanqu', 'POST', `/api/notifications/${firstId}/read`)).statusCode).toBe(204);
    expect((await unread('county.yuanqu')).unreadCount).toBe(inbox.unreadCount - 1);
    const all = await call('county.yuanqu', 'POST', '/api/notifications/read-all');
    expect(all.json().marked).toBe(inbox.unreadCount - 1);
    expect((await unread('county.yuanqu')).unreadCount).toBe(0);
  });
});
