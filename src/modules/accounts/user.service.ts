import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { roleLabels, scopeLevelByRole, separatedAdminRoles } from '../../access/roles.ts';
import type { Executor, Transaction } from '../../db/client.ts';
import { expertAssignments, loginThrottles, type Role, users } from '../../db/schema/accounts.ts';
import { entities } from '../../db/schema/entities.ts';
import { regions } from '../../db/schema/regions.ts';
import { updateVersioned } from '../../db/versioned-update.ts';
import type { AppContext } from '../../http/context.ts';
import {
  AppError,
  conflict,
  type FieldProblem,
  forbidden,
  invalidFields,
  notFound,
} from '../../http/errors.ts';
import { type AuditActor, diffObjects, recordAudit } from '../audit/audit.service.ts';
import type { CreateUserInput, UpdateUserInput, UserView } from './accounts.schemas.ts';
import { generatePassword, hashPassword, passwordProblems } from './password.ts';
import { rememberReplacedPassword } from './password-history.ts';
import { deleteSessionsOfUser } from './session.service.ts';

type UserRow = typeof users.$inferSelect;

/** 三员分立: the auditor, the security admin and the system admin. */
export const isSeparatedAdminRole = (role: Role) => (separatedAdminRoles as readonly Role[]).includes(role);

/**
 * An administrator signed in to the app (its actor carries a role), as opposed to the server console
 * (`ezhen user …`) or the seeder, which run with the rights of whoever owns the server and its database.
 */
const isSignedInAdministrator = (actor: AuditActor) => 'role' in actor;

/**
 * A separated admin account is opened and its password reset only at the server console, so no
 * administrator of the app ever learns another one's password (e.g. the security admin the auditor's).
 */
function refuseSeparatedAdminInApp(actor: AuditActor, role: Role, what: string) {
  if (isSignedInAdministrator(actor) && isSeparatedAdminRole(role)) {
    throw new AppError(
      403,
      'separated_admin_console_only',
      `${roleLabels[role]}账号不能在平台内${what}：三员账号只能由服务器管理员用 ezhen user 命令${what}，其他管理员不得获知其密码`,
    );
  }
}

/** No account ever holds two of the three roles, one after the other included: a new duty, a new account. */
function refuseSeparatedAdminRoleChange(before: Role, after: Role) {
  if (before === after || (!isSeparatedAdminRole(before) && !isSeparatedAdminRole(after))) return;
  throw new AppError(
    403,
    'separated_admin_role_fixed',
    isSeparatedAdminRole(before)
      ? `${roleLabels[before]}账号的角色不能变更（三员分立）；如需其他职责请另建账号`
      : `不能把已有账号改为${roleLabels[after]}（三员分立）；三员账号须单独创建`,
    [{ path: 'role' }],
  );
}

/** The log must always have a reader: the last enabled auditor cannot be locked. */
async function refuseLockingLastAuditor(executor: Executor, target: UserRow) {
  if (target.role !== 'auditor' || target.disabled) return;
  // Lock the auditor rows so two administrators locking the last two auditors at once cannot both pass.
  const auditors = await executor
    .select({ id: users.id, disabled: users.disabled })
    .from(users)
    .where(eq(users.role, 'auditor'))
    .for('update');
  if (!auditors.some((auditor) => auditor.id !== target.id && !auditor.disabled)) {
    throw conflict('last_auditor', '不能锁定唯一的审计管理员账号：审计日志须始终有人查阅');
  }
}

const scopeLevelLabels = { province: '省', city: '市', county: '县', etown: 'e镇' } as const;

