import { policies, roleMayUse } from '../../src/access/policies.ts';
import type { Role } from './api-types.ts';

// The server's own route policies, so the UI offers exactly what the server allows.
export const can = {
  readRegions: (role: Role) => roleMayUse(policies.regionsRead, role),
  readEtowns: (role: Role) => roleMayUse(policies.etownsRead, role),
  writeEtowns: (role: Role) => roleMayUse(policies.etownsWrite, role),
  setCountyTier: (role: Role) => roleMayUse(policies.countyTierWrite, role),
  readLeadingGroups: (role: Role) => roleMayUse(policies.leadingGroupsRead, role),
  writeLeadingGroups: (role: Role) => roleMayUse(policies.leadingGroupsWrite, role),
  manageUsers: (role: Role) => roleMayUse(policies.usersManage, role),
  readAudit: (role: Role) => roleMayUse(policies.auditRead, role),
  manageSettings: (role: Role) => roleMayUse(policies.settingsWrite, role),
  readEvaluations: (role: Role) => roleMayUse(policies.evaluationsRead, role),
  selfAssess: (role: Role) => roleMayUse(policies.evaluationsSelfAssess, role),
  reviewEvaluations: (role: Role) => roleMayUse(policies.evaluationsReview, role),
  assignExperts: (role: Role) => roleMayUse(policies.evaluationsAssignExperts, role),
  expertScore: (role: Role) => roleMayUse(policies.evaluationsExpertScore, role),
  planRectifications: (role: Role) => roleMayUse(policies.rectificationsPlan, role),
  updateRectifications: (role: Role) => roleMayUse(policies.rectificationsUpdate, role),
  readScorecards: (role: Role) => roleMayUse(policies.scorecardsRead, role),
  readOverview: (role: Role) => roleMayUse(policies.evaluationsOverview, role),
  acceptEvaluations: (role: Role) => roleMayUse(policies.evaluationsAccept, role),
  readLedger: (role: Role) => roleMayUse(policies.ledgerRead, role),
  readStats: (role: Role) => roleMayUse(policies.statsRead, role),
  reportStats: (role: Role) => roleMayUse(policies.statsReport, role),
  reviewStats: (role: Role) => roleMayUse(policies.statsReview, role),
  importStats: (role: Role) => roleMayUse(policies.statsImport, role),
  readEntities: (role: Role) => roleMayUse(policies.entitiesRead, role),
  importLedger: (role: Role) => roleMayUse(policies.ledgerImport, role),
};

/** Where a user lands after signing in. */
export function homePath(role: Role): string {
  if (role === 'auditor') return '/audit';
  if (role === 'system_admin') return '/settings';
  if (role === 'security_admin') return '/users';
  return '/regions';
}
