import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureReferenceRegions } from '../../db/seed/seed.ts';
import { createTestContext, type TestContext, testBackends } from '../../test/test-context.ts';

const E01 = '140827-E01';
const E02 = '140827-E02';

/** The roll-up's non-empty rows and the GROUP BY of the approved rows, both as sorted text. */
async function bothSums(context: TestContext) {
  const columns = `etown_code, month, rows::text, output_fen::text, online_retail_fen::text,
    cross_border_fen::text, orders::text, employees::text, ecommerce_employees::text`;
  const rollUp = await context.database.query(
    `select ${columns} from monthly_etown_totals where rows > 0 order by etown_code, month`,
  );
  const fromRows = await context.database.query(
    `select ${columns} from (
       select etown_code, month, count(*) as rows, sum(output_fen) as output_fen,
         sum(online_retail_fen) as online_retail_fen, sum(cross_border_fen) as cross_border_fen,
         sum(orders) as orders, sum(employees) as employees, sum(ecommerce_employees) as ecommerce_employees
       from monthly_statistics where status = 'approved' group by etown_code, month) as sums
     order by etown_code, month`,
  );
  return { rollUp, fromRows };
}

describe.each(testBackends)('monthly_etown_totals (the approved roll-up) on %s', (backend) => {
  let context: TestContext;

  beforeAll(async () => {
    context = await createTestContext(backend);
    await ensureReferenceRegions(context);
    for (const [index, etown] of [E01, E02].entries()) {
      await context.database.query(
        `insert into regions (code, name, level, parent_code) values ($1, $2, 'etown', '140827')
         on conflict (code) do nothing`,
        [etown, `测试e镇${index + 1}`],
      );
      await context.database.query(
        `insert into entities (credit_code, name, etown_code, sort_order)
         select '91140827' || lpad($2::text, 2, '0') || lpad(i::text, 7, '0') || 'X', '主体' || i, $1, i
         from generate_series(1, 20) as i`,
        [etown, index],
      );
    }
  }, 120_000);
  afterAll(async () => context?.close());

  const expectEqual = async () => {
    const { rollUp, fromRows } = await bothSums(context);
    expect(rollUp).toEqual(fromRows);
    return fromRows.length;
  };

  it('follows inserts in any status, approvals, reopenings, edits, deletions and truncation', async () => {
    const { query } = context.database;
    // Two years of figures, a third of them still with the enterprise or the county.
    await query(
      `insert into monthly_statistics (etown_code, entity_id, month, output_fen, online_retail_fen,
         cross_border_fen, orders, employees, ecommerce_employees, status)
       select e.etown_code, e.id, to_char(date '2024-01-01' + make_interval(months => m), 'YYYY-MM'),
         1000000 + m * 1001 + e.sort_order, 500000 + m * 7, m, m * 3, 10 + m, 2,
         (array['approved', 'approved', 'submitted', 'draft', 'returned', 'approved'])[1 + (m + e.sort_order) % 6]
       from entities e cross join generate_series(0, 23) as m`,
    );
    expect(await expectEqual()).toBe(48);

    // Approving a county's submissions, returning some approved ones, reopening (approved → draft).
    await query(
      `update monthly_statistics set status = 'approved' where status = 'submitted' and etown_code = $1`,
      [E01],
    );
    await query(
      `update monthly_statistics set status = 'returned' where month = '2024-03' and status = 'approved'`,
    );
    await query(
      `update monthly_statistics set status = 'draft', reopen_count = reopen_count + 1
       where month = '2025-06' and etown_code = $1 and status = 'approved'`,
      [E02],
    );
    await expectEqual();

    // Figures corrected, a row moved to the other e-town, a no-op edit (version only), then deletions.
    await query(
      `update monthly_statistics set output_fen = output_fen + 99, orders = orders * 2 where month >= '2025-01'`,
    );
    await query(
      `update monthly_statistics set etown_code = $2 where etown_code = $1 and month = '2024-07' and status = 'approved'`,
      [E01, E02],
    );
    await query(`update monthly_statistics set version = version + 1`);
    await query(`delete from monthly_statistics where month = '2024-11'`);
    await query(
      `delete from entities where id = (select id from entities where etown_code = $1 order by sort_order limit 1)`,
      [E02],
    );
    await expectEqual();

    // A month whose approved figures are all withdrawn keeps no sum a reader could mistake for zero figures.
    await query(`update monthly_statistics set status = 'draft' where month = '2025-12'`);
    const emptied = await context.database.query<{ rows: number }>(
      `select rows from monthly_etown_totals where month = '2025-12'`,
    );
    expect(emptied.every((row) => Number(row.rows) === 0)).toBe(true);
    await expectEqual();

    await query('truncate monthly_statistics');
    expect(await expectEqual()).toBe(0);
  });

  it('stays exact when two transactions approve figures of the same months at once', async () => {
    const { query } = context.database;
    await query(
      `insert into monthly_statistics (etown_code, entity_id, month, output_fen, online_retail_fen, status)
       select e.etown_code, e.id, to_char(date '2026-01-01' + make_interval(months => m), 'YYYY-MM'),
         123456789012 + m, 42, 'submitted'
       from entities e cross join generate_series(0, 5) as m`,
    );
    // Each writer approves half of the entities' rows for every month: the same roll-up keys, in parallel.
    await Promise.all(
      [0, 1].map((half) =>
        context.database.db.transaction(async (tx) => {
          await tx.execute(
            sql.raw(`update monthly_statistics set status = 'approved'
             where entity_id in (select id from entities where sort_order % 2 = ${half})`),
          );
        }),
      ),
    );
    expect(await expectEqual()).toBe(12);
  });
});
