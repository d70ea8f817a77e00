// Hostile spreadsheets are refused by a limit while the API keeps answering, and an import job's word
// on its outcome is written with its data and always ends (issue 14, items 2 and 8).
import { performance } from 'node:perf_hooks';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entities } from '../../db/schema/entities.ts';
import type { App } from '../../http/app.ts';
import { creditCodeCheckCharacter } from '../../lib/credit-code.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';
import { monthlyImportColumns } from '../stats/monthly-import-rows.ts';
import { waitForJobs } from './jobs.service.ts';

const ETOWN = '140827-E01';
const creditCode = (first17: string) => `${first17}${creditCodeCheckCharacter(first17)}`;
const ENTITY = creditCode('91140827MA0HJB000');

type Job = {
  id: string;
  status: string;
  summary: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
};

/** A zip of the given parts, deflated, written by hand so a test can build any workbook it needs. */
function zip(parts: Record<string, Buffer>): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(parts)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data, { level: 1 });
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, compressed);
    directory.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(parts).length, 8);
  end.writeUInt16LE(Object.keys(parts).length, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directoryBytes, end]);
}

/** A workbook of one sheet whose XML is `sheetXml`. */
function workbook(sheetName: string, sheetXml: Buffer): Buffer {
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const relationships = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  return zip({
    'xl/workbook.xml': Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${main}" xmlns:r="${relationships}"><sheets><sheet name="${sheetName}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${relationships}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ),
    'xl/worksheets/sheet1.xml': sheetXml,
  });
}

/** 市场主体 with more rows than a ledger sheet may have, of varied numbers so the zip compresses like data. */
function tooManyRowsWorkbook(rows: number): Buffer {
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
  ];
  let seed = 7;
  const next = () => {
    seed = (seed * 48271) % 2147483647;
    return seed;
  };
  for (let row = 1; row <= rows; row += 1) {
    parts.push(
      `<row r="${row}"><c r="A${row}"><v>${next()}</v></c><c r="B${row}"><v>${next()}</v></c><c r="C${row}"><v>${next()}</v></c></row>`,
    );
  }
  parts.push('</sheetData></worksheet>');
  return workbook('市场主体', Buffer.from(parts.join(''), 'utf8'));
}

describe.each(testBackends)('import jobs against hostile files (%s)', (backend) => {
  let app: App;
  let context: TestContext;
  const cookies = new Map<string, string>();
  const inject = (username: string, method: 'GET' | 'POST', url: string, payload?: Buffer) =>
    app.inject({
      method,
      url,
      headers: {
        cookie: cookies.get(username) ?? '',
        ...(payload ? { 'content-type': 'application/octet-stream' } : {}),
      },
      ...(payload ? { payload } : {}),
    });
  const finished = async (username: string, id: string): Promise<Job> => {
    await waitForJobs(context);
    return (await inject(username, 'GET', `/api/jobs/${id}`)).json();
  };

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    await context.database.db
      .insert(entities)
      .values({ creditCode: ENTITY, name: '导入任务测试公司', etownCode: ETOWN });
    for (const username of ['county.yuanqu', 'etown.gaotao']) {
      cookies.set(username, (await loginReady(app, username)).cookie);
    }
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await context?.close();
  });

  it('refuses a zip bomb at upload, from its directory, naming the limit', async () => {
    const bomb = workbook('市场主体', Buffer.alloc(50 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    for (const [username, url] of [
      ['etown.gaotao', `/api/etowns/${ETOWN}/ledger/import?fileName=bomb.xlsx`],
      ['county.yuanqu', '/api/stats/monthly/import?fileName=bomb.xlsx'],
    ] as const) {
      const response = await inject(username, 'POST', url, bomb);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().error.code).toBe('xlsx_compression_ratio');
      expect(response.json().error.message).toContain('压缩比');
    }
  });

  it('keeps answering /api/health while a hostile workbook is read, then refuses it by its row limit', async () => {
    const hostile = tooManyRowsWorkbook(120_000);
    const started = await inject(
      'etown.gaotao',
      'POST',
      `/api/etowns/${ETOWN}/ledger/import?fileName=hostile.xlsx`,
      hostile,
    );
    expect(started.statusCode, started.body).toBe(202);
    const { id } = started.json() as Job;
    const latenciesMs: number[] = [];
    let job: Job = (await inject('etown.gaotao', 'GET', `/api/jobs/${id}`)).json();
    while (job.status === 'running') {
      const before = performance.now();
      const health = await app.inject({ method: 'GET', url: '/api/health' });
      latenciesMs.push(performance.now() - before);
      expect(health.statusCode).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = (await inject('etown.gaotao', 'GET', `/api/jobs/${id}`)).json();
    }
    job = await finished('etown.gaotao', id);
    expect(job.status).toBe('failed');
    expect(job.error?.code).toBe('xlsx_too_many_rows');
    expect(job.error?.message).toContain('最多 100000 行');
    // The reading took a while, and the server answered all along.
    expect(latenciesMs.length).toBeGreaterThan(3);
    expect(Math.max(...latenciesMs)).toBeLessThan(500);
  });

  it('ends a job whose CSV holds a NUL byte as failed, with the row', async () => {
    const header = monthlyImportColumns.map((column) => column.header).join(',');
    const file = Buffer.from(
      `${header}\r\n${ENTITY},2025-01,100,50,0,1,1,1\r\n${ENTITY},2025-02,1\u000000,50,0,1,1,1\r\n`,
    );
    const started = await inject('county.yuanqu', 'POST', '/api/stats/monthly/import?fileName=nul.csv', file);
    expect(started.statusCode, started.body).toBe(202);
    const job = await finished('county.yuanqu', started.json().id);
    expect(job.status).toBe('failed');
    expect(job.error?.code).toBe('monthly_import_rejected');
    const problems = (job.summary?.problems ?? []) as { message: string }[];
    expect(problems[0]?.message).toContain('第 3 行含有非法字符');
  });

  it('writes a successful import’s outcome in the same transaction as its rows', async () => {
    const header = monthlyImportColumns.map((column) => column.header).join(',');
    const file = Buffer.from(`${header}\r\n${ENTITY},2024-07,100,50,0,1,1,1\r\n`);
    const started = await inject('county.yuanqu', 'POST', '/api/stats/monthly/import?fileName=ok.csv', file);
    expect(started.statusCode, started.body).toBe(202);
    const job = await finished('county.yuanqu', started.json().id);
    expect(job.status).toBe('succeeded');
    expect(job.summary?.inserted).toBe(1);
    // xmin is the transaction that last wrote a row: the job row and the data row share it.
    const [jobRow] = await context.database.query<{ xmin: string }>(
      'select xmin::text as xmin from jobs where id = $1',
      [job.id],
    );
    const [dataRow] = await context.database.query<{ xmin: string }>(
      `select m.xmin::text as xmin from monthly_statistics m join entities e on e.id = m.entity_id
       where e.credit_code = $1 and m.month = '2024-07'`,
      [ENTITY],
    );
    expect(jobRow?.xmin).toBeDefined();
    expect(jobRow?.xmin).toBe(dataRow?.xmin);
  });
});
