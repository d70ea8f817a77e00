import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import type { Executor } from '../../db/client.ts';
import { users } from '../../db/schema/accounts.ts';
import { policyDocuments } from '../../db/schema/documents.ts';
import { complianceIncidents } from '../../db/schema/projects.ts';
import { updateVersioned } from '../../db/versioned-update.ts';
import type { AppContext } from '../../http/context.ts';
import { invalidFields, notFound } from '../../http/errors.ts';
import { readAttachment, storeAttachment } from '../../lib/attachments.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { notifyUsers, usersCovering } from '../notifications/notifications.service.ts';
import { regionNames } from '../regions/region-names.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';
import { inScope } from './project-support.ts';
import type {
  AnswerIncidentInput,
  CreateDocumentInput,
  CreateIncidentInput,
  UpdateDocumentInput,
  UpdateIncidentInput,
} from './projects.schemas.ts';

type IncidentRow = typeof complianceIncidents.$inferSelect;
type DocumentRow = typeof policyDocuments.$inferSelect;

const firstOf = <T>(views: T[]) => views[0] as T;

// ---- compliance incidents (indicator 20) ----
// Separation of duties: the county (or city, province) records, edits and deletes incidents; the e-town
// they concern only answers them. The route policies say who may call what; scope says which incidents.

async function userNames(executor: Executor, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map<string, string>();
  const rows = await executor
    .select({ id: users.id, name: users.displayName })
    .from(users)
    .where(inArray(users.id, wanted));
  return new Map(rows.map((row) => [row.id, row.name]));
}

async function incidentViews(executor: Executor, rows: IncidentRow[]) {
  const names = await regionNames(
    executor,
    rows.map((row) => row.etownCode),
  );
  const people = await userNames(
    executor,
    rows.flatMap((row) => [row.recordedBy, row.answeredBy]),
  );
  const nameOf = (id: string | null) => (id ? (people.get(id) ?? null) : null);
  return rows.map((row) => ({
    id: row.id,
    version: row.version,
    etownCode: row.etownCode,
    etownName: names.get(row.etownCode) ?? row.etownCode,
    occurredOn: row.occurredOn,
    category: row.category,
    description: row.description,
    handling: row.handling,
    handledOn: row.handledOn,
    recordedByName: nameOf(row.recordedBy),
    answer: row.answer,
    answeredByName: nameOf(row.answeredBy),
    answeredAt: row.answeredAt?.toISOString() ?? null,
  }));
}

async function requireVisibleIncident(executor: Executor, actor: Actor, id: string) {
  const [row] = await executor
    .select()
    .from(complianceIncidents)
    .where(and(eq(complianceIncidents.id, id), inScope(actor, complianceIncidents.etownCode)));
  if (!row) throw notFound('违规事件');
  return row;
}

function requireHandledAfter(input: { occurredOn: string; handledOn: string | null }) {
  if (input.handledOn && input.handledOn < input.occurredOn) {
    throw invalidFields([{ path: 'handledOn', message: '处置日期不能早于发生日期' }]);
  }
}

async function nextSortOrder(
  executor: Executor,
  table: typeof complianceIncidents | typeof policyDocuments,
  etownCode: string,
) {
  const [row] = await executor
    .select({ next: sql<number>`coalesce(max(${table.sortOrder}) + 1, 0)::int` })
    .from(table)
    .where(eq(table.etownCode, etownCode));
  return row?.next ?? 0;
}

export async function listIncidents(context: AppContext, actor: Actor, regionCode?: string) {
  const { db } = context.database;
  const rows = await db
    .select()
    .from(complianceIncidents)
    .where(inScope(actor, complianceIncidents.etownCode, regionCode))
    .orderBy(desc(complianceIncidents.occurredOn), asc(complianceIncidents.sortOrder));
  return incidentViews(db, rows);
}

