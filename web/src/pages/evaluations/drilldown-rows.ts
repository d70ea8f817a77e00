import {
  type AmountCondition,
  type CatalogReference,
  type Condition,
  type CountableList,
  type CountCondition,
  type DocumentCondition,
  type FacilityCondition,
  findCatalog,
  type IndicatorDefinition,
  type SiteScaleCondition,
} from '../../../../src/indicators/catalog.ts';
import {
  compare,
  formatExact,
  formatFen,
  formatGrouped,
  formatYuan,
  parseDecimal,
  parseMoneyText,
} from '../../../../src/indicators/exact.ts';
import type { CountyTier, LedgerJson } from '../../api/types.ts';
import { tierLabels } from '../../labels.ts';
import {
  brandKindLabels,
  documentKindLabels,
  entityTagLabels,
  eventKindLabels,
  facilityFeatureLabels,
  facilityKindLabels,
  incidentCategoryLabels,
  labelOf,
  mediaChannelKindLabels,
  personRoleLabels,
} from './drilldown-labels.ts';

/**
 * Which ledger rows stand behind each figure of a scorecard. Read off the indicator catalog the
 * scorecard was computed with (each condition names its list, filter and date window), so the rows
 * shown are the rows the evaluation engine counted. Pure: ledger in, display-ready sections out.
 */

/** `GET /api/etowns/:code/ledger?year=` — the `ezhen-ledger/1` JSON (shared/ledger-format.md). */
export type { LedgerJson };

/** A table cell: text, tags, or a link. */
export type DrillCell = string | { tags: string[] } | { href: string; text: string };
export type DrillColumn = { key: string; title: string; align?: 'right' | 'center'; width?: number };
/** `excluded` says why a row that is listed for context does not count. */
export type DrillRow = { key: string; cells: Record<string, DrillCell>; excluded?: string };
/** Whether the rows of one condition meet it; absent where the scorecard's own verdict says it all. */
export type DrillVerdict = 'met' | 'unmet';

export type DrillTableSection = {
  kind: 'table';
  key: string;
  title: string;
  summary: string;
  verdict?: DrillVerdict;
  columns: DrillColumn[];
  rows: DrillRow[];
  emptyText: string;
  /** A closing row: its label and the cells under some columns. */
  total?: { label: string; cells: Record<string, string> };
};

export type MonthlyMeasure = 'output' | 'online_retail';

export type DrillMonthlySection = {
  kind: 'monthly';
  key: string;
  title: string;
  measure: MonthlyMeasure;
  year: number;
  previousYear: number;
  summary: string;
  /** Twelve rows; null where the ledger has no row for that month (change: where either is missing or 0). */
  months: { month: number; previous: string | null; current: string | null; change: string | null }[];
  previousTotal: string;
  currentTotal: string;
  /** The year's growth in percent as the scorecard computed it; null when it could not. */
  growth: string | null;
  previousRows: number;
  currentRows: number;
  /** The entities with rows in either year, the largest in `year` first. */
  contributors: { creditCode: string; name: string; previous: string; current: string; share: string }[];
};

export type DrillFactsSection = {
  kind: 'facts';
  key: string;
  title: string;
  items: { label: string; value: string }[];
};

export type DrillNoteSection = { kind: 'note'; key: string; text: string };

export type DrillSection = DrillTableSection | DrillMonthlySection | DrillFactsSection | DrillNoteSection;

export const noRowsText = '本项无明细行';

const measureLabels = { output: '总产值', online_retail: '网络零售额', investment: '总投资' } as const;
const yesNo = (value: boolean) => (value ? '是' : '否');

/** "12345.6" → "12,345.60": money with separators and always two decimals, for columns of figures. */
export function formatMoneyCell(fen: bigint): string {
  return formatGrouped(formatFen(fen));
}

function fenOf(text: string): bigint {
  // The server writes money as decimal strings with at most two decimals; anything else counts as 0.
  return parseMoneyText(text) ?? 0n;
}

