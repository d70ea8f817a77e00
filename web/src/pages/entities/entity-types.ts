import { policies, roleMayUse } from '../../../../src/access/policies.ts';
import type {
  CreditGrade,
  EntityStatus,
  EntityTag,
  EntityType,
  EntryApplicationStatus,
  Role,
} from '../../api/types.ts';

// Labels, rules and form helpers of the entity pages; the answer types are in ../../api/types.ts.

export const entityTypeLabels: Record<EntityType, string> = {
  enterprise: '企业',
  individual: '个体工商户',
  cooperative: '合作社',
  family_farm: '家庭农场',
  institution: '机构',
};

export const entityTagLabels: Record<EntityTag, string> = {
  ecommerce: '电商企业',
  leading: '龙头企业',
  cross_border: '跨境电商',
  finance_outlet: '金融服务网点',
  telecom_outlet: '通讯服务网点',
  rnd: '研发机构',
  training: '培训机构',
};

export const entityTagColors: Record<EntityTag, string> = {
  ecommerce: 'blue',
  leading: 'gold',
  cross_border: 'purple',
  finance_outlet: 'green',
  telecom_outlet: 'cyan',
  rnd: 'magenta',
  training: 'orange',
};

export const entityStatusLabels: Record<EntityStatus, string> = { active: '在册', exited: '已退出' };

export const applicationStatusLabels: Record<EntryApplicationStatus, string> = {
  submitted: '待审核',
  admitted: '已准入',
  rejected: '已退回',
};
export const applicationStatusColors: Record<EntryApplicationStatus, string> = {
  submitted: 'processing',
  admitted: 'success',
  rejected: 'error',
};

export const gradeColors: Record<CreditGrade['grade'], string> = {
  A: 'green',
  B: 'blue',
  C: 'orange',
  D: 'red',
};

export const shopPlatforms = [
  '淘宝',
  '天猫',
  '拼多多',
  '抖音',
  '快手',
  '京东',
  '微信小店',
  '阿里巴巴国际站',
  '亚马逊',
  '速卖通',
  '其他',
];

/** The same category tables the server uses: standard points per category. */
export const violationCategories: Record<string, number> = {
  侵权假冒: -20,
  虚假交易: -15,
  质量问题: -10,
  价格违法: -10,
  商业欺诈: -20,
  其他: -5,
};
export const goodConductCategories: Record<string, number> = { 诚信经营表彰: 5, 质量认证: 5, 其他: 2 };

export const creditGradeRule =
  '信用分 = 100 + 各条记录分值之和（良好记录加分，违规记录扣分）；A ≥ 90，B ≥ 75，C ≥ 60，D < 60';

// The server's own route policies, so the UI offers exactly what the server allows.
export const canEntities = {
  read: (role: Role) => roleMayUse(policies.entitiesRead, role),
  write: (role: Role) => roleMayUse(policies.entitiesWrite, role),
  overrideCreditCode: (role: Role) => roleMayUse(policies.entitiesCreditCodeOverride, role),
  revealContact: (role: Role) => roleMayUse(policies.entitiesRevealContact, role),
  apply: (role: Role) => roleMayUse(policies.entryApply, role),
  review: (role: Role) => roleMayUse(policies.entryReview, role),
  writeCredit: (role: Role) => roleMayUse(policies.creditRecordsWrite, role),
};

/** Server field paths (`body.name`, `proposal.creditCode`) as form field names. */
export function formFieldOf(path: string): string[] {
  return path
    .replace(/^body\./, '')
    .replace(/^proposal\./, '')
    .split('.');
}
