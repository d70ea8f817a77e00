import type { Executor } from '../../db/client.ts';
import { addOnCatalogsFor, currentProvinceCatalog, type IndicatorCatalog } from '../../indicators/catalog.ts';
import {
  type EvaluationOptions,
  evaluateLedger,
  type LedgerEvaluation,
  type PlatformCounts,
} from '../../indicators/engine.ts';
import { type Ledger, parseLedger } from '../../indicators/ledger-schema.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { exportLedger } from './ledger-export.ts';
import { platformCountsOf } from './platform-counts.ts';

/**
 * The e-town's ledger for `year` from the platform's tables. It goes through the very JSON a file
 * export writes and the file parser, so a ledger file and the database give the same evaluation.
 */
export async function buildLedgerFromDatabase(
  executor: Executor,
  etownCode: string,
  year: number,
): Promise<Ledger> {
  const json = await exportLedger(executor, etownCode, year);
  const parsed = parseLedger(json);
  if (!parsed.ok) {
    const problems = parsed.problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
    throw new Error(`e镇 ${etownCode} 的平台数据不能构成有效台账：${problems}`);
  }
  return parsed.ledger;
}

/**
 * How the platform evaluates its own data: with the county's add-ons, the counts it keeps beside the
 * ledger, and on today's Shanghai date, so that a year not yet closed is judged as running (like-for-like
 * growth, targets not yet reached pending). A ledger file is judged on the whole year instead.
 */
export function platformEvaluationOptions(
  ledger: Pick<Ledger, 'etown'>,
  catalog: IndicatorCatalog,
  platformCounts: PlatformCounts,
  asOf: string = shanghaiToday(),
): EvaluationOptions {
  return { addOns: addOnCatalogsFor(catalog, ledger.etown.countyCode), platformCounts, asOf };
}

/** Builds the ledger and evaluates it with the current province catalog (and the county's add-ons). */
export async function evaluateEtown(
  executor: Executor,
  etownCode: string,
  year: number,
  catalog: IndicatorCatalog = currentProvinceCatalog(),
): Promise<LedgerEvaluation> {
  const ledger = await buildLedgerFromDatabase(executor, etownCode, year);
  const counts = await platformCountsOf(executor, etownCode, year);
  return evaluateLedger(ledger, catalog, platformEvaluationOptions(ledger, catalog, counts));
}
