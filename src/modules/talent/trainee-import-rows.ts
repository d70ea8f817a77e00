import type { TraineeCategory } from '../../db/schema/talent.ts';
import { birthYearOfIdNumber, idNumberProblem, normalizeIdNumber } from '../../lib/id-number.ts';
import {
  type CellInput,
  columnLetter,
  type ImportProblem,
  ProblemList,
} from '../stats/monthly-import-rows.ts';
import { traineeCategoryLabels } from './trainees.schemas.ts';

type ColumnKey =
  | 'name'
  | 'gender'
  | 'idNumber'
  | 'phone'
  | 'villageName'
  | 'category'
  | 'skills'
  | 'birthYear';

export type TraineeImportColumn = {
  key: ColumnKey;
  header: string;
  required: boolean;
  note: string;
  example: string;
};

/** The template's columns, in order; a file may order them differently, the header names decide. */
export const traineeImportColumns: readonly TraineeImportColumn[] = [
  { key: 'name', header: '姓名', required: true, note: '学员姓名', example: '李春梅' },
  { key: 'gender', header: '性别', required: true, note: '男 或 女', example: '女' },
  {
    key: 'idNumber',
    header: '身份证号',
    required: true,
    note: '18 位公民身份号码，须通过 GB 11643 校验；请将本列设为文本格式，以免 Excel 改写末几位',
    example: '11010519491231002X',
  },
  {
    key: 'phone',
    header: '手机号',
    required: false,
    note: '11 位手机号或带区号的固定电话',
    example: '13900000101',
  },
  { key: 'villageName', header: '所在村', required: false, note: '所在行政村', example: '皋落村' },
  {
    key: 'category',
    header: '人员类别',
    required: true,
    note: `${Object.values(traineeCategoryLabels).join('、')} 之一`,
    example: '返乡农民工',
  },
  {
    key: 'skills',
    header: '技能',
    required: false,
    note: '多项用顿号或逗号分隔',
    example: '直播带货、短视频剪辑',
  },
  {
    key: 'birthYear',
    header: '出生年份',
    required: false,
    note: '可不填，按身份证号取得；填写时须与身份证号一致',
    example: '1992',
  },
];

export type CheckedTrainee = {
  row: number;
  name: string;
  gender: 'male' | 'female';
  idNumber: string;
  phone: string | null;
  villageName: string | null;
  category: TraineeCategory;
  skills: string[];
  birthYear: number;
};

const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
const genders: Record<string, 'male' | 'female'> = { 男: 'male', 女: 'female' };
const categoryByLabel = new Map<string, TraineeCategory>(
  Object.entries(traineeCategoryLabels).map(([key, label]) => [label, key as TraineeCategory]),
);

const isEmpty = (value: CellInput) =>
  value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
const textOf = (value: CellInput) => (isEmpty(value) ? '' : String(value).trim());

type Slots = Record<ColumnKey, { index: number; letter: string; column: TraineeImportColumn }>;

/**
 * Checks rows of a trainee list one at a time: finds the header, then turns each row into a checked
 * trainee or problems; an ID number given twice in the file is a problem on its second row.
 */
export class TraineeRowChecker {
  readonly problems: ProblemList;
  readonly checked: CheckedTrainee[] = [];
  rows = 0;
  #slots: Slots | null = null;
  readonly #firstRowOf = new Map<string, number>();

  constructor(limit = 1000) {
    this.problems = new ProblemList(limit);
  }

  get hasHeader(): boolean {
    return this.#slots !== null;
  }

