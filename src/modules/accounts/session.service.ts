import { createHash, randomBytes } from 'node:crypto';
import { and, eq, lt, ne, sql } from 'drizzle-orm';
import { totpRequiredRoles } from '../../access/roles.ts';
import type { Actor, Scope } from '../../access/scope.ts';
import type { DatabaseHandle, Executor } from '../../db/client.ts';
import { expertAssignments, sessions, users } from '../../db/schema/accounts.ts';
import { regions } from '../../db/schema/regions.ts';
import type { AppContext } from '../../http/context.ts';

export const SESSION_COOKIE = 'ezhen_session';
const SESSION_ABSOLUTE_HOURS = 12;
const TOUCH_INTERVAL_MS = 30_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(context: AppContext, userId: string, ip: string, userAgent?: string) {
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  await context.database.db.insert(sessions).values({
    tokenHash: hashToken(token),
    userId,
    ip,
    userAgent: userAgent?.slice(0, 300) ?? null,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_HOURS * 3600_000),
  });
  return token;
}

export async function deleteSession(context: AppContext, token: string) {
  await context.database.db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
}

/** Ends every session of a user, or every one but the session `exceptToken` belongs to. */
export async function deleteSessionsOfUser(
  context: AppContext,
  userId: string,
  options: { exceptToken?: string | undefined; executor?: Executor } = {},
) {
  const executor = options.executor ?? context.database.db;
  const ofUser = eq(sessions.userId, userId);
  await executor
    .delete(sessions)
    .where(
      options.exceptToken ? and(ofUser, ne(sessions.tokenHash, hashToken(options.exceptToken))) : ofUser,
    );
}

type UserRow = typeof users.$inferSelect;

export async function scopeOf(context: AppContext, user: UserRow): Promise<Scope> {
  switch (user.role) {
    case 'province_admin':
    case 'security_admin':
      return { kind: 'all' };
    case 'auditor':
    case 'system_admin':
      return { kind: 'none' };
    case 'expert': {
      const rows = await context.database.db
        .select({ code: expertAssignments.etownCode })
        .from(expertAssignments)
        .where(eq(expertAssignments.userId, user.id));
      return { kind: 'etowns', codes: rows.map((row) => row.code) };
    }
    case 'enterprise':
      return user.scopeRegionCode
        ? { kind: 'entity', entityId: user.entityId, etownCode: user.scopeRegionCode }
        : { kind: 'none' };
    default:
      return user.scopeRegionCode ? { kind: 'region', code: user.scopeRegionCode } : { kind: 'none' };
  }
}

export async function actorFor(context: AppContext, user: UserRow, ip: string): Promise<Actor> {
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    scope: await scopeOf(context, user),
    ip,
    mustChangePassword: user.mustChangePassword,
    totpEnrollmentRequired: totpRequiredRoles.includes(user.role) && !user.totpEnabled,
  };
}

const sessionLookups = new WeakMap<DatabaseHandle, ReturnType<typeof prepareSessionLookup>>();

/**
 * The session with its account and scope region's name, by token hash: every request asks it, so it is
 * built once per database and sent as a named prepared statement (parsed and planned once per connection).
 */
function prepareSessionLookup(database: DatabaseHandle) {
  return database.db
    .select({ session: sessions, user: users, scopeRegionName: regions.name })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(regions, eq(regions.code, users.scopeRegionCode))
    .where(eq(sessions.tokenHash, sql.placeholder('tokenHash')))
    .limit(1)
    .prepare('session_actor');
}

function sessionLookup(database: DatabaseHandle) {
  let lookup = sessionLookups.get(database);
  if (!lookup) {
    lookup = prepareSessionLookup(database);
    sessionLookups.set(database, lookup);
  }
  return lookup;
}

/** The actor behind a session cookie, or null when the session is unknown, idle too long or expired. */
export async function loadSessionActor(
  context: AppContext,
  token: string,
  ip: string,
): Promise<Actor | null> {
  const { db } = context.database;
  const tokenHash = hashToken(token);
  const [row] = await sessionLookup(context.database).execute({ tokenHash });
  if (!row) return null;
  const now = Date.now();
  const idleLimit = context.config.sessionIdleMinutes * 60_000;
  if (
    row.user.disabled ||
    row.session.expiresAt.getTime() <= now ||
    row.session.lastSeenAt.getTime() + idleLimit <= now
  ) {
    await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
    return null;
  }
  if (now - row.session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db
      .update(sessions)
      .set({ lastSeenAt: new Date(now) })
      .where(eq(sessions.tokenHash, tokenHash));
  }
  const { totpEnabled, isDemo } = row.user;
  return {
    ...(await actorFor(context, row.user, ip)),
    session: { totpEnabled, isDemo, scopeRegionName: row.scopeRegionName },
  };
}

export async function purgeExpiredSessions(context: AppContext) {
  const idleCutoff = new Date(Date.now() - context.config.sessionIdleMinutes * 60_000);
  await context.database.db
    .delete(sessions)
    .where(sql`${sessions.expiresAt} <= now() or ${lt(sessions.lastSeenAt, idleCutoff)}`);
}
