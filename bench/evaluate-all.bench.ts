// Evaluating every e-town from the database (the overview's path: build each ledger, run the engine)
// against one SQL aggregate over the same monthly rows (output and online retail per e-town and year).
import { performance } from 'node:perf_hooks';
import { migrateDatabase, openDatabase } from '../src/db/client.ts';
import { regions } from '../src/db/schema/regions.ts';
import { createScratchDatabase } from '../src/db/scratch-database.ts';
import { evaluateEtown } from '../src/modules/indicators/ledger-builder.ts';
import { evaluateEtownsForOverview } from '../src/modules/indicators/scorecard.service.ts';

// The size (2.4 M monthly rows); about 2.5 minutes on PGlite on 2 cores, mostly loading.
const ETOWNS = Number(process.env.BENCH_ETOWNS ?? 1000);
const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 100);
const MONTHS = 24;
const YEAR = 2025;
const TARGET_RATIO = 3;
const ETOWNS_PER_COUNTY = 50;

const scratch = process.env.BENCH_DATABASE_URL
  ? await createScratchDatabase(process.env.BENCH_DATABASE_URL)
  : null;
const database = await openDatabase({ databaseUrl: scratch?.url, dataDir: 'memory://' });
await migrateDatabase(database);
const { query } = database;

const start = performance.now();
const counties = Math.ceil(ETOWNS / ETOWNS_PER_COUNTY);
await query(`insert into regions (code, name, level, parent_code) values
  ('14', '山西省', 'province', null), ('1499', '基准市', 'city', '14')`);
await query(
  `insert into regions (code, name, level, parent_code, tier)
   select '1499' || lpad(c::text, 2, '0'), '基准县' || c, 'county', '1499',
          (array['pilot_demo', 'overall_advance', 'key_support'])[1 + c % 3]
   from generate_series(1, $1::int) as c`,
  [counties],
);
await query(
  `insert into regions (code, name, level, parent_code)
   select county || '-E' || lpad((1 + (e - 1) % ${ETOWNS_PER_COUNTY})::text, 2, '0'), '基准e镇' || e, 'etown', county
   from (select e, '1499' || lpad((1 + (e - 1) / ${ETOWNS_PER_COUNTY})::text, 2, '0') as county
         from generate_series(1, $1::int) as e) as numbered`,
  [ETOWNS],
);
await query(
  `insert into entities (credit_code, name, etown_code, legal_entity, registered_on, sort_order)
   select '91' || lpad(r.n::text, 6, '0') || lpad(i::text, 9, '0') || 'X', '主体' || i, r.code, i % 2 = 0,
          date '2023-01-01' + (i * 37 % 1095), i
   from (select code, row_number() over (order by code) as n from regions where level = 'etown') as r
   cross join generate_series(1, $1::int) as i`,
  [ENTITIES],
);
// Tags as a real registry has them: most entities untagged, some e-commerce, a few leading and outlets.
await query(
  `insert into entity_tags (entity_id, tag)
   select id, tag from entities cross join lateral (values
     ('ecommerce', sort_order % 3 = 0), ('leading', sort_order % 17 = 0), ('cross_border', sort_order % 29 = 0),
     ('finance_outlet', sort_order % 53 = 0), ('telecom_outlet', sort_order % 61 = 0), ('rnd', sort_order % 71 = 0)
   ) as candidate(tag, chosen) where chosen`,
);
await query(
  `insert into monthly_statistics (etown_code, entity_id, month, output_fen, online_retail_fen)
   select e.etown_code, e.id, to_char(date '${YEAR - 1}-01-01' + make_interval(months => m), 'YYYY-MM'),
          100000 + (m * 7919 + e.sort_order * 104729) % 5000000, 50000 + (m * 6151 + e.sort_order * 7) % 2000000
   from entities e cross join generate_series(0, ${MONTHS - 1}) as m`,
);
await query('vacuum analyze');
const loading = performance.now() - start;
const [{ rows }] = (await query<{ rows: string }>(
  'select count(*)::text as rows from monthly_statistics',
)) as [{ rows: string }];

const codes = (await database.db.select({ code: regions.code }).from(regions)).map((row) => row.code);
const etownCodes = codes.filter((code) => code.includes('-E')).sort();
const aggregate = () =>
  query(
    `select etown_code, left(month, 4) as year, sum(output_fen) as output_fen, sum(online_retail_fen) as online_retail_fen
     from monthly_statistics group by etown_code, left(month, 4)`,
  );

// Both paths alternate, after one untimed run each (caches, JIT of this process); the median of the
// timed runs counts, so one noisy moment on a shared machine does not decide the result.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const timed = async <T>(run: () => Promise<T>): Promise<[number, T]> => {
  const begin = performance.now();
  const result = await run();
  return [performance.now() - begin, result];
};
let evaluated = await evaluateEtownsForOverview(database.db, etownCodes, YEAR);
let totals = await aggregate();
const ourTimes: number[] = [];
const baselineTimes: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  let time: number;
  [time, evaluated] = await timed(() => evaluateEtownsForOverview(database.db, etownCodes, YEAR));
  ourTimes.push(time);
  [time, totals] = await timed(aggregate);
  baselineTimes.push(time);
}
const ours = median(ourTimes);
const baseline = median(baselineTimes);
if (totals.length !== ETOWNS * 2) throw new Error(`aggregate gave ${totals.length} rows`);
const failed = evaluated.filter((result) => !result.evaluation).length;
if (failed > 0)
  throw new Error(`${failed} e-towns did not evaluate: ${evaluated.find((r) => r.error)?.error}`);
// The fast path must give what the full ledger gives (every row, one e-town at a time).
for (const index of [0, Math.floor(ETOWNS / 2), ETOWNS - 1]) {
  const full = await evaluateEtown(database.db, etownCodes[index] as string, YEAR);
  const { indicators, summary } = evaluated[index]?.evaluation ?? {};
  if (
    JSON.stringify({ indicators, summary }) !==
    JSON.stringify({ indicators: full.indicators, summary: full.summary })
  )
    throw new Error(`e-town ${etownCodes[index]}: the overview's evaluation differs from the full ledger's`);
}

await database.close();
await scratch?.drop();

const ratio = ours / baseline;
console.log(
  `evaluate-all on ${database.kind}: ${ETOWNS} e-towns × ${ENTITIES} entities × ${MONTHS} months = ${rows} monthly rows (loaded in ${(loading / 1000).toFixed(1)} s); evaluating every e-town ${ours.toFixed(0)} ms, one SQL aggregate ${baseline.toFixed(0)} ms (medians of ${ROUNDS} runs: ${ourTimes.map((t) => t.toFixed(0)).join('/')} vs ${baselineTimes.map((t) => t.toFixed(0)).join('/')})`,
);
console.log(
  JSON.stringify({
    name: 'evaluate-all',
    unit: 'ms',
    ours: Math.round(ours),
    baseline: Math.round(baseline),
    ratio: Number(ratio.toFixed(2)),
    target: TARGET_RATIO,
    ok: ratio <= TARGET_RATIO,
  }),
);
