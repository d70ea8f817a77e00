import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import Fastify from 'fastify';
import { loadConfig } from '../src/config.ts';
import { migrateDatabase, openDatabase } from '../src/db/client.ts';
import { entities } from '../src/db/schema/entities.ts';
import { createScratchDatabase } from '../src/db/scratch-database.ts';
import { buildApp } from '../src/http/app.ts';
import { hashPassword } from '../src/modules/accounts/password.ts';
import { addNotifications, generateProvinceDataset, regionPick } from './support/province-dataset.ts';
import { runLoad } from './support/run-load.ts';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 3;
const ROUTE_SECONDS = Number(process.env.BENCH_ROUTE_SECONDS ?? 3);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const TARGET_MIX_RATIO = 0.25;
const TARGET_ME_RATIO = 0.5;
const TARGET_P99_MS = 250;
const PASSWORD = 'Bench-Mix-2026!';

type RouteResult = { requests: number; p50: number; p99: number; max: number; non2xx: number };
type LoadResult = {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  routes?: Record<string, RouteResult>;
};
type LoadRequest = { path: string; headers?: Record<string, string>; label: string };
type Session = { username: string; role: string; regionCode: string | null; cookie: string; id: string };

const log = (line: string) => console.log(line);

const scratch = process.env.BENCH_DATABASE_URL
  ? await createScratchDatabase(process.env.BENCH_DATABASE_URL)
  : null;
