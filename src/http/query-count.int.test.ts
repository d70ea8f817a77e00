import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeededApp, loginAs, type TestContext, testBackends } from '../test/test-context.ts';
import type { App } from './app.ts';

// The main lists cost a fixed number of SQL statements per request, whatever the number of rows they show
// (no N+1): each list (paged ones with their filters, at their largest page) is asked on the demo seed with 3
// rows added (so none is empty), then again after 40 more, and both counts must be equal and small. The count includes the session check and everything else the request runs.
const ETOWN = '140827-E01';
const MAX_STATEMENTS = 8;
const ADDED = 40;

describe.each(testBackends)('statements per request on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let cookie: string;
  let month: string;
  let counting = false;
  let statements: string[] = [];

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(
      backend,
      {},
      {
        onQuery: (text) => {
          // The session's last-seen time is written at most every 30 s, whichever request that falls on.
          if (counting && !text.startsWith('update "sessions"')) statements.push(text);
        },
      },
    ));
    cookie = await loginAs(app, 'county.yuanqu');
    const [latest] = await context.database.query<{ month: string }>(
      `select max(month) as month from monthly_statistics where etown_code = $1`,
      [ETOWN],
    );
    month = latest?.month as string;
  });
  afterAll(async () => {
    await app?.close();
    await context?.close();
  });

  const lists = () => [
    `/api/entities?regionCode=${ETOWN}&pageSize=200`,
    `/api/entities?keyword=${encodeURIComponent('计数测试')}&pageSize=200`,
    `/api/stats/monthly?month=${month}&regionCode=${ETOWN}&pageSize=200`,
    `/api/stats/monthly?month=${month}&status=approved&pageSize=200`,
    `/api/projects?regionCode=${ETOWN}&pageSize=200`,
    `/api/projects?status=planned&pageSize=200`,
    `/api/funds/applications?regionCode=${ETOWN}&pageSize=200`,
    '/api/notifications?limit=100',
  ];

  /** The statements one GET costs, and the number of items it listed. */
  const measure = async (url: string) => {
    statements = [];
    counting = true;
    const response = await app.inject({ method: 'GET', url, headers: { cookie } });
    counting = false;
    expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
    const body = response.json();
    return {
      statements: statements.length,
      items: (Array.isArray(body) ? body : (body.items ?? [])).length as number,
    };
  };

  /** More rows behind every list: entities with this and last month's figures, projects, applications, notifications. */
  const addRows = async (batch: number, count: number) => {
    const name = `计数测试${batch}批`;
    const { query } = context.database;
    const [previous] = await query<{ month: string }>(
      `select to_char(to_date($1, 'YYYY-MM') - interval '1 month', 'YYYY-MM') as month`,
      [month],
    );
    await query(
      `insert into entities (credit_code, name, etown_code, sort_order)
       select '9199000' || $2 || 'QC' || lpad(n::text, 8, '0'), $3 || '企业' || n, $1, 1000 + n
       from generate_series(1, ${count}) as n`,
      [ETOWN, batch, name],
    );
    await query(
      `insert into monthly_statistics (etown_code, entity_id, month, output_fen, online_retail_fen, status)
       select $1, e.id, m.month, 100000, 50000, 'approved'
       from entities e, (values ($2), ($3)) as m (month)
       where e.name like $4 || '企业%'`,
      [ETOWN, month, previous?.month, name],
    );
    const [user] = await query<{ id: string }>(`select id from users where username = 'county.yuanqu'`);
    await query(
      `insert into projects (etown_code, name, created_by)
       select $1, $3 || '项目' || n, $2 from generate_series(1, ${count}) as n`,
      [ETOWN, user?.id, name],
    );
    const [policy] = await query<{ id: string }>(
      `insert into fund_policies (region_code, name, support_mode, source, standard_kind, amount_fen, conditions,
         document_title, document_number, issued_on, valid_from)
       values ('14', $1 || '政策', 'award', 'provincial', 'amount', 100000, '无', '计数测试', '测试〔2026〕1号',
               '2026-01-01', '2026-01-01')
       returning id`,
      [name],
    );
    await query(
      `insert into fund_applications (policy_id, etown_code, entity_id, applicant_id, title, description, requested_fen)
       select $1, $2, e.id, $3, $4 || '申请' || e.sort_order, '计数测试', 100000
       from entities e where e.name like $4 || '企业%'`,
      [policy?.id, ETOWN, user?.id, name],
    );
    await query(
      `insert into notifications (user_id, kind, title, body)
       select $1, 'evaluation', $2 || '通知' || n, '计数测试' from generate_series(1, ${count}) as n`,
      [user?.id, name],
    );
  };

  it('answers each main list with the same few statements however many rows it lists', async () => {
    await addRows(1, 3);
    const before = [];
    for (const url of lists()) before.push({ url, ...(await measure(url)) });
    await addRows(2, ADDED);
    for (const [index, url] of lists().entries()) {
      const after = await measure(url);
      const earlier = before[index] as { statements: number; items: number };
      expect(after.items, `${url} lists the added rows`).toBeGreaterThanOrEqual(earlier.items + ADDED);
      expect(after.statements, `${url}: statements with ${after.items} rows vs ${earlier.items}`).toBe(
        earlier.statements,
      );
      expect(after.statements, url).toBeLessThanOrEqual(MAX_STATEMENTS);
    }
  });

  it('answers a page asked again, and a kept dashboard, with the session check, one version read and the rows', async () => {
    const year = Number(month.slice(0, 4));
    const budgets: [string, number][] = [
      // session + version (which also checks the region) + the page; the count is kept at that version
      [`/api/entities?regionCode=${ETOWN}&pageSize=20`, 3],
      [`/api/entities?keyword=${encodeURIComponent('计数测试')}&pageSize=20`, 3],
      [`/api/stats/monthly?month=${month}&regionCode=${ETOWN}&pageSize=20`, 3],
      // session + the page + its count (projects and applications keep no versions)
      [`/api/projects?regionCode=${ETOWN}&pageSize=20`, 3],
      [`/api/funds/applications?regionCode=${ETOWN}&pageSize=20`, 3],
      ['/api/notifications?limit=20', 2],
      // session + version: the answer is kept at it
      [`/api/evaluations/overview?year=${year}&regionCode=${ETOWN}`, 2],
      [`/api/etowns/${ETOWN}/scorecard?year=${year}`, 2],
      [`/api/stats/aggregates?regionCode=${ETOWN}`, 2],
      [`/api/stats/monthly/progress?month=${month}&regionCode=${ETOWN}`, 2],
    ];
    for (const [url] of budgets) await measure(url);
    for (const [url, budget] of budgets) {
      const again = await measure(url);
      expect(again.statements, `${url}: ${statements.join('\n')}`).toBeLessThanOrEqual(budget);
    }
  });
});
