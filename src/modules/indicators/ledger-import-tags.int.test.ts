import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entities, entityTagAssignments } from '../../db/schema/entities.ts';
import { entityTagEvents, entryApplications } from '../../db/schema/entity-registry.ts';
import { buildLedger } from '../../indicators/ledger-factory.ts';
import { createSeededApp, type TestContext, testBackends } from '../../test/test-context.ts';
import { exportLedger } from './ledger-export.ts';
import { importLedger } from './ledger-import.ts';

const ETOWN = '140827-E01';
const actor = { username: 'test', ip: 'local' };

describe.each(testBackends)('ledger import: tags and referenced entities (%s)', (backend) => {
  let context: TestContext;
  beforeAll(async () => {
    const seeded = await createSeededApp(backend);
    context = seeded.context;
    await seeded.app.close();
  }, 120_000);
  afterAll(() => context?.close());

  const tagsOf = async (entityId: string) =>
    (
      await context.database.db
        .select({ tag: entityTagAssignments.tag })
        .from(entityTagAssignments)
        .where(eq(entityTagAssignments.entityId, entityId))
    )
      .map((row) => row.tag)
      .sort();

  it('keeps the registry-only 培训机构 tag, leaves it out of the file, and writes tag history', async () => {
    const ledger = buildLedger();
    await importLedger(context, actor, ledger, ETOWN);
    const first = ledger.entities.find((entity) => entity.tags.length > 0);
    if (!first) throw new Error('the example ledger has a tagged entity');
    const [row] = await context.database.db
      .select()
      .from(entities)
      .where(eq(entities.creditCode, first.creditCode));
    const id = row?.id as string;
    await context.database.db
      .insert(entityTagAssignments)
      .values({ entityId: id, tag: 'training', reason: '县人社局认定', taggedOn: '2024-03-01' });

    const exported = await exportLedger(context.database.db, ETOWN, 2024);
    const inFile = exported.entities.find((entity) => entity.creditCode === first.creditCode);
    expect([...(inFile?.tags ?? [])].sort()).toEqual([...first.tags].sort());

    // The file takes the entity's format tags away; 培训机构 stays, and the history says why.
    const withoutTags = {
      ...ledger,
      entities: ledger.entities.map((entity) =>
        entity.creditCode === first.creditCode ? { ...entity, tags: ['ecommerce' as const] } : entity,
      ),
    };
    await importLedger(context, actor, withoutTags, ETOWN);
    expect(await tagsOf(id)).toEqual(['ecommerce', 'training']);
    const events = await context.database.db
      .select()
      .from(entityTagEvents)
      .where(and(eq(entityTagEvents.entityId, id), eq(entityTagEvents.reason, '台账导入')));
    const removed = first.tags.filter((tag) => tag !== 'ecommerce').sort();
    expect(
      events
        .filter((event) => event.action === 'removed')
        .map((event) => event.tag)
        .sort(),
    ).toEqual(removed);
    // Importing the same file again changes nothing and writes no history.
    await importLedger(context, actor, withoutTags, ETOWN);
    const again = await context.database.db
      .select()
      .from(entityTagEvents)
      .where(and(eq(entityTagEvents.entityId, id), eq(entityTagEvents.reason, '台账导入')));
    expect(again.length).toBe(events.length);
  });

  it('keeps an entity an entry application refers to when the file omits it', async () => {
    const ledger = buildLedger();
    const [omitted, ...rest] = ledger.entities;
    if (!omitted) throw new Error('the example ledger lists entities');
    await importLedger(context, actor, ledger, ETOWN);
    const [row] = await context.database.db
      .select()
      .from(entities)
      .where(eq(entities.creditCode, omitted.creditCode));
    const [applicant] = await context.database.db.query.users.findMany({ limit: 1 });
    await context.database.db.insert(entryApplications).values({
      etownCode: ETOWN,
      applicantId: applicant?.id as string,
      proposal: { creditCode: omitted.creditCode },
      status: 'admitted',
      entityId: row?.id as string,
    });
    const summary = await importLedger(
      context,
      actor,
      {
        ...ledger,
        entities: rest,
        monthlyStats: ledger.monthlyStats.filter((m) => m.creditCode !== omitted.creditCode),
      },
      ETOWN,
    );
    expect(summary.keptEntities).toContain(omitted.creditCode);
    // Kept but no longer in the file: it carries none of the format's tags.
    expect((await tagsOf(row?.id as string)).filter((tag) => tag !== 'training')).toEqual([]);
  });
});
