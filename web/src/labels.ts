import type { AuditResult, CountyTier, MemberPosition, PhaseKey, RegionLevel, Role } from './api-types.ts';

// Kept in step with src/access/roles.ts; that module pulls in the database schema, so the browser keeps its own copy.
export const roleLabels: Record<Role, string> = {
  province_admin: '省级管理员（省商务厅）',
  city_reviewer: '市级审核员（市商务局）',
  county_operator: '县级操作员（县工科局/商务局）',
  etown_operator: 'e镇运营主体',
  enterprise: '市场主体（企业）',
  expert: '评审专家',
  auditor: '审计管理员',
  security_admin: '安全管理员',
  system_admin: '系统管理员',
};

export const roleOrder = Object.keys(roleLabels) as Role[];

/** The region level a role's scope sits at; roles not listed have no region scope. */
export const scopeLevelByRole: Partial<Record<Role, RegionLevel>> = {
  city_reviewer: 'city',
  county_operator: 'county',
  etown_operator: 'etown',
  enterprise: 'etown',
};

export const levelLabels: Record<RegionLevel, string> = {
  province: '省',
  city: '市',
  county: '县',
  etown: 'e镇',
};

export const tierLabels: Record<CountyTier, string> = {
  pilot_demo: '先行示范县',
  overall_advance: '整体推进县',
  key_support: '重点帮扶县',
};

export const tierColors: Record<CountyTier, string> = {
  pilot_demo: 'red',
  overall_advance: 'blue',
  key_support: 'orange',
};

export const phaseLabels: Record<PhaseKey, string> = {
  launch: '启动阶段',
  implementation: '实施阶段',
  evaluation: '绩效评估阶段',
  acceptance: '总结验收阶段',
};

export const phaseOrder: PhaseKey[] = ['launch', 'implementation', 'evaluation', 'acceptance'];

export const positionLabels: Record<MemberPosition, string> = {
  head: '组长',
  deputy: '副组长',
  member: '成员',
  office_director: '办公室主任',
};

export const positionOrder: MemberPosition[] = ['head', 'deputy', 'member', 'office_director'];

export const auditResultLabels: Record<AuditResult, string> = {
  success: '成功',
  failure: '失败',
  denied: '拒绝',
};

export const auditResultColors: Record<AuditResult, string> = {
  success: 'green',
  failure: 'orange',
  denied: 'red',
};
