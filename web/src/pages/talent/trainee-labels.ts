import type { TraineeCategory, TraineeFollowUpKind, TraineeGender } from '../../api/types.ts';

// Labels of the trainee pages; the answer types are in ../../api/types.ts.

export const traineeCategoryLabels: Record<TraineeCategory, string> = {
  returning_migrant_worker: '返乡农民工',
  college_student: '大学生',
  veteran: '退役军人',
  poverty_alleviated: '脱贫户',
  individual_business: '个体工商户',
  cooperative_member: '合作社成员',
  other: '其他',
};

export const traineeCategoryColors: Record<TraineeCategory, string> = {
  returning_migrant_worker: 'blue',
  college_student: 'cyan',
  veteran: 'green',
  poverty_alleviated: 'orange',
  individual_business: 'purple',
  cooperative_member: 'gold',
  other: 'default',
};

export const traineeGenderLabels: Record<TraineeGender, string> = { male: '男', female: '女' };

export const followUpKindLabels: Record<TraineeFollowUpKind, string> = {
  opened_shop: '开设网店',
  employed: '被市场主体录用',
  income_change: '收入变化',
};

/** Shown instead of 脱贫户 to roles above the county (敏感个人信息). */
export const HIDDEN_CATEGORY_LABEL = '已隐去（敏感信息）';
