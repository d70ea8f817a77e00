import { describe, expect, it } from 'vitest';
import {
  CREDIT_CODE_ALPHABET,
  creditCodeCheckCharacter,
  creditCodeDivisionProblem,
  isValidCreditCode,
  SAMPLE_CREDIT_CODE,
} from './credit-code.ts';

const VALID = '91350100M000100Y43';

describe('统一社会信用代码', () => {
  it('accepts a known valid code', () => {
    expect(isValidCreditCode(VALID)).toBe(true);
    expect(creditCodeCheckCharacter(VALID.slice(0, 17))).toBe('3');
  });

  it('rejects the code with any other check character', () => {
    for (const character of CREDIT_CODE_ALPHABET) {
      if (character === '3') continue;
      expect(isValidCreditCode(`${VALID.slice(0, 17)}${character}`)).toBe(false);
    }
  });

  it('rejects a single mistyped character in the body', () => {
    const flipped = `${VALID.slice(0, 5)}2${VALID.slice(6)}`;
    expect(flipped).not.toBe(VALID);
    expect(isValidCreditCode(flipped)).toBe(false);
  });

  it('rejects wrong length, lower case and the letters GB 32100 leaves out (I O Z S V)', () => {
    expect(isValidCreditCode(VALID.slice(0, 17))).toBe(false);
    expect(isValidCreditCode(`${VALID}0`)).toBe(false);
    expect(isValidCreditCode(VALID.toLowerCase())).toBe(false);
    for (const letter of 'IOZSV') {
      expect(isValidCreditCode(`${VALID.slice(0, 8)}${letter}${VALID.slice(9)}`)).toBe(false);
    }
  });

  it('completes any 17 characters into a valid code', () => {
    for (const first17 of ['91140827MA0K8DEM0', '12140000MB1234567', '00110000000000AAA']) {
      expect(isValidCreditCode(`${first17}${creditCodeCheckCharacter(first17)}`)).toBe(true);
    }
  });
});

describe('统一社会信用代码: positions 3–8 are an administrative division code (GB 32100, GB/T 2260)', () => {
  const withCheck = (first17: string) => `${first17}${creditCodeCheckCharacter(first17)}`;

  it('accepts a county, a city, a province and the national level', () => {
    for (const first17 of [
      '91140827MA0K8DEM1',
      '91140800MA0K8DEM1',
      '91140000MA0K8DEM1',
      '11100000000013127',
    ]) {
      expect(creditCodeDivisionProblem(withCheck(first17)), first17).toBeNull();
      expect(isValidCreditCode(withCheck(first17)), first17).toBe(true);
    }
  });

  it('rejects letters there even with a right check character, naming the position in Chinese', () => {
    const code = withCheck('9114MA27MA0K8DEM1');
    expect(isValidCreditCode(code)).toBe(false);
    expect(creditCodeDivisionProblem(code)).toBe(
      '统一社会信用代码第 3—8 位须为 6 位数字的登记管理机关行政区划码（GB/T 2260），第 5 位是“M”',
    );
    expect(creditCodeDivisionProblem(withCheck('91A40827MA0K8DEM1'))).toContain('第 3 位是“A”');
    expect(creditCodeDivisionProblem(withCheck('9114082YMA0K8DEM1'))).toContain('第 8 位是“Y”');
  });

  it('rejects a division code whose first two digits are no province', () => {
    for (const province of ['00', '19', '20', '39', '90', '99']) {
      const code = withCheck(`91${province}0827MA0K8DEM`);
      expect(isValidCreditCode(code), province).toBe(false);
      expect(creditCodeDivisionProblem(code), province).toContain(
        `第 3—4 位“${province}”不是有效的省级行政区划代码`,
      );
    }
  });

  it('the sample code the product shows passes every rule', () => {
    expect(isValidCreditCode(SAMPLE_CREDIT_CODE)).toBe(true);
  });
});
