import { eq } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import type { Transaction } from '../../db/client.ts';
import { fundApplicationFiles, fundApplications } from '../../db/schema/funds.ts';
import { staleVersion } from '../../db/versioned-update.ts';
import type { AppContext } from '../../http/context.ts';
import { badRequest, conflict, forbidden } from '../../http/errors.ts';
import { formatFen } from '../../indicators/exact.ts';
import { storeAttachment } from '../../lib/attachments.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { diffObjects } from '../audit/audit.service.ts';
import {
  type ApplicationRow,
  audit,
  rateLimitOf,
  requireApplicablePolicy,
  requireApplicantSide,
  requireStatus,
  requireVisibleApplication,
} from './fund-application-access.ts';
import { getApplicationDetail, presentApplicationFile } from './fund-application-read.service.ts';
import { yuanOrNull } from './fund-payments.ts';
import type { FundPolicyRow } from './fund-policies.service.ts';
import {
  eligibleBaseLabel,
  formatRatePercent,
  rateLimitCeilingFen,
  rateLimitProblems,
} from './fund-rate-ceiling.ts';
import type { ApplicationInput } from './funds.schemas.ts';

/** The applicant's use cases: 提交申请, 修改申请, 上传证明材料. */

/**
 * Under a rate-type policy an application states its base (贴息基数 …) and asks at most base × rate, rounded
 * down to the fen, and the cap; under an amount-type policy it states none. Returns the base to store.
 */
function checkEligibleBase(
  policy: FundPolicyRow,
  input: ApplicationInput,
  pathPrefix: string,
): bigint | null {
  const basePath = `${pathPrefix}eligibleBaseYuan`;
  if (policy.standardKind === 'amount') {
    if (input.eligibleBaseFen !== null) {
      throw badRequest('eligible_base_not_applicable', `政策“${policy.name}”为定额补助，不填写计算基数`, [
        { path: basePath, message: '定额补助不填写计算基数' },
      ]);
    }
    return null;
  }
  const label = eligibleBaseLabel(policy.supportMode);
  const limit = rateLimitOf(policy, input.eligibleBaseFen);
  if (!limit) {
    throw badRequest(
      'eligible_base_required',
      `政策“${policy.name}”按 ${formatRatePercent(policy.rateBp ?? 0)}% 比例补助，须填写${label}`,
      [{ path: basePath, message: `请填写${label}` }],
    );
  }
  const problems = rateLimitProblems(input.requestedFen, limit);
  if (problems.length > 0) {
    throw conflict('requested_amount_too_high', `申请金额${problems.join('，')}`, [
      {
        path: `${pathPrefix}requestedYuan`,
        message: problems.join('，'),
        limitYuan: formatFen(rateLimitCeilingFen(limit)),
      },
    ]);
  }
  return limit.baseFen;
}

/** The row as the audit log keeps it (bigints as text). */
const auditView = (row: Partial<ApplicationRow>) => ({
  ...row,
  requestedFen: row.requestedFen?.toString() ?? null,
  approvedFen: row.approvedFen?.toString() ?? null,
  eligibleBaseFen: row.eligibleBaseFen?.toString() ?? null,
});

/** 提交申请: an enterprise for its own entity, or the e-town operator for its e-town. */
export async function submitFundApplication(tx: Transaction, actor: Actor, input: ApplicationInput) {
  let etownCode: string;
  let entityId: string | null = null;
  if (actor.role === 'enterprise' && actor.scope.kind === 'entity' && actor.scope.entityId) {
    etownCode = actor.scope.etownCode;
    entityId = actor.scope.entityId;
  } else if (actor.role === 'etown_operator' && actor.scope.kind === 'region') {
    etownCode = actor.scope.code;
  } else {
    throw forbidden('当前账号没有关联市场主体或e镇，不能提交资金申请');
  }
  const policy = await requireApplicablePolicy(tx, actor, input.policyId, etownCode, shanghaiToday());
  const eligibleBaseFen = checkEligibleBase(policy, input, '');
  const [created] = await tx
    .insert(fundApplications)
    .values({
      policyId: input.policyId,
      etownCode,
      entityId,
      applicantId: actor.userId,
      title: input.title,
      description: input.description,
      eligibleBaseFen,
      requestedFen: input.requestedFen,
    })
    .returning({ id: fundApplications.id });
  const id = (created as { id: string }).id;
  await audit(tx, actor, { id, etownCode }, 'funds.application.submit', {
    policyId: input.policyId,
    etownCode,
    entityId,
    title: input.title,
    eligibleBaseYuan: yuanOrNull(eligibleBaseFen),
    requestedYuan: formatFen(input.requestedFen),
  });
  return getApplicationDetail(tx, actor, id);
}

/** 修改申请: while it waits for review or after it was returned; a returned one goes back to review. */
export async function updateFundApplication(
  tx: Transaction,
  actor: Actor,
  id: string,
  input: ApplicationInput,
  version: number,
) {
  const row = await requireVisibleApplication(tx, actor, id, true);
  requireApplicantSide(actor, row);
  requireStatus(row, ['submitted', 'returned'], '修改');
  if (row.version !== version) throw staleVersion(await getApplicationDetail(tx, actor, id));
  const policy = await requireApplicablePolicy(tx, actor, input.policyId, row.etownCode, shanghaiToday());
  const after = {
    policyId: input.policyId,
    title: input.title,
    description: input.description,
    eligibleBaseFen: checkEligibleBase(policy, input, 'application.'),
    requestedFen: input.requestedFen,
  };
  await tx
    .update(fundApplications)
    .set({ ...after, status: 'submitted', version: row.version + 1, updatedAt: new Date() })
    .where(eq(fundApplications.id, id));
  await audit(
    tx,
    actor,
    row,
    row.status === 'returned' ? 'funds.application.resubmit' : 'funds.application.update',
    {
      ...diffObjects(auditView(row), auditView({ ...row, ...after })),
      status: { before: row.status, after: 'submitted' },
    },
  );
  return getApplicationDetail(tx, actor, id);
}

/** 上传证明材料: typed by its bytes, stored by content hash, while the application can still change. */
export async function addFundApplicationFile(
  tx: Transaction,
  context: AppContext,
  actor: Actor,
  id: string,
  fileName: string,
  bytes: Buffer,
) {
  const row = await requireVisibleApplication(tx, actor, id, true);
  requireApplicantSide(actor, row);
  requireStatus(row, ['submitted', 'returned'], '上传材料');
  const { sha256, mediaType, sizeBytes } = await storeAttachment(
    context,
    'evidence',
    { accepts: 'document', what: '证明材料' },
    bytes,
  );
  const [file] = await tx
    .insert(fundApplicationFiles)
    .values({
      applicationId: id,
      fileSha256: sha256,
      fileName,
      mediaType,
      sizeBytes,
      uploadedBy: actor.userId,
    })
    .returning();
  const stored = file as typeof fundApplicationFiles.$inferSelect;
  await audit(tx, actor, row, 'funds.application.file.add', {
    fileName,
    mediaType,
    sizeBytes,
    sha256,
  });
  return presentApplicationFile(stored);
}
