/** The server's password policy, checked in the form first so the clerk sees every problem at once. */
export const passwordPolicyText =
  '密码至少 8 位，须包含大写字母、小写字母、数字、符号中的至少三类，且不能包含用户名。';

export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = [];
  if (password.length < 8) problems.push('长度不少于 8 位');
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((pattern) =>
    pattern.test(password),
  ).length;
  if (classes < 3) problems.push('大写字母、小写字母、数字、符号至少包含三类');
  if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push('不能包含用户名');
  return problems;
}
