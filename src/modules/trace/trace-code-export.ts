import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { Actor } from '../../access/scope.ts';
import type { AppContext } from '../../http/context.ts';
import { badRequest } from '../../http/errors.ts';
import { recordAuditAlone } from '../audit/audit.service.ts';
import { renderLabelSheet } from './label-sheet.ts';
import { type labelRangeSchema, MAX_LABELS_PER_SHEET } from './trace.schemas.ts';
import { runInScope } from './trace-access.ts';
import { traceCodeSigner, traceMacKeyOf } from './trace-code.ts';
import { traceCodesCsv } from './trace-codes-csv.ts';

/** A file of trace codes for the printer, with the name it is downloaded under. */
export type TraceCodeFile<Content> = { fileName: string; content: Content };

const fileSafe = (text: string) => text.replace(/[\\/:*?"<>|\s]+/g, '_');

/** All codes of a run as the printer's CSV; the export is audited before the file is written. */
export async function exportRunCodesCsv(
  context: AppContext,
  actor: Actor,
  runId: string,
): Promise<TraceCodeFile<Readable>> {
  const run = await runInScope(context.database.db, actor, runId);
  await recordAuditAlone(context.database.db, actor, {
    action: 'trace.codes.export',
    targetType: 'trace_code_run',
    targetId: run.id,
    regionCode: run.batch.etownCode,
    diff: { format: 'csv', count: run.count },
  });
  return {
    fileName: `追溯码-${fileSafe(run.batch.productName)}-${fileSafe(run.batch.batchNumber)}-${run.runNumber}.csv`,
    content: traceCodesCsv({
      macKeyHex: traceMacKeyOf(context),
      publicUrl: context.config.publicUrl,
      runNumber: run.runNumber,
      firstSerial: run.firstSerial,
      count: run.count,
      productName: run.batch.productName,
      batchNumber: run.batch.batchNumber,
    }),
  };
}

/** A serial range of a run as an A4 label sheet (PDF); by default the run's first sheet. Audited. */
export async function exportRunLabelSheet(
  context: AppContext,
  actor: Actor,
  runId: string,
  range: z.infer<typeof labelRangeSchema>,
): Promise<TraceCodeFile<Buffer>> {
  const run = await runInScope(context.database.db, actor, runId);
  const lastSerial = run.firstSerial + run.count - 1;
  const from = range.from ?? run.firstSerial;
  const to = range.to ?? Math.min(lastSerial, from + MAX_LABELS_PER_SHEET - 1);
  if (from < run.firstSerial || to > lastSerial || from > to) {
    throw badRequest(
      'serial_out_of_range',
      `序号范围须在本次赋码的 ${run.firstSerial}—${lastSerial} 之内，且起始序号不大于结束序号`,
    );
  }
  if (to - from + 1 > MAX_LABELS_PER_SHEET) {
    throw badRequest('too_many_labels', `每次最多打印 ${MAX_LABELS_PER_SHEET} 枚标签，请分段下载`);
  }
  const codes = traceCodeSigner(traceMacKeyOf(context)).codes(run.runNumber, from, to - from + 1);
  const pdf = await renderLabelSheet({
    publicUrl: context.config.publicUrl,
    productName: run.batch.productName,
    batchNumber: run.batch.batchNumber,
    labels: codes.map((code, index) => ({ code, serial: from + index })),
  });
  await recordAuditAlone(context.database.db, actor, {
    action: 'trace.codes.export',
    targetType: 'trace_code_run',
    targetId: run.id,
    regionCode: run.batch.etownCode,
    diff: { format: 'pdf', from, to },
  });
  return {
    fileName: `追溯码标签-${fileSafe(run.batch.productName)}-${fileSafe(run.batch.batchNumber)}-${from}-${to}.pdf`,
    content: pdf,
  };
}
