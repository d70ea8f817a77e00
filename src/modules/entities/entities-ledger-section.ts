import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Transaction } from '../../db/client.ts';
import { insertInChunks } from '../../db/ledger-rows.ts';
import { users } from '../../db/schema/accounts.ts';
import { brands, products } from '../../db/schema/brands.ts';
import {
  entities,
  entityTagAssignments,
  type LedgerEntityTag,
  ledgerEntityTags,
} from '../../db/schema/entities.ts';
import { entityTagEvents, entryApplications } from '../../db/schema/entity-registry.ts';
import { brandAuthorizations } from '../../db/schema/traceability.ts';
import type { Ledger } from '../../indicators/ledger-schema.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import type { AuditActor } from '../audit/audit.service.ts';

export type LedgerEntitiesResult = {
  /** The id of each of the ledger's entities, by credit code (for the monthly figures that name them). */
  entityIdByCreditCode: Map<string, string>;
  /** Entities the ledger omits that something still refers to: kept, not deleted. */
  keptEntities: string[];
};

/**
 * The entities module's section of an e-town's ledger, written inside the caller's transaction (seeding
 * only: a person's import never writes the registry). Upserts the ledger's entities by credit code; the e-town's others go, unless something still refers
 * to one (an enterprise account, an entry application, a product, a brand or a brand authorization).
 * Tags follow the file — only the format's tags: 培训机构 is the registry's own — and every tag given or
 * taken away is written to the tag history with the reason 台账导入.
 */
export async function importLedgerEntities(
  tx: Transaction,
  etownCode: string,
  ledger: Pick<Ledger, 'entities'>,
  actor: AuditActor,
): Promise<LedgerEntitiesResult> {
  const creditCodes = ledger.entities.map((entity) => entity.creditCode);
  const others = await tx
    .select({ id: entities.id, creditCode: entities.creditCode })
    .from(entities)
    .where(
      creditCodes.length === 0
        ? eq(entities.etownCode, etownCode)
        : and(eq(entities.etownCode, etownCode), notInArray(entities.creditCode, creditCodes)),
    );
  const referenced = await referencedEntityIds(
    tx,
    others.map((row) => row.id),
  );
  const removable = others.filter((row) => !referenced.has(row.id)).map((row) => row.id);
  if (removable.length > 0) await tx.delete(entities).where(inArray(entities.id, removable));
  const kept = others.filter((row) => referenced.has(row.id));
  const wantedTags = new Map<string, ReadonlySet<string>>();
  // Kept entities go after the ledger's, in their previous order, without the format's tags.
  for (const [index, row] of kept.entries()) {
    await tx
      .update(entities)
      .set({ sortOrder: ledger.entities.length + index })
      .where(eq(entities.id, row.id));
    wantedTags.set(row.id, new Set());
  }

  const idOf = new Map<string, string>();
  for (const [sortOrder, entity] of ledger.entities.entries()) {
    const values = {
      creditCode: entity.creditCode,
      name: entity.name,
      etownCode,
      legalEntity: entity.legalEntity,
      registeredOn: entity.registeredOn,
      sortOrder,
    };
    const [row] = await tx
      .insert(entities)
      .values(values)
      .onConflictDoUpdate({ target: entities.creditCode, set: values })
      .returning({ id: entities.id });
    const id = row?.id as string;
    idOf.set(entity.creditCode, id);
    wantedTags.set(id, new Set(entity.tags));
  }
  await syncLedgerTags(tx, wantedTags, actor);
  return { entityIdByCreditCode: idOf, keptEntities: kept.map((row) => row.creditCode) };
}

/** Of these entities, the ones something else in the platform refers to (they cannot simply go). */
async function referencedEntityIds(tx: Transaction, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const result = (await tx.execute(sql`
    select ${entities.id} as id from ${entities} where ${inArray(entities.id, [...ids])} and (
      exists (select 1 from ${users} where ${users.entityId} = ${entities.id})
      or exists (select 1 from ${entryApplications} where ${entryApplications.entityId} = ${entities.id})
      or exists (select 1 from ${products} where ${products.entityId} = ${entities.id})
      or exists (select 1 from ${brands} where ${brands.ownerEntityId} = ${entities.id})
      or exists (select 1 from ${brandAuthorizations} where ${brandAuthorizations.entityId} = ${entities.id}))`)) as unknown as {
    rows: { id: string }[];
  };
  return new Set(result.rows.map((row) => row.id));
}

/** Gives and takes the format's tags so each entity carries exactly the wanted ones, with history. */
async function syncLedgerTags(
  tx: Transaction,
  wanted: ReadonlyMap<string, ReadonlySet<string>>,
  actor: AuditActor,
) {
  const ids = [...wanted.keys()];
  if (ids.length === 0) return;
  const current = new Map<string, Set<string>>();
  for (let start = 0; start < ids.length; start += 1000) {
    const rows = await tx
      .select({ entityId: entityTagAssignments.entityId, tag: entityTagAssignments.tag })
      .from(entityTagAssignments)
      .where(
        and(
          inArray(entityTagAssignments.entityId, ids.slice(start, start + 1000)),
          inArray(entityTagAssignments.tag, [...ledgerEntityTags]),
        ),
      );
    for (const row of rows) current.set(row.entityId, (current.get(row.entityId) ?? new Set()).add(row.tag));
  }
  const today = shanghaiToday();
  const reason = '台账导入';
  const actorId = 'userId' in actor ? actor.userId : null;
  const added: { entityId: string; tag: LedgerEntityTag }[] = [];
  const events: (typeof entityTagEvents.$inferInsert)[] = [];
  for (const [entityId, tags] of wanted) {
    const had = current.get(entityId) ?? new Set<string>();
    const removed = [...had].filter((tag) => !tags.has(tag)) as LedgerEntityTag[];
    if (removed.length > 0) {
      await tx
        .delete(entityTagAssignments)
        .where(and(eq(entityTagAssignments.entityId, entityId), inArray(entityTagAssignments.tag, removed)));
    }
    for (const tag of removed)
      events.push({ entityId, tag, action: 'removed', reason, effectiveOn: today, actorId });
    for (const tag of tags as ReadonlySet<LedgerEntityTag>) {
      if (had.has(tag)) continue;
      added.push({ entityId, tag });
      events.push({ entityId, tag, action: 'added', reason, effectiveOn: today, actorId });
    }
  }
  await insertInChunks(added, (chunk) =>
    tx.insert(entityTagAssignments).values(chunk.map((row) => ({ ...row, reason, taggedOn: today }))),
  );
  await insertInChunks(events, (chunk) => tx.insert(entityTagEvents).values(chunk));
}
