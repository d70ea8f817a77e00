import { describe, expect, it } from 'vitest';
import { parseMoneyText } from '../../indicators/exact.ts';
import { creditCodeCheckCharacter } from '../../lib/credit-code.ts';
import {
  type CellInput,
  columnLetter,
  copyLine,
  currentChinaMonth,
  type ImportEntity,
  MonthlyRowChecker,
  monthlyImportColumns,
  parseCountCell,
  parseMoneyCell,
  parseMonthCell,
} from './monthly-import-rows.ts';

const HEADERS = monthlyImportColumns.map((column) => column.header);
const CODE_A = '91140827MA0K8DEM0X';
const CODE_B = '91140827MA0K8DEM1X';
const CODE_OUTSIDE = `91140826MA0K8JXT0${creditCodeCheckCharacter('91140826MA0K8JXT0')}`;

function checker(limit = 1000) {
  const entities = new Map<string, ImportEntity>([
    [CODE_A, { id: '00000000-0000-4000-8000-00000000000a', etownCode: '140827-E01', seen: null }],
    [CODE_B, { id: '00000000-0000-4000-8000-00000000000b', etownCode: '140827-E02', seen: null }],
  ]);
  const result = new MonthlyRowChecker(entities, '2026-04', limit);
  expect(result.header(HEADERS, 1)).toBe(true);
  return result;
}

describe('money cells', () => {
  it('turns yuan with up to two decimals into exact integer fen, as parseMoneyText does', () => {
    for (const text of ['0', '1', '0.5', '0.05', '12.3', '8333333.33', '9999999999999.99', '100.', '7.10']) {
      const parsed = parseMoneyCell(text);
      expect(parsed, text).toEqual({ value: Number(parseMoneyText(text.replace(/\.$/, ''))) });
    }
    expect(parseMoneyCell('1,234,567.89')).toEqual({ value: 123456789 });
    expect(parseMoneyCell(' 42 ')).toEqual({ value: 4200 });
    expect(parseMoneyCell('1.500')).toEqual({ value: 150 });
    // A number cell as Excel stores a typed 0.07 or 1234.5.
    expect(parseMoneyCell(0.07)).toEqual({ value: 7 });
    expect(parseMoneyCell(1234.5)).toEqual({ value: 123450 });
  });

  it('refuses negative amounts, a third decimal, text, and unit-sized mistakes with a reason', () => {
    expect(parseMoneyCell('-5')).toMatchObject({ code: 'negative_money' });
    expect(parseMoneyCell(-0.5)).toMatchObject({ code: 'negative_money' });
    expect(parseMoneyCell('1.234')).toMatchObject({
      code: 'too_many_decimals',
      error: expect.stringContaining('两位小数'),
    });
    expect(parseMoneyCell(0.001)).toMatchObject({ code: 'too_many_decimals' });
    expect(parseMoneyCell('12万')).toMatchObject({
      code: 'invalid_money',
      error: expect.stringContaining('12万'),
    });
    expect(parseMoneyCell('1,23')).toMatchObject({ code: 'invalid_money' });
    expect(parseMoneyCell('.5')).toMatchObject({ code: 'invalid_money' });
    expect(parseMoneyCell('10000000000000')).toMatchObject({ code: 'money_too_large' });
    expect(parseMoneyCell(1e21)).toMatchObject({ code: 'money_too_large' });
    expect(parseMoneyCell(true)).toMatchObject({ code: 'invalid_money' });
  });
});

describe('count cells', () => {
  it('takes non-negative whole numbers, as spreadsheets print them', () => {
    expect(parseCountCell('0', 10)).toEqual({ value: 0 });
    expect(parseCountCell('1,234', 10_000)).toEqual({ value: 1234 });
    expect(parseCountCell('12.0', 100)).toEqual({ value: 12 });
    expect(parseCountCell(36, 100)).toEqual({ value: 36 });
  });

  it('refuses negatives, fractions, text and absurd sizes', () => {
    expect(parseCountCell('-1', 10)).toMatchObject({ code: 'negative_count' });
    expect(parseCountCell('1.5', 10)).toMatchObject({ code: 'not_whole_number' });
    expect(parseCountCell(2.5, 10)).toMatchObject({ code: 'not_whole_number' });
    expect(parseCountCell('三十', 10)).toMatchObject({
      code: 'invalid_count',
      error: expect.stringContaining('三十'),
    });
    expect(parseCountCell('11', 10)).toMatchObject({ code: 'count_too_large' });
  });
});

describe('month cells', () => {
  it('reads the ways people write a month, and Excel dates on the first', () => {
    for (const text of ['2025-03', '2025/3', '2025.03', '2025年3月', '202503', '2025-03-01', ' 2025-3 ']) {
      expect(parseMonthCell(text), text).toBe('2025-03');
    }
    expect(parseMonthCell(new Date(Date.UTC(2025, 2, 1)))).toBe('2025-03');
  });

  it('refuses what is not a real month', () => {
    for (const value of [
      '2025-13',
      '2025-00',
      '25-03',
      '2025-03-15',
      '三月',
      new Date(Date.UTC(2025, 2, 15)),
    ]) {
      expect(parseMonthCell(value as CellInput), String(value)).toBeNull();
    }
  });

  it('knows the current month in China', () => {
    expect(currentChinaMonth(new Date('2026-03-31T16:30:00Z'))).toBe('2026-04');
    expect(currentChinaMonth(new Date('2026-03-31T15:30:00Z'))).toBe('2026-03');
  });
});

