import { eq, sql } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import { productBatches, traceCodeRuns } from '../../db/schema/traceability.ts';
import type { AppContext } from '../../http/context.ts';
import { conflict } from '../../http/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { startJob } from '../jobs/jobs.service.ts';
import { type CopyTransaction, withCopyTransaction } from '../stats/monthly-import-copy.ts';
import { batchInScope } from './trace-access.ts';
import { type TraceCodeSigner, traceCodeSigner, traceMacKeyOf } from './trace-code.ts';

export const MAX_CODES_PER_RUN = 1_000_000;
/** Codes enciphered and copied per piece: progress moves and memory stays flat. */
const CHUNK = 100_000;

export type TraceRunSummary = {
  runId: string;
  runNumber: number;
  batchId: string;
  batchNumber: string;
  productName: string;
  firstSerial: number;
  lastSerial: number;
  count: number;
};

/**
 * Creates a run of `count` codes for a batch and COPYs their rows, all in one transaction: a run is
 * there with all its codes or not at all. Serials continue after the batch's earlier runs.
 */
export async function generateTraceCodes(
  context: AppContext,
  actor: Actor,
  input: { batchId: string; count: number; jobId?: string | null },
  onProgress: (done: number, total: number, stage?: string) => void = () => {},
): Promise<TraceRunSummary> {
  const signer = traceCodeSigner(traceMacKeyOf(context));
  return withCopyTransaction(context.database, async (transaction) => {
    const batch = await batchInScope(transaction.executor, actor, input.batchId);
    const run = await writeTraceCodeRun(
      transaction,
      signer,
      { batchId: batch.id, count: input.count, createdBy: actor.userId, jobId: input.jobId ?? null },
      onProgress,
    );
    const summary: TraceRunSummary = {
      runId: run.runId,
      runNumber: run.runNumber,
      batchId: batch.id,
      batchNumber: batch.batchNumber,
      productName: batch.productName,
      firstSerial: run.firstSerial,
      lastSerial: run.firstSerial + input.count - 1,
      count: input.count,
    };
    await recordAudit(transaction.executor, actor, {
      action: 'trace.codes.generate',
      targetType: 'trace_code_run',
      targetId: run.runId,
      regionCode: batch.etownCode,
      diff: { ...summary },
    });
    return summary;
  });
}

/**
 * The rows of a run inside the caller's transaction, without scope check or audit: the batch row lock,
 * the next serial, the run and its codes. `generateTraceCodes` wraps it; the demo seed calls it directly.
 */
export async function writeTraceCodeRun(
  transaction: CopyTransaction,
  signer: TraceCodeSigner,
  input: { batchId: string; count: number; createdBy: string | null; jobId: string | null },
  onProgress: (done: number, total: number, stage?: string) => void = () => {},
): Promise<{ runId: string; runNumber: number; firstSerial: number }> {
  const db = transaction.executor;
  // The batch row lock orders concurrent runs of one batch, so their serials never overlap.
  const [locked] = await db
    .select({ recalledAt: productBatches.recalledAt })
    .from(productBatches)
    .where(eq(productBatches.id, input.batchId))
    .for('update');
  if (locked?.recalledAt) throw conflict('batch_recalled', '该批次已召回，不能再赋码');
  const [next] = await db
    .select({
      serial: sql<string>`coalesce(max(${traceCodeRuns.firstSerial} + ${traceCodeRuns.count}), 1)`,
    })
    .from(traceCodeRuns)
    .where(eq(traceCodeRuns.batchId, input.batchId));
  const firstSerial = Number(next?.serial ?? 1);
  const [run] = await db
    .insert(traceCodeRuns)
    .values({
      batchId: input.batchId,
      firstSerial,
      count: input.count,
      createdBy: input.createdBy,
      jobId: input.jobId,
    })
    .returning({ id: traceCodeRuns.id, runNumber: traceCodeRuns.runNumber });
  if (!run) throw new Error('trace run insert returned nothing');

  const { id: runId, runNumber } = run;
  onProgress(0, input.count, `正在生成并写入追溯码（共 ${input.count} 个）`);
  async function* rows() {
    for (let done = 0; done < input.count; done += CHUNK) {
      const size = Math.min(CHUNK, input.count - done);
      const codes = signer.codes(runNumber, firstSerial + done, size);
      let text = '';
      for (let index = 0; index < size; index += 1) {
        text += `${codes[index]}\t${runId}\t${firstSerial + done + index}\n`;
      }
      yield text;
      onProgress(done + size, input.count);
      // Let other requests in between pieces (ADR 008).
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  await transaction.copyFromPieces('trace_codes (code, run_id, serial)', rows());
  return { runId, runNumber, firstSerial };
}

/** 赋码 as a background job (up to a million codes); the route answers 202 with the job. */
export async function startTraceCodeGeneration(
  context: AppContext,
  actor: Actor,
  input: { batchId: string; count: number },
) {
  // Checked before the job exists, so a wrong batch is a plain 404/409 and not a failed job.
  const batch = await batchInScope(context.database.db, actor, input.batchId);
  if (batch.recalledAt) throw conflict('batch_recalled', '该批次已召回，不能再赋码');
  const holder: { jobId: string | null } = { jobId: null };
  const job = await startJob(
    context,
    actor,
    {
      kind: 'trace.codes.generate',
      title: `赋码：${batch.productName} 批次 ${batch.batchNumber}（${input.count} 个）`,
      regionCode: batch.etownCode,
      stage: '排队中',
    },
    async (reporter) => ({
      summary: await generateTraceCodes(
        context,
        actor,
        { ...input, jobId: holder.jobId },
        (done, total, stage) => reporter.progress(done, total, stage),
      ),
    }),
  );
  holder.jobId = job.id;
  return job;
}
