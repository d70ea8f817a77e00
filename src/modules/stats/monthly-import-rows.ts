import { shanghaiMonth } from '../../lib/china-date.ts';
import { creditCodeDivisionProblem, isValidCreditCode, SAMPLE_CREDIT_CODE } from '../../lib/credit-code.ts';

/** A cell as read from CSV (always text) or XLSX (typed). */
export type CellInput = string | number | boolean | Date | null | undefined;

/** One thing wrong (or worth a second look) in an uploaded file, where a person finds it. */
export type ImportProblem = {
  /** Spreadsheet row, 1-based; null for the file as a whole. */
  row: number | null;
  /** Column letter (A, B, …) in the uploaded file; null for the whole row or file. */
  column: string | null;
  /** The column's header as in the template. */
  field: string;
  message: string;
  code: string;
};

type ColumnKind = 'creditCode' | 'month' | 'money' | 'count';

export type MonthlyImportColumn = {
  key:
    | 'creditCode'
    | 'month'
    | 'outputFen'
    | 'onlineRetailFen'
    | 'crossBorderFen'
    | 'orders'
    | 'employees'
    | 'ecommerceEmployees';
  header: string;
  kind: ColumnKind;
  required: boolean;
  /** What the template's 填表说明 says about the column. */
  note: string;
  example: string;
};

/** The template's columns, in order; a file may order them differently, the header names decide. */
export const monthlyImportColumns: readonly MonthlyImportColumn[] = [
  {
    key: 'creditCode',
    header: '统一社会信用代码',
    kind: 'creditCode',
    required: true,
    note: '18 位统一社会信用代码，须为本县已登记的市场主体',
    example: SAMPLE_CREDIT_CODE,
  },
  {
    key: 'month',
    header: '月份',
    kind: 'month',
    required: true,
    note: '统计月份，格式 YYYY-MM（如 2025-03），不得晚于本月',
    example: '2025-03',
  },
  {
    key: 'outputFen',
    header: '总产值（元）',
    kind: 'money',
    required: true,
    note: '以元为单位，最多两位小数，不得为负',
    example: '1250000.50',
  },
  {
    key: 'onlineRetailFen',
    header: '网络零售额（元）',
    kind: 'money',
    required: true,
    note: '以元为单位，最多两位小数；一般不大于总产值（大于时提示核实）',
    example: '380000',
  },
  {
    key: 'crossBorderFen',
    header: '其中跨境（元）',
    kind: 'money',
    required: false,
    note: '网络零售额中的跨境电商部分，以元为单位；不填按 0 计',
    example: '12000',
  },
  {
    key: 'orders',
    header: '订单数',
    kind: 'count',
    required: false,
    note: '非负整数；不填按 0 计',
    example: '5230',
  },
  {
    key: 'employees',
    header: '从业人员',
    kind: 'count',
    required: false,
    note: '月末从业人员数，非负整数；不填按 0 计',
    example: '36',
  },
  {
    key: 'ecommerceEmployees',
    header: '电商从业人员',
    kind: 'count',
    required: false,
    note: '其中从事电子商务的人员数，非负整数；不填按 0 计',
    example: '8',
  },
];

/**
 * The largest figure a cell may hold: 10 万亿元 for one entity in one month is a unit mistake, not a
 * figure; below it every amount in fen is a safe integer, so fen arithmetic in JavaScript stays exact.
 */
const MAX_MONEY_FEN = 1_000_000_000_000_000;
const MAX_COUNT = { orders: Number.MAX_SAFE_INTEGER, employees: 10_000_000 } as const;
const FIRST_YEAR = 2000;

export function columnLetter(index: number): string {
  let letters = '';
  let rest = index + 1;
  while (rest > 0) {
    const remainder = (rest - 1) % 26;
    letters = String.fromCharCode(65 + remainder) + letters;
    rest = Math.floor((rest - 1) / 26);
  }
  return letters;
}

/** "总产值（元）", "总产值(元)", " 总产值 " → base "总产值", unit "元"; "月份（YYYY-MM）" → "月份". */
function splitHeader(text: string): { base: string; unit: string | null } {
  const normalized = text.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')').replace(/[:：]/g, '');
  const match = /^([^(]*)(?:\((.*)\))?$/.exec(normalized);
  return { base: match?.[1] ?? normalized, unit: match?.[2] ?? null };
}

