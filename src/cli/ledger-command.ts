import { existsSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { migrateDatabase } from '../db/client.ts';
import type { AppContext } from '../http/context.ts';
import { exportLedger } from '../modules/indicators/ledger-export.ts';
import { isWorkbookFile, readLedgerFile } from '../modules/indicators/ledger-file.ts';
import { importLedger, LedgerImportError } from '../modules/indicators/ledger-import.ts';
import { refusedItemPlace } from '../modules/indicators/ledger-receipt.ts';
import { writeLedgerWorkbook } from '../modules/indicators/ledger-xlsx.ts';
import { loadTraceMacKey } from '../modules/system/key-rotation.ts';
import { verifySecretKey } from '../modules/system/secret-key-check.ts';
import { openContext } from '../runtime.ts';
import { type CommandSpec, helpText, type ParsedCommand, parseCommand, UsageError } from './arguments.ts';

const templateSpec: CommandSpec = {
  name: 'ledger template',
  usage: 'ezhen ledger template <文件.xlsx> [--force]',
  summary: '写出台账 XLSX 模板：基本信息表、每个台账清单一张表（中文表头、可选值下拉）和填表说明。',
  options: { force: { type: 'boolean', description: '覆盖已有文件' } },
  positionals: { min: 1, max: 1 },
};
const exportSpec: CommandSpec = {
  name: 'ledger export',
  usage: 'ezhen ledger export --etown <e镇代码> --year <年度> <文件.json|文件.xlsx> [--force]',
  summary: '把平台中一个 e镇 的台账数据导出为 ezhen-ledger/1 文件（JSON 或 XLSX，按扩展名）。',
  options: {
    etown: { type: 'string', description: 'e镇代码，如 140827-E01' },
    year: { type: 'string', description: '评价年度（验收当年），如 2024' },
    force: { type: 'boolean', description: '覆盖已有文件' },
  },
  positionals: { min: 1, max: 1 },
};
const importSpec: CommandSpec = {
  name: 'ledger import',
  usage: 'ezhen ledger import <文件.json|文件.xlsx> --etown <e镇代码>',
  summary:
    '导入台账文件，写入该 e镇 自己的台账清单（制度文件、投资、设施、品牌、产品、培训……）以及 e镇 的面积、边界和主导产业；全部成功或全部不写入。市场主体及标签、经审核的月度统计、违规事件、领导小组文件和市级增长率属于其他角色，导入不更改，文件与平台不一致之处逐项列为拒绝。文件有误时逐条列出（XLSX 为工作表/行/列/原因），退出码为 2。',
  options: { etown: { type: 'string', description: 'e镇代码，如 140827-E01（须与文件中的 e镇代码一致）' } },
  positionals: { min: 1, max: 1 },
};

const cliActor = () => ({ username: `cli:${userInfo().username}`, ip: 'local' });

export async function withMigratedContext<T>(run: (context: AppContext) => Promise<T>): Promise<T> {
  const context = await openContext(loadConfig());
  try {
    await migrateDatabase(context.database);
    await verifySecretKey(context);
    await loadTraceMacKey(context);
    return await run(context);
  } finally {
    await context.database.close();
  }
}

export function requireEtownCode(name: string, value: unknown, usage: string): string {
  if (typeof value !== 'string' || value === '')
    throw new UsageError(`${name}: 须提供 --etown <e镇代码>，用法：${usage}`);
  if (!/^\d{6}-E\d{2}$/.test(value))
    throw new UsageError(`${name}: e镇代码须形如 140827-E01，实际为 "${value}"`);
  return value;
}

export function requireYear(name: string, value: unknown, usage: string): number {
  if (typeof value !== 'string' || value === '')
    throw new UsageError(`${name}: 须提供 --year <年度>，用法：${usage}`);
  if (!/^\d{4}$/.test(value)) throw new UsageError(`${name}: 年度须为四位数字，实际为 "${value}"`);
  return Number(value);
}

function outputFile(name: string, parsed: ParsedCommand, extensions: RegExp): string {
  const file = path.resolve(parsed.positionals[0] as string);
  if (!extensions.test(file))
    throw new UsageError(`${name}: 文件扩展名须为 ${extensions.source.replace(/[\\$()]/g, '')}`);
  if (existsSync(file) && !parsed.values.force)
    throw new UsageError(`${name}: 文件 ${file} 已存在（用 --force 覆盖）`);
  return file;
}

type Command = (argv: string[]) => Promise<number>;

function command(spec: CommandSpec, run: (parsed: ParsedCommand) => Promise<number>): Command {
  return async (argv) => {
    const parsed = parseCommand(spec, argv);
    if (parsed.help) {
      console.log(helpText(spec));
      return 0;
    }
    return run(parsed);
  };
}

export const ledgerCommands: Record<string, Command> = {
  template: command(templateSpec, async (parsed) => {
    const file = outputFile(templateSpec.name, parsed, /\.xlsx$/i);
    writeFileSync(file, await writeLedgerWorkbook(null));
    console.log(`已写出台账模板 ${file}`);
    return 0;
  }),
  export: command(exportSpec, async (parsed) => {
    const etownCode = requireEtownCode(exportSpec.name, parsed.values.etown, exportSpec.usage);
    const year = requireYear(exportSpec.name, parsed.values.year, exportSpec.usage);
    const file = outputFile(exportSpec.name, parsed, /\.(json|xlsx)$/i);
    return withMigratedContext(async (context) => {
      const ledger = await exportLedger(context.database.db, etownCode, year);
      writeFileSync(
        file,
        isWorkbookFile(file) ? await writeLedgerWorkbook(ledger) : `${JSON.stringify(ledger, null, 2)}\n`,
      );
      console.log(`已导出 ${etownCode} ${year} 年台账到 ${file}`);
      return 0;
    });
  }),
  import: command(importSpec, async (parsed) => {
    const etownCode = requireEtownCode(importSpec.name, parsed.values.etown, importSpec.usage);
    const file = path.resolve(parsed.positionals[0] as string);
    const read = await readLedgerFile(file);
    if (!read.ok && 'unreadable' in read) throw new UsageError(`${importSpec.name}: ${read.unreadable}`);
    for (const warning of read.warnings) console.error(`提示 ${warning}`);
    if (!read.ok) {
      console.error(
        `ezhen: 台账 ${file} 有 ${read.problems.length} 处问题，未导入任何数据：\n${read.problems.map((line) => `  ${line}`).join('\n')}`,
      );
      return 2;
    }
    return withMigratedContext(async (context) => {
      try {
        const summary = await importLedger(context, cliActor(), read.ledger, etownCode);
        const counts = Object.entries(summary.counts)
          .map(([list, count]) => `${list} ${count}`)
          .join('，');
        console.log(`已导入 ${etownCode} 台账（${counts}）`);
        if (summary.refused.length > 0) {
          console.log(
            `以下 ${summary.refused.length} 项属于其他角色登记或审核的数据，台账导入不能更改，已拒绝：\n${summary.refused.map((item) => `  ${refusedItemPlace(item)} ${item.item}：${item.reason}`).join('\n')}`,
          );
        }
        if (summary.keptBrands.length > 0) {
          console.log(`已有授权或子品牌、台账中没有的品牌予以保留：${summary.keptBrands.join('、')}`);
        }
        if (summary.keptProducts.length > 0) {
          console.log(`已有批次、台账中没有的产品予以保留：${summary.keptProducts.join('、')}`);
        }
        if (summary.keptInvestments.length > 0) {
          console.log(`已关联项目、台账中没有的投资予以保留：${summary.keptInvestments.join('、')}`);
        }
        if (summary.keptFacilities.length > 0) {
          console.log(`已关联项目、台账中没有的设施予以保留：${summary.keptFacilities.join('、')}`);
        }
        return 0;
      } catch (error) {
        if (!(error instanceof LedgerImportError)) throw error;
        console.error(
          `ezhen: 台账 ${file} 不能导入，未写入任何数据：\n${error.problems.map((problem) => `  ${problem.path}: ${problem.message} [${problem.code}]`).join('\n')}`,
        );
        return 2;
      }
    });
  }),
};
