import { describe, expect, it } from 'vitest';
import {
  birthYearOfIdNumber,
  idNumberBlindIndex,
  idNumberCheckCharacter,
  idNumberProblem,
  maskIdNumber,
} from './id-number.ts';

// The GB 11643 worked example: 11010519491231002X.
const SAMPLE = '11010519491231002X';
const KEY = '00112233445566778899aabbccddeeff';

describe('身份证号 (GB 11643)', () => {
  it('computes the check character of the standard example', () => {
    expect(idNumberCheckCharacter(SAMPLE.slice(0, 17))).toBe('X');
    expect(idNumberProblem(SAMPLE)).toBeNull();
    expect(idNumberProblem(SAMPLE.toLowerCase())).toBeNull();
  });

  it('names the expected check character when the last one is wrong', () => {
    expect(idNumberProblem('110105194912310021')).toEqual({
      code: 'id_number_check_digit',
      message: '身份证号校验码不符：按 GB 11643 计算，第 18 位应为“X”，填写的是“1”',
    });
  });

  it('refuses a wrong shape or an impossible birth date', () => {
    expect(idNumberProblem('1101051949123100')?.code).toBe('id_number_malformed');
    const first17 = '14082719990231001';
    expect(idNumberProblem(`${first17}${idNumberCheckCharacter(first17)}`)?.message).toMatch(/出生日期/);
  });

  it('masks all but the first two and last two characters', () => {
    expect(maskIdNumber('140827199001011234')).toBe('14**************34');
    expect(birthYearOfIdNumber(SAMPLE)).toBe(1949);
  });

  it('gives one blind index per number and key, never the number itself', () => {
    const index = idNumberBlindIndex(SAMPLE, KEY);
    expect(index).toBe(idNumberBlindIndex(SAMPLE.toLowerCase(), KEY));
    expect(index).not.toContain('1949');
    expect(index).not.toBe(idNumberBlindIndex(SAMPLE, 'ffeeddccbbaa99887766554433221100'));
  });
});
