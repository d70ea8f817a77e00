import type { CountableList, CountCondition, IndicatorDefinition } from '../../indicators/catalog.ts';
import type { ConditionRows, FactValue, MonthlyComparison, RunningYear } from '../../indicators/engine.ts';
import { formatExact, formatFen, formatGrouped, formatYuan } from '../../indicators/exact.ts';
import {
  brandKindLabels,
  countyTierLabels,
  documentKindLabels,
  entityTagLabels,
  eventKindLabels,
  facilityFeatureLabels,
  facilityKindLabels,
  incidentCategoryLabels,
  type Ledger,
  mediaChannelKindLabels,
  personRoleLabels,
} from '../../indicators/ledger-schema.ts';
import type { DrillMonthlySection, DrillSection, DrillTableSection } from './drilldown.schemas.ts';
import {
  crossBorderText,
  personOriginTable,
  type TalentOrigins,
  trainingOriginTable,
} from './drilldown-talent.ts';

/**
 * The drill-down of one indicator, display-ready: the rows the engine counted (`traceLedger`) laid out
 * as tables, month-by-month figures, facts and notes in Chinese. Pure: it formats what the engine
 * reports and judges nothing itself; money is formatted from integer fen.
 */

type Cell = DrillTableSection['rows'][number]['cells'][string];
type Column = DrillTableSection['columns'][number];
type ListRow<K extends keyof Ledger> = Ledger[K] extends readonly (infer Row)[] ? Row : never;

export const noRowsText = '本项无明细行';

const measureLabels = { output: '总产值', online_retail: '网络零售额', investment: '总投资' } as const;
const yesNo = (value: boolean) => (value ? '是' : '否');
const labelOf = (labels: Readonly<Record<string, string>>, code: string) => labels[code] ?? code;

/** 1234567 fen → "12,345.67": money with separators and always two decimals, for columns of figures. */
export function formatMoneyCell(fen: bigint): string {
  return formatGrouped(formatFen(fen));
}

/** "1—11月" for a running year's months compared, "" for a closed year. */
function comparedMonthsOf(running: RunningYear | null): string {
  if (!running || running.throughMonth === 0) return '';
  return running.throughMonth === 1 ? '1月' : `1—${running.throughMonth}月`;
}

// ---- lists: columns and cells ----

type ListTable = { columns: Column[]; cells: (item: never) => Record<string, Cell>; emptyText?: string };

