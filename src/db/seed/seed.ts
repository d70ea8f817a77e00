import { count, eq, inArray } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { AppContext } from '../../http/context.ts';
import { parseLedger } from '../../indicators/ledger-schema.ts';
import { creditCodeCheckCharacter } from '../../lib/credit-code.ts';
import { generatePassword } from '../../modules/accounts/password.ts';
import { createUser } from '../../modules/accounts/user.service.ts';
import { recordAudit } from '../../modules/audit/audit.service.ts';
import { seedEtownLedger } from '../../modules/indicators/ledger-import.ts';
import shanxiRegions from '../../modules/regions/data/shanxi-regions.json' with { type: 'json' };
import type { Boundary } from '../../modules/regions/regions.schemas.ts';
import { boundaryAreaKm2 } from '../../modules/regions/regions.service.ts';
import type { Transaction } from '../client.ts';
import type { Role } from '../schema/accounts.ts';
import { users } from '../schema/accounts.ts';
import { entities } from '../schema/entities.ts';
import {
  countyTierChanges,
  etownProfiles,
  leadingGroupMembers,
  leadingGroups,
  leadingGroupUnits,
  regions,
} from '../schema/regions.ts';
import { demoLedgerJson } from './demo-ledger.ts';
import { seedDemoTalent } from './demo-talent.ts';
import { seedDemoTraceability } from './demo-traceability.ts';
import { yuanquGroup, yuanquMembers, yuanquUnits } from './yuanqu-leading-group.ts';

const SEEDER = { username: 'system.seed', ip: 'local' };
export const DEMO_LABEL = '演示数据';

/**
 * Shanxi's province, 11 cities and 117 counties (GB/T 2260), inserted once; reference data, not demo. A
 * start on a database that has them all only counts them: an insert (even one that conflicts on every row)
 * writes a transaction and makes PGlite load pg_trgm for the region tables' indexes, work a start can skip.
 */
export async function ensureReferenceRegions(context: AppContext): Promise<number> {
  const { db } = context.database;
  const rows = shanxiRegions as {
    code: string;
    name: string;
    level: 'province' | 'city' | 'county';
    parentCode: string | null;
  }[];
  const [present] = await db
    .select({ count: count() })
    .from(regions)
    .where(
      inArray(
        regions.code,
        rows.map((row) => row.code),
      ),
    );
  if (present?.count === rows.length) return 0;
  const inserted = await db.transaction(async (tx) => {
    let added = 0;
    for (const level of ['province', 'city', 'county'] as const) {
      const batch = rows.filter((row) => row.level === level);
      const result = await tx
        .insert(regions)
        .values(batch)
        .onConflictDoNothing()
        .returning({ code: regions.code });
      added += result.length;
    }
    return added;
  });
  return inserted;
}

export async function databaseHasUsers(context: AppContext): Promise<boolean> {
  const [row] = await context.database.db.select({ count: count() }).from(users);
  return (row?.count ?? 0) > 0;
}

export type DemoAccount = { username: string; role: Role; displayName: string; password: string };

// The boundary drawn in the project's worked example (shared/examples/gaotao-2024.ledger.json); the plan
// itself gives only the four boundaries in words.
const gaotaoBoundary: Boundary = {
  type: 'Polygon',
  coordinates: [
    [
      [111.6656, 35.2971],
      [111.6778, 35.2964],
      [111.6817, 35.3012],
      [111.6776, 35.3065],
      [111.6671, 35.3068],
      [111.6632, 35.3019],
      [111.6656, 35.2971],
    ],
  ],
};

const demoCreditCode = (() => {
  const first17 = '91140827MA0K8DEM0';
  return `${first17}${creditCodeCheckCharacter(first17)}`;
})();

/**
 * The demo: 山西省 → 运城市 → 垣曲县 (重点帮扶县) → 皋陶乡村e镇 with the plan's facts and its leading group, a second
 * county (绛县) with its own e-town to show scope isolation, one account per role, and 垣曲猴头菇礼盒 traced from
 * brand authorization to trace codes. Everything invented for the demo says 演示 in its name.
 */
