import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/app.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';

const ETOWN = '140827-E01';

type Indicator = { no: number; facts: Record<string, unknown> };
type Cell = string | { href: string; text: string } | { tags: string[] };
type Row = { key: string; cells: Record<string, Cell> };
type Section = { kind: string; summary: string; rows: Row[]; total?: { cells: Record<string, string> } };

const text = (cell: Cell | undefined) => (typeof cell === 'object' && 'text' in cell ? cell.text : cell);

describe.each(testBackends)('drill-down of #11–#13 by source on %s', (backend) => {
  let app: App;
  let context: TestContext;
  const cookies: Record<string, string> = {};
  const today = shanghaiToday();
  const year = Number(today.slice(0, 4));
  let sessionId = '';
  let expertId = '';
  let institution = '';

  function call(username: string, method: 'GET' | 'POST', url: string, payload?: object) {
    return app.inject({
      method,
      url,
      headers: { cookie: cookies[username] as string },
      ...(payload ? { payload } : {}),
    });
  }

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    for (const username of ['county.yuanqu', 'etown.gaotao'])
      cookies[username] = (await loginReady(app, username)).cookie;
    // A training held outside the platform and a person known only from the ledger, as an import leaves them.
    await context.database.query(
      `insert into trainings (etown_code, held_on, title, cross_border, attendance, sort_order)
       values ($1, $2, '台账里的跨境培训（测试）', true, 7, 900)`,
      [ETOWN, `${year}-01-02`],
    );
    await context.database.query(
      `insert into talent_people (etown_code, role, name, source, sort_order) values ($1, 'expert', '台账专家（测试）', 'ledger', 900)`,
      [ETOWN],
    );
    const [row] = await context.database.query<{ id: string; name: string }>(
      `select e.id, e.name from training_sessions s join entities e on e.id = s.institution_entity_id
       where s.etown_code = $1 limit 1`,
      [ETOWN],
    );
    institution = row?.name as string;
    const created = await call('etown.gaotao', 'POST', '/api/trainings/sessions', {
      etownCode: ETOWN,
      institutionEntityId: row?.id,
      heldOn: today,
      place: '皋陶e镇电商培训孵化中心',
      teacher: '王老师',
      topic: '跨境电商选品（明细测试）',
      crossBorder: true,
      capacity: 5,
    });
    expect(created.statusCode, created.body).toBe(201);
    sessionId = created.json().id;
    const trainees = (await call('county.yuanqu', 'GET', `/api/trainees?regionCode=${ETOWN}`)).json();
    const signed = await call('etown.gaotao', 'POST', `/api/trainings/sessions/${sessionId}/attendance`, {
      traineeIds: trainees.items.slice(0, 3).map((item: { id: string }) => item.id),
    });
    expect(signed.json().session.attendance).toBe(3);
    const expert = await call('etown.gaotao', 'POST', '/api/talent-people', {
      etownCode: ETOWN,
      role: 'expert',
      name: '明细测试专家',
      expertise: '跨境电商',
      employer: '运城学院',
      engagedFrom: `${year}-01-01`,
    });
    expect(expert.statusCode, expert.body).toBe(201);
    expertId = expert.json().id;
  }, 120_000);

  afterAll(async () => {
    await app.close();
    await context.close();
  });

  const scorecard = async () =>
    (await call('county.yuanqu', 'GET', `/api/etowns/${ETOWN}/scorecard?year=${year}`)).json() as {
      indicators: Indicator[];
      addOns: { catalog: { id: string }; indicators: Indicator[] }[];
    };
  const drill = async (no: number) => {
    const response = await call(
      'county.yuanqu',
      'GET',
      `/api/etowns/${ETOWN}/scorecard/indicators/${no}?year=${year}`,
    );
    expect(response.statusCode, response.body).toBe(200);
    return response.json().sections as Section[];
  };

  it('lists #11 by session and ledger training, adding up to the scorecard, with the cross-border count', async () => {
    const card = await scorecard();
    const facts = card.indicators.find((indicator) => indicator.no === 11)?.facts ?? {};
    const section = (await drill(11)).find((candidate) => candidate.total) as Section;
    const sum = section.rows.reduce((total, row) => total + Number(row.cells.attendance), 0);
    expect(sum).toBe(facts.attendanceByYear);
    expect(section.total?.cells.attendance).toBe(String(facts.attendanceByYear));
    const session = section.rows.find((row) => text(row.cells.title) === '跨境电商选品（明细测试）');
    expect(session?.cells).toEqual({
      date: today,
      title: { href: `/trainings/${sessionId}`, text: '跨境电商选品（明细测试）' },
      institution,
      crossBorder: '是',
      source: '平台培训场次（按签到计）',
      attendance: '3',
    });
    const ledger = section.rows.find((row) => row.cells.title === '台账里的跨境培训（测试）');
    expect(ledger?.cells).toMatchObject({ institution: '—', source: '台账导入', attendance: '7' });
    // The cross-border person-times of #11's rows are what Yuanqu's add-on counts (≥ 200 人次).
    const crossBorder = section.rows
      .filter((row) => row.cells.crossBorder === '是')
      .reduce((total, row) => total + Number(row.cells.attendance), 0);
    const addOn = card.addOns[0]?.indicators.find((indicator) => indicator.no === 2);
    expect(crossBorder).toBe(addOn?.facts.crossBorderAttendanceByYear);
    expect(section.summary).toContain(
      `其中跨境电商培训 ${crossBorder} 人次（垣曲县自定目标第 2 项：要求不少于 200 人次）`,
    );
  });

  it('lists #12 and #13 by person with their source, counting what the scorecard counts', async () => {
    const card = await scorecard();
    const facts = (no: number) => card.indicators.find((indicator) => indicator.no === no)?.facts ?? {};
    const [experts, leaders] = await drill(12);
    expect(experts?.rows).toHaveLength(facts(12).experts as number);
    expect(leaders?.rows).toHaveLength(facts(12).businessLeaders as number);
    expect(experts?.rows.find((row) => text(row.cells.name) === '明细测试专家')?.cells).toEqual({
      role: '电商专家',
      name: { href: `/talent-people?region=${ETOWN}&role=expert&person=${expertId}`, text: '明细测试专家' },
      source: '平台登记',
    });
    expect(experts?.rows.find((row) => row.cells.name === '台账专家（测试）')?.cells.source).toBe('台账导入');
    const [influencers] = await drill(13);
    expect(influencers?.rows).toHaveLength(facts(13).count as number);
    expect(
      influencers?.rows.every((row) => ['平台登记', '台账导入'].includes(row.cells.source as string)),
    ).toBe(true);
  });
});
