import { and, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Actor } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import type { Executor } from '../../db/client.ts';
import { users } from '../../db/schema/accounts.ts';
import { entities } from '../../db/schema/entities.ts';
import { entryApplications } from '../../db/schema/entity-registry.ts';
import { regions } from '../../db/schema/regions.ts';
import type { AppContext } from '../../http/context.ts';
import { conflict, invalidFields, notFound } from '../../http/errors.ts';
import { sm4Decrypt, sm4Encrypt } from '../../lib/national-crypto.ts';
import { bindEnterpriseAccountToEntity } from '../accounts/user.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getEtown } from '../regions/regions.service.ts';
import type {
  EntryApplicationView,
  EntryConditions,
  EntryProposal,
  StoredProposalView,
  SubmitApplicationInput,
} from './entities.schemas.ts';
import { insertEntity } from './entities.service.ts';
import { creditCodeProblem, entryConditionsBasis, entryConditionsFor, maskPhone } from './entity-rules.ts';

type StoredProposal = Omit<EntryProposal, 'contactPhone'> & {
  contactPhoneCipher: string | null;
  contactPhoneMasked: string | null;
};

export async function getEntryConditions(
  context: AppContext,
  actor: Actor,
  etownCode: string,
  executor?: Executor,
): Promise<EntryConditions> {
  const etown = await getEtown(context, actor, etownCode, executor);
  return {
    etownCode: etown.code,
    etownName: etown.name,
    basis: entryConditionsBasis,
    conditions: entryConditionsFor(etown.name, etown.leadingIndustries),
  };
}

/** An enterprise account sees its own applications; everyone else those of e-towns in their scope. */
function applicationScopeCondition(actor: Actor): SQL | undefined {
  if (actor.scope.kind === 'entity') return eq(entryApplications.applicantId, actor.userId);
  return regionScopeCondition(actor.scope, entryApplications.etownCode);
}

const reviewers = alias(users, 'reviewers');

async function selectApplications(executor: Executor, condition: SQL | undefined) {
  return executor
    .select({
      application: entryApplications,
      etownName: regions.name,
      applicantName: users.displayName,
      reviewedByName: reviewers.displayName,
    })
    .from(entryApplications)
    .innerJoin(regions, eq(regions.code, entryApplications.etownCode))
    .innerJoin(users, eq(users.id, entryApplications.applicantId))
    .leftJoin(reviewers, eq(reviewers.id, entryApplications.reviewedBy))
    .where(condition)
    .orderBy(desc(entryApplications.createdAt), desc(entryApplications.id));
}

type ApplicationJoinRow = Awaited<ReturnType<typeof selectApplications>>[number];

function present(row: ApplicationJoinRow): EntryApplicationView {
  const { contactPhoneCipher: _cipher, ...proposal } = row.application.proposal as StoredProposal;
  return {
    id: row.application.id,
    etownCode: row.application.etownCode,
    etownName: row.etownName,
    applicantName: row.applicantName,
    proposal: proposal as StoredProposalView,
    statement: row.application.statement,
    status: row.application.status,
    entityId: row.application.entityId,
    reviewReason: row.application.reviewReason,
    reviewedByName: row.reviewedByName,
    reviewedAt: row.application.reviewedAt?.toISOString() ?? null,
    createdAt: row.application.createdAt.toISOString(),
  };
}

export async function listEntryApplications(
  context: AppContext,
  actor: Actor,
  status?: EntryApplicationView['status'],
) {
  const rows = await selectApplications(
    context.database.db,
    and(applicationScopeCondition(actor), status ? eq(entryApplications.status, status) : undefined),
  );
  return rows.map(present);
}

async function requireVisibleApplication(executor: Executor, actor: Actor, id: string) {
  const [row] = await selectApplications(
    executor,
    and(eq(entryApplications.id, id), applicationScopeCondition(actor)),
  );
  if (!row) throw notFound('入驻申请');
  return row;
}

export async function getEntryApplication(
  context: AppContext,
  actor: Actor,
  id: string,
  executor: Executor = context.database.db,
) {
  const row = await requireVisibleApplication(executor, actor, id);
  const conditions = await getEntryConditions(context, actor, row.application.etownCode, executor).catch(
    // An admitted enterprise still sees its application even if the e-town is outside a changed scope.
    () => null,
  );
  return { ...present(row), conditions: conditions?.conditions ?? [] };
}

/**
 * An enterprise account applies to enter the e-town it was invited to (its scope's e-town). Until it is
 * admitted its scope has no entity (`entityId` null): it sees no entity, only its own applications.
 */
