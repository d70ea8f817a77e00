import type { BrandAuthorizationStatus } from '../../db/schema/traceability.ts';

/** What the public and the lists see: an authorized row is `active`, `not_started` or `expired` by its term. */
export const effectiveAuthorizationStatuses = [
  'applied',
  'rejected',
  'active',
  'not_started',
  'expired',
  'suspended',
  'revoked',
] as const;
export type EffectiveAuthorizationStatus = (typeof effectiveAuthorizationStatuses)[number];

export const authorizationStatusLabels: Record<BrandAuthorizationStatus, string> = {
  applied: '待审核',
  authorized: '已授权',
  rejected: '已驳回',
  suspended: '已暂停',
  revoked: '已撤销',
};

type Term = { status: BrandAuthorizationStatus; validFrom: string | null; validTo: string | null };

/** Expiry is read from the term, never stored, so an authorization stops counting the day after it ends. */
export function effectiveAuthorizationStatus(row: Term, today: string): EffectiveAuthorizationStatus {
  if (row.status !== 'authorized') return row.status;
  if (row.validTo && row.validTo < today) return 'expired';
  if (row.validFrom && row.validFrom > today) return 'not_started';
  return 'active';
}

export const authorizationActions = {
  authorize: { from: ['applied'], label: '授权' },
  reject: { from: ['applied'], label: '驳回' },
  suspend: { from: ['authorized'], label: '暂停' },
  reinstate: { from: ['suspended'], label: '恢复' },
  revoke: { from: ['authorized', 'suspended'], label: '撤销' },
  renew: { from: ['authorized'], label: '续期' },
  supervise: { from: ['authorized', 'suspended'], label: '监督检查' },
} as const satisfies Record<string, { from: readonly BrandAuthorizationStatus[]; label: string }>;
export type AuthorizationAction = keyof typeof authorizationActions;

/** Null when the action may run from this status; otherwise the Chinese sentence of the refusal. */
export function transitionRefusal(
  status: BrandAuthorizationStatus,
  action: AuthorizationAction,
): string | null {
  const rule = authorizationActions[action];
  if ((rule.from as readonly BrandAuthorizationStatus[]).includes(status)) return null;
  const allowed = rule.from.map((from) => `“${authorizationStatusLabels[from]}”`).join('或');
  return `该授权当前为“${authorizationStatusLabels[status]}”，不能${rule.label}（仅${allowed}的授权可以${rule.label}）`;
}

const pinyinCollator = new Intl.Collator('zh-Hans-CN-u-co-pinyin');
// The first character of each initial in pinyin order; a character's initial is the last one it sorts after.
const initialBoundaries: [string, string][] = [
  ['A', '阿'],
  ['B', '八'],
  ['C', '嚓'],
  ['D', '哒'],
  ['E', '妸'],
  ['F', '发'],
  ['G', '旮'],
  ['H', '哈'],
  ['J', '讥'],
  ['K', '咔'],
  ['L', '垃'],
  ['M', '妈'],
  ['N', '拏'],
  ['O', '噢'],
  ['P', '妑'],
  ['Q', '七'],
  ['R', '呥'],
  ['S', '仨'],
  ['T', '它'],
  ['W', '屲'],
  ['X', '夕'],
  ['Y', '丫'],
  ['Z', '帀'],
];

function initialOf(character: string): string {
  if (/[A-Za-z0-9]/.test(character)) return character.toUpperCase();
  if (!/\p{Script=Han}/u.test(character)) return '';
  let initial = '';
  for (const [letter, boundary] of initialBoundaries) {
    if (pinyinCollator.compare(character, boundary) < 0) break;
    initial = letter;
  }
  return initial;
}

/** The certificate prefix of a brand: its pinyin initials, 垣曲六宝 → YQLB (at most 6 letters). */
export function certificatePrefix(brandName: string): string {
  const letters = [...brandName].map(initialOf).join('').slice(0, 6);
  return letters || 'PP';
}

/** The next number of the series `PREFIX-YEAR-0001` given the numbers already issued in it. */
export function nextCertificateNumber(prefix: string, year: number, issued: readonly string[]): string {
  const head = `${prefix}-${year}-`;
  let highest = 0;
  for (const number of issued) {
    if (!number.startsWith(head)) continue;
    const serial = Number(number.slice(head.length));
    if (Number.isSafeInteger(serial)) highest = Math.max(highest, serial);
  }
  return `${head}${String(highest + 1).padStart(4, '0')}`;
}
