// A province-scale dataset for benchmarks: Shanxi's region tree (11 cities, 117 counties), 1,000 e-towns spread
// over the counties, 100,000 entities spread over the e-towns, 36 months of monthly figures per entity
// (3.6 M rows, approved except the latest month, which is still being reported and reviewed), and modest
// projects, fund applications and evaluations so those lists are not empty. Rows are made by set-based
// INSERT … SELECT generate_series in the database, not one by one through the services (except the few
// evaluations, which need the engine's snapshot). `scale` shrinks the e-towns and entities (0.05 for a
// quick try); the months stay 36.
import type { Actor } from '../../src/access/scope.ts';
import { ensureReferenceRegions } from '../../src/db/seed/seed.ts';
import type { AppContext } from '../../src/http/context.ts';
import { shanghaiToday } from '../../src/lib/china-date.ts';
import { hashPassword } from '../../src/modules/accounts/password.ts';
import { startEvaluation } from '../../src/modules/indicators/self-evaluation.service.ts';

export const PROVINCE_MONTHS = 36;

export type ProvinceDataset = {
  etowns: number;
  entities: number;
  monthlyRows: number;
  /** Oldest first; the last is the month being reported now (the previous calendar month). */
  months: string[];
  latestMonth: string;
  /** The closed year the evaluations judge. */
  evaluationYear: number;
  adminUserId: string;
  seconds: number;
};

/** The e-town codes of a county in the generated dataset, as the bench picks them. */
export type RegionPick = { cities: string[]; counties: string[]; etowns: string[] };

const ADMIN_USER_ID = '00000000-0000-4000-8000-00000000a001';

const monthsEndingBefore = (today: string, count: number): string[] => {
  let year = Number(today.slice(0, 4));
  let month = Number(today.slice(5, 7));
  const months: string[] = [];
  for (let index = 0; index < count; index += 1) {
    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
    months.unshift(`${year}-${String(month).padStart(2, '0')}`);
  }
  return months;
};

const nextMonth = (month: string) => {
  const year = Number(month.slice(0, 4));
  const number = Number(month.slice(5, 7));
  return number === 12 ? `${year + 1}-01` : `${year}-${String(number + 1).padStart(2, '0')}`;
};

