import { and, asc, desc, eq, inArray, like, sql } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import type { Executor, Transaction } from '../../db/client.ts';
import { users } from '../../db/schema/accounts.ts';
import { brands } from '../../db/schema/brands.ts';
import { entities } from '../../db/schema/entities.ts';
import {
  type BrandAuthorizationStatus,
  brandAuthorizationEvents,
  brandAuthorizations,
  brandSupervisionChecks,
} from '../../db/schema/traceability.ts';
import { staleVersion } from '../../db/versioned-update.ts';
import type { AppContext } from '../../http/context.ts';
import { conflict, invalidFields } from '../../http/errors.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { requireVisibleEntity } from '../entities/entities.service.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';
import { invalidateScanPages } from '../trace/scan-cache.ts';
import {
  type AuthorizationAction,
  certificatePrefix,
  effectiveAuthorizationStatus,
  nextCertificateNumber,
  transitionRefusal,
} from './authorization-rules.ts';
import {
  authorizationScopeCondition,
  regionPrefix,
  requireVisibleAuthorization,
  requireVisibleBrand,
} from './brand-access.ts';
import type {
  ApplyAuthorizationInput,
  AuthorizationDetail,
  AuthorizationSummary,
  AuthorizeInput,
  ReasonInput,
  RenewInput,
  SupervisionCheckInput,
} from './brands.schemas.ts';

type AuthorizationRow = typeof brandAuthorizations.$inferSelect;
type Row = { authorization: AuthorizationRow; brandName: string; etownCode: string; entityName: string };

const openStatuses: BrandAuthorizationStatus[] = ['applied', 'authorized', 'suspended'];

