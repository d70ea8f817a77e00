import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Actor } from '../../access/scope.ts';
import type { Executor } from '../../db/client.ts';
import { users } from '../../db/schema/accounts.ts';
import { entities } from '../../db/schema/entities.ts';
import { enterpriseInvitations } from '../../db/schema/entity-registry.ts';
import { regions } from '../../db/schema/regions.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError, conflict, invalidFields, notFound } from '../../http/errors.ts';
import { hashPassword, passwordProblems } from '../accounts/password.ts';
import { insertAccount } from '../accounts/user.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { requireVisibleEntity } from './entities.service.ts';
import type {
  AcceptInvitationInput,
  CreatedInvitation,
  CreateInvitationInput,
  InvitationStatus,
  InvitationView,
  PublicInvitation,
} from './invitations.schemas.ts';

export const INVITATION_VALID_DAYS = 7;

type InvitationRow = typeof enterpriseInvitations.$inferSelect;
type EntityRow = typeof entities.$inferSelect;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function statusOf(row: InvitationRow, now: Date): InvitationStatus {
  if (row.acceptedAt) return 'accepted';
  if (row.revokedAt) return 'revoked';
  if (row.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'pending';
}

const inviter = alias(users, 'inviter');
const acceptedUser = alias(users, 'accepted_user');

async function invitationViews(executor: Executor, condition: SQL): Promise<InvitationView[]> {
  const rows = await executor
    .select({
      invitation: enterpriseInvitations,
      invitedByName: inviter.displayName,
      acceptedUsername: acceptedUser.username,
      acceptedDisplayName: acceptedUser.displayName,
    })
    .from(enterpriseInvitations)
    .innerJoin(inviter, eq(inviter.id, enterpriseInvitations.invitedBy))
    .leftJoin(acceptedUser, eq(acceptedUser.id, enterpriseInvitations.acceptedUserId))
    .where(condition)
    .orderBy(desc(enterpriseInvitations.createdAt), desc(enterpriseInvitations.id));
  const now = new Date();
  return rows.map(({ invitation, invitedByName, acceptedUsername, acceptedDisplayName }) => ({
    id: invitation.id,
    entityId: invitation.entityId,
    inviteeName: invitation.inviteeName,
    status: statusOf(invitation, now),
    invitedByName,
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
    acceptedAt: invitation.acceptedAt?.toISOString() ?? null,
    acceptedUser:
      acceptedUsername && acceptedDisplayName
        ? { username: acceptedUsername, displayName: acceptedDisplayName }
        : null,
    revokedAt: invitation.revokedAt?.toISOString() ?? null,
  }));
}

/** The invitations of an entity the county operator may see, newest first. */
export async function listInvitations(
  context: AppContext,
  actor: Actor,
  entityId: string,
): Promise<InvitationView[]> {
  const { db } = context.database;
  await requireVisibleEntity(db, actor, entityId);
  return invitationViews(db, eq(enterpriseInvitations.entityId, entityId));
}

/**
 * Invites someone of an active entity to open an enterprise account. An entity may have several accounts
 * (several staff report for it), so an existing account or a pending invitation does not block another.
 */
export async function createInvitation(
  context: AppContext,
  actor: Actor,
  entityId: string,
  input: CreateInvitationInput,
): Promise<CreatedInvitation> {
  const token = randomBytes(32).toString('base64url');
  return context.database.db.transaction(async (tx) => {
    const entity = await requireVisibleEntity(tx, actor, entityId);
    if (entity.status !== 'active') throw conflict('entity_exited', '该市场主体已退出，不能邀请开通企业账号');
    const expiresAt = new Date(Date.now() + INVITATION_VALID_DAYS * 24 * 3600_000);
    const [row] = await tx
      .insert(enterpriseInvitations)
      .values({
        entityId,
        tokenSha256: hashToken(token),
        inviteeName: input.inviteeName,
        invitedBy: actor.userId,
        expiresAt,
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await recordAudit(tx, actor, {
      action: 'entity.invitation.create',
      targetType: 'entity',
      targetId: entityId,
      regionCode: entity.etownCode,
      diff: { invitationId: row.id, inviteeName: row.inviteeName, expiresAt: expiresAt.toISOString() },
    });
    const [invitation] = await invitationViews(tx, eq(enterpriseInvitations.id, row.id));
    if (!invitation) throw new Error('created invitation vanished');
    return { invitation, link: `/invite/${token}` };
  });
}

/** Withdraws a pending (or expired) invitation; an accepted one is an account, managed by the security admin. */
export async function revokeInvitation(
  context: AppContext,
  actor: Actor,
  entityId: string,
  invitationId: string,
): Promise<InvitationView> {
  return context.database.db.transaction(async (tx) => {
    const entity = await requireVisibleEntity(tx, actor, entityId);
    const where = and(
      eq(enterpriseInvitations.id, invitationId),
      eq(enterpriseInvitations.entityId, entityId),
    );
    const [revoked] = await tx
      .update(enterpriseInvitations)
      .set({ revokedAt: new Date() })
      .where(and(where, isNull(enterpriseInvitations.acceptedAt), isNull(enterpriseInvitations.revokedAt)))
      .returning();
    if (!revoked) {
      const [row] = await tx.select().from(enterpriseInvitations).where(where);
      if (!row) throw notFound('邀请');
      if (row.acceptedAt)
        throw conflict(
          'invitation_already_accepted',
          '该邀请已被接受、账号已开通，不能撤销；如需停用账号请联系安全管理员',
        );
      throw conflict('invitation_already_revoked', '该邀请已撤销');
    }
    await recordAudit(tx, actor, {
      action: 'entity.invitation.revoke',
      targetType: 'entity',
      targetId: entityId,
      regionCode: entity.etownCode,
      diff: { invitationId, inviteeName: revoked.inviteeName },
    });
    const [view] = await invitationViews(tx, eq(enterpriseInvitations.id, invitationId));
    return view as InvitationView;
  });
}

const invitationGone = (code: string, message: string) => new AppError(404, code, message);

/** Why a link cannot be used, each with its own stable code; all answer 404. */
function refuseUnusable(row: InvitationRow | undefined, entity: EntityRow | undefined, now: Date): void {
  if (!row || !entity)
    throw invitationGone('invitation_not_found', '邀请链接无效，请核对链接或联系县级主管部门重新邀请');
  const status = statusOf(row, now);
  if (status === 'accepted')
    throw invitationGone('invitation_used', '该邀请链接已使用过，账号已开通，请直接登录');
  if (status === 'revoked')
    throw invitationGone('invitation_revoked', '该邀请已被县级主管部门撤销，请联系其重新邀请');
  if (status === 'expired')
    throw invitationGone(
      'invitation_expired',
      `邀请链接已过期（有效期 ${INVITATION_VALID_DAYS} 天），请联系县级主管部门重新邀请`,
    );
  if (entity.status !== 'active')
    throw invitationGone('invitation_entity_exited', '该市场主体已退出，不能再开通企业账号');
}

async function findByToken(executor: Executor, token: string) {
  const [found] = await executor
    .select({ invitation: enterpriseInvitations, entity: entities })
    .from(enterpriseInvitations)
    .innerJoin(entities, eq(entities.id, enterpriseInvitations.entityId))
    .where(eq(enterpriseInvitations.tokenSha256, hashToken(token)));
  return found;
}

/** The public page's view of a usable invitation: names to greet with and the expiry, nothing personal. */
export async function readPublicInvitation(context: AppContext, token: string): Promise<PublicInvitation> {
  const { db } = context.database;
  const found = await findByToken(db, token);
  refuseUnusable(found?.invitation, found?.entity, new Date());
  const { invitation, entity } = found as NonNullable<typeof found>;
  const [etown] = await db
    .select({ name: regions.name })
    .from(regions)
    .where(eq(regions.code, entity.etownCode));
  return {
    entityName: entity.name,
    etownName: etown?.name ?? entity.etownCode,
    inviteeName: invitation.inviteeName,
    expiresAt: invitation.expiresAt.toISOString(),
  };
}

const isUniqueViolation = (error: unknown): boolean => {
  const candidate = error as { code?: string; cause?: { code?: string } } | null;
  return candidate?.code === '23505' || candidate?.cause?.code === '23505';
};

const usernameTaken = (username: string) =>
  conflict('username_taken', `用户名 ${username} 已被使用，请换一个`, [
    { path: 'username', message: '用户名已被使用' },
  ]);

/**
 * Opens the enterprise account: the user bound to the entity and its e-town, the invitation marked used,
 * in one transaction. The invitation is claimed by a conditional UPDATE, so of two concurrent accepts of
 * one link exactly one creates an account.
 */
export async function acceptInvitation(
  context: AppContext,
  token: string,
  input: AcceptInvitationInput,
  ip: string,
): Promise<{ username: string; entityName: string }> {
  const { db } = context.database;
  // Refuse a dead link before spending an argon2 hash on it.
  const found = await findByToken(db, token);
  refuseUnusable(found?.invitation, found?.entity, new Date());
  const problems = passwordProblems(input.password, input.username);
  if (problems.length > 0) throw invalidFields(problems.map((message) => ({ path: 'password', message })));
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const now = new Date();
      const [claimed] = await tx
        .update(enterpriseInvitations)
        .set({ acceptedAt: now })
        .where(
          and(
            eq(enterpriseInvitations.tokenSha256, hashToken(token)),
            isNull(enterpriseInvitations.acceptedAt),
            isNull(enterpriseInvitations.revokedAt),
            gt(enterpriseInvitations.expiresAt, now),
          ),
        )
        .returning();
      if (!claimed) {
        const current = await findByToken(tx, token);
        refuseUnusable(current?.invitation, current?.entity, now);
        throw invitationGone('invitation_used', '该邀请链接已使用过，账号已开通，请直接登录');
      }
      const [entity] = await tx.select().from(entities).where(eq(entities.id, claimed.entityId));
      // The claim is rolled back with this refusal: the entity left while the invitee was filling in.
      if (entity?.status !== 'active')
        throw invitationGone('invitation_entity_exited', '该市场主体已退出，不能再开通企业账号');
      const { etownCode, name: entityName } = entity;
      const [existing] = await tx
        .select({ id: users.id })
        .from(users)
        .where(eq(users.username, input.username));
      if (existing) throw usernameTaken(input.username);
      const user = await insertAccount(tx, {
        username: input.username,
        displayName: input.displayName,
        role: 'enterprise',
        scopeRegionCode: etownCode,
        entityId: claimed.entityId,
        passwordHash,
        // They chose the password themselves; nothing temporary to replace.
        mustChangePassword: false,
        passwordChangedAt: now,
      });
      await tx
        .update(enterpriseInvitations)
        .set({ acceptedUserId: user.id })
        .where(eq(enterpriseInvitations.id, claimed.id));
      await recordAudit(
        tx,
        { userId: user.id, username: input.username, role: 'enterprise', ip },
        {
          action: 'user.create_by_invitation',
          targetType: 'user',
          targetId: user.id,
          regionCode: etownCode,
          diff: {
            username: input.username,
            role: 'enterprise',
            scopeRegionCode: etownCode,
            entityId: claimed.entityId,
            invitationId: claimed.id,
          },
        },
      );
      return { username: input.username, entityName };
    });
  } catch (error) {
    // Two invitations accepted at once with the same username: the unique index decides.
    if (isUniqueViolation(error)) throw usernameTaken(input.username);
    throw error;
  }
}
