import type { IncomingMessage, ServerResponse } from 'node:http';
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  brandAuthorizations,
  codeScans,
  productBatches,
  scanTallies,
  traceCodes,
} from '../../db/schema/traceability.ts';
import { type App, buildApp } from '../../http/app.ts';
import { shanghaiMinute } from '../../lib/china-date.ts';
import {
  createSeededApp,
  loginAs,
  loginReady,
  type TestContext,
  testBackends,
} from '../../test/test-context.ts';
import { waitForJobs } from '../jobs/jobs.service.ts';
import { invalidateScanPages } from './scan-cache.ts';
import { scanPages } from './scan-page.routes.ts';
import { flushScans, scanRecorderFor } from './scan-recorder.ts';
import { deriveTraceMacKey, TraceCodeSigner, traceCodeSigner } from './trace-code.ts';
import { buildTracedProduct } from './trace-fixtures.ts';

const PUBLIC_URL = 'https://ez.example.cn';
const WECHAT = 'Mozilla/5.0 (Linux; Android 13) MicroMessenger/8.0.47';

describe.each(testBackends)('trace codes and the scan page on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let county: string;
  let otherCounty: string;
  let province: string;
  const signer = traceCodeSigner(deriveTraceMacKey('0123456789abcdef0123456789abcdef'));

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend, { EZHEN_PUBLIC_URL: PUBLIC_URL }));
    county = await loginAs(app, 'county.yuanqu');
    otherCounty = await loginAs(app, 'county.other');
    province = (await loginReady(app, 'province.admin')).cookie;
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const product = (options: Parameters<typeof buildTracedProduct>[1] = { etownCode: '140827-E01' }) =>
    buildTracedProduct(context.database.db, options);

  /** Generates codes through the API and waits for the job; returns the job's summary. */
  async function generate(batchId: string, count: number, cookie = county) {
    const response = await app.inject({
      method: 'POST',
      url: `/api/trace/batches/${batchId}/runs`,
      headers: { cookie },
      payload: { count },
    });
    expect(response.statusCode, response.body).toBe(202);
    await waitForJobs(context);
    const job = (
      await app.inject({ method: 'GET', url: `/api/jobs/${response.json().id}`, headers: { cookie } })
    ).json();
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    return job.summary as { runId: string; runNumber: number; firstSerial: number; lastSerial: number };
  }

  const scan = (code: string, userAgent = WECHAT) =>
    app.inject({ method: 'GET', url: `/t/${code}`, headers: { 'user-agent': userAgent } });

  /** The province saves the scan rules it loaded (with their version). */
  async function setTraceRules(excessiveScanThreshold: number) {
    const loaded = await app.inject({
      method: 'GET',
      url: '/api/trace/rules',
      headers: { cookie: province },
    });
    const saved = await app.inject({
      method: 'PUT',
      url: '/api/trace/rules',
      headers: { cookie: province },
      payload: { excessiveScanThreshold, version: loaded.json().version },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    return saved;
  }

  it('generates a run in the background whose codes verify, with serials continuing across runs', async () => {
    const { batchId } = await product();
    const first = await generate(batchId, 5);
    expect(first).toMatchObject({ firstSerial: 1, lastSerial: 5 });
    const second = await generate(batchId, 3);
    expect(second).toMatchObject({ firstSerial: 6, lastSerial: 8 });

    const csv = await app.inject({
      method: 'GET',
      url: `/api/trace/runs/${first.runId}/codes.csv`,
      headers: { cookie: county },
    });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('追溯码,网址,序号,产品,批次');
    expect(lines).toHaveLength(6);
    const rows = await context.database.db
      .select({ code: traceCodes.code, serial: traceCodes.serial })
      .from(traceCodes)
      .where(eq(traceCodes.runId, first.runId));
    for (const line of lines.slice(1)) {
      const [code, url, serial] = line.split(',');
      expect(url).toBe(`${PUBLIC_URL}/t/${code}`);
      expect(signer.decode(code as string)).toMatchObject({
        runNumber: first.runNumber,
        serial: Number(serial),
      });
      expect(rows).toContainEqual({ code, serial: Number(serial) });
    }
    expect(rows).toHaveLength(5);
  });

  it('refuses bad counts, batches outside the scope (404) and recalled batches (409)', async () => {
    const { batchId } = await product();
    for (const count of [0, 1_000_001, 2.5]) {
      const response = await app.inject({
        method: 'POST',
        url: `/api/trace/batches/${batchId}/runs`,
        headers: { cookie: county },
        payload: { count },
      });
      expect(response.statusCode).toBe(400);
    }
    const outside = await app.inject({
      method: 'POST',
      url: `/api/trace/batches/${batchId}/runs`,
      headers: { cookie: otherCounty },
      payload: { count: 1 },
    });
    expect(outside.statusCode).toBe(404);
    const view = await app.inject({
      method: 'GET',
      url: `/api/trace/batches/${batchId}`,
      headers: { cookie: otherCounty },
    });
    expect(view.statusCode).toBe(404);
    const run = await generate(batchId, 2);
    for (const url of [`/api/trace/runs/${run.runId}/codes.csv`, `/api/trace/runs/${run.runId}/labels.pdf`]) {
      expect((await app.inject({ method: 'GET', url, headers: { cookie: otherCounty } })).statusCode).toBe(
        404,
      );
    }
    await context.database.db
      .update(productBatches)
      .set({ recalledAt: new Date(), recallReason: '抽检不合格' })
      .where(eq(productBatches.id, batchId));
    const recalled = await app.inject({
      method: 'POST',
      url: `/api/trace/batches/${batchId}/runs`,
      headers: { cookie: county },
      payload: { count: 1 },
    });
    expect(recalled.statusCode).toBe(409);
    expect(recalled.json().error.code).toBe('batch_recalled');
  });

  it('serves label sheets as PDF within the run and the sheet limit', async () => {
    const { batchId } = await product();
    const run = await generate(batchId, 30);
    const pdf = await app.inject({
      method: 'GET',
      url: `/api/trace/runs/${run.runId}/labels.pdf?from=2&to=26`,
      headers: { cookie: county },
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    for (const query of ['from=0&to=3', 'from=5&to=31', 'from=9&to=3']) {
      const refused = await app.inject({
        method: 'GET',
        url: `/api/trace/runs/${run.runId}/labels.pdf?${query}`,
        headers: { cookie: county },
      });
      expect(refused.statusCode, query).toBe(400);
    }
  });

  it('shows an authorized product in full, with no personal data, no script, in a few KB', async () => {
    const { batchId } = await product({
      etownCode: '140827-E01',
      productName: '皋陶香菇礼盒',
      contactPhone: '13912345678',
    });
    const run = await generate(batchId, 3);
    const code = signer.code({ runNumber: run.runNumber, serial: 2 });
    const page = await scan(code);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = page.body;
    for (const text of [
      '皋陶香菇礼盒',
      '250g×4袋/盒',
      '品牌授权有效',
      '垣曲六宝',
      '垣曲县溯源测试合作社',
      '皋陶乡村e镇（垣曲县）',
      '皋落乡香菇种植基地',
      '1200 盒',
      '合格',
      '垣曲县农产品质量安全检测站',
      '绿色食品',
      '去购买',
      'https://shop.example.cn/yq',
      '您是第一位查询此码的人',
      '<meta name="viewport"',
      code,
    ]) {
      expect(html, text).toContain(text);
    }
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/1[3-9]\d{9}|1[3-9]\d\*{4}\d{4}/);
    expect(html).not.toContain('王联系人');
    expect(html).not.toContain('演示数据');
    expect(Buffer.byteLength(html)).toBeLessThan(50 * 1024);
    expect(Buffer.byteLength(html)).toBeLessThan(12 * 1024);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('answers 404 in Chinese for a tampered, unknown or out-of-run code, and reads the QR and typed forms', async () => {
    const { batchId } = await product();
    const run = await generate(batchId, 2);
    const code = signer.code({ runNumber: run.runNumber, serial: 1 });
    const tampered = `${code.slice(0, -1)}${code.endsWith('X') ? 'Y' : 'X'}`;
    for (const bad of [
      tampered,
      signer.code({ runNumber: run.runNumber, serial: 3 }),
      signer.code({ runNumber: 999_999, serial: 1 }),
      'NOTACODE',
    ]) {
      const response = await scan(bad);
      expect(response.statusCode, bad).toBe(404);
      expect(response.body).toContain('未找到此追溯码');
    }
    expect((await app.inject({ method: 'GET', url: `/T/${code}` })).statusCode).toBe(200);
    expect((await scan(code.toLowerCase())).statusCode).toBe(200);
  });

  it('answers a listening server the same before routing as through Fastify, HEAD and 404 too', async () => {
    const { batchId } = await product();
    const run = await generate(batchId, 3);
    const code = signer.code({ runNumber: run.runNumber, serial: 3 });
    const server = await buildApp(context);
    const base = await server.listen({ port: 0, host: '127.0.0.1' });
    try {
      const viaRaw = await fetch(`${base}/T/${code}`, { headers: { 'user-agent': WECHAT } });
      // A query string is left to Fastify's route.
      const viaFastify = await fetch(`${base}/t/${code}?from=qr`, { headers: { 'user-agent': WECHAT } });
      expect(viaRaw.status).toBe(200);
      expect(viaFastify.status).toBe(200);
      const headerNames = [
        'content-type',
        'content-security-policy',
        'cache-control',
        'x-content-type-options',
        'x-frame-options',
        'referrer-policy',
      ];
      for (const name of headerNames) {
        expect(viaRaw.headers.get(name), name).toBe(viaFastify.headers.get(name));
        expect(viaRaw.headers.get(name), name).not.toBeNull();
      }
      const [rawPage, fastifyPage] = [await viaRaw.text(), await viaFastify.text()];
      expect(rawPage).toContain('您是第一位查询此码的人');
      // The second request is the code's second scan; the rest of the page is the same.
      expect(fastifyPage.replace(/<p class="scan">.*?<\/p>/, '')).toBe(
        rawPage.replace(/<p class="scan">.*?<\/p>/, ''),
      );
      expect(Number(viaRaw.headers.get('content-length'))).toBe(Buffer.byteLength(rawPage));

      const head = await fetch(`${base}/t/${code}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
      const missing = await fetch(`${base}/t/${signer.code({ runNumber: run.runNumber, serial: 4 })}`);
      expect(missing.status).toBe(404);
      expect(await missing.text()).toContain('未找到此追溯码');
      // Everything else still goes through Fastify.
      expect((await fetch(`${base}/api/health`)).status).toBe(200);
      // Which requests the raw path takes.
      const pages = scanPages(context);
      const written: { status?: number; body?: unknown } = {};
      const response = {
        writeHead: (status: number) => {
          written.status = status;
        },
        end: (body: unknown) => {
          written.body = body;
        },
      } as unknown as ServerResponse;
      const raw = (method: string, url: string) =>
        pages.serveRaw({ method, url, headers: {} } as IncomingMessage, response);
      expect(raw('POST', `/t/${code}`)).toBe(false);
      expect(raw('GET', `/t/${code}?from=qr`)).toBe(false);
      expect(raw('GET', `/t/${code.slice(0, 4)}%20${code.slice(4)}`)).toBe(false);
      expect(raw('GET', `/x/${code}`)).toBe(false);
      expect(raw('HEAD', `/t/${code}`)).toBe(true);
      await vi.waitFor(() => expect(written.status).toBe(200));
      await flushScans(context);
      const [stored] = await context.database.db.select().from(codeScans).where(eq(codeScans.code, code));
      // Two GETs recorded; the HEAD is not a scan.
      expect(stored?.scanCount).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('checks a code once: its repeat scans are answered without computing its MAC again', async () => {
    const { batchId } = await product();
    const run = await generate(batchId, 2);
    const code = signer.code({ runNumber: run.runNumber, serial: 1 });
    const decode = vi.spyOn(TraceCodeSigner.prototype, 'decode');
    try {
      expect((await scan(code)).statusCode).toBe(200);
      expect(decode).toHaveBeenCalledTimes(1);
      expect((await scan(code)).body).toContain('含本次已被查询 2 次');
      expect(decode).toHaveBeenCalledTimes(1);
      // The same code with another MAC is not the known code: it is checked, and refused.
      const forged = `${code.slice(0, -1)}${code.endsWith('0') ? '1' : '0'}`;
      expect((await scan(forged)).statusCode).toBe(404);
      expect(decode).toHaveBeenCalledTimes(2);
    } finally {
      decode.mockRestore();
    }
  });

  it('does not show the brand when the authorization is revoked, expired, or missing — and at once', async () => {
    const revoked = await product({
      etownCode: '140827-E01',
      authorization: { status: 'revoked', validFrom: '2024-01-01', validTo: '2099-12-31' },
    });
    const expired = await product({
      etownCode: '140827-E01',
      authorization: { status: 'authorized', validFrom: '2020-01-01', validTo: '2021-12-31' },
    });
    const none = await product({ etownCode: '140827-E01', authorization: null });
    for (const [ids, expected] of [
      [revoked, '授权已失效'],
      [expired, '授权已失效'],
      [none, '未获品牌授权'],
    ] as const) {
      const run = await generate(ids.batchId, 1);
      const html = (await scan(signer.code({ runNumber: run.runNumber, serial: 1 }))).body;
      expect(html).toContain(expected);
      expect(html).not.toContain('品牌授权有效');
      expect(html).not.toContain('垣曲六宝');
    }

    const valid = await product();
    const run = await generate(valid.batchId, 1);
    const code = signer.code({ runNumber: run.runNumber, serial: 1 });
    expect((await scan(code)).body).toContain('品牌授权有效');
    // The term ends: the next scan no longer shows the brand, with no write and no cache invalidation.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2100-01-02T08:00:00+08:00') });
    expect((await scan(code)).body).toContain('授权已失效');
    vi.useRealTimers();
    expect((await scan(code)).body).toContain('品牌授权有效');
    // Revoked by the brands module: its write invalidates the cached pages.
    await context.database.db
      .update(brandAuthorizations)
      .set({ status: 'revoked' })
      .where(eq(brandAuthorizations.id, valid.authorizationId as string));
    invalidateScanPages();
    const after = (await scan(code)).body;
    expect(after).toContain('授权已失效');
    expect(after).not.toContain('垣曲六宝');
  });

  it('counts scans after a flush, shows the first scan, and flags a code scanned too often', async () => {
    await setTraceRules(3);
    const { batchId } = await product();
    const run = await generate(batchId, 2);
    const code = signer.code({ runNumber: run.runNumber, serial: 1 });
    expect((await scan(code)).body).toContain('您是第一位');
    await flushScans(context);
    const [stored] = await context.database.db.select().from(codeScans).where(eq(codeScans.code, code));
    expect(stored?.scanCount).toBe(1);
    expect(stored?.firstScannedAt).toBeInstanceOf(Date);
    expect(stored?.lastScannedAt).toEqual(stored?.firstScannedAt);
    const tallies = await context.database.db
      .select()
      .from(scanTallies)
      .where(eq(scanTallies.runId, run.runId));
    expect(tallies).toEqual([expect.objectContaining({ regionCode: null, client: 'wechat', scans: 1 })]);

    const second = (await scan(code, 'Mozilla/5.0 AlipayClient/10.5')).body;
    expect(second).toContain(`此码首次查询于 ${shanghaiMinute(stored?.firstScannedAt as Date)}；`);
    expect(second).toContain('含本次已被查询 2 次');
    expect(second).not.toContain('可能是仿冒');
    await scan(code);
    await scan(code);
    await flushScans(context);
    const warned = (await scan(code)).body;
    expect(warned).toContain('含本次已被查询 5 次');
    expect(warned).toContain('可能是仿冒');
    await flushScans(context);
    const cells = await context.database.db
      .select({ client: scanTallies.client, scans: scanTallies.scans })
      .from(scanTallies)
      .where(eq(scanTallies.runId, run.runId))
      .orderBy(scanTallies.client);
    expect(cells).toEqual([
      { client: 'alipay', scans: 1 },
      { client: 'wechat', scans: 4 },
    ]);
    const queue = (
      await app.inject({
        method: 'GET',
        url: '/api/trace/anomalies?status=open',
        headers: { cookie: county },
      })
    ).json().items;
    expect(queue).toContainEqual(
      expect.objectContaining({ code, kind: 'excessive_scans', scanCount: 5, status: 'open', serial: 1 }),
    );
    await setTraceRules(20);
  });

  it('warns on a recalled batch, hides the buy links, and queues its scans for review in scope only', async () => {
    const { batchId } = await product();
    const run = await generate(batchId, 2);
    const code = signer.code({ runNumber: run.runNumber, serial: 2 });
    await context.database.db
      .update(productBatches)
      .set({ recalledAt: new Date(), recallReason: '农药残留超标' })
      .where(eq(productBatches.id, batchId));
    invalidateScanPages();
    const html = (await scan(code)).body;
    expect(html).toContain('此批次已召回，请勿食用');
    expect(html).toContain('农药残留超标');
    expect(html).not.toContain('去购买');
    await flushScans(context);

    const list = async (cookie: string) =>
      (await app.inject({ method: 'GET', url: '/api/trace/anomalies', headers: { cookie } })).json()
        .items as {
        id: string;
        code: string;
        kind: string;
      }[];
    const anomaly = (await list(county)).find((item) => item.code === code && item.kind === 'recalled_batch');
    expect(anomaly).toBeDefined();
    expect((await list(otherCounty)).some((item) => item.code === code)).toBe(false);
    const review = (cookie: string) =>
      app.inject({
        method: 'POST',
        url: `/api/trace/anomalies/${anomaly?.id}/review`,
        headers: { cookie },
        payload: { status: 'confirmed', note: '召回产品仍在流通，已通知经销商下架' },
      });
    expect((await review(otherCounty)).statusCode).toBe(404);
    const reviewed = await review(county);
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    expect(reviewed.json()).toMatchObject({
      status: 'confirmed',
      reviewedByName: expect.stringContaining('垣曲县'),
    });
    expect((await review(county)).statusCode).toBe(409);
    // Further scans of a reviewed code do not reopen it.
    await scan(code);
    await flushScans(context);
    const again = (await list(county)).filter((item) => item.code === code && item.kind === 'recalled_batch');
    expect(again).toHaveLength(1);
  });

  it('reports scans per product, batch, day and an unknown region, with the scan rate, in scope', async () => {
    const { batchId } = await product({ etownCode: '140827-E01', productName: '分析用小米' });
    const run = await generate(batchId, 10);
    for (const serial of [1, 2, 2]) await scan(signer.code({ runNumber: run.runNumber, serial }));
    await flushScans(context);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const response = await app.inject({
      method: 'GET',
      url: `/api/trace/analytics?from=${today}&to=${today}`,
      headers: { cookie: county },
    });
    expect(response.statusCode, response.body).toBe(200);
    const analytics = response.json();
    expect(analytics.byBatch).toContainEqual(
      expect.objectContaining({ batchId, codes: 10, scannedCodes: 2, scans: 3, productName: '分析用小米' }),
    );
    expect(analytics.byProduct).toContainEqual(
      expect.objectContaining({ productName: '分析用小米', scans: 3 }),
    );
    expect(analytics.byDay).toContainEqual(expect.objectContaining({ day: today }));
    expect(analytics.byRegion).toEqual([expect.objectContaining({ regionCode: null, regionName: '未知' })]);
    expect(analytics.totals.scanRate).toBeGreaterThan(0);
    expect(analytics.totals.scanRate).toBeLessThan(1);

    const other = (
      await app.inject({ method: 'GET', url: '/api/trace/analytics', headers: { cookie: otherCounty } })
    ).json();
    expect(other.totals).toMatchObject({ codes: 0, scans: 0 });
    const foreign = await app.inject({
      method: 'GET',
      url: '/api/trace/analytics?regionCode=140827',
      headers: { cookie: otherCounty },
    });
    expect(foreign.statusCode).toBe(404);

    const batch = (
      await app.inject({ method: 'GET', url: `/api/trace/batches/${batchId}`, headers: { cookie: county } })
    ).json();
    expect(batch.codes).toEqual({ generated: 10, scanned: 2, scans: 3 });
    expect(batch.runs).toEqual([
      expect.objectContaining({ runNumber: run.runNumber, count: 10, scannedCodes: 2 }),
    ]);
    expect(batch.recentFirstScans).toHaveLength(2);
    expect(batch.sampleUrl).toMatch(/^https:\/\/ez\.example\.cn\/t\/[0-9A-Z]+$/);
  });

  it('writes first scans, threshold crossings and tallies within the second, plain repeat counts later', async () => {
    const { batchId } = await product();
    const run = await generate(batchId, 3);
    const [first, repeated, crossing] = [1, 2, 3].map((serial) =>
      signer.code({ runNumber: run.runNumber, serial }),
    ) as [string, string, string];
    const recorder = scanRecorderFor(context);
    for (const code of [repeated, crossing]) await scan(code);
    await flushScans(context);
    await setTraceRules(2);
    invalidateScanPages();
    await scan(first);
    await scan(first);
    await scan(repeated);
    await scan(crossing);
    await scan(crossing);
    await recorder.flushUrgent();
    const counts = async () =>
      Object.fromEntries(
        (
          await context.database.db
            .select({ code: codeScans.code, scanCount: codeScans.scanCount })
            .from(codeScans)
            .where(eq(codeScans.runId, run.runId))
        ).map((row) => [row.code, row.scanCount]),
      );
    // The first scan and the code crossing the threshold are written; the plain repeat waits.
    expect(await counts()).toEqual({ [first]: 2, [repeated]: 1, [crossing]: 3 });
    const queue = (
      await app.inject({
        method: 'GET',
        url: '/api/trace/anomalies?status=open',
        headers: { cookie: county },
      })
    ).json().items;
    expect(queue).toContainEqual(expect.objectContaining({ code: crossing, kind: 'excessive_scans' }));
    // Every scan is in the tallies already.
    const [tallied] = await context.database.db
      .select({ scans: sql<number>`sum(${scanTallies.scans})::int` })
      .from(scanTallies)
      .where(eq(scanTallies.runId, run.runId));
    expect(tallied?.scans).toBe(7);
    await flushScans(context);
    expect(await counts()).toEqual({ [first]: 2, [repeated]: 2, [crossing]: 3 });
    await setTraceRules(20);
    invalidateScanPages();
    // A plain repeat alone: the second's write carries only its tally.
    await scan(repeated);
    await recorder.flushUrgent();
    expect(await counts()).toEqual({ [first]: 2, [repeated]: 2, [crossing]: 3 });
    const [tallied2] = await context.database.db
      .select({ scans: sql<number>`sum(${scanTallies.scans})::int` })
      .from(scanTallies)
      .where(eq(scanTallies.runId, run.runId));
    expect(tallied2?.scans).toBe(8);
    await flushScans(context);
    expect(await counts()).toEqual({ [first]: 2, [repeated]: 3, [crossing]: 3 });
  });

  it('writes buffered scans when the server closes', async () => {
    const { batchId } = await product();
    const run = await generate(batchId, 1);
    const code = signer.code({ runNumber: run.runNumber, serial: 1 });
    await scan(code);
    const scanned = () =>
      context.database.db
        .select({ count: sql<number>`count(*)::int` })
        .from(codeScans)
        .where(eq(codeScans.code, code));
    expect((await scanned())[0]?.count).toBe(0);
    await app.close();
    expect((await scanned())[0]?.count).toBe(1);
  });
});