  /** Reads the header row; false (with problems) when a required column is missing. */
  header(cells: readonly CellInput[], row: number): boolean {
    const found = new Map<ColumnKey, number>();
    cells.forEach((cell, index) => {
      const column = traineeImportColumns.find(
        (candidate) => candidate.header === textOf(cell).replace(/\s+/g, ''),
      );
      if (column && !found.has(column.key)) found.set(column.key, index);
    });
    const missing = traineeImportColumns.filter((column) => column.required && !found.has(column.key));
    for (const column of missing) {
      const message = `第 ${row} 行表头缺少「${column.header}」列，请使用模板`;
      this.problems.add({ row, column: null, field: column.header, message, code: 'missing_column' });
    }
    if (missing.length > 0) return false;
    this.#slots = Object.fromEntries(
      traineeImportColumns.map((column) => {
        const index = found.get(column.key) ?? -1;
        return [column.key, { index, letter: index < 0 ? '' : columnLetter(index), column }];
      }),
    ) as Slots;
    return true;
  }

  #problem(row: number, key: ColumnKey, message: string, code: string): void {
    const slot = (this.#slots as Slots)[key];
    this.problems.add({ row, column: slot.letter || null, field: slot.column.header, message, code });
  }

  #cell(cells: readonly CellInput[], key: ColumnKey): CellInput {
    const { index } = (this.#slots as Slots)[key];
    return index < 0 ? null : cells[index];
  }

  #idNumber(cells: readonly CellInput[], row: number): string | null {
    const cell = this.#cell(cells, 'idNumber');
    if (typeof cell === 'number') {
      this.#problem(
        row,
        'idNumber',
        '身份证号被 Excel 存成了数字，末几位可能已丢失；请将本列设为文本后重新填写',
        'id_number_as_number',
      );
      return null;
    }
    const problem = idNumberProblem(textOf(cell));
    if (isEmpty(cell)) this.#problem(row, 'idNumber', '请填写身份证号', 'required');
    else if (problem) this.#problem(row, 'idNumber', problem.message, problem.code);
    else {
      const idNumber = normalizeIdNumber(textOf(cell));
      const first = this.#firstRowOf.get(idNumber);
      if (first === undefined) {
        this.#firstRowOf.set(idNumber, row);
        return idNumber;
      }
      this.#problem(row, 'idNumber', `与第 ${first} 行身份证号重复（一人一档）`, 'duplicate_id_number');
    }
    return null;
  }

  #birthYear(cells: readonly CellInput[], row: number, idNumber: string | null): number {
    const fromIdNumber = idNumber ? birthYearOfIdNumber(idNumber) : 0;
    const typed = textOf(this.#cell(cells, 'birthYear'));
    if (typed && idNumber && Number(typed) !== fromIdNumber) {
      const message = `出生年份与身份证号不符：身份证号中的出生年份为 ${fromIdNumber}，填写的是 ${typed}`;
      this.#problem(row, 'birthYear', message, 'id_number_birth_year_mismatch');
    }
    return fromIdNumber;
  }

  #required<T>(
    cells: readonly CellInput[],
    row: number,
    key: ColumnKey,
    parse: (text: string) => T | undefined,
    wrong: string,
  ): T | null {
    const text = textOf(this.#cell(cells, key));
    if (!text) {
      this.#problem(row, key, `请填写${(this.#slots as Slots)[key].column.header}`, 'required');
      return null;
    }
    const value = parse(text);
    if (value === undefined) this.#problem(row, key, wrong, 'invalid_value');
    return value ?? null;
  }

  /** One data row: kept when every cell passes, otherwise its problems are added. */
  check(cells: readonly CellInput[], row: number): void {
    if (cells.every(isEmpty)) return;
    this.rows += 1;
    const before = this.problems.count;
    const name = this.#required(
      cells,
      row,
      'name',
      (text) => (text.length <= 50 ? text : undefined),
      '姓名最多 50 个字',
    );
    const gender = this.#required(cells, row, 'gender', (text) => genders[text], '性别须填写“男”或“女”');
    const idNumber = this.#idNumber(cells, row);
    const category = this.#required(
      cells,
      row,
      'category',
      (text) => categoryByLabel.get(text),
      `人员类别须为：${[...categoryByLabel.keys()].join('、')}`,
    );
    const phone = textOf(this.#cell(cells, 'phone')).replace(/\s/g, '') || null;
    if (phone && !PHONE.test(phone))
      this.#problem(row, 'phone', '手机号须为 11 位手机号或带区号的固定电话', 'invalid_value');
    const birthYear = this.#birthYear(cells, row, idNumber);
    if (this.problems.count > before || !name || !gender || !idNumber || !category) return;
    const skills = textOf(this.#cell(cells, 'skills'))
      .split(/[、,，;；]/)
      .map((skill) => skill.trim())
      .filter(Boolean);
    const villageName = textOf(this.#cell(cells, 'villageName')) || null;
    this.checked.push({ row, name, gender, idNumber, phone, villageName, category, skills, birthYear });
  }
}

export type { ImportProblem };
