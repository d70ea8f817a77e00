import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import type { Executor } from '../../db/client.ts';
import { mediaChannels, promotionEvents } from '../../db/schema/brands.ts';
import { updateVersioned } from '../../db/versioned-update.ts';
import type { AppContext } from '../../http/context.ts';
import { notFound } from '../../http/errors.ts';
import { diffObjects, recordAudit } from '../audit/audit.service.ts';
import { regionNames } from '../regions/region-names.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';
import { regionPrefix } from './brand-access.ts';
import type { MediaChannelInput, PromotionEventInput } from './brands.schemas.ts';

// Events and media channels are the e-town's ledger lists (indicators 10, 14 and 19 count them).

type EventRow = typeof promotionEvents.$inferSelect;
type ChannelRow = typeof mediaChannels.$inferSelect;

async function withEtownNames<T extends { etownCode: string }>(executor: Executor, rows: T[]) {
  const names = await regionNames(
    executor,
    rows.map((row) => row.etownCode),
  );
  return rows.map((row) => ({ ...row, etownName: names.get(row.etownCode) ?? row.etownCode }));
}

async function withEtownName<T extends { etownCode: string }>(executor: Executor, row: T) {
  const [named] = await withEtownNames(executor, [row]);
  return named as T & { etownName: string };
}

const presentEvent = ({ id, etownCode, kind, heldOn, title, version }: EventRow) => ({
  id,
  etownCode,
  kind,
  heldOn,
  title,
  version,
});
const presentChannel = ({ id, etownCode, kind, name, version }: ChannelRow) => ({
  id,
  etownCode,
  kind,
  name,
  version,
});

export async function listPromotionEvents(context: AppContext, actor: Actor, regionCode?: string) {
  const { db } = context.database;
  if (regionCode) await requireVisibleRegion(db, actor, regionCode);
  const rows = await db
    .select()
    .from(promotionEvents)
    .where(
      and(
        regionScopeCondition(actor.scope, promotionEvents.etownCode),
        regionPrefix(promotionEvents.etownCode, regionCode),
      ),
    )
    .orderBy(desc(promotionEvents.heldOn), asc(promotionEvents.sortOrder));
  return withEtownNames(db, rows.map(presentEvent));
}

async function requireEvent(context: AppContext, actor: Actor, id: string) {
  const [row] = await context.database.db
    .select()
    .from(promotionEvents)
    .where(and(eq(promotionEvents.id, id), regionScopeCondition(actor.scope, promotionEvents.etownCode)));
  if (!row) throw notFound('活动');
  return row;
}

export async function createPromotionEvent(
  context: AppContext,
  actor: Actor,
  input: Omit<PromotionEventInput, 'version'> & { etownCode: string },
) {
  const row = await context.database.db.transaction(async (tx) => {
    await requireVisibleRegion(tx, actor, input.etownCode, 'etown');
    const [last] = await tx
      .select({ sortOrder: sql<number>`coalesce(max(${promotionEvents.sortOrder}), -1)::int` })
      .from(promotionEvents)
      .where(eq(promotionEvents.etownCode, input.etownCode));
    const [inserted] = await tx
      .insert(promotionEvents)
      .values({ ...input, sortOrder: (last?.sortOrder ?? -1) + 1 })
      .returning();
    if (!inserted) throw new Error('insert returned no row');
    await recordAudit(tx, actor, {
      action: 'promotion_event.create',
      targetType: 'promotion_event',
      targetId: inserted.id,
      regionCode: input.etownCode,
      diff: { after: presentEvent(inserted) },
    });
    return inserted;
  });
  return withEtownName(context.database.db, presentEvent(row));
}

export async function updatePromotionEvent(
  context: AppContext,
  actor: Actor,
  id: string,
  input: PromotionEventInput,
) {
  const before = await requireEvent(context, actor, id);
  const after = await context.database.db.transaction(async (tx) => {
    const { version, ...fields } = input;
    const updated = await updateVersioned(
      tx,
      promotionEvents,
      eq(promotionEvents.id, id),
      version,
      fields,
      (current) => withEtownName(tx, presentEvent(current)),
      '活动',
    );
    await recordAudit(tx, actor, {
      action: 'promotion_event.update',
      targetType: 'promotion_event',
      targetId: id,
      regionCode: before.etownCode,
      diff: diffObjects(presentEvent(before), presentEvent(updated)),
    });
    return updated;
  });
  return withEtownName(context.database.db, presentEvent(after));
}