/** The county (city, province) records an incident of an e-town in its scope; the e-town is asked to answer. */
export async function createIncident(context: AppContext, actor: Actor, input: CreateIncidentInput) {
  requireHandledAfter(input);
  return context.database.db.transaction(async (tx) => {
    const etown = await requireVisibleRegion(tx, actor, input.etownCode, 'etown');
    const [row] = await tx
      .insert(complianceIncidents)
      .values({
        ...input,
        recordedBy: actor.userId,
        sortOrder: await nextSortOrder(tx, complianceIncidents, input.etownCode),
      })
      .returning();
    const created = row as IncidentRow;
    await recordAudit(tx, actor, {
      action: 'compliance.incident.create',
      targetType: 'compliance_incident',
      targetId: created.id,
      regionCode: created.etownCode,
      diff: { ...input },
    });
    await notifyUsers(tx, await usersCovering(tx, 'etown_operator', created.etownCode), {
      kind: 'compliance.incident.recorded',
      title: `${etown.name}被登记一起违规违法事件（${created.occurredOn}）`,
      body: '该事件计入指标20，请在“监督检查 → 违规违法事件”中答复（情况说明或整改情况）。',
    });
    return firstOf(await incidentViews(tx, [created]));
  });
}

export async function updateIncident(
  context: AppContext,
  actor: Actor,
  id: string,
  input: UpdateIncidentInput,
) {
  requireHandledAfter(input);
  return context.database.db.transaction(async (tx) => {
    const before = await requireVisibleIncident(tx, actor, id);
    const { version, ...fields } = input;
    const row = await updateVersioned(
      tx,
      complianceIncidents,
      eq(complianceIncidents.id, id),
      version,
      fields,
      async (current) => firstOf(await incidentViews(tx, [current])),
    );
    await recordAudit(tx, actor, {
      action: 'compliance.incident.update',
      targetType: 'compliance_incident',
      targetId: id,
      regionCode: before.etownCode,
      diff: {
        before: { occurredOn: before.occurredOn, category: before.category, handling: before.handling },
        after: fields,
      },
    });
    return firstOf(await incidentViews(tx, [row]));
  });
}

export async function deleteIncident(context: AppContext, actor: Actor, id: string) {
  await context.database.db.transaction(async (tx) => {
    const row = await requireVisibleIncident(tx, actor, id);
    await tx.delete(complianceIncidents).where(eq(complianceIncidents.id, id));
    await recordAudit(tx, actor, {
      action: 'compliance.incident.delete',
      targetType: 'compliance_incident',
      targetId: id,
      regionCode: row.etownCode,
      diff: {
        etownCode: row.etownCode,
        occurredOn: row.occurredOn,
        category: row.category,
        description: row.description,
        answer: row.answer,
      },
    });
  });
}

/**
 * The e-town's answer to an incident recorded about it (情况说明 / 整改说明): stored with who answered and
 * when, audited with the answer it replaces; the county operators of the e-town and the recorder are told.
 */
export async function answerIncident(
  context: AppContext,
  actor: Actor,
  id: string,
  input: AnswerIncidentInput,
) {
  return context.database.db.transaction(async (tx) => {
    const before = await requireVisibleIncident(tx, actor, id);
    const [row] = await tx
      .update(complianceIncidents)
      .set({ answer: input.answer, answeredBy: actor.userId, answeredAt: new Date() })
      .where(eq(complianceIncidents.id, id))
      .returning();
    const answered = row as IncidentRow;
    await recordAudit(tx, actor, {
      action: 'compliance.incident.answer',
      targetType: 'compliance_incident',
      targetId: id,
      regionCode: answered.etownCode,
      diff: { answer: { before: before.answer, after: input.answer } },
    });
    const [view] = await incidentViews(tx, [answered]);
    const recipients = await usersCovering(tx, 'county_operator', answered.etownCode);
    if (answered.recordedBy) recipients.push(answered.recordedBy);
    await notifyUsers(tx, recipients, {
      kind: 'compliance.incident.answered',
      title: `${view?.etownName ?? answered.etownCode}已答复违规违法事件（${answered.occurredOn}）`,
      body: input.answer,
    });
    return view as NonNullable<typeof view>;
  });
}

// ---- policy documents (indicators 1, 5, 9, 18, 21, 22) ----

async function documentViews(executor: Executor, rows: DocumentRow[]) {
  const names = await regionNames(
    executor,
    rows.map((row) => row.etownCode),
  );
  return rows.map((row) => ({
    id: row.id,
    version: row.version,
    etownCode: row.etownCode,
    etownName: names.get(row.etownCode) ?? row.etownCode,
    kind: row.kind,
    title: row.title,
    docNo: row.docNo,
    issuedOn: row.issuedOn,
    issuer: row.issuer,
    fileName: row.fileName,
    mediaType: row.mediaType,
  }));
}

