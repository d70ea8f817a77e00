// The account field rules, pure (no Node, no zod) so the web forms check exactly what the server checks.

/** A username: 3–64 lowercase letters, digits, dots, underscores or hyphens, starting with a letter or digit. */
export const usernamePattern = /^[a-z0-9][a-z0-9._-]{2,63}$/;
export const usernameRuleText = '用户名为 3–64 位小写字母、数字、点、下划线或连字符，以字母或数字开头';

export const passwordPolicyText =
  '密码 8–128 位，须包含大写字母、小写字母、数字、符号中的至少三类，且不能包含用户名。';

const characterClasses = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/];

/** The password policy: 8–128 characters, ≥ 3 of the 4 character classes, not the username. Chinese reasons. */
export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = [];
  if (password.length < 8) problems.push('密码长度至少 8 位');
  if (password.length > 128) problems.push('密码长度不能超过 128 位');
  const classes = characterClasses.filter((pattern) => pattern.test(password)).length;
  if (classes < 3) problems.push('密码须包含大写字母、小写字母、数字、符号中的至少三类');
  const lower = password.toLowerCase();
  const name = username.toLowerCase();
  if (lower === name || (name.length >= 3 && lower.includes(name))) problems.push('密码不能包含用户名');
  return problems;
}
