import { and, count, desc, eq, like, sql } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import type { Transaction } from '../../db/client.ts';
import { users } from '../../db/schema/accounts.ts';
import { regions } from '../../db/schema/regions.ts';
import { cityOutputGrowth } from '../../db/schema/stats.ts';
import { upsertVersioned } from '../../db/versioned-upsert.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { formatExact, parseDecimal, type Rational } from '../../indicators/exact.ts';
import { type AuditActor, recordAudit } from '../audit/audit.service.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';
import type {
  CityOutputGrowthBody,
  CityOutputGrowthEntry,
  CityOutputGrowthList,
} from './city-output-growth.schemas.ts';

/**
 * Sets (or with `null` clears) a city's average growth of total output for a year, in percent; indicator
 * 23 needs an e-town's growth to reach it plus 2 points. Every e-town of the city reads the one figure,
 * so a change reaches all of them at once. Audited with the previous value and source.
 */
export async function setCityOutputGrowth(
  context: AppContext,
  actor: AuditActor,
  cityCode: string,
  year: number,
  growthPct: string | null,
  source = '',
  /**
   * Optimistic locking (the city's page): the version of the year's figure it loaded, null when it
   * showed none (a first save); a stale one answers 409 with `present(current)`. Undefined: unchecked.
   */
  lock?: {
    version: number | null;
    present: (tx: Transaction, current: CityOutputGrowthRow | undefined) => Promise<unknown>;
  },
): Promise<void> {
  const parsed = growthPct === null ? null : parseDecimal(growthPct);
  if (growthPct !== null && (parsed === null || !/^-?\d+(\.\d{1,4})?$/.test(growthPct))) {
    throw new AppError(400, 'invalid_percentage', `增长率须为最多四位小数的十进制数，实际为 "${growthPct}"`, {
      field: 'growthPct',
    });
  }
  await context.database.db.transaction(async (tx) => {
    const [city] = await tx.select().from(regions).where(eq(regions.code, cityCode));
    if (city?.level !== 'city') throw new AppError(404, 'city_not_found', `市 ${cityCode} 不存在`);
    const key = and(eq(cityOutputGrowth.cityCode, cityCode), eq(cityOutputGrowth.year, year));
    const [previous] = await tx.select().from(cityOutputGrowth).where(key);
    const updatedBy = 'userId' in actor ? actor.userId : null;
    if (parsed === null) await tx.delete(cityOutputGrowth).where(key);
    else {
      const value = formatExact(parsed);
      const set = { growthPct: value, source, updatedBy, updatedAt: new Date() };
      if (lock) {
        await upsertVersioned(
          tx,
          cityOutputGrowth,
          key,
          lock.version,
          { insert: { cityCode, year, ...set }, update: set },
          (current) => lock.present(tx, current),
        );
      } else {
        await tx
          .insert(cityOutputGrowth)
          .values({ cityCode, year, ...set })
          .onConflictDoUpdate({
            target: [cityOutputGrowth.cityCode, cityOutputGrowth.year],
            // Every write makes a new version: a page holding the old one must not overwrite this.
            set: { ...set, version: sql`${cityOutputGrowth.version} + 1` },
          });
      }
    }
    await recordAudit(tx, actor, {
      action: 'stats.city_output_growth.set',
      targetType: 'region',
      targetId: cityCode,
      diff: {
        year,
        previous: previous ? { growthPct: previous.growthPct, source: previous.source } : null,
        growthPct: parsed === null ? null : formatExact(parsed),
        source: parsed === null ? null : source,
      },
    });
  });
}

/** The city's figures, newest year first, with who entered them; 404 outside the actor's scope. */
export async function listCityOutputGrowth(
  context: AppContext,
  actor: Actor,
  cityCode: string,
): Promise<CityOutputGrowthList> {
  const { db } = context.database;
  const city = await requireVisibleRegion(db, actor, cityCode, 'city');
  const [rows, [etowns]] = await Promise.all([
    db
      .select({ row: cityOutputGrowth, updatedByName: users.displayName })
      .from(cityOutputGrowth)
      .leftJoin(users, eq(users.id, cityOutputGrowth.updatedBy))
      .where(eq(cityOutputGrowth.cityCode, cityCode))
      .orderBy(desc(cityOutputGrowth.year)),
    db
      .select({ total: count() })
      .from(regions)
      .where(and(eq(regions.level, 'etown'), like(regions.code, `${cityCode}%`))),
  ]);
  return {
    city: { code: city.code, name: city.name },
    etownCount: etowns?.total ?? 0,
    entries: rows.map(({ row, updatedByName }) => present(row, updatedByName)),
  };
}

type CityOutputGrowthRow = typeof cityOutputGrowth.$inferSelect;

function present(row: CityOutputGrowthRow, updatedByName: string | null): CityOutputGrowthEntry {
  return {
    cityCode: row.cityCode,
    year: row.year,
    growthPct: formatExact(parseDecimal(row.growthPct) as Rational),
    source: row.source,
    updatedAt: row.updatedAt.toISOString(),
    updatedByName,
    version: row.version,
  };
}

/**
 * The city enters (or corrects) its figure of a year, with its source, and the `version` it loaded (absent
 * for a year it showed no figure of). Stale: 409 with the figure as it is; a figure deleted meanwhile: 404.
 */
export async function putCityOutputGrowth(
  context: AppContext,
  actor: Actor,
  cityCode: string,
  year: number,
  body: CityOutputGrowthBody,
): Promise<CityOutputGrowthEntry> {
  await requireVisibleRegion(context.database.db, actor, cityCode, 'city');
  await setCityOutputGrowth(context, actor, cityCode, year, body.growthPct, body.source, {
    version: body.version ?? null,
    present: async (tx, current) => {
      if (!current) throw notFound(`${year}年的增长率记录`);
      const [changer] = current.updatedBy
        ? await tx.select({ name: users.displayName }).from(users).where(eq(users.id, current.updatedBy))
        : [];
      return present(current, changer?.name ?? null);
    },
  });
  const entry = (await listCityOutputGrowth(context, actor, cityCode)).entries.find((e) => e.year === year);
  if (!entry) throw notFound('增长率记录');
  return entry;
}

/** Removes the figure of a year: the e-towns' #23 turns pending again until a figure is entered. */
export async function deleteCityOutputGrowth(
  context: AppContext,
  actor: Actor,
  cityCode: string,
  year: number,
): Promise<void> {
  await requireVisibleRegion(context.database.db, actor, cityCode, 'city');
  const [existing] = await context.database.db
    .select({ year: cityOutputGrowth.year })
    .from(cityOutputGrowth)
    .where(and(eq(cityOutputGrowth.cityCode, cityCode), eq(cityOutputGrowth.year, year)));
  if (!existing) throw notFound(`${year}年的增长率记录`);
  await setCityOutputGrowth(context, actor, cityCode, year, null);
}
