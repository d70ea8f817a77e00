import {
  creditCodeCheckCharacter,
  creditCodeDivisionProblem,
  isValidCreditCode,
} from '../../lib/credit-code.ts';

/** 138****1234: the first three and last four digits stay, so a clerk can tell numbers apart. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length <= 7) return `${digits.slice(0, 1)}****${digits.slice(-2)}`;
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/**
 * Why a well-formed 18-character code fails GB 32100: its division code (positions 3–8), or the check
 * character it should have; null if it passes.
 */
export function creditCodeProblem(code: string): string | null {
  if (isValidCreditCode(code)) return null;
  const divisionProblem = creditCodeDivisionProblem(code);
  if (divisionProblem) return divisionProblem;
  const expected = creditCodeCheckCharacter(code.slice(0, 17));
  return `统一社会信用代码校验位不符：按 GB 32100 计算，第 18 位应为“${expected}”，填写的是“${code.slice(17)}”`;
}

export type CreditGrade = { score: number; grade: 'A' | 'B' | 'C' | 'D'; formula: string };

export const CREDIT_BASE_SCORE = 100;
export const creditGradeRule =
  '信用分 = 100 + 各条记录分值之和（良好记录加分，违规记录扣分）；A ≥ 90，B ≥ 75，C ≥ 60，D < 60';

/** The transparent grade: start at 100, add every record's points, then fixed thresholds. */
export function creditGrade(points: readonly number[]): CreditGrade {
  const sum = points.reduce((total, value) => total + value, 0);
  const score = CREDIT_BASE_SCORE + sum;
  const grade = score >= 90 ? 'A' : score >= 75 ? 'B' : score >= 60 ? 'C' : 'D';
  const terms = points.length
    ? points.map((value) => (value < 0 ? `(${value})` : String(value))).join(' + ')
    : '0';
  return { score, grade, formula: `${CREDIT_BASE_SCORE} + ${terms} = ${score}` };
}

/**
 * 入驻条件. The county plan (垣政办发〔2023〕8号) asks the county to 制定乡村e镇入驻条件及扶持政策 but states none;
 * these are drawn from the plan's requirements, with the e-town's leading industries, for the county to edit later.
 */
export function entryConditionsFor(etownName: string, leadingIndustries: readonly string[]): string[] {
  const industries = leadingIndustries.length ? leadingIndustries.join('、') : '本e镇主导产业';
  return [
    '依法登记注册，持有有效营业执照和统一社会信用代码，未被列入严重违法失信名单。',
    `从事电子商务，或从事与${etownName}主导产业（${industries}）相关的生产、加工、流通、服务。`,
    '已在淘宝、拼多多、抖音等电商平台开设网店，或有明确的网络销售计划。',
    '产品质量安全可追溯，使用区域公用品牌的遵守其标准、准入、监督和退出机制。',
    '按月如实报送电子商务统计数据（总产值、网络零售额、从业人数等）。',
    '遵守e镇运营主体的统一管理和入驻协议，诚信经营。',
  ];
}

export const entryConditionsBasis =
  '《垣曲县培育皋陶乡村e镇实施方案》（垣政办发〔2023〕8号）要求“制定乡村e镇入驻条件及扶持政策”，方案本身未列具体条件；以下条件据方案要求拟定，县级可调整。';
