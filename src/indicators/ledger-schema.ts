import { z } from 'zod';
import {
  CREDIT_CODE_ALPHABET,
  creditCodeCheckCharacter,
  creditCodeDivisionProblem,
} from '../lib/credit-code.ts';
import { parseDecimal, parseMoneyText, type Rational } from './exact.ts';

/**
 * The public `ezhen-ledger/1` contract (../shared/ledger-format.md): everything an evaluator needs to
 * judge one e-town for one year. Parsing turns the JSON value into exact values (money in fen, areas
 * and percentages as rationals) and reports every problem at the path of its own field.
 */

export const LEDGER_FORMAT = 'ezhen-ledger/1';

// ---- vocabulary (codes in the file, Chinese for people) ----

export const countyTierLabels = {
  pilot_demo: '先行示范县',
  overall_advance: '整体推进县',
  key_support: '重点帮扶县',
} as const;
export type CountyTier = keyof typeof countyTierLabels;

export const documentKindLabels = {
  plan: '实施方案和发展规划',
  reward_policy: '电商企业奖励办法',
  brand_management: '区域公用品牌运行和管理制度',
  streamlining_policy: '“放管服”专门政策',
  leading_group: '工作领导小组文件',
  fund_management: '资金管理办法',
} as const;
export type DocumentKind = keyof typeof documentKindLabels;

export const entityTagLabels = {
  ecommerce: '电子商务企业',
  leading: '龙头企业',
  cross_border: '跨境电商企业',
  finance_outlet: '金融服务网点',
  telecom_outlet: '通讯服务网点',
  rnd: '电商研发机构',
} as const;
export type EntityTag = keyof typeof entityTagLabels;

export const facilityKindLabels = {
  service_center: '电商公共服务中心',
  showroom: '电商产品展示体验中心',
  logistics_center: '物流配送中心',
  training_center: '电商产业培训孵化中心',
} as const;
export type FacilityKind = keyof typeof facilityKindLabels;

export const facilityFeatureLabels = {
  big_data_center: '大数据中心',
  live_room: '直播间',
  display: '产品陈列展示',
  tasting: '体验品鉴',
  sales_matching: '销售对接',
  sorting: '分拣',
  cold_storage: '冷链仓储',
  dispatch: '配送调度',
  office: '办公',
} as const;
export type FacilityFeature = keyof typeof facilityFeatureLabels;

export const brandKindLabels = { regional_public: '区域公用品牌', own: '“小而美”自主品牌' } as const;
export const eventKindLabels = { expo: '展会', competition: '大赛', publicity: '宣传活动' } as const;
export const mediaChannelKindLabels = { new_media: '新媒体', traditional: '传统媒体' } as const;
export const personRoleLabels = {
  expert: '电商专家',
  business_leader: '商业带头人',
  influencer: '本地网红',
} as const;
export const incidentCategoryLabels = {
  land: '用地',
  environment: '生态环保',
  debt: '债务防控',
  housing_speculation: '房住不炒',
  work_safety: '生产安全',
} as const;

// ---- problems ----

/** One thing wrong with a ledger: where (`monthlyStats[3].month`), what (Chinese), and a stable code. */
export type LedgerProblem = { path: string; message: string; code: string };

export type LedgerParseResult =
  | { ok: true; ledger: Ledger; warnings: LedgerProblem[] }
  | { ok: false; problems: LedgerProblem[]; warnings: LedgerProblem[] };

/** A custom issue carries its stable code in params; zod's own issues are translated below. */
type IssueContext = { addIssue: (issue: z.core.$ZodRawIssue) => void };
const fail = (context: IssueContext, code: string, message: string): never => {
  context.addIssue({ code: 'custom', message, params: { code }, input: undefined });
  return z.NEVER;
};
const missing = (context: IssueContext) => fail(context, 'missing_field', '缺少必填字段');

// ---- scalars ----

function describeValue(value: unknown): string {
  if (value === undefined) return '（缺失）';
  const printed = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
  return printed.length > 60 ? `${printed.slice(0, 57)}…` : printed;
}

/** A required non-empty string. */
const text = z.unknown().transform((value, context): string => {
  if (value === undefined) return missing(context);
  if (typeof value !== 'string')
    return fail(context, 'invalid_type', `须为文本，实际为 ${describeValue(value)}`);
  if (value.trim() === '') return fail(context, 'empty_text', '不能为空');
  return value;
});

/** May be absent or null (both give null). */
const optionalText = z
  .unknown()
  .optional()
  .transform((value, context): string | null => {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string')
      return fail(context, 'invalid_type', `须为文本或 null，实际为 ${describeValue(value)}`);
    return value;
  });

