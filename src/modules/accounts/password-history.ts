import { and, desc, eq, notInArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { passwordHistory } from '../../db/schema/accounts.ts';
import { verifyPassword } from './password.ts';

/** How many earlier passwords a new one may not repeat (besides the current one). */
export const PASSWORD_HISTORY_DEPTH = 5;

export const reusedPasswordText = `新密码不能与当前密码或最近 ${PASSWORD_HISTORY_DEPTH} 次用过的密码相同`;

/** Whether `candidate` is the user's current password or one of their last five. */
export async function reusesRecentPassword(
  executor: Executor,
  user: { id: string; passwordHash: string },
  candidate: string,
): Promise<boolean> {
  const earlier = await executor
    .select({ passwordHash: passwordHistory.passwordHash })
    .from(passwordHistory)
    .where(eq(passwordHistory.userId, user.id))
    .orderBy(desc(passwordHistory.replacedAt))
    .limit(PASSWORD_HISTORY_DEPTH);
  for (const passwordHash of [user.passwordHash, ...earlier.map((row) => row.passwordHash)]) {
    if (await verifyPassword(passwordHash, candidate)) return true;
  }
  return false;
}

/** Keeps the hash a change replaces, and only the newest five of them. */
export async function rememberReplacedPassword(executor: Executor, userId: string, replacedHash: string) {
  await executor
    .insert(passwordHistory)
    .values({ userId, passwordHash: replacedHash, replacedAt: new Date() });
  const kept = executor
    .select({ id: passwordHistory.id })
    .from(passwordHistory)
    .where(eq(passwordHistory.userId, userId))
    .orderBy(desc(passwordHistory.replacedAt), desc(passwordHistory.id))
    .limit(PASSWORD_HISTORY_DEPTH);
  await executor
    .delete(passwordHistory)
    .where(and(eq(passwordHistory.userId, userId), notInArray(passwordHistory.id, kept)));
}
