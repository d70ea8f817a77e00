import { eq, inArray, sql } from 'drizzle-orm';
import { roleLabels } from '../../access/roles.ts';
import { type Actor, scopeRoots } from '../../access/scope.ts';
import { users } from '../../db/schema/accounts.ts';
import { regions } from '../../db/schema/regions.ts';
import type { AppContext } from '../../http/context.ts';
import type { Me } from './accounts.schemas.ts';

export async function presentMe(context: AppContext, actor: Actor): Promise<Me> {
  const { db } = context.database;
  const roots = scopeRoots(actor.scope);
  // One round trip: the account's own flags (fresh, since enrolling TOTP presents the actor from before)
  // and the names of its scope's regions.
  const [user] = await db
    .select({
      totpEnabled: users.totpEnabled,
      isDemo: users.isDemo,
      regionNames: sql<string[] | null>`(select array_agg(${regions.name} order by ${regions.code})
        from ${regions} where ${roots && roots.length > 0 ? inArray(regions.code, roots) : sql`false`})`,
    })
    .from(users)
    .where(eq(users.id, actor.userId));
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
