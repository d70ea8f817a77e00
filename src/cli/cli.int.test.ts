import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { buildApp } from '../http/app.ts';
import { passwordProblems } from '../modules/accounts/password.ts';
import { openContext } from '../runtime.ts';
import { DEMO_PASSWORD, loginAs } from '../test/test-context.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const folders: string[] = [];
const temporaryFolder = (prefix: string) => {
  const folder = mkdtempSync(path.join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
};
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

type Run = { code: number; stdout: string; stderr: string };

/** `node bin/ezhen.js …` with its own data folder; the test's own DATABASE_URL must not leak in. */
function ezhen(dataDir: string, ...args: string[]): Promise<Run> {
  return ezhenWith({ EZHEN_DATA_DIR: dataDir }, ...args);
}

function ezhenWith(overrides: Record<string, string>, ...args: string[]): Promise<Run> {
  const { DATABASE_URL: _ignored, ...environment } = process.env;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/ezhen.js', ...args],
      {
        cwd: repoRoot,
        env: { ...environment, EZHEN_DEMO_PASSWORD: DEMO_PASSWORD, ...overrides },
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs the commands a few at a time: each is a Node process, and the machine has two cores. */
async function inBatches<T>(items: T[], run: (item: T) => Promise<Run>, size = 4): Promise<Run[]> {
  const results: Run[] = [];
  for (let i = 0; i < items.length; i += size) {
    results.push(...(await Promise.all(items.slice(i, i + size).map(run))));
  }
  return results;
}

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

/** A failure explained in one line of Chinese, not a stack trace. */
function expectOneLineError(run: Run, code: number) {
  expect(run.code, run.stderr).toBe(code);
  expect(lines(run.stderr)).toHaveLength(1);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr).toMatch(/^ezhen: /);
}

describe('the ezhen command', () => {
  const helpTargets = [
    [],
    ['serve'],
    ['migrate'],
    ['seed'],
    ['user'],
    ['user', 'create'],
    ['user', 'reset-password'],
    ['user', 'lock'],
    ['user', 'unlock'],
    ['audit'],
    ['audit', 'verify'],
    ['key'],
    ['key', 'rotate'],
    ['backup'],
    ['restore'],
    ['audit', 'anchor'],
    ['audit', 'anchors', 'export'],
  ];

  it('explains every command and subcommand with --help, touching no database', async () => {
    const dataDir = path.join(temporaryFolder('ezhen-cli-help-'), 'data');
    const runs = await inBatches(helpTargets, (command) => ezhen(dataDir, ...command, '--help'));
    runs.forEach((run, index) => {
      const command = helpTargets[index]?.join(' ') ?? '';
      expect(run.code, `${command} --help: ${run.stderr}`).toBe(0);
      expect(run.stdout, command).toContain('用法');
      expect(run.stdout, command).toContain(`ezhen ${command}`.trim());
      expect(run.stderr, command).toBe('');
    });
    const helpOf = (command: string) =>
      runs[helpTargets.findIndex((target) => target.join(' ') === command)]?.stdout;
    expect(helpOf('user create')).toContain('county_operator');
    expect(helpOf('backup')).toContain('--force');
    expect(existsSync(dataDir)).toBe(false);
  }, 240_000);

  it('refuses a wrong command line with exit status 2 and one line of explanation', async () => {
    const dataDir = path.join(temporaryFolder('ezhen-cli-usage-'), 'data');
    const cases: [string[], string][] = [
      [[], '缺少命令'],
      [['user'], '缺少子命令'],
      [['bogus'], '未知命令 "bogus"'],
      [['migrate', '--bogus'], '未知选项 --bogus'],
      [['backup'], '缺少参数'],
      [['restore', path.join(dataDir, 'missing.ezbak')], '不存在'],
      [['user', 'bogus'], '未知子命令 "bogus"'],
      [['user', 'lock'], '缺少参数'],
      [
        ['user', 'create', '--username', 'test.clerk', '--name', '测试', '--role', 'nosuchrole'],
        '未知角色 "nosuchrole"',
      ],
      [['user', 'create', '--username'], '选项 --username 缺少值'],
      [['seed'], '--demo'],
    ];
    const runs = await inBatches(cases, ([args]) => ezhen(dataDir, ...args));
    runs.forEach((run, index) => {
      const [args, message] = cases[index] as [string[], string];
      expectOneLineError(run, 2);
      expect(run.stderr, args.join(' ')).toContain(message);
    });
    expect(existsSync(dataDir)).toBe(false);
  }, 240_000);

  it('stops at start-up when the data folder cannot be written, naming the folder and the variable', async () => {
    const blocked = temporaryFolder('ezhen-cli-blocked-');
    const file = path.join(blocked, 'a-file');
    writeFileSync(file, 'not a folder');
    const run = await ezhen(path.join(file, 'data'), 'migrate');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('EZHEN_DATA_DIR');
    expect(run.stderr).toContain(path.join(file, 'data'));
    expect(run.stderr).toContain('无法创建或写入');
  }, 60_000);

  it('runs a whole round: migrate, seed, manage a user, verify the audit chain, back up and restore elsewhere', async () => {
    const dataDir = temporaryFolder('ezhen-cli-data-');
    const backupFile = path.join(temporaryFolder('ezhen-cli-backup-'), 'round.ezbak');

    const migrated = await ezhen(dataDir, 'migrate');
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toContain('写入区划 129 条');

    const seeded = await ezhen(dataDir, 'seed', '--demo');
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toContain('county.yuanqu');
    expect(seeded.stdout).toContain('(EZHEN_DEMO_PASSWORD)');

    const badScope = await ezhen(
      dataDir,
      ...['user', 'create', '--username', 'bad.clerk', '--name', '测试', '--role', 'county_operator'],
      ...['--scope', '1408'],
    );
    expectOneLineError(badScope, 1);
    expect(badScope.stderr).toContain('scopeRegionCode');
    expect(badScope.stderr).toContain('县级');

    const created = await ezhen(
      dataDir,
      ...['user', 'create', '--username', 'test.clerk', '--name', '测试', '--role', 'county_operator'],
      ...['--scope', '140827'],
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('已创建用户 test.clerk');
    const firstPassword = /临时密码：(\S+?)（/.exec(created.stdout)?.[1] as string;
    expect(passwordProblems(firstPassword, 'test.clerk')).toEqual([]);

    const locked = await ezhen(dataDir, 'user', 'lock', 'test.clerk');
    expect(locked.code, locked.stderr).toBe(0);
    expect(locked.stdout).toContain('已锁定 test.clerk');
    const unlocked = await ezhen(dataDir, 'user', 'unlock', 'test.clerk');
    expect(unlocked.code, unlocked.stderr).toBe(0);
    expect(unlocked.stdout).toContain('已解锁 test.clerk');
    const reset = await ezhen(dataDir, 'user', 'reset-password', 'test.clerk');
    expect(reset.code, reset.stderr).toBe(0);
    const secondPassword = /临时密码：(\S+?)（/.exec(reset.stdout)?.[1] as string;
    expect(secondPassword).not.toBe(firstPassword);
    const unknown = await ezhen(dataDir, 'user', 'lock', 'no.such.user');
    expectOneLineError(unknown, 1);
    expect(unknown.stderr).toContain('用户 no.such.user 不存在');

    const verified = await ezhen(dataDir, 'audit', 'verify');
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain('完整');
    const records = Number(/共 (\d+) 条记录/.exec(verified.stdout)?.[1]);
    // seed + 13 demo accounts + the demo ledger's import + create, lock, unlock, reset-password
    expect(records).toBe(19);

    const anchored = await ezhen(dataDir, 'audit', 'anchor');
    expect(anchored.code, anchored.stderr).toBe(0);
    expect(anchored.stdout).toContain('已写入链锚');
    const exported = await ezhen(dataDir, 'audit', 'anchors', 'export');
    expect(exported.code, exported.stderr).toBe(0);
    expect(lines(exported.stdout)).toHaveLength(1);
    expect(JSON.parse(exported.stdout)).toMatchObject({ lastId: expect.any(Number) });
    const verifiedAnchored = await ezhen(dataDir, 'audit', 'verify');
    expect(verifiedAnchored.stdout).toContain('与 1 个链锚相符');

    const backedUp = await ezhen(dataDir, 'backup', backupFile);
    expect(backedUp.code, backedUp.stderr).toBe(0);
    expect(backedUp.stdout).toContain(backupFile);
    const again = await ezhen(dataDir, 'backup', backupFile);
    expectOneLineError(again, 2);
    expect(again.stderr).toContain('--force');

    // The backup holds no key: under another key the restore refuses and writes nothing.
    const otherDataDir = temporaryFolder('ezhen-cli-restored-');
    const wrongKey = await ezhen(otherDataDir, 'restore', backupFile);
    expectOneLineError(wrongKey, 1);
    expect(wrongKey.stderr).toContain('secret.key');
    copyFileSync(path.join(dataDir, 'secret.key'), path.join(otherDataDir, 'secret.key'));
    const restored = await ezhen(otherDataDir, 'restore', backupFile);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain('恢复');
    const verifiedThere = await ezhen(otherDataDir, 'audit', 'verify');
    expect(verifiedThere.code, verifiedThere.stderr).toBe(0);
    expect(verifiedThere.stdout).toContain(`审计日志哈希链完整，共 ${records + 1} 条记录`);

    // The restored copy holds what the commands did: only the reset password opens test.clerk's account.
    const context = await openContext(loadConfig({ EZHEN_DATA_DIR: otherDataDir }));
    const app = await buildApp(context);
    try {
      await app.ready();
      const wrong = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'test.clerk', password: firstPassword },
      });
      expect(wrong.statusCode).toBe(401);
      const cookie = await loginAs(app, 'test.clerk', secondPassword);
      const me = (await app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).json();
      expect(me).toMatchObject({
        username: 'test.clerk',
        mustChangePassword: true,
        scope: { label: '垣曲县' },
      });
      await loginAs(app, 'county.yuanqu');
    } finally {
      await app.close();
      await context.database.close();
    }
  }, 300_000);

  it.runIf(process.env.TEST_DATABASE_URL)(
    'works on PostgreSQL through DATABASE_URL, and its backup restores into a PGlite data folder',
    async () => {
      const name = `ezhen_cli_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`create database ${name}`);
      const url = new URL(process.env.TEST_DATABASE_URL as string);
      url.pathname = `/${name}`;
      const postgres = { DATABASE_URL: url.toString(), EZHEN_DATA_DIR: temporaryFolder('ezhen-cli-pg-') };
      try {
        const migrated = await ezhenWith(postgres, 'migrate');
        expect(migrated.code, migrated.stderr).toBe(0);
        expect(migrated.stdout).toContain('数据库迁移完成（postgres）');
        expect((await ezhenWith(postgres, 'seed', '--demo')).code).toBe(0);
        const verified = await ezhenWith(postgres, 'audit', 'verify');
        // seed + 13 demo accounts + the demo ledger's import
        expect(verified.stdout).toContain('审计日志哈希链完整，共 15 条记录');
        const backupFile = path.join(temporaryFolder('ezhen-cli-pg-backup-'), 'pg.ezbak');
        const backedUp = await ezhenWith(postgres, 'backup', backupFile);
        expect(backedUp.code, backedUp.stderr).toBe(0);
        const intoItself = await ezhenWith(postgres, 'restore', backupFile);
        expectOneLineError(intoItself, 1);
        expect(intoItself.stderr).toContain('不是空库');

        const pgliteDir = temporaryFolder('ezhen-cli-from-pg-');
        copyFileSync(path.join(postgres.EZHEN_DATA_DIR, 'secret.key'), path.join(pgliteDir, 'secret.key'));
        const restored = await ezhen(pgliteDir, 'restore', backupFile);
        expect(restored.code, restored.stderr).toBe(0);
        expect(restored.stdout).toContain('（pglite）');
        const verifiedThere = await ezhen(pgliteDir, 'audit', 'verify');
        expect(verifiedThere.stdout).toContain('审计日志哈希链完整，共 16 条记录');
      } finally {
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    },
    240_000,
  );
});