const listTables: Record<Exclude<CountableList, 'leadingIndustries'>, ListTable> = {
  documents: {
    columns: [
      { key: 'title', title: '文件名称' },
      { key: 'kind', title: '文件类型', width: 150 },
      { key: 'docNo', title: '文号', width: 170 },
      { key: 'issuedOn', title: '印发日期', width: 110 },
    ],
    cells: (item: ListRow<'documents'>) => ({
      title: item.title,
      kind: labelOf(documentKindLabels, item.kind),
      docNo: item.docNo ?? '—',
      issuedOn: item.issuedOn,
    }),
  },
  entities: {
    columns: [
      { key: 'name', title: '市场主体名称' },
      { key: 'creditCode', title: '统一社会信用代码', width: 180 },
      { key: 'legalEntity', title: '法人单位', width: 80, align: 'center' },
      { key: 'registeredOn', title: '登记日期', width: 110 },
      { key: 'tags', title: '类型', width: 200 },
    ],
    cells: (item: ListRow<'entities'>) => ({
      name: item.name,
      creditCode: item.creditCode,
      legalEntity: yesNo(item.legalEntity),
      registeredOn: item.registeredOn,
      tags: { tags: item.tags.map((tag) => labelOf(entityTagLabels, tag)) },
    }),
  },
  supplyChains: {
    columns: [{ key: 'name', title: '产业链供应链名称' }],
    cells: (item: ListRow<'supplyChains'>) => ({ name: item.name }),
  },
  pavilions: {
    columns: [
      { key: 'platform', title: '电商平台', width: 140 },
      { key: 'name', title: '特色馆名称' },
    ],
    cells: (item: ListRow<'pavilions'>) => ({
      platform: item.platform,
      name: item.url ? { href: item.url, text: item.name } : item.name,
    }),
  },
  brands: {
    columns: [
      { key: 'name', title: '品牌名称' },
      { key: 'kind', title: '品牌类型', width: 180 },
    ],
    cells: (item: ListRow<'brands'>) => ({ name: item.name, kind: labelOf(brandKindLabels, item.kind) }),
  },
  products: {
    columns: [
      { key: 'name', title: '产品名称' },
      { key: 'brand', title: '所属品牌', width: 180 },
      { key: 'online', title: '网货产品', width: 90, align: 'center' },
    ],
    cells: (item: ListRow<'products'>) => ({
      name: item.name,
      brand: item.brand,
      online: yesNo(item.online),
    }),
  },
  events: {
    columns: [
      { key: 'title', title: '活动名称' },
      { key: 'kind', title: '类型', width: 100 },
      { key: 'date', title: '日期', width: 110 },
    ],
    cells: (item: ListRow<'events'>) => ({
      title: item.title,
      kind: labelOf(eventKindLabels, item.kind),
      date: item.date,
    }),
  },
  mediaChannels: {
    columns: [
      { key: 'name', title: '宣传渠道' },
      { key: 'kind', title: '类型', width: 120 },
    ],
    cells: (item: ListRow<'mediaChannels'>) => ({
      name: item.name,
      kind: labelOf(mediaChannelKindLabels, item.kind),
    }),
  },
  trainings: {
    columns: [
      { key: 'title', title: '培训名称' },
      { key: 'date', title: '日期', width: 110 },
      { key: 'crossBorder', title: '跨境电商培训', width: 110, align: 'center' },
      { key: 'attendance', title: '培训人次', width: 100, align: 'right' },
    ],
    cells: (item: ListRow<'trainings'>) => ({
      title: item.title,
      date: item.date,
      crossBorder: yesNo(item.crossBorder),
      attendance: String(item.attendance),
    }),
  },
  people: {
    columns: [
      { key: 'name', title: '姓名' },
      { key: 'role', title: '身份', width: 160 },
    ],
    cells: (item: ListRow<'people'>) => ({ name: item.name, role: labelOf(personRoleLabels, item.role) }),
  },
  complianceIncidents: {
    columns: [
      { key: 'date', title: '日期', width: 110 },
      { key: 'category', title: '类别', width: 100 },
      { key: 'description', title: '情况说明' },
    ],
    cells: (item: ListRow<'complianceIncidents'>) => ({
      date: item.date,
      category: labelOf(incidentCategoryLabels, item.category),
      description: item.description ?? '—',
    }),
  },
};

const emptyTexts: Record<CountableList, string> = {
  leadingIndustries: '台账中没有主导产业',
  documents: '台账中没有符合条件的文件',
  entities: '台账中没有符合条件的市场主体',
  supplyChains: '台账中没有产业链供应链',
  pavilions: '台账中没有本地产品特色馆',
  brands: '台账中没有符合条件的品牌',
  products: '台账中没有符合条件的产品',
  events: '台账中没有符合条件的活动',
  mediaChannels: '台账中没有符合条件的宣传渠道',
  trainings: '台账中没有符合条件的培训',
  people: '台账中没有符合条件的人员',
  complianceIncidents: '未发生违规违法事件',
};

function windowPrefix(window: CountCondition['window'], year: number, running: RunningYear | null): string {
  if (window === 'in_year') return `${year}年`;
  if (window === 'by_year') return running ? `截至${running.asOf}` : `截至${year}年底`;
  return '';
}

function requirementText(condition: CountCondition): string {
  const { min, max, unit } = condition;
  if (max === 0) return '要求不发生';
  if (min !== undefined && max !== undefined) return `要求 ${min}—${max} ${unit}`;
  if (min !== undefined) return `要求不少于 ${min} ${unit}`;
  if (max !== undefined) return `要求不多于 ${max} ${unit}`;
  return '';
}

type Verdict = DrillTableSection['verdict'];
const verdictOf = (status: 'met' | 'unmet' | 'pending'): Verdict =>
  status === 'pending' ? undefined : status;

// ---- sections, one per condition ----

type Rows<T extends ConditionRows['type']> = Extract<ConditionRows, { type: T }>;
type Input = {
  ledger: Ledger;
  running: RunningYear | null;
  facts: Readonly<Record<string, FactValue>>;
  /** Where the trainings and people come from, when read beside the ledger (the platform's drill-down). */
  origins?: TalentOrigins;
};

