// Generating 10⁶ trace codes through the real path (the job's work minus the job row: batch lock and
// checks, run row, codes enciphered with SM4 and COPYed in chunks into trace_codes with its primary key and
// run index and foreign key, audit record, one transaction) against a COPY of 10⁶ bare rows (code, run
// id, serial) into a scratch table without indexes, on the same database in the same run. Also reported:
// the same COPY into a table shaped like trace_codes (its indexes and foreign key), the floor the schema sets.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { loadConfig } from '../src/config.ts';
import { migrateDatabase, openDatabase } from '../src/db/client.ts';
import { createScratchDatabase } from '../src/db/scratch-database.ts';
import { traceCodeSigner } from '../src/modules/trace/trace-code.ts';
import { buildTracedProduct } from '../src/modules/trace/trace-fixtures.ts';
import { generateTraceCodes } from '../src/modules/trace/trace-generation.ts';
import { BENCH_ETOWN, benchActor, prepareBenchCounty } from './support/bench-county.ts';

const CODES = Number(process.env.BENCH_CODES ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// trace_codes' text primary key, run index and per-row foreign-key check alone cost ≈ 9–10× a bare COPY
// on PostgreSQL (the "schema floor" printed below); generating the codes may add at most a third to that.
const TARGET_RATIO = 12;

const scratch = process.env.BENCH_DATABASE_URL
  ? await createScratchDatabase(process.env.BENCH_DATABASE_URL)
  : null;
const database = await openDatabase({ databaseUrl: scratch?.url, dataDir: 'memory://' });
await migrateDatabase(database);
const { query } = database;
const context = {
  config: loadConfig({ EZHEN_DATA_DIR: 'memory://', EZHEN_PUBLIC_URL: 'https://ez.example.cn' }),
  database,
  secretKeyHex: '0123456789abcdef0123456789abcdef',
};

try {
  await prepareBenchCounty(context);
  const { batchId } = await buildTracedProduct(database.db, { etownCode: BENCH_ETOWN });
  await query(
    'create table bench_bare_codes (code text not null, run_id uuid not null, serial bigint not null)',
  );
  await query('create table bench_indexed_codes (like trace_codes including all)');
  await query('alter table bench_indexed_codes add foreign key (run_id) references trace_code_runs (id)');

  // The baseline's rows: real codes of one run, as COPY text made before the clock starts.
  const runId = randomUUID();
  const floorRun = () =>
    query('insert into trace_code_runs (id, batch_id, first_serial, count) values ($1, $2, 1000000000, 1)', [
      runId,
      batchId,
    ]);
  const codes = traceCodeSigner(context.secretKeyHex).codes(999_999, 1, CODES);
  const chunks: string[] = [];
  for (let start = 0; start < CODES; start += 100_000) {
    let text = '';
    for (let index = start; index < Math.min(CODES, start + 100_000); index += 1) {
      text += `${codes[index]}\t${runId}\t${index + 1}\n`;
    }
    chunks.push(text);
  }
  const rawCopy = async (table: string) => {
    if (database.kind === 'pglite') {
      const client = (database.db as unknown as { $client: PGlite }).$client;
      await client.query(`copy ${table} (code, run_id, serial) from '/dev/blob'`, [], {
        blob: new Blob(chunks),
      });
      return;
    }
    const pool = (database.db as unknown as { $client: pg.Pool }).$client;
    const connection = await pool.connect();
    try {
      await pipeline(
        Readable.from(chunks),
        connection.query(copyFrom(`copy ${table} (code, run_id, serial) from stdin`)),
      );
    } finally {
      connection.release();
    }
  };
  const empty = () =>
    // Scans and tallies reference the codes and runs: they go too, so the next round starts empty.
    query(
      'truncate code_scans, scan_tallies, trace_codes, bench_indexed_codes, trace_code_runs, bench_bare_codes',
    );
  const count = async (table: string) =>
    Number((await query<{ count: string }>(`select count(*)::text as count from ${table}`))[0]?.count);

  const timed = async (run: () => Promise<unknown>) => {
    const begin = performance.now();
    await run();
    return performance.now() - begin;
  };
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  const ourTimes: number[] = [];
  const baselineTimes: number[] = [];
  const floorTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    await empty();
    ourTimes.push(await timed(() => generateTraceCodes(context, benchActor, { batchId, count: CODES })));
    if ((await count('trace_codes')) !== CODES) throw new Error('generation left the wrong number of codes');
    baselineTimes.push(await timed(() => rawCopy('bench_bare_codes')));
    if ((await count('bench_bare_codes')) !== CODES)
      throw new Error('raw COPY left the wrong number of rows');
    await floorRun();
    floorTimes.push(await timed(() => rawCopy('bench_indexed_codes')));
    if ((await count('bench_indexed_codes')) !== CODES)
      throw new Error('floor COPY left the wrong number of rows');
  }

  const oursMs = median(ourTimes);
  const baselineMs = median(baselineTimes);
  const floorMs = median(floorTimes);
  const ratio = oursMs / baselineMs;
  console.log(
    `trace-codes on ${database.kind}: ${CODES} codes generated ${oursMs.toFixed(0)} ms vs raw COPY of ${CODES} bare rows ${baselineMs.toFixed(0)} ms (medians of ${ROUNDS}: ${ourTimes.map((t) => t.toFixed(0)).join('/')} vs ${baselineTimes.map((t) => t.toFixed(0)).join('/')}); schema floor (the same COPY into a table with trace_codes' indexes and foreign key) ${floorMs.toFixed(0)} ms = ${(floorMs / baselineMs).toFixed(1)}× bare`,
  );
  console.log(
    JSON.stringify({
      name: 'trace-codes',
      unit: 'ms',
      ours: Math.round(oursMs),
      baseline: Math.round(baselineMs),
      ratio: Number(ratio.toFixed(2)),
      target: TARGET_RATIO,
      ok: ratio <= TARGET_RATIO,
      backend: database.kind,
      codes: CODES,
      schemaFloorMs: Math.round(floorMs),
    }),
  );
} finally {
  await database.close();
  await scratch?.drop();
}
