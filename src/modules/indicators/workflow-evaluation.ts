import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { regions } from '../../db/schema/regions.ts';
import { AppError, conflict } from '../../http/errors.ts';
import type { LedgerEvaluation } from '../../indicators/engine.ts';
import { evaluateEtown } from './ledger-builder.ts';

/**
 * The evaluation the workflow snapshots when a self-evaluation starts: the platform's own ledger for the
 * e-town and year, evaluated with the current catalog (the snapshot keeps the catalog id and version).
 */
export async function evaluateEtownForWorkflow(
  executor: Executor,
  etownCode: string,
  year: number,
): Promise<LedgerEvaluation> {
  const [county] = await executor
    .select()
    .from(regions)
    .where(eq(regions.code, etownCode.slice(0, 6)));
  if (!county?.tier) throw conflict('county_tier_missing', '所属县尚未设置分类，无法生成评价');
  try {
    return await evaluateEtown(executor, etownCode, year);
  } catch (error) {
    if (error instanceof AppError) throw error;
    // The ledger builder refuses data that does not make a valid ledger; the county must fix it first.
    throw conflict('ledger_invalid', error instanceof Error ? error.message : 'e镇平台数据不能构成有效台账');
  }
}
