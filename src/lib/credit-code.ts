/** 统一社会信用代码 (GB 32100-2015): 18 characters from this alphabet, the last one a check character. */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * The sample code the product shows (templates, form placeholders): a Yuanqu (140827) enterprise code
 * that passes every rule below, so a user who copies it sees how a valid code looks.
 */
export const SAMPLE_CREDIT_CODE = '91140827MA0K8DEM1G';

/**
 * GB/T 2260 province-level codes (the first two digits of a division code); 10 is the national level
 * (100000), which central registrations carry.
 */
const PROVINCE_CODES = new Set([
  '10',
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
]);

export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = CREDIT_CODE_ALPHABET.indexOf(first17[i] ?? '');
    if (value < 0) throw new Error(`invalid credit code character at ${i + 1}`);
    sum += value * (WEIGHTS[i] as number);
  }
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31] as string;
}

/**
 * Why positions 3–8 of an 18-character code are not a registration authority's administrative division
 * code (GB 32100 §4.3: six digits of GB/T 2260), naming the position; null when they are.
 */
export function creditCodeDivisionProblem(code: string): string | null {
  const division = code.slice(2, 8);
  const letterAt = [...division].findIndex((character) => !/[0-9]/.test(character));
  if (letterAt >= 0) {
    return `统一社会信用代码第 3—8 位须为 6 位数字的登记管理机关行政区划码（GB/T 2260），第 ${letterAt + 3} 位是“${division[letterAt]}”`;
  }
  if (division.length < 6)
    return '统一社会信用代码第 3—8 位须为 6 位数字的登记管理机关行政区划码（GB/T 2260）';
  if (!PROVINCE_CODES.has(division.slice(0, 2))) {
    return `统一社会信用代码第 3—4 位“${division.slice(0, 2)}”不是有效的省级行政区划代码（GB/T 2260，如山西为 14），第 3—8 位应为登记管理机关行政区划码`;
  }
  return null;
}

/** Shape, division code (positions 3–8) and check character all pass. */
export function isValidCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  if (creditCodeDivisionProblem(code) !== null) return false;
  return creditCodeCheckCharacter(code.slice(0, 17)) === code[17];
}
