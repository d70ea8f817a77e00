import { povertyStatusReaders } from '../../access/policies.ts';
import type { Role } from '../../access/roles.ts';
import type { TraineeCategory } from '../../db/schema/talent.ts';
import { AppError, badRequest } from '../../http/errors.ts';
import { birthYearOfIdNumber, idNumberProblem, normalizeIdNumber } from '../../lib/id-number.ts';

/** A valid ID number in its stored form, or a 400 naming the field (and the expected check character). */
export function checkedIdNumber(text: string, path = 'idNumber'): string {
  const problem = idNumberProblem(text);
  if (!problem) return normalizeIdNumber(text);
  const details = [{ path, message: problem.message }];
  if (problem.code === 'id_number_check_digit')
    throw badRequest('id_number_check_digit', problem.message, details);
  throw badRequest('id_number_malformed', problem.message, details);
}

/** The birth year of the file: the one the ID number carries; a different one typed beside it is refused. */
export function checkedBirthYear(idNumber: string, typed: number | null | undefined): number {
  const fromIdNumber = birthYearOfIdNumber(idNumber);
  if (typed != null && typed !== fromIdNumber) {
    const message = `出生年份与身份证号不符：身份证号中的出生年份为 ${fromIdNumber}，填写的是 ${typed}`;
    throw badRequest('id_number_birth_year_mismatch', message, [{ path: 'birthYear', message }]);
  }
  return fromIdNumber;
}

export const mayReadPovertyStatus = (role: Role) => povertyStatusReaders.includes(role);

/** The category as the role may see it: 脱贫户 hidden above the county. */
export function visibleCategory(role: Role, category: TraineeCategory) {
  const hidden = category === 'poverty_alleviated' && !mayReadPovertyStatus(role);
  return { category: hidden ? null : category, categoryHidden: hidden };
}

/** Filtering by 脱贫户 would disclose it: refused to a role that may not read it. */
export function refuseHiddenCategoryFilter(role: Role, category: TraineeCategory | undefined) {
  if (category === 'poverty_alleviated' && !mayReadPovertyStatus(role)) {
    throw badRequest('category_hidden', '脱贫户属敏感个人信息，仅县级及以下角色可按此类别查询', [
      { path: 'category', message: '当前角色不可按“脱贫户”筛选' },
    ]);
  }
}

export const traineeAlreadyRegistered = () =>
  new AppError(409, 'trainee_already_registered', '该身份证号已建档（一人一档），请在已有档案中补充', [
    { path: 'idNumber', message: '该身份证号已建档' },
  ]);