const flag = z.unknown().transform((value, context): boolean => {
  if (value === undefined) return missing(context);
  if (typeof value !== 'boolean')
    return fail(context, 'invalid_type', `须为 true 或 false，实际为 ${describeValue(value)}`);
  return value;
});

const count = z.unknown().transform((value, context): number => {
  if (value === undefined) return missing(context);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    return fail(context, 'invalid_integer', `须为非负整数，实际为 ${describeValue(value)}`);
  }
  return value;
});

const MAX_EXACT_FEN = BigInt(Number.MAX_SAFE_INTEGER);

/** Money: "1234.5" or 1234.5, at most two decimals, never negative → integer fen. */
const money = z.unknown().transform((value, context): bigint => {
  if (value === undefined) return missing(context);
  const expected = '须为金额（元）：不带符号、千分位和指数的十进制数，最多两位小数';
  if (typeof value === 'string') {
    const fen = parseMoneyText(value);
    return fen ?? fail(context, 'invalid_money', `${expected}，实际为 ${describeValue(value)}`);
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    // JavaScript prints a JSON number as its shortest exact decimal, so "12.3" stays 12.3.
    const fen = value >= 0 ? parseMoneyText(String(value)) : null;
    if (fen === null) return fail(context, 'invalid_money', `${expected}，实际为 ${value}`);
    if (fen > MAX_EXACT_FEN) {
      return fail(
        context,
        'invalid_money',
        `数字 ${value} 超出可精确表示的范围，请写成字符串，如 "${value}"`,
      );
    }
    return fen;
  }
  return fail(context, 'invalid_money', `${expected}，实际为 ${describeValue(value)}`);
});

const UNSIGNED_DECIMAL = /^\d+(\.\d+)?$/;
const SIGNED_DECIMAL = /^-?\d+(\.\d+)?$/;

function decimalSchema(options: { negativeAllowed: boolean; optional: boolean; what: string; code: string }) {
  const pattern = options.negativeAllowed ? SIGNED_DECIMAL : UNSIGNED_DECIMAL;
  const expected = `须为${options.what}：${options.negativeAllowed ? '' : '非负'}十进制数（字符串或数字）`;
  // `.optional()` first: zod refuses an absent key unless the schema says it may be absent.
  return z
    .unknown()
    .optional()
    .transform((value, context): Rational | null => {
      if (value === undefined && !options.optional) return missing(context);
      if (value === undefined || (value === null && options.optional)) return null;
      let parsed: Rational | null = null;
      if (typeof value === 'string' && pattern.test(value)) parsed = parseDecimal(value);
      if (typeof value === 'number' && Number.isFinite(value) && (options.negativeAllowed || value >= 0)) {
        parsed = parseDecimal(String(value));
      }
      return parsed ?? fail(context, options.code, `${expected}，实际为 ${describeValue(value)}`);
    });
}

const optionalArea = (what: string) =>
  decimalSchema({ negativeAllowed: false, optional: true, what, code: 'invalid_area' });
const requiredArea = (what: string) =>
  decimalSchema({ negativeAllowed: false, optional: false, what, code: 'invalid_area' }).transform(
    (value) => value as Rational,
  );

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const daysInMonth = (year: number, month: number) =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/** A real calendar date, YYYY-MM-DD. */
const date = z.unknown().transform((value, context): string => {
  if (value === undefined) return missing(context);
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (match) {
    const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
    if (year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)) {
      return value as string;
    }
  }
  return fail(context, 'invalid_date', `须为真实存在的日期 YYYY-MM-DD，实际为 ${describeValue(value)}`);
});

/** A real month, YYYY-MM. */
const month = z.unknown().transform((value, context): string => {
  if (value === undefined) return missing(context);
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})$/.exec(value) : null;
  if (match && Number(match[1]) >= 1 && Number(match[2]) >= 1 && Number(match[2]) <= 12)
    return value as string;
  return fail(context, 'invalid_month', `须为真实存在的月份 YYYY-MM，实际为 ${describeValue(value)}`);
});

const CREDIT_CODE = new RegExp(`^[${CREDIT_CODE_ALPHABET}]{18}$`);

/** 18 characters of the 统一社会信用代码 alphabet; the check character is only warned about (below). */
const creditCode = z.unknown().transform((value, context): string => {
  if (value === undefined) return missing(context);
  if (typeof value === 'string' && CREDIT_CODE.test(value)) return value;
  return fail(
    context,
    'invalid_credit_code',
    `须为18位统一社会信用代码（数字和除 I、O、Z、S、V 以外的大写字母），实际为 ${describeValue(value)}`,
  );
});

