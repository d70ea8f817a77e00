// No imports: the web app uses this module as it is.

export const roles = [
  'province_admin',
  'city_reviewer',
  'county_operator',
  'county_statistics',
  'county_finance',
  'county_discipline',
  'etown_operator',
  'enterprise',
  'expert',
  'auditor',
  'security_admin',
  'system_admin',
] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  province_admin: '省级管理员（省商务厅）',
  city_reviewer: '市级审核员（市商务局）',
  county_operator: '县级操作员（县工科局/商务局）',
  county_statistics: '县统计局（统计审核）',
  county_finance: '县财政局（资金拨付审批）',
  county_discipline: '县纪委监委（监督查阅）',
  etown_operator: 'e镇运营主体',
  enterprise: '市场主体（企业）',
  expert: '评审专家',
  auditor: '审计管理员',
  security_admin: '安全管理员',
  system_admin: '系统管理员',
};

/** 三员分立: the three administrator roles; each account holds exactly one role. */
export const separatedAdminRoles = ['auditor', 'security_admin', 'system_admin'] as const satisfies Role[];

export const totpRequiredRoles: readonly Role[] = separatedAdminRoles;

/**
 * The county's oversight bodies named by the county plan (附件1): each is scoped to one county like the
 * county operator and sees nothing outside it. 县统计局 reviews the monthly figures with the county
 * operator, 县财政局 reads funds and approves disbursements where its county requires it, 县纪委监委
 * reads everything in its county (with the audit trail of its records) and writes nothing.
 */
export const countyOversightRoles = [
  'county_statistics',
  'county_finance',
  'county_discipline',
] as const satisfies Role[];

/** Which region level a role's scope must be, when the role is scoped to a region. */
export const scopeLevelByRole: Partial<Record<Role, 'province' | 'city' | 'county' | 'etown'>> = {
  city_reviewer: 'city',
  county_operator: 'county',
  county_statistics: 'county',
  county_finance: 'county',
  county_discipline: 'county',
  etown_operator: 'etown',
  enterprise: 'etown',
};