const isEmpty = (value: CellInput) =>
  value === null || value === undefined || (typeof value === 'string' && value.trim() === '');

/** The month of now in China (UTC+8, no daylight saving), e.g. "2026-04". */
export function currentChinaMonth(now = new Date()): string {
  return shanghaiMonth(now);
}

const MONTH_TEXT = /^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))(?:\s*[-/.]\s*0?1\s*日?)?$/;

/** "2025-03", "2025/3", "2025年3月", "202503", an Excel date on the 1st → "2025-03"; null if not a month. */
export function parseMonthCell(value: CellInput): string | null {
  let year: number;
  let month: number;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime()) || value.getUTCDate() !== 1) return null;
    year = value.getUTCFullYear();
    month = value.getUTCMonth() + 1;
  } else {
    const match = MONTH_TEXT.exec(String(value).trim());
    if (!match) return null;
    year = Number(match[1]);
    month = Number(match[2] ?? match[3]);
  }
  if (month < 1 || month > 12) return null;
  return `${year}-${String(month).padStart(2, '0')}`;
}

type Parsed<T> = { value: T } | { error: string; code: string };

const MONEY_FORMAT = { error: '须为以元为单位的数字，如 12345.67', code: 'invalid_money' } as const;
const MONEY_NEGATIVE = { error: '金额不能为负数', code: 'negative_money' } as const;
const MONEY_DECIMALS = { error: '金额最多保留两位小数（精确到分）', code: 'too_many_decimals' } as const;
const MONEY_LARGE = { error: '金额过大，请确认单位为元', code: 'money_too_large' } as const;

/** Text of a number cell as typed: no exponent, no float noise for values Excel stores exactly. */
function numberText(value: number): string | null {
  if (!Number.isFinite(value)) return null;
  const text = String(value);
  return /e/i.test(text) ? null : text;
}

const THOUSANDS = /^\d{1,3}(,\d{3})+(\.\d*)?$/;

/**
 * "12345.67" → 1234567 fen by digit arithmetic (exact: every intermediate value is an integer below
 * 2^53); the same result as `parseMoneyText`, which this replaces on the hot path of a million rows.
 */
function fenOfText(text: string): Parsed<number> {
  const length = text.length;
  let fen = 0;
  let index = 0;
  for (; index < length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 46) break;
    if (code < 48 || code > 57) return MONEY_FORMAT;
    fen = fen * 10 + (code - 48);
  }
  if (index === 0) return MONEY_FORMAT;
  if (fen * 100 >= MAX_MONEY_FEN) return MONEY_LARGE;
  fen *= 100;
  if (index < length) {
    for (let position = index + 1; position < length; position += 1) {
      const code = text.charCodeAt(position);
      if (code < 48 || code > 57) return MONEY_FORMAT;
      // "1.500" is exactly 1.50; a third non-zero decimal is not whole fen.
      if (position > index + 2 && code !== 48) return MONEY_DECIMALS;
    }
    const tenths = index + 1 < length ? text.charCodeAt(index + 1) - 48 : 0;
    const hundredths = index + 2 < length ? text.charCodeAt(index + 2) - 48 : 0;
    fen += tenths * 10 + hundredths;
  }
  return { value: fen };
}

/** Yuan with at most two decimals → integer fen, exactly (never through floating point for text). */
export function parseMoneyCell(value: CellInput): Parsed<number> {
  let text: string;
  if (typeof value === 'string') {
    text = value.trim();
    if (text.charCodeAt(0) === 45 && /^-\s*\d/.test(text)) return MONEY_NEGATIVE;
    if (text.includes(',') && THOUSANDS.test(text)) text = text.replace(/,/g, '');
  } else if (typeof value === 'number') {
    if (value < 0) return MONEY_NEGATIVE;
    const printed = numberText(value);
    if (printed === null) return value >= 1 ? MONEY_LARGE : MONEY_DECIMALS;
    text = printed;
  } else return MONEY_FORMAT;
  const parsed = fenOfText(text);
  if (parsed === MONEY_FORMAT)
    return { error: `「${String(value).trim()}」不是以元为单位的数字，如 12345.67`, code: 'invalid_money' };
  return parsed;
}

