import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../db/client.ts';
import { createScratchDatabase } from '../db/scratch-database.ts';
import { verifyAuditChain } from '../modules/audit/audit.service.ts';
import { DEMO_PASSWORD } from '../test/test-context.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SECRET_KEY = '00112233445566778899aabbccddeeff';

type Instance = { process: ChildProcess; url: string; output: () => string; exited: Promise<number | null> };

/**
 * `ezhen serve` as a process of its own, on a free port, sharing the database and the data folder (files,
 * job results, the key) with the others, as docs/scaling.md sets them up.
 */
async function startInstance(databaseUrl: string, dataDir: string, name: string): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, 'bin', 'ezhen.js'), 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      EZHEN_DATA_DIR: dataDir,
      EZHEN_SECRET_KEY: SECRET_KEY,
      EZHEN_DEMO_PASSWORD: DEMO_PASSWORD,
      EZHEN_PUBLIC_URL: 'https://ez.example.cn',
      EZHEN_LOG_LEVEL: 'warn',
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance ${name} did not start:\n${output}`)), 90_000);
    const check = () => {
      const started = /已启动：(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (!started) return;
      clearTimeout(timer);
      child.stdout?.off('data', check);
      resolve({ process: child, url: started[1] as string, output: () => output, exited });
    };
    child.stdout?.on('data', check);
    void exited.then((code) => reject(new Error(`instance ${name} exited with ${code}:\n${output}`)));
  });
}

/** A port nothing listens on now (the system's pick, released at once for the server to take). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

type Answer = { status: number; body: string; cookie: string | null };

async function send(
  instance: Instance,
  method: 'GET' | 'POST',
  url: string,
  options: { cookie?: string; body?: object } = {},
): Promise<Answer> {
  const response = await fetch(`${instance.url}${url}`, {
    method,
    headers: {
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...(options.body ? { 'content-type': 'application/json' } : {}),
    },
    ...(options.body ? { body: JSON.stringify(options.body) } : {}),
  });
  const session = /ezhen_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '');
  return { status: response.status, body: await response.text(), cookie: session?.[0] ?? null };
}

/**
 * Several servers behind a load balancer on one PostgreSQL database (docs/scaling.md): they start together
 * on an empty database, and sessions, lockout, scan counts and the audit chain are the database's, not one
 * process's. PGlite is one process's database by design, so this runs where PostgreSQL is (CI has it).
 */
describe.runIf(process.env.TEST_DATABASE_URL)('two server instances on one PostgreSQL database', () => {
  let scratch: { url: string; drop: () => Promise<void> };
  let database: DatabaseHandle;
  let instances: Instance[] = [];
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ezhen-instances-'));

  beforeAll(async () => {
    scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL as string);
    // Both start at once on the empty database: they take turns to migrate, and only one seeds.
    instances = await Promise.all([
      startInstance(scratch.url, dataDir, 'a'),
      startInstance(scratch.url, dataDir, 'b'),
    ]);
    database = await openDatabase({ databaseUrl: scratch.url });
  }, 180_000);

  afterAll(async () => {
    for (const instance of instances) instance.process.kill('SIGKILL');
    await database?.close();
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts both on an empty database, the demo data written once', async () => {
    const seeded = instances.filter((instance) => instance.output().includes('已写入演示数据'));
    expect(seeded).toHaveLength(1);
    const [users] = await database.query<{ count: number }>(
      "select count(*)::int as count from users where username = 'county.yuanqu'",
    );
    expect(users?.count).toBe(1);
  });

  it('honours a session made on one instance on the other, and a logout on either', async () => {
    const [a, b] = instances as [Instance, Instance];
    const login = await send(a, 'POST', '/api/auth/login', {
      body: { username: 'county.yuanqu', password: DEMO_PASSWORD },
    });
    expect(login.status, login.body).toBe(200);
    const cookie = login.cookie as string;
    const me = await send(b, 'GET', '/api/me', { cookie });
    expect(me.status, me.body).toBe(200);
    expect(JSON.parse(me.body)).toMatchObject({ username: 'county.yuanqu' });
    expect((await send(b, 'POST', '/api/auth/logout', { cookie, body: {} })).status).toBeLessThan(300);
    expect((await send(a, 'GET', '/api/me', { cookie })).status).toBe(401);
  });

  it('locks an account after five failures spread over both instances', async () => {
    const [a, b] = instances as [Instance, Instance];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const wrong = await send(attempt % 2 === 0 ? a : b, 'POST', '/api/auth/login', {
        body: { username: 'etown.gaotao', password: 'Wrong-Password-2026!' },
      });
      expect(wrong.status).toBe(attempt === 4 ? 423 : 401);
    }
    const right = await send(b, 'POST', '/api/auth/login', {
      body: { username: 'etown.gaotao', password: DEMO_PASSWORD },
    });
    expect(right.status).toBe(423);
    expect(JSON.parse(right.body).error.code).toBe('account_locked');
  });

  it('counts every scan sent to either instance, and keeps one intact audit chain', async () => {
    const [code] = await database.query<{ code: string; run_id: string }>(
      'select code, run_id from trace_codes order by serial limit 1',
    );
    const scanned = async () => {
      const [row] = await database.query<{ scans: number }>(
        'select coalesce((select scan_count from code_scans where code = $1), 0)::int as scans',
        [code?.code],
      );
      const [tally] = await database.query<{ scans: number }>(
        'select coalesce(sum(scans), 0)::int as scans from scan_tallies where run_id = $1',
        [code?.run_id],
      );
      return { code: row?.scans ?? 0, tallies: tally?.scans ?? 0 };
    };
    const before = await scanned();
    const SCANS = 62;
    for (let index = 0; index < SCANS; index += 8) {
      const wave = Array.from({ length: Math.min(8, SCANS - index) }, (_, offset) =>
        send(instances[(index + offset) % 2] as Instance, 'GET', `/t/${code?.code}`),
      );
      for (const answer of await Promise.all(wave)) expect(answer.status).toBe(200);
    }
    // Logins on both at once: each appends to the one chain.
    await Promise.all(
      instances.flatMap((instance) =>
        ['city.yuncheng', 'county.yuanqu'].map((username) =>
          send(instance, 'POST', '/api/auth/login', { body: { username, password: DEMO_PASSWORD } }),
        ),
      ),
    );
    // A stopping server writes the scans it buffered.
    for (const instance of instances) instance.process.kill('SIGTERM');
    expect(await Promise.all(instances.map((instance) => instance.exited))).toEqual([0, 0]);
    const after = await scanned();
    expect(after.code - before.code).toBe(SCANS);
    expect(after.tallies - before.tallies).toBe(SCANS);

    const chain = await verifyAuditChain(database.db);
    expect(chain).toMatchObject({ ok: true });
  }, 120_000);
});