async function requireVisibleDocument(executor: Executor, actor: Actor, id: string) {
  const [row] = await executor
    .select()
    .from(policyDocuments)
    .where(and(eq(policyDocuments.id, id), inScope(actor, policyDocuments.etownCode)));
  if (!row) throw notFound('制度文件');
  return row;
}

export async function listDocuments(context: AppContext, actor: Actor, regionCode?: string) {
  const { db } = context.database;
  const rows = await db
    .select()
    .from(policyDocuments)
    .where(inScope(actor, policyDocuments.etownCode, regionCode))
    .orderBy(asc(policyDocuments.etownCode), desc(policyDocuments.issuedOn), asc(policyDocuments.sortOrder));
  return documentViews(db, rows);
}

export async function createDocument(context: AppContext, actor: Actor, input: CreateDocumentInput) {
  return context.database.db.transaction(async (tx) => {
    await requireVisibleRegion(tx, actor, input.etownCode, 'etown');
    const [row] = await tx
      .insert(policyDocuments)
      .values({ ...input, sortOrder: await nextSortOrder(tx, policyDocuments, input.etownCode) })
      .returning();
    const created = row as DocumentRow;
    await recordAudit(tx, actor, {
      action: 'policy-document.create',
      targetType: 'policy_document',
      targetId: created.id,
      regionCode: created.etownCode,
      diff: { ...input },
    });
    return firstOf(await documentViews(tx, [created]));
  });
}

export async function updateDocument(
  context: AppContext,
  actor: Actor,
  id: string,
  input: UpdateDocumentInput,
) {
  return context.database.db.transaction(async (tx) => {
    const before = await requireVisibleDocument(tx, actor, id);
    const { version, ...fields } = input;
    const row = await updateVersioned(
      tx,
      policyDocuments,
      eq(policyDocuments.id, id),
      version,
      fields,
      async (current) => firstOf(await documentViews(tx, [current])),
    );
    await recordAudit(tx, actor, {
      action: 'policy-document.update',
      targetType: 'policy_document',
      targetId: id,
      regionCode: before.etownCode,
      diff: {
        before: { kind: before.kind, title: before.title, docNo: before.docNo, issuedOn: before.issuedOn },
        after: fields,
      },
    });
    return firstOf(await documentViews(tx, [row]));
  });
}

export async function deleteDocument(context: AppContext, actor: Actor, id: string) {
  await context.database.db.transaction(async (tx) => {
    const row = await requireVisibleDocument(tx, actor, id);
    await tx.delete(policyDocuments).where(eq(policyDocuments.id, id));
    await recordAudit(tx, actor, {
      action: 'policy-document.delete',
      targetType: 'policy_document',
      targetId: id,
      regionCode: row.etownCode,
      diff: { etownCode: row.etownCode, kind: row.kind, title: row.title, docNo: row.docNo },
    });
  });
}

/** Attaches (or replaces) the document's file: PDF, DOCX or images, typed from the bytes. */
export async function attachDocumentFile(
  context: AppContext,
  actor: Actor,
  id: string,
  fileName: string,
  bytes: Buffer,
) {
  const stored = await storeAttachment(context, 'projects', { accepts: 'document', what: '制度文件' }, bytes);
  return context.database.db.transaction(async (tx) => {
    const document = await requireVisibleDocument(tx, actor, id);
    const [row] = await tx
      .update(policyDocuments)
      .set({ fileSha256: stored.sha256, fileName, mediaType: stored.mediaType })
      .where(eq(policyDocuments.id, id))
      .returning();
    await recordAudit(tx, actor, {
      action: 'policy-document.file',
      targetType: 'policy_document',
      targetId: id,
      regionCode: document.etownCode,
      diff: { fileName, sha256: stored.sha256 },
    });
    return firstOf(await documentViews(tx, [row as DocumentRow]));
  });
}

export async function readDocumentFile(context: AppContext, actor: Actor, id: string) {
  const row = await requireVisibleDocument(context.database.db, actor, id);
  if (!row.fileSha256 || !row.fileName || !row.mediaType) throw notFound('文件');
  return readAttachment(context, 'projects', {
    fileSha256: row.fileSha256,
    fileName: row.fileName,
    mediaType: row.mediaType,
  });
}