/** The trainings and people with their sources when they were read; otherwise the ledger's own columns. */
function tableOf(input: Input, list: Exclude<CountableList, 'leadingIndustries'>): ListTable {
  const { origins } = input;
  const sourced =
    origins && list === 'trainings'
      ? trainingOriginTable(input.ledger, origins)
      : origins && list === 'people'
        ? personOriginTable(input.ledger, origins)
        : null;
  return sourced ?? listTables[list];
}

function countSection(input: Input, rows: Rows<'count'>, key: string, verdict: Verdict): DrillTableSection {
  const { condition } = rows;
  const title = `${windowPrefix(condition.window, input.ledger.year, input.running)}${condition.label}`;
  const requirement = requirementText(condition);
  const crossBorder =
    condition.list === 'trainings' && !condition.where ? crossBorderText(rows.counted, input.origins) : '';
  const summary = `${condition.sumOf ? '合计' : '共'} ${rows.value} ${condition.unit}${requirement ? `（${requirement}）` : ''}${crossBorder}`;
  if (condition.list === 'leadingIndustries') {
    return {
      kind: 'table',
      key,
      title,
      summary,
      verdict,
      columns: [{ key: 'name', title: '主导产业' }],
      rows: rows.names.map((name) => ({ key: name, cells: { name } })),
      excluded: [],
      emptyText: emptyTexts.leadingIndustries,
    };
  }
  const table = tableOf(input, condition.list);
  return {
    kind: 'table',
    key,
    title,
    summary,
    verdict,
    columns: table.columns,
    rows: rows.counted.map((item, index) => ({ key: String(index), cells: table.cells(item as never) })),
    excluded: rows.excluded.map((entry, index) => ({
      key: `x${index}`,
      cells: table.cells(entry.row as never),
      reason: entry.reason,
    })),
    emptyText: table.emptyText ?? emptyTexts[condition.list],
    total: condition.sumOf
      ? { label: `合计（${condition.unit}）`, cells: { [condition.sumOf]: String(rows.value) } }
      : undefined,
  };
}

function documentSection(
  input: Input,
  rows: Rows<'document'>,
  key: string,
  verdict: Verdict,
): DrillTableSection {
  const table = listTables.documents;
  const columns = table.columns.filter((column) => column.key !== 'kind');
  return {
    kind: 'table',
    key,
    title: rows.condition.label,
    summary: `${input.ledger.year}年底前印发 ${rows.counted.length} 件（要求至少 1 件）`,
    verdict,
    columns,
    rows: rows.counted.map((document, index) => ({
      key: String(index),
      cells: table.cells(document as never),
    })),
    excluded: rows.excluded.map((entry, index) => ({
      key: `x${index}`,
      cells: table.cells(entry.row as never),
      reason: entry.reason,
    })),
    emptyText: `台账中没有${documentKindLabels[rows.condition.kind]}类文件`,
  };
}

function facilitySection(rows: Rows<'facility'>, key: string, verdict: Verdict): DrillTableSection {
  const { condition, checked } = rows;
  const area = (text: string) => formatGrouped(text);
  const requirement = [
    condition.minAreaM2 && condition.maxAreaM2
      ? `建筑面积 ${area(condition.minAreaM2)}—${area(condition.maxAreaM2)} 平方米`
      : condition.minAreaM2
        ? `建筑面积不少于 ${area(condition.minAreaM2)} 平方米`
        : condition.maxAreaM2
          ? `建筑面积不多于 ${area(condition.maxAreaM2)} 平方米`
          : null,
    condition.features.length > 0
      ? `设有${condition.features.map((feature) => facilityFeatureLabels[feature]).join('、')}`
      : null,
  ]
    .filter(Boolean)
    .join('，');
  const qualifying = checked.filter((entry) => entry.failures.length === 0).length;
  return {
    kind: 'table',
    key,
    title: facilityKindLabels[condition.kind],
    summary: `共 ${checked.length} 处，${qualifying} 处符合标准${requirement ? `（要求${requirement}）` : ''}`,
    verdict,
    columns: [
      { key: 'name', title: '设施名称' },
      { key: 'area', title: '建筑面积（平方米）', width: 140, align: 'right' },
      { key: 'features', title: '功能', width: 230 },
      { key: 'check', title: '核对', width: 200 },
    ],
    rows: checked.map((entry, index) => ({
      key: String(index),
      cells: {
        name: entry.facility.name,
        area: formatGrouped(formatExact(entry.facility.buildingAreaM2)),
        features: { tags: entry.facility.features.map((feature) => facilityFeatureLabels[feature]) },
        check: entry.failures.length === 0 ? '符合标准' : entry.failures.join('；'),
      },
    })),
    excluded: [],
    emptyText: `台账中没有${facilityKindLabels[condition.kind]}`,
  };
}

