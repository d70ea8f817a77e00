import { roleLabels, separatedAdminRoles } from '../../src/access/roles.ts';
import type { AuditResult, CountyTier, MemberPosition, PhaseKey, RegionLevel, Role } from './api/types.ts';

export { roleLabels, scopeLevelByRole } from '../../src/access/roles.ts';

export const roleOrder = Object.keys(roleLabels) as Role[];

/** 三员分立: the auditor, the security admin and the system admin (opened only at the server console). */
export const isSeparatedAdminRole = (role: Role) => (separatedAdminRoles as readonly Role[]).includes(role);

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
