import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addOnCatalogsFor, provinceCatalogV1 } from './catalog.ts';
import { evaluateLedger } from './engine.ts';
import { buildLedger, buildLedgerJson, exampleLedgerPath, type LedgerJson } from './ledger-factory.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const folder = mkdtempSync(path.join(tmpdir(), 'ezhen-evaluate-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

type Run = { code: number; stdout: string; stderr: string };

function ezhen(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/ezhen.js', ...args],
      { cwd: repoRoot, encoding: 'utf8' },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

function writeLedger(name: string, content: LedgerJson | string): string {
  const file = path.join(folder, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

function expectOneLineError(run: Run, pattern: RegExp) {
  expect(run.code, run.stderr).toBe(2);
  expect(lines(run.stderr)).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stdout).toBe('');
}

describe('ezhen evaluate --ledger', { timeout: 30_000 }, () => {
  it('--json prints the engine’s ezhen-evaluation/1 document, exit 0', async () => {
    const run = await ezhen('evaluate', '--ledger', exampleLedgerPath, '--json');
    expect(run.code, run.stderr).toBe(0);
    const ledger = buildLedger();
    const expected = evaluateLedger(ledger, provinceCatalogV1, {
      addOns: addOnCatalogsFor(provinceCatalogV1, '140827'),
    });
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it('prints a Chinese scorecard with the summary, exit 0 although indicators are unmet', async () => {
    const run = await ezhen('evaluate', '--ledger', exampleLedgerPath);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/序号\s+指标\s+状态\s+说明/);
    expect(run.stdout).toMatch(/^\s+13\s+本地网红\s+未达标\s+本地网红3个，少于5个$/m);
    expect(run.stdout).toMatch(/^\s+23\s+年总产值\s+待定\s+/m);
    expect(run.stdout).toMatch(/^\s+1\s+乡村e镇方案和发展规划\s+达标\s+/m);
    expect(run.stdout).toContain('合计：达标 25 项，未达标 2 项，待定 1 项');
    expect(run.stdout).toContain('垣曲县自定目标');
  });

  it('rejects a bad ledger with exit 2 and every problem at its path', async () => {
    const file = writeLedger(
      'bad.json',
      buildLedgerJson((ledger) => {
        ledger.entities[2].phone = '13800000000';
        ledger.monthlyStats[3].month = '2024-13';
        ledger.monthlyStats.push({ ...ledger.monthlyStats[0] });
      }),
    );
    const run = await ezhen('evaluate', '--ledger', file, '--json');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('共 3 处问题');
    expect(run.stderr).toMatch(/^ {2}entities\[2\]\.phone: .*\[unknown_field\]$/m);
    expect(run.stderr).toMatch(/^ {2}monthlyStats\[3\]\.month: .*\[invalid_month\]$/m);
    expect(run.stderr).toMatch(/^ {2}monthlyStats\[301\]: .*\[duplicate_monthly_row\]$/m);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('warns about a check character but still evaluates', async () => {
    const file = writeLedger(
      'check-character.json',
      buildLedgerJson((ledger) => {
        ledger.entities[1].creditCode = `${ledger.entities[1].creditCode.slice(0, 17)}X`;
        for (const row of ledger.monthlyStats) {
          if (row.creditCode === '93140827MA09EKCY05') row.creditCode = ledger.entities[1].creditCode;
        }
      }),
    );
    const run = await ezhen('evaluate', '--ledger', file, '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).summary).toEqual({ met: 25, unmet: 2, pending: 1 });
    expect(run.stderr).toMatch(/entities\[1\]\.creditCode: .*校验位/);
  });

  it('explains a missing file, invalid JSON, a broken XLSX file and a missing --ledger', async () => {
    const results = await Promise.all([
      ezhen('evaluate', '--ledger', path.join(folder, 'nowhere.json')),
      ezhen(
        'evaluate',
        '--ledger',
        writeLedger('broken.json', '{"format": "ezhen-ledger/1",\n  "year": 2024,,}'),
      ),
      ezhen('evaluate', '--ledger', writeLedger('ledger.xlsx', 'PK')),
      ezhen('evaluate'),
    ]);
    const [missing, broken, spreadsheet, noLedger] = results as [Run, Run, Run, Run];
    expectOneLineError(missing, /^ezhen: evaluate: 文件 .*nowhere\.json 不存在/);
    expectOneLineError(broken, /不是有效的 JSON（第 2 行/);
    // XLSX ledgers are read like JSON ones; a file that is no workbook is a rejected ledger (status 2).
    expect(spreadsheet.code).toBe(2);
    expect(spreadsheet.stderr).toContain('不是有效的 XLSX 工作簿');
    expect(spreadsheet.stderr).not.toMatch(/^\s+at /m);
    expectOneLineError(noLedger, /须提供 --ledger/);
  });
});
