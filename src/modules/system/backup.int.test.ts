import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type App, buildApp } from '../../http/app.ts';
import {
  createSeededApp,
  createTestContext,
  DEMO_PASSWORD,
  loginAs,
  loginReady,
  nextTotpCode,
  type TestContext,
  testBackends,
} from '../../test/test-context.ts';
import { verifyAuditChain } from '../audit/audit.service.ts';
import { BackupError, backupDatabase, RestoreError, restoreDatabase } from './backup.service.ts';

type TableRows = Record<string, string[]>;

/** Every public table's rows as JSON text, in primary-key order, timestamps rendered in UTC. */
/** The e-town profile's version after the test's edit (the demo seed already imported a ledger). */
let editedVersion = 0;

async function snapshot(context: TestContext): Promise<TableRows> {
  return context.database.db.transaction(async (tx) => {
    await tx.execute(sql.raw(`set local time zone 'UTC'`));
    const rowsOf = async <Row>(query: string) =>
      ((await tx.execute(sql.raw(query))) as unknown as { rows: Row[] }).rows;
    const tables = await rowsOf<{ name: string }>(
      `select tablename as name from pg_tables where schemaname = 'public' order by tablename`,
    );
    const result: TableRows = {};
    for (const { name } of tables) {
      // The versions a restore's own inserts bump come from the target's sequence: not data (ADR 016).
      if (name === 'region_data_versions') continue;
      // Text keys sort byte-wise, so PGlite and a PostgreSQL with another collation agree on the order.
      const keys = await rowsOf<{ column: string; type: string }>(
        `select a.attname as column, format_type(a.atttypid, a.atttypmod) as type
           from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
          where i.indrelid = '"${name}"'::regclass and i.indisprimary order by array_position(i.indkey, a.attnum)`,
      );
      expect(keys.length, `${name} has a primary key`).toBeGreaterThan(0);
      const order = keys
        .map((key) => (key.type === 'text' ? `"${key.column}" collate "C"` : `"${key.column}"`))
        .join(', ');
      const rows = await rowsOf<{ row: string }>(
        `select row_to_json(t)::text as row from (select * from "${name}" order by ${order}) t`,
      );
      result[name] = rows.map((row) => row.row);
    }
    return result;
  });
}

const rowCount = (rows: TableRows) => Object.values(rows).reduce((sum, table) => sum + table.length, 0);

/** The restore may only add its own audit record (and move the chain head, where there is one, to it). */
function expectRestoredCopy(source: TableRows, target: TableRows) {
  expect(Object.keys(target)).toEqual(Object.keys(source));
  const sourceAudit = source.audit_log as string[];
  const targetAudit = target.audit_log as string[];
  expect(targetAudit).toHaveLength(sourceAudit.length + 1);
  expect(targetAudit.slice(0, -1)).toEqual(sourceAudit);
  const restoreRecord = JSON.parse(targetAudit.at(-1) as string);
  expect(restoreRecord).toMatchObject({
    action: 'system.restore',
    username: 'system.restore',
    result: 'success',
  });
  expect(restoreRecord.previous_hash).toBe(JSON.parse(sourceAudit.at(-1) as string).hash);
  for (const table of Object.keys(source)) {
    if (table === 'audit_log') continue;
    if (table === 'audit_chain_head') {
      expect(target[table]?.map((row) => JSON.parse(row))).toMatchObject([
        { last_id: restoreRecord.id, hash: restoreRecord.hash },
      ]);
      continue;
    }
    expect(target[table], `table ${table}`).toEqual(source[table]);
  }
}

const expectEmpty = async (context: TestContext) => expect(rowCount(await snapshot(context))).toBe(0);