export async function submitEntryApplication(
  context: AppContext,
  actor: Actor,
  input: SubmitApplicationInput,
) {
  if (actor.scope.kind !== 'entity') throw notFound('e镇');
  const scope = actor.scope;
  const id = await context.database.db.transaction(async (tx) => {
    await getEtown(context, actor, input.etownCode, tx);
    if (scope.entityId) {
      throw conflict('already_registered', '您的账号已关联市场主体，无需再申请入驻');
    }
    const [pending] = await tx
      .select({ id: entryApplications.id })
      .from(entryApplications)
      .where(and(eq(entryApplications.applicantId, actor.userId), eq(entryApplications.status, 'submitted')));
    if (pending) throw conflict('application_pending', '您已有一份待审核的入驻申请，请等待县级审核');
    const problem = creditCodeProblem(input.proposal.creditCode);
    if (problem) throw invalidFields([{ path: 'proposal.creditCode', message: problem }]);
    const { contactPhone, ...proposal } = input.proposal;
    const stored: StoredProposal = {
      ...proposal,
      contactPhoneCipher: contactPhone ? sm4Encrypt(contactPhone, context.secretKeyHex) : null,
      contactPhoneMasked: contactPhone ? maskPhone(contactPhone) : null,
    };
    const [row] = await tx
      .insert(entryApplications)
      .values({
        etownCode: input.etownCode,
        applicantId: actor.userId,
        proposal: stored,
        statement: input.statement,
      })
      .returning({ id: entryApplications.id });
    if (!row) throw new Error('insert returned no row');
    const { contactPhoneCipher: _cipher, ...auditProposal } = stored;
    await recordAudit(tx, actor, {
      action: 'entry.submit',
      targetType: 'entry_application',
      targetId: row.id,
      regionCode: input.etownCode,
      diff: { after: { etownCode: input.etownCode, proposal: auditProposal, statement: input.statement } },
    });
    return row.id;
  });
  return getEntryApplication(context, actor, id);
}

async function requireSubmitted(executor: Executor, actor: Actor, id: string) {
  const row = await requireVisibleApplication(executor, actor, id);
  if (row.application.status !== 'submitted') {
    throw conflict('application_reviewed', '该入驻申请已审核，不能重复处理');
  }
  return row;
}

/**
 * Admitting registers the proposed entity in the e-town (or, when the county already registered that credit
 * code in the same e-town, e.g. from the ledger, links to it) and binds the applicant's account to it.
 */
export async function admitEntryApplication(
  context: AppContext,
  actor: Actor,
  id: string,
  reason: string | null,
) {
  await context.database.db.transaction(async (tx) => {
    const { application } = await requireSubmitted(tx, actor, id);
    const proposal = application.proposal as StoredProposal;
    const problem = creditCodeProblem(proposal.creditCode);
    if (problem) throw invalidFields([{ path: 'proposal.creditCode', message: problem }]);
    const [existing] = await tx
      .select({ id: entities.id, etownCode: entities.etownCode })
      .from(entities)
      .where(eq(entities.creditCode, proposal.creditCode));
    if (existing && existing.etownCode !== application.etownCode) {
      throw conflict(
        'credit_code_taken',
        `统一社会信用代码 ${proposal.creditCode} 已在其他e镇登记，不能入驻`,
      );
    }
    let entityId = existing?.id;
    if (!entityId) {
      const { contactPhoneCipher, contactPhoneMasked: _masked, ...fields } = proposal;
      const created = await insertEntity(
        tx,
        context,
        actor,
        {
          ...fields,
          etownCode: application.etownCode,
          contactPhone: contactPhoneCipher ? sm4Decrypt(contactPhoneCipher, context.secretKeyHex) : null,
        },
        { entryApplicationId: id },
      );
      entityId = created.id;
    }
    const [bound] = await tx
      .select({ entityId: users.entityId })
      .from(users)
      .where(inArray(users.entityId, [entityId]));
    // The applicant is an enterprise account scoped to this e-town with no entity yet; the accounts
    // module binds it inside this transaction.
    const linked =
      !bound &&
      (await bindEnterpriseAccountToEntity(tx, {
        userId: application.applicantId,
        etownCode: application.etownCode,
        entityId,
      }));
    await tx
      .update(entryApplications)
      .set({
        status: 'admitted',
        entityId,
        reviewReason: reason,
        reviewedBy: actor.userId,
        reviewedAt: new Date(),
      })
      .where(eq(entryApplications.id, id));
    await recordAudit(tx, actor, {
      action: 'entry.admit',
      targetType: 'entry_application',
      targetId: id,
      regionCode: application.etownCode,
      diff: {
        status: { before: 'submitted', after: 'admitted' },
        entityId: { before: null, after: entityId },
        linkedExistingEntity: Boolean(existing),
        applicantAccountLinked: linked,
        reason,
      },
    });
  });
  return getEntryApplication(context, actor, id);
}

export async function rejectEntryApplication(context: AppContext, actor: Actor, id: string, reason: string) {
  await context.database.db.transaction(async (tx) => {
    const { application } = await requireSubmitted(tx, actor, id);
    await tx
      .update(entryApplications)
      .set({ status: 'rejected', reviewReason: reason, reviewedBy: actor.userId, reviewedAt: new Date() })
      .where(eq(entryApplications.id, id));
    await recordAudit(tx, actor, {
      action: 'entry.reject',
      targetType: 'entry_application',
      targetId: id,
      regionCode: application.etownCode,
      diff: { status: { before: 'submitted', after: 'rejected' }, reason },
    });
  });
  return getEntryApplication(context, actor, id);
}