export async function generateProvinceDataset(
  context: AppContext,
  options: { scale: number; log?: (line: string) => void },
): Promise<ProvinceDataset> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const { database } = context;
  const etownCount = Math.max(1, Math.round(1000 * options.scale));
  const entityCount = Math.max(etownCount, Math.round(100_000 * options.scale));
  const today = shanghaiToday(new Date());
  const months = monthsEndingBefore(today, PROVINCE_MONTHS);
  const latestMonth = months.at(-1) as string;
  const evaluationYear = Number(today.slice(0, 4)) - 1;
  const step = async (label: string, work: () => Promise<unknown>) => {
    const stepStarted = performance.now();
    await work();
    log(`  ${label}: ${((performance.now() - stepStarted) / 1000).toFixed(1)} s`);
  };

  await step('regions', async () => {
    await ensureReferenceRegions(context);
    // Each county in one of the plan's three tiers (the engine needs it to judge an e-town).
    await database.query(
      `update regions set tier = (array['pilot_demo', 'overall_advance', 'key_support'])[1 + ordinal % 3]
       from (select code as county, row_number() over (order by code) as ordinal from regions where level = 'county') c
       where code = c.county`,
    );
    // E-town k goes to county k mod 117, numbered E01, E02, … within its county.
    await database.query(
      `with counties as (
         select code, name, (row_number() over (order by code) - 1)::int as i, (count(*) over ())::int as n
         from regions where level = 'county')
       insert into regions (code, name, level, parent_code)
       select c.code || '-E' || lpad((k / c.n + 1)::text, 2, '0'), c.name || (k / c.n + 1) || '号e镇', 'etown', c.code
       from generate_series(0, ${etownCount - 1}) as k join counties c on c.i = k % c.n`,
    );
    await database.query(`insert into etown_profiles (code) select code from regions where level = 'etown'`);
  });

  await step('users', async () => {
    await database.query(
      `insert into users (id, username, display_name, role, password_hash, must_change_password)
       values ($1, 'bench.generator', '数据生成管理员', 'province_admin', $2, false)`,
      [ADMIN_USER_ID, await hashPassword('Bench-Generator-2026!')],
    );
  });

  await step(`${entityCount} entities`, async () => {
    // Entity k goes to e-town k mod etowns; k is also the tail of its credit code, so later steps derive
    // steady figures from it.
    await database.query(
      `with etowns as (
         select code, (row_number() over (order by code) - 1)::int as i, (count(*) over ())::int as n
         from regions where level = 'etown')
       insert into entities (credit_code, name, etown_code, legal_entity, registered_on, entity_type, address,
                             contact_name, contact_phone_masked, status, exited_on, exit_reason, sort_order)
       select '91' || lpad(k::text, 16, '0'),
              case k % 10 when 0 then '晋' || k || '电子商务有限公司' when 1 then '晋' || k || '农产品专业合作社'
                          else '晋' || k || '商贸有限公司' end,
              e.code, k % 3 = 0, date '2015-01-01' + (k % 3650),
              case when k % 10 < 5 then 'enterprise' when k % 10 < 8 then 'individual'
                   when k % 10 = 8 then 'cooperative' else 'family_farm' end,
              e.code || '村' || (k % 30 + 1) || '号', '联系人' || (k % 1000),
              '138****' || lpad((k % 10000)::text, 4, '0'),
              case when k % 50 = 7 then 'exited' else 'active' end,
              case when k % 50 = 7 then date '2025-06-30' end,
              case when k % 50 = 7 then '注销' end,
              k / e.n
       from generate_series(0, ${entityCount - 1}) as k join etowns e on e.i = k % e.n`,
    );
    await database.query(
      `insert into entity_tags (entity_id, tag, reason, tagged_on)
       select id, 'ecommerce', '开展网络销售', date '2024-01-01' from entities
       where substr(credit_code, 3)::bigint % 10 = 0
       union all
       select id, 'leading', '县级龙头企业', date '2024-01-01' from entities
       where substr(credit_code, 3)::bigint % 97 = 0`,
    );
  });

  let monthlyRows = 0;
  await step(`${PROVINCE_MONTHS} months of monthly figures`, async () => {
    // Building the table's unique constraints and indexes once at the end is several times faster than
    // keeping them up to date row by row (random uuid keys); they are put back exactly as they were.
    const constraints = await database.query<{ name: string; definition: string }>(
      `select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
       where conrelid = 'monthly_statistics'::regclass and contype in ('p', 'u')`,
    );
    const indexes = await database.query<{ name: string; definition: string }>(
      `select indexname as name, indexdef as definition from pg_indexes
       where tablename = 'monthly_statistics' and indexname not in (
         select conname from pg_constraint where conrelid = 'monthly_statistics'::regclass)`,
    );
    for (const { name } of constraints) {
      await database.query(`alter table monthly_statistics drop constraint "${name}"`);
    }
    for (const { name } of indexes) await database.query(`drop index "${name}"`);
    // One statement per month keeps each transaction (and PGlite's memory) bounded.
    for (const [index, month] of months.entries()) {
      const latest = month === latestMonth;
      const following = nextMonth(month);
      // The latest month is being reported: 60 % approved, 25 % submitted, 10 % draft, 5 % returned.
      const status = latest
        ? `case when k % 20 < 12 then 'approved' when k % 20 < 17 then 'submitted'
                when k % 20 < 19 then 'draft' else 'returned' end`
        : `'approved'`;
      await database.query(
        `insert into monthly_statistics (etown_code, entity_id, month, output_fen, online_retail_fen,
           cross_border_fen, orders, employees, ecommerce_employees, status, source, submitted_at, reviewed_at,
           return_reason)
         select etown_code, id, '${month}', output, output * (10 + k % 60) / 100,
                case when k % 7 = 0 then output * (k % 60) / 1000 else 0 end,
                output / 5000, 1 + k % 40, k % 10, status, 'report',
                case when status = 'draft' then null
                     else timestamptz '${following}-05 10:00:00+08' + make_interval(mins => (k % 7200)::int) end,
                case when status = 'approved' then timestamptz '${following}-08 16:00:00+08' end,
                case when status = 'returned' then '数据与上月差异较大，请核实' end
         from (select id, etown_code, k, ${status} as status,
                      ((100000 + (k * 7919) % 9000000) * (100 + ${index} + (k * ${index}) % 7) / 100)::bigint as output
               from (select id, etown_code, substr(credit_code, 3)::bigint as k from entities) numbered) figures`,
      );
      monthlyRows += entityCount;
    }
    for (const { name, definition } of constraints) {
      await database.query(`alter table monthly_statistics add constraint "${name}" ${definition}`);
    }
    for (const { definition } of indexes) await database.query(definition);
  });

  await step('projects, fund applications, evaluations', async () => {
    await database.query(
      `insert into projects (etown_code, name, description, status, planned_start, planned_end, created_by)
       select code, name || '电商服务站建设项目' || n, '建设e镇电商公共服务站与仓储物流设施',
              (array['planned', 'in_progress', 'completed', 'suspended'])[1 + n % 4],
              date '2025-03-01', date '2026-10-31', $1
       from regions, generate_series(1, 3) as n where level = 'etown'`,
      [ADMIN_USER_ID],
    );
    const [policy] = await database.query<{ id: string }>(
      `insert into fund_policies (region_code, name, support_mode, source, standard_kind, amount_fen, conditions,
         document_title, document_number, issued_on, valid_from, created_by)
       values ('14', '电商进农村综合示范奖补', 'award', 'provincial', 'amount', 5000000, '年度网络零售额达标的e镇',
               '关于开展e镇建设的实施方案', '晋商发〔2024〕1号', '2024-01-15', '2024-01-15', $1)
       returning id`,
      [ADMIN_USER_ID],
    );
    await database.query(
      `insert into fund_applications (policy_id, etown_code, entity_id, applicant_id, title, description,
         requested_fen, approved_fen, status, reviewed_by, reviewed_at)
       select $1, r.code, (select id from entities where etown_code = r.code order by sort_order limit 1), $2,
              r.name || '奖补申请' || n, '申请电商进农村综合示范奖补资金', 5000000,
              case when n % 5 in (3, 4) then 4000000 end,
              (array['submitted', 'returned', 'rejected', 'approved', 'settled'])[1 + n % 5],
              case when n % 5 > 0 then $2::uuid end,
              case when n % 5 > 0 then timestamptz '2026-03-01 10:00:00+08' end
       from regions r, generate_series(1, 2) as n where r.level = 'etown'`,
      [policy?.id, ADMIN_USER_ID],
    );
    // Evaluations go through the service: their snapshot is the engine's document.
    const admin: Actor = {
      userId: ADMIN_USER_ID,
      username: 'bench.generator',
      displayName: '数据生成管理员',
      role: 'province_admin',
      scope: { kind: 'all' },
      ip: '127.0.0.1',
      mustChangePassword: false,
      totpEnrollmentRequired: false,
    };
    const evaluated = await database.query<{ code: string }>(
      `select code from regions where level = 'etown' order by code limit 20`,
    );
    for (const { code } of evaluated) {
      await startEvaluation(context, admin, { etownCode: code, year: evaluationYear });
    }
  });

  await step('analyze', () => database.query('analyze'));
  return {
    etowns: etownCount,
    entities: entityCount,
    monthlyRows,
    months,
    latestMonth,
    evaluationYear,
    adminUserId: ADMIN_USER_ID,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Unread and read notifications for each user, so the bell's list is not empty. */
export async function addNotifications(context: AppContext, userIds: string[], perUser: number) {
  if (userIds.length === 0) return;
  const list = userIds.map((id) => `'${id}'::uuid`).join(', ');
  await context.database.query(
    `insert into notifications (user_id, kind, title, body, read_at, created_at)
     select u, 'evaluation', '评价流程提醒' || n, '有新的评价材料待处理（第' || n || '条）',
            case when n % 3 = 0 then now() end, now() - make_interval(hours => n)
     from unnest(array[${list}]) as u, generate_series(1, ${perUser}) as n`,
  );
}

/** Cities, counties and e-towns of the dataset, in code order, for picking the sessions' scopes. */
export async function regionPick(context: AppContext): Promise<RegionPick> {
  const codes = async (level: string) =>
    (
      await context.database.query<{ code: string }>(
        `select code from regions where level = $1 order by code`,
        [level],
      )
    ).map((row) => row.code);
  return { cities: await codes('city'), counties: await codes('county'), etowns: await codes('etown') };
}