describe.each(testBackends)('backup and restore from %s', (backend) => {
  let source: TestContext;
  let app: App;
  let folder: string;
  let file: string;
  let auditorTotpSecret: string;
  let sourceRows: TableRows;

  beforeAll(async () => {
    ({ context: source, app } = await createSeededApp(backend));
    folder = mkdtempSync(path.join(tmpdir(), 'ezhen-backup-'));
    file = path.join(folder, 'source.ezbak');

    const county = await loginAs(app, 'county.yuanqu');
    const etown = (
      await app.inject({ method: 'GET', url: '/api/etowns/140827-E01', headers: { cookie: county } })
    ).json();
    const patched = await app.inject({
      method: 'PATCH',
      url: '/api/etowns/140827-E01',
      headers: { cookie: county },
      payload: {
        version: etown.version,
        operatingEntity: '垣曲县皋陶电子商务有限公司',
        landAreaKm2: '1.6125',
      },
    });
    expect(patched.statusCode).toBe(200);
    editedVersion = patched.json().version;

    const [group] = (
      await app.inject({
        method: 'GET',
        url: '/api/leading-groups?regionCode=140827-E01',
        headers: { cookie: county },
      })
    ).json();
    const detail = (
      await app.inject({ method: 'GET', url: `/api/leading-groups/${group.id}`, headers: { cookie: county } })
    ).json();
    const member = detail.members.find((m: { until: string | null }) => m.until === null);
    const replaced = await app.inject({
      method: 'POST',
      url: `/api/leading-groups/${group.id}/members/${member.id}/replace`,
      headers: { cookie: county },
      payload: { personName: '王接任', effectiveOn: '2025-03-01', note: '工作变动，接任者自行替补' },
    });
    expect(replaced.statusCode).toBe(200);

    const province = await loginAs(app, 'province.admin');
    const xiaxian = await app.inject({
      method: 'GET',
      url: '/api/regions/140828',
      headers: { cookie: province },
    });
    const tier = await app.inject({
      method: 'PUT',
      url: '/api/regions/140828/tier',
      headers: { cookie: province },
      payload: { tier: 'pilot_demo', reason: '夏县列为先行示范县', version: xiaxian.json().version },
    });
    expect(tier.statusCode).toBe(200);

    auditorTotpSecret = (await loginReady(app, 'auditor')).totpSecret as string;
    await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'etown.gaotao', password: 'Wrong-password-1' },
    });

    sourceRows = await snapshot(source);
    const summary = await backupDatabase(source, file);
    expect(summary.tables.audit_log).toBe(sourceRows.audit_log?.length);
  });

  afterAll(async () => {
    await app?.close();
    await source?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('took a snapshot that has the writes in it', () => {
    const profile = sourceRows.etown_profiles
      ?.map((row) => JSON.parse(row))
      .find((p) => p.code === '140827-E01');
    expect(profile).toMatchObject({
      operating_entity: '垣曲县皋陶电子商务有限公司',
      land_area_km2: 1.6125,
      version: editedVersion,
    });
    const successor = sourceRows.leading_group_members
      ?.map((row) => JSON.parse(row))
      .find((m) => m.person_name === '王接任');
    expect(successor?.replaces_id).toEqual(expect.any(String));
    expect(sourceRows.login_throttles).toHaveLength(1);
    expect(sourceRows.county_tier_changes?.length).toBeGreaterThanOrEqual(3);
  });

  describe.each(testBackends)('into a fresh %s database', (targetBackend) => {
    let target: TestContext;
    let restoredApp: App | undefined;
    beforeAll(async () => {
      target = await createTestContext(targetBackend);
    });
    afterAll(async () => {
      await restoredApp?.close();
      await target?.close();
    });

    it('brings back every row, with only the restore itself added to the audit chain', async () => {
      const summary = await restoreDatabase(target, file);
      expect(summary.tables.users).toBe(sourceRows.users?.length);
      expectRestoredCopy(sourceRows, await snapshot(target));
      expect(await verifyAuditChain(target.database.db)).toEqual({
        ok: true,
        records: (sourceRows.audit_log?.length ?? 0) + 1,
      });
    });

    it('keeps working afterwards: logins (with TOTP), new ids from the moved sequences, the edited e-town', async () => {
      restoredApp = await buildApp(target);
      await restoredApp.ready();
      const county = await loginAs(restoredApp, 'county.yuanqu');
      const etown = await restoredApp.inject({
        method: 'GET',
        url: '/api/etowns/140827-E01',
        headers: { cookie: county },
      });
      expect(etown.json()).toMatchObject({
        operatingEntity: '垣曲县皋陶电子商务有限公司',
        version: editedVersion,
      });

      const auditorLogin = await restoredApp.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: {
          username: 'auditor',
          password: DEMO_PASSWORD,
          totp: nextTotpCode('auditor', auditorTotpSecret),
        },
      });
      expect(auditorLogin.statusCode).toBe(200);

      const province = await loginAs(restoredApp, 'province.admin');
      const pinglu = await restoredApp.inject({
        method: 'GET',
        url: '/api/regions/140829',
        headers: { cookie: province },
      });
      const tier = await restoredApp.inject({
        method: 'PUT',
        url: '/api/regions/140829/tier',
        headers: { cookie: province },
        payload: { tier: 'overall_advance', reason: '平陆县列为整体推进县', version: pinglu.json().version },
      });
      expect(tier.statusCode).toBe(200);

      const after = await snapshot(target);
      const ids = (after.audit_log ?? []).map((row) => JSON.parse(row).id as number);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeGreaterThan((sourceRows.audit_log?.length ?? 0) + 3);
      const tierIds = (after.county_tier_changes ?? []).map((row) => JSON.parse(row).id as number);
      expect(Math.max(...tierIds)).toBe(tierIds.length);
      expect((await verifyAuditChain(target.database.db)).ok).toBe(true);
    });
  });

  it('refuses to restore into a database that has data, and changes nothing there', async () => {
    const before = await snapshot(source);
    await expect(restoreDatabase(source, file)).rejects.toThrow(RestoreError);
    await expect(restoreDatabase(source, file)).rejects.toThrow('不是空库');
    expect(await snapshot(source)).toEqual(before);
  });

  describe('with a damaged file, writes nothing at all', () => {
    let target: TestContext;
    beforeAll(async () => {
      target = await createTestContext(backend);
    });
    afterAll(async () => {
      await target?.close();
    });

    const damaged = (name: string, bytes: Buffer) => {
      const damagedFile = path.join(folder, name);
      writeFileSync(damagedFile, bytes);
      return damagedFile;
    };
    const original = () => readFileSync(file);
    const lines = () => gunzipSync(original()).toString('utf8').split('\n');

    it('a file cut off part way', async () => {
      for (const fraction of [0.5, 0.9]) {
        const bytes = original();
        const cut = damaged(`cut-${fraction}.ezbak`, bytes.subarray(0, Math.floor(bytes.length * fraction)));
        await expect(restoreDatabase(target, cut)).rejects.toThrow(RestoreError);
        await expectEmpty(target);
      }
    });

    it('a file with a flipped byte', async () => {
      const bytes = Buffer.from(original());
      const at = Math.floor(bytes.length * 0.6);
      bytes[at] = (bytes[at] as number) ^ 0xff;
      await expect(restoreDatabase(target, damaged('flipped.ezbak', bytes))).rejects.toThrow(RestoreError);
      await expectEmpty(target);
    });

    it('a file whose last data block is cut mid-row', async () => {
      const all = lines().filter(Boolean);
      const last = all.at(-1) as string;
      const text = [...all.slice(0, -1), last.slice(0, Math.floor(last.length / 2))].join('\n');
      const broken = damaged('broken-line.ezbak', gzipSync(text));
      await expect(restoreDatabase(target, broken)).rejects.toThrow('数据块格式不正确');
      await expectEmpty(target);
    });

    it('a file missing the regions block, so later rows break foreign keys after earlier ones went in', async () => {
      const text = lines()
        .filter((line) => !line.startsWith('{"table":"regions"'))
        .join('\n');
      await expect(restoreDatabase(target, damaged('no-regions.ezbak', gzipSync(text)))).rejects.toThrow();
      await expectEmpty(target);
    });

    it('not a backup at all, or not a file', async () => {
      await expect(restoreDatabase(target, damaged('plain.ezbak', Buffer.from('hello')))).rejects.toThrow(
        '不是有效的 EZhen 备份文件',
      );
      await expect(restoreDatabase(target, folder)).rejects.toThrow(RestoreError);
      await expect(restoreDatabase(target, path.join(folder, 'missing.ezbak'))).rejects.toThrow(RestoreError);
      await expectEmpty(target);
    });

    it('and the same database then takes the intact backup', async () => {
      await restoreDatabase(target, file);
      expectRestoredCopy(sourceRows, await snapshot(target));
    });
  });

  it('reports a backup that cannot be written, in Chinese, without hanging or leaving a file', async () => {
    const missingFolder = path.join(folder, 'no-such-folder', 'x.ezbak');
    await expect(backupDatabase(source, missingFolder)).rejects.toThrow(BackupError);
    await expect(backupDatabase(source, missingFolder)).rejects.toThrow('无法写入备份文件');
    if (existsSync('/dev/full')) {
      // A full disk: the write fails part way through the snapshot.
      await expect(backupDatabase(source, '/dev/full')).rejects.toThrow(/无法写入备份文件.*ENOSPC/);
      expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
    }
    const closed = await createTestContext(backend);
    await closed.close();
    const unfinished = path.join(folder, 'unfinished.ezbak');
    await expect(backupDatabase(closed, unfinished)).rejects.toThrow();
    expect(existsSync(unfinished)).toBe(false);
  });

  it('refuses a restore under another SM4 key, since the enrolled TOTP secrets could not be read', async () => {
    const target = await createTestContext(backend);
    try {
      const otherKey = { ...target, secretKeyHex: 'fedcba9876543210fedcba9876543210' };
      await expect(restoreDatabase(otherKey, file)).rejects.toThrow('secret.key');
      await expectEmpty(target);
    } finally {
      await target.close();
    }
  });
});
