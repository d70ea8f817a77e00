import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/app.ts';
import { idNumberCheckCharacter } from '../../lib/id-number.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';
import { waitForJobs } from '../jobs/jobs.service.ts';

const ETOWN = '140827-E01';
const valid = (first17: string) => `${first17}${idNumberCheckCharacter(first17)}`;
/** The first demo trainee's ID number: already on file. */
const DEMO_ID_NUMBER = valid('14082719920314202');
const NEW_A = valid('14082719990101301');
const NEW_B = valid('14082720000202402');
const HEADER = '姓名,性别,身份证号,手机号,所在村,人员类别,技能';

type Job = {
  status: string;
  summary: Record<string, unknown> | null;
  file: { name: string } | null;
  id: string;
};

describe.each(testBackends)('importing trainee lists on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let county = '';

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    county = (await loginReady(app, 'county.yuanqu')).cookie;
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  const count = async () =>
    (await context.database.query<{ n: number }>('select count(*)::int as n from trainees'))[0]?.n as number;

  const importCsv = async (lines: string[], etownCode = ETOWN): Promise<Job> => {
    const response = await app.inject({
      method: 'POST',
      url: `/api/trainees/import?etownCode=${etownCode}&fileName=${encodeURIComponent('学员名单.csv')}`,
      headers: { cookie: county, 'content-type': 'application/octet-stream' },
      payload: Buffer.from(`\uFEFF${[HEADER, ...lines].join('\r\n')}\r\n`, 'utf8'),
    });
    expect(response.statusCode, response.body).toBe(202);
    await waitForJobs(context);
    return (
      await app.inject({ method: 'GET', url: `/api/jobs/${response.json().id}`, headers: { cookie: county } })
    ).json();
  };

  it('refuses the whole file with an error receipt when any row is wrong', async () => {
    const before = await count();
    const wrongDigit = NEW_A.endsWith('0') ? '1' : '0';
    const job = await importCsv([
      `周明,男,${NEW_A},13900000201,皋落村,大学生,直播带货`,
      `吴芳,女,${NEW_A.slice(0, 17)}${wrongDigit},,坡底村,退役军人,`,
      `郑强,男,${NEW_A},,,其它,`,
    ]);
    expect(job.status).toBe('failed');
    expect(job.summary?.problemCount).toBe(3);
    expect(job.summary?.problems).toEqual([
      expect.objectContaining({ row: 3, column: 'C', code: 'id_number_check_digit' }),
      expect.objectContaining({
        row: 4,
        column: 'C',
        code: 'duplicate_id_number',
        message: '与第 2 行身份证号重复（一人一档）',
      }),
      expect.objectContaining({ row: 4, column: 'F', code: 'invalid_value' }),
    ]);
    expect(await count()).toBe(before);
    const receipt = await app.inject({
      method: 'GET',
      url: `/api/jobs/${job.id}/file`,
      headers: { cookie: county },
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(receipt.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('错误回执') as ExcelJS.Worksheet;
    expect(sheet.getCell('A2').value).toContain('共 3 处问题');
    expect(JSON.stringify(sheet.getSheetValues())).toContain(`第 18 位应为“${NEW_A[17]}”`);
  });

  it('imports new people, skips those already on file (by ID number), and keeps numbers encrypted', async () => {
    const before = await count();
    const job = await importCsv([
      `周明,男,${NEW_A},13900000201,皋落村,大学生,直播带货、短视频剪辑`,
      `李春梅,女,${DEMO_ID_NUMBER.toLowerCase()},,皋落村,返乡农民工,`,
      `吴芳,女,${NEW_B},,坡底村,脱贫户,`,
    ]);
    expect(job.status).toBe('succeeded');
    expect(job.summary).toMatchObject({ rows: 3, inserted: 2, skipped: 1, warningCount: 1 });
    expect(job.file?.name).toBe('导入提示-学员名单.xlsx');
    expect(await count()).toBe(before + 2);
    const raw = JSON.stringify(await context.database.query('select * from trainees'));
    expect(raw).not.toContain(NEW_A);
    expect(raw).not.toContain('13900000201');
    const found = await app.inject({
      method: 'GET',
      url: `/api/trainees?idNumber=${NEW_A}`,
      headers: { cookie: county },
    });
    expect(found.json().items[0]).toMatchObject({
      name: '周明',
      skills: ['直播带货', '短视频剪辑'],
      birthYear: 1999,
    });
    const audit = JSON.stringify(
      await context.database.query(`select * from audit_log where action = 'trainee.import'`),
    );
    expect(audit).not.toContain(NEW_A);
  });

  it('keeps backslashes, tabs and line breaks in names and villages as typed (rows go in by COPY)', async () => {
    const idNumber = valid('14082719980303503');
    const job = await importCsv([`"王\\小\t芳",女,${idNumber},,"皋落\r\n村",其他,"剪辑\\拍摄"`]);
    expect(job.status).toBe('succeeded');
    const [row] = await context.database.query<{ name: string; village_name: string; skills: string[] }>(
      `select name, village_name, skills from trainees where name like '王%芳'`,
    );
    expect(row).toEqual({ name: '王\\小\t芳', village_name: '皋落\r\n村', skills: ['剪辑\\拍摄'] });
  });

  it('answers 404 for an e-town outside the scope, before reading the file', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `/api/trainees/import?etownCode=140826-E01&fileName=a.csv`,
      headers: { cookie: county, 'content-type': 'application/octet-stream' },
      payload: Buffer.from(`${HEADER}\r\n`, 'utf8'),
    });
    expect(response.statusCode).toBe(404);
  });

  it('offers templates whose headers the import reads', async () => {
    const csv = await app.inject({
      method: 'GET',
      url: '/api/trainees/template.csv',
      headers: { cookie: county },
    });
    expect(csv.body).toContain('姓名,性别,身份证号');
    const xlsx = await app.inject({
      method: 'GET',
      url: '/api/trainees/template.xlsx',
      headers: { cookie: county },
    });
    expect(xlsx.statusCode).toBe(200);
  });
});