const oneOf = <const T extends Record<string, string>>(labels: T) =>
  z.enum(Object.keys(labels) as [keyof T & string, ...(keyof T & string)[]]);

const list = <T extends z.ZodType>(item: T) => z.array(item).default([]);

// ---- boundary (GeoJSON Polygon / MultiPolygon, WGS84) ----

type Position = [number, number] | [number, number, number];
export type Boundary =
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

type PathIssue = (path: (string | number)[], code: string, message: string) => void;

function checkPosition(value: unknown, path: (string | number)[], report: PathIssue): value is Position {
  const ok =
    Array.isArray(value) &&
    (value.length === 2 || value.length === 3) &&
    value.every((n) => typeof n === 'number' && Number.isFinite(n));
  if (!ok) {
    report(path, 'invalid_boundary', '须为坐标 [经度, 纬度]');
    return false;
  }
  const [longitude, latitude] = value as number[] as [number, number];
  if (longitude < -180 || longitude > 180 || latitude < -90 || latitude > 90) {
    report(
      path,
      'invalid_boundary',
      `坐标 [${longitude}, ${latitude}] 超出经度 −180…180、纬度 −90…90 的范围`,
    );
    return false;
  }
  return true;
}

function checkPolygon(value: unknown, path: (string | number)[], report: PathIssue): boolean {
  if (!Array.isArray(value) || value.length === 0) {
    report(path, 'invalid_boundary', '须为由线环组成的非空列表（第一个为外环，其余为洞）');
    return false;
  }
  let ok = true;
  value.forEach((ring, ringIndex) => {
    const ringPath = [...path, ringIndex];
    if (!Array.isArray(ring) || ring.length < 4) {
      report(ringPath, 'invalid_boundary', '线环须至少有 4 个坐标（首尾相同）');
      ok = false;
      return;
    }
    const positionsOk = ring.map((position, index) => checkPosition(position, [...ringPath, index], report));
    if (!positionsOk.every(Boolean)) {
      ok = false;
      return;
    }
    const first = ring[0] as number[];
    const last = ring[ring.length - 1] as number[];
    if (first[0] !== last[0] || first[1] !== last[1]) {
      report(ringPath, 'invalid_boundary', '线环须闭合：最后一个坐标须与第一个相同');
      ok = false;
    }
  });
  return ok;
}

const boundary = z
  .unknown()
  .optional()
  .transform((value, context): Boundary | null => {
    if (value === undefined || value === null) return null;
    const report: PathIssue = (path, code, message) =>
      context.addIssue({ code: 'custom', path, message, params: { code }, input: undefined });
    if (typeof value !== 'object' || Array.isArray(value)) {
      return fail(context, 'invalid_boundary', '须为 GeoJSON Polygon 或 MultiPolygon 几何对象，或 null');
    }
    const geometry = value as Record<string, unknown>;
    for (const key of Object.keys(geometry)) {
      if (!['type', 'coordinates', 'bbox'].includes(key)) report([key], 'unknown_field', '未知字段');
    }
    if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') {
      report(
        ['type'],
        'invalid_boundary',
        `须为 "Polygon" 或 "MultiPolygon"，实际为 ${describeValue(geometry.type)}`,
      );
      return z.NEVER;
    }
    if (
      geometry.bbox !== undefined &&
      !(Array.isArray(geometry.bbox) && geometry.bbox.every(Number.isFinite))
    ) {
      report(['bbox'], 'invalid_boundary', '须为数字列表');
    }
    const coordinates = geometry.coordinates;
    if (geometry.type === 'Polygon') {
      if (!checkPolygon(coordinates, ['coordinates'], report)) return z.NEVER;
    } else if (!Array.isArray(coordinates) || coordinates.length === 0) {
      report(['coordinates'], 'invalid_boundary', '须为由多边形组成的非空列表');
      return z.NEVER;
    } else {
      const results = coordinates.map((polygon, index) =>
        checkPolygon(polygon, ['coordinates', index], report),
      );
      if (!results.every(Boolean)) return z.NEVER;
    }
    return { type: geometry.type, coordinates } as Boundary;
  });

// ---- the ledger ----

