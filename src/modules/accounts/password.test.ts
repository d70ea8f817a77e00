import { describe, expect, it } from 'vitest';
import { generatePassword, passwordProblems } from './password.ts';

describe('password policy', () => {
  it('accepts a long password with three character classes', () => {
    expect(passwordProblems('Yuanqu#Clerk2026', 'new.clerk')).toEqual([]);
    expect(passwordProblems('yuanqu#clerk2026', 'new.clerk')).toEqual([]);
  });

  it('names each problem in Chinese', () => {
    expect(passwordProblems('Ab1!', 'someone')).toEqual(['密码长度至少 8 位']);
    expect(passwordProblems('alllowercase', 'someone')).toEqual([
      '密码须包含大写字母、小写字母、数字、符号中的至少三类',
    ]);
    expect(passwordProblems('Xy1!'.repeat(33), 'someone')).toEqual(['密码长度不能超过 128 位']);
    expect(passwordProblems('New.Clerk-2026', 'new.clerk')).toEqual(['密码不能包含用户名']);
    expect(passwordProblems('zqkxv', 'someone')).toHaveLength(2);
    expect(passwordProblems('Password123', 'someone')).toEqual([expect.stringContaining('过于常见')]);
  });

  it('ignores case when comparing with the username, but not for names under 3 characters', () => {
    expect(passwordProblems('AUDITOR-x2026', 'auditor')).toContain('密码不能包含用户名');
    expect(passwordProblems('Ab1!Ab1!', 'ab')).toEqual([]);
  });
});

describe('generatePassword', () => {
  it('always satisfies the policy, even for a username it could contain (1000 samples)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i += 1) {
      const password = generatePassword();
      expect(password).toHaveLength(14);
      expect(passwordProblems(password, 'county.yuanqu')).toEqual([]);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[0-9]/);
      expect(password).toMatch(/[^a-zA-Z0-9]/);
      // No look-alikes a person copying a temporary password could misread.
      expect(password).not.toMatch(/[lIO01]/);
      seen.add(password);
    }
    expect(seen.size).toBe(1000);
  });
});
