import { formatExact, formatFen } from '../../indicators/exact.ts';
import { entityTagLabels, incidentCategoryLabels, type Ledger } from '../../indicators/ledger-schema.ts';
import type { LedgerJson } from './ledger-export.ts';

/** The parts of a ledger that belong to another role's review: an import never writes them. */
export const refusedLists = [
  'etown',
  'documents',
  'entities',
  'monthlyStats',
  'complianceIncidents',
] as const;
export type RefusedList = (typeof refusedLists)[number];

/**
 * One change a ledger file asks for that the import refused: what it is, where it sits in the file
 * (`path`, empty for a platform record the file leaves out) and why, in Chinese.
 */
export type RefusedItem = {
  list: RefusedList;
  path: string;
  action: 'add' | 'change' | 'remove';
  item: string;
  reason: string;
};

const REGISTRY = '市场主体及其标签由县级在市场主体库登记和维护（标签有变更历史），台账导入不能';
const REVIEWED = '月度统计由企业填报、县级审核（或县级批量导入），台账导入不能';
const INCIDENTS = '违规事件由县级（或市、省）登记，e镇只能查看和说明，台账导入不能';
const LEADING_GROUP =
  '领导小组文件以“领导小组”登记的文号和成立日期为准，请在领导小组中登记或修改，台账导入不能';

/** Counts each key of a list; the file's rows take from it, what is left the file omits. */
function tally<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const byKey = new Map<string, T[]>();
  for (const row of rows) byKey.set(keyOf(row), [...(byKey.get(keyOf(row)) ?? []), row]);
  return byKey;
}

function entityRefusals(file: Ledger, platform: LedgerJson, elsewhere: ReadonlyMap<string, string>) {
  const refused: RefusedItem[] = [];
  const registered = new Map(platform.entities.map((entity) => [entity.creditCode, entity]));
  file.entities.forEach((entity, index) => {
    const path = `entities[${index}]`;
    const item = `${entity.creditCode} ${entity.name}`;
    const known = registered.get(entity.creditCode);
    registered.delete(entity.creditCode);
    if (!known) {
      const other = elsewhere.get(entity.creditCode);
      const where = other ? `该市场主体登记在 e镇 ${other}；` : '主体库中没有该市场主体；';
      refused.push({ list: 'entities', path, action: 'add', item, reason: `${where}${REGISTRY}新增` });
      return;
    }
    const differences = [
      known.name === entity.name ? null : `名称 主体库“${known.name}”，台账“${entity.name}”`,
      known.legalEntity === entity.legalEntity
        ? null
        : `是否法人 主体库${known.legalEntity ? '是' : '否'}，台账${entity.legalEntity ? '是' : '否'}`,
      known.registeredOn === entity.registeredOn
        ? null
        : `注册日期 主体库 ${known.registeredOn}，台账 ${entity.registeredOn}`,
      ...entity.tags
        .filter((tag) => !known.tags.includes(tag))
        .map((tag) => `标签“${entityTagLabels[tag]}”台账有、主体库没有`),
      ...known.tags
        .filter((tag) => !(entity.tags as readonly string[]).includes(tag))
        .map(
          (tag) => `标签“${entityTagLabels[tag as keyof typeof entityTagLabels] ?? tag}”主体库有、台账没有`,
        ),
    ].filter((text): text is string => text !== null);
    if (differences.length > 0) {
      const reason = `${differences.join('；')}：${REGISTRY}修改`;
      refused.push({ list: 'entities', path, action: 'change', item, reason });
    }
  });
  for (const entity of registered.values()) {
    const item = `${entity.creditCode} ${entity.name}`;
    const reason = `台账未列出主体库中的该市场主体：${REGISTRY}删除`;
    refused.push({ list: 'entities', path: '', action: 'remove', item, reason });
  }
  return refused;
}

function monthlyRefusals(file: Ledger, platform: LedgerJson) {
  const refused: RefusedItem[] = [];
  const nameOf = new Map(
    [...platform.entities, ...file.entities].map((entity) => [entity.creditCode, entity.name]),
  );
  const describe = (creditCode: string, month: string) =>
    `${creditCode} ${nameOf.get(creditCode) ?? ''} ${month}`.replace(/ {2}/, ' ');
  const approved = new Map(platform.monthlyStats.map((row) => [`${row.creditCode}|${row.month}`, row]));
  file.monthlyStats.forEach((row, index) => {
    const key = `${row.creditCode}|${row.month}`;
    const known = approved.get(key);
    approved.delete(key);
    const item = describe(row.creditCode, row.month);
    const path = `monthlyStats[${index}]`;
    if (!known) {
      const reason = `平台没有该主体该月经审核的月度统计：${REVIEWED}写入`;
      refused.push({ list: 'monthlyStats', path, action: 'add', item, reason });
      return;
    }
    const [output, onlineRetail] = [formatFen(row.outputFen), formatFen(row.onlineRetailFen)];
    const differences = [
      known.outputYuan === output ? null : `总产值 已审核 ${known.outputYuan} 元，台账 ${output} 元`,
      known.onlineRetailYuan === onlineRetail
        ? null
        : `网络零售额 已审核 ${known.onlineRetailYuan} 元，台账 ${onlineRetail} 元`,
    ].filter((text): text is string => text !== null);
    if (differences.length > 0) {
      const reason = `${differences.join('；')}：${REVIEWED}更改已审核的数字`;
      refused.push({ list: 'monthlyStats', path, action: 'change', item, reason });
    }
  });
  for (const row of approved.values()) {
    const item = describe(row.creditCode, row.month);
    const reason = `台账未列出该月经审核的月度统计：${REVIEWED}删除`;
    refused.push({ list: 'monthlyStats', path: '', action: 'remove', item, reason });
  }
  return refused;
}