function investmentSection(
  input: Input,
  rows: Rows<'investment'>,
  key: string,
  verdict: Verdict,
): DrillTableSection {
  const { year, etown } = input.ledger;
  const byDate = <T extends { row: ListRow<'investments'> }>(a: T, b: T) =>
    a.row.date.localeCompare(b.row.date);
  const cells = (investment: ListRow<'investments'>) => ({
    project: investment.project,
    date: investment.date,
    amount: formatMoneyCell(investment.amountFen),
  });
  const until = input.running ? `截至${input.running.asOf}` : `截至${year}年底`;
  return {
    kind: 'table',
    key,
    title: `${until}的投资项目`,
    summary: `累计 ${formatYuan(rows.totalFen)} 元（${countyTierLabels[etown.countyTier]}标准 ${formatYuan(rows.thresholdFen)} 元）`,
    verdict,
    columns: [
      { key: 'project', title: '项目名称' },
      { key: 'date', title: '投资日期', width: 110 },
      { key: 'amount', title: '金额（元）', width: 170, align: 'right' },
    ],
    rows: rows.counted
      .map((row) => ({ row }))
      .sort(byDate)
      .map(({ row }, index) => ({ key: String(index), cells: cells(row) })),
    excluded: [...rows.excluded]
      .sort(byDate)
      .map((entry, index) => ({ key: `x${index}`, cells: cells(entry.row), reason: entry.reason })),
    emptyText: '台账中没有投资项目',
    total: { label: `${until}合计`, cells: { amount: formatMoneyCell(rows.totalFen) } },
  };
}

/** (now − before) / before as a signed percentage with one decimal, cut towards zero, exact. */
function changePercent(now: bigint, before: bigint): string {
  const tenths = ((now - before) * 1000n) / before;
  const magnitude = tenths < 0n ? -tenths : tenths;
  const sign = tenths > 0n ? '+' : tenths < 0n ? '−' : '';
  return `${sign}${magnitude / 10n}.${magnitude % 10n}%`;
}

/** part / whole as a percentage with one decimal, rounded down, exact. */
function sharePercent(part: bigint, whole: bigint): string {
  const tenths = (part * 1000n) / whole;
  return `${tenths / 10n}.${tenths % 10n}%`;
}

/** Month by month for Y−1 and Y with the entities the figures come from: totals as the engine compared. */
function monthlySection(
  input: Input,
  comparison: MonthlyComparison,
  growth: FactValue | undefined,
): DrillMonthlySection {
  const { year, previousYear, measure } = comparison;
  const names = new Map(input.ledger.entities.map((entity) => [entity.creditCode, entity.name]));
  const label = measureLabels[measure];
  const compared = comparedMonthsOf(input.running);
  const summary = [
    `${year}年${compared}${label} ${formatYuan(comparison.currentTotalFen)} 元（${comparison.currentRows} 行月度统计）`,
    `${previousYear}年${compared ? '同期' : ''} ${formatYuan(comparison.previousTotalFen)} 元（${comparison.previousRows} 行）`,
  ];
  if (typeof growth === 'string') summary.push(`同比增长 ${growth}%`);
  return {
    kind: 'monthly',
    key: `monthly-${measure}`,
    title: `月度${label}（${previousYear}—${year}年${compared ? `，比较1至${comparison.throughMonth}月` : ''}）`,
    measure,
    year,
    previousYear,
    summary: summary.join('；'),
    comparedMonths: compared,
    months: comparison.months.map((slot) => ({
      month: slot.month,
      compared: slot.compared,
      previous: slot.previousFen === null ? null : formatMoneyCell(slot.previousFen),
      current: slot.currentFen === null ? null : formatMoneyCell(slot.currentFen),
      change:
        slot.previousFen === null || slot.currentFen === null || slot.previousFen === 0n
          ? null
          : changePercent(slot.currentFen, slot.previousFen),
    })),
    previousTotal: formatMoneyCell(comparison.previousTotalFen),
    currentTotal: formatMoneyCell(comparison.currentTotalFen),
    growth: typeof growth === 'string' ? growth : null,
    previousRows: comparison.previousRows,
    currentRows: comparison.currentRows,
    contributors: comparison.contributors.map((entry) => ({
      creditCode: entry.creditCode,
      name: names.get(entry.creditCode) ?? entry.creditCode,
      previous: formatMoneyCell(entry.previousFen),
      current: formatMoneyCell(entry.currentFen),
      share:
        comparison.currentTotalFen === 0n ? '—' : sharePercent(entry.currentFen, comparison.currentTotalFen),
    })),
  };
}

