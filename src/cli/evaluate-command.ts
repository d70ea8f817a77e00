import { readFileSync } from 'node:fs';
import { addOnCatalogsFor, currentProvinceCatalog } from '../indicators/catalog.ts';
import {
  type ExplainedEvaluation,
  explainLedger,
  type IndicatorEvaluation,
  indicatorStatusLabels,
} from '../indicators/engine.ts';
import { countyTierLabels, type LedgerProblem, parseLedger } from '../indicators/ledger-schema.ts';
import { type CommandSpec, helpText, parseCommand, UsageError } from './arguments.ts';

const evaluateSpec: CommandSpec = {
  name: 'evaluate',
  usage: 'ezhen evaluate --ledger <台账.json> [--json]',
  summary:
    '按省级28项约束性指标（及所在县的自定目标）评价一个 ezhen-ledger/1 台账文件，不需要数据库。台账有误时列出每个问题的字段路径，退出码为 2。',
  options: {
    ledger: { type: 'string', description: 'ezhen-ledger/1 台账文件（JSON）' },
    json: { type: 'boolean', description: '输出 ezhen-evaluation/1 JSON 文档，而不是评分表' },
  },
};

/** JSON.parse explains itself in English with a character position; say where in Chinese. */
function describeJsonError(text: string, error: Error): string {
  const position = /position (\d+)/.exec(error.message);
  if (!position) return '内容不是有效的 JSON';
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `内容不是有效的 JSON（第 ${line} 行第 ${column} 列附近）`;
}

function readLedgerFile(file: string): unknown {
  if (/\.xlsx?$/i.test(file)) {
    throw new UsageError(`evaluate: 暂不支持 XLSX 台账（${file}），请先使用 JSON 格式的 ezhen-ledger/1 文件`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`evaluate: 文件 ${file} 不存在`);
    if (code === 'EISDIR') throw new UsageError(`evaluate: ${file} 是目录，不是台账文件`);
    throw new UsageError(`evaluate: 无法读取 ${file}（${code ?? (error as Error).message}）`);
  }
  // Spreadsheet tools often write a byte-order mark in front of UTF-8 JSON.
  const json = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new UsageError(`evaluate: ${file} ${describeJsonError(json, error as Error)}`);
  }
}

const describeProblem = (problem: LedgerProblem) =>
  `  ${problem.path || '（整个文件）'}: ${problem.message} [${problem.code}]`;

// ---- the scorecard table ----

/** Terminal columns: CJK and full-width forms take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const character of text) {
    const code = character.codePointAt(0) as number;
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6);
    width += wide ? 2 : 1;
  }
  return width;
}

const padEnd = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));
const padStart = (text: string, width: number) => ' '.repeat(Math.max(0, width - displayWidth(text))) + text;

function table(
  indicators: readonly IndicatorEvaluation[],
  explanationsOf: (indicator: IndicatorEvaluation) => string[],
  numberOf: (indicator: IndicatorEvaluation) => string,
): string[] {
  const header = ['序号', '指标', '状态', '说明'];
  const numberWidth = Math.max(
    displayWidth(header[0] as string),
    ...indicators.map((i) => displayWidth(numberOf(i))),
  );
  const titleWidth = Math.max(
    displayWidth(header[1] as string),
    ...indicators.map((i) => displayWidth(i.title)),
  );
  const statusWidth = Math.max(...Object.values(indicatorStatusLabels).map(displayWidth));
  const row = (cells: [string, string, string, string]) =>
    `${padStart(cells[0], numberWidth)}  ${padEnd(cells[1], titleWidth)}  ${padEnd(cells[2], statusWidth)}  ${cells[3]}`.trimEnd();
  const lines = [row(header as [string, string, string, string])];
  lines.push('-'.repeat(numberWidth + titleWidth + statusWidth + 6 + 40));
  for (const indicator of indicators) {
    const [first = '', ...rest] = explanationsOf(indicator);
    lines.push(row([numberOf(indicator), indicator.title, indicatorStatusLabels[indicator.status], first]));
    for (const line of rest) lines.push(row(['', '', '', line]));
  }
  return lines;
}

function scorecard({ evaluation, explanations }: ExplainedEvaluation): string {
  const { etown, year, tier, summary, catalog } = evaluation;
  const lines = [
    `${etown.name}（${etown.code}） ${year}年 建设约束性指标评价`,
    `县域类别：${countyTierLabels[tier]}　指标目录：${catalog.id} 第 ${catalog.version} 版`,
    '',
    ...table(
      evaluation.indicators,
      (indicator) => explanations.get(`${catalog.id}#${indicator.no}`) ?? [],
      (indicator) => String(indicator.no),
    ),
    '',
    `合计：达标 ${summary.met} 项，未达标 ${summary.unmet} 项，待定 ${summary.pending} 项（共 ${evaluation.indicators.length} 项）`,
  ];
  for (const addOn of evaluation.addOns) {
    lines.push(
      '',
      `${addOn.catalog.title}（${addOn.catalog.id} 第 ${addOn.catalog.version} 版，不计入约束性指标合计）`,
      '',
      ...table(
        addOn.indicators,
        (indicator) => explanations.get(`${addOn.catalog.id}#${indicator.no}`) ?? [],
        (indicator) => `+${indicator.no}`,
      ),
      '',
      `合计：达标 ${addOn.summary.met} 项，未达标 ${addOn.summary.unmet} 项，待定 ${addOn.summary.pending} 项`,
    );
  }
  return lines.join('\n');
}

/** `ezhen evaluate --ledger FILE.json [--json]`: exit 0 whatever the statuses, 2 for a rejected file. */
export async function evaluateCommand(argv: string[]): Promise<number> {
  if (argv.some((argument) => argument === '--etown' || argument.startsWith('--etown='))) {
    throw new UsageError('evaluate: 按平台数据评价（--etown）尚未提供，目前请用 --ledger 评价台账文件');
  }
  const parsed = parseCommand(evaluateSpec, argv);
  if (parsed.help) {
    console.log(helpText(evaluateSpec));
    return 0;
  }
  const ledgerOption = parsed.values.ledger;
  if (typeof ledgerOption !== 'string' || ledgerOption === '') {
    throw new UsageError(`evaluate: 须提供 --ledger <台账.json>，用法：${evaluateSpec.usage}`);
  }
  const file = ledgerOption;
  const result = parseLedger(readLedgerFile(file));
  for (const warning of result.warnings) console.error(`提示 ${describeProblem(warning).trimStart()}`);
  if (!result.ok) {
    console.error(
      `ezhen: 台账 ${file} 不符合 ezhen-ledger/1，共 ${result.problems.length} 处问题：\n${result.problems.map(describeProblem).join('\n')}`,
    );
    return 2;
  }
  const catalog = currentProvinceCatalog();
  const explained = explainLedger(result.ledger, catalog, {
    addOns: addOnCatalogsFor(catalog, result.ledger.etown.countyCode),
  });
  console.log(parsed.values.json ? JSON.stringify(explained.evaluation, null, 2) : scorecard(explained));
  return 0;
}
