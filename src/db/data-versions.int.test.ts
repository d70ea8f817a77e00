import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../http/app.ts';
import { creditCodeCheckCharacter } from '../lib/credit-code.ts';
import { createSeededApp, loginAs, type TestContext, testBackends } from '../test/test-context.ts';
import { clearAnswerCaches, subtreeVersion } from './data-versions.ts';

const E01 = '140827-E01';
const E02 = '140826-E01';
const YEAR = 2025;
/** A valid code no seeded entity has: the last character is the check character of the first 17. */
const NEW_CREDIT_CODE = `91140827MA0YERT01${creditCodeCheckCharacter('91140827MA0YERT01')}`;

/**
 * Tables a cached answer may read without a version trigger of their own, and why that is safe.
 */
const UNVERSIONED_READS: Record<string, string> = {
  region_data_versions: 'the versions themselves',
  monthly_etown_totals: "kept by monthly_statistics' triggers in the same statement, which bump the e-town",
  sessions: 'the session check (who asks, not what they see)',
  users: 'the session check',
};

describe.each(testBackends)('data versions and the answers kept by them on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let cookie: string;
  let month: string;
  let reading = false;
  const tablesRead = new Set<string>();

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(
      backend,
      {},
      {
        onQuery: (text) => {
          if (!reading) return;
          for (const match of text.matchAll(/\b(?:from|join)\s+"?([a-z_]+)"?/gi)) {
            tablesRead.add((match[1] as string).toLowerCase());
          }
        },
      },
    ));
    cookie = await loginAs(app, 'city.yuncheng');
    const [latest] = await context.database.query<{ month: string }>(
      `select max(month) as month from monthly_statistics where etown_code = $1`,
      [E01],
    );
    month = latest?.month as string;
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await context?.close();
  });

  const cachedUrls = () => [
    `/api/evaluations/overview?year=${YEAR}`,
    `/api/evaluations/overview?year=${YEAR}&regionCode=140827`,
    `/api/etowns/${E01}/scorecard?year=${YEAR}`,
    `/api/stats/aggregates?regionCode=1408`,
    `/api/stats/aggregates?regionCode=${E01}`,
    `/api/stats/monthly/progress?month=${month}&regionCode=1408`,
  ];
  const get = async (url: string) => {
    const response = await app.inject({ method: 'GET', url, headers: { cookie } });
    expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
    return response.json();
  };
  // Lists keep only their count (entities and their tags; the month's reports); rows are read afresh.
  const entityLists = () => [
    '/api/entities?regionCode=1408&pageSize=5',
    '/api/entities?regionCode=140827&status=active&pageSize=5',
    `/api/stats/monthly?month=${month}&regionCode=1408&pageSize=5`,
    `/api/stats/monthly?month=${month}&regionCode=140827&status=approved&pageSize=5`,
  ];
  const answers = async () => Promise.all(cachedUrls().map(get));
  const versionOf = async (code: string) =>
    (
      await context.database.query<{ version: string }>(
        'select version::text as version from region_data_versions where region_code = $1',
        [code],
      )
    )[0]?.version;

  it('has a version trigger on every table the cached answers read', async () => {
    clearAnswerCaches(context.database);
    reading = true;
    await answers();
    reading = false;
    const triggered = await context.database.query<{ table: string; events: string }>(
      `select c.relname as table, string_agg(
         case when t.tgtype & 4 <> 0 then 'insert ' else '' end ||
         case when t.tgtype & 8 <> 0 then 'delete ' else '' end ||
         case when t.tgtype & 16 <> 0 then 'update ' else '' end ||
         case when t.tgtype & 32 <> 0 then 'truncate ' else '' end, '') as events
       from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_proc p on p.oid = t.tgfoid
       where p.proname = 'bump_region_data_versions' group by c.relname`,
    );
    const eventsOf = new Map(triggered.map((row) => [row.table, row.events]));
    const read = [...tablesRead].filter((table) => !(table in UNVERSIONED_READS)).sort();
    expect(read).toEqual(expect.arrayContaining(['entities', 'monthly_statistics', 'regions', 'brands']));
    for (const table of read) {
      const events = eventsOf.get(table) ?? '';
      for (const event of ['insert', 'update', 'delete', 'truncate']) {
        expect(events, `${table} is read by a cached answer but has no ${event} version trigger`).toContain(
          event,
        );
      }
    }
  });

  it('bumps the regions a change touches, and only those', async () => {
    const before = {
      e01: await versionOf(E01),
      e02: await versionOf(E02),
      county: await versionOf('140827'),
      settings: await versionOf('*'),
      yuanqu: await subtreeVersion(context.database.db, ['140827']),
      jiang: await subtreeVersion(context.database.db, ['140826']),
    };
    // An entity's tag: its e-town.
    await context.database.query(
      `insert into entity_tags (entity_id, tag)
       select id, 'training' from entities where etown_code = $1 order by credit_code limit 1
       on conflict do nothing`,
      [E01],
    );
    expect(await versionOf(E01)).not.toBe(before.e01);
    expect(await versionOf(E02)).toBe(before.e02);
    expect(await versionOf('140827')).toBe(before.county);
    expect(await subtreeVersion(context.database.db, ['140826'])).toBe(before.jiang);
    expect(await subtreeVersion(context.database.db, ['140827'])).not.toBe(before.yuanqu);
    // A statement that changes no row bumps nothing.
    const e01 = await versionOf(E01);
    await context.database.query(`update brands set name = name where false`);
    expect(await versionOf(E01)).toBe(e01);
    // A county's tier: the county and its e-towns.
    await context.database.query(`update regions set tier = tier where code = '140827'`);
    expect(await versionOf('140827')).not.toBe(before.county);
    expect(await versionOf(E01)).not.toBe(e01);
    expect(await versionOf(E02)).toBe(before.e02);
    // The province's reporting settings: '*', which every subtree's version includes.
    const jiang = await subtreeVersion(context.database.db, ['140826']);
    await context.database.query(
      `insert into stats_deadlines (month, deadline) values ('2099-01', '2099-02-10')`,
    );
    expect(await versionOf('*')).not.toBe(before.settings);
    expect(await subtreeVersion(context.database.db, ['140826'])).not.toBe(jiang);
  });

  it('answers from the cache exactly what a fresh computation gives, after every kind of change', async () => {
    const changes = [
      // Monthly figures approved and reopened (aggregates, progress, evaluation).
      `update monthly_statistics set output_fen = output_fen + 123456 where etown_code = '${E01}'
         and month = (select max(month) from monthly_statistics where etown_code = '${E01}' and status = 'approved')
         and status = 'approved'`,
      `update monthly_statistics set status = 'submitted' where etown_code = '${E01}' and month = '${month}'`,
      // A county's tier (every e-town's evaluation) and an e-town's name (every list that shows it).
      `update regions set tier = case when tier = 'pilot_demo' then 'key_support' else 'pilot_demo' end where code = '140827'`,
      `update regions set name = name || '（更名）' where code = '${E01}'`,
      // Ledger lists: media channels and an entity leaving.
      `delete from media_channels where etown_code = '${E01}'`,
      `insert into entities (credit_code, name, etown_code, sort_order)
         values ('${NEW_CREDIT_CODE}', '新登记主体', '${E01}', 999)`,
      `update entities set status = 'exited', exited_on = '${YEAR}-06-30'
         where id = (select id from entities where etown_code = '${E01}' order by credit_code desc limit 1)`,
    ];
    const all = async () => [...(await answers()), ...(await Promise.all(entityLists().map(get)))];
    let previous = await all();
    for (const change of changes) {
      await context.database.query(change);
      const cached = await all();
      clearAnswerCaches(context.database);
      const fresh = await all();
      expect(cached, change).toEqual(fresh);
      expect(cached, `${change} changes some cached answer`).not.toEqual(previous);
      previous = fresh;
    }
  });
});
