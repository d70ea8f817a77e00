import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import type { Executor } from '../../db/client.ts';
import { entities } from '../../db/schema/entities.ts';
import { talentPeople, talentPersonEvidence } from '../../db/schema/talent.ts';
import { updateVersioned } from '../../db/versioned-update.ts';
import type { AppContext } from '../../http/context.ts';
import { conflict, type FieldProblem, invalidFields, notFound } from '../../http/errors.ts';
import { formatFen } from '../../indicators/exact.ts';
import { readAttachment, storeAttachment } from '../../lib/attachments.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { requireVisibleEntity } from '../entities/entities.service.ts';
import { regionNames } from '../regions/region-names.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';
import type {
  CreatePersonInput,
  ListPeopleQuery,
  PersonFields,
  PersonView,
  UpdatePersonInput,
} from './talent-people.schemas.ts';

type PersonRow = typeof talentPeople.$inferSelect;
const evidenceField = { accepts: 'document', what: '证明材料' } as const;

/** The person when the actor's scope covers its e-town; otherwise 404. */
async function requireVisiblePerson(executor: Executor, actor: Actor, id: string): Promise<PersonRow> {
  const [row] = await executor
    .select()
    .from(talentPeople)
    .where(and(eq(talentPeople.id, id), regionScopeCondition(actor.scope, talentPeople.etownCode)));
  if (!row) throw notFound('人员');
  return row;
}

/** Only platform-entered people are edited here; ledger rows change by importing a ledger. */
function requirePlatformRow(row: PersonRow) {
  if (row.source !== 'platform')
    throw conflict('ledger_person_read_only', '该人员来自台账导入，请修改台账后重新导入');
}

async function present(executor: Executor, rows: PersonRow[]): Promise<PersonView[]> {
  const ids = rows.map((row) => row.id);
  const entityIds = rows.flatMap((row) => (row.entityId ? [row.entityId] : []));
  const [names, evidence, entityRows] = await Promise.all([
    regionNames(
      executor,
      rows.map((row) => row.etownCode),
    ),
    ids.length === 0
      ? []
      : executor
          .select()
          .from(talentPersonEvidence)
          .where(inArray(talentPersonEvidence.personId, ids))
          .orderBy(asc(talentPersonEvidence.createdAt)),
    entityIds.length === 0
      ? []
      : executor
          .select({ id: entities.id, name: entities.name })
          .from(entities)
          .where(inArray(entities.id, entityIds)),
  ]);
  const entityNames = new Map(entityRows.map((row) => [row.id, row.name]));
  return rows.map(({ monthlySalesFen, sortOrder: _order, createdAt: _c, updatedAt: _u, ...row }) => ({
    ...row,
    etownName: names.get(row.etownCode) ?? row.etownCode,
    entityName: row.entityId ? (entityNames.get(row.entityId) ?? null) : null,
    monthlySalesYuan: monthlySalesFen === null ? null : formatFen(monthlySalesFen),
    evidence: evidence
      .filter((file) => file.personId === row.id)
      .map((file) => ({
        id: file.id,
        fileName: file.fileName,
        mediaType: file.mediaType,
        sizeBytes: file.sizeBytes,
        sha256: file.fileSha256,
        uploadedAt: file.createdAt.toISOString(),
      })),
  }));
}

