import { and, eq, sql } from 'drizzle-orm';
import type { Transaction } from '../../db/client.ts';
import { insertInChunks } from '../../db/ledger-rows.ts';
import { cityOutputGrowth, monthlyStatistics } from '../../db/schema/stats.ts';
import { formatExact } from '../../indicators/exact.ts';
import type { Ledger } from '../../indicators/ledger-schema.ts';

/*
 * The stats module's section of an e-town's ledger: approved monthly figures and the city's growth rate.
 * Only seeding writes them (as if the e-town had reported and the county approved, and the city entered
 * its rate); a person's import never does (ADR 007). Both run inside the caller's transaction.
 */

/** Removes the e-town's approved monthly figures before seeding writes the ledger's. */
export async function removeApprovedMonthlyFigures(tx: Transaction, etownCode: string) {
  await tx
    .delete(monthlyStatistics)
    .where(and(eq(monthlyStatistics.etownCode, etownCode), eq(monthlyStatistics.status, 'approved')));
}

/** Writes the ledger's monthly figures as approved, for entities already in the registry. */
export async function writeApprovedLedgerFigures(
  tx: Transaction,
  etownCode: string,
  monthlyStats: Ledger['monthlyStats'],
  entityIdByCreditCode: ReadonlyMap<string, string>,
) {
  await insertInChunks(
    monthlyStats.map((row) => ({
      etownCode,
      entityId: entityIdByCreditCode.get(row.creditCode) as string,
      month: row.month,
      outputFen: row.outputFen,
      onlineRetailFen: row.onlineRetailFen,
    })),
    (chunk) =>
      tx
        .insert(monthlyStatistics)
        .values(chunk)
        .onConflictDoUpdate({
          target: [monthlyStatistics.entityId, monthlyStatistics.month],
          set: {
            outputFen: sql`excluded.output_fen`,
            onlineRetailFen: sql`excluded.online_retail_fen`,
            status: 'approved',
            source: 'ledger',
            updatedAt: new Date(),
          },
        }),
  );
}

/** Sets (or, when the ledger has none, removes) the city's output growth of the ledger's year. */
export async function writeLedgerCityOutputGrowth(
  tx: Transaction,
  cityCode: string,
  ledger: Pick<Ledger, 'year' | 'etown'>,
) {
  const growthKey = and(eq(cityOutputGrowth.cityCode, cityCode), eq(cityOutputGrowth.year, ledger.year));
  if (ledger.etown.cityOutputGrowthPct === null) {
    await tx.delete(cityOutputGrowth).where(growthKey);
    return;
  }
  const growthPct = formatExact(ledger.etown.cityOutputGrowthPct);
  await tx
    .insert(cityOutputGrowth)
    .values({ cityCode, year: ledger.year, growthPct })
    .onConflictDoUpdate({
      target: [cityOutputGrowth.cityCode, cityOutputGrowth.year],
      set: { growthPct, updatedAt: new Date() },
    });
}
