import { createRequire } from 'node:module';

type CommonLanguagePackage = typeof import('@zxcvbn-ts/language-common');

let common: Set<string> | undefined;

/**
 * The ~49,000 most common passwords of public breach lists (zxcvbn's dictionary), plus ones common in
 * China that it ranks low or lacks. Server-side only: too large for the web bundle, so the web forms learn
 * of a common password from the server's answer. Loaded at the first password checked, not at start-up
 * (the package unpacks its dictionaries as it loads, a few tens of milliseconds).
 */
function commonPasswords(): Set<string> {
  if (common) return common;
  const { dictionary } = createRequire(import.meta.url)(
    '@zxcvbn-ts/language-common',
  ) as CommonLanguagePackage;
  common = new Set<string>([
    ...(dictionary['passwords-common'] as string[]),
    ...[
      'woaini',
      'woaini1314',
      'aini1314',
      'qwe123',
      'a123456',
      'abc123456',
      'iloveyou',
      'zhangwei',
      'wangwei',
    ],
    ...['5201314', '1314520', 'qq123456', 'admin', 'administrator', 'root', 'welcome', 'changeme'],
  ]);
  return common;
}

const leet: Record<string, string> = {
  '@': 'a',
  '4': 'a',
  '8': 'b',
  '(': 'c',
  '3': 'e',
  '6': 'g',
  '1': 'i',
  '!': 'i',
  '|': 'l',
  '0': 'o',
  $: 's',
  '5': 's',
  '7': 't',
  '+': 't',
  '2': 'z',
};

/** The password a clever variation stands for: lower case, look-alike symbols undone. */
const unleet = (text: string) => [...text].map((character) => leet[character] ?? character).join('');

/**
 * Whether a password is a common one or a common one dressed up: capitalised, with look-alike symbols
 * (`P@ssw0rd`), or with digits and symbols added at the ends (`Password123!`, `!Qwerty2026`).
 */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  const candidates = [lower, core, unleet(lower), unleet(lower).replace(/^[^a-z]+|[^a-z]+$/g, '')];
  return candidates.some((candidate) => candidate.length >= 4 && commonPasswords().has(candidate));
}
