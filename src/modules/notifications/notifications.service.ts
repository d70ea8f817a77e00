import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import type { Executor } from '../../db/client.ts';
import { type Role, users } from '../../db/schema/accounts.ts';
import { notifications } from '../../db/schema/evaluations.ts';
import type { AppContext } from '../../http/context.ts';
import { notFound } from '../../http/errors.ts';

export type NewNotification = {
  kind: string;
  title: string;
  body: string;
  evaluationId?: string | null;
};

/** Users of a role whose scope covers a region code (province-wide roles have no scope region). */
export async function usersCovering(executor: Executor, role: Role, regionCode: string): Promise<string[]> {
  const rows = await executor
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.role, role),
        eq(users.disabled, false),
        or(isNull(users.scopeRegionCode), sql`${regionCode} like ${users.scopeRegionCode} || '%'`),
      ),
    );
  return rows.map((row) => row.id);
}

/** Writes one notification per recipient, inside the caller's transaction. */
export async function notifyUsers(executor: Executor, userIds: string[], notification: NewNotification) {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return;
  await executor.insert(notifications).values(
    unique.map((userId) => ({
      userId,
      kind: notification.kind,
      title: notification.title,
      body: notification.body,
      evaluationId: notification.evaluationId ?? null,
    })),
  );
}

export type NotificationView = {
  id: string;
  kind: string;
  title: string;
  body: string;
  evaluationId: string | null;
  read: boolean;
  createdAt: string;
};

export async function listNotifications(
  context: AppContext,
  actor: Actor,
  options: { unreadOnly: boolean; limit: number },
): Promise<{ unreadCount: number; items: NotificationView[] }> {
  const { db } = context.database;
  const mine = eq(notifications.userId, actor.userId);
  // One round trip: the page with the unread count beside each row (and alone when the page is empty).
  const unreadCount = sql<number>`(select count(*)::int from ${notifications} where ${mine} and ${isNull(notifications.readAt)})`;
  const rows = await db
    .select({ notification: notifications, unreadCount })
    .from(notifications)
    .where(and(mine, options.unreadOnly ? isNull(notifications.readAt) : undefined))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(options.limit);
  const unread =
    rows.length > 0
      ? { count: rows[0]?.unreadCount ?? 0 }
      : (await db.select({ count: unreadCount }).from(sql`(select 1) as one`))[0];
  return {
    unreadCount: unread?.count ?? 0,
    items: rows.map(({ notification: row }) => ({
      id: row.id,
      kind: row.kind,
      title: row.title,
      body: row.body,
      evaluationId: row.evaluationId,
      read: row.readAt !== null,
      createdAt: row.createdAt.toISOString(),
    })),
  };
}

/** Marks one of the caller's notifications read; someone else's answers 404. */
export async function markNotificationRead(context: AppContext, actor: Actor, id: string) {
  const updated = await context.database.db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, id), eq(notifications.userId, actor.userId)))
    .returning({ id: notifications.id });
  if (updated.length === 0) throw notFound('通知');
}

export async function markAllNotificationsRead(context: AppContext, actor: Actor): Promise<number> {
  const updated = await context.database.db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(notifications.userId, actor.userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return updated.length;
}
