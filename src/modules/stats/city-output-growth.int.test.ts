import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/audit.ts';
import type { App } from '../../http/app.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';

const YEAR = 2025;
const GROWTH_URL = `/api/cities/1408/output-growth/${YEAR}`;

type Indicator = { no: number; status: string; facts: Record<string, unknown>; reasons: string[] };

describe.each(testBackends)('the city enters its average output growth (#23) on %s', (backend) => {
  let app: App;
  let context: TestContext;
  const cookies = new Map<string, string>();
  const call = (username: string, method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, payload, headers: { cookie: cookies.get(username) ?? '' } });
  const indicator23 = async (etownCode: string) => {
    const scorecard = (
      await call('province.admin', 'GET', `/api/etowns/${etownCode}/scorecard?year=${YEAR}`)
    ).json();
    return (scorecard.indicators as Indicator[]).find((indicator) => indicator.no === 23) as Indicator;
  };

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    for (const username of ['province.admin', 'city.yuncheng', 'county.yuanqu', 'etown.gaotao']) {
      cookies.set(username, (await loginReady(app, username)).cookie);
    }
  }, 120_000);

  afterAll(async () => {
    await app.close();
    await context.close();
  });

  it('reaches every e-town of the city at once, with its source, and is audited', async () => {
    const before = await indicator23('140827-E01');
    expect(before.facts.cityOutputGrowthPct).toBeNull();
    expect(before.reasons.join('')).toContain('未提供所在市年总产值平均增长率');

    const saved = await call('city.yuncheng', 'PUT', GROWTH_URL, {
      growthPct: '6.5',
      source: '运城市2025年国民经济和社会发展统计公报',
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({
      year: YEAR,
      growthPct: '6.5',
      updatedByName: expect.any(String),
      version: 1,
    });

    for (const etownCode of ['140827-E01', '140826-E01']) {
      const after = await indicator23(etownCode);
      expect(after.facts.cityOutputGrowthPct, etownCode).toBe('6.5');
      expect(after.facts.requiredGrowthPct, etownCode).toBe('8.5');
    }
    expect(before.status).toBe('pending');

    const corrected = await call('city.yuncheng', 'PUT', GROWTH_URL, {
      growthPct: '7.25',
      source: '统计公报（修订）',
      version: saved.json().version,
    });
    expect(corrected.statusCode).toBe(200);
    expect(corrected.json().version).toBe(2);
    const list = (await call('province.admin', 'GET', '/api/cities/1408/output-growth')).json();
    expect(list.city).toEqual({ code: '1408', name: '运城市' });
    expect(list.etownCount).toBeGreaterThanOrEqual(2);
    expect(list.entries).toEqual([
      expect.objectContaining({ year: YEAR, growthPct: '7.25', source: '统计公报（修订）' }),
    ]);

    const audits = await context.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'stats.city_output_growth.set'), eq(auditLog.targetId, '1408')));
    expect(audits.map((audit) => audit.username)).toEqual(['city.yuncheng', 'city.yuncheng']);
    expect(audits[1]?.diff).toMatchObject({
      year: YEAR,
      previous: { growthPct: '6.5000', source: '运城市2025年国民经济和社会发展统计公报' },
      growthPct: '7.25',
    });
  });

  it('is written by the city only, within its scope, and refuses bad input by field', async () => {
    const body = { growthPct: '6', source: '统计公报' };
    expect((await call('county.yuanqu', 'PUT', GROWTH_URL, body)).statusCode).toBe(403);
    expect((await call('province.admin', 'PUT', GROWTH_URL, body)).statusCode).toBe(403);
    expect((await call('etown.gaotao', 'GET', '/api/cities/1408/output-growth')).statusCode).toBe(403);
    expect((await call('city.yuncheng', 'PUT', '/api/cities/1401/output-growth/2025', body)).statusCode).toBe(
      404,
    );
    expect((await call('city.yuncheng', 'GET', '/api/cities/1401/output-growth')).statusCode).toBe(404);

    const bad = await call('city.yuncheng', 'PUT', GROWTH_URL, { growthPct: '六点五', source: '' });
    expect(bad.statusCode).toBe(400);
    const paths = (bad.json().error.details as { path: string; message: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.growthPct', 'body.source']));
    expect(JSON.stringify(bad.json().error.details)).toContain('数据来源');
  });

  it('turns #23 pending again when the figure is removed', async () => {
    const removed = await call('city.yuncheng', 'DELETE', GROWTH_URL);
    expect(removed.statusCode).toBe(200);
    expect(removed.json().entries).toEqual([]);
    expect((await indicator23('140827-E01')).facts.cityOutputGrowthPct).toBeNull();
    expect((await call('city.yuncheng', 'DELETE', GROWTH_URL)).statusCode).toBe(404);
  });
});
