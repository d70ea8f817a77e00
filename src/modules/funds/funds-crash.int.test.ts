// A server killed with SIGKILL while many disbursements are under way leaves a balanced ledger: each
// disbursement is one transaction, which the database rolls back when it recovers. `ezhen funds verify`
// then agrees, and it notices a stored balance changed behind the ledger's back.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { createScratchDatabase } from '../../db/scratch-database.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { DEMO_PASSWORD, testBackends } from '../../test/test-context.ts';

const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const REQUESTS = 300;

type Where = { dataDir: string; databaseUrl?: string | undefined };

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

const environment = (where: Where) => ({
  ...process.env,
  EZHEN_DATA_DIR: where.dataDir,
  DATABASE_URL: where.databaseUrl ?? '',
  EZHEN_DEMO_PASSWORD: DEMO_PASSWORD,
  EZHEN_LOG_LEVEL: 'warn',
});

async function startServer(where: Where, port: number): Promise<ChildProcess> {
  let log = '';
  const child = spawn(process.execPath, ['bin/ezhen.js', 'serve'], {
    cwd: repositoryRoot,
    env: { ...environment(where), PORT: String(port), HOST: '127.0.0.1' },
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
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start:\n${log}`);
}

function verify(where: Where): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/ezhen.js', 'funds', 'verify'],
      { cwd: repositoryRoot, env: environment(where), encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe.each(testBackends)('a server killed during disbursements (%s)', (backend) => {
  it('leaves the ledger balanced, and verify notices a tampered balance', { timeout: 300_000 }, async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'ezhen-funds-crash-'));
    const scratch =
      backend === 'postgres' ? await createScratchDatabase(process.env.TEST_DATABASE_URL as string) : null;
    const where: Where = { dataDir: path.join(folder, 'data'), databaseUrl: scratch?.url };
    let child: ChildProcess | undefined;
    try {
      const port = await freePort();
      child = await startServer(where, port);
      const base = `http://127.0.0.1:${port}`;
      const cookies: Record<string, string> = {};
      for (const username of ['province.admin', 'county.yuanqu', 'enterprise.demo']) {
        const login = await fetch(`${base}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: DEMO_PASSWORD }),
        });
        expect(login.status).toBe(200);
        cookies[username] = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
      }
      const post = async (user: string, url: string, body: unknown, status: number) => {
        const response = await fetch(`${base}/api${url}`, {
          method: 'POST',
          headers: {
            cookie: cookies[user] as string,
            'idempotency-key': randomUUID(),
            ...(Buffer.isBuffer(body)
              ? { 'content-type': 'application/octet-stream' }
              : { 'content-type': 'application/json' }),
          },
          body: Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
        });
        expect(response.status, await response.clone().text()).toBe(status);
        return response.json() as Promise<{ id: string }>;
      };
      const policy = await post(
        'province.admin',
        '/funds/policies',
        {
          name: '崩溃测试政策',
          supportMode: 'project_subsidy',
          source: 'provincial',
          standardKind: 'amount',
          amountYuan: '1000000',
          conditions: '测试',
          documentTitle: '测试文件',
          documentNumber: '测试〔2024〕1号',
          issuedOn: '2024-01-01',
          validFrom: '2024-01-01',
        },
        201,
      );
      await post(
        'province.admin',
        '/funds/allocations',
        {
          etownCode: '140827-E01',
          source: 'provincial',
          amountYuan: '1000000',
          documentReference: '测试下达',
        },
        201,
      );
      const application = await post(
        'enterprise.demo',
        '/funds/applications',
        { policyId: policy.id, title: '崩溃测试', description: '崩溃测试', requestedYuan: '1000000' },
        201,
      );
      await post('enterprise.demo', `/funds/applications/${application.id}/files?fileName=a.pdf`, PDF, 201);
      await post(
        'county.yuanqu',
        `/funds/applications/${application.id}/approve`,
        { approvedYuan: '1000000' },
        200,
      );

      // Many one-yuan instalments at once; cut the server off once they are being written.
      let answered = 0;
      let firstPaid: () => void = () => {};
      const paying = new Promise<void>((resolve) => {
        firstPaid = resolve;
      });
      const requests = Array.from({ length: REQUESTS }, (_, index) =>
        fetch(`${base}/api/funds/applications/${application.id}/disbursements`, {
          method: 'POST',
          headers: {
            cookie: cookies['county.yuanqu'] as string,
            'content-type': 'application/json',
            'idempotency-key': randomUUID(),
          },
          body: JSON.stringify({ amountYuan: '1', paidOn: shanghaiToday(), voucherNumber: `PZ-${index}` }),
        }).then(
          (response) => {
            if (response.status === 201) {
              answered += 1;
              firstPaid();
            }
          },
          () => undefined,
        ),
      );
      await paying;
      await new Promise((resolve) => setTimeout(resolve, 100));
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      await Promise.all(requests);
      expect(answered).toBeGreaterThan(0);
      expect(answered).toBeLessThan(REQUESTS);

      const verified = await verify(where);
      expect(verified.code, verified.stderr).toBe(0);
      expect(verified.stdout).toContain('资金台账核对无误');

      const database = await openDatabase(where);
      try {
        const disbursements = await database.query<{ instalment: number }>(
          'select instalment from fund_disbursements order by instalment',
        );
        // Every answered instalment is stored; the stored ones are numbered without gaps and all paid.
        expect(disbursements.length).toBeGreaterThanOrEqual(answered);
        expect(disbursements.map((row) => row.instalment)).toEqual(
          Array.from({ length: disbursements.length }, (_, index) => index + 1),
        );
        const [paid] = await database.query<{ balance: string }>(
          `select balance_fen::text as balance from fund_accounts where kind = 'paid'`,
        );
        expect(paid?.balance).toBe(String(disbursements.length * 100));
        console.log(
          `[${backend}] killed after ${answered} answered disbursements; ${disbursements.length} committed`,
        );
        await database.query(`update fund_accounts set balance_fen = balance_fen + 1 where kind = 'paid'`);
      } finally {
        await database.close();
      }
      const tampered = await verify(where);
      expect(tampered.code).toBe(1);
      expect(tampered.stderr).toContain('皋陶乡村e镇·省级财政·已拨付');
      expect(tampered.stderr).toMatch(/存储余额 [\d.]+ 元，分录重算 [\d.]+ 元/);
    } finally {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await scratch?.drop();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
