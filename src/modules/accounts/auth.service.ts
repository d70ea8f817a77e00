import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { totpRequiredRoles } from '../../access/roles.ts';
import type { Actor } from '../../access/scope.ts';
import { loginThrottles, users } from '../../db/schema/accounts.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError, conflict, invalidFields } from '../../http/errors.ts';
import { loadQrCode } from '../../lib/lazy-packages.ts';
import { sm4Decrypt, sm4Encrypt } from '../../lib/national-crypto.ts';
import { recordAudit, recordAuditAlone } from '../audit/audit.service.ts';
import { dummyPasswordHash, hashPassword, passwordProblems, verifyPassword } from './password.ts';
import { rememberReplacedPassword, reusedPasswordText, reusesRecentPassword } from './password-history.ts';
import { actorFor, createSession, deleteSessionsOfUser } from './session.service.ts';
import { matchTotpStep, newTotpSecret, totpFor } from './totp.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 30;

export type LoginInput = { username: string; password: string; totp?: string | undefined };
export type LoginResult = { token: string; actor: Actor };

const invalidCredentials = () => new AppError(401, 'invalid_credentials', '用户名或密码错误');
const accountLocked = (until: Date) =>
  new AppError(
    423,
    'account_locked',
    `连续 ${MAX_FAILED_LOGINS} 次登录失败，账号已锁定 ${LOCKOUT_MINUTES} 分钟，请稍后再试或联系安全管理员`,
    { lockedUntil: until.toISOString() },
  );

/** Counts a failure against the submitted name (known or not); returns the lock end when this one locks. */
async function registerFailure(context: AppContext, username: string): Promise<Date | null> {
  const lockUntil = new Date(Date.now() + LOCKOUT_MINUTES * 60_000);
  const [row] = await context.database.db
    .insert(loginThrottles)
    .values({ username, failedCount: 1, lastFailedAt: new Date() })
    .onConflictDoUpdate({
      target: loginThrottles.username,
      set: {
        failedCount: sql`case when ${loginThrottles.lockedUntil} is not null then 1 else ${loginThrottles.failedCount} + 1 end`,
        lockedUntil: sql`null`,
        lastFailedAt: new Date(),
      },
    })
    .returning({ failedCount: loginThrottles.failedCount });
  if (row && row.failedCount >= MAX_FAILED_LOGINS) {
    await context.database.db
      .update(loginThrottles)
      .set({ lockedUntil: lockUntil })
      .where(eq(loginThrottles.username, username));
    return lockUntil;
  }
  return null;
}

type UserRow = typeof users.$inferSelect;

/**
 * Accepts a TOTP code once: the step it belongs to must be later than the last accepted one, claimed in
 * one conditional UPDATE so two concurrent uses of the same code cannot both pass.
 */
async function consumeTotpCode(context: AppContext, user: UserRow, code: string): Promise<boolean> {
  if (!user.totpSecretEncrypted) return false;
  const secret = sm4Decrypt(user.totpSecretEncrypted, context.secretKeyHex);
  const step = matchTotpStep(user.username, secret, code);
  if (step === null) return false;
  const claimed = await context.database.db
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, user.id), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
    .returning({ id: users.id });
  return claimed.length === 1;
}

export async function login(
  context: AppContext,
  input: LoginInput,
  ip: string,
  userAgent?: string,
): Promise<LoginResult> {
  const { db } = context.database;
  const username = input.username.trim().toLowerCase();
  const auditFailure = (reason: string) =>
    recordAuditAlone(db, { username, ip }, { action: 'auth.login', diff: { reason }, result: 'failure' });

  const [throttle] = await db.select().from(loginThrottles).where(eq(loginThrottles.username, username));
  if (throttle?.lockedUntil && throttle.lockedUntil.getTime() > Date.now()) {
    await auditFailure('locked');
    throw accountLocked(throttle.lockedUntil);
  }
  const [user] = await db.select().from(users).where(eq(users.username, username));
  const passwordOk = user
    ? await verifyPassword(user.passwordHash, input.password)
    : await verifyPassword(await dummyPasswordHash(), input.password).then(() => false);

  // What an account's state makes the answer must not depend on whether the password was right, or the
  // answer would tell a guesser the password of a disabled or two-factor account. So a disabled account
  // says so, and an account with TOTP asks for a code, whatever the password; with a code, a wrong
  // password and a wrong code answer alike.
  if (user?.disabled) {
    await auditFailure(passwordOk ? 'disabled' : 'disabled_bad_credentials');
    throw new AppError(423, 'account_locked', '账号已被安全管理员锁定，请联系安全管理员');
  }
  const wantsTotp = Boolean(user?.totpEnabled && user.totpSecretEncrypted);
  if (user && wantsTotp && !input.totp) {
    throw new AppError(401, 'totp_required', '请输入动态口令（6 位数字）');
  }
  const totpOk =
    !wantsTotp || (user && passwordOk ? await consumeTotpCode(context, user, input.totp ?? '') : false);
  if (!user || !passwordOk || !totpOk) {
    const lockedUntil = await registerFailure(context, username);
    await auditFailure(passwordOk ? 'bad_totp' : 'bad_credentials');
    if (lockedUntil) throw accountLocked(lockedUntil);
    if (wantsTotp) {
      throw new AppError(
        401,
        'totp_invalid',
        '密码或动态口令错误（每个动态口令只能使用一次，请等待下一个口令）',
      );
    }
    throw invalidCredentials();
  }
  await db.delete(loginThrottles).where(eq(loginThrottles.username, username));
  await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
  const token = await createSession(context, user.id, ip, userAgent);
  const actor = await actorFor(context, user, ip);
  await recordAuditAlone(db, actor, { action: 'auth.login', targetType: 'user', targetId: user.id });
  return { token, actor };
}

