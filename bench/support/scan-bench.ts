import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { migrateDatabase, openDatabase } from '../../src/db/client.ts';
import { createScratchDatabase } from '../../src/db/scratch-database.ts';
import { buildApp } from '../../src/http/app.ts';
import { flushScans } from '../../src/modules/trace/scan-recorder.ts';
import { traceCodeSigner, traceMacKeyOf } from '../../src/modules/trace/trace-code.ts';
import { buildTracedProduct } from '../../src/modules/trace/trace-fixtures.ts';
import { generateTraceCodes } from '../../src/modules/trace/trace-generation.ts';
import { BENCH_ETOWN, benchActor, prepareBenchCounty } from './bench-county.ts';
import { runLoad } from './run-load.ts';

export type ScanBenchOptions = {
  name: string;
  runs: number;
  codesPerRun: number;
  /**
   * 'repeat': every load asks the first `paths` codes in turn; 'first': each load gets codes of its own,
   * so no code is asked twice (the bench fails if a load runs out of them).
   */
  mode: { kind: 'repeat'; paths: number } | { kind: 'first' };
  targetRatio: number;
  targetP99Ms: number;
};

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 3;

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

const listen = (server: {
  listen: (port: number, host: string, done: () => void) => unknown;
  address: () => unknown;
}) =>
  new Promise<string>((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });

export async function runScanBench(options: ScanBenchOptions): Promise<boolean> {
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
  const folder = mkdtempSync(path.join(tmpdir(), 'ezhen-bench-scan-'));

  const load = (url: string, paths: string[], seconds: number) =>
    runLoad<LoadResult>(folder, { url, paths, connections: CONNECTIONS, seconds });

  try {
    await prepareBenchCounty(context);
    // The server's trace MAC key (derived from the data key, or kept over a rotation), as the app signs with.
    const signer = traceCodeSigner(traceMacKeyOf(context));
    const runs: { runNumber: number; firstSerial: number }[] = [];
    for (let index = 0; index < options.runs; index += 1) {
      const { batchId } = await buildTracedProduct(database.db, { etownCode: BENCH_ETOWN });
      runs.push(await generateTraceCodes(context, benchActor, { batchId, count: options.codesPerRun }));
    }
    // Codes spread over the runs: the nth path is the (n / runs)th code of run n mod runs.
    const pathAt = (index: number) => {
      const run = runs[index % options.runs] as { runNumber: number; firstSerial: number };
      return `/t/${signer.code({ runNumber: run.runNumber, serial: run.firstSerial + Math.floor(index / options.runs) })}`;
    };
    const total = options.runs * options.codesPerRun;
    const paths = (from: number, count: number) =>
      Array.from({ length: Math.min(count, total - from) }, (_, offset) => pathAt(from + offset));
    // Paths of each load: the same few for repeat scans; for first scans, slices that never overlap (a
    // measured run gets 45 % of the codes, the warm-up and the sample the rest).
    const repeatPaths = options.mode.kind === 'repeat' ? paths(0, options.mode.paths) : [];
    const slices =
      options.mode.kind === 'repeat'
        ? { sample: repeatPaths, warmup: repeatPaths, first: repeatPaths, second: repeatPaths }
        : {
            sample: paths(0, 1),
            warmup: paths(1, Math.floor(total * 0.1) - 1),
            first: paths(Math.floor(total * 0.1), Math.floor(total * 0.45)),
            second: paths(Math.floor(total * 0.55), Math.floor(total * 0.45)),
          };

    const app = await buildApp(context);
    // Listening through Fastify, as `ezhen serve` does: its server answers plain scans before routing.
    const appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const sample = await fetch(`${appUrl}${slices.sample[0]}`);
    const page = Buffer.from(await sample.arrayBuffer());
    if (sample.status !== 200) throw new Error(`scan page answered ${sample.status}`);

    const baselineServer = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': page.length });
      response.end(page);
    });
    baselineServer.keepAliveTimeout = 60_000;
    const baselineUrl = await listen(baselineServer);

    const warmup = await load(appUrl, slices.warmup, WARMUP_SECONDS);
    await flushScans(context);
    await load(baselineUrl, ['/'], WARMUP_SECONDS);
    // ABBA: each server is measured twice, in an order that cancels a machine that slowly gets busier or
    // quieter; the totals are compared. After each of our runs every buffered scan is written and that time
    // is added to the run's, so no recording is left outside the measurement.
    const measure = async (
      url: string,
      loadPaths: string[],
      seconds: number,
      after?: () => Promise<void>,
    ) => {
      const cpu = process.cpuUsage();
      const loaded = await load(url, loadPaths, seconds);
      const flushStarted = performance.now();
      await after?.();
      const flushSeconds = (performance.now() - flushStarted) / 1000;
      const result = { ...loaded, requestsPerSecond: loaded.requests / (seconds + flushSeconds) };
      return { result, cpu: process.cpuUsage(cpu), seconds: seconds + flushSeconds };
    };
    // Each run lasts as long as the recorder's longest buffering (ten seconds for plain repeat counts), so
    // the flush charged at its end is the steady state's, not one per shorter slice.
    const oursFirst = await measure(appUrl, slices.first, SECONDS, () => flushScans(context));
    const baselineFirst = await measure(baselineUrl, ['/'], SECONDS);
    const baselineSecond = await measure(baselineUrl, ['/'], SECONDS);
    const oursSecond = await measure(appUrl, slices.second, SECONDS, () => flushScans(context));
    if (options.mode.kind === 'first') {
      for (const [run, slice] of [
        [warmup, slices.warmup],
        [oursFirst.result, slices.first],
        [oursSecond.result, slices.second],
      ] as const) {
        // The generator takes paths in turn; beyond its slice it would ask codes again.
        if (run.requests + CONNECTIONS > slice.length)
          throw new Error(`a load asked ${run.requests} codes of ${slice.length}: generate more codes`);
      }
    }
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
    // CPU time of this process (server, PGlite, flushes) per answered request: steadier than req/s on a
    // busy machine.
    const perRequest = (usage: NodeJS.CpuUsage, result: LoadResult) =>
      Math.round((usage.user + usage.system) / Math.max(1, result.requests));

    const [recorded] = await database.query<{ scans: string; codes: string; repeated: string }>(
      `select coalesce((select sum(scans) from scan_tallies), 0)::text as scans,
              (select count(*) from code_scans)::text as codes,
              (select count(*) from code_scans where scan_count > 1)::text as repeated`,
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
    const firstScansOnly = options.mode.kind === 'repeat' || Number(recorded?.repeated) === 0;
    const what =
      options.mode.kind === 'repeat'
        ? `${options.mode.paths} different codes of ${options.runs} runs asked in turn`
        : `every request a code never scanned before (${recorded?.codes} codes scanned, ${recorded?.repeated} twice)`;
    console.log(
      `${options.name} on ${database.kind}: page ${page.length} bytes; ours ${ours.requestsPerSecond.toFixed(0)} req/s (p50 ${ours.p50} ms, p99 ${ours.p99} ms, max ${ours.max} ms, ${failures} failed) vs node:http ${baseline.requestsPerSecond.toFixed(0)} req/s (p50 ${baseline.p50} ms, p99 ${baseline.p99} ms); server CPU per request ${perRequest(oursCpu, ours)} µs vs ${perRequest(baselineCpu, baseline)} µs; ${CONNECTIONS} connections, 2 × ${SECONDS} s each (ABBA, our final flush included), ${what}; ${scans} scans recorded of ${served} pages counted by the load generator`,
    );
    const ok =
      ratio >= options.targetRatio &&
      ours.p99 < options.targetP99Ms &&
      failures === 0 &&
      allRecorded &&
      firstScansOnly;
    console.log(
      JSON.stringify({
        name: options.name,
        unit: 'req/s',
        ours: Math.round(ours.requestsPerSecond),
        baseline: Math.round(baseline.requestsPerSecond),
        ratio: Number(ratio.toFixed(2)),
        target: options.targetRatio,
        ok,
        backend: database.kind,
        p99Ms: ours.p99,
        baselineP99Ms: baseline.p99,
        targetP99Ms: options.targetP99Ms,
        pageBytes: page.length,
        cpuMicrosecondsPerRequest: perRequest(oursCpu, ours),
        baselineCpuMicrosecondsPerRequest: perRequest(baselineCpu, baseline),
      }),
    );
    return ok;
  } finally {
    rmSync(folder, { recursive: true, force: true });
    await database.close();
    await scratch?.drop();
  }
}