export async function seedDemo(context: AppContext, config: Config): Promise<DemoAccount[]> {
  const { db } = context.database;
  await ensureReferenceRegions(context);
  if (await databaseHasUsers(context)) {
    throw new Error('数据库中已有用户，演示数据只能写入空数据库');
  }
  const password = config.demoPassword;
  const entityId = await db.transaction(async (tx) => {
    await seedDemoRegions(tx);
    await seedDemoLeadingGroup(tx);
    const [entity] = await tx
      .insert(entities)
      .values({
        creditCode: demoCreditCode,
        name: `垣曲县演示食用菌电商有限公司（${DEMO_LABEL}）`,
        etownCode: '140827-E01',
      })
      .returning({ id: entities.id });
    await recordAudit(tx, SEEDER, {
      action: 'seed.demo',
      targetType: 'database',
      diff: { label: DEMO_LABEL },
    });
    return entity?.id as string;
  });

  const created = await createDemoAccounts(context, password, entityId);
  await seedDemoLedger(context);
  await seedDemoTraceability(context, DEMO_LABEL);
  await seedDemoTalent(context, DEMO_LABEL);
  return created;
}

/** The two demo counties' tiers, their e-towns and the e-towns' profiles. */
async function seedDemoRegions(tx: Transaction) {
  for (const [code, tier, reason] of [
    ['140827', 'key_support', `垣曲县列为重点帮扶县（${DEMO_LABEL}）`],
    ['140826', 'overall_advance', `绛县列为整体推进县（${DEMO_LABEL}）`],
  ] as const) {
    await tx.update(regions).set({ tier }).where(eq(regions.code, code));
    await tx
      .insert(countyTierChanges)
      .values({ countyCode: code, tier, previousTier: null, reason, changedByName: '系统初始化' });
  }
  await tx.insert(regions).values([
    { code: '140827-E01', name: '皋陶乡村e镇', level: 'etown', parentCode: '140827' },
    { code: '140826-E01', name: '绛县演示乡村e镇', level: 'etown', parentCode: '140826' },
  ]);
  await tx.insert(etownProfiles).values([
    {
      code: '140827-E01',
      villages: ['新城镇坡底村', '皋落乡皋落村'],
      boundaryEast: '鲁家坡',
      boundaryWest: '滨河东路',
      boundarySouth: '皋落村',
      boundaryNorth: '学府路',
      landAreaKm2: '1.5',
      boundary: gaotaoBoundary,
      boundaryAreaKm2: boundaryAreaKm2(gaotaoBoundary),
      leadingIndustries: ['食用菌', '特色农产品'],
      phases: [
        { phase: 'launch', startOn: '2023-04-01', endOn: '2023-05-31' },
        { phase: 'implementation', startOn: '2023-05-01', endOn: '2023-11-30' },
        { phase: 'evaluation', startOn: '2023-11-01', endOn: '2023-12-31' },
        { phase: 'acceptance', startOn: '2024-01-01', endOn: '2024-03-31' },
      ],
    },
    {
      code: '140826-E01',
      villages: ['演示村'],
      landAreaKm2: '0.8',
      leadingIndustries: ['山楂（演示）'],
      operatingEntity: `${DEMO_LABEL}运营主体`,
    },
  ]);
}

/** 垣曲县's leading group for 皋陶乡村e镇, with its member units and members. */
async function seedDemoLeadingGroup(tx: Transaction) {
  const [group] = await tx
    .insert(leadingGroups)
    .values({ regionCode: '140827-E01', ...yuanquGroup })
    .returning({ id: leadingGroups.id });
  const groupId = group?.id as string;
  const units = await tx
    .insert(leadingGroupUnits)
    .values(
      yuanquUnits.map((unit, index) => ({
        groupId,
        name: unit.name,
        duties: unit.duties,
        sortOrder: index,
      })),
    )
    .returning({ id: leadingGroupUnits.id, name: leadingGroupUnits.name });
  const unitId = new Map(units.map((unit) => [unit.name, unit.id]));
  await tx.insert(leadingGroupMembers).values(
    yuanquMembers.map((member, index) => ({
      groupId,
      unitId: unitId.get(member.unit) ?? null,
      position: member.position,
      personName: member.personName,
      title: member.title,
      since: yuanquGroup.establishedOn,
      sortOrder: index,
    })),
  );
}

