import { randomInt } from 'node:crypto';
import { loadArgon2 } from '../../lib/lazy-packages.ts';
import { passwordProblems as policyProblems } from './account-rules.ts';
import { isCommonPassword } from './common-passwords.ts';

// Algorithm.Argon2id is an ambient const enum, which verbatimModuleSyntax cannot import.
const ARGON2ID = 2;

const argon2Options = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const hashPassword = async (password: string) => (await loadArgon2()).hash(password, argon2Options);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  const { verify } = await loadArgon2();
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verified against when the username is unknown, so both cases take the same time.
let dummyHash: Promise<string> | undefined;
export const dummyPasswordHash = () => {
  dummyHash ??= hashPassword('ezhen-dummy-password-for-timing');
  return dummyHash;
};

/**
 * The password policy: the pure rules of account-rules.ts, which the web forms check too, and on the
 * server the list of common passwords (too large to send to browsers).
 */
export function passwordProblems(password: string, username: string): string[] {
  const problems = policyProblems(password, username);
  if (isCommonPassword(password))
    problems.push('密码过于常见（如 Password123、P@ssw0rd），请换一个不易猜到的密码');
  return problems;
}

const alphabets = ['abcdefghijkmnpqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '!@#%*+=?'];

/** A random 14-character password that satisfies the policy (no look-alike characters). */
export function generatePassword(): string {
  const all = alphabets.join('');
  const chars = alphabets.map((set) => set[randomInt(set.length)] as string);
  while (chars.length < 14) chars.push(all[randomInt(all.length)] as string);
  for (let i = chars.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}
