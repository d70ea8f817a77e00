// The province-wide monthly aggregate behind the dashboards (every measure by e-town, county, city and
// province and month, with month-over-month and year-over-year growth) against the bare GROUP BY of the
// same monthly rows by e-town and month.
import { performance } from 'node:perf_hooks';
import { migrateDatabase, openDatabase } from '../src/db/client.ts';
import { createScratchDatabase } from '../src/db/scratch-database.ts';
import { aggregateMonthlyStatistics, withGrowth } from '../src/modules/stats/monthly-aggregate.ts';

const ETOWNS = Number(process.env.BENCH_ETOWNS ?? 1000);
const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 42);
const MONTHS = 24;
const ETOWNS_PER_COUNTY = 10;
const COUNTIES_PER_CITY = 10;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TARGET_RATIO = 2;

const scratch = process.env.BENCH_DATABASE_URL
  ? await createScratchDatabase(process.env.BENCH_DATABASE_URL)
  : null;
const database = await openDatabase({ databaseUrl: scratch?.url, dataDir: 'memory://' });
await migrateDatabase(database);
const { query } = database;

try {
  const start = performance.now();
  const counties = Math.ceil(ETOWNS / ETOWNS_PER_COUNTY);
  const cities = Math.ceil(counties / COUNTIES_PER_CITY);
  await query(
    `insert into regions (code, name, level, parent_code) values ('14', '山西省', 'province', null)`,
  );
  await query(
    `insert into regions (code, name, level, parent_code)
     select '14' || lpad(c::text, 2, '0'), '基准市' || c, 'city', '14' from generate_series(1, $1::int) as c`,
    [cities],
  );
  await query(
    `insert into regions (code, name, level, parent_code)
     select city || lpad((1 + (c - 1) % ${COUNTIES_PER_CITY})::text, 2, '0'), '基准县' || c, 'county', city
     from (select c, '14' || lpad((1 + (c - 1) / ${COUNTIES_PER_CITY})::text, 2, '0') as city
           from generate_series(1, $1::int) as c) as numbered`,
    [counties],
  );
  await query(
    `insert into regions (code, name, level, parent_code)
     select county || '-E' || lpad((1 + (e - 1) % ${ETOWNS_PER_COUNTY})::text, 2, '0'), '基准e镇' || e, 'etown', county
     from (select e, (select code from regions where level = 'county' order by code offset (e - 1) / ${ETOWNS_PER_COUNTY} limit 1) as county
           from generate_series(1, $1::int) as e) as numbered`,
    [ETOWNS],
  );
  await query(
    `insert into entities (credit_code, name, etown_code, sort_order)
     select '91' || lpad(r.n::text, 6, '0') || lpad(i::text, 9, '0') || 'X', '主体' || i, r.code, i
     from (select code, row_number() over (order by code) as n from regions where level = 'etown') as r
     cross join generate_series(1, $1::int) as i`,
    [ENTITIES],
  );
  // Most figures approved, a few still with the enterprise or the county (not on the dashboard).
  await query(
    `insert into monthly_statistics (etown_code, entity_id, month, output_fen, online_retail_fen, cross_border_fen,
       orders, employees, ecommerce_employees, status, source)
     select e.etown_code, e.id, to_char(date '2024-01-01' + make_interval(months => m), 'YYYY-MM'),
            100000 + (m * 7919 + e.sort_order * 104729) % 5000000, 50000 + (m * 6151 + e.sort_order * 7) % 2000000,
            (m * 13 + e.sort_order) % 20000, (m + e.sort_order) % 900, 5 + (m + e.sort_order) % 60, (m + e.sort_order) % 9,
            case when (m * 31 + e.sort_order) % 50 = 0 then 'submitted' else 'approved' end, 'report'
     from entities e cross join generate_series(0, ${MONTHS - 1}) as m`,
  );
  await query('analyze');
  const loading = performance.now() - start;
  const [{ rows } = { rows: '0' }] = await query<{ rows: string }>(
    'select count(*)::text as rows from monthly_statistics',
  );

  const ours = async () => withGrowth(await aggregateMonthlyStatistics(database.db));
  const bare = () =>
    query(
      `select etown_code, month, count(*), sum(output_fen), sum(online_retail_fen), sum(cross_border_fen),
         sum(orders), sum(employees), sum(ecommerce_employees)
       from monthly_statistics group by etown_code, month`,
    );

  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  const timed = async <T>(run: () => Promise<T>): Promise<[number, T]> => {
    const begin = performance.now();
    const result = await run();
    return [performance.now() - begin, result];
  };
  let aggregated = await ours();
  let grouped = await bare();
  const ourTimes: number[] = [];
  const baselineTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let time: number;
    [time, aggregated] = await timed(ours);
    ourTimes.push(time);
    [time, grouped] = await timed(bare);
    baselineTimes.push(time);
  }

  // The rolled-up totals must equal SQL's own sums over the approved rows.
  const [check] = await query<{ output: string; online: string; rows: string }>(
    `select sum(output_fen)::text as output, sum(online_retail_fen)::text as online, count(*)::text as rows
     from monthly_statistics where status = 'approved' and month = '2025-06'`,
  );
  const province = aggregated.find((row) => row.level === 'province' && row.month === '2025-06');
  if (
    !province ||
    String(province.outputFen) !== check?.output ||
    String(province.onlineRetailFen) !== check?.online ||
    String(province.rows) !== check?.rows
  ) {
    throw new Error(`province total differs: ${JSON.stringify(check)} vs ${province?.outputFen}`);
  }
  if (province.outputGrowth.yoyPct === null || province.outputGrowth.momPct === null) {
    throw new Error('growth missing for 2025-06');
  }
  const levels = new Set(aggregated.map((row) => row.level));
  if (levels.size !== 4 || grouped.length !== ETOWNS * MONTHS) throw new Error('aggregate incomplete');

  const oursMs = median(ourTimes);
  const baselineMs = median(baselineTimes);
  const ratio = oursMs / baselineMs;
  console.log(
    `aggregate-monthly on ${database.kind}: ${rows} monthly rows (${ETOWNS} e-towns in ${counties} counties, ${cities} cities; ${ENTITIES} entities each; ${MONTHS} months; loaded in ${(loading / 1000).toFixed(1)} s); ${aggregated.length} aggregate rows at 4 levels with MoM/YoY ${oursMs.toFixed(0)} ms vs bare GROUP BY ${baselineMs.toFixed(0)} ms (medians of ${ROUNDS}: ${ourTimes.map((t) => t.toFixed(0)).join('/')} vs ${baselineTimes.map((t) => t.toFixed(0)).join('/')}); province 2025-06 output YoY ${province.outputGrowth.yoyPct}%`,
  );
  console.log(
    JSON.stringify({
      name: 'aggregate-monthly',
      unit: 'ms',
      ours: Math.round(oursMs),
      baseline: Math.round(baselineMs),
      ratio: Number(ratio.toFixed(2)),
      target: TARGET_RATIO,
      ok: ratio <= TARGET_RATIO,
      backend: database.kind,
      rows: Number(rows),
    }),
  );
} finally {
  await database.close();
  await scratch?.drop();
}