/** An account the demo creates; the enterprise account belongs to the demo entity. */
type DemoAccountSpec = {
  username: string;
  displayName: string;
  role: Role;
  scopeRegionCode?: string;
  expert?: boolean;
};

const demoAccounts: DemoAccountSpec[] = [
  { username: 'province.admin', displayName: '省商务厅管理员（演示）', role: 'province_admin' },
  {
    username: 'city.yuncheng',
    displayName: '运城市商务局审核员（演示）',
    role: 'city_reviewer',
    scopeRegionCode: '1408',
  },
  {
    username: 'county.yuanqu',
    displayName: '垣曲县工科局操作员（演示）',
    role: 'county_operator',
    scopeRegionCode: '140827',
  },
  {
    username: 'county.yuanqu.stats',
    displayName: '垣曲县统计局审核员（演示）',
    role: 'county_statistics',
    scopeRegionCode: '140827',
  },
  {
    username: 'county.yuanqu.finance',
    displayName: '垣曲县财政局审批员（演示）',
    role: 'county_finance',
    scopeRegionCode: '140827',
  },
  {
    username: 'county.yuanqu.discipline',
    displayName: '垣曲县纪委监委监督员（演示）',
    role: 'county_discipline',
    scopeRegionCode: '140827',
  },
  {
    username: 'county.other',
    displayName: '绛县商务局操作员（演示）',
    role: 'county_operator',
    scopeRegionCode: '140826',
  },
  {
    username: 'etown.gaotao',
    displayName: '皋陶乡村e镇运营主体（演示）',
    role: 'etown_operator',
    scopeRegionCode: '140827-E01',
  },
  {
    username: 'enterprise.demo',
    displayName: '演示企业填报员（演示）',
    role: 'enterprise',
    scopeRegionCode: '140827-E01',
  },
  { username: 'expert.demo', displayName: '评审专家（演示）', role: 'expert', expert: true },
  { username: 'auditor', displayName: '审计管理员（演示）', role: 'auditor' },
  { username: 'security.admin', displayName: '安全管理员（演示）', role: 'security_admin' },
  { username: 'system.admin', displayName: '系统管理员（演示）', role: 'system_admin' },
];

/** One account per role; without a configured demo password each gets its own generated one. */
async function createDemoAccounts(
  context: AppContext,
  password: string | undefined,
  entityId: string,
): Promise<DemoAccount[]> {
  const created: DemoAccount[] = [];
  for (const account of demoAccounts) {
    const accountPassword = password ?? generatePassword();
    await createUser(
      context,
      SEEDER,
      {
        username: account.username,
        displayName: account.displayName,
        role: account.role,
        scopeRegionCode: account.scopeRegionCode ?? null,
        expertEtownCodes: account.expert ? ['140827-E01'] : undefined,
        entityId: account.role === 'enterprise' ? entityId : null,
      },
      { password: accountPassword, mustChangePassword: !password, isDemo: true },
    );
    created.push({
      username: account.username,
      role: account.role,
      displayName: account.displayName,
      password: accountPassword,
    });
  }
  return created;
}

/**
 * 皋陶乡村e镇's ledger (演示数据): the worked example moved to this year, written as its owners would have
 * entered it (registry, approved figures and incidents too; the leading group is the register's above),
 * so the demo scorecard, overview and drill-downs show a plausible e-town part-way through its year.
 */
async function seedDemoLedger(context: AppContext) {
  const parsed = parseLedger(demoLedgerJson(new Date(), DEMO_LABEL));
  if (!parsed.ok) throw new Error(`demo ledger: ${JSON.stringify(parsed.problems.slice(0, 3))}`);
  await seedEtownLedger(context, SEEDER, parsed.ledger, '140827-E01');
}