/** Checks that the scope fits the role: a city reviewer needs a city, an expert needs e-towns, … */
async function scopeProblems(
  executor: Executor,
  role: Role,
  scopeRegionCode: string | null | undefined,
  expertEtownCodes: string[] | undefined,
  entityId: string | null | undefined,
): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  const level = scopeLevelByRole[role];
  if (level) {
    if (!scopeRegionCode) {
      problems.push({
        path: 'scopeRegionCode',
        message: `${roleLabels[role]}须指定所属${scopeLevelLabels[level]}`,
      });
    } else {
      const [region] = await executor.select().from(regions).where(eq(regions.code, scopeRegionCode));
      if (!region) problems.push({ path: 'scopeRegionCode', message: `区划 ${scopeRegionCode} 不存在` });
      else if (region.level !== level) {
        problems.push({
          path: 'scopeRegionCode',
          message: `${roleLabels[role]}的范围须为${scopeLevelLabels[level]}级区划，${region.name}是${scopeLevelLabels[region.level]}级`,
        });
      }
    }
  } else if (scopeRegionCode) {
    problems.push({ path: 'scopeRegionCode', message: `${roleLabels[role]}不按区划分配范围` });
  }
  if (role === 'expert' && expertEtownCodes && expertEtownCodes.length > 0) {
    const found = await executor
      .select({ code: regions.code })
      .from(regions)
      .where(inArray(regions.code, expertEtownCodes));
    const known = new Set(found.map((row) => row.code));
    expertEtownCodes.forEach((code, index) => {
      if (!known.has(code))
        problems.push({ path: `expertEtownCodes.${index}`, message: `e镇 ${code} 不存在` });
    });
  } else if (role !== 'expert' && expertEtownCodes && expertEtownCodes.length > 0) {
    problems.push({ path: 'expertEtownCodes', message: '只有评审专家可以分配e镇' });
  }
  if (entityId) {
    if (role !== 'enterprise')
      problems.push({ path: 'entityId', message: '只有市场主体账号可以关联市场主体' });
    else {
      const [entity] = await executor.select().from(entities).where(eq(entities.id, entityId));
      if (!entity) problems.push({ path: 'entityId', message: '市场主体不存在' });
      else if (entity.etownCode !== scopeRegionCode) {
        problems.push({ path: 'entityId', message: '市场主体不在所选e镇内' });
      }
    }
  }
  return problems;
}

export async function presentUsers(executor: Executor, rows: UserRow[]): Promise<UserView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const usernames = rows.map((row) => row.username);
  const scopeCodes = [...new Set(rows.map((row) => row.scopeRegionCode).filter((c): c is string => !!c))];
  const [assignments, throttles, regionNames] = await Promise.all([
    executor.select().from(expertAssignments).where(inArray(expertAssignments.userId, ids)),
    executor.select().from(loginThrottles).where(inArray(loginThrottles.username, usernames)),
    scopeCodes.length
      ? executor
          .select({ code: regions.code, name: regions.name })
          .from(regions)
          .where(inArray(regions.code, scopeCodes))
      : Promise.resolve([]),
  ]);
  const nameByCode = new Map(regionNames.map((row) => [row.code, row.name]));
  const now = Date.now();
  return rows.map((row) => {
    const lockedUntil = throttles.find((t) => t.username === row.username)?.lockedUntil;
    return {
      id: row.id,
      username: row.username,
      displayName: row.displayName,
      role: row.role,
      roleLabel: roleLabels[row.role],
      scopeRegionCode: row.scopeRegionCode,
      scopeRegionName: row.scopeRegionCode ? (nameByCode.get(row.scopeRegionCode) ?? null) : null,
      expertEtownCodes: assignments.filter((a) => a.userId === row.id).map((a) => a.etownCode),
      disabled: row.disabled,
      lockedUntil: lockedUntil && lockedUntil.getTime() > now ? lockedUntil.toISOString() : null,
      totpEnabled: row.totpEnabled,
      mustChangePassword: row.mustChangePassword,
      isDemo: row.isDemo,
      lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
      version: row.version,
    };
  });
}

export async function listUsers(context: AppContext): Promise<UserView[]> {
  const { db } = context.database;
  return presentUsers(db, await db.select().from(users).orderBy(asc(users.username)));
}

async function getUserRow(executor: Executor, id: string): Promise<UserRow> {
  const [row] = await executor.select().from(users).where(eq(users.id, id));
  if (!row) throw notFound('用户');
  return row;
}

export async function findUserByUsername(context: AppContext, username: string) {
  const [row] = await context.database.db.select().from(users).where(eq(users.username, username));
  return row ?? null;
}

export type NewAccount = Pick<
  typeof users.$inferInsert,
  | 'username'
  | 'displayName'
  | 'role'
  | 'scopeRegionCode'
  | 'entityId'
  | 'passwordHash'
  | 'mustChangePassword'
  | 'passwordChangedAt'
  | 'isDemo'
>;

/**
 * Inserts an account inside the caller's transaction; the caller has checked the scope and the username
 * (the unique index still decides a race) and records the audit entry that fits its use case.
 */
