import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { regions } from '../db/schema/regions.ts';
import { addOnCatalogsFor, currentProvinceCatalog } from '../indicators/catalog.ts';
import {
  type ExplainedEvaluation,
  explainLedger,
  type IndicatorEvaluation,
  indicatorStatusLabels,
  type LedgerEvaluation,
} from '../indicators/engine.ts';
import { countyTierLabels } from '../indicators/ledger-schema.ts';
import { buildLedgerFromDatabase, platformEvaluationOptions } from '../modules/indicators/ledger-builder.ts';
import { readLedgerFile } from '../modules/indicators/ledger-file.ts';
import { platformCountsOf } from '../modules/indicators/platform-counts.ts';
import { evaluateEtownsForOverview } from '../modules/indicators/scorecard.service.ts';
import { type CommandSpec, helpText, type ParsedCommand, parseCommand, UsageError } from './arguments.ts';
import { requireEtownCode, requireYear, withMigratedContext } from './ledger-command.ts';

const evaluateSpec: CommandSpec = {
  name: 'evaluate',
  usage:
    'ezhen evaluate --ledger <台账.json> [--json] | --etown <e镇代码> --year <年度> [--json] | --all --year <年度> [--json]',
  summary:
    '按省级28项约束性指标（及所在县的自定目标）评价：--ledger 评价一个 ezhen-ledger/1 台账文件（不需要数据库，台账有误时列出每个问题的字段路径，退出码为 2）；--etown 按平台数据评价一个 e镇，结果与导出的台账文件相同；--all 评价平台中的每个 e镇，进度写到标准错误。',
  options: {
    ledger: { type: 'string', description: 'ezhen-ledger/1 台账文件（JSON）' },
    etown: { type: 'string', description: '按平台数据评价这个 e镇，如 140827-E01' },
    all: { type: 'boolean', description: '按平台数据评价每个 e镇' },
    year: { type: 'string', description: '评价年度（与 --etown 或 --all 一起使用）' },
    json: {
      type: 'boolean',
      description: '输出 ezhen-evaluation/1 JSON 文档（--all 时为这些文档的列表），而不是评分表',
    },
  },
};

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
  const parsed = parseCommand(evaluateSpec, argv);
  if (parsed.help) {
    console.log(helpText(evaluateSpec));
    return 0;
  }
  const sources = [
    parsed.values.ledger !== undefined,
    parsed.values.etown !== undefined,
    !!parsed.values.all,
  ];
  if (sources.filter(Boolean).length > 1) {
    throw new UsageError('evaluate: --ledger、--etown 和 --all 只能选一个');
  }
  if (parsed.values.etown !== undefined || parsed.values.all) return evaluateFromDatabase(parsed.values);
  if (parsed.values.year !== undefined)
    throw new UsageError('evaluate: --year 只与 --etown 或 --all 一起使用');
  const ledgerOption = parsed.values.ledger;
  if (typeof ledgerOption !== 'string' || ledgerOption === '') {
    throw new UsageError(`evaluate: 须提供 --ledger <台账.json>，用法：${evaluateSpec.usage}`);
  }
  const file = ledgerOption;
  const result = await readLedgerFile(file);
  if (!result.ok && 'unreadable' in result) throw new UsageError(`evaluate: ${result.unreadable}`);
  for (const warning of result.warnings) console.error(`提示 ${warning}`);
  if (!result.ok) {
    console.error(
      `ezhen: 台账 ${file} 不符合 ezhen-ledger/1，共 ${result.problems.length} 处问题：\n${result.problems.map((problem) => `  ${problem}`).join('\n')}`,
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

function printExplained(explained: ExplainedEvaluation, json: boolean) {
  console.log(json ? JSON.stringify(explained.evaluation, null, 2) : scorecard(explained));
}

/** `--etown CODE --year Y` and `--all --year Y`: the same documents a file export would give. */
async function evaluateFromDatabase(values: ParsedCommand['values']): Promise<number> {
  const year = requireYear('evaluate', values.year, evaluateSpec.usage);
  const json = !!values.json;
  const explain = async (executor: Executor, etownCode: string) => {
    const ledger = await buildLedgerFromDatabase(executor, etownCode, year);
    const catalog = currentProvinceCatalog();
    const counts = await platformCountsOf(executor, etownCode, year);
    return explainLedger(ledger, catalog, platformEvaluationOptions(ledger, catalog, counts));
  };
  if (!values.all) {
    const etownCode = requireEtownCode('evaluate', values.etown, evaluateSpec.usage);
    return withMigratedContext(async (context) => {
      printExplained(await explain(context.database.db, etownCode), json);
      return 0;
    });
  }
  return withMigratedContext(async (context) => {
    const etowns = await context.database.db
      .select({ code: regions.code, name: regions.name })
      .from(regions)
      .where(eq(regions.level, 'etown'))
      .orderBy(asc(regions.code));
    const documents: LedgerEvaluation[] = [];
    const lines: string[] = [];
    const nameOf = new Map(etowns.map((etown) => [etown.code, etown.name]));
    let failed = 0;
    await evaluateEtownsForOverview(
      context.database.db,
      etowns.map((etown) => etown.code),
      year,
      {
        catalog: currentProvinceCatalog(),
        onProgress: (done, total, { code, evaluation, error }) => {
          const name = nameOf.get(code);
          if (!evaluation) {
            failed += 1;
            console.error(`[${done}/${total}] ${code} ${name}：无法评价（${error}）`);
            return;
          }
          documents.push(evaluation);
          const { met, unmet, pending } = evaluation.summary;
          lines.push(
            `${code}  ${name}  ${countyTierLabels[evaluation.tier]}  达标 ${met}  未达标 ${unmet}  待定 ${pending}`,
          );
          console.error(`[${done}/${total}] ${code} ${name}：达标 ${met}，未达标 ${unmet}，待定 ${pending}`);
        },
      },
    );
    if (json) console.log(JSON.stringify(documents, null, 2));
    else {
      console.log([`${year}年 e镇约束性指标评价（共 ${etowns.length} 个 e镇）`, '', ...lines].join('\n'));
    }
    if (failed > 0) console.error(`${failed} 个 e镇无法评价`);
    return failed > 0 ? 1 : 0;
  });
}
