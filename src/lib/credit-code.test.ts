import { describe, expect, it } from 'vitest';
import { CREDIT_CODE_ALPHABET, creditCodeCheckCharacter, isValidCreditCode } from './credit-code.ts';

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
    for (const first17 of ['91140827MA0K8DEM0', '12140000MB1234567', '000000000000000AA']) {
      expect(isValidCreditCode(`${first17}${creditCodeCheckCharacter(first17)}`)).toBe(true);
    }
  });
});
