import { eq, inArray } from 'drizzle-orm';
import { roleLabels } from '../../access/roles.ts';
import { type Actor, scopeRoots } from '../../access/scope.ts';
import { users } from '../../db/schema/accounts.ts';
import { regions } from '../../db/schema/regions.ts';
import type { AppContext } from '../../http/context.ts';
import type { Me } from './accounts.schemas.ts';

export async function presentMe(context: AppContext, actor: Actor): Promise<Me> {
  const { db } = context.database;
  const [user] = await db
    .select({ totpEnabled: users.totpEnabled, isDemo: users.isDemo })
    .from(users)
    .where(eq(users.id, actor.userId));
  const roots = scopeRoots(actor.scope);
  const names =
    roots && roots.length > 0
      ? await db
          .select({ code: regions.code, name: regions.name })
          .from(regions)
          .where(inArray(regions.code, roots))
      : [];
  const label =
    actor.scope.kind === 'all'
      ? '全省'
      : actor.scope.kind === 'none'
        ? '无业务数据范围'
        : names.map((row) => row.name).join('、') || '未分配';
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
