import { eq } from 'drizzle-orm';
import { type Actor, canSeeRegion } from '../../access/scope.ts';
import type { Executor } from '../../db/client.ts';
import { products } from '../../db/schema/brands.ts';
import { productBatches, traceCodeRuns } from '../../db/schema/traceability.ts';
import { notFound } from '../../http/errors.ts';

export type ScopedBatch = {
  id: string;
  batchNumber: string;
  producedOn: string;
  quantity: number;
  unit: string;
  originBase: string;
  recalledAt: Date | null;
  recallReason: string | null;
  productId: string;
  productName: string;
  etownCode: string;
};

const batchColumns = {
  id: productBatches.id,
  batchNumber: productBatches.batchNumber,
  producedOn: productBatches.producedOn,
  quantity: productBatches.quantity,
  unit: productBatches.unit,
  originBase: productBatches.originBase,
  recalledAt: productBatches.recalledAt,
  recallReason: productBatches.recallReason,
  productId: products.id,
  productName: products.name,
  etownCode: products.etownCode,
};

/** A batch the actor may see (its product's e-town is in their scope); anything else is not found. */
export async function batchInScope(executor: Executor, actor: Actor, batchId: string): Promise<ScopedBatch> {
  const [row] = await executor
    .select(batchColumns)
    .from(productBatches)
    .innerJoin(products, eq(products.id, productBatches.productId))
    .where(eq(productBatches.id, batchId));
  if (!row || !canSeeRegion(actor.scope, row.etownCode)) throw notFound('批次');
  return row;
}

export type ScopedRun = {
  id: string;
  runNumber: number;
  firstSerial: number;
  count: number;
  createdAt: Date;
  batch: ScopedBatch;
};

/** A code run of a batch the actor may see; anything else is not found. */
export async function runInScope(executor: Executor, actor: Actor, runId: string): Promise<ScopedRun> {
  const [row] = await executor
    .select({
      run: {
        id: traceCodeRuns.id,
        runNumber: traceCodeRuns.runNumber,
        firstSerial: traceCodeRuns.firstSerial,
        count: traceCodeRuns.count,
        createdAt: traceCodeRuns.createdAt,
      },
      batch: batchColumns,
    })
    .from(traceCodeRuns)
    .innerJoin(productBatches, eq(productBatches.id, traceCodeRuns.batchId))
    .innerJoin(products, eq(products.id, productBatches.productId))
    .where(eq(traceCodeRuns.id, runId));
  if (!row || !canSeeRegion(actor.scope, row.batch.etownCode)) throw notFound('赋码批次');
  return { ...row.run, batch: row.batch };
}
