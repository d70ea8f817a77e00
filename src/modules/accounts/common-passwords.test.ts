import { describe, expect, it } from 'vitest';
import { isCommonPassword } from './common-passwords.ts';

describe('common passwords', () => {
  it.each(['Password123', 'P@ssw0rd', 'Qwerty2026!', 'Woaini1314!', 'Admin@2026', '1qaz@WSX', 'Iloveyou#1'])(
    'refuses %s',
    (password) => expect(isCommonPassword(password)).toBe(true),
  );
  it.each(['Yuanqu#Clerk2026', 'Demo-Pass-2026!', 'Gaotao!Mushroom9', 'Xk7#pQ2m!vR9'])(
    'accepts %s',
    (password) => expect(isCommonPassword(password)).toBe(false),
  );
});
