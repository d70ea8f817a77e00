import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleLedgerPath } from '../indicators/ledger-factory.ts';
import { DEMO_PASSWORD } from '../test/test-context.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const folder = mkdtempSync(path.join(tmpdir(), 'ezhen-ledger-cli-'));
const dataDir = path.join(folder, 'data');
const file = (name: string) => path.join(folder, name);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

type Run = { code: number; stdout: string; stderr: string };

/** `node bin/ezhen.js …` on the test's own PGlite folder; the test's DATABASE_URL must not leak in. */
function ezhen(...args: string[]): Promise<Run> {
  return node('bin/ezhen.js', ...args);
}

function node(...args: string[]): Promise<Run> {
  const { DATABASE_URL: _ignored, ...environment } = process.env;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      {
        cwd: repoRoot,
        env: { ...environment, EZHEN_DATA_DIR: dataDir, EZHEN_DEMO_PASSWORD: DEMO_PASSWORD },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

async function ok(...args: string[]): Promise<Run> {
  const run = await ezhen(...args);
  expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
  return run;
}

describe('ezhen ledger and evaluate --etown / --all', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    await ok('seed', '--demo');
    // The worked example's records (registry, approved figures) are test data no import may write.
    const seeded = await node(
      '--import',
      'tsx',
      'src/test/seed-fixture-ledger.ts',
      exampleLedgerPath,
      '140827-E01',
    );
    expect(seeded.code, seeded.stderr).toBe(0);
  }, 120_000);

  it('ledger import writes the e-town’s lists and prints each refused change with its reason', async () => {
    // The example's leading-group document is not the register's: refused, the rest imported.
    const run = await ok('ledger', 'import', exampleLedgerPath, '--etown', '140827-E01');
    expect(run.stdout).toContain('已导入 140827-E01 台账');
    expect(run.stdout).toMatch(/以下 \d+ 项属于其他角色登记或审核的数据，台账导入不能更改，已拒绝/);
    expect(run.stdout).toMatch(
      /^ {2}制度文件 第 2 条 《垣曲县培育皋陶乡村e镇工作领导小组成员及工作职责（附件1）》.*以“领导小组”登记的文号和成立日期为准/m,
    );
  });

  it('explains ledger commands with --help and refuses a wrong command line with exit 2', async () => {
    for (const sub of ['template', 'export', 'import']) {
      const run = await ok('ledger', sub, '--help');
      expect(run.stdout).toContain(`ezhen ledger ${sub}`);
    }
    const missingYear = await ezhen('ledger', 'export', '--etown', '140827-E01', file('x.json'));
    expect(missingYear.code).toBe(2);
    expect(missingYear.stderr).toContain('--year');
    const both = await ezhen('evaluate', '--all', '--etown', '140827-E01', '--year', '2024');
    expect(both.code).toBe(2);
  });

  it('writes a template with the 填表说明 and 基本信息 sheets, one sheet per list and dropdowns', async () => {
    await ok('ledger', 'template', file('template.xlsx'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file('template.xlsx'));
    const names = workbook.worksheets.map((sheet) => sheet.name);
    expect(names).toEqual([
      '填表说明',
      '基本信息',
      '制度文件',
      '市场主体',
      '月度统计',
      '投资',
      '设施',
      '供应链',
      '特色馆',
      '品牌',
      '网货产品',
      '展会大赛宣传',
      '媒体渠道',
      '培训',
      '人才',
      '违规事件',
    ]);
    const documents = workbook.getWorksheet('制度文件') as ExcelJS.Worksheet;
    expect(documents.getRow(1).values).toEqual([undefined, '文件类别', '文件标题', '文号', '印发日期']);
    expect(documents.getCell('A2').dataValidation?.formulae?.[0]).toContain('实施方案和发展规划');
    expect(
      (workbook.getWorksheet('市场主体') as ExcelJS.Worksheet).getCell('C9').dataValidation?.formulae,
    ).toEqual(['"是,否"']);
  });

  it('evaluate --etown gives the same document as evaluate --ledger of the exported file', async () => {
    await ok('ledger', 'export', '--etown', '140827-E01', '--year', '2024', file('gaotao.json'));
    const fromFile = await ok('evaluate', '--ledger', file('gaotao.json'), '--json');
    const fromDatabase = await ok('evaluate', '--etown', '140827-E01', '--year', '2024', '--json');
    const { addOns: platformAddOns, ...platformDocument } = JSON.parse(fromDatabase.stdout);
    const { addOns: fileAddOns, ...fileDocument } = JSON.parse(fromFile.stdout);
    expect(platformDocument).toEqual(fileDocument);
    expect(platformDocument.summary).toEqual({ met: 25, unmet: 2, pending: 1 });
    // Yuanqu's 电商培训机构 is counted from the registry's 培训机构 tag, which no file carries.
    expect(platformAddOns[0].indicators.slice(0, 2)).toEqual(fileAddOns[0].indicators.slice(0, 2));
    expect(fileAddOns[0].indicators[2].status).toBe('pending');
    expect(platformAddOns[0].indicators[2]).toMatchObject({
      status: 'unmet',
      facts: { trainingInstitutions: 0 },
    });
    const table = await ok('evaluate', '--etown', '140827-E01', '--year', '2024');
    expect(table.stdout).toContain('合计：达标 25 项，未达标 2 项，待定 1 项');
  });

  it('evaluate --all evaluates every e-town with progress on stderr', async () => {
    const run = await ok('evaluate', '--all', '--year', '2024', '--json');
    const documents = JSON.parse(run.stdout) as { format: string; etown: { code: string } }[];
    expect(documents.map((document) => document.etown.code)).toEqual(['140826-E01', '140827-E01']);
    expect(documents.every((document) => document.format === 'ezhen-evaluation/1')).toBe(true);
    expect(run.stderr).toMatch(/^\[1\/2\] 140826-E01 /m);
    expect(run.stderr).toMatch(/^\[2\/2\] 140827-E01 皋陶乡村e镇：达标 25，未达标 2，待定 1$/m);
  });

  it('export → import → export is identical through XLSX and JSON', async () => {
    await ok('ledger', 'export', '--etown', '140827-E01', '--year', '2024', file('before.json'));
    await ok('ledger', 'export', '--etown', '140827-E01', '--year', '2024', file('round.xlsx'));
    await ok('ledger', 'import', file('round.xlsx'), '--etown', '140827-E01');
    await ok('ledger', 'export', '--etown', '140827-E01', '--year', '2024', file('after.json'));
    expect(readFileSync(file('after.json'), 'utf8')).toBe(readFileSync(file('before.json'), 'utf8'));
    await ok('ledger', 'import', file('after.json'), '--etown', '140827-E01');
    await ok('ledger', 'export', '--etown', '140827-E01', '--year', '2024', file('again.json'));
    expect(readFileSync(file('again.json'), 'utf8')).toBe(readFileSync(file('before.json'), 'utf8'));
  });

  it('a bad XLSX exits 2 with each bad cell at its sheet, row and column, and writes nothing', async () => {
    await ok('ledger', 'export', '--etown', '140827-E01', '--year', '2024', file('good.xlsx'), '--force');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file('good.xlsx'));
    (workbook.getWorksheet('设施') as ExcelJS.Worksheet).getCell('A3').value = '仓库';
    (workbook.getWorksheet('培训') as ExcelJS.Worksheet).getCell('D2').value = -3;
    (workbook.getWorksheet('制度文件') as ExcelJS.Worksheet).getCell('D2').value = '2023-02-30';
    (workbook.getWorksheet('供应链') as ExcelJS.Worksheet).getCell('A2').value = '新链';
    await workbook.xlsx.writeFile(file('bad.xlsx'));
    await ok('ledger', 'export', '--etown', '140827-E01', '--year', '2024', file('unchanged-before.json'));

    const run = await ezhen('ledger', 'import', file('bad.xlsx'), '--etown', '140827-E01');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('有 3 处问题，未导入任何数据');
    expect(run.stderr).toMatch(/^ {2}设施 第 3 行 A 列（设施类别）：须为以下之一/m);
    expect(run.stderr).toMatch(/^ {2}培训 第 2 行 D 列（参训人次）：须为非负整数/m);
    expect(run.stderr).toMatch(/^ {2}制度文件 第 2 行 D 列（印发日期）：须为真实存在的日期/m);
    expect(run.stderr).not.toMatch(/^\s+at /m);

    await ok('ledger', 'export', '--etown', '140827-E01', '--year', '2024', file('unchanged-after.json'));
    expect(readFileSync(file('unchanged-after.json'), 'utf8')).toBe(
      readFileSync(file('unchanged-before.json'), 'utf8'),
    );
  });

  it('refuses a ledger of another e-town with exit 2 at etown.code', async () => {
    const other = JSON.parse(readFileSync(exampleLedgerPath, 'utf8'));
    other.etown.code = '140827-E02';
    writeFileSync(file('other.json'), JSON.stringify(other));
    const run = await ezhen('ledger', 'import', file('other.json'), '--etown', '140827-E01');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ {2}etown\.code: .*\[etown_code_mismatch\]$/m);
    expect(existsSync(file('other.json'))).toBe(true);
  });
});
