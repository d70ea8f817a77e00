import { asc, eq } from 'drizzle-orm';
import type { AppContext } from '../../http/context.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { idNumberCheckCharacter } from '../../lib/id-number.ts';
import { newTraineeValues } from '../../modules/talent/trainees.service.ts';
import type { Executor } from '../client.ts';
import { entities, entityTagAssignments } from '../schema/entities.ts';
import {
  type TraineeCategory,
  talentPeople,
  traineeFollowUps,
  trainees,
  trainingAttendance,
  trainingSessions,
} from '../schema/talent.ts';

const ETOWN = '140827-E01';

type DemoTrainee = {
  name: string;
  gender: 'male' | 'female';
  /** The first 17 digits of an invented ID number (垣曲 140827, a birth date, a sequence); the check digit is computed. */
  first17: string;
  phone: string;
  village: string;
  category: TraineeCategory;
  skills: string[];
};

const demoTrainees: DemoTrainee[] = [
  {
    name: '李春梅',
    gender: 'female',
    first17: '14082719920314202',
    phone: '13900000101',
    village: '皋落村',
    category: 'returning_migrant_worker',
    skills: ['直播带货', '短视频剪辑'],
  },
  {
    name: '王建军',
    gender: 'male',
    first17: '14082719880921101',
    phone: '13900000102',
    village: '坡底村',
    category: 'veteran',
    skills: ['网店运营'],
  },
  {
    name: '赵晓雨',
    gender: 'female',
    first17: '14082720010605302',
    phone: '13900000103',
    village: '历山村',
    category: 'college_student',
    skills: ['美工设计', '直播带货'],
  },
  {
    name: '张福来',
    gender: 'male',
    first17: '14082719750112401',
    phone: '13900000104',
    village: '皋落村',
    category: 'poverty_alleviated',
    skills: ['食用菌种植', '电商打包发货'],
  },
];

/** One demo session this year (15 March, or today before then), held by the demo entity as 培训机构. */
async function seedDemoSession(tx: Executor, label: string, institutionId: string, traineeIds: string[]) {
  const today = shanghaiToday();
  const heldOn = `${today.slice(0, 4)}-03-15` < today ? `${today.slice(0, 4)}-03-15` : today;
  await tx
    .insert(entityTagAssignments)
    .values({
      entityId: institutionId,
      tag: 'training',
      reason: `承办电商培训（${label}）`,
      taggedOn: heldOn,
    })
    .onConflictDoNothing();
  const [session] = await tx
    .insert(trainingSessions)
    .values({
      etownCode: ETOWN,
      institutionEntityId: institutionId,
      heldOn,
      place: `皋陶e镇电商产业培训孵化中心（${label}）`,
      teacher: '刘老师',
      topic: `直播带货实操培训（${label}）`,
      crossBorder: false,
      capacity: 40,
    })
    .returning({ id: trainingSessions.id });
  await tx.insert(trainingAttendance).values(
    traineeIds.map((traineeId) => ({
      sessionId: session?.id as string,
      traineeId,
      etownCode: ETOWN,
      source: 'manual' as const,
    })),
  );
}

/** One platform-entered expert, business leader (of the demo entity) and influencer for 皋陶. */
async function seedDemoPeople(tx: Executor, label: string, entityId: string) {
  const year = shanghaiToday().slice(0, 4);
  await tx.insert(talentPeople).values([
    {
      etownCode: ETOWN,
      role: 'expert' as const,
      source: 'platform' as const,
      name: `郭文博（${label}）`,
      expertise: '农产品直播电商运营',
      employer: '运城职业技术大学',
      engagedFrom: `${year}-01-01`,
      engagedTo: `${year}-12-31`,
    },
    {
      etownCode: ETOWN,
      role: 'business_leader' as const,
      source: 'platform' as const,
      name: `薛海燕（${label}）`,
      entityId,
      leads: '带动周边农户线上销售食用菌',
    },
    {
      etownCode: ETOWN,
      role: 'influencer' as const,
      source: 'platform' as const,
      name: `历山茶姐（${label}）`,
      platform: '抖音',
      account: '历山茶姐',
      followers: 52_000,
      monthlySalesFen: 12_800_050n,
      salesMonth: `${year}-03`,
    },
  ]);
}

/**
 * 演示数据 for talent: four trainee files in 皋陶乡村e镇 (invented people whose ID numbers pass GB 11643),
 * encrypted like any other, one follow-up (employed by the demo entity), and one session they all
 * attended, held by the demo entity tagged 培训机构; an expert, a business leader and an influencer
 * entered on the platform. Written as the system, without audit records.
 */
export async function seedDemoTalent(context: AppContext, label: string): Promise<void> {
  const { db } = context.database;
  const [employer] = await db
    .select({ id: entities.id })
    .from(entities)
    .where(eq(entities.etownCode, ETOWN))
    .orderBy(asc(entities.createdAt))
    .limit(1);
  await db.transaction(async (tx) => {
    const rows = await tx
      .insert(trainees)
      .values(
        demoTrainees.map((trainee) =>
          newTraineeValues(context, {
            etownCode: ETOWN,
            villageName: trainee.village,
            name: `${trainee.name}（${label}）`,
            gender: trainee.gender,
            idNumber: `${trainee.first17}${idNumberCheckCharacter(trainee.first17)}`,
            phone: trainee.phone,
            category: trainee.category,
            skills: trainee.skills,
            certificates: [],
          }),
        ),
      )
      .returning({ id: trainees.id });
    const first = rows[0];
    if (first && employer) {
      await tx.insert(traineeFollowUps).values({
        traineeId: first.id,
        kind: 'employed',
        happenedOn: shanghaiToday(),
        entityId: employer.id,
        note: `参加直播带货实操培训后录用为主播（${label}）`,
      });
      await seedDemoSession(
        tx,
        label,
        employer.id,
        rows.map((row) => row.id),
      );
      await seedDemoPeople(tx, label, employer.id);
    }
  });
}
