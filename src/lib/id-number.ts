import { createHmac } from 'node:crypto';
import { sm3Hex } from './national-crypto.ts';

/** 公民身份号码 (GB 11643-1999): 17 digits, then a check character (0–9 or X). */
const ID_NUMBER_SHAPE = /^\d{17}[\dX]$/;
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

/** The check character of the first 17 digits (ISO 7064 MOD 11-2). */
export function idNumberCheckCharacter(first17: string): string {
  let sum = 0;
  for (let index = 0; index < 17; index += 1) sum += Number(first17[index]) * (WEIGHTS[index] as number);
  return CHECK_CHARACTERS[sum % 11] as string;
}

/** Upper case, without spaces: the one form an ID number is stored, indexed and compared in. */
export const normalizeIdNumber = (text: string) => text.replace(/\s/g, '').toUpperCase();

/** The date of birth of a well-formed number (positions 7–14), or null when it is no calendar date. */
function birthDateOf(idNumber: string): Date | null {
  const year = Number(idNumber.slice(6, 10));
  const month = Number(idNumber.slice(10, 12));
  const day = Number(idNumber.slice(12, 14));
  const date = new Date(Date.UTC(year, month - 1, day));
  const valid =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return valid && year >= 1900 ? date : null;
}

export type IdNumberProblem = { code: 'id_number_malformed' | 'id_number_check_digit'; message: string };

/** Why a 身份证号 fails GB 11643 (shape, birth date, or the check character it should have); null if it passes. */
export function idNumberProblem(text: string): IdNumberProblem | null {
  const idNumber = normalizeIdNumber(text);
  if (!ID_NUMBER_SHAPE.test(idNumber))
    return { code: 'id_number_malformed', message: '身份证号须为 18 位：17 位数字加 1 位校验码（数字或 X）' };
  if (!birthDateOf(idNumber))
    return { code: 'id_number_malformed', message: '身份证号第 7–14 位不是有效的出生日期' };
  const expected = idNumberCheckCharacter(idNumber.slice(0, 17));
  if (expected === idNumber[17]) return null;
  return {
    code: 'id_number_check_digit',
    message: `身份证号校验码不符：按 GB 11643 计算，第 18 位应为“${expected}”，填写的是“${idNumber[17]}”`,
  };
}

/** The birth year written in a valid number. */
export const birthYearOfIdNumber = (idNumber: string) => Number(idNumber.slice(6, 10));

/** 14**************34: the first two and last two characters stay, enough to tell two files apart. */
export function maskIdNumber(idNumber: string): string {
  return `${idNumber.slice(0, 2)}${'*'.repeat(Math.max(idNumber.length - 4, 0))}${idNumber.slice(-2)}`;
}

/** The index key of the last secret seen (an import derives it once, not once per row). */
let derivedFor: string | null = null;
let indexKey = Buffer.alloc(0);

/**
 * The blind index of an ID number: HMAC-SM3 under a key derived from the SM4 key, so equal numbers find
 * each other (dedup, look-up) without the number being stored in clear. Recomputed on key rotation.
 */
export function idNumberBlindIndex(idNumber: string, secretKeyHex: string): string {
  if (derivedFor !== secretKeyHex) {
    indexKey = Buffer.from(sm3Hex(`ezhen:trainee-id-index:${secretKeyHex}`), 'hex');
    derivedFor = secretKeyHex;
  }
  return createHmac('sm3', indexKey).update(normalizeIdNumber(idNumber), 'utf8').digest('hex');
}
