import { eq, inArray, sql } from 'drizzle-orm';
import { roleLabels } from '../../access/roles.ts';
import { type Actor, scopeRoots } from '../../access/scope.ts';
import { users } from '../../db/schema/accounts.ts';
import { regions } from '../../db/schema/regions.ts';
import type { AppContext } from '../../http/context.ts';
import type { Me } from './accounts.schemas.ts';

/**
 * The account's flags and its scope's region names: as the session check read them when `fromSession`
 * (no further query for a scope of one region), else fresh — a TOTP enrolment or a password change
 * presents the actor from before its own change.
 */
async function accountOf(context: AppContext, actor: Actor, fromSession: boolean) {
  const roots = scopeRoots(actor.scope);
  const { session } = actor;
  // An expert's e-towns come from assignments, not the account's one scope region.
  if (fromSession && session && actor.scope.kind !== 'etowns') {
    return { ...session, regionNames: session.scopeRegionName ? [session.scopeRegionName] : null };
  }
  // One round trip: the account's own flags and the names of its scope's regions.
  const [user] = await context.database.db
    .select({
      totpEnabled: users.totpEnabled,
      isDemo: users.isDemo,
      regionNames: sql<string[] | null>`(select array_agg(${regions.name} order by ${regions.code})
        from ${regions} where ${roots && roots.length > 0 ? inArray(regions.code, roots) : sql`false`})`,
    })
    .from(users)
    .where(eq(users.id, actor.userId));
  return user;
}

export async function presentMe(
  context: AppContext,
  actor: Actor,
  options = { fromSession: false },
): Promise<Me> {
  const roots = scopeRoots(actor.scope);
  const user = await accountOf(context, actor, options.fromSession);
  const names = user?.regionNames ?? [];
  const label =
    actor.scope.kind === 'all'
      ? '全省'
      : actor.scope.kind === 'none'
        ? '无业务数据范围'
        : names.join('、') || '未分配';
  return {
    id: actor.userId,
    username: actor.username,
    displayName: actor.displayName,
    role: actor.role,
    roleLabel: roleLabels[actor.role],
    scope: {
      kind: actor.scope.kind,
      label,
      regionCodes: roots ?? [],
      entityId: actor.scope.kind === 'entity' ? actor.scope.entityId : null,
    },
    mustChangePassword: actor.mustChangePassword,
    totpEnrollmentRequired: actor.totpEnrollmentRequired,
    totpEnabled: user?.totpEnabled ?? false,
    sessionIdleMinutes: context.config.sessionIdleMinutes,
    isDemo: user?.isDemo ?? false,
  };
}