function siteScaleSection(input: Input, rows: Rows<'site_scale'>, key: string): DrillSection {
  const { etown } = input.ledger;
  const { condition } = rows;
  const { facts } = input;
  const measured = facts.landAreaSource === 'boundary' && typeof facts.landAreaKm2 === 'string';
  return {
    kind: 'facts',
    key,
    title: 'e镇档案中的面积',
    items: [
      {
        label: '填报占地面积',
        value: etown.landAreaKm2 ? `${formatExact(etown.landAreaKm2)} 平方公里` : '未填报',
      },
      {
        label: '建设边界',
        value: etown.boundary
          ? `已绘制${measured ? `，按边界测算占地 ${facts.landAreaKm2} 平方公里（以此为准）` : ''}`
          : '未绘制',
      },
      {
        label: '建筑面积',
        value: etown.buildingAreaM2 ? `${formatGrouped(formatExact(etown.buildingAreaM2))} 平方米` : '未填报',
      },
      {
        label: '标准',
        value: `占地 ${condition.landAreaKm2.min}—${condition.landAreaKm2.max} 平方公里，或建筑面积不少于 ${formatGrouped(condition.minBuildingAreaM2)} 平方米`,
      },
    ],
  };
}

/**
 * The sections behind one indicator: one per condition, except that the total and the growth of one
 * monthly measure share a month-by-month table.
 */
export function drilldownSections(
  input: Input,
  definition: IndicatorDefinition,
  conditionRows: readonly ConditionRows[],
): DrillSection[] {
  const sections: DrillSection[] = [];
  const monthlyDone = new Set<string>();
  const growthFact = (measure: string) =>
    definition.conditions.find((condition) => condition.type === 'growth' && condition.measure === measure) as
      | { fact: string }
      | undefined;
  conditionRows.forEach((rows, index) => {
    const key = `c${index}`;
    const verdict = verdictOf(rows.status);
    switch (rows.type) {
      case 'count':
        sections.push(countSection(input, rows, key, verdict));
        return;
      case 'document':
        sections.push(documentSection(input, rows, key, verdict));
        return;
      case 'facility':
        sections.push(facilitySection(rows, key, verdict));
        return;
      case 'investment':
        sections.push(investmentSection(input, rows, key, verdict));
        return;
      case 'monthly': {
        const { measure } = rows.comparison;
        if (monthlyDone.has(measure)) return;
        monthlyDone.add(measure);
        const fact = growthFact(measure)?.fact;
        sections.push(monthlySection(input, rows.comparison, fact ? input.facts[fact] : undefined));
        return;
      }
      case 'site_scale':
        sections.push(siteScaleSection(input, rows, key));
        return;
      case 'not_in_ledger':
        sections.push({ kind: 'note', key, text: `${noRowsText}：${rows.condition.reason}` });
        return;
      case 'platform_count': {
        // Counted from the registry, not from ledger rows: the names counted are what stands behind it.
        const counted = rows.names && rows.names.length > 0 ? rows.names.join('、') : '无';
        const text = rows.names
          ? `${rows.condition.label}（平台市场主体库）：${counted}`
          : rows.condition.pendingReason;
        sections.push({ kind: 'note', key, text });
        return;
      }
    }
  });
  return sections.length > 0 ? sections : [{ kind: 'note', key: 'none', text: noRowsText }];
}

// ---- facts, in words ----

type FactLabel = { label: string; money?: boolean; format?: (value: FactValue) => string };