describe('the header row', () => {
  it('matches the template headers in any order, with either kind of parentheses', () => {
    const rows = new MonthlyRowChecker(new Map(), '2026-04');
    expect(
      rows.header(
        [
          '月份(YYYY-MM)',
          ' 统一社会信用代码',
          ...HEADERS.slice(2).map((h) => h.replace('（', '(').replace('）', ')')),
        ],
        1,
      ),
    ).toBe(true);
  });

  it('names a missing column and a money column in another unit', () => {
    const rows = new MonthlyRowChecker(new Map(), '2026-04');
    const headers = HEADERS.filter((header) => header !== '订单数').map((header) =>
      header === '总产值（元）' ? '总产值（万元）' : header,
    );
    expect(rows.header(headers, 1)).toBe(false);
    expect(rows.problems.listed).toEqual([
      expect.objectContaining({
        row: 1,
        column: 'C',
        code: 'wrong_unit',
        message: expect.stringContaining('以元为单位'),
      }),
      expect.objectContaining({ row: 1, column: null, field: '订单数', code: 'missing_column' }),
    ]);
  });
});

describe('checking rows', () => {
  const good = (code = CODE_A, month = '2025-03'): string[] => [
    code,
    month,
    '1000.50',
    '300',
    '10',
    '12',
    '5',
    '2',
  ];

  it('turns a good row into exact fen and COPY text for the staging table', () => {
    const rows = checker();
    const checked = rows.check(good(), 2);
    expect(checked).toMatchObject({
      month: '2025-03',
      outputFen: 100050,
      onlineRetailFen: 30000,
      crossBorderFen: 1000,
    });
    expect(copyLine(checked as NonNullable<typeof checked>)).toBe(
      '140827-E01\t00000000-0000-4000-8000-00000000000a\t2025-03\t100050\t30000\t1000\t12\t5\t2\n',
    );
    expect(rows.problems.count).toBe(0);
    expect([...rows.months]).toEqual(['2025-03']);
    expect([...rows.etowns]).toEqual(['140827-E01']);
  });

  it('lets optional columns be empty (zero) and skips blank rows', () => {
    const rows = checker();
    expect(rows.check([CODE_A, '2025-03', '1', '1', '', '', '', ''], 2)).toMatchObject({
      crossBorderFen: 0,
      orders: 0,
    });
    expect(rows.check(['', '', '', '', '', '', '', ''], 3)).toBeNull();
    expect(rows.rows).toBe(1);
  });

  it('reports every bad cell with its row, column letter and a reason', () => {
    const rows = checker();
    expect(rows.check(['', '2025-13', '-1', '', '1.234', 'x', '1.5', '-2'], 7)).toBeNull();
    expect(rows.problems.listed.map(({ row, column, code }) => ({ row, column, code }))).toEqual([
      { row: 7, column: 'A', code: 'required' },
      { row: 7, column: 'B', code: 'invalid_month' },
      { row: 7, column: 'C', code: 'negative_money' },
      { row: 7, column: 'D', code: 'required' },
      { row: 7, column: 'E', code: 'too_many_decimals' },
      { row: 7, column: 'F', code: 'invalid_count' },
      { row: 7, column: 'G', code: 'not_whole_number' },
      { row: 7, column: 'H', code: 'negative_count' },
    ]);
  });

  it('treats an unknown and an out-of-scope entity alike, and a malformed code as malformed', () => {
    const rows = checker();
    rows.check(good(CODE_OUTSIDE), 2);
    rows.check(good('12345'), 3);
    expect(rows.problems.listed).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'A',
        code: 'entity_out_of_scope',
        message: `市场主体 ${CODE_OUTSIDE} 不在您的管辖范围内（未登记的市场主体请先登记）`,
      }),
      expect.objectContaining({ row: 3, column: 'A', code: 'invalid_credit_code' }),
    ]);
  });

  it('finds the same entity and month a second time, at the second row, whatever the code’s case', () => {
    const rows = checker();
    expect(rows.check(good(CODE_A, '2025-03'), 2)).not.toBeNull();
    expect(rows.check(good(CODE_A, '2025-04'), 3)).not.toBeNull();
    expect(rows.check(good(CODE_B, '2025-03'), 4)).not.toBeNull();
    expect(rows.check(good(CODE_A.toLowerCase(), '2025/3'), 5)).toBeNull();
    expect(rows.problems.listed).toEqual([expect.objectContaining({ row: 5, code: 'duplicate_row' })]);
  });

  it('refuses a month after the current one', () => {
    const rows = checker();
    rows.check(good(CODE_A, '2026-05'), 2);
    expect(rows.problems.listed).toEqual([expect.objectContaining({ column: 'B', code: 'future_month' })]);
  });

  it('warns (without refusing) when online retail exceeds output, or cross-border exceeds online retail', () => {
    const rows = checker();
    expect(rows.check([CODE_A, '2025-03', '100', '200', '300', '0', '1', '2'], 2)).not.toBeNull();
    expect(rows.problems.count).toBe(0);
    expect(rows.warnings.listed.map(({ column, code }) => ({ column, code }))).toEqual([
      { column: 'D', code: 'online_retail_exceeds_output' },
      { column: 'E', code: 'cross_border_exceeds_online_retail' },
      { column: 'H', code: 'ecommerce_employees_exceed_employees' },
    ]);
  });

  it('counts every problem but lists only up to the limit', () => {
    const rows = checker(3);
    for (let row = 2; row < 12; row += 1)
      rows.check(
        ['', '', '', '', '', '', '', ''].map((_, i) => (i < 2 ? 'x' : '')),
        row,
      );
    expect(rows.problems.count).toBe(40);
    expect(rows.problems.listed).toHaveLength(3);
  });

  it('names columns past Z as spreadsheets do', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnLetter)).toEqual([
      'A',
      'Z',
      'AA',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});