const COUNT_FORMAT = { error: '须为非负整数', code: 'invalid_count' } as const;
const COUNT_NEGATIVE = { error: '不能为负数', code: 'negative_count' } as const;
const COUNT_FRACTION = { error: '须为整数', code: 'not_whole_number' } as const;

/** A non-negative whole number (people, orders); "1,234" and "12.0" as spreadsheets print them are fine. */
export function parseCountCell(value: CellInput, max: number): Parsed<number> {
  let count = 0;
  if (typeof value === 'string') {
    let text = value.trim();
    if (text.includes(',') && THOUSANDS.test(text)) text = text.replace(/,/g, '');
    const length = text.length;
    let index = 0;
    for (; index < length; index += 1) {
      const code = text.charCodeAt(index);
      if (code === 46) break;
      if (code < 48 || code > 57) {
        if (index === 0 && code === 45 && /^-\s*\d/.test(text)) return COUNT_NEGATIVE;
        return { error: `「${text}」不是非负整数`, code: 'invalid_count' };
      }
      count = count * 10 + (code - 48);
    }
    if (index === 0) return { error: `「${text}」不是非负整数`, code: 'invalid_count' };
    for (let position = index + 1; position < length; position += 1) {
      const code = text.charCodeAt(position);
      if (code < 48 || code > 57) return { error: `「${text}」不是非负整数`, code: 'invalid_count' };
      if (code !== 48) return COUNT_FRACTION;
    }
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) return COUNT_FORMAT;
    if (value < 0) return COUNT_NEGATIVE;
    if (!Number.isInteger(value)) return COUNT_FRACTION;
    count = value;
  } else return COUNT_FORMAT;
  if (count > max) return { error: `数值过大（不超过 ${max}）`, code: 'count_too_large' };
  return { value: count };
}

/** An entity the importing user may write for, and which months the file already gave it. */
export type ImportEntity = { id: string; etownCode: string; seen: Uint8Array | null };

/** Problems of a file: all counted, the first `limit` kept for the receipt. */
export class ProblemList {
  readonly listed: ImportProblem[] = [];
  count = 0;
  constructor(readonly limit: number) {}
  add(problem: ImportProblem): void {
    this.count += 1;
    if (this.listed.length < this.limit) this.listed.push(problem);
  }
}

export type CheckedRow = {
  entity: ImportEntity;
  month: string;
  /** Integer fen (safe integers: see MAX_MONEY_FEN). */
  outputFen: number;
  onlineRetailFen: number;
  crossBorderFen: number;
  orders: number;
  employees: number;
  ecommerceEmployees: number;
};

type ColumnKey = MonthlyImportColumn['key'];
/** Where each template column is in the file: cell index and column letter. */
type Slots = Record<ColumnKey, { index: number; letter: string; column: MonthlyImportColumn }>;

/** Distinct month texts remembered (a file has a few dozen; the bound only guards against junk). */
const MONTH_CACHE_LIMIT = 10_000;

/**
 * Checks rows of monthly figures one at a time: finds the header, then turns each row into a checked row
 * or problems. It keeps only what does not grow with the file: the entity map it was given (with one bit
 * per entity and month, to find a repeated entity-month) and the sets of months and e-towns seen.
 */
export class MonthlyRowChecker {
  readonly problems: ProblemList;
  readonly warnings: ProblemList;
  readonly months = new Set<string>();
  readonly etowns = new Set<string>();
  rows = 0;
  #slots: Slots | null = null;
  readonly #lastMonthIndex: number;
  readonly #monthTexts = new Map<string, string | { error: string; code: string }>();

  constructor(
    private readonly entities: ReadonlyMap<string, ImportEntity>,
    private readonly latestMonth: string,
    limit = 1000,
  ) {
    this.problems = new ProblemList(limit);
    this.warnings = new ProblemList(limit);
    this.#lastMonthIndex = monthIndex(latestMonth);
  }

  get hasHeader(): boolean {
    return this.#slots !== null;
  }