const etownSchema = z.strictObject({
  code: z.unknown().transform((value, context): string => {
    if (value === undefined) return missing(context);
    if (typeof value === 'string' && /^\d{6}-E\d{2}$/.test(value)) return value;
    return fail(
      context,
      'invalid_etown_code',
      `须为 县级区划代码-E两位数字，如 140827-E01，实际为 ${describeValue(value)}`,
    );
  }),
  name: text,
  countyCode: z.unknown().transform((value, context): string => {
    if (value === undefined) return missing(context);
    if (typeof value === 'string' && /^\d{6}$/.test(value)) return value;
    return fail(
      context,
      'invalid_county_code',
      `须为6位县级区划代码（GB/T 2260），实际为 ${describeValue(value)}`,
    );
  }),
  countyTier: oneOf(countyTierLabels),
  landAreaKm2: optionalArea('占地面积（平方公里）'),
  buildingAreaM2: optionalArea('建筑面积（平方米）'),
  boundary,
  leadingIndustries: z.array(text),
  cityOutputGrowthPct: decimalSchema({
    negativeAllowed: true,
    optional: true,
    what: '所在市年总产值平均增长率（百分数）',
    code: 'invalid_percentage',
  }),
});

export const ledgerSchema = z.strictObject({
  format: z.literal(LEDGER_FORMAT),
  year: z.unknown().transform((value, context): number => {
    if (value === undefined) return missing(context);
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1000 && value <= 9999) return value;
    return fail(context, 'invalid_year', `须为四位整数年份，实际为 ${describeValue(value)}`);
  }),
  etown: etownSchema,
  documents: list(
    z.strictObject({ kind: oneOf(documentKindLabels), title: text, docNo: optionalText, issuedOn: date }),
  ),
  entities: list(
    z.strictObject({
      creditCode,
      name: text,
      legalEntity: flag,
      registeredOn: date,
      tags: z.array(oneOf(entityTagLabels)),
    }),
  ),
  monthlyStats: list(
    z.strictObject({ creditCode, month, outputYuan: money, onlineRetailYuan: money }).transform((row) => ({
      creditCode: row.creditCode,
      month: row.month,
      outputFen: row.outputYuan,
      onlineRetailFen: row.onlineRetailYuan,
    })),
  ),
  investments: list(
    z
      .strictObject({ project: text, amountYuan: money, date })
      .transform((row) => ({ project: row.project, amountFen: row.amountYuan, date: row.date })),
  ),
  facilities: list(
    z.strictObject({
      kind: oneOf(facilityKindLabels),
      name: text,
      buildingAreaM2: requiredArea('建筑面积（平方米）'),
      features: z.array(oneOf(facilityFeatureLabels)),
    }),
  ),
  supplyChains: list(z.strictObject({ name: text })),
  pavilions: list(z.strictObject({ platform: text, name: text, url: optionalText })),
  brands: list(z.strictObject({ name: text, kind: oneOf(brandKindLabels) })),
  products: list(z.strictObject({ name: text, brand: text, online: flag })),
  events: list(z.strictObject({ kind: oneOf(eventKindLabels), date, title: text })),
  mediaChannels: list(z.strictObject({ kind: oneOf(mediaChannelKindLabels), name: text })),
  trainings: list(z.strictObject({ date, title: text, crossBorder: flag, attendance: count })),
  people: list(z.strictObject({ role: oneOf(personRoleLabels), name: text })),
  complianceIncidents: list(
    z.strictObject({ date, category: oneOf(incidentCategoryLabels), description: optionalText }),
  ),
});

/** A validated ledger: money in fen (`outputFen`, `amountFen`), areas and percentages as rationals. */
export type Ledger = z.output<typeof ledgerSchema>;

// ---- parsing ----

/** ['monthlyStats', 3, 'month'] → "monthlyStats[3].month". */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

const typeNames: Record<string, string> = {
  object: '对象 {…}',
  array: '列表 […]',
  string: '文本',
  number: '数字',
  boolean: 'true 或 false',
};

function toProblems(issue: z.core.$ZodIssue): LedgerProblem[] {
  const path = formatPath(issue.path);
  if (issue.code === 'custom') {
    return [
      { path, message: issue.message, code: (issue.params?.code as string | undefined) ?? 'invalid_value' },
    ];
  }
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: formatPath([...issue.path, key]),
      message: '未知字段（ezhen-ledger/1 中没有这个字段）',
      code: 'unknown_field',
    }));
  }
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined) {
    return [{ path, message: '缺少必填字段', code: 'missing_field' }];
  }
  if (issue.code === 'invalid_type') {
    const expected = typeNames[issue.expected] ?? issue.expected;
    return [{ path, message: `须为${expected}，实际为 ${describeValue(issue.input)}`, code: 'invalid_type' }];
  }
  if (issue.code === 'invalid_value') {
    const allowed = issue.values.map((value) => String(value)).join('、');
    return [
      {
        path,
        message: `须为以下之一：${allowed}，实际为 ${describeValue(issue.input)}`,
        code: path === 'format' ? 'unsupported_format' : 'invalid_value',
      },
    ];
  }
  return [{ path, message: `值不符合要求（${issue.message}）`, code: issue.code }];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const rows = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * Rules that span fields. They read the raw value defensively, so they are reported together with the
 * field problems instead of only after those are fixed.
 */
