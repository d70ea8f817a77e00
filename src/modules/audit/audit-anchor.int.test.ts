import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/app.ts';
import {
  createSeededApp,
  loginAs,
  loginReady,
  type TestContext,
  testBackends,
} from '../../test/test-context.ts';
import { verifyAuditChain } from './audit.service.ts';
import { AUDIT_ANCHOR_FILE, anchorAuditChain, verifyAuditChainAnchored } from './audit-anchor.service.ts';

describe.each(testBackends)('audit chain anchors on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let auditor: string;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'ezhen-anchors-'));
    ({ app, context } = await createSeededApp(backend, { EZHEN_DATA_DIR: dataDir }));
    ({ cookie: auditor } = await loginReady(app, 'auditor'));
  });
  afterAll(async () => {
    await app.close();
    await context.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const query = (sqlText: string) => context.database.query(sqlText);
  const verifyRoute = async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/audit/verify',
      headers: { cookie: auditor },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { ok: boolean; records: number; reason?: string; anchors?: number };
  };
  const anchorFile = () => path.join(dataDir, AUDIT_ANCHOR_FILE);

  it('anchors the chain head to a file outside the database, once per change (or per day)', async () => {
    const first = await anchorAuditChain(context);
    expect(first.written).toBe(true);
    const [head] = (await query('select last_id, hash from audit_chain_head')) as [
      { last_id: number; hash: string },
    ];
    // PostgreSQL returns a bigint as text.
    expect(first).toMatchObject({ anchor: { lastId: Number(head.last_id), headHash: head.hash } });
    expect(await anchorAuditChain(context)).toEqual({ written: false, reason: 'unchanged' });
    await loginAs(app, 'county.yuanqu');
    expect(await anchorAuditChain(context, { oncePerDay: true })).toEqual({
      written: false,
      reason: 'anchored_today',
    });
    expect((await anchorAuditChain(context)).written).toBe(true);
    expect(readFileSync(anchorFile(), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('verifies an untouched chain against its anchors, and lets the auditor export them', async () => {
    await loginAs(app, 'city.yuncheng');
    expect(await verifyRoute()).toMatchObject({ ok: true, anchors: 2 });
    const exported = await app.inject({
      method: 'GET',
      url: '/api/audit/anchors',
      headers: { cookie: auditor },
    });
    expect(exported.statusCode).toBe(200);
    const { anchors } = exported.json() as { anchors: { lastId: number; mac: string }[] };
    expect(anchors).toHaveLength(2);
    expect(anchors[0]?.mac).toMatch(/^[0-9a-f]{64}$/);
    const county = await loginAs(app, 'county.yuanqu');
    const refused = await app.inject({
      method: 'GET',
      url: '/api/audit/anchors',
      headers: { cookie: county },
    });
    expect(refused.statusCode).toBe(403);
  });

  it('reports an anchor changed in the file', async () => {
    const original = readFileSync(anchorFile(), 'utf8');
    const lines = original.trim().split('\n');
    const edited = { ...JSON.parse(lines[1] as string), lastId: 1 };
    writeFileSync(anchorFile(), `${lines[0]}\n${JSON.stringify(edited)}\n`);
    const result = await verifyRoute();
    expect(result.ok).toBe(false);
    expect(result.reason).toContain('校验码不符');
    writeFileSync(anchorFile(), original);
    expect((await verifyRoute()).ok).toBe(true);
  });

  it('reports a tail cut short behind the triggers even though the head was reset to match', async () => {
    await anchorAuditChain(context);
    const [anchored] = (await query('select last_id from audit_chain_head')) as [{ last_id: number }];
    // The database owner deletes the newest records and moves the head back to the last one kept.
    const keepThrough = Number(anchored.last_id) - 3;
    await query('alter table audit_log disable trigger audit_log_no_update_delete');
    try {
      await query(`delete from audit_log where id > ${keepThrough}`);
    } finally {
      await query('alter table audit_log enable trigger audit_log_no_update_delete');
    }
    await query(
      `update audit_chain_head set last_id = ${keepThrough}, hash = (select hash from audit_log where id = ${keepThrough})`,
    );
    // The chain alone looks whole: that is the gap the anchors close.
    expect((await verifyAuditChain(context.database.db)).ok).toBe(true);
    const result = await verifyAuditChainAnchored(context);
    expect(result).toMatchObject({ ok: false, brokenAtId: keepThrough + 1 });
    expect(result.ok ? '' : result.reason).toContain('链尾被截断');
    expect((await verifyRoute()).reason).toContain('链尾被截断');
  });
});
