// A million monthly rows from a CSV file through the import path (stream-parse, check every cell, spool,
// COPY into a staging table, upsert, audit — the route's job minus the HTTP upload) against a raw COPY
// of the same rows straight into monthly_statistics. Also samples memory while the import runs.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Actor } from '../src/access/scope.ts';
import { loadConfig } from '../src/config.ts';
import { migrateDatabase, openDatabase } from '../src/db/client.ts';
import { createScratchDatabase } from '../src/db/scratch-database.ts';
import { importMonthlyStatistics } from '../src/modules/stats/monthly-import.ts';
import { monthlyImportColumns } from '../src/modules/stats/monthly-import-rows.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const MONTHS = 24;
const ENTITIES = Math.ceil(ROWS / MONTHS);
const ETOWNS = Math.min(1000, ENTITIES);
const ETOWNS_PER_COUNTY = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TARGET_RATIO = 2;

const scratch = process.env.BENCH_DATABASE_URL
  ? await createScratchDatabase(process.env.BENCH_DATABASE_URL)
  : null;
const database = await openDatabase({ databaseUrl: scratch?.url, dataDir: 'memory://' });
await migrateDatabase(database);
const { query } = database;
const folder = await mkdtemp(path.join(tmpdir(), 'ezhen-bench-import-'));

