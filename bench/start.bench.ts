// How long a second `npm start` takes until /api/health answers: the first start (which builds what is
// stale and writes the demo data) is left out, then `npm start` runs BENCH_ROUNDS times on the same data
// folder (or PostgreSQL database). Baseline: a bare Node process that opens the same database and answers
// /health with node:http — the floor any server on this database has. Also the CPU the start took (the
// whole process group's, build check included), steadier than wall time on a shared machine.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createScratchDatabase } from '../src/db/scratch-database.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TARGET_MS = 3000;
const TICKS_PER_SECOND = 100;
const root = fileURLToPath(new URL('..', import.meta.url));

const scratch = process.env.BENCH_DATABASE_URL
  ? await createScratchDatabase(process.env.BENCH_DATABASE_URL)
  : null;
const folder = await mkdtemp(path.join(tmpdir(), 'ezhen-bench-start-'));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** CPU seconds × 1000 used so far by a process group, its reaped children included. */
function groupCpuMs(groupId: number): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== groupId) continue;
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // gone meanwhile
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

type Started = { ms: number; cpuMs: number };

/** Starts `command` in a group of its own, waits for `url` to answer 200, then stops the group. */
async function timeStart(command: string, args: string[], url: string, port: number): Promise<Started> {
  const started = performance.now();
  const child: ChildProcess = spawn(command, args, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      EZHEN_DATA_DIR: folder,
      DATABASE_URL: scratch?.url ?? '',
      EZHEN_DEMO_PASSWORD: 'Bench-start-2026!',
      EZHEN_LOG_LEVEL: 'warn',
    },
  });
  let errors = '';
  child.stderr?.on('data', (chunk) => {
    errors += chunk;
  });
  const closed = new Promise((resolve) => child.once('close', resolve));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command} exited early:\n${errors}`);
      const answered = await fetch(url).then(
        (response) => response.ok,
        () => false,
      );
      if (answered) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return { ms: performance.now() - started, cpuMs: groupCpuMs(child.pid as number) };
  } finally {
    process.kill(-(child.pid as number), 'SIGTERM');
    await closed;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

// The floor: node, the database opened, node:http answering.
const bareServer = `
const http = await import('node:http');
let query;
if (process.env.DATABASE_URL) {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
  query = () => pool.query('select 1');
} else {
  const { PGlite } = await import('@electric-sql/pglite');
  const client = new PGlite(process.env.EZHEN_DATA_DIR + '/pgdata');
  await client.waitReady;
  query = () => client.query('select 1');
}
await query();
http.createServer((request, response) => query().then(() => response.end('{}'))).listen(Number(process.env.PORT), '127.0.0.1');
`;

try {
  const port = await freePort();
  const health = `http://127.0.0.1:${port}/api/health`;
  const first = await timeStart('npm', ['start'], health, port);
  console.log(`start: first start (builds what is stale, writes the demo data) ${first.ms.toFixed(0)} ms`);
  const ours: Started[] = [];
  const bare: Started[] = [];
  // Alternating, so that load from elsewhere falls on both alike.
  for (let round = 0; round < ROUNDS; round += 1) {
    ours.push(await timeStart('npm', ['start'], health, port));
    bare.push(
      await timeStart(
        process.execPath,
        ['--input-type=module', '-e', bareServer],
        `http://127.0.0.1:${port}/health`,
        port,
      ),
    );
    console.log(
      `start: round ${round + 1}: npm start ${ours.at(-1)?.ms.toFixed(0)} ms (CPU ${ours.at(-1)?.cpuMs} ms), bare ${bare.at(-1)?.ms.toFixed(0)} ms`,
    );
  }
  const oursMs = median(ours.map((run) => run.ms));
  const bareMs = median(bare.map((run) => run.ms));
  console.log(
    JSON.stringify({
      name: 'start',
      unit: 'ms',
      ours: Math.round(oursMs),
      baseline: Math.round(bareMs),
      ratio: Number((oursMs / bareMs).toFixed(2)),
      target: TARGET_MS,
      ok: oursMs <= TARGET_MS,
      backend: scratch ? 'postgres' : 'pglite',
      cpuMs: median(ours.map((run) => run.cpuMs)),
      baselineCpuMs: median(bare.map((run) => run.cpuMs)),
      rounds: ROUNDS,
    }),
  );
} finally {
  await rm(folder, { recursive: true, force: true });
  await scratch?.drop();
}