const database = await openDatabase({ databaseUrl: scratch?.url, dataDir: 'memory://' });
const folder = mkdtempSync(path.join(tmpdir(), 'ezhen-bench-mix-'));
let ok = false;
try {
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

  log(`api-mix on ${database.kind}: generating the province dataset (scale ${SCALE}) …`);
  const dataset = await generateProvinceDataset(context, { scale: SCALE, log });
  log(
    `api-mix: ${dataset.etowns} e-towns, ${dataset.entities} entities, ${dataset.monthlyRows} monthly rows generated in ${dataset.seconds.toFixed(1)} s`,
  );

  // Sessions: 32 county operators, 11 city reviewers (one per city), 7 province administrators.
  const pick = await regionPick(context);
  const countiesWithEtowns = pick.counties.filter((county) =>
    pick.etowns.some((etown) => etown.startsWith(county)),
  );
  const citiesWithEtowns = pick.cities.filter((city) => pick.etowns.some((etown) => etown.startsWith(city)));
  const spread = <T>(list: T[], count: number) =>
    Array.from(
      { length: count },
      (_, index) => list[Math.floor((index * list.length) / count) % list.length] as T,
    );
  const accounts = [
    ...spread(countiesWithEtowns, 32).map((code, index) => ({
      username: `bench.county${index}`,
      role: 'county_operator',
      regionCode: code as string | null,
    })),
    ...spread(citiesWithEtowns, 11).map((code, index) => ({
      username: `bench.city${index}`,
      role: 'city_reviewer',
      regionCode: code as string | null,
    })),
    ...Array.from({ length: 7 }, (_, index) => ({
      username: `bench.province${index}`,
      role: 'province_admin',
      regionCode: null as string | null,
    })),
  ];
  const passwordHash = await hashPassword(PASSWORD);
  for (const account of accounts) {
    await database.query(
      `insert into users (username, display_name, role, scope_region_code, password_hash, must_change_password)
       values ($1, $2, $3, $4, $5, false)`,
      [account.username, `基准${account.username}`, account.role, account.regionCode, passwordHash],
    );
  }

  const app = await buildApp(context);
  const appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const sessions: Session[] = [];
  for (const account of accounts) {
    const response = await fetch(`${appUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: account.username, password: PASSWORD }),
    });
    const cookie = response.headers.get('set-cookie')?.split(';')[0];
    const me = (await response.json()) as { id?: string; user?: { id: string } };
    if (response.status !== 200 || !cookie)
      throw new Error(`login of ${account.username}: ${response.status}`);
    const [row] = await database.query<{ id: string }>('select id from users where username = $1', [
      account.username,
    ]);
    sessions.push({ ...account, cookie, id: row?.id ?? me.id ?? '' });
  }
  await addNotifications(
    context,
    sessions.map((session) => session.id),
    30,
  );

  // Each session's paths, weighted as a working day asks them (the header's /api/me and the bell's
  // notifications on every page; the entity list with its filters most of all).
  const year = Number(dataset.latestMonth.slice(0, 4));
  const month = dataset.latestMonth;
  const mixOf = (session: Session, index: number): LoadRequest[] => {
    const region = session.regionCode ?? '14';
    const etownsInScope = pick.etowns.filter((etown) => etown.startsWith(session.regionCode ?? ''));
    const etown = etownsInScope[index % etownsInScope.length] as string;
    const headers = { cookie: session.cookie };
    const entry = (label: string, pathAndQuery: string) => ({ label, path: pathAndQuery, headers });
    return [
      entry('GET /api/me', '/api/me'),
      entry('GET /api/me', '/api/me'),
      entry('GET /api/notifications', '/api/notifications?limit=20'),
      entry('GET /api/notifications', '/api/notifications?limit=20'),
      entry('GET /api/entities', `/api/entities?regionCode=${region}&page=1&pageSize=20`),
      entry(
        'GET /api/entities (type, status)',
        `/api/entities?regionCode=${region}&entityType=enterprise&status=active&page=1&pageSize=20`,
      ),
      entry('GET /api/entities (tag)', `/api/entities?regionCode=${region}&tag=ecommerce&page=1&pageSize=20`),
      entry(
        'GET /api/entities (keyword)',
        `/api/entities?regionCode=${region}&keyword=${encodeURIComponent(`${(index * 37) % 1000}`)}&page=1&pageSize=20`,
      ),
      entry('GET /api/entities (e-town, page 2)', `/api/entities?regionCode=${etown}&page=2&pageSize=20`),
      entry('GET /api/stats/monthly', `/api/stats/monthly?month=${month}&regionCode=${region}`),
      entry(
        'GET /api/stats/monthly/progress',
        `/api/stats/monthly/progress?month=${month}&regionCode=${region}`,
      ),
      entry('GET /api/stats/aggregates', `/api/stats/aggregates?regionCode=${region}`),
      entry('GET /api/etowns/:code/scorecard', `/api/etowns/${etown}/scorecard?year=${year}`),
      entry('GET /api/evaluations/overview', `/api/evaluations/overview?year=${year}&regionCode=${region}`),
      entry('GET /api/projects', `/api/projects?regionCode=${region}`),
      entry('GET /api/funds/applications', `/api/funds/applications?regionCode=${region}&page=1&pageSize=20`),
    ];
  };
  // Sessions interleaved, so the 50 connections ask a mix of users and routes at any moment.
  const perSession = sessions.map((session, index) => mixOf(session, index));
  const mix: LoadRequest[] = [];
  for (let position = 0; position < (perSession[0]?.length ?? 0); position += 1) {
    for (const [index, list] of perSession.entries()) {
      mix.push(list[(position + index) % list.length] as LoadRequest);
    }
  }
  const meOnly: LoadRequest[] = sessions.map((session) => ({
    label: 'GET /api/me',
    path: '/api/me',
    headers: { cookie: session.cookie },
  }));

  // Every route answers 200 for a county, a city and a province user, and /api/me for every session,
  // before anything is measured (a 404 would be fast and prove nothing).
  const firstAnswers: { label: string; ms: number }[] = [];
  const firstOfRole = (role: string) =>
    perSession[sessions.findIndex((session) => session.role === role)] ?? [];
  for (const request of [
    ...firstOfRole('county_operator'),
    ...firstOfRole('city_reviewer'),
    ...firstOfRole('province_admin'),
    ...meOnly,
  ]) {
    const started = performance.now();
    const response = await fetch(`${appUrl}${request.path}`, { headers: request.headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${request.path} answered ${response.status}`);
    firstAnswers.push({ label: request.label, ms: performance.now() - started });
  }

  // The baseline: a bare Fastify server selecting one entity by its primary key through the same handle.
  const ids = (
    await database.query<{ id: string }>(`select id from entities order by credit_code limit 1000`)
  ).map((row) => row.id);
  const baselineApp = Fastify();
  baselineApp.get<{ Params: { id: string } }>('/entities/:id', async (request) => {
    const [row] = await database.db.select().from(entities).where(eq(entities.id, request.params.id));
    return { id: row?.id, name: row?.name, etownCode: row?.etownCode };
  });
  const baselineUrl = await baselineApp.listen({ port: 0, host: '127.0.0.1' });
  const baselineRequests: LoadRequest[] = ids.map((id) => ({ label: 'baseline', path: `/entities/${id}` }));

  const load = (url: string, requests: LoadRequest[], seconds: number) =>
    runLoad<LoadResult>(folder, { url, requests, connections: CONNECTIONS, seconds });

  // When a load ends, the app still works through the requests its connections left behind; the next load
  // starts once the database answers a trivial query at once five times in a row (nothing queued before it).
  const settle = async () => {
    const deadline = Date.now() + 180_000;
    for (let quick = 0; quick < 5 && Date.now() < deadline; ) {
      const started = performance.now();
      await database.query('select 1');
      quick = performance.now() - started < 20 ? quick + 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const loadApp = async (requests: LoadRequest[], seconds: number) => {
    const result = await load(appUrl, requests, seconds);
    await settle();
    return result;
  };

  await loadApp(mix, WARMUP_SECONDS);
  await load(baselineUrl, baselineRequests, WARMUP_SECONDS);
  const mixFirst = await loadApp(mix, SECONDS);
  const baselineFirst = await load(baselineUrl, baselineRequests, SECONDS);
  const meFirst = await loadApp(meOnly, SECONDS);
  const meSecond = await loadApp(meOnly, SECONDS);
  const baselineSecond = await load(baselineUrl, baselineRequests, SECONDS);
  const mixSecond = await loadApp(mix, SECONDS);

  // Then each route of the mix alone, briefly, by all sessions: what one route costs without the others'
  // queueing (in the mix, every route waits behind the slowest ones).
  const alone: {
    route: string;
    requests: number;
    requestsPerSecond: number;
    p50: number;
    p99: number;
    failures: number;
  }[] = [];
  // Cheapest first (by the single request before the load), so a slow route's leftover requests, which the
  // settling waits for at most three minutes, can only spill into a slower route's run.
  const firstMs = (label: string) =>
    Math.max(...firstAnswers.filter((answer) => answer.label === label).map((answer) => answer.ms));
  const labels = [...new Set(mix.map((request) => request.label))].sort((a, b) => firstMs(a) - firstMs(b));
  for (const label of labels) {
    const result = await loadApp(
      mix.filter((request) => request.label === label),
      ROUTE_SECONDS,
    );
    alone.push({
      route: label,
      requests: result.requests,
      requestsPerSecond: result.requestsPerSecond,
      p50: result.p50,
      p99: result.p99,
      failures: result.non2xx + result.errors,
    });
  }
  alone.sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);

  const combineRoutes = (a: LoadResult, b: LoadResult) => {
    const routes: Record<string, RouteResult> = {};
    for (const [label, route] of [...Object.entries(a.routes ?? {}), ...Object.entries(b.routes ?? {})]) {
      const seen = routes[label];
      routes[label] = seen
        ? {
            requests: seen.requests + route.requests,
            p50: Math.max(seen.p50, route.p50),
            p99: Math.max(seen.p99, route.p99),
            max: Math.max(seen.max, route.max),
            non2xx: seen.non2xx + route.non2xx,
          }
        : { ...route };
    }
    return routes;
  };
  // Two runs together: requests summed over both runs' time; percentiles the worse run's.
  const combine = (a: LoadResult, b: LoadResult) => ({
    requests: a.requests + b.requests,
    requestsPerSecond: (a.requests + b.requests) / (2 * SECONDS),
    p50: Math.max(a.p50, b.p50),
    p99: Math.max(a.p99, b.p99),
    max: Math.max(a.max, b.max),
    // autocannon counts a timeout among the errors too.
    failures: a.non2xx + b.non2xx + a.errors + b.errors,
    timeouts: a.timeouts + b.timeouts,
    routes: combineRoutes(a, b),
  });
  const ours = combine(mixFirst, mixSecond);
  const baseline = combine(baselineFirst, baselineSecond);
  const me = combine(meFirst, meSecond);
  await app.close();
  await baselineApp.close();

  const ratio = ours.requestsPerSecond / baseline.requestsPerSecond;
  const meRatio = me.requestsPerSecond / baseline.requestsPerSecond;
  const slowest = labels
    .map((label) => ({
      route: label,
      ...(ours.routes[label] ?? { requests: 0, p50: 0, p99: 0, max: 0, non2xx: 0 }),
    }))
    // Routes that never answered within the runs first, then by p99.
    .sort((a, b) => Number(a.requests > 0) - Number(b.requests > 0) || b.p99 - a.p99);
  log(`api-mix each route alone (${ROUTE_SECONDS} s, ${CONNECTIONS} connections), slowest first:`);
  for (const route of alone) {
    const latency =
      route.requests === 0 ? `no answer within ${ROUTE_SECONDS} s` : `p50 ${route.p50}  p99 ${route.p99}`;
    log(
      `  ${route.route.padEnd(36)} ${route.requestsPerSecond.toFixed(1).padStart(7)} req/s  ${latency}  failed ${route.failures}  (one request alone before the load: ${firstMs(route.route).toFixed(0)} ms)`,
    );
  }
  log(`api-mix per route in the mix (both runs; p50/p99/max in ms):`);
  for (const route of slowest) {
    log(
      route.requests === 0
        ? `  ${route.route.padEnd(36)}      0 req  no answer within the runs (timed out)`
        : `  ${route.route.padEnd(36)} ${String(route.requests).padStart(6)} req  p50 ${route.p50}  p99 ${route.p99}  max ${route.max}  non-2xx ${route.non2xx}`,
    );
  }
  log(
    `api-mix on ${database.kind}: mix ${ours.requestsPerSecond.toFixed(0)} req/s (p50 ${ours.p50} ms, p99 ${ours.p99} ms, max ${ours.max} ms, ${ours.failures} failed of which ${ours.timeouts} timed out) and /api/me alone ${me.requestsPerSecond.toFixed(0)} req/s (p99 ${me.p99} ms) vs one primary-key SELECT ${baseline.requestsPerSecond.toFixed(0)} req/s (p99 ${baseline.p99} ms): ${ratio.toFixed(2)}× and ${meRatio.toFixed(2)}×; ${sessions.length} sessions, ${CONNECTIONS} connections, 2 × ${SECONDS} s each (mix, baseline, me, me, baseline, mix); the machine is shared, so compare the ratio, not the req/s`,
  );
  ok =
    ratio >= TARGET_MIX_RATIO &&
    meRatio >= TARGET_ME_RATIO &&
    ours.p99 < TARGET_P99_MS &&
    me.p99 < TARGET_P99_MS &&
    ours.failures === 0 &&
    me.failures === 0 &&
    baseline.failures === 0;
  console.log(
    JSON.stringify({
      name: 'api-mix',
      unit: 'req/s',
      ours: Math.round(ours.requestsPerSecond),
      baseline: Math.round(baseline.requestsPerSecond),
      ratio: Number(ratio.toFixed(2)),
      target: TARGET_MIX_RATIO,
      ok,
      backend: database.kind,
      scale: SCALE,
      entities: dataset.entities,
      monthlyRows: dataset.monthlyRows,
      generationSeconds: Number(dataset.seconds.toFixed(1)),
      p99Ms: ours.p99,
      baselineP99Ms: baseline.p99,
      targetP99Ms: TARGET_P99_MS,
      failures: ours.failures,
      me: Math.round(me.requestsPerSecond),
      meRatio: Number(meRatio.toFixed(2)),
      meTarget: TARGET_ME_RATIO,
      meP99Ms: me.p99,
      slowest: alone.slice(0, 5).map((route) => ({
        route: route.route,
        aloneReqPerSecond: Number(route.requestsPerSecond.toFixed(1)),
        aloneP99Ms: route.requests === 0 ? null : route.p99,
        mixP99Ms: ours.routes[route.route]?.p99 ?? null,
        singleRequestMs: Math.round(firstMs(route.route)),
      })),
    }),
  );
} finally {
  rmSync(folder, { recursive: true, force: true });
  await database.close();
  await scratch?.drop();
}
