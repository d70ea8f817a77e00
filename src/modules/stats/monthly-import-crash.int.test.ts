// A server killed with SIGKILL while it writes a bulk import of monthly statistics leaves no partial
// rows: the import writes in one transaction, which the database rolls back when it recovers.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { migrateDatabase, openDatabase } from '../../db/client.ts';
import { createScratchDatabase } from '../../db/scratch-database.ts';
import { ensureReferenceRegions, seedDemo } from '../../db/seed/seed.ts';
import { creditCodeCheckCharacter } from '../../lib/credit-code.ts';
import { DEMO_PASSWORD, testBackends } from '../../test/test-context.ts';
import { monthlyImportColumns } from './monthly-import-rows.ts';

const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
const ENTITIES = 3000;
const MONTHS = 60;
const ETOWN = '140827-E01';

const creditCode = (index: number) => {
  const first17 = `92140827MA${String(index).padStart(7, '0')}`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

type Where = { dataDir: string; databaseUrl?: string };

/** Migrates and seeds the demo, then registers many entities in 皋陶 so the import has rows to write. */
async function prepare(where: Where) {
  const database = await openDatabase(where);
  try {
    await migrateDatabase(database);
    const config = loadConfig({ EZHEN_DATA_DIR: where.dataDir, EZHEN_DEMO_PASSWORD: DEMO_PASSWORD });
    const context = { config, database, secretKeyHex: '0123456789abcdef0123456789abcdef' };
    await ensureReferenceRegions(context);
    await seedDemo(context, config);
    const codes = Array.from({ length: ENTITIES }, (_, index) => creditCode(index + 1));
    await database.query(
      `insert into entities (credit_code, name, etown_code, sort_order)
       select code, '崩溃测试主体' || ordinality, $2, 1000 + ordinality
       from unnest($1::text[]) with ordinality as code`,
      [codes, ETOWN],
    );
    return codes;
  } finally {
    await database.close();
  }
}

async function countRows(where: Where, codes: string[]): Promise<number> {
  const database = await openDatabase(where);
  try {
    const [row] = await database.query<{ count: number }>(
      `select count(*)::int as count from monthly_statistics m join entities e on e.id = m.entity_id
       where e.credit_code = any($1::text[])`,
      [codes],
    );
    return row?.count ?? -1;
  } finally {
    await database.close();
  }
}

async function startServer(where: Where, port: number): Promise<{ child: ChildProcess; log: () => string }> {
  let log = '';
  const child = spawn(process.execPath, ['bin/ezhen.js', 'serve'], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      EZHEN_DATA_DIR: where.dataDir,
      DATABASE_URL: where.databaseUrl ?? '',
      EZHEN_DEMO_PASSWORD: DEMO_PASSWORD,
      EZHEN_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return { child, log: () => log };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start:\n${log}`);
}

describe.each(testBackends)('a server killed during a bulk import (%s)', (backend) => {
  it('leaves no partial rows', { timeout: 300_000 }, async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'ezhen-crash-'));
    const scratch =
      backend === 'postgres' ? await createScratchDatabase(process.env.TEST_DATABASE_URL as string) : null;
    const where: Where = { dataDir: path.join(folder, 'data'), databaseUrl: scratch?.url };
    let child: ChildProcess | undefined;
    try {
      const codes = await prepare(where);
      const header = monthlyImportColumns.map((column) => column.header).join(',');
      const lines = [header];
      for (const code of codes) {
        for (let month = 0; month < MONTHS; month++) {
          const label = `${2020 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
          lines.push(`${code},${label},1000.00,500.00,0,10,3,1`);
        }
      }
      const csv = Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');

      const port = await freePort();
      const server = await startServer(where, port);
      child = server.child;
      const base = `http://127.0.0.1:${port}`;
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'county.yuanqu', password: DEMO_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
      const started = await fetch(`${base}/api/stats/monthly/import?fileName=crash.csv`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/octet-stream' },
        body: csv,
      });
      expect(started.status, await started.clone().text()).toBe(202);
      const { id } = (await started.json()) as { id: string };

      // Wait until the job writes to the database, then cut the server off mid-write. On PostgreSQL the
      // job says so; PGlite has one connection, which the import's transaction holds while it writes, so
      // there a progress request that gets no answer (after the file was checked) means the write is on.
      const deadline = Date.now() + 120_000;
      let writing = false;
      let checked = false;
      while (!writing && Date.now() < deadline) {
        try {
          const response = await fetch(`${base}/api/jobs/${id}`, {
            headers: { cookie },
            signal: AbortSignal.timeout(1500),
          });
          const job = (await response.json()) as {
            status: string;
            stage: string;
            progress: { done: number };
          };
          expect(job.status, server.log()).toBe('running');
          writing = job.stage.startsWith('正在写入数据库');
          checked ||= job.progress.done > 0;
        } catch (error) {
          if ((error as Error).name !== 'TimeoutError') throw error;
          writing = checked;
        }
        if (!writing) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(writing).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 150));
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;

      // The database recovers (PGlite from its data folder) and holds none of the file's rows.
      expect(await countRows(where, codes)).toBe(0);
    } finally {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await scratch?.drop();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
