// The public scan page (/t/<code>) of the real app — session hook, policy check, MAC check, per-run cache,
// batched scan-count read, scan recording with its flushes — against a minimal node:http server answering
// a page of the same size, each under 50 keep-alive connections on loopback for the same time. The load
// generator runs in its own process; every request asks for another code of a few runs.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../src/access/scope.ts';
import { loadConfig } from '../src/config.ts';
import { migrateDatabase, openDatabase } from '../src/db/client.ts';
import { regions } from '../src/db/schema/regions.ts';
import { createScratchDatabase } from '../src/db/scratch-database.ts';
import { ensureReferenceRegions } from '../src/db/seed/seed.ts';
import { buildApp } from '../src/http/app.ts';
import { flushScans } from '../src/modules/trace/scan-recorder.ts';
import { traceCodeSigner } from '../src/modules/trace/trace-code.ts';
import { buildTracedProduct } from '../src/modules/trace/trace-fixtures.ts';
import { generateTraceCodes } from '../src/modules/trace/trace-generation.ts';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 3;
const RUNS = 4;
const CODES_PER_RUN = 25_000;
const PATHS = 20_000;
const TARGET_RATIO = 0.7;
const TARGET_P99_MS = 10;

const scratch = process.env.BENCH_DATABASE_URL
  ? await createScratchDatabase(process.env.BENCH_DATABASE_URL)
  : null;
const database = await openDatabase({ databaseUrl: scratch?.url, dataDir: 'memory://' });
await migrateDatabase(database);
const context = {
  config: loadConfig({
    EZHEN_DATA_DIR: 'memory://',
    EZHEN_PUBLIC_URL: 'https://ez.example.cn',
    EZHEN_LOG_LEVEL: 'silent',
  }),
  database,
  secretKeyHex: '0123456789abcdef0123456789abcdef',
};
const actor: Actor = {
  userId: '00000000-0000-4000-8000-000000000001',
  username: 'bench.county',
  displayName: '基准县操作员',
  role: 'county_operator',
  scope: { kind: 'all' },
  ip: '127.0.0.1',
  mustChangePassword: false,
  totpEnrollmentRequired: false,
};
const loadGenerator = fileURLToPath(new URL('./support/load-generator.ts', import.meta.url));

type LoadResult = {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  bytesPerRequest: number;
};

const folder = mkdtempSync(path.join(tmpdir(), 'ezhen-bench-scan-'));

function load(url: string, paths: string[], seconds: number): Promise<LoadResult> {
  const options = path.join(folder, 'load.json');
  writeFileSync(options, JSON.stringify({ url, paths, connections: CONNECTIONS, seconds }));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', loadGenerator, options], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (status) => {
      if (status !== 0) return reject(new Error(`load generator exited with ${status}`));
      resolve(JSON.parse(output.trim().split('\n').at(-1) as string) as LoadResult);
    });
  });
}

const listen = (server: {
  listen: (port: number, host: string, done: () => void) => unknown;
  address: () => unknown;
}) =>
  new Promise<string>((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });

try {
  await ensureReferenceRegions(context);
  await database.db
    .insert(regions)
    .values({ code: '140827-E01', name: '皋陶乡村e镇', level: 'etown', parentCode: '140827' });
  await database.query(
    `insert into users (id, username, display_name, role, scope_region_code, password_hash)
     values ($1, 'bench.county', '基准县操作员', 'county_operator', '14', 'not-a-login')`,
    [actor.userId],
  );
  const signer = traceCodeSigner(context.secretKeyHex);
  const runs: { runNumber: number; firstSerial: number }[] = [];
  for (let index = 0; index < RUNS; index += 1) {
    const { batchId } = await buildTracedProduct(database.db, { etownCode: '140827-E01' });
    runs.push(await generateTraceCodes(context, actor, { batchId, count: CODES_PER_RUN }));
  }
  // Different codes, spread over the runs.
  const paths = Array.from({ length: PATHS }, (_, index) => {
    const run = runs[index % RUNS] as { runNumber: number; firstSerial: number };
    return `/t/${signer.code({ runNumber: run.runNumber, serial: run.firstSerial + Math.floor(index / RUNS) })}`;
  });

  const app = await buildApp(context);
  // Listening through Fastify, as `ezhen serve` does: its server answers plain scans before routing.
  const appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const sample = await fetch(`${appUrl}${paths[0]}`);
  const page = Buffer.from(await sample.arrayBuffer());
  if (sample.status !== 200) throw new Error(`scan page answered ${sample.status}`);

  const baselineServer = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': page.length });
    response.end(page);
  });
  baselineServer.keepAliveTimeout = 60_000;
  const baselineUrl = await listen(baselineServer);

  const warmup = await load(appUrl, paths, WARMUP_SECONDS);
  await flushScans(context);
  await load(baselineUrl, ['/'], WARMUP_SECONDS);
  // ABBA: each server is measured twice, in an order that cancels a machine that slowly gets busier or
  // quieter; the totals are compared. After each of our runs every buffered scan is written and that time is
  // added to the run's, so no recording is left outside the measurement.
  const measure = async (url: string, paths: string[], seconds: number, after?: () => Promise<void>) => {
    const cpu = process.cpuUsage();
    const loaded = await load(url, paths, seconds);
    const flushStarted = performance.now();
    await after?.();
    const flushSeconds = (performance.now() - flushStarted) / 1000;
    const result = { ...loaded, requestsPerSecond: loaded.requests / (seconds + flushSeconds) };
    return { result, cpu: process.cpuUsage(cpu), seconds: seconds + flushSeconds };
  };
  // Each run lasts as long as the recorder's longest buffering (ten seconds for plain repeat counts), so
  // the flush charged at its end is the steady state's, not one per shorter slice.
  const half = SECONDS;
  const oursFirst = await measure(appUrl, paths, half, () => flushScans(context));
  const baselineFirst = await measure(baselineUrl, ['/'], half);
  const baselineSecond = await measure(baselineUrl, ['/'], half);
  const oursSecond = await measure(appUrl, paths, half, () => flushScans(context));
  const combine = (a: typeof oursFirst, b: typeof oursFirst) => ({
    result: {
      ...a.result,
      requests: a.result.requests + b.result.requests,
      requestsPerSecond: (a.result.requests + b.result.requests) / (a.seconds + b.seconds),
      // The worse half: a percentile of two runs is not the mean of their percentiles.
      p50: Math.max(a.result.p50, b.result.p50),
      p99: Math.max(a.result.p99, b.result.p99),
      max: Math.max(a.result.max, b.result.max),
      non2xx: a.result.non2xx + b.result.non2xx,
      errors: a.result.errors + b.result.errors,
      timeouts: a.result.timeouts + b.result.timeouts,
    },
    cpu: { user: a.cpu.user + b.cpu.user, system: a.cpu.system + b.cpu.system },
  });
  const { result: ours, cpu: oursCpu } = combine(oursFirst, oursSecond);
  const { result: baseline, cpu: baselineCpu } = combine(baselineFirst, baselineSecond);
  // CPU time of this process (server, PGlite, flushes) per answered request: steadier than req/s on a busy machine.
  const perRequest = (usage: NodeJS.CpuUsage, result: LoadResult) =>
    Math.round((usage.user + usage.system) / Math.max(1, result.requests));

  const [recorded] = await database.query<{ scans: string }>(
    'select coalesce(sum(scans), 0)::text as scans from scan_tallies',
  );
  await app.close();
  await new Promise((resolve) => baselineServer.close(resolve));

  const ratio = ours.requestsPerSecond / baseline.requestsPerSecond;
  const failures = ours.non2xx + ours.errors + ours.timeouts;
  // Every page served was recorded: the sample, the warm-up and both measured runs. The load generator
  // does not count the answers still in flight when a run's time is up (at most one per connection).
  const served = 1 + warmup.requests + ours.requests;
  const scans = Number(recorded?.scans);
  const allRecorded = scans >= served && scans <= served + 3 * CONNECTIONS;
  console.log(
    `scan-page on ${database.kind}: page ${page.length} bytes; ours ${ours.requestsPerSecond.toFixed(0)} req/s (p50 ${ours.p50} ms, p99 ${ours.p99} ms, max ${ours.max} ms, ${failures} failed) vs node:http ${baseline.requestsPerSecond.toFixed(0)} req/s (p50 ${baseline.p50} ms, p99 ${baseline.p99} ms); server CPU per request ${perRequest(oursCpu, ours)} µs vs ${perRequest(baselineCpu, baseline)} µs; ${CONNECTIONS} connections, 2 × ${half} s each (ABBA, our final flush included), ${PATHS} different codes of ${RUNS} runs; ${scans} scans recorded of ${served} pages counted by the load generator`,
  );
  console.log(
    JSON.stringify({
      name: 'scan-page',
      unit: 'req/s',
      ours: Math.round(ours.requestsPerSecond),
      baseline: Math.round(baseline.requestsPerSecond),
      ratio: Number(ratio.toFixed(2)),
      target: TARGET_RATIO,
      ok: ratio >= TARGET_RATIO && ours.p99 < TARGET_P99_MS && failures === 0 && allRecorded,
      backend: database.kind,
      p99Ms: ours.p99,
      baselineP99Ms: baseline.p99,
      targetP99Ms: TARGET_P99_MS,
      pageBytes: page.length,
      cpuMicrosecondsPerRequest: perRequest(oursCpu, ours),
      baselineCpuMicrosecondsPerRequest: perRequest(baselineCpu, baseline),
    }),
  );
} finally {
  rmSync(folder, { recursive: true, force: true });
  await database.close();
  await scratch?.drop();
}