/** Changes the caller's password and ends their other sessions; the session `currentToken` stays. */
export async function changeOwnPassword(
  context: AppContext,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  currentToken: string | undefined,
) {
  const { db } = context.database;
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
  if (!user) throw new AppError(401, 'unauthenticated', '请先登录');
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw invalidFields([{ path: 'currentPassword', message: '当前密码不正确' }]);
  }
  const problems = passwordProblems(input.newPassword, user.username);
  if (problems.length === 0 && (await reusesRecentPassword(db, user, input.newPassword))) {
    problems.push(reusedPasswordText);
  }
  if (problems.length > 0) {
    throw invalidFields(problems.map((message) => ({ path: 'newPassword', message })));
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, mustChangePassword: false, passwordChangedAt: new Date(), updatedAt: new Date() })
      .where(eq(users.id, user.id));
    await deleteSessionsOfUser(context, user.id, { exceptToken: currentToken, executor: tx });
    await rememberReplacedPassword(tx, user.id, user.passwordHash);
    await recordAudit(tx, actor, {
      action: 'user.change_own_password',
      targetType: 'user',
      targetId: user.id,
    });
  });
}

export async function startTotpEnrollment(context: AppContext, actor: Actor) {
  const { db } = context.database;
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
  if (!user) throw new AppError(401, 'unauthenticated', '请先登录');
  if (user.totpEnabled)
    throw conflict('totp_already_enabled', '已绑定动态口令；如需更换请联系安全管理员重置');
  const secret = newTotpSecret();
  await db
    .update(users)
    .set({ totpSecretEncrypted: sm4Encrypt(secret, context.secretKeyHex), updatedAt: new Date() })
    .where(eq(users.id, user.id));
  const otpauthUrl = totpFor(user.username, secret).toString();
  return {
    secret,
    otpauthUrl,
    qrCodeDataUrl: await (await loadQrCode()).toDataURL(otpauthUrl, { margin: 1, width: 220 }),
  };
}

export async function confirmTotpEnrollment(context: AppContext, actor: Actor, code: string) {
  const { db } = context.database;
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
  if (!user?.totpSecretEncrypted) throw conflict('totp_not_started', '请先生成动态口令二维码');
  if (user.totpEnabled) throw conflict('totp_already_enabled', '已绑定动态口令');
  if (!(await consumeTotpCode(context, user, code))) {
    throw invalidFields([{ path: 'code', message: '动态口令错误、已过期或已使用过' }]);
  }
  await db.transaction(async (tx) => {
    await tx.update(users).set({ totpEnabled: true, updatedAt: new Date() }).where(eq(users.id, user.id));
    await recordAudit(tx, actor, { action: 'user.totp_enable', targetType: 'user', targetId: user.id });
  });
}

export async function disableOwnTotp(context: AppContext, actor: Actor, code: string) {
  const { db } = context.database;
  if (totpRequiredRoles.includes(actor.role)) {
    throw new AppError(403, 'totp_required_for_role', '管理员角色必须启用动态口令，不能关闭');
  }
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
  if (!user?.totpEnabled || !user.totpSecretEncrypted) throw conflict('totp_not_enabled', '尚未启用动态口令');
  if (!(await consumeTotpCode(context, user, code))) {
    throw invalidFields([{ path: 'code', message: '动态口令错误、已过期或已使用过' }]);
  }
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ totpEnabled: false, totpSecretEncrypted: null, totpLastStep: null, updatedAt: new Date() })
      .where(eq(users.id, user.id));
    await recordAudit(tx, actor, { action: 'user.totp_disable', targetType: 'user', targetId: user.id });
  });
}