export async function insertAccount(tx: Transaction, account: NewAccount): Promise<UserRow> {
  const [row] = await tx.insert(users).values(account).returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

/** Gives experts these e-towns (their scope); assignments they already have stay. */
export async function assignExpertsToEtown(
  tx: Transaction,
  expertUserIds: readonly string[],
  etownCodes: readonly string[],
) {
  const rows = expertUserIds.flatMap((userId) => etownCodes.map((etownCode) => ({ userId, etownCode })));
  if (rows.length > 0) await tx.insert(expertAssignments).values(rows).onConflictDoNothing();
}

/**
 * Binds an enterprise account of this e-town that has no entity yet to the entity (an admitted entry
 * application); answers whether it was bound (an account of another kind or already bound is left alone).
 */
export async function bindEnterpriseAccountToEntity(
  tx: Transaction,
  account: { userId: string; etownCode: string; entityId: string },
): Promise<boolean> {
  const linked = await tx
    .update(users)
    .set({ entityId: account.entityId, updatedAt: new Date() })
    .where(
      and(
        eq(users.id, account.userId),
        eq(users.role, 'enterprise'),
        eq(users.scopeRegionCode, account.etownCode),
        isNull(users.entityId),
      ),
    )
    .returning({ id: users.id });
  return linked.length > 0;
}

export type CreateUserOptions = { password?: string; mustChangePassword?: boolean; isDemo?: boolean };

/** Creates an account; without a given password a temporary one is generated and must be changed. */
export async function createUser(
  context: AppContext,
  actor: AuditActor,
  input: CreateUserInput,
  options: CreateUserOptions = {},
  executor: Executor = context.database.db,
): Promise<{ user: UserView; temporaryPassword: string }> {
  refuseSeparatedAdminInApp(actor, input.role, '创建');
  const password = options.password ?? generatePassword();
  const passwordIssues = passwordProblems(password, input.username);
  if (options.password && passwordIssues.length > 0) {
    throw invalidFields(passwordIssues.map((message) => ({ path: 'password', message })));
  }
  const passwordHash = await hashPassword(password);
  const created = await executor.transaction(async (tx) => {
    const problems = await scopeProblems(
      tx,
      input.role,
      input.scopeRegionCode,
      input.expertEtownCodes,
      input.entityId,
    );
    if (problems.length > 0) throw invalidFields(problems);
    const [existing] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(users.username, input.username));
    if (existing)
      throw conflict('username_taken', `用户名 ${input.username} 已被使用`, [{ path: 'username' }]);
    const row = await insertAccount(tx, {
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      scopeRegionCode: input.scopeRegionCode ?? null,
      entityId: input.entityId ?? null,
      passwordHash,
      mustChangePassword: options.mustChangePassword ?? true,
      isDemo: options.isDemo ?? false,
    });
    if (input.role === 'expert' && input.expertEtownCodes?.length) {
      await assignExpertsToEtown(tx, [row.id], input.expertEtownCodes);
    }
    await recordAudit(tx, actor, {
      action: 'user.create',
      targetType: 'user',
      targetId: row.id,
      diff: {
        username: row.username,
        role: row.role,
        scopeRegionCode: row.scopeRegionCode,
        expertEtownCodes: input.expertEtownCodes ?? [],
      },
    });
    return row;
  });
  const [user] = await presentUsers(context.database.db, [created]);
  if (!user) throw new Error('created user vanished');
  return { user, temporaryPassword: password };
}

/** An administrator cannot lock out or demote the account they are using. */
function refuseSelf(actor: AuditActor, id: string, what: string) {
  if ('userId' in actor && actor.userId === id) throw forbidden(`不能${what}：这是当前登录的账号`);
}

export async function updateUser(context: AppContext, actor: AuditActor, id: string, input: UpdateUserInput) {
  const { db } = context.database;
  if (input.role !== undefined || input.scopeRegionCode !== undefined)
    refuseSelf(actor, id, '修改角色或范围');
  const updated = await db.transaction(async (tx) => {
    const before = await getUserRow(tx, id);
    const role = input.role ?? before.role;
    refuseSeparatedAdminRoleChange(before.role, role);
    const scopeRegionCode =
      input.scopeRegionCode !== undefined ? input.scopeRegionCode : before.scopeRegionCode;
    const entityId = input.entityId !== undefined ? input.entityId : before.entityId;
    const currentAssignments = await tx
      .select()
      .from(expertAssignments)
      .where(eq(expertAssignments.userId, id));
    const expertEtownCodes =
      role === 'expert' ? (input.expertEtownCodes ?? currentAssignments.map((a) => a.etownCode)) : undefined;
    const problems = await scopeProblems(tx, role, scopeRegionCode, expertEtownCodes, entityId);
    if (problems.length > 0) throw invalidFields(problems);
    const row = await updateVersioned(
      tx,
      users,
      eq(users.id, id),
      input.version,
      {
        displayName: input.displayName ?? before.displayName,
        role,
        scopeRegionCode: scopeRegionCode ?? null,
        entityId: entityId ?? null,
        updatedAt: new Date(),
      },
      async (current) => (await presentUsers(tx, [current]))[0],
      '用户',
    );
    await tx.delete(expertAssignments).where(eq(expertAssignments.userId, id));
    if (expertEtownCodes?.length) {
      await tx
        .insert(expertAssignments)
        .values(expertEtownCodes.map((etownCode) => ({ userId: id, etownCode })));
    }
    await recordAudit(tx, actor, {
      action: 'user.update',
      targetType: 'user',
      targetId: id,
      diff: diffObjects(
        { ...before, expertEtownCodes: currentAssignments.map((a) => a.etownCode) },
        {
          displayName: row.displayName,
          role,
          scopeRegionCode: row.scopeRegionCode,
          entityId: row.entityId,
          expertEtownCodes: expertEtownCodes ?? [],
        },
      ),
    });
    return row;
  });
  // A changed role or scope takes effect at once: the user signs in again.
  await deleteSessionsOfUser(context, id);
  const [view] = await presentUsers(db, [updated]);
  return view as UserView;
}