export async function deletePromotionEvent(context: AppContext, actor: Actor, id: string) {
  const before = await requireEvent(context, actor, id);
  await context.database.db.transaction(async (tx) => {
    await tx.delete(promotionEvents).where(eq(promotionEvents.id, id));
    await recordAudit(tx, actor, {
      action: 'promotion_event.delete',
      targetType: 'promotion_event',
      targetId: id,
      regionCode: before.etownCode,
      diff: { before: presentEvent(before) },
    });
  });
}

export async function listMediaChannels(context: AppContext, actor: Actor, regionCode?: string) {
  const { db } = context.database;
  if (regionCode) await requireVisibleRegion(db, actor, regionCode);
  const rows = await db
    .select()
    .from(mediaChannels)
    .where(
      and(
        regionScopeCondition(actor.scope, mediaChannels.etownCode),
        regionPrefix(mediaChannels.etownCode, regionCode),
      ),
    )
    .orderBy(asc(mediaChannels.etownCode), asc(mediaChannels.kind), asc(mediaChannels.sortOrder));
  return withEtownNames(db, rows.map(presentChannel));
}

async function requireChannel(context: AppContext, actor: Actor, id: string) {
  const [row] = await context.database.db
    .select()
    .from(mediaChannels)
    .where(and(eq(mediaChannels.id, id), regionScopeCondition(actor.scope, mediaChannels.etownCode)));
  if (!row) throw notFound('宣传渠道');
  return row;
}

export async function createMediaChannel(
  context: AppContext,
  actor: Actor,
  input: Omit<MediaChannelInput, 'version'> & { etownCode: string },
) {
  const row = await context.database.db.transaction(async (tx) => {
    await requireVisibleRegion(tx, actor, input.etownCode, 'etown');
    const [last] = await tx
      .select({ sortOrder: sql<number>`coalesce(max(${mediaChannels.sortOrder}), -1)::int` })
      .from(mediaChannels)
      .where(eq(mediaChannels.etownCode, input.etownCode));
    const [inserted] = await tx
      .insert(mediaChannels)
      .values({ ...input, sortOrder: (last?.sortOrder ?? -1) + 1 })
      .returning();
    if (!inserted) throw new Error('insert returned no row');
    await recordAudit(tx, actor, {
      action: 'media_channel.create',
      targetType: 'media_channel',
      targetId: inserted.id,
      regionCode: input.etownCode,
      diff: { after: presentChannel(inserted) },
    });
    return inserted;
  });
  return withEtownName(context.database.db, presentChannel(row));
}

export async function updateMediaChannel(
  context: AppContext,
  actor: Actor,
  id: string,
  input: MediaChannelInput,
) {
  const before = await requireChannel(context, actor, id);
  const after = await context.database.db.transaction(async (tx) => {
    const { version, ...fields } = input;
    const updated = await updateVersioned(
      tx,
      mediaChannels,
      eq(mediaChannels.id, id),
      version,
      fields,
      (current) => withEtownName(tx, presentChannel(current)),
      '宣传渠道',
    );
    await recordAudit(tx, actor, {
      action: 'media_channel.update',
      targetType: 'media_channel',
      targetId: id,
      regionCode: before.etownCode,
      diff: diffObjects(presentChannel(before), presentChannel(updated)),
    });
    return updated;
  });
  return withEtownName(context.database.db, presentChannel(after));
}

export async function deleteMediaChannel(context: AppContext, actor: Actor, id: string) {
  const before = await requireChannel(context, actor, id);
  await context.database.db.transaction(async (tx) => {
    await tx.delete(mediaChannels).where(eq(mediaChannels.id, id));
    await recordAudit(tx, actor, {
      action: 'media_channel.delete',
      targetType: 'media_channel',
      targetId: id,
      regionCode: before.etownCode,
      diff: { before: presentChannel(before) },
    });
  });
}
