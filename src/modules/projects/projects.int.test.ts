import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/app.ts';
import { parseMoneyText } from '../../indicators/exact.ts';
import { parseLedger } from '../../indicators/ledger-schema.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';
import { exportLedger } from '../indicators/ledger-export.ts';
import { importLedger } from '../indicators/ledger-import.ts';

const ETOWN = '140827-E01';
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 1),
]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const TEXT = Buffer.from('just some text pretending to be a file');

const shiftDays = (date: string, days: number) => {
  const value = new Date(`${date}T00:00:00Z`);
  value.setUTCDate(value.getUTCDate() + days);
  return value.toISOString().slice(0, 10);
};

type Indicator = { no: number; status: string; facts: Record<string, unknown>; reasons: string[] };

describe.each(testBackends)('projects, facilities and supervision on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let county = '';
  let otherCounty = '';
  let city = '';
  let etown = '';
  let enterprise = '';
  const today = shanghaiToday();
  const year = Number(today.slice(0, 4));

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    county = (await loginReady(app, 'county.yuanqu')).cookie;
    otherCounty = (await loginReady(app, 'county.other')).cookie;
    city = (await loginReady(app, 'city.yuncheng')).cookie;
    etown = (await loginReady(app, 'etown.gaotao')).cookie;
    enterprise = (await loginReady(app, 'enterprise.demo')).cookie;
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  const call = (
    cookie: string,
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
  ) => app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  const upload = (cookie: string, url: string, bytes: Buffer) =>
    app.inject({
      method: 'POST',
      url,
      headers: { cookie, 'content-type': 'application/octet-stream' },
      payload: bytes,
    });
  const indicator = async (no: number): Promise<Indicator> => {
    const response = await call(county, 'GET', `/api/etowns/${ETOWN}/scorecard?year=${year}`);
    expect(response.statusCode).toBe(200);
    return response.json().indicators.find((entry: Indicator) => entry.no === no);
  };
  const fen = (yuan: unknown) => parseMoneyText(String(yuan)) as bigint;

  let projectId = '';
  let projectVersion = 0;

  it('registers a project with milestones; its investments by source raise #25 exactly', async () => {
    const before = fen((await indicator(25)).facts.investmentYuan);
    const created = await call(county, 'POST', '/api/projects', {
      etownCode: ETOWN,
      name: '皋陶冷链物流二期',
      plannedStart: `${year}-01-10`,
      plannedEnd: `${year}-12-20`,
      milestones: [
        { name: '开工', plannedOn: `${year}-01-10`, actualOn: `${year}-01-15` },
        { name: '主体完工', plannedOn: `${year + 1}-06-30` },
      ],
    });
    expect(created.statusCode).toBe(201);
    const project = created.json();
    projectId = project.id;
    expect(project.status).toBe('planned');
    expect(project.milestones.map((m: { name: string; late: boolean }) => [m.name, m.late])).toEqual([
      ['开工', true],
      ['主体完工', false],
    ]);

    await call(county, 'POST', `/api/projects/${projectId}/investments`, {
      source: 'provincial',
      amountYuan: '1234567.89',
      investedOn: today,
    });
    const withSocial = await call(etown, 'POST', `/api/projects/${projectId}/investments`, {
      source: 'social',
      amountYuan: '500000',
      investedOn: today,
    });
    expect(withSocial.statusCode).toBe(200);
    const detail = withSocial.json();
    expect(detail.totalInvestmentYuan).toBe('1734567.89');
    expect(detail.investmentBySource).toEqual(
      expect.arrayContaining([
        { source: 'provincial', amountYuan: '1234567.89' },
        { source: 'social', amountYuan: '500000.00' },
      ]),
    );
    projectVersion = detail.version;

    const after = fen((await indicator(25)).facts.investmentYuan);
    expect(after - before).toBe(173456789n);

    const bad = await call(county, 'POST', `/api/projects/${projectId}/investments`, {
      source: 'provincial',
      amountYuan: '12.345',
      investedOn: today,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('renames investments with the project, moves status forward only, and refuses deleting a funded project', async () => {
    const renamed = await call(county, 'PATCH', `/api/projects/${projectId}`, {
      name: '皋陶冷链物流中心二期',
      plannedStart: `${year}-01-10`,
      plannedEnd: `${year}-12-20`,
      version: projectVersion,
    });
    expect(renamed.statusCode).toBe(200);
    const stale = await call(county, 'PATCH', `/api/projects/${projectId}`, {
      name: 'x',
      version: projectVersion,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'stale_version',
      details: { current: { id: projectId, name: '皋陶冷链物流中心二期', version: renamed.json().version } },
    });

    const ledger = await exportLedger(context.database.db, ETOWN, year);
    expect(ledger.investments.map((row) => row.project)).toContain('皋陶冷链物流中心二期');

    const skip = await call(county, 'POST', `/api/projects/${projectId}/status`, {
      status: 'completed',
      version: renamed.json().version,
    });
    expect(skip.statusCode).toBe(409);
    const started = await call(county, 'POST', `/api/projects/${projectId}/status`, {
      status: 'in_progress',
      on: `${year}-01-15`,
      version: renamed.json().version,
    });
    expect(started.statusCode).toBe(200);
    expect(started.json()).toMatchObject({ status: 'in_progress', actualStart: `${year}-01-15` });

    const report = await call(etown, 'POST', `/api/projects/${projectId}/reports`, {
      reportedOn: today,
      progressPct: 45,
      summary: '主体结构施工中',
    });
    expect(report.statusCode).toBe(200);
    expect(report.json().progressPct).toBe(45);
    const reportId = report.json().reports[0].id;
    const photo = await upload(
      etown,
      `/api/projects/${projectId}/photos?fileName=${encodeURIComponent('现场.png')}&reportId=${reportId}`,
      PNG,
    );
    expect(photo.statusCode).toBe(201);
    const photoId = photo.json().reports[0].photos[0].id;
    const shown = await call(city, 'GET', `/api/projects/${projectId}/photos/${photoId}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['content-type']).toBe('image/png');
    const notPhoto = await upload(etown, `/api/projects/${projectId}/photos?fileName=a.png`, TEXT);
    expect(notPhoto.statusCode).toBe(415);

    const deleted = await call(county, 'DELETE', `/api/projects/${projectId}`);
    expect(deleted.statusCode).toBe(409);
  });

  it('hides projects outside the scope (404) and keeps read-only roles from writing', async () => {
    expect((await call(otherCounty, 'GET', `/api/projects/${projectId}`)).statusCode).toBe(404);
    expect(
      (
        await call(otherCounty, 'POST', `/api/projects/${projectId}/investments`, {
          source: 'county',
          amountYuan: '1',
          investedOn: today,
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await call(otherCounty, 'POST', '/api/projects', { etownCode: ETOWN, name: '越界项目' })).statusCode,
    ).toBe(404);
    expect((await call(otherCounty, 'GET', '/api/projects')).json()).toEqual({
      items: [],
      total: 0,
      page: 1,
      pageSize: 20,
    });
    expect((await call(otherCounty, 'GET', `/api/projects?regionCode=${ETOWN}`)).statusCode).toBe(404);
    expect(
      (await call(city, 'GET', '/api/projects?pageSize=200')).json().items.map((p: { id: string }) => p.id),
    ).toContain(projectId);
    expect(
      (await call(city, 'POST', '/api/projects', { etownCode: ETOWN, name: '市级项目' })).statusCode,
    ).toBe(403);
    expect((await call(enterprise, 'GET', '/api/projects')).statusCode).toBe(403);
  });

  it('lists projects a page at a time, in a stable order, with the total and the filters kept', async () => {
    const batch = '分页项目';
    for (let n = 1; n <= 7; n += 1) {
      const response = await call(county, 'POST', '/api/projects', {
        etownCode: ETOWN,
        name: `${batch}${n}`,
      });
      expect(response.statusCode).toBe(201);
    }
    const page = async (query: string) => {
      const response = await call(county, 'GET', `/api/projects?regionCode=${ETOWN}&${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as { items: { id: string; name: string }[]; total: number; pageSize: number };
    };
    const all = await page('pageSize=200');
    expect(all.total).toBe(all.items.length);
    expect(all.items.filter((item) => item.name.startsWith(batch))).toHaveLength(7);
    // Pages of 3 put together are the whole list, in the same order, with nothing twice.
    const pages = [];
    for (let number = 1; number <= Math.ceil(all.total / 3); number += 1) {
      const one = await page(`page=${number}&pageSize=3`);
      expect(one.total).toBe(all.total);
      expect(one.items.length).toBeLessThanOrEqual(3);
      pages.push(...one.items.map((item) => item.id));
    }
    expect(pages).toEqual(all.items.map((item) => item.id));
    expect((await page(`page=${Math.ceil(all.total / 3) + 1}&pageSize=3`)).items).toEqual([]);
    // The status filter is applied before paging, and counted.
    const planned = await page('status=planned&pageSize=200');
    expect(planned.items.length).toBe(planned.total);
    expect(planned.total).toBeGreaterThanOrEqual(7);
    expect(
      (await page('status=completed&pageSize=200')).items.some((item) => item.name.startsWith(batch)),
    ).toBe(false);
    // Bad paging answers 400 in Chinese, naming the field.
    for (const [query, field, text] of [
      ['page=0', 'querystring.page', '页码从 1 开始'],
      ['pageSize=500', 'querystring.pageSize', '每页最多 200 条'],
      ['status=done', 'querystring.status', '状态须为'],
    ] as const) {
      const response = await call(county, 'GET', `/api/projects?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.message).toContain(field);
      expect(response.json().error.message).toContain(text);
    }
  });

  it('checks each facility against the catalog and moves #16 as the catalog says', async () => {
    const showroomsBefore = (await indicator(16)).facts.showrooms as number;
    const small = await call(county, 'POST', '/api/facilities', {
      etownCode: ETOWN,
      kind: 'showroom',
      name: '皋陶二号展厅',
      buildingAreaM2: '80',
      features: ['display'],
      projectId,
      openedOn: today,
    });
    expect(small.statusCode).toBe(201);
    const facility = small.json();
    expect(facility.planChecks).toEqual([
      expect.objectContaining({
        indicatorNo: 16,
        met: false,
        reasons: ['建筑面积 80 平方米，少于 100 平方米', '缺少体验品鉴、销售对接'],
      }),
    ]);
    const sixteen = await indicator(16);
    expect(sixteen.facts.showrooms).toBe(showroomsBefore + 1);
    expect(sixteen.status).toBe('met');

    // The seeded showroom grows past the plan's 300 m²: no showroom qualifies any more.
    const seeded = (await call(county, 'GET', `/api/facilities?regionCode=${ETOWN}&kind=showroom`))
      .json()
      .find((row: { id: string }) => row.id !== facility.id);
    const grown = await call(etown, 'PATCH', `/api/facilities/${seeded.id}`, {
      kind: 'showroom',
      name: seeded.name,
      buildingAreaM2: '400',
      features: seeded.features,
      version: seeded.version,
    });
    expect(grown.statusCode).toBe(200);
    expect(grown.json().planChecks[0]).toMatchObject({
      met: false,
      reasons: ['建筑面积 400 平方米，多于 300 平方米'],
    });
    expect((await indicator(16)).status).toBe('unmet');

    const fixed = await call(county, 'PATCH', `/api/facilities/${facility.id}`, {
      kind: 'showroom',
      name: '皋陶二号展厅',
      buildingAreaM2: '150.5',
      features: ['display', 'tasting', 'sales_matching'],
      projectId,
      openedOn: today,
      version: facility.version,
    });
    expect(fixed.json().planChecks[0]).toMatchObject({ met: true, reasons: [] });
    expect((await indicator(16)).status).toBe('met');

    const photo = await upload(county, `/api/facilities/${facility.id}/photos?fileName=hall.png`, PNG);
    expect(photo.statusCode).toBe(201);
    expect(photo.json().photos).toHaveLength(1);
    expect(
      (await upload(county, `/api/facilities/${facility.id}/photos?fileName=a.pdf`, PDF)).statusCode,
    ).toBe(415);
    expect((await call(otherCounty, 'GET', `/api/facilities/${facility.id}`)).statusCode).toBe(404);

    const project = (await call(county, 'GET', `/api/projects/${projectId}`)).json();
    expect(project.facilities.map((row: { name: string }) => row.name)).toEqual(['皋陶二号展厅']);
  });

  it('moves #22 with a fund-management document and keeps its file', async () => {
    const documents = (await call(county, 'GET', `/api/policy-documents?regionCode=${ETOWN}`)).json();
    const fundRules = documents.filter((row: { kind: string }) => row.kind === 'fund_management');
    for (const row of fundRules) {
      expect((await call(county, 'DELETE', `/api/policy-documents/${row.id}`)).statusCode).toBe(204);
    }
    // The year still runs: a document not yet issued can still be, so #22 waits instead of failing.
    const waiting = await indicator(22);
    expect(waiting.status).toBe('pending');
    expect(waiting.reasons[0]).toMatch(/^年度进行中：/);
    const created = await call(etown, 'POST', '/api/policy-documents', {
      etownCode: ETOWN,
      kind: 'fund_management',
      title: '垣曲县培育乡村e镇资金管理办法（修订）',
      docNo: `垣政办发〔${year}〕3号`,
      issuedOn: today,
      issuer: '垣曲县人民政府办公室',
    });
    expect(created.statusCode).toBe(201);
    expect((await indicator(22)).status).toBe('met');

    const id = created.json().id;
    expect(
      (await upload(etown, `/api/policy-documents/${id}/file?fileName=notes.txt`, TEXT)).statusCode,
    ).toBe(415);
    const attached = await upload(
      etown,
      `/api/policy-documents/${id}/file?fileName=${encodeURIComponent('办法.pdf')}`,
      PDF,
    );
    expect(attached.statusCode).toBe(200);
    expect(attached.json()).toMatchObject({ fileName: '办法.pdf', mediaType: 'application/pdf' });
    const download = await call(city, 'GET', `/api/policy-documents/${id}/file`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PDF)).toBe(true);
    expect((await call(otherCounty, 'GET', `/api/policy-documents/${id}/file`)).statusCode).toBe(404);
  });

  it('moves #20 with a compliance incident and records its handling', async () => {
    expect((await indicator(20)).status).toBe('met');
    const created = await call(county, 'POST', '/api/compliance-incidents', {
      etownCode: ETOWN,
      occurredOn: today,
      category: 'work_safety',
      description: '仓库消防通道堵塞',
    });
    expect(created.statusCode).toBe(201);
    expect((await indicator(20)).status).toBe('unmet');
    const badDate = await call(county, 'PUT', `/api/compliance-incidents/${created.json().id}`, {
      version: 1,
      occurredOn: today,
      category: 'work_safety',
      handling: '已清理',
      handledOn: shiftDays(today, -3),
    });
    expect(badDate.statusCode).toBe(400);
    const handled = await call(county, 'PUT', `/api/compliance-incidents/${created.json().id}`, {
      version: 1,
      occurredOn: today,
      category: 'work_safety',
      description: '仓库消防通道堵塞',
      handling: '当日清理完毕，约谈仓库负责人',
      handledOn: today,
    });
    expect(handled.json()).toMatchObject({ handling: '当日清理完毕，约谈仓库负责人', handledOn: today });
    expect(
      (await call(otherCounty, 'DELETE', `/api/compliance-incidents/${created.json().id}`)).statusCode,
    ).toBe(404);
    expect((await call(county, 'DELETE', `/api/compliance-incidents/${created.json().id}`)).statusCode).toBe(
      204,
    );
    expect((await indicator(20)).status).toBe('met');
  });

  it('runs a finding from open to closed: overdue flagged, rectified by the e-town, closed by the inspector only', async () => {
    expect(
      (
        await call(etown, 'POST', '/api/inspections', {
          etownCode: ETOWN,
          kind: 'routine',
          inspectedOn: today,
          inspectors: '自查',
          summary: 'x',
        })
      ).statusCode,
    ).toBe(403);
    const created = await call(county, 'POST', '/api/inspections', {
      etownCode: ETOWN,
      kind: 'onsite',
      inspectedOn: shiftDays(today, -10),
      inspectors: '县工科局、县财政局联合检查组',
      summary: '现场核查服务中心和物流中心运营情况',
      findings: [
        { description: '直播间设备台账不全', owner: '皋陶e镇运营主体', deadline: shiftDays(today, -1) },
        { description: '冷库温度记录缺失', owner: '物流中心', deadline: shiftDays(today, 30) },
      ],
    });
    expect(created.statusCode).toBe(201);
    const inspection = created.json();
    expect(inspection.findingCounts).toEqual({ open: 2, rectified: 0, closed: 0, overdue: 1 });

    const overdue = (await call(etown, 'GET', '/api/findings?overdue=true')).json();
    expect(overdue.map((row: { description: string }) => row.description)).toEqual(['直播间设备台账不全']);
    const finding = overdue[0];
    expect(finding.overdue).toBe(true);

    expect((await upload(etown, `/api/findings/${finding.id}/files?fileName=a.txt`, TEXT)).statusCode).toBe(
      415,
    );
    const evidence = await upload(
      etown,
      `/api/findings/${finding.id}/files?fileName=${encodeURIComponent('台账.pdf')}`,
      PDF,
    );
    expect(evidence.statusCode).toBe(201);
    expect(evidence.json().files).toHaveLength(1);

    const closedEarly = await call(county, 'POST', `/api/findings/${finding.id}/close`, {
      note: '同意销号',
      version: finding.version,
    });
    expect(closedEarly.statusCode).toBe(409);

    const rectified = await call(etown, 'POST', `/api/findings/${finding.id}/rectify`, {
      note: '已补齐设备台账并建立月度盘点',
      version: finding.version,
    });
    expect(rectified.statusCode).toBe(200);
    expect(rectified.json()).toMatchObject({
      status: 'rectified',
      overdue: true,
      rectifiedByName: expect.any(String),
    });

    expect(
      (await call(etown, 'POST', `/api/findings/${finding.id}/close`, { note: '自行销号', version: 2 }))
        .statusCode,
    ).toBe(403);
    expect(
      (await call(otherCounty, 'POST', `/api/findings/${finding.id}/close`, { note: '越权', version: 2 }))
        .statusCode,
    ).toBe(404);

    const reopened = await call(city, 'POST', `/api/findings/${finding.id}/reopen`, {
      note: '台账缺少签字，退回',
      version: 2,
    });
    expect(reopened.json()).toMatchObject({ status: 'open', closeNote: '台账缺少签字，退回' });
    await call(etown, 'POST', `/api/findings/${finding.id}/rectify`, { note: '已补签字', version: 3 });
    const closed = await call(county, 'POST', `/api/findings/${finding.id}/close`, {
      note: '经复查，整改到位，同意销号',
      version: 4,
    });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({
      status: 'closed',
      overdue: false,
      closedByName: expect.any(String),
    });

    expect((await call(etown, 'GET', '/api/findings?overdue=true')).json()).toEqual([]);
    expect((await call(county, 'GET', '/api/findings?status=closed')).json()).toHaveLength(1);
    expect((await call(otherCounty, 'GET', '/api/findings')).json()).toEqual([]);
    expect((await call(otherCounty, 'GET', `/api/inspections/${inspection.id}`)).statusCode).toBe(404);
    const file = await call(city, 'GET', `/api/findings/${finding.id}/files/${evidence.json().files[0].id}`);
    expect(file.statusCode).toBe(200);
    expect((await upload(etown, `/api/findings/${finding.id}/files?fileName=late.pdf`, PDF)).statusCode).toBe(
      409,
    );
  });
  it('ledger import merges by natural key: platform fields stay, project-linked rows omitted by the file are kept', async () => {
    const incident = (
      await call(county, 'POST', '/api/compliance-incidents', {
        etownCode: ETOWN,
        occurredOn: `${year}-01-05`,
        category: 'land',
        description: '临时占地未批先用',
        handling: '已补办用地手续',
        handledOn: `${year}-01-20`,
      })
    ).json();
    const full = await exportLedger(context.database.db, ETOWN, year);
    const trimmed = {
      ...full,
      investments: full.investments.filter((row) => row.project !== '皋陶冷链物流中心二期'),
      facilities: full.facilities
        .filter((row) => row.name !== '皋陶二号展厅')
        .map((row) => (row.kind === 'showroom' ? { ...row, buildingAreaM2: '260' } : row)),
    };
    const parsed = parseLedger(trimmed);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const summary = await importLedger(context, { username: 'test', ip: 'local' }, parsed.ledger, ETOWN);
    expect(summary.keptFacilities).toEqual(['皋陶二号展厅']);
    expect(summary.keptInvestments).toHaveLength(2);
    expect(summary.keptInvestments[0]).toContain('皋陶冷链物流中心二期');

    const project = (await call(county, 'GET', `/api/projects/${projectId}`)).json();
    expect(project.totalInvestmentYuan).toBe('1734567.89');
    const showrooms = (await call(county, 'GET', `/api/facilities?regionCode=${ETOWN}&kind=showroom`)).json();
    const linked = showrooms.find((row: { name: string }) => row.name === '皋陶二号展厅');
    expect(linked).toMatchObject({ projectId, openedOn: today });
    expect(linked.photos).toHaveLength(1);
    const seeded = showrooms.find((row: { name: string }) => row.name !== '皋陶二号展厅');
    expect(seeded.buildingAreaM2).toBe('260');

    const documents = (await call(county, 'GET', `/api/policy-documents?regionCode=${ETOWN}`)).json();
    expect(documents.find((row: { kind: string }) => row.kind === 'fund_management')).toMatchObject({
      issuer: '垣曲县人民政府办公室',
      fileName: '办法.pdf',
    });
    const incidents = (await call(county, 'GET', `/api/compliance-incidents?regionCode=${ETOWN}`)).json();
    expect(incidents).toEqual([expect.objectContaining({ id: incident.id, handling: '已补办用地手续' })]);

    // Incidents are the county's record: a file that omits one cannot delete it, the import refuses that.
    const withoutIncident = parseLedger({
      ...(await exportLedger(context.database.db, ETOWN, year)),
      complianceIncidents: [],
    });
    if (!withoutIncident.ok) throw new Error('ledger');
    const refused = await importLedger(
      context,
      { username: 'test', ip: 'local' },
      withoutIncident.ledger,
      ETOWN,
    );
    expect(refused.refused).toEqual([
      expect.objectContaining({
        list: 'complianceIncidents',
        action: 'remove',
        item: expect.stringContaining('临时占地未批先用'),
      }),
    ]);
    expect((await call(county, 'GET', `/api/compliance-incidents?regionCode=${ETOWN}`)).json()).toEqual([
      expect.objectContaining({ id: incident.id }),
    ]);
  });
});

describe.each(testBackends)('facility audit on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let county = '';
  let auditor = '';

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    county = (await loginReady(app, 'county.yuanqu')).cookie;
    auditor = (await loginReady(app, 'auditor')).cookie;
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  const auditOf = async (action: string, targetId: string) => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/audit?action=${action}&targetId=${targetId}`,
      headers: { cookie: auditor },
    });
    expect(response.statusCode).toBe(200);
    return response.json().items as { diff: Record<string, unknown> }[];
  };

  it('records the opening date an edit replaced and the photos a delete took along', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/facilities',
      headers: { cookie: county },
      payload: {
        etownCode: ETOWN,
        kind: 'logistics_center',
        name: '皋陶冷链分拣仓',
        buildingAreaM2: '450',
        openedOn: '2025-05-01',
      },
    });
    expect(created.statusCode).toBe(201);
    const facility = created.json();
    const edited = await app.inject({
      method: 'PATCH',
      url: `/api/facilities/${facility.id}`,
      headers: { cookie: county },
      payload: {
        kind: 'logistics_center',
        name: '皋陶冷链分拣仓',
        buildingAreaM2: '620',
        openedOn: shanghaiToday(),
        version: facility.version,
      },
    });
    expect(edited.statusCode).toBe(200);
    const [update] = await auditOf('facility.update', facility.id);
    expect(update?.diff.before).toMatchObject({
      buildingAreaM2: '450.00',
      openedOn: '2025-05-01',
      projectId: null,
    });

    const photo = await app.inject({
      method: 'POST',
      url: `/api/facilities/${facility.id}/photos?fileName=hall.png`,
      headers: { cookie: county, 'content-type': 'application/octet-stream' },
      payload: PNG,
    });
    expect(photo.statusCode).toBe(201);
    const photoId = photo.json().photos[0].id;
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/facilities/${facility.id}`,
      headers: { cookie: county },
    });
    expect(deleted.statusCode).toBe(204);
    const photoAfter = await app.inject({
      method: 'GET',
      url: `/api/facilities/${facility.id}/photos/${photoId}`,
      headers: { cookie: county },
    });
    expect(photoAfter.statusCode).toBe(404);
    const [removal] = await auditOf('facility.delete', facility.id);
    expect(removal?.diff).toMatchObject({
      name: '皋陶冷链分拣仓',
      photos: [{ id: photoId, fileName: 'hall.png' }],
    });
  });
});

describe.each(testBackends)('evidence removal before closure on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let county = '';
  let otherCounty = '';
  let city = '';
  let etown = '';
  const today = shanghaiToday();

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    county = (await loginReady(app, 'county.yuanqu')).cookie;
    otherCounty = (await loginReady(app, 'county.other')).cookie;
    city = (await loginReady(app, 'city.yuncheng')).cookie;
    etown = (await loginReady(app, 'etown.gaotao')).cookie;
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  const call = (cookie: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  const upload = (cookie: string, url: string, bytes: Buffer) =>
    app.inject({
      method: 'POST',
      url,
      headers: { cookie, 'content-type': 'application/octet-stream' },
      payload: bytes,
    });

  it('a finding added later takes the inspection e-town; the rectifier removes wrong evidence until 销号', async () => {
    const inspection = (
      await call(county, 'POST', '/api/inspections', {
        etownCode: ETOWN,
        kind: 'routine',
        inspectedOn: today,
        inspectors: '县商务局',
        summary: '日常检查',
      })
    ).json();
    const added = await call(county, 'POST', `/api/inspections/${inspection.id}/findings`, {
      description: '培训签到表缺失',
      owner: '培训孵化中心',
      deadline: shiftDays(today, 7),
    });
    expect(added.statusCode).toBe(200);
    expect(added.json().findings).toHaveLength(1);
    const finding = added.json().findings[0];
    expect(finding).toMatchObject({ etownCode: ETOWN, status: 'open', overdue: false });

    const uploaded = await upload(etown, `/api/findings/${finding.id}/files?fileName=wrong.pdf`, PDF);
    const fileId = uploaded.json().files[0].id;
    const fileUrl = `/api/findings/${finding.id}/files/${fileId}`;
    expect((await call(otherCounty, 'DELETE', fileUrl)).statusCode).toBe(404);
    expect((await call(city, 'DELETE', fileUrl)).statusCode).toBe(403);
    expect(
      (await call(etown, 'DELETE', `/api/findings/${finding.id}/files/${inspection.id}`)).statusCode,
    ).toBe(404);
    const removed = await call(etown, 'DELETE', fileUrl);
    expect(removed.statusCode).toBe(200);
    expect(removed.json().files).toEqual([]);
    expect((await call(county, 'GET', fileUrl)).statusCode).toBe(404);

    const kept = await upload(etown, `/api/findings/${finding.id}/files?fileName=right.pdf`, PDF);
    const keptUrl = `/api/findings/${finding.id}/files/${kept.json().files[0].id}`;
    await call(etown, 'POST', `/api/findings/${finding.id}/rectify`, { note: '已补签到表', version: 1 });
    await call(county, 'POST', `/api/findings/${finding.id}/close`, { note: '同意销号', version: 2 });
    const refused = await call(etown, 'DELETE', keptUrl);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toBe('问题已销号，不能再删除整改材料');
    expect((await call(county, 'GET', keptUrl)).statusCode).toBe(200);
  });
});