export async function listTalentPeople(context: AppContext, actor: Actor, query: ListPeopleQuery) {
  const db = context.database.db;
  const where = and(
    regionScopeCondition(actor.scope, talentPeople.etownCode),
    query.regionCode ? sql`${talentPeople.etownCode} like ${`${query.regionCode}%`}` : undefined,
    query.role ? eq(talentPeople.role, query.role) : undefined,
  );
  const [rows, [counted]] = await Promise.all([
    db
      .select()
      .from(talentPeople)
      .where(where)
      .orderBy(
        asc(talentPeople.etownCode),
        desc(talentPeople.source),
        asc(talentPeople.role),
        asc(talentPeople.sortOrder),
        asc(talentPeople.createdAt),
        asc(talentPeople.id),
      )
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ total: sql<number>`count(*)::int` }).from(talentPeople).where(where),
  ]);
  return {
    items: await present(db, rows),
    total: counted?.total ?? 0,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export async function getTalentPerson(context: AppContext, actor: Actor, id: string, executor?: Executor) {
  const db = executor ?? context.database.db;
  const [view] = await present(db, [await requireVisiblePerson(db, actor, id)]);
  return view as PersonView;
}

/** Problems with the fields the role requires (the others are cleared by `columnsFor`). */
function roleProblems(role: PersonRow['role'], input: PersonFields): FieldProblem[] {
  const missing = (path: keyof PersonFields, label: string): FieldProblem[] =>
    input[path] === null ? [{ path, message: `请填写${label}` }] : [];
  if (role === 'expert')
    return [
      ...missing('expertise', '专业领域'),
      ...missing('engagedFrom', '聘用起始日期'),
      ...(input.engagedFrom && input.engagedTo && input.engagedTo < input.engagedFrom
        ? [{ path: 'engagedTo', message: '聘用结束日期不能早于起始日期' }]
        : []),
    ];
  if (role === 'business_leader')
    return [...missing('entityId', '带领的市场主体'), ...missing('leads', '带领内容')];
  return [
    ...missing('platform', '平台'),
    ...missing('account', '账号名称'),
    ...missing('followers', '粉丝数'),
    ...(input.monthlySalesYuan !== null && input.salesMonth === null
      ? [{ path: 'salesMonth', message: '填写月销售额时请填写其所属月份' }]
      : []),
  ];
}

/** The columns stored for the role: the other roles' fields are null. */
function columnsFor(role: PersonRow['role'], input: PersonFields) {
  const expert = role === 'expert';
  const leader = role === 'business_leader';
  const influencer = role === 'influencer';
  return {
    name: input.name,
    expertise: expert ? input.expertise : null,
    employer: expert ? input.employer : null,
    engagedFrom: expert ? input.engagedFrom : null,
    engagedTo: expert ? input.engagedTo : null,
    entityId: leader ? input.entityId : null,
    leads: leader ? input.leads : null,
    platform: influencer ? input.platform : null,
    account: influencer ? input.account : null,
    followers: influencer ? input.followers : null,
    monthlySalesFen: influencer ? input.monthlySalesYuan : null,
    salesMonth: influencer && input.monthlySalesYuan !== null ? input.salesMonth : null,
  };
}

/** Refuses wrong fields; a business leader's entity must be one the actor sees, in the person's e-town. */
async function checkPerson(
  tx: Executor,
  actor: Actor,
  etownCode: string,
  role: PersonRow['role'],
  input: PersonFields,
) {
  const problems = roleProblems(role, input);
  if (problems.length > 0) throw invalidFields(problems);
  if (role !== 'business_leader' || !input.entityId) return;
  const entity = await requireVisibleEntity(tx, actor, input.entityId);
  if (entity.etownCode !== etownCode)
    throw invalidFields([
      { path: 'entityId', message: `“${entity.name}”不在本e镇，带头人须带领本e镇的市场主体` },
    ]);
}

const auditView = ({ createdAt: _c, updatedAt: _u, sortOrder: _s, monthlySalesFen, ...row }: PersonRow) => ({
  ...row,
  monthlySalesFen: monthlySalesFen?.toString() ?? null,
});

export async function createTalentPerson(context: AppContext, actor: Actor, input: CreatePersonInput) {
  const { etownCode, role, ...fields } = input;
  const id = await context.database.db.transaction(async (tx) => {
    await requireVisibleRegion(tx, actor, etownCode, 'etown');
    await checkPerson(tx, actor, etownCode, role, fields);
    const [row] = await tx
      .insert(talentPeople)
      .values({ etownCode, role, source: 'platform', ...columnsFor(role, fields) })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await recordAudit(tx, actor, {
      action: 'talent.person.create',
      targetType: 'talent_person',
      targetId: row.id,
      regionCode: etownCode,
      diff: { after: auditView(row) },
    });
    return row.id;
  });
  return getTalentPerson(context, actor, id);
}

export async function updateTalentPerson(
  context: AppContext,
  actor: Actor,
  id: string,
  input: UpdatePersonInput,
) {
  await context.database.db.transaction(async (tx) => {
    const before = await requireVisiblePerson(tx, actor, id);
    requirePlatformRow(before);
    const { version, ...fields } = input;
    await checkPerson(tx, actor, before.etownCode, before.role, fields);
    const after = await updateVersioned(
      tx,
      talentPeople,
      eq(talentPeople.id, id),
      version,
      { ...columnsFor(before.role, fields), updatedAt: new Date() },
      async (current) => (await present(tx, [current]))[0],
      '人员',
    );
    await recordAudit(tx, actor, {
      action: 'talent.person.update',
      targetType: 'talent_person',
      targetId: id,
      regionCode: before.etownCode,
      diff: { before: auditView(before), after: auditView(after) },
    });
  });
  return getTalentPerson(context, actor, id);
}

export async function removeTalentPerson(context: AppContext, actor: Actor, id: string) {
  await context.database.db.transaction(async (tx) => {
    const row = await requireVisiblePerson(tx, actor, id);
    requirePlatformRow(row);
    await tx.delete(talentPeople).where(eq(talentPeople.id, id));
    await recordAudit(tx, actor, {
      action: 'talent.person.delete',
      targetType: 'talent_person',
      targetId: id,
      regionCode: row.etownCode,
      diff: { before: auditView(row) },
    });
  });
}

/** Attaches one evidence file (PDF, images, Office; ≤ 20 MB), typed from its bytes and kept by sha256. */
export async function addTalentEvidence(
  context: AppContext,
  actor: Actor,
  id: string,
  fileName: string,
  bytes: Buffer,
) {
  const stored = await storeAttachment(context, 'evidence', evidenceField, bytes);
  await context.database.db.transaction(async (tx) => {
    const person = await requireVisiblePerson(tx, actor, id);
    requirePlatformRow(person);
    await tx.insert(talentPersonEvidence).values({
      personId: id,
      fileName,
      fileSha256: stored.sha256,
      mediaType: stored.mediaType,
      sizeBytes: stored.sizeBytes,
    });
    await recordAudit(tx, actor, {
      action: 'talent.person.evidence.add',
      targetType: 'talent_person',
      targetId: id,
      regionCode: person.etownCode,
      diff: { fileName, sha256: stored.sha256 },
    });
  });
  return getTalentPerson(context, actor, id);
}

async function requireEvidence(executor: Executor, actor: Actor, id: string, evidenceId: string) {
  const person = await requireVisiblePerson(executor, actor, id);
  const [file] = await executor
    .select()
    .from(talentPersonEvidence)
    .where(and(eq(talentPersonEvidence.id, evidenceId), eq(talentPersonEvidence.personId, id)));
  if (!file) throw notFound('证明材料');
  return { person, file };
}

export async function readTalentEvidence(context: AppContext, actor: Actor, id: string, evidenceId: string) {
  const { file } = await requireEvidence(context.database.db, actor, id, evidenceId);
  return readAttachment(context, 'evidence', file);
}

export async function removeTalentEvidence(
  context: AppContext,
  actor: Actor,
  id: string,
  evidenceId: string,
) {
  await context.database.db.transaction(async (tx) => {
    const { person, file } = await requireEvidence(tx, actor, id, evidenceId);
    requirePlatformRow(person);
    await tx.delete(talentPersonEvidence).where(eq(talentPersonEvidence.id, evidenceId));
    await recordAudit(tx, actor, {
      action: 'talent.person.evidence.remove',
      targetType: 'talent_person',
      targetId: id,
      regionCode: person.etownCode,
      diff: { fileName: file.fileName, sha256: file.fileSha256 },
    });
  });
  return getTalentPerson(context, actor, id);
}