/** Lists compared as multisets of a natural key (incidents, the register's leading-group documents). */
function keyedRefusals<FileRow, PlatformRow>(
  list: RefusedList,
  fileRows: readonly { row: FileRow; index: number }[],
  platformRows: readonly PlatformRow[],
  keyOf: { file: (row: FileRow) => string; platform: (row: PlatformRow) => string },
  describe: { file: (row: FileRow) => string; platform: (row: PlatformRow) => string },
  reason: { add: string; remove: string },
): RefusedItem[] {
  const refused: RefusedItem[] = [];
  const unmatched = tally(platformRows, keyOf.platform);
  for (const { row, index } of fileRows) {
    const matches = unmatched.get(keyOf.file(row));
    if (matches && matches.length > 0) {
      matches.shift();
      continue;
    }
    const path = `${list}[${index}]`;
    refused.push({ list, path, action: 'add', item: describe.file(row), reason: reason.add });
  }
  for (const row of [...unmatched.values()].flat()) {
    refused.push({ list, path: '', action: 'remove', item: describe.platform(row), reason: reason.remove });
  }
  return refused;
}

function incidentRefusals(file: Ledger, platform: LedgerJson) {
  type Incident = { date: string; category: string; description: string | null };
  const key = (row: Incident) => JSON.stringify([row.date, row.category, row.description ?? '']);
  const describe = (row: Incident) =>
    `${row.date} ${incidentCategoryLabels[row.category as keyof typeof incidentCategoryLabels] ?? row.category}${row.description ? `：${row.description}` : ''}`;
  return keyedRefusals<Incident, Incident>(
    'complianceIncidents',
    file.complianceIncidents.map((row, index) => ({ row, index })),
    platform.complianceIncidents,
    { file: key, platform: key },
    { file: describe, platform: describe },
    { add: `${INCIDENTS}新增`, remove: `平台已登记的违规事件台账未列出：${INCIDENTS}删除` },
  );
}

function leadingGroupRefusals(file: Ledger, platform: LedgerJson) {
  type Document = { title: string; docNo: string | null; issuedOn: string };
  const key = (row: Document) => JSON.stringify([row.title, row.docNo ?? '', row.issuedOn]);
  const describe = (row: Document) =>
    `《${row.title}》（${[row.docNo, `${row.issuedOn}`].filter(Boolean).join('，')}）`;
  return keyedRefusals<Document, Document>(
    'documents',
    file.documents.flatMap((row, index) => (row.kind === 'leading_group' ? [{ row, index }] : [])),
    platform.documents.filter((row) => row.kind === 'leading_group'),
    { file: key, platform: key },
    { file: describe, platform: describe },
    { add: `${LEADING_GROUP}新增`, remove: `领导小组登记中的文件台账未列出：${LEADING_GROUP}删除` },
  );
}

function cityGrowthRefusals(file: Ledger, platform: LedgerJson): RefusedItem[] {
  const fromFile = file.etown.cityOutputGrowthPct;
  const shown = fromFile === null ? null : formatExact(fromFile);
  const entered = platform.etown.cityOutputGrowthPct;
  if (shown === entered) return [];
  const item = '所在市年总产值平均增长率';
  const path = 'etown.cityOutputGrowthPct';
  const now = entered === null ? '平台中市级尚未录入' : `平台中为 ${entered}%`;
  const reason = `${now}，台账为 ${shown === null ? '空' : `${shown}%`}：该数由市级录入，台账导入不能更改`;
  return [{ list: 'etown', path, action: shown === null ? 'remove' : 'change', item, reason }];
}

/**
 * Every change the file asks for in what belongs to another role's review, compared with the
 * platform's own ledger of the same year (so a file exported from the platform asks for none):
 * registry entities and their tags, approved monthly figures, compliance incidents, the leading-group
 * document and the city's growth rate. `elsewhere` names the e-town of a credit code registered in
 * another one.
 */
export function refusedChanges(
  file: Ledger,
  platform: LedgerJson,
  elsewhere: ReadonlyMap<string, string> = new Map(),
): RefusedItem[] {
  return [
    ...cityGrowthRefusals(file, platform),
    ...leadingGroupRefusals(file, platform),
    ...entityRefusals(file, platform, elsewhere),
    ...monthlyRefusals(file, platform),
    ...incidentRefusals(file, platform),
  ];
}