/** The names of the facts an indicator's conditions record, in Chinese, in catalog order. */
function factLabels(definition: IndicatorDefinition, input: Input): Map<string, FactLabel> {
  const { year, etown } = input.ledger;
  const compared = comparedMonthsOf(input.running);
  const labels = new Map<string, FactLabel>();
  const withYear = (text: string) =>
    (input.running ? text.replaceAll('截至{year}年底', `截至${input.running.asOf}`) : text)
      .replaceAll('{year}年', `${year}年${compared}`)
      .replaceAll('{year}', String(year));
  for (const condition of definition.conditions) {
    switch (condition.type) {
      case 'count': {
        const prefix = windowPrefix(condition.window, year, input.running);
        if (condition.itemsFact) labels.set(condition.itemsFact, { label: `${condition.label}清单` });
        labels.set(condition.fact, { label: `${prefix}${condition.label}（${condition.unit}）` });
        if (condition.requiredFact)
          labels.set(condition.requiredFact, { label: `要求（${condition.unit}）` });
        break;
      }
      case 'document':
        labels.set('documents', {
          label: `${year}年底前印发的文件`,
          format: (value) =>
            Array.isArray(value) && value.length > 0 ? value.map((title) => `《${title}》`).join('、') : '无',
        });
        break;
      case 'facility':
        if (condition.countFact) labels.set(condition.countFact, { label: `${condition.label}（处）` });
        if (condition.areaFact)
          labels.set(condition.areaFact, { label: `${condition.label}建筑面积（平方米）` });
        break;
      case 'amount':
        labels.set(condition.fact, {
          label: `${withYear(condition.label)}（元）`,
          money: true,
        });
        labels.set(condition.targetFact, {
          label: `${countyTierLabels[etown.countyTier]}标准（元）`,
          money: true,
        });
        if (input.running) labels.set('targetSharePct', { label: '已完成全年标准（%）' });
        break;
      case 'growth':
        labels.set(condition.previousFact, {
          label: `${year - 1}年${compared}${measureLabels[condition.measure]}（元）`,
          money: true,
        });
        labels.set(condition.fact, { label: `${withYear(condition.label)}（%）` });
        if (condition.minimum.kind === 'city_output_growth_plus')
          labels.set('cityOutputGrowthPct', { label: '所在市年总产值平均增长率（%）' });
        labels.set(condition.requiredFact, { label: '要求增长率（%）' });
        break;
      case 'site_scale':
        labels.set('landAreaKm2', { label: '占地面积（平方公里）' });
        labels.set('landAreaSource', {
          label: '占地面积口径',
          format: (value) =>
            value === 'boundary' ? '按建设边界测算' : value === 'declared' ? '填报值' : '未提供',
        });
        labels.set('declaredLandAreaKm2', { label: '填报占地面积（平方公里）' });
        labels.set('buildingAreaM2', { label: '建筑面积（平方米）' });
        labels.set('boundaryAreaCount', { label: '建设边界地块数（块）' });
        break;
      case 'not_in_ledger':
        break;
      case 'platform_count':
        labels.set(condition.fact, { label: `截至${year}年底${condition.label}（${condition.unit}）` });
        if (condition.itemsFact) labels.set(condition.itemsFact, { label: `${condition.label}清单` });
        break;
    }
  }
  return labels;
}

function formatFactValue(value: FactValue | undefined, money: boolean): string {
  if (value === null || value === undefined) return '未提供';
  if (typeof value === 'boolean') return yesNo(value);
  if (Array.isArray(value)) return value.length > 0 ? value.join('、') : '无';
  if (money && typeof value === 'string') return formatGrouped(value);
  return String(value);
}

/**
 * The engine's facts for one indicator as label / value pairs in Chinese. Facts the catalog does not name
 * are left out: their keys are for programs, and the indicator's lines already say them in words.
 */
export function describeFacts(
  input: Input,
  definition: IndicatorDefinition,
): { label: string; value: string }[] {
  return [...factLabels(definition, input)]
    .filter(([key]) => key in input.facts)
    .map(([key, label]) => ({
      label: label.label,
      value: label.format
        ? label.format(input.facts[key] ?? null)
        : formatFactValue(input.facts[key], label.money ?? false),
    }));
}

export type DrilldownInput = Input;
