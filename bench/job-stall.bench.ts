// Whether the server keeps answering while a large import job runs: a county uploads a CSV of
// BENCH_ROWS monthly rows (194,000 by default, 8,084 entities × 24 months) through the real route and job,
// and meanwhile a client asks `/api/health` and the county's entity list one after the other, every
// 20 ms, until the job has ended. Ours: the slowest of those answers while the job ran. Baseline: the
// slowest of the same requests with no job running. Target: ≤ 500 ms. On PGlite (one connection) a job
// that held the connection for its whole write stalled every request for seconds.
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.ts';
import type { App } from '../src/http/app.ts';
import { creditCodeCheckCharacter } from '../src/lib/credit-code.ts';
import { waitForJobs } from '../src/modules/jobs/jobs.service.ts';
import { monthlyImportColumns } from '../src/modules/stats/monthly-import-rows.ts';
import { createSeededApp, loginAs } from '../src/test/test-context.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 194_000);
const MONTHS = 24;
const ENTITIES = Math.ceil(ROWS / MONTHS);
const ETOWN = '140827-E01';
const TARGET_MS = 500;
const PAUSE_MS = 20;

if (process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;
const backend = process.env.BENCH_DATABASE_URL ? 'postgres' : 'pglite';
const { context, app } = await createSeededApp(backend);

/** Entities for the county's e-town, with valid credit codes; the CSV of their months as a county fills it. */
async function dataset(): Promise<string> {
  const codes: string[] = [];
  for (let i = 0; i < ENTITIES; i += 1) {
    const first17 = `91140827BN${String(i).padStart(7, '0')}`;
    codes.push(`${first17}${creditCodeCheckCharacter(first17)}`);
  }
  await context.database.query(
    `insert into entities (credit_code, name, etown_code, sort_order)
     select code, '导入主体' || n, $2, 1000 + n from unnest($1::text[]) with ordinality as t(code, n)`,
    [codes, ETOWN],
  );
  await context.database.query('analyze');
  const lines = [`\uFEFF${monthlyImportColumns.map((column) => column.header).join(',')}`];
  let written = 0;
  for (const [index, code] of codes.entries()) {
    for (let m = 0; m < MONTHS && written < ROWS; m += 1, written += 1) {
      const month = `${2023 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
      const output = 100 + ((index * 7 + m * 13) % 900);
      lines.push(
        `${code},${month},${output}.00,${Math.floor(output / 2)}.00,0.00,${10 + m},${5 + (m % 4)},2`,
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

type Sample = { url: string; ms: number; status: number };

/** Asks each URL in turn, PAUSE_MS apart, until `done()` — every answer's time. */
async function sample(app: App, cookie: string, done: () => boolean): Promise<Sample[]> {
  const samples: Sample[] = [];
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const urls = ['/api/health', '/api/entities?regionCode=140827&pageSize=20'];
  while (!done()) {
    for (const url of urls) {
      const started = performance.now();
      const response = await fetch(`${base}${url}`, { headers: { cookie } });
      await response.arrayBuffer();
      samples.push({ url, ms: performance.now() - started, status: response.status });
    }
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
  return samples;
}

const worst = (samples: Sample[]) => Math.max(0, ...samples.map((s) => s.ms));
const percentile = (samples: Sample[], p: number) =>
  samples.map((s) => s.ms).sort((a, b) => a - b)[Math.floor((samples.length - 1) * p)] ?? 0;

try {
  const csv = await dataset();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const cookie = await loginAs(app, 'county.yuanqu');
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  const idleUntil = performance.now() + 2_000;
  const idle = await sample(app, cookie, () => performance.now() > idleUntil);

  const started = performance.now();
  const upload = await fetch(`${base}/api/stats/monthly/import?fileName=bench.csv`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/octet-stream' },
    body: csv,
  });
  if (upload.status !== 202) throw new Error(`upload answered ${upload.status}: ${await upload.text()}`);
  const job = (await upload.json()) as { id: string };
  let ended = false;
  const jobEnded = waitForJobs(context).then(() => {
    ended = true;
  });
  const during = await sample(app, cookie, () => ended);
  await jobEnded;
  const seconds = (performance.now() - started) / 1000;
  const view = (await (await fetch(`${base}/api/jobs/${job.id}`, { headers: { cookie } })).json()) as {
    status: string;
    summary: { rows?: number } | null;
    error: unknown;
  };
  if (view.status !== 'succeeded' || view.summary?.rows !== ROWS)
    throw new Error(`the import did not succeed: ${JSON.stringify(view)}`);
  const failed = [...idle, ...during].filter((s) => s.status !== 200);
  if (failed.length > 0) throw new Error(`requests failed: ${JSON.stringify(failed.slice(0, 3))}`);

  const ours = worst(during);
  const baseline = worst(idle);
  console.log(
    `job-stall: ${ROWS} rows imported on ${context.database.kind} in ${seconds.toFixed(1)} s; ${during.length} requests answered meanwhile, p50 ${percentile(during, 0.5).toFixed(0)} ms, p99 ${percentile(during, 0.99).toFixed(0)} ms, slowest ${ours.toFixed(0)} ms (idle: slowest ${baseline.toFixed(0)} ms)`,
  );
  console.log(
    JSON.stringify({
      name: 'job-stall',
      unit: 'ms',
      ours: Math.round(ours),
      baseline: Math.round(baseline),
      ratio: Number((ours / Math.max(baseline, 1)).toFixed(2)),
      target: TARGET_MS,
      ok: ours <= TARGET_MS,
      backend: context.database.kind,
      rows: ROWS,
      importSeconds: Number(seconds.toFixed(1)),
      requestsDuring: during.length,
      p50Ms: Math.round(percentile(during, 0.5)),
      p99Ms: Math.round(percentile(during, 0.99)),
      version: loadConfig().version,
    }),
  );
} finally {
  await app.close();
  await context.close();
}
