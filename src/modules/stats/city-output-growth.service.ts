import { and, eq } from 'drizzle-orm';
import { regions } from '../../db/schema/regions.ts';
import { cityOutputGrowth } from '../../db/schema/stats.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError } from '../../http/errors.ts';
import { formatExact, parseDecimal } from '../../indicators/exact.ts';
import { type AuditActor, recordAudit } from '../audit/audit.service.ts';

/**
 * Sets (or with `null` clears) a city's average growth of total output for a year, in percent; indicator
 * 23 needs an e-town's growth to reach it plus 2 points.
 */
export async function setCityOutputGrowth(
  context: AppContext,
  actor: AuditActor,
  cityCode: string,
  year: number,
  growthPct: string | null,
): Promise<void> {
  const parsed = growthPct === null ? null : parseDecimal(growthPct);
  if (growthPct !== null && (parsed === null || !/^-?\d+(\.\d{1,4})?$/.test(growthPct))) {
    throw new AppError(400, 'invalid_percentage', `增长率须为最多四位小数的十进制数，实际为 "${growthPct}"`);
  }
  await context.database.db.transaction(async (tx) => {
    const [city] = await tx.select().from(regions).where(eq(regions.code, cityCode));
    if (city?.level !== 'city') throw new AppError(404, 'city_not_found', `市 ${cityCode} 不存在`);
    const key = and(eq(cityOutputGrowth.cityCode, cityCode), eq(cityOutputGrowth.year, year));
    const [previous] = await tx.select().from(cityOutputGrowth).where(key);
    if (parsed === null) await tx.delete(cityOutputGrowth).where(key);
    else {
      const value = formatExact(parsed);
      await tx
        .insert(cityOutputGrowth)
        .values({ cityCode, year, growthPct: value })
        .onConflictDoUpdate({
          target: [cityOutputGrowth.cityCode, cityOutputGrowth.year],
          set: { growthPct: value, updatedAt: new Date() },
        });
    }
    await recordAudit(tx, actor, {
      action: 'stats.city_output_growth.set',
      targetType: 'region',
      targetId: cityCode,
      diff: {
        year,
        previous: previous?.growthPct ?? null,
        growthPct: parsed === null ? null : formatExact(parsed),
      },
    });
  });
}
