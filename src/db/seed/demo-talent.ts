import { eq } from 'drizzle-orm';
import type { AppContext } from '../../http/context.ts';
import { idNumberCheckCharacter } from '../../lib/id-number.ts';
import { newTraineeValues } from '../../modules/talent/trainees.service.ts';
import { entities } from '../schema/entities.ts';
import { type TraineeCategory, traineeFollowUps, trainees } from '../schema/talent.ts';

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

/**
 * 演示数据 for talent: four trainee files in 皋陶乡村e镇 (invented people whose ID numbers pass GB 11643),
 * encrypted like any other, and one follow-up (employed by the demo entity). Written as the system,
 * without audit records (nobody did these things).
 */
export async function seedDemoTalent(context: AppContext, label: string): Promise<void> {
  const { db } = context.database;
  const [employer] = await db
    .select({ id: entities.id })
    .from(entities)
    .where(eq(entities.etownCode, ETOWN))
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
        happenedOn: '2025-09-01',
        entityId: employer.id,
        note: `培训后录用为主播（${label}）`,
      });
    }
  });
}