/** The definition of indicator `no` in the catalog a scorecard names, if the web app knows it. */
export function findIndicator(catalog: CatalogReference, no: number): IndicatorDefinition | undefined {
  return findCatalog(catalog)?.indicators.find((indicator) => indicator.no === no);
}

// ---- lists: columns and cells ----

type ListTable = { columns: DrillColumn[]; cells: (item: never) => Record<string, DrillCell> };

const listTables: Record<Exclude<CountableList, 'leadingIndustries'>, ListTable> = {
  documents: {
    columns: [
      { key: 'title', title: '文件名称' },
      { key: 'kind', title: '文件类型', width: 150 },
      { key: 'docNo', title: '文号', width: 170 },
      { key: 'issuedOn', title: '印发日期', width: 110 },
    ],
    cells: (item: LedgerJson['documents'][number]) => ({
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
    cells: (item: LedgerJson['entities'][number]) => ({
      name: item.name,
      creditCode: item.creditCode,
      legalEntity: yesNo(item.legalEntity),
      registeredOn: item.registeredOn,
      tags: { tags: item.tags.map((tag) => labelOf(entityTagLabels, tag)) },
    }),
  },
  supplyChains: {
    columns: [{ key: 'name', title: '产业链供应链名称' }],
    cells: (item: LedgerJson['supplyChains'][number]) => ({ name: item.name }),
  },
  pavilions: {
    columns: [
      { key: 'platform', title: '电商平台', width: 140 },
      { key: 'name', title: '特色馆名称' },
    ],
    cells: (item: LedgerJson['pavilions'][number]) => ({
      platform: item.platform,
      name: item.url ? { href: item.url, text: item.name } : item.name,
    }),
  },
  brands: {
    columns: [
      { key: 'name', title: '品牌名称' },
      { key: 'kind', title: '品牌类型', width: 180 },
    ],
    cells: (item: LedgerJson['brands'][number]) => ({
      name: item.name,
      kind: labelOf(brandKindLabels, item.kind),
    }),
  },
  products: {
    columns: [
      { key: 'name', title: '产品名称' },
      { key: 'brand', title: '所属品牌', width: 180 },
      { key: 'online', title: '网货产品', width: 90, align: 'center' },
    ],
    cells: (item: LedgerJson['products'][number]) => ({
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
    cells: (item: LedgerJson['events'][number]) => ({
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
    cells: (item: LedgerJson['mediaChannels'][number]) => ({
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
    cells: (item: LedgerJson['trainings'][number]) => ({
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
    cells: (item: LedgerJson['people'][number]) => ({
      name: item.name,
      role: labelOf(personRoleLabels, item.role),
    }),
  },
  complianceIncidents: {
    columns: [
      { key: 'date', title: '日期', width: 110 },
      { key: 'category', title: '类别', width: 100 },
      { key: 'description', title: '情况说明' },
    ],
    cells: (item: LedgerJson['complianceIncidents'][number]) => ({
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

/** The date field that "in Y" / "by Y" looks at, as in the engine. */
const dateFields: Partial<Record<CountableList, string>> = {
  documents: 'issuedOn',
  entities: 'registeredOn',
  events: 'date',
  trainings: 'date',
  complianceIncidents: 'date',
};

function matches(item: unknown, where: Readonly<Record<string, string | boolean>>): boolean {
  const record = item as Record<string, unknown>;
  return Object.entries(where).every(([field, expected]) => {
    const value = record[field];
    return Array.isArray(value) ? value.includes(expected) : value === expected;
  });
}

function windowPrefix(window: CountCondition['window'], year: number): string {
  if (window === 'in_year') return `${year}年`;
  if (window === 'by_year') return `截至${year}年底`;
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

function countSection(ledger: LedgerJson, condition: CountCondition, key: string): DrillTableSection {
  const year = ledger.year;
  const prefix = windowPrefix(condition.window, year);
  const title = `${prefix}${condition.label}`;

  if (condition.list === 'leadingIndustries') {
    const names = [...new Set(ledger.etown.leadingIndustries.map((name) => name.trim()))].sort();
    return {
      kind: 'table',
      key,
      title,
      summary: `共 ${names.length} ${condition.unit}（${requirementText(condition)}）`,
      verdict: verdictOf(condition, names.length),
      columns: [{ key: 'name', title: '主导产业' }],
      rows: names.map((name) => ({ key: name, cells: { name } })),
      emptyText: emptyTexts.leadingIndustries,
    };
  }

  const table = listTables[condition.list];
  const dateField = dateFields[condition.list];
  const yearEnd = `${year}-12-31`;
  const items = (ledger[condition.list] as readonly Record<string, unknown>[]).filter((item) => {
    if (condition.where && !matches(item, condition.where)) return false;
    if (!condition.window || !dateField) return true;
    const date = String(item[dateField]);
    return condition.window === 'in_year' ? date.startsWith(`${year}-`) : date <= yearEnd;
  });
  const value = condition.sumOf
    ? items.reduce((sum, item) => sum + Number(item[condition.sumOf as string] ?? 0), 0)
    : items.length;
  const requirement = requirementText(condition);
  return {
    kind: 'table',
    key,
    title,
    summary: `${condition.sumOf ? '合计' : '共'} ${value} ${condition.unit}${requirement ? `（${requirement}）` : ''}`,
    verdict: verdictOf(condition, value),
    columns: table.columns,
    rows: items.map((item, index) => ({
      key: String(index),
      cells: table.cells(item as never),
    })),
    emptyText: emptyTexts[condition.list],
    total: condition.sumOf
      ? { label: `合计（${condition.unit}）`, cells: { [condition.sumOf]: String(value) } }
      : undefined,
  };
}

function verdictOf(condition: CountCondition, value: number): DrillVerdict {
  if (condition.min !== undefined && value < condition.min) return 'unmet';
  if (condition.max !== undefined && value > condition.max) return 'unmet';
  return 'met';
}

function documentSection(ledger: LedgerJson, condition: DocumentCondition, key: string): DrillTableSection {
  const yearEnd = `${ledger.year}-12-31`;
  const ofKind = ledger.documents.filter((document) => document.kind === condition.kind);
  const issued = ofKind.filter((document) => document.issuedOn <= yearEnd);
  return {
    kind: 'table',
    key,
    title: condition.label,
    summary: `${ledger.year}年底前印发 ${issued.length} 件（要求至少 1 件）`,
    verdict: issued.length > 0 ? 'met' : 'unmet',
    columns: listTables.documents.columns.filter((column) => column.key !== 'kind'),
    rows: ofKind.map((document, index) => ({
      key: String(index),
      cells: listTables.documents.cells(document as never),
      excluded: document.issuedOn > yearEnd ? `晚于${ledger.year}年底印发，不计入` : undefined,
    })),
    emptyText: `台账中没有${documentKindLabels[condition.kind]}类文件`,
  };
}

function facilitySection(ledger: LedgerJson, condition: FacilityCondition, key: string): DrillTableSection {
  const minimum = condition.minAreaM2 === undefined ? null : parseDecimal(condition.minAreaM2);
  const maximum = condition.maxAreaM2 === undefined ? null : parseDecimal(condition.maxAreaM2);
  const ofKind = ledger.facilities.filter((facility) => facility.kind === condition.kind);
  const checked = ofKind.map((facility) => {
    const area = parseDecimal(facility.buildingAreaM2);
    const failures: string[] = [];
    if (area && minimum && compare(area, minimum) < 0)
      failures.push(`面积少于 ${condition.minAreaM2} 平方米`);
    if (area && maximum && compare(area, maximum) > 0)
      failures.push(`面积多于 ${condition.maxAreaM2} 平方米`);
    const lacking = condition.features.filter((feature) => !facility.features.includes(feature));
    if (lacking.length > 0)
      failures.push(`缺少${lacking.map((feature) => facilityFeatureLabels[feature]).join('、')}`);
    return { facility, area, failures };
  });
  const qualifying = checked.filter((entry) => entry.failures.length === 0).length;
  const requirement = [
    condition.minAreaM2 && condition.maxAreaM2
      ? `建筑面积 ${condition.minAreaM2}—${condition.maxAreaM2} 平方米`
      : condition.minAreaM2
        ? `建筑面积不少于 ${condition.minAreaM2} 平方米`
        : null,
    condition.features.length > 0
      ? `设有${condition.features.map((feature) => facilityFeatureLabels[feature]).join('、')}`
      : null,
  ]
    .filter(Boolean)
    .join('，');
  return {
    kind: 'table',
    key,
    title: facilityKindLabels[condition.kind],
    summary: `共 ${ofKind.length} 处，${qualifying} 处符合标准${requirement ? `（要求${requirement}）` : ''}`,
    verdict: qualifying > 0 ? 'met' : 'unmet',
    columns: [
      { key: 'name', title: '设施名称' },
      { key: 'area', title: '建筑面积（平方米）', width: 140, align: 'right' },
      { key: 'features', title: '功能', width: 230 },
      { key: 'check', title: '核对', width: 150 },
    ],
    rows: checked.map((entry, index) => ({
      key: String(index),
      cells: {
        name: entry.facility.name,
        area: entry.area ? formatGrouped(formatExact(entry.area)) : entry.facility.buildingAreaM2,
        features: { tags: entry.facility.features.map((feature) => labelOf(facilityFeatureLabels, feature)) },
        check: entry.failures.length === 0 ? '符合标准' : entry.failures.join('；'),
      },
    })),
    emptyText: `台账中没有${facilityKindLabels[condition.kind]}`,
  };
}

function investmentSection(ledger: LedgerJson, condition: AmountCondition, key: string): DrillTableSection {
  const yearEnd = `${ledger.year}-12-31`;
  const tier = ledger.etown.countyTier;
  const threshold = fenOf(condition.thresholdYuan[tier]);
  const sorted = [...ledger.investments].sort((a, b) => a.date.localeCompare(b.date));
  const total = sorted
    .filter((investment) => investment.date <= yearEnd)
    .reduce((sum, investment) => sum + fenOf(investment.amountYuan), 0n);
  return {
    kind: 'table',
    key,
    title: `截至${ledger.year}年底的投资项目`,
    summary: `累计 ${formatYuan(total)} 元（${tierLabels[tier] ?? tier}标准 ${formatYuan(threshold)} 元）`,
    verdict: total >= threshold ? 'met' : 'unmet',
    columns: [
      { key: 'project', title: '项目名称' },
      { key: 'date', title: '投资日期', width: 110 },
      { key: 'amount', title: '金额（元）', width: 170, align: 'right' },
    ],
    rows: sorted.map((investment, index) => ({
      key: String(index),
      cells: {
        project: investment.project,
        date: investment.date,
        amount: formatMoneyCell(fenOf(investment.amountYuan)),
      },
      excluded: investment.date > yearEnd ? `晚于${ledger.year}年底，不计入` : undefined,
    })),
    emptyText: '台账中没有投资项目',
    total: { label: `截至${ledger.year}年底合计`, cells: { amount: formatMoneyCell(total) } },
  };
}

/** Month by month for Y−1 and Y, summed exactly in fen, with the entities the figures come from. */
export function monthlySection(
  ledger: LedgerJson,
  measure: MonthlyMeasure,
  facts: Record<string, unknown>,
  growthFact: string | undefined,
): DrillMonthlySection {
  const year = ledger.year;
  const previousYear = year - 1;
  const field = measure === 'output' ? 'outputYuan' : 'onlineRetailYuan';
  const months = Array.from({ length: 12 }, () => ({
    previous: null as bigint | null,
    current: null as bigint | null,
  }));
  const byEntity = new Map<string, { previous: bigint; current: bigint }>();
  let previousTotal = 0n;
  let currentTotal = 0n;
  let previousRows = 0;
  let currentRows = 0;
  for (const row of ledger.monthlyStats) {
    const rowYear = Number(row.month.slice(0, 4));
    if (rowYear !== year && rowYear !== previousYear) continue;
    const slot = months[Number(row.month.slice(5, 7)) - 1];
    if (!slot) continue;
    const fen = fenOf(row[field]);
    const entity = byEntity.get(row.creditCode) ?? { previous: 0n, current: 0n };
    if (rowYear === year) {
      slot.current = (slot.current ?? 0n) + fen;
      entity.current += fen;
      currentTotal += fen;
      currentRows += 1;
    } else {
      slot.previous = (slot.previous ?? 0n) + fen;
      entity.previous += fen;
      previousTotal += fen;
      previousRows += 1;
    }
    byEntity.set(row.creditCode, entity);
  }
  const names = new Map(ledger.entities.map((entity) => [entity.creditCode, entity.name]));
  const contributors = [...byEntity]
    .map(([creditCode, sums]) => ({ creditCode, name: names.get(creditCode) ?? creditCode, ...sums }))
    .sort((a, b) =>
      a.current !== b.current
        ? a.current > b.current
          ? -1
          : 1
        : a.previous !== b.previous
          ? a.previous > b.previous
            ? -1
            : 1
          : a.name.localeCompare(b.name, 'zh-CN'),
    );
  const label = measureLabels[measure];
  const growth = growthFact ? facts[growthFact] : undefined;
  const summaryParts = [
    `${year}年${label} ${formatYuan(currentTotal)} 元（${currentRows} 行月度统计）`,
    `${previousYear}年 ${formatYuan(previousTotal)} 元（${previousRows} 行）`,
  ];
  if (typeof growth === 'string') summaryParts.push(`同比增长 ${growth}%`);
  return {
    kind: 'monthly',
    key: `monthly-${measure}`,
    title: `月度${label}（${previousYear}—${year}年）`,
    measure,
    year,
    previousYear,
    summary: summaryParts.join('；'),
    months: months.map((slot, index) => ({
      month: index + 1,
      previous: slot.previous === null ? null : formatMoneyCell(slot.previous),
      current: slot.current === null ? null : formatMoneyCell(slot.current),
      change:
        slot.previous === null || slot.current === null || slot.previous === 0n
          ? null
          : changePercent(slot.current, slot.previous),
    })),
    previousTotal: formatMoneyCell(previousTotal),
    currentTotal: formatMoneyCell(currentTotal),
    growth: typeof growth === 'string' ? growth : null,
    previousRows,
    currentRows,
    contributors: contributors.map((entry) => ({
      creditCode: entry.creditCode,
      name: entry.name,
      previous: formatMoneyCell(entry.previous),
      current: formatMoneyCell(entry.current),
      share: currentTotal === 0n ? '—' : sharePercent(entry.current, currentTotal),
    })),
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

function siteScaleSection(
  ledger: LedgerJson,
  condition: SiteScaleCondition,
  facts: Record<string, unknown>,
  key: string,
): DrillFactsSection {
  const { etown } = ledger;
  const measured = facts.landAreaSource === 'boundary' && typeof facts.landAreaKm2 === 'string';
  return {
    kind: 'facts',
    key,
    title: 'e镇档案中的面积',
    items: [
      { label: '填报占地面积', value: etown.landAreaKm2 ? `${etown.landAreaKm2} 平方公里` : '未填报' },
      {
        label: '建设边界',
        value: etown.boundary
          ? `已绘制${measured ? `，按边界测算占地 ${facts.landAreaKm2} 平方公里（以此为准）` : ''}`
          : '未绘制',
      },
      {
        label: '建筑面积',
        value: etown.buildingAreaM2 ? `${formatGrouped(etown.buildingAreaM2)} 平方米` : '未填报',
      },
      {
        label: '标准',
        value: `占地 ${condition.landAreaKm2.min}—${condition.landAreaKm2.max} 平方公里，或建筑面积不少于 ${formatGrouped(condition.minBuildingAreaM2)} 平方米`,
      },
    ],
  };
}

/**
 * The sections of ledger rows behind one indicator: one per condition, except that the total and the
 * growth of one monthly measure share a month-by-month table.
 */
export function drilldownSections(
  ledger: LedgerJson,
  catalog: CatalogReference,
  no: number,
  facts: Record<string, unknown>,
): DrillSection[] {
  const indicator = findIndicator(catalog, no);
  if (!indicator) return [{ kind: 'note', key: 'unknown', text: noRowsText }];
  const sections: DrillSection[] = [];
  const monthlyDone = new Set<MonthlyMeasure>();
  const growthFactOf = (measure: MonthlyMeasure) =>
    indicator.conditions.find(
      (condition): condition is Extract<Condition, { type: 'growth' }> =>
        condition.type === 'growth' && condition.measure === measure,
    )?.fact;
  indicator.conditions.forEach((condition, index) => {
    const key = `c${index}`;
    switch (condition.type) {
      case 'count':
        sections.push(countSection(ledger, condition, key));
        return;
      case 'document':
        sections.push(documentSection(ledger, condition, key));
        return;
      case 'facility':
        sections.push(facilitySection(ledger, condition, key));
        return;
      case 'amount':
      case 'growth':
        if (condition.measure === 'investment') {
          sections.push(investmentSection(ledger, condition as AmountCondition, key));
        } else if (!monthlyDone.has(condition.measure)) {
          monthlyDone.add(condition.measure);
          sections.push(monthlySection(ledger, condition.measure, facts, growthFactOf(condition.measure)));
        }
        return;
      case 'site_scale':
        sections.push(siteScaleSection(ledger, condition, facts, key));
        return;
      case 'not_in_ledger':
        sections.push({ kind: 'note', key, text: `${noRowsText}：${condition.reason}` });
        return;
      case 'platform_count': {
        // Counted from the registry, not from ledger rows: the names counted are the facts.
        const names = facts[condition.itemsFact ?? ''];
        const counted = Array.isArray(names) && names.length > 0 ? names.join('、') : '无';
        sections.push({ kind: 'note', key, text: `${condition.label}（平台市场主体库）：${counted}` });
        return;
      }
    }
  });
  return sections.length > 0 ? sections : [{ kind: 'note', key: 'none', text: noRowsText }];
}

// ---- facts, in words ----

type FactLabel = { label: string; money?: boolean; format?: (value: unknown) => string };

/** The names of the facts an indicator's conditions record, in Chinese, in catalog order. */
function factLabels(indicator: IndicatorDefinition, year: number, tier: CountyTier): Map<string, FactLabel> {
  const labels = new Map<string, FactLabel>();
  const withYear = (text: string) => text.replaceAll('{year}', String(year));
  for (const condition of indicator.conditions) {
    switch (condition.type) {
      case 'count': {
        const prefix = windowPrefix(condition.window, year);
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
        labels.set(condition.fact, { label: `${withYear(condition.label)}（元）`, money: true });
        labels.set(condition.targetFact, { label: `${tierLabels[tier] ?? ''}标准（元）`, money: true });
        break;
      case 'growth':
        labels.set(condition.previousFact, {
          label: `${year - 1}年${measureLabels[condition.measure]}（元）`,
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

function formatFactValue(value: unknown, money: boolean): string {
  if (value === null || value === undefined) return '未提供';
  if (typeof value === 'boolean') return yesNo(value);
  if (Array.isArray(value)) return value.length > 0 ? value.join('、') : '无';
  if (money && typeof value === 'string') return formatGrouped(value);
  return String(value);
}

/**
 * The scorecard's facts for one indicator as label / value pairs in Chinese. Facts the catalog does not
 * name are left out: their keys are for programs, and `values` and `reasons` already say them in words.
 */
export function describeFacts(
  catalog: CatalogReference,
  no: number,
  year: number,
  tier: CountyTier,
  facts: Record<string, unknown>,
): { label: string; value: string }[] {
  const indicator = findIndicator(catalog, no);
  if (!indicator) return [];
  return [...factLabels(indicator, year, tier)]
    .filter(([key]) => key in facts)
    .map(([key, label]) => ({
      label: label.label,
      value: label.format ? label.format(facts[key]) : formatFactValue(facts[key], label.money ?? false),
    }));
}