  /** Reads the header row; false (with problems) when the template's columns are not all there. */
  header(cells: readonly CellInput[], row: number): boolean {
    const found = new Map<MonthlyImportColumn, number>();
    let ok = true;
    cells.forEach((cell, index) => {
      if (isEmpty(cell)) return;
      const { base, unit } = splitHeader(String(cell));
      const column = monthlyImportColumns.find((candidate) => splitHeader(candidate.header).base === base);
      if (!column) return;
      const at = { row, column: columnLetter(index), field: column.header };
      if (found.has(column)) {
        this.problems.add({ ...at, message: `「${column.header}」列重复出现`, code: 'duplicate_column' });
        ok = false;
        return;
      }
      if (column.kind === 'money' && unit !== null && unit !== '元') {
        this.problems.add({
          ...at,
          message: `金额须以元为单位填写，表头为「${String(cell).trim()}」，请使用模板并换算为元`,
          code: 'wrong_unit',
        });
        ok = false;
      }
      found.set(column, index);
    });
    for (const column of monthlyImportColumns) {
      if (!found.has(column)) {
        this.problems.add({
          row,
          column: null,
          field: column.header,
          message: `第 ${row} 行表头缺少「${column.header}」列，请使用模板`,
          code: 'missing_column',
        });
        ok = false;
      }
    }
    if (ok) {
      this.#slots = Object.fromEntries(
        [...found].map(([column, index]) => [column.key, { index, letter: columnLetter(index), column }]),
      ) as Slots;
    }
    return ok;
  }

  #problem(row: number, key: ColumnKey, message: string, code: string): void {
    const slot = this.#slots?.[key];
    this.problems.add({ row, column: slot?.letter ?? null, field: slot?.column.header ?? '', message, code });
  }

  #money(cells: readonly CellInput[], row: number, key: ColumnKey): number {
    const slot = (this.#slots as Slots)[key];
    const cell = cells[slot.index];
    if (isEmpty(cell)) {
      if (slot.column.required) this.#problem(row, key, `请填写${slot.column.header}`, 'required');
      return 0;
    }
    const parsed = parseMoneyCell(cell);
    if ('value' in parsed) return parsed.value;
    this.#problem(row, key, parsed.error, parsed.code);
    return 0;
  }

  #count(
    cells: readonly CellInput[],
    row: number,
    key: 'orders' | 'employees' | 'ecommerceEmployees',
  ): number {
    const slot = (this.#slots as Slots)[key];
    const cell = cells[slot.index];
    if (isEmpty(cell)) return 0;
    const parsed = parseCountCell(cell, key === 'orders' ? MAX_COUNT.orders : MAX_COUNT.employees);
    if ('value' in parsed) return parsed.value;
    this.#problem(row, key, parsed.error, parsed.code);
    return 0;
  }

  #entity(cells: readonly CellInput[], row: number): [ImportEntity | undefined, string] {
    const cell = cells[(this.#slots as Slots).creditCode.index];
    if (typeof cell === 'string') {
      const entity = this.entities.get(cell);
      if (entity) return [entity, cell];
    }
    if (isEmpty(cell)) {
      this.#problem(row, 'creditCode', '请填写统一社会信用代码', 'required');
      return [undefined, ''];
    }
    const creditCode = String(cell).trim().toUpperCase();
    const entity = this.entities.get(creditCode);
    if (entity) return [entity, creditCode];
    if (isValidCreditCode(creditCode)) {
      this.#problem(
        row,
        'creditCode',
        `市场主体 ${creditCode} 不在您的管辖范围内（未登记的市场主体请先登记）`,
        'entity_out_of_scope',
      );
    } else {
      this.#problem(
        row,
        'creditCode',
        `「${creditCode}」不是有效的统一社会信用代码（18 位，末位为校验码）${/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(creditCode) ? `：${creditCodeDivisionProblem(creditCode) ?? '校验位不符'}` : ''}`,
        'invalid_credit_code',
      );
    }
    return [undefined, creditCode];
  }

  #month(cells: readonly CellInput[], row: number): string | undefined {
    const cell = cells[(this.#slots as Slots).month.index];
    if (isEmpty(cell)) {
      this.#problem(row, 'month', '请填写月份', 'required');
      return undefined;
    }
    const key = cell instanceof Date ? `#${cell.getTime()}` : String(cell);
    let checked = this.#monthTexts.get(key);
    if (checked === undefined) {
      const month = parseMonthCell(cell);
      checked =
        month === null || Number(month.slice(0, 4)) < FIRST_YEAR
          ? {
              error: `「${cellText(cell)}」不是有效月份，请按 YYYY-MM 填写，如 2025-03`,
              code: 'invalid_month',
            }
          : month > this.latestMonth
            ? { error: `月份 ${month} 晚于本月（${this.latestMonth}），不能导入`, code: 'future_month' }
            : month;
      if (this.#monthTexts.size < MONTH_CACHE_LIMIT) this.#monthTexts.set(key, checked);
    }
    if (typeof checked === 'string') return checked;
    this.#problem(row, 'month', checked.error, checked.code);
    return undefined;
  }

  /** One data row: its checked values, or null when it has problems (or is blank). */
  check(cells: readonly CellInput[], row: number): CheckedRow | null {
    if (!this.#slots) throw new Error('header() must succeed before check()');
    if (cells.every(isEmpty)) return null;
    this.rows += 1;
    const problemsBefore = this.problems.count;
    const [entity, creditCode] = this.#entity(cells, row);
    const month = this.#month(cells, row);
    const checked: CheckedRow = {
      entity: entity as ImportEntity,
      month: month as string,
      outputFen: this.#money(cells, row, 'outputFen'),
      onlineRetailFen: this.#money(cells, row, 'onlineRetailFen'),
      crossBorderFen: this.#money(cells, row, 'crossBorderFen'),
      orders: this.#count(cells, row, 'orders'),
      employees: this.#count(cells, row, 'employees'),
      ecommerceEmployees: this.#count(cells, row, 'ecommerceEmployees'),
    };
    if (entity && month) {
      const index = monthIndex(month);
      entity.seen ??= new Uint8Array((this.#lastMonthIndex >> 3) + 1);
      const bit = 1 << (index & 7);
      const byte = entity.seen[index >> 3] as number;
      if (byte & bit) {
        this.problems.add({
          row,
          column: null,
          field: '统一社会信用代码、月份',
          message: `市场主体 ${creditCode} 的 ${month} 在文件中重复出现，每个市场主体每月只能有一行`,
          code: 'duplicate_row',
        });
      } else entity.seen[index >> 3] = byte | bit;
    }
    if (this.problems.count > problemsBefore || !entity || !month) return null;
    this.#warn(checked, row);
    this.months.add(month);
    this.etowns.add(entity.etownCode);
    return checked;
  }

  #warning(row: number, key: ColumnKey, message: string, code: string): void {
    const slot = (this.#slots as Slots)[key];
    this.warnings.add({ row, column: slot.letter, field: slot.column.header, message, code });
  }

  #warn(checked: CheckedRow, row: number): void {
    if (checked.onlineRetailFen > checked.outputFen) {
      this.#warning(row, 'onlineRetailFen', '网络零售额大于总产值，请核实', 'online_retail_exceeds_output');
    }
    if (checked.crossBorderFen > checked.onlineRetailFen) {
      this.#warning(
        row,
        'crossBorderFen',
        '其中跨境大于网络零售额，请核实',
        'cross_border_exceeds_online_retail',
      );
    }
    if (checked.ecommerceEmployees > checked.employees) {
      this.#warning(
        row,
        'ecommerceEmployees',
        '电商从业人员多于从业人员，请核实',
        'ecommerce_employees_exceed_employees',
      );
    }
  }
}

/** Months since January 2000. */
function monthIndex(month: string): number {
  return (Number(month.slice(0, 4)) - FIRST_YEAR) * 12 + Number(month.slice(5, 7)) - 1;
}

function cellText(cell: CellInput): string {
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return String(cell).trim();
}

/** One checked row as a line of PostgreSQL COPY text for the staging table. */
export function copyLine(row: CheckedRow): string {
  return `${row.entity.etownCode}\t${row.entity.id}\t${row.month}\t${row.outputFen}\t${row.onlineRetailFen}\t${row.crossBorderFen}\t${row.orders}\t${row.employees}\t${row.ecommerceEmployees}\n`;
}
