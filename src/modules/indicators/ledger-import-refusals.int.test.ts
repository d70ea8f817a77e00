import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entities, entityTagAssignments } from '../../db/schema/entities.ts';
import { entityTagEvents, entryApplications } from '../../db/schema/entity-registry.ts';
import { complianceIncidents } from '../../db/schema/projects.ts';
import { monthlyStatistics } from '../../db/schema/stats.ts';
import { buildLedger } from '../../indicators/ledger-factory.ts';
import { type Ledger, parseLedger } from '../../indicators/ledger-schema.ts';
import { createSeededApp, type TestContext, testBackends } from '../../test/test-context.ts';
import { setCityOutputGrowth } from '../stats/city-output-growth.service.ts';
import { exportLedger, type LedgerJson } from './ledger-export.ts';
import { importLedger, seedEtownLedger } from './ledger-import.ts';

const ETOWN = '140827-E01';
const actor = { username: 'test', ip: 'local' };

const parsed = (json: LedgerJson): Ledger => {
  const result = parseLedger(json);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.ledger;
};

describe.each(testBackends)('ledger import: records of other roles are refused (%s)', (backend) => {
  let context: TestContext;
  beforeAll(async () => {
    const seeded = await createSeededApp(backend);
    context = seeded.context;
    await seeded.app.close();
    await seedEtownLedger(context, actor, buildLedger(), ETOWN);
  }, 120_000);
  afterAll(() => context?.close());

  const db = () => context.database.db;
  const tagsOf = async (entityId: string) =>
    (
      await db()
        .select({ tag: entityTagAssignments.tag })
        .from(entityTagAssignments)
        .where(eq(entityTagAssignments.entityId, entityId))
    )
      .map((row) => row.tag)
      .sort();

  it('keeps the registry-only 培训机构 tag out of the file; seeding writes format tags with history', async () => {
    const ledger = buildLedger();
    const first = ledger.entities.find((entity) => entity.tags.length > 0);
    if (!first) throw new Error('the example ledger has a tagged entity');
    const [row] = await db().select().from(entities).where(eq(entities.creditCode, first.creditCode));
    const id = row?.id as string;
    await db()
      .insert(entityTagAssignments)
      .values({ entityId: id, tag: 'training', reason: '县人社局认定', taggedOn: '2024-03-01' });
    const exported = await exportLedger(db(), ETOWN, 2024);
    const inFile = exported.entities.find((entity) => entity.creditCode === first.creditCode);
    expect([...(inFile?.tags ?? [])].sort()).toEqual([...first.tags].sort());
    const seededTags = await db()
      .select()
      .from(entityTagEvents)
      .where(and(eq(entityTagEvents.entityId, id), eq(entityTagEvents.reason, '台账导入')));
    expect(seededTags.map((event) => event.tag).sort()).toEqual([...first.tags].sort());
  });

  it('refuses every change to entities, tags, approved figures, incidents, the leading group and the city rate', async () => {
    await setCityOutputGrowth(context, actor, '1408', 2024, '6.5');
    const platform = await exportLedger(db(), ETOWN, 2024);
    const [firstEntity, secondEntity] = platform.entities;
    if (!firstEntity || !secondEntity) throw new Error('the example lists entities');
    const [entityRow] = await db()
      .select()
      .from(entities)
      .where(eq(entities.creditCode, firstEntity.creditCode));
    const entityId = entityRow?.id as string;
    const tagsBefore = await tagsOf(entityId);
    const historyBefore = (await db().select().from(entityTagEvents)).length;
    const monthlyBefore = await db()
      .select()
      .from(monthlyStatistics)
      .where(eq(monthlyStatistics.etownCode, ETOWN));

    const file = structuredClone(platform);
    file.etown.cityOutputGrowthPct = '1';
    file.documents = file.documents.map((row) =>
      row.kind === 'leading_group' ? { ...row, docNo: '垣政办发〔2099〕1号' } : row,
    );
    file.entities = file.entities
      .filter((entity) => entity.creditCode !== secondEntity.creditCode)
      .map((entity) =>
        entity.creditCode === firstEntity.creditCode
          ? {
              ...entity,
              name: `${entity.name}（改名）`,
              tags: [...entity.tags.filter((t) => t !== 'leading'), 'rnd'],
            }
          : entity,
      );
    file.monthlyStats = file.monthlyStats
      .filter((row) => row.creditCode !== secondEntity.creditCode)
      .map((row, index) => (index === 0 ? { ...row, outputYuan: '1.00' } : row));
    file.complianceIncidents = [{ date: '2024-07-01', category: 'work_safety', description: '演示：未发生' }];
    file.supplyChains = [...file.supplyChains, { name: '导入写入的供应链' }];

    const summary = await importLedger(context, actor, parsed(file), ETOWN);
    const byList = (list: string) => summary.refused.filter((item) => item.list === list);
    expect(byList('etown')).toEqual([
      expect.objectContaining({
        action: 'change',
        reason: expect.stringContaining('平台中为 6.5%，台账为 1%'),
      }),
    ]);
    expect(
      byList('documents')
        .map((item) => item.action)
        .sort(),
    ).toEqual(['add', 'remove']);
    expect(byList('documents')[0]?.reason).toContain('以“领导小组”登记的文号和成立日期为准');
    const entityItems = byList('entities');
    expect(entityItems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'entities[0]',
          action: 'change',
          reason: expect.stringContaining('标签“电商研发机构”台账有、主体库没有'),
        }),
        expect.objectContaining({
          path: '',
          action: 'remove',
          item: expect.stringContaining(secondEntity.creditCode),
        }),
      ]),
    );
    expect(entityItems[0]?.reason).toContain('名称 主体库');
    expect(byList('monthlyStats')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'monthlyStats[0]',
          action: 'change',
          reason: expect.stringContaining('台账 1.00 元'),
        }),
        expect.objectContaining({ path: '', action: 'remove' }),
      ]),
    );
    expect(byList('complianceIncidents')).toEqual([
      expect.objectContaining({
        path: 'complianceIncidents[0]',
        action: 'add',
        reason: expect.stringContaining('违规事件由县级'),
      }),
    ]);

    // Nothing of it was written; the e-town's own list was.
    expect(await tagsOf(entityId)).toEqual(tagsBefore);
    expect((await db().select().from(entityTagEvents)).length).toBe(historyBefore);
    expect(await db().select().from(monthlyStatistics).where(eq(monthlyStatistics.etownCode, ETOWN))).toEqual(
      monthlyBefore,
    );
    expect(
      await db().select().from(complianceIncidents).where(eq(complianceIncidents.etownCode, ETOWN)),
    ).toEqual([]);
    const after = await exportLedger(db(), ETOWN, 2024);
    expect({ ...after, supplyChains: [] }).toEqual({ ...platform, supplyChains: [] });
    expect(after.supplyChains.map((row) => row.name)).toContain('导入写入的供应链');
  });

  it('never deletes an entity the file omits, whatever refers to it', async () => {
    const platform = await exportLedger(db(), ETOWN, 2024);
    const [omitted] = platform.entities;
    if (!omitted) throw new Error('the example lists entities');
    const [row] = await db().select().from(entities).where(eq(entities.creditCode, omitted.creditCode));
    const [applicant] = await db().query.users.findMany({ limit: 1 });
    await db()
      .insert(entryApplications)
      .values({
        etownCode: ETOWN,
        applicantId: applicant?.id as string,
        proposal: { creditCode: omitted.creditCode },
        status: 'admitted',
        entityId: row?.id as string,
      });
    const summary = await importLedger(
      context,
      actor,
      parsed({
        ...platform,
        entities: platform.entities.slice(1),
        monthlyStats: platform.monthlyStats.filter((m) => m.creditCode !== omitted.creditCode),
      }),
      ETOWN,
    );
    expect(summary.refused).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          list: 'entities',
          action: 'remove',
          item: expect.stringContaining(omitted.creditCode),
        }),
      ]),
    );
    expect(await exportLedger(db(), ETOWN, 2024)).toEqual(platform);
  });
});
