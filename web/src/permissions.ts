import { policies, povertyStatusReaders, roleMayUse } from '../../src/access/policies.ts';
import type { Role } from './api/types.ts';

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
  verifyAudit: (role: Role) => roleMayUse(policies.auditVerify, role),
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
  manageStatsSettings: (role: Role) => roleMayUse(policies.statsSettings, role),
  readCityOutputGrowth: (role: Role) => roleMayUse(policies.cityOutputGrowthRead, role),
  writeCityOutputGrowth: (role: Role) => roleMayUse(policies.cityOutputGrowthWrite, role),
  readEntities: (role: Role) => roleMayUse(policies.entitiesRead, role),
  readTrainees: (role: Role) => roleMayUse(policies.traineesRead, role),
  writeTrainees: (role: Role) => roleMayUse(policies.traineesWrite, role),
  revealTrainees: (role: Role) => roleMayUse(policies.traineesRevealIdentity, role),
  readTrainings: (role: Role) => roleMayUse(policies.trainingsRead, role),
  writeTrainings: (role: Role) => roleMayUse(policies.trainingsWrite, role),
  readTalentPeople: (role: Role) => roleMayUse(policies.talentPeopleRead, role),
  writeTalentPeople: (role: Role) => roleMayUse(policies.talentPeopleWrite, role),
  /** 脱贫户 is shown to the county and below only (PIPL). */
  readPovertyStatus: (role: Role) => povertyStatusReaders.includes(role),
  inviteEnterprises: (role: Role) => roleMayUse(policies.entitiesInvite, role),
  readInvitations: (role: Role) => roleMayUse(policies.entitiesInvitationsRead, role),
  importLedger: (role: Role) => roleMayUse(policies.ledgerImport, role),
  readBrands: (role: Role) => roleMayUse(policies.brandsRead, role),
  writeBrands: (role: Role) => roleMayUse(policies.brandsWrite, role),
  applyBrandAuthorization: (role: Role) => roleMayUse(policies.brandAuthorizationApply, role),
  reviewBrandAuthorizations: (role: Role) => roleMayUse(policies.brandAuthorizationReview, role),
  writeProducts: (role: Role) => roleMayUse(policies.productsWrite, role),
  readPromotion: (role: Role) => roleMayUse(policies.promotionRead, role),
  writePromotion: (role: Role) => roleMayUse(policies.promotionWrite, role),
  readFunds: (role: Role) => roleMayUse(policies.fundsRead, role),
  writeFundPolicies: (role: Role) => roleMayUse(policies.fundsPolicyWrite, role),
  allocateFunds: (role: Role) => roleMayUse(policies.fundsAllocate, role),
  manageFundSettings: (role: Role) => roleMayUse(policies.fundsSettings, role),
  applyFunds: (role: Role) => roleMayUse(policies.fundsApply, role),
  reviewFunds: (role: Role) => roleMayUse(policies.fundsReview, role),
  disburseFunds: (role: Role) => roleMayUse(policies.fundsDisburse, role),
  setCountyFundSettings: (role: Role) => roleMayUse(policies.fundsCountySettings, role),
  approveDisbursements: (role: Role) => roleMayUse(policies.fundsDisbursementApprove, role),
  /** The disbursement-request list: the county, its finance bureau and those overseeing them. */
  readDisbursementRequests: (role: Role) =>
    roleMayUse(policies.fundsRead, role) && role !== 'enterprise' && role !== 'etown_operator',
  readFundReports: (role: Role) => roleMayUse(policies.fundsReports, role),
  readTrace: (role: Role) => roleMayUse(policies.traceRead, role),
  generateTraceCodes: (role: Role) => roleMayUse(policies.traceGenerate, role),
  exportTraceCodes: (role: Role) => roleMayUse(policies.traceCodesExport, role),
  reviewScanAnomalies: (role: Role) => roleMayUse(policies.traceReview, role),
  readProjects: (role: Role) => roleMayUse(policies.projectsRead, role),
  writeProjects: (role: Role) => roleMayUse(policies.projectsWrite, role),
  recordIncidents: (role: Role) => roleMayUse(policies.incidentsRecord, role),
  answerIncidents: (role: Role) => roleMayUse(policies.incidentsAnswer, role),
  inspect: (role: Role) => roleMayUse(policies.inspectionsWrite, role),
  rectifyFindings: (role: Role) => roleMayUse(policies.findingsRectify, role),
};

/** Where a user lands after signing in. */
export function homePath(role: Role): string {
  if (role === 'auditor') return '/audit';
  if (role === 'system_admin') return '/settings';
  if (role === 'security_admin') return '/users';
  if (role === 'county_statistics') return '/stats/monthly';
  if (role === 'county_finance') return '/funds/disbursement-requests';
  return '/regions';
}