export async function resetPassword(
  context: AppContext,
  actor: AuditActor,
  id: string,
  options: { password?: string } = {},
) {
  const { db } = context.database;
  const row = await getUserRow(db, id);
  refuseSeparatedAdminInApp(actor, row.role, '重置密码');
  const password = options.password ?? generatePassword();
  const problems = passwordProblems(password, row.username);
  if (problems.length > 0) throw invalidFields(problems.map((message) => ({ path: 'password', message })));
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, mustChangePassword: true, updatedAt: new Date() })
      .where(eq(users.id, id));
    await rememberReplacedPassword(tx, id, row.passwordHash);
    await tx.delete(loginThrottles).where(eq(loginThrottles.username, row.username));
    await recordAudit(tx, actor, { action: 'user.reset_password', targetType: 'user', targetId: id });
  });
  await deleteSessionsOfUser(context, id);
  const [view] = await presentUsers(db, [{ ...row, mustChangePassword: true }]);
  return { user: view as UserView, temporaryPassword: password };
}

/** Lock (disable) or unlock an account; unlocking also clears a lockout from failed logins. */
export async function setUserLocked(context: AppContext, actor: AuditActor, id: string, locked: boolean) {
  const { db } = context.database;
  if (locked) refuseSelf(actor, id, '锁定');
  const row = await db.transaction(async (tx) => {
    const before = await getUserRow(tx, id);
    if (locked) await refuseLockingLastAuditor(tx, before);
    const [after] = await tx
      .update(users)
      .set({ disabled: locked, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning();
    if (!locked) await tx.delete(loginThrottles).where(eq(loginThrottles.username, before.username));
    await recordAudit(tx, actor, {
      action: locked ? 'user.lock' : 'user.unlock',
      targetType: 'user',
      targetId: id,
      diff: { disabled: { before: before.disabled, after: locked } },
    });
    return after as UserRow;
  });
  if (locked) await deleteSessionsOfUser(context, id);
  const [view] = await presentUsers(db, [row]);
  return view as UserView;
}

export async function resetTotp(context: AppContext, actor: AuditActor, id: string) {
  const { db } = context.database;
  const row = await db.transaction(async (tx) => {
    await getUserRow(tx, id);
    const [after] = await tx
      .update(users)
      .set({ totpEnabled: false, totpSecretEncrypted: null, totpLastStep: null, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning();
    await recordAudit(tx, actor, { action: 'user.reset_totp', targetType: 'user', targetId: id });
    return after as UserRow;
  });
  await deleteSessionsOfUser(context, id);
  const [view] = await presentUsers(db, [row]);
  return view as UserView;
}

export type ExpertView = { id: string; username: string; displayName: string; etownCodes: string[] };

/** The expert accounts the province can assign to evaluations, with the e-towns each already covers. */
export async function listExperts(context: AppContext): Promise<ExpertView[]> {
  const { db } = context.database;
  const rows = await db
    .select({ id: users.id, username: users.username, displayName: users.displayName })
    .from(users)
    .where(and(eq(users.role, 'expert'), eq(users.disabled, false)))
    .orderBy(asc(users.username));
  if (rows.length === 0) return [];
  const assignments = await db
    .select()
    .from(expertAssignments)
    .where(
      inArray(
        expertAssignments.userId,
        rows.map((row) => row.id),
      ),
    );
  return rows.map((row) => ({
    ...row,
    etownCodes: assignments.filter((a) => a.userId === row.id).map((a) => a.etownCode),
  }));
}
