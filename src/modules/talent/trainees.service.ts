import { and, asc, desc, eq, ilike, or, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import type { Executor } from '../../db/client.ts';
import { entities } from '../../db/schema/entities.ts';
import { traineeFollowUps, trainees } from '../../db/schema/talent.ts';
import { updateVersioned } from '../../db/versioned-update.ts';
import type { AppContext } from '../../http/context.ts';
import { invalidFields, notFound } from '../../http/errors.ts';
import { formatFen } from '../../indicators/exact.ts';
import { idNumberBlindIndex, maskIdNumber } from '../../lib/id-number.ts';
import { sm4Decrypt, sm4Encrypt } from '../../lib/national-crypto.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { requireVisibleEntity } from '../entities/entities.service.ts';
import { maskPhone } from '../entities/entity-rules.ts';
import { regionNames } from '../regions/region-names.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';
import {
  checkedBirthYear,
  checkedIdNumber,
  refuseHiddenCategoryFilter,
  traineeAlreadyRegistered,
  visibleCategory,
} from './trainee-rules.ts';
import type {
  AddFollowUpInput,
  CreateTraineeInput,
  ListTraineesQuery,
  TraineeDetail,
  TraineeSummary,
  UpdateTraineeInput,
} from './trainees.schemas.ts';

type TraineeRow = typeof trainees.$inferSelect;

/** The trainee when the actor's region scope covers its e-town; otherwise 404, as if it did not exist. */
export async function requireVisibleTrainee(
  executor: Executor,
  actor: Actor,
  id: string,
): Promise<TraineeRow> {
  const [row] = await executor
    .select()
    .from(trainees)
    .where(and(eq(trainees.id, id), regionScopeCondition(actor.scope, trainees.etownCode)));
  if (!row) throw notFound('学员档案');
  return row;
}

/** The stored columns of an ID number: cipher, mask and blind index, never the clear number. */
export const idNumberColumns = (idNumber: string, secretKeyHex: string) => ({
  idNumberCipher: sm4Encrypt(idNumber, secretKeyHex),
  idNumberMasked: maskIdNumber(idNumber),
  idNumberIndex: idNumberBlindIndex(idNumber, secretKeyHex),
});

export const phoneColumns = (phone: string | null | undefined, secretKeyHex: string) =>
  phone === undefined
    ? {}
    : phone === null
      ? { phoneCipher: null, phoneMasked: null }
      : { phoneCipher: sm4Encrypt(phone, secretKeyHex), phoneMasked: maskPhone(phone) };

/** What the audit log keeps of a trainee: masked ID number and phone, never the ciphers or the index. */
function auditView(row: Partial<TraineeRow>) {
  const {
    idNumberCipher: _id,
    idNumberIndex: _index,
    phoneCipher: _phone,
    createdAt: _created,
    updatedAt: _updated,
    ...rest
  } = row;
  return rest;
}

function presentSummary(actor: Actor, row: TraineeRow, etownName: string | undefined): TraineeSummary {
  return {
    id: row.id,
    etownCode: row.etownCode,
    etownName: etownName ?? row.etownCode,
    villageName: row.villageName,
    name: row.name,
    gender: row.gender,
    birthYear: row.birthYear,
    idNumberMasked: row.idNumberMasked,
    phoneMasked: row.phoneMasked,
    ...visibleCategory(actor.role, row.category),
    skills: row.skills,
    version: row.version,
  };
}

function listConditions(context: AppContext, actor: Actor, query: ListTraineesQuery): SQL[] {
  refuseHiddenCategoryFilter(actor.role, query.category);
  const conditions = [regionScopeCondition(actor.scope, trainees.etownCode)];
  if (query.regionCode) conditions.push(sql`${trainees.etownCode} like ${`${query.regionCode}%`}`);
  if (query.category) conditions.push(eq(trainees.category, query.category));
  if (query.keyword) {
    const pattern = `%${query.keyword.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    conditions.push(or(ilike(trainees.name, pattern), ilike(trainees.villageName, pattern)) as SQL);
  }
  if (query.idNumber) {
    conditions.push(
      eq(trainees.idNumberIndex, idNumberBlindIndex(checkedIdNumber(query.idNumber), context.secretKeyHex)),
    );
  }
  return conditions.filter((condition): condition is SQL => condition !== undefined);
}

export async function listTrainees(context: AppContext, actor: Actor, query: ListTraineesQuery) {
  const db = context.database.db;
  const where = and(...listConditions(context, actor, query));
  const [rows, [counted]] = await Promise.all([
    db
      .select()
      .from(trainees)
      .where(where)
      .orderBy(asc(trainees.etownCode), asc(trainees.name), asc(trainees.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ total: sql<number>`count(*)::int` }).from(trainees).where(where),
  ]);
  const names = await regionNames(
    db,
    rows.map((row) => row.etownCode),
  );
  return {
    items: rows.map((row) => presentSummary(actor, row, names.get(row.etownCode))),
    total: counted?.total ?? 0,
    page: query.page,
    pageSize: query.pageSize,
  };
}

async function presentDetail(executor: Executor, actor: Actor, row: TraineeRow): Promise<TraineeDetail> {
  const [names, followUps] = await Promise.all([
    regionNames(executor, [row.etownCode]),
    executor
      .select({ followUp: traineeFollowUps, entityName: entities.name })
      .from(traineeFollowUps)
      .leftJoin(entities, eq(entities.id, traineeFollowUps.entityId))
      .where(eq(traineeFollowUps.traineeId, row.id))
      .orderBy(desc(traineeFollowUps.happenedOn), desc(traineeFollowUps.createdAt)),
  ]);
  return {
    ...presentSummary(actor, row, names.get(row.etownCode)),
    certificates: row.certificates,
    followUps: followUps.map(({ followUp, entityName }) => ({
      id: followUp.id,
      kind: followUp.kind,
      happenedOn: followUp.happenedOn,
      entityId: followUp.entityId,
      entityName,
      shopName: followUp.shopName,
      monthlyIncomeYuan: followUp.monthlyIncomeFen === null ? null : formatFen(followUp.monthlyIncomeFen),
      note: followUp.note,
    })),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function getTrainee(context: AppContext, actor: Actor, id: string): Promise<TraineeDetail> {
  const db = context.database.db;
  return presentDetail(db, actor, await requireVisibleTrainee(db, actor, id));
}

/** The values of a new file, with its ID number checked (GB 11643) and encrypted. */
export function newTraineeValues(context: AppContext, input: CreateTraineeInput) {
  const idNumber = checkedIdNumber(input.idNumber);
  return {
    etownCode: input.etownCode,
    villageName: input.villageName,
    name: input.name,
    gender: input.gender,
    birthYear: checkedBirthYear(idNumber, input.birthYear),
    ...idNumberColumns(idNumber, context.secretKeyHex),
    ...phoneColumns(input.phone, context.secretKeyHex),
    category: input.category,
    skills: input.skills,
    certificates: input.certificates,
  };
}

export async function createTrainee(context: AppContext, actor: Actor, input: CreateTraineeInput) {
  const values = newTraineeValues(context, input);
  const row = await context.database.db.transaction(async (tx) => {
    await requireVisibleRegion(tx, actor, input.etownCode, 'etown');
    const [inserted] = await tx.insert(trainees).values(values).onConflictDoNothing().returning();
    if (!inserted) throw traineeAlreadyRegistered();
    await recordAudit(tx, actor, {
      action: 'trainee.create',
      targetType: 'trainee',
      targetId: inserted.id,
      regionCode: inserted.etownCode,
      diff: { after: auditView(inserted) },
    });
    return inserted;
  });
  return getTrainee(context, actor, row.id);
}

export async function updateTrainee(
  context: AppContext,
  actor: Actor,
  id: string,
  input: UpdateTraineeInput,
) {
  const db = context.database.db;
  await db.transaction(async (tx) => {
    const before = await requireVisibleTrainee(tx, actor, id);
    const { version, phone, ...fields } = input;
    const values = { ...fields, ...phoneColumns(phone, context.secretKeyHex), updatedAt: new Date() };
    const after = await updateVersioned(
      tx,
      trainees,
      eq(trainees.id, id),
      version,
      values,
      (current) => presentDetail(tx, actor, current),
      '学员档案',
    );
    await recordAudit(tx, actor, {
      action: 'trainee.update',
      targetType: 'trainee',
      targetId: id,
      regionCode: before.etownCode,
      diff: { before: auditView(before), after: auditView(after) },
    });
  });
  return getTrainee(context, actor, id);
}

async function checkFollowUp(tx: Executor, actor: Actor, input: AddFollowUpInput) {
  if (input.entityId) await requireVisibleEntity(tx, actor, input.entityId);
  const missing =
    input.kind === 'employed' && !input.entityId
      ? { path: 'entityId', message: '录用跟踪须选择登记在册的市场主体' }
      : input.kind === 'opened_shop' && !input.shopName
        ? { path: 'shopName', message: '开设网店跟踪须填写网店名称' }
        : input.kind === 'income_change' && input.monthlyIncomeYuan === null
          ? { path: 'monthlyIncomeYuan', message: '收入变化跟踪须填写变化后的月收入（元）' }
          : null;
  if (missing) throw invalidFields([missing]);
}

export async function addTraineeFollowUp(
  context: AppContext,
  actor: Actor,
  id: string,
  input: AddFollowUpInput,
) {
  const db = context.database.db;
  await db.transaction(async (tx) => {
    const trainee = await requireVisibleTrainee(tx, actor, id);
    await checkFollowUp(tx, actor, input);
    const [row] = await tx
      .insert(traineeFollowUps)
      .values({
        traineeId: id,
        kind: input.kind,
        happenedOn: input.happenedOn,
        entityId: input.entityId,
        shopName: input.shopName,
        monthlyIncomeFen: input.monthlyIncomeYuan,
        note: input.note,
      })
      .returning();
    await recordAudit(tx, actor, {
      action: 'trainee.follow_up.add',
      targetType: 'trainee',
      targetId: id,
      regionCode: trainee.etownCode,
      diff: { followUp: { ...row, monthlyIncomeFen: row?.monthlyIncomeFen?.toString() ?? null } },
    });
  });
  return getTrainee(context, actor, id);
}

/** The clear ID number and phone for a role that may see them; every reveal is audited in the same transaction. */
export async function revealTraineeIdentity(context: AppContext, actor: Actor, id: string) {
  return context.database.db.transaction(async (tx) => {
    const row = await requireVisibleTrainee(tx, actor, id);
    await recordAudit(tx, actor, {
      action: 'trainee.identity.reveal',
      targetType: 'trainee',
      targetId: id,
      regionCode: row.etownCode,
      diff: {
        fields: ['idNumber', 'phone'],
        idNumberMasked: row.idNumberMasked,
        phoneMasked: row.phoneMasked,
      },
    });
    return {
      idNumber: sm4Decrypt(row.idNumberCipher, context.secretKeyHex),
      phone: row.phoneCipher ? sm4Decrypt(row.phoneCipher, context.secretKeyHex) : null,
    };
  });
}