function crossFieldProblems(input: Record<string, unknown>): LedgerProblem[] {
  const problems: LedgerProblem[] = [];
  const etown = input.etown;
  if (isRecord(etown) && typeof etown.code === 'string' && typeof etown.countyCode === 'string') {
    if (/^\d{6}-E\d{2}$/.test(etown.code) && /^\d{6}$/.test(etown.countyCode)) {
      if (!etown.code.startsWith(etown.countyCode)) {
        problems.push({
          path: 'etown.code',
          message: `e镇代码须以所在县代码 ${etown.countyCode} 开头，实际为 "${etown.code}"`,
          code: 'etown_code_county_mismatch',
        });
      }
    }
  }
  const known = new Set(
    rows(input.entities).flatMap((entity) =>
      isRecord(entity) && typeof entity.creditCode === 'string' ? [entity.creditCode] : [],
    ),
  );
  const firstRow = new Map<string, number>();
  rows(input.monthlyStats).forEach((row, index) => {
    if (!isRecord(row) || typeof row.creditCode !== 'string' || !CREDIT_CODE.test(row.creditCode)) return;
    if (!known.has(row.creditCode)) {
      problems.push({
        path: `monthlyStats[${index}].creditCode`,
        message: `市场主体 ${row.creditCode} 不在 entities 中`,
        code: 'unknown_entity',
      });
    }
    if (typeof row.month !== 'string' || !/^\d{4}-\d{2}$/.test(row.month)) return;
    const key = `${row.creditCode} ${row.month}`;
    const first = firstRow.get(key);
    if (first === undefined) firstRow.set(key, index);
    else {
      problems.push({
        path: `monthlyStats[${index}]`,
        message: `市场主体 ${row.creditCode} 在 ${row.month} 已有一行（monthlyStats[${first}]），每个主体每月只能有一行`,
        code: 'duplicate_monthly_row',
      });
    }
  });
  return problems;
}

/**
 * A wrong check character (or division code) is likely a typo, but the contract accepts any code of the
 * alphabet: warn, do not reject.
 */
function creditCodeWarnings(input: Record<string, unknown>): LedgerProblem[] {
  return rows(input.entities).flatMap((entity, index) => {
    if (!isRecord(entity) || typeof entity.creditCode !== 'string' || !CREDIT_CODE.test(entity.creditCode)) {
      return [];
    }
    const path = `entities[${index}].creditCode`;
    const division = creditCodeDivisionProblem(entity.creditCode);
    const divisionWarning = division
      ? [{ path, message: `${division}，请核对（仅提示，不影响评价）`, code: 'credit_code_division' }]
      : [];
    const expected = creditCodeCheckCharacter(entity.creditCode.slice(0, 17));
    if (expected === entity.creditCode[17]) return divisionWarning;
    return [
      ...divisionWarning,
      {
        path,
        message: `统一社会信用代码 ${entity.creditCode} 的校验位应为 ${expected}，请核对（仅提示，不影响评价）`,
        code: 'credit_code_check_character',
      },
    ];
  });
}

const sectionOrder: string[] = Object.keys(ledgerSchema.shape);

/** Problems in the order of the contract's sections, then by row number within a section. */
function inFileOrder(a: LedgerProblem, b: LedgerProblem): number {
  const section = (problem: LedgerProblem) => {
    const index = sectionOrder.indexOf(/^[A-Za-z]+/.exec(problem.path)?.[0] ?? '');
    return index < 0 ? sectionOrder.length : index;
  };
  return section(a) - section(b) || a.path.localeCompare(b.path, 'en', { numeric: true });
}

/** Parses a JSON value (already `JSON.parse`d) as `ezhen-ledger/1`, reporting every problem. */
export function parseLedger(input: unknown): LedgerParseResult {
  if (!isRecord(input)) {
    return {
      ok: false,
      problems: [{ path: '', message: '台账须为 JSON 对象 {…}', code: 'invalid_type' }],
      warnings: [],
    };
  }
  const result = ledgerSchema.safeParse(input, { reportInput: true });
  const problems = [
    ...(result.success ? [] : result.error.issues.flatMap(toProblems)),
    ...crossFieldProblems(input),
  ];
  const warnings = creditCodeWarnings(input);
  if (!result.success || problems.length > 0) {
    return { ok: false, problems: problems.sort(inFileOrder), warnings };
  }
  return { ok: true, ledger: result.data, warnings };
}