/** Summaries of authorization rows with their last supervision check. */
export async function presentAuthorizations(
  executor: Executor,
  rows: Row[],
): Promise<AuthorizationSummary[]> {
  const ids = rows.map((row) => row.authorization.id);
  const checks = ids.length
    ? await executor
        .select()
        .from(brandSupervisionChecks)
        .where(inArray(brandSupervisionChecks.authorizationId, ids))
        .orderBy(desc(brandSupervisionChecks.checkedOn), desc(brandSupervisionChecks.createdAt))
    : [];
  const today = shanghaiToday();
  return rows.map(({ authorization: row, brandName, etownCode, entityName }) => {
    const last = checks.find((check) => check.authorizationId === row.id);
    return {
      id: row.id,
      brandId: row.brandId,
      brandName,
      etownCode,
      entityId: row.entityId,
      entityName,
      productNames: row.productNames,
      applicationNote: row.applicationNote,
      status: row.status,
      effectiveStatus: effectiveAuthorizationStatus(row, today),
      certificateNumber: row.certificateNumber,
      validFrom: row.validFrom,
      validTo: row.validTo,
      statusReason: row.statusReason,
      lastCheck: last ? { checkedOn: last.checkedOn, result: last.result } : null,
      version: row.version,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  });
}

const selectRows = (executor: Executor) =>
  executor
    .select({
      authorization: brandAuthorizations,
      brandName: brands.name,
      etownCode: brands.etownCode,
      entityName: entities.name,
    })
    .from(brandAuthorizations)
    .innerJoin(brands, eq(brands.id, brandAuthorizations.brandId))
    .innerJoin(entities, eq(entities.id, brandAuthorizations.entityId));

export async function listAuthorizations(
  context: AppContext,
  actor: Actor,
  query: { brandId?: string; entityId?: string; regionCode?: string; status?: BrandAuthorizationStatus },
) {
  const { db } = context.database;
  if (query.regionCode) await requireVisibleRegion(db, actor, query.regionCode);
  const rows = await selectRows(db)
    .where(
      and(
        authorizationScopeCondition(actor.scope),
        query.brandId ? eq(brandAuthorizations.brandId, query.brandId) : undefined,
        query.entityId ? eq(brandAuthorizations.entityId, query.entityId) : undefined,
        query.status ? eq(brandAuthorizations.status, query.status) : undefined,
        regionPrefix(brands.etownCode, query.regionCode),
      ),
    )
    .orderBy(desc(brandAuthorizations.createdAt), asc(brandAuthorizations.id));
  return presentAuthorizations(db, rows);
}

/** The authorizations of one brand the caller may see (an enterprise only its own). */
export async function authorizationsOfBrand(executor: Executor, actor: Actor, brandId: string) {
  const rows = await selectRows(executor)
    .where(and(eq(brandAuthorizations.brandId, brandId), authorizationScopeCondition(actor.scope)))
    .orderBy(desc(brandAuthorizations.createdAt), asc(brandAuthorizations.id));
  return presentAuthorizations(executor, rows);
}

export async function getAuthorization(
  context: AppContext,
  actor: Actor,
  id: string,
  executor: Executor = context.database.db,
): Promise<AuthorizationDetail> {
  const { brand } = await requireVisibleAuthorization(executor, actor, id);
  const [rows, events, checks] = await Promise.all([
    selectRows(executor).where(eq(brandAuthorizations.id, id)),
    executor
      .select({ event: brandAuthorizationEvents, actorName: users.displayName })
      .from(brandAuthorizationEvents)
      .leftJoin(users, eq(users.id, brandAuthorizationEvents.actorId))
      .where(eq(brandAuthorizationEvents.authorizationId, id))
      .orderBy(asc(brandAuthorizationEvents.at), asc(brandAuthorizationEvents.id)),
    executor
      .select({ check: brandSupervisionChecks, inspectorName: users.displayName })
      .from(brandSupervisionChecks)
      .leftJoin(users, eq(users.id, brandSupervisionChecks.inspectorId))
      .where(eq(brandSupervisionChecks.authorizationId, id))
      .orderBy(desc(brandSupervisionChecks.checkedOn), desc(brandSupervisionChecks.createdAt)),
  ]);
  const [summary] = await presentAuthorizations(executor, rows);
  if (!summary) throw new Error('authorization vanished');
  const latest = checks[0]?.check;
  const lastReinstated = events.filter(({ event }) => event.action === 'reinstated').at(-1)?.event.at;
  return {
    ...summary,
    brandStandardText: brand.standardText,
    events: events.map(({ event, actorName }) => ({
      id: event.id,
      action: event.action,
      reason: event.reason,
      actorName,
      at: event.at.toISOString(),
    })),
    supervisionChecks: checks.map(({ check, inspectorName }) => ({
      id: check.id,
      checkedOn: check.checkedOn,
      result: check.result,
      findings: check.findings,
      inspectorName,
      createdAt: check.createdAt.toISOString(),
    })),
    suspensionSuggested:
      summary.status === 'authorized' &&
      latest?.result === 'fail' &&
      (!lastReinstated || lastReinstated < latest.createdAt),
  };
}

/** 409 `stale_version` with the authorization as it is now. */
const staleAuthorization = async (context: AppContext, tx: Transaction, actor: Actor, id: string) =>
  staleVersion(await getAuthorization(context, actor, id, tx));

async function addEvent(
  tx: Transaction,
  actor: Actor,
  authorizationId: string,
  action: (typeof brandAuthorizationEvents.$inferInsert)['action'],
  reason: string | null,
) {
  await tx
    .insert(brandAuthorizationEvents)
    .values({ authorizationId, action, reason, actorId: actor.userId });
}

/** An entity (the enterprise itself, or the county for it) applies to use a regional public brand. */
export async function applyForAuthorization(
  context: AppContext,
  actor: Actor,
  input: ApplyAuthorizationInput,
) {
  const id = await context.database.db.transaction(async (tx) => {
    const brand = await requireVisibleBrand(tx, actor, input.brandId, { forUpdate: true });
    if (brand.kind !== 'regional_public') {
      throw conflict('brand_not_regional', `“${brand.name}”不是区域公用品牌，自主品牌无须申请授权`);
    }
    const entity = await requireVisibleEntity(tx, actor, input.entityId);
    if (entity.status === 'exited') throw conflict('entity_exited', `${entity.name}已退出，不能申请品牌授权`);
    if (entity.etownCode.slice(0, 6) !== brand.etownCode.slice(0, 6)) {
      throw invalidFields([{ path: 'entityId', message: '只有品牌所在县的市场主体可以申请授权' }]);
    }
    const [open] = await tx
      .select({ status: brandAuthorizations.status })
      .from(brandAuthorizations)
      .where(
        and(
          eq(brandAuthorizations.brandId, brand.id),
          eq(brandAuthorizations.entityId, entity.id),
          inArray(brandAuthorizations.status, openStatuses),
        ),
      );
    if (open) {
      throw conflict(
        'authorization_exists',
        `${entity.name}已有“${brand.name}”的${open.status === 'applied' ? '待审核申请' : '授权'}，不能重复申请`,
      );
    }
    const productNames = [...new Set(input.productNames)];
    const [row] = await tx
      .insert(brandAuthorizations)
      .values({
        brandId: brand.id,
        entityId: entity.id,
        productNames,
        applicationNote: input.applicationNote,
        createdBy: actor.userId,
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await addEvent(tx, actor, row.id, 'applied', input.applicationNote);
    await recordAudit(tx, actor, {
      action: 'brand_authorization.apply',
      targetType: 'brand_authorization',
      targetId: row.id,
      regionCode: brand.etownCode,
      diff: { brand: brand.name, entity: entity.name, productNames, applicationNote: input.applicationNote },
    });
    return row.id;
  });
  return getAuthorization(context, actor, id);
}

/** Locks the authorization, and refuses an action its status or a stale version does not allow. */
async function loadForAction(
  context: AppContext,
  tx: Transaction,
  actor: Actor,
  id: string,
  action: AuthorizationAction,
  version?: number,
) {
  const row = await requireVisibleAuthorization(tx, actor, id, { forUpdate: true });
  const refusal = transitionRefusal(row.authorization.status, action);
  if (refusal) {
    throw conflict('invalid_status_transition', refusal, { status: row.authorization.status, action });
  }
  if (version !== undefined && row.authorization.version !== version) {
    throw await staleAuthorization(context, tx, actor, id);
  }
  return row;
}

async function saveStatus(
  context: AppContext,
  tx: Transaction,
  actor: Actor,
  row: AuthorizationRow,
  values: Partial<AuthorizationRow>,
) {
  const [updated] = await tx
    .update(brandAuthorizations)
    .set({ ...values, version: sql`${brandAuthorizations.version} + 1`, updatedAt: new Date() })
    .where(and(eq(brandAuthorizations.id, row.id), eq(brandAuthorizations.version, row.version)))
    .returning();
  if (!updated) throw await staleAuthorization(context, tx, actor, row.id);
  return updated;
}

async function audit(
  tx: Transaction,
  actor: Actor,
  action: string,
  brand: { etownCode: string },
  before: AuthorizationRow,
  after: AuthorizationRow,
  extra: Record<string, unknown> = {},
) {
  await recordAudit(tx, actor, {
    action: `brand_authorization.${action}`,
    targetType: 'brand_authorization',
    targetId: before.id,
    regionCode: brand.etownCode,
    diff: { status: { before: before.status, after: after.status }, ...extra },
  });
}

async function finish(context: AppContext, actor: Actor, id: string) {
  invalidateScanPages();
  return getAuthorization(context, actor, id);
}

async function issueCertificateNumber(tx: Transaction, brandName: string, requested: string | null) {
  if (requested) {
    const [taken] = await tx
      .select({ id: brandAuthorizations.id })
      .from(brandAuthorizations)
      .where(eq(brandAuthorizations.certificateNumber, requested));
    if (taken) {
      throw conflict('certificate_number_taken', `证书编号 ${requested} 已被使用`, [
        { path: 'certificateNumber', message: '该证书编号已被使用' },
      ]);
    }
    return requested;
  }
  const year = Number(shanghaiToday().slice(0, 4));
  const head = `${certificatePrefix(brandName)}-${year}-`;
  // One issuer of a series at a time, across brands whose initials coincide.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${head}))`);
  const issued = await tx
    .select({ number: brandAuthorizations.certificateNumber })
    .from(brandAuthorizations)
    .where(like(brandAuthorizations.certificateNumber, `${head}%`));
  return nextCertificateNumber(
    certificatePrefix(brandName),
    year,
    issued.map((row) => row.number ?? ''),
  );
}

/** The county authorizes against the standard: a certificate number and a term. */
export async function authorize(context: AppContext, actor: Actor, id: string, input: AuthorizeInput) {
  await context.database.db.transaction(async (tx) => {
    const { authorization, brand } = await loadForAction(context, tx, actor, id, 'authorize', input.version);
    if (input.validTo < shanghaiToday()) {
      throw invalidFields([{ path: 'validTo', message: '有效期截止日已过，请重新填写' }]);
    }
    const [entity] = await tx.select().from(entities).where(eq(entities.id, authorization.entityId));
    if (entity?.status === 'exited') throw conflict('entity_exited', `${entity.name}已退出，不能授权`);
    const certificateNumber = await issueCertificateNumber(tx, brand.name, input.certificateNumber);
    const after = await saveStatus(context, tx, actor, authorization, {
      status: 'authorized',
      certificateNumber,
      validFrom: input.validFrom,
      validTo: input.validTo,
      statusReason: null,
    });
    await addEvent(
      tx,
      actor,
      id,
      'authorized',
      [`证书 ${certificateNumber}，有效期 ${input.validFrom} 至 ${input.validTo}`, input.reason]
        .filter(Boolean)
        .join('；'),
    );
    await audit(tx, actor, 'authorize', brand, authorization, after, {
      certificateNumber,
      validFrom: input.validFrom,
      validTo: input.validTo,
      reason: input.reason,
    });
  });
  return finish(context, actor, id);
}

const reasonedActions = {
  reject: { status: 'rejected', event: 'rejected' },
  suspend: { status: 'suspended', event: 'suspended' },
  reinstate: { status: 'authorized', event: 'reinstated' },
  revoke: { status: 'revoked', event: 'revoked' },
} as const;

/** Reject an application, or suspend, reinstate or revoke an authorization, always with a reason. */
export async function changeAuthorizationStatus(
  context: AppContext,
  actor: Actor,
  id: string,
  action: keyof typeof reasonedActions,
  input: ReasonInput,
) {
  const { status, event } = reasonedActions[action];
  await context.database.db.transaction(async (tx) => {
    const { authorization, brand } = await loadForAction(context, tx, actor, id, action, input.version);
    const after = await saveStatus(context, tx, actor, authorization, {
      status,
      statusReason: action === 'reinstate' ? null : input.reason,
    });
    await addEvent(tx, actor, id, event, input.reason);
    await audit(tx, actor, action, brand, authorization, after, { reason: input.reason });
  });
  return finish(context, actor, id);
}

/** Extends the term of an authorization (expired ones too: expiry is not a status). */
export async function renewAuthorization(context: AppContext, actor: Actor, id: string, input: RenewInput) {
  await context.database.db.transaction(async (tx) => {
    const { authorization, brand } = await loadForAction(context, tx, actor, id, 'renew', input.version);
    if (authorization.validTo && input.validTo <= authorization.validTo) {
      throw invalidFields([
        { path: 'validTo', message: `新的截止日须晚于当前截止日 ${authorization.validTo}` },
      ]);
    }
    if (input.validTo < shanghaiToday()) {
      throw invalidFields([{ path: 'validTo', message: '新的截止日已过，请重新填写' }]);
    }
    const after = await saveStatus(context, tx, actor, authorization, { validTo: input.validTo });
    const reason = [`有效期由 ${authorization.validTo} 延至 ${input.validTo}`, input.reason]
      .filter(Boolean)
      .join('；');
    await addEvent(tx, actor, id, 'renewed', reason);
    await audit(tx, actor, 'renew', brand, authorization, after, {
      validTo: { before: authorization.validTo, after: input.validTo },
      reason: input.reason,
    });
  });
  return finish(context, actor, id);
}

/** A periodic supervision check; a failed one is answered with `suspensionSuggested`. */
export async function addSupervisionCheck(
  context: AppContext,
  actor: Actor,
  id: string,
  input: SupervisionCheckInput,
) {
  await context.database.db.transaction(async (tx) => {
    const { authorization, brand } = await loadForAction(context, tx, actor, id, 'supervise');
    if (input.checkedOn > shanghaiToday()) {
      throw invalidFields([{ path: 'checkedOn', message: '检查日期不能晚于今天' }]);
    }
    const [check] = await tx
      .insert(brandSupervisionChecks)
      .values({
        authorizationId: id,
        checkedOn: input.checkedOn,
        result: input.result,
        findings: input.findings,
        inspectorId: actor.userId,
      })
      .returning();
    await recordAudit(tx, actor, {
      action: 'brand_authorization.supervise',
      targetType: 'brand_authorization',
      targetId: id,
      regionCode: brand.etownCode,
      diff: { status: authorization.status, check },
    });
  });
  return getAuthorization(context, actor, id);
}