try {
  const counties = Math.ceil(ETOWNS / ETOWNS_PER_COUNTY);
  await query(`insert into regions (code, name, level, parent_code) values
    ('14', '山西省', 'province', null), ('1499', '基准市', 'city', '14')`);
  await query(
    `insert into regions (code, name, level, parent_code)
     select '1499' || lpad(c::text, 2, '0'), '基准县' || c, 'county', '1499' from generate_series(1, $1::int) as c`,
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
    `insert into entities (credit_code, name, etown_code, sort_order)
     select '91' || lpad(i::text, 15, '0') || 'X', '主体' || i, r.code, i
     from generate_series(1, $1::int) as i
     join (select code, row_number() over (order by code) - 1 as n from regions where level = 'etown') as r
       on r.n = (i - 1) % $2::int`,
    [ENTITIES, ETOWNS],
  );
  await query('analyze');

  // The same rows twice: as the CSV a county would upload, and as COPY text for the baseline.
  const csvPath = path.join(folder, 'monthly.csv');
  const copyPath = path.join(folder, 'monthly.copy');
  const entityRows = await query<{ credit_code: string; id: string; etown_code: string }>(
    'select credit_code, id, etown_code from entities order by sort_order',
  );
  const csv = createWriteStream(csvPath);
  const copy = createWriteStream(copyPath);
  const write = async (stream: NodeJS.WritableStream, text: string) => {
    if (!stream.write(text)) await new Promise((resolve) => stream.once('drain', resolve));
  };
  await write(csv, `\uFEFF${monthlyImportColumns.map((column) => column.header).join(',')}\r\n`);
  let written = 0;
  for (const [index, entity] of entityRows.entries()) {
    let csvText = '';
    let copyText = '';
    for (let m = 0; m < MONTHS && written < ROWS; m += 1, written += 1) {
      const month = `${2023 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
      const outputFen = 10_000_000 + ((index * 104_729 + m * 7_919) % 900_000_000);
      const onlineFen = Math.floor(outputFen / 3) + (m % 7);
      const crossFen = Math.floor(onlineFen / 10);
      const orders = (index * 31 + m * 17) % 5000;
      const employees = 5 + ((index + m) % 80);
      const ecommerce = Math.floor(employees / 4);
      const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
      csvText += `${entity.credit_code},${month},${yuan(outputFen)},${yuan(onlineFen)},${yuan(crossFen)},${orders},${employees},${ecommerce}\r\n`;
      copyText += `${entity.etown_code}\t${entity.id}\t${month}\t${outputFen}\t${onlineFen}\t${crossFen}\t${orders}\t${employees}\t${ecommerce}\n`;
    }
    await write(csv, csvText);
    await write(copy, copyText);
  }
  await Promise.all([csv, copy].map((stream) => new Promise((resolve) => stream.end(resolve))));
  const csvBytes = (await stat(csvPath)).size;

  const context = {
    config: loadConfig({ EZHEN_DATA_DIR: 'memory://' }),
    database,
    secretKeyHex: '0123456789abcdef0123456789abcdef',
  };
  const actor: Actor = {
    userId: randomUUID(),
    username: 'bench.county',
    displayName: '基准县操作员',
    role: 'county_operator',
    scope: { kind: 'region', code: '14' },
    ip: '127.0.0.1',
    mustChangePassword: false,
    totpEnrollmentRequired: false,
  };
  const columns =
    'monthly_statistics (etown_code, entity_id, month, output_fen, online_retail_fen, cross_border_fen, orders, employees, ecommerce_employees)';
  const rawCopy = async () => {
    if (database.kind === 'pglite') {
      const client = (database.db as unknown as { $client: PGlite }).$client;
      await client.query(`copy ${columns} from '/dev/blob'`, [], {
        blob: new Blob([await readFile(copyPath)]),
      });
      return;
    }
    const pool = (database.db as unknown as { $client: pg.Pool }).$client;
    const connection = await pool.connect();
    try {
      await pipeline(
        (await import('node:fs')).createReadStream(copyPath, { highWaterMark: 1024 * 1024 }),
        connection.query(copyFrom(`copy ${columns} from stdin`)),
      );
    } finally {
      connection.release();
    }
  };
  const empty = () => query('truncate monthly_statistics');

  let peakRss = 0;
  let peakHeap = 0;
  const ours = async () => {
    const sampler = setInterval(() => {
      const usage = process.memoryUsage();
      peakRss = Math.max(peakRss, usage.rss);
      peakHeap = Math.max(peakHeap, usage.heapUsed);
    }, 50);
    try {
      const result = await importMonthlyStatistics(context, actor, {
        path: csvPath,
        fileName: 'monthly.csv',
      });
      if (result.summary.rows !== ROWS || result.summary.inserted !== ROWS) {
        throw new Error(`import wrote ${JSON.stringify(result.summary)}`);
      }
    } finally {
      clearInterval(sampler);
    }
  };
  const count = async () =>
    Number(
      (await query<{ count: string }>('select count(*)::text as count from monthly_statistics'))[0]?.count,
    );

  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  const timed = async (run: () => Promise<void>) => {
    const begin = performance.now();
    await run();
    return performance.now() - begin;
  };
  const before = process.memoryUsage();
  const ourTimes: number[] = [];
  const baselineTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await empty();
    ourTimes.push(await timed(ours));
    if ((await count()) !== ROWS) throw new Error('import left the wrong number of rows');
    await empty();
    baselineTimes.push(await timed(rawCopy));
    if ((await count()) !== ROWS) throw new Error('raw COPY left the wrong number of rows');
  }
  // The same file again over the rows already there: every row replaced.
  const [replaceTime] = [
    await timed(() =>
      importMonthlyStatistics(context, actor, { path: csvPath, fileName: 'monthly.csv' }).then(() => {}),
    ),
  ];

  const oursMs = median(ourTimes);
  const baselineMs = median(baselineTimes);
  const ratio = oursMs / baselineMs;
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  console.log(
    `import-monthly on ${database.kind}: ${ROWS} rows (${ENTITIES} entities × ${MONTHS} months in ${ETOWNS} e-towns), CSV ${mb(csvBytes)} MB; import ${oursMs.toFixed(0)} ms vs raw COPY ${baselineMs.toFixed(0)} ms (medians of ${ROUNDS}: ${ourTimes.map((t) => t.toFixed(0)).join('/')} vs ${baselineTimes.map((t) => t.toFixed(0)).join('/')}); re-import replacing every row ${replaceTime?.toFixed(0)} ms`,
  );
  console.log(
    `memory during the import: peak RSS ${mb(peakRss)} MB, peak JS heap ${mb(peakHeap)} MB (before: RSS ${mb(before.rss)} MB, heap ${mb(before.heapUsed)} MB)${database.kind === 'pglite' ? '; PGlite keeps the in-memory database itself in this process, so RSS also grows with the stored rows' : ''}`,
  );
  console.log(
    JSON.stringify({
      name: 'import-monthly',
      unit: 'ms',
      ours: Math.round(oursMs),
      baseline: Math.round(baselineMs),
      ratio: Number(ratio.toFixed(2)),
      target: TARGET_RATIO,
      ok: ratio <= TARGET_RATIO,
      backend: database.kind,
      rows: ROWS,
      peakRssMb: Number(mb(peakRss)),
      peakHeapMb: Number(mb(peakHeap)),
    }),
  );
} finally {
  await rm(folder, { recursive: true, force: true });
  await database.close();
  await scratch?.drop();
}
