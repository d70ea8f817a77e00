import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import type { Executor } from '../../db/client.ts';
import { batchInspections, productBatches } from '../../db/schema/traceability.ts';
import type { AppContext } from '../../http/context.ts';
import { conflict, invalidFields, notFound } from '../../http/errors.ts';
import { readAttachment, storeAttachment } from '../../lib/attachments.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { invalidateScanPages } from '../trace/scan-cache.ts';
import { requireVisibleBatch, requireVisibleProduct } from './brand-access.ts';
import type { BatchView, CreateBatchInput, InspectionInput } from './brands.schemas.ts';
import { presentBatches } from './products.service.ts';

export async function getBatch(
  context: AppContext,
  actor: Actor,
  id: string,
  executor: Executor = context.database.db,
): Promise<BatchView> {
  const { batch } = await requireVisibleBatch(executor, actor, id);
  const [view] = await presentBatches(executor, [batch.productId], id);
  if (!view) throw notFound('批次');
  return view;
}

/** A production or harvest batch: number unique per product, dated no later than today, quantity > 0. */
export async function createBatch(
  context: AppContext,
  actor: Actor,
  productId: string,
  input: CreateBatchInput,
) {
  const id = await context.database.db.transaction(async (tx) => {
    const product = await requireVisibleProduct(tx, actor, productId, { forUpdate: true });
    if (input.producedOn > shanghaiToday()) {
      throw invalidFields([{ path: 'producedOn', message: '生产/采收日期不能晚于今天' }]);
    }
    const [taken] = await tx
      .select({ id: productBatches.id })
      .from(productBatches)
      .where(and(eq(productBatches.productId, productId), eq(productBatches.batchNumber, input.batchNumber)));
    if (taken) {
      throw conflict('batch_number_taken', `“${product.name}”已有批次号 ${input.batchNumber}`, [
        { path: 'batchNumber', message: '该产品已有此批次号' },
      ]);
    }
    const [row] = await tx
      .insert(productBatches)
      .values({ productId, ...input, createdBy: actor.userId })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await recordAudit(tx, actor, {
      action: 'batch.create',
      targetType: 'product_batch',
      targetId: row.id,
      regionCode: product.etownCode,
      diff: { product: product.name, after: row },
    });
    return row.id;
  });
  invalidateScanPages();
  return getBatch(context, actor, id);
}

export async function addInspection(
  context: AppContext,
  actor: Actor,
  batchId: string,
  input: InspectionInput,
) {
  await context.database.db.transaction(async (tx) => {
    const { batch, product } = await requireVisibleBatch(tx, actor, batchId, { forUpdate: true });
    const problems = [];
    if (input.inspectedOn > shanghaiToday())
      problems.push({ path: 'inspectedOn', message: '检测日期不能晚于今天' });
    if (input.inspectedOn < batch.producedOn)
      problems.push({ path: 'inspectedOn', message: `检测日期不能早于生产日期 ${batch.producedOn}` });
    if (problems.length > 0) throw invalidFields(problems);
    const [row] = await tx
      .insert(batchInspections)
      .values({ batchId, ...input })
      .returning();
    await recordAudit(tx, actor, {
      action: 'batch.inspection.add',
      targetType: 'product_batch',
      targetId: batchId,
      regionCode: product.etownCode,
      diff: { inspection: row },
    });
  });
  invalidateScanPages();
  return getBatch(context, actor, batchId);
}

async function requireInspection(executor: Executor, batchId: string, inspectionId: string) {
  const [row] = await executor
    .select()
    .from(batchInspections)
    .where(and(eq(batchInspections.id, inspectionId), eq(batchInspections.batchId, batchId)));
  if (!row) throw notFound('检测记录');
  return row;
}

/** Attaches (or replaces) the inspection report: PDF, images or Office documents. */
export async function uploadInspectionReport(
  context: AppContext,
  actor: Actor,
  batchId: string,
  inspectionId: string,
  fileName: string,
  bytes: Buffer,
) {
  await requireVisibleBatch(context.database.db, actor, batchId);
  await requireInspection(context.database.db, batchId, inspectionId);
  const { sha256 } = await storeAttachment(
    context,
    'brands',
    { accepts: 'document', what: '检测报告' },
    bytes,
  );
  await context.database.db.transaction(async (tx) => {
    const { product } = await requireVisibleBatch(tx, actor, batchId, { forUpdate: true });
    const before = await requireInspection(tx, batchId, inspectionId);
    await tx
      .update(batchInspections)
      .set({ reportFileSha256: sha256, reportFileName: fileName })
      .where(eq(batchInspections.id, inspectionId));
    await recordAudit(tx, actor, {
      action: 'batch.inspection.report',
      targetType: 'product_batch',
      targetId: batchId,
      regionCode: product.etownCode,
      diff: {
        inspectionId,
        report: {
          before: before.reportFileName
            ? { name: before.reportFileName, sha256: before.reportFileSha256 }
            : null,
          after: { name: fileName, sha256, sizeBytes: bytes.length },
        },
      },
    });
  });
  invalidateScanPages();
  return getBatch(context, actor, batchId);
}

export async function readInspectionReport(
  context: AppContext,
  actor: Actor,
  batchId: string,
  inspectionId: string,
) {
  await requireVisibleBatch(context.database.db, actor, batchId);
  const inspection = await requireInspection(context.database.db, batchId, inspectionId);
  if (!inspection.reportFileSha256 || !inspection.reportFileName) throw notFound('检测报告');
  return readAttachment(context, 'brands', {
    fileSha256: inspection.reportFileSha256,
    fileName: inspection.reportFileName,
  });
}

/** Recalls a batch; irreversible: its scan pages warn from now on. */
export async function recallBatch(context: AppContext, actor: Actor, batchId: string, reason: string) {
  await context.database.db.transaction(async (tx) => {
    const { batch, product } = await requireVisibleBatch(tx, actor, batchId, { forUpdate: true });
    if (batch.recalledAt) {
      throw conflict(
        'batch_recalled',
        `批次 ${batch.batchNumber} 已于 ${shanghaiToday(batch.recalledAt)} 召回，召回不可撤销`,
      );
    }
    const recalledAt = new Date();
    await tx
      .update(productBatches)
      .set({ recalledAt, recallReason: reason })
      .where(eq(productBatches.id, batchId));
    await recordAudit(tx, actor, {
      action: 'batch.recall',
      targetType: 'product_batch',
      targetId: batchId,
      regionCode: product.etownCode,
      diff: { batchNumber: batch.batchNumber, recalledAt: recalledAt.toISOString(), reason },
    });
  });
  invalidateScanPages();
  return getBatch(context, actor, batchId);
}
