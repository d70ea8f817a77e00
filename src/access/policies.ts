import { countyOversightRoles, type Role } from './roles.ts';

/**
 * Every route declares one of these in `config.policy`; the app refuses to register a route without one.
 * `roles` lists who may call the route at all; what they may see inside it is decided by their scope.
 */
export type Policy = {
  name: string;
  access: 'public' | 'authenticated' | readonly Role[];
  /** Callable while a password change or TOTP enrolment is still owed (me, logout, password, TOTP). */
  allowPendingSetup?: boolean;
};

const regionReaders: readonly Role[] = [
  'province_admin',
  'city_reviewer',
  'county_operator',
  ...countyOversightRoles,
  'etown_operator',
  'enterprise',
  'expert',
  'security_admin',
];

/*
 * The county's oversight bodies (附件1) are scoped to one county like the county operator:
 * - 县纪委监委 (county_discipline) reads everything the county operator reads for its county — every
 *   read policy that names county_operator names it too (a test holds every GET route to that) — plus
 *   the audit trail of its county's records, and is in no write policy.
 * - 县统计局 (county_statistics) reads the monthly statistics and reviews them with the county operator.
 * - 县财政局 (county_finance) reads funds and projects and approves disbursements where its county
 *   requires it (funds.disbursements.approve).
 */
export const policies = {
  public: { name: 'public', access: 'public' },
  login: { name: 'login', access: 'public' },
  session: { name: 'session', access: 'authenticated', allowPendingSetup: true },
  regionsRead: { name: 'regions.read', access: regionReaders },
  countyTierWrite: { name: 'regions.tier.write', access: ['province_admin'] },
  // The security admin reads the region tree to assign scopes, but not the e-towns' business data.
  etownsRead: {
    name: 'etowns.read',
    access: [
      'province_admin',
      'city_reviewer',
      'county_operator',
      'county_discipline',
      'etown_operator',
      'enterprise',
      'expert',
    ],
  },
  etownsWrite: { name: 'etowns.write', access: ['province_admin', 'county_operator'] },
  leadingGroupsRead: {
    name: 'leading-groups.read',
    access: [
      'province_admin',
      'city_reviewer',
      'county_operator',
      'county_discipline',
      'etown_operator',
      'expert',
    ],
  },
  leadingGroupsWrite: { name: 'leading-groups.write', access: ['province_admin', 'county_operator'] },
  usersManage: { name: 'users.manage', access: ['security_admin'] },
  // The auditor reads the whole log; 县纪委监委 the records concerning its county (by their region code).
  auditRead: { name: 'audit.read', access: ['auditor', 'county_discipline'] },
  auditVerify: { name: 'audit.verify', access: ['auditor'] },
  /** The chain anchors kept outside the database, for the auditor to keep a copy of (ADR 013). */
  auditAnchorsExport: { name: 'audit.anchors.export', access: ['auditor'] },
  settingsRead: { name: 'settings.read', access: ['system_admin'] },
  settingsWrite: { name: 'settings.write', access: ['system_admin'] },
  // Evaluation workflow (自评 → 市级审核 → 专家评审 → 整改 → 验收); scope decides which e-towns.
  evaluationsRead: {
    name: 'evaluations.read',
    access: ['province_admin', 'city_reviewer', 'county_operator', 'county_discipline', 'expert'],
  },
  evaluationsSelfAssess: { name: 'evaluations.self-assess', access: ['county_operator'] },
  evaluationsReview: { name: 'evaluations.review', access: ['city_reviewer'] },
  evaluationsAssignExperts: { name: 'evaluations.experts.assign', access: ['province_admin'] },
  evaluationsExpertScore: { name: 'evaluations.experts.score', access: ['expert'] },
  rectificationsPlan: { name: 'rectifications.plan', access: ['province_admin'] },
  rectificationsUpdate: { name: 'rectifications.update', access: ['county_operator'] },
  evaluationsAccept: { name: 'evaluations.accept', access: ['province_admin'] },
  notificationsOwn: { name: 'notifications.own', access: 'authenticated' },
  // Live scorecards, the overview heat map and the Annex-2 export; scope decides which e-towns.
  scorecardsRead: {
    name: 'scorecards.read',
    access: [
      'province_admin',
      'city_reviewer',
      'county_operator',
      'county_discipline',
      'etown_operator',
      'expert',
    ],
  },
  // Ledger files (ezhen-ledger/1): the template, export, the rows behind a scorecard; import writes an
  // e-town's own ledger lists (never what another role reviews) and runs as a background job.
  ledgerRead: {
    name: 'ledger.read',
    access: [
      'province_admin',
      'city_reviewer',
      'county_operator',
      'county_discipline',
      'etown_operator',
      'expert',
    ],
  },
  ledgerImport: { name: 'ledger.import', access: ['county_operator', 'etown_operator'] },
  // 市场主体 registry (issue 5): the county registers and tags; an enterprise sees only its own entity.
  entitiesRead: {
    name: 'entities.read',
    access: [
      'province_admin',
      'city_reviewer',
      'county_operator',
      'county_discipline',
      'etown_operator',
      'enterprise',
    ],
  },
  entitiesWrite: { name: 'entities.write', access: ['county_operator'] },
  /** Accepting a credit code that fails its check character, with a documented reason. */
  entitiesCreditCodeOverride: { name: 'entities.credit-code-override', access: ['province_admin'] },
  entitiesRevealContact: { name: 'entities.contact.reveal', access: ['county_operator'] },
  /** Inviting an enterprise to open its own account (a one-time link) and revoking invitations. */
  entitiesInvite: { name: 'entities.invite', access: ['county_operator'] },
  /** The invitations of an entity (never their tokens). */
  entitiesInvitationsRead: {
    name: 'entities.invitations.read',
    access: ['county_operator', 'county_discipline'],
  },
  entryApply: { name: 'entities.entry.apply', access: ['enterprise'] },
  entryReview: { name: 'entities.entry.review', access: ['county_operator'] },
  creditRecordsWrite: { name: 'entities.credit.write', access: ['province_admin', 'county_operator'] },
  // Talent (issue 16): trainee files (一人一档) with encrypted ID numbers and phones. The county and the
  // e-town keep them; province and city read them (masked, without 脱贫户 status); only the county reveals.
  traineesRead: {
    name: 'trainees.read',
    access: ['province_admin', 'city_reviewer', 'county_operator', 'county_discipline', 'etown_operator'],
  },
  traineesWrite: { name: 'trainees.write', access: ['county_operator', 'etown_operator'] },
  /** Training sessions and their attendance (person-times counted from it, indicator 11). */
  trainingsRead: {
    name: 'trainings.read',
    access: ['province_admin', 'city_reviewer', 'county_operator', 'county_discipline', 'etown_operator'],
  },
  trainingsWrite: { name: 'trainings.write', access: ['county_operator', 'etown_operator'] },
  /** Experts, business leaders and influencers (indicators 12, 13) with their evidence. */
  talentPeopleRead: {
    name: 'talent-people.read',
    access: ['province_admin', 'city_reviewer', 'county_operator', 'county_discipline', 'etown_operator'],
  },
  talentPeopleWrite: { name: 'talent-people.write', access: ['county_operator', 'etown_operator'] },
  /** The clear ID number and phone of a trainee; every reveal is audited. */
  traineesRevealIdentity: { name: 'trainees.identity.reveal', access: ['county_operator'] },
  // Monthly statistics: enterprises report their own, the county may report for them and reviews, and
  // the county statistics bureau reviews with it (approves, returns with a reason, reopens).
  statsRead: {
    name: 'stats.read',
    access: [
      'province_admin',
      'city_reviewer',
      'county_operator',
      'county_statistics',
      'county_discipline',
      'etown_operator',
      'enterprise',
    ],
  },
  statsReport: { name: 'stats.report', access: ['enterprise', 'county_operator'] },
  statsReview: { name: 'stats.review', access: ['county_operator', 'county_statistics'] },
  statsImport: { name: 'stats.import', access: ['county_operator'] },
  statsSettings: { name: 'stats.settings', access: ['province_admin'] },
  // The city's average output growth (indicator 23): entered by the city, read by the province too.
  cityOutputGrowthRead: {
    name: 'stats.city_output_growth.read',
    access: ['province_admin', 'city_reviewer'],
  },
  cityOutputGrowthWrite: { name: 'stats.city_output_growth.write', access: ['city_reviewer'] },
  // Brands and 网货 (issue 6): the county runs brands, authorizations and products of its e-towns; an
  // enterprise reads its e-town's brands, applies for a regional brand and keeps its own products and batches.
  brandsRead: {
    name: 'brands.read',
    access: [
      'province_admin',
      'city_reviewer',
      'county_operator',
      'county_discipline',
      'etown_operator',
      'enterprise',
    ],
  },
  brandsWrite: { name: 'brands.write', access: ['county_operator'] },
  brandAuthorizationApply: { name: 'brands.authorization.apply', access: ['enterprise', 'county_operator'] },
  brandAuthorizationReview: { name: 'brands.authorization.review', access: ['county_operator'] },
  productsWrite: { name: 'products.write', access: ['county_operator', 'enterprise'] },
  // Expos, competitions, publicity events and media channels: ledger lists of the e-town (#10, #14, #19).
  promotionRead: {
    name: 'promotion.read',
    access: ['province_admin', 'city_reviewer', 'county_operator', 'county_discipline', 'etown_operator'],
  },
  promotionWrite: { name: 'promotion.write', access: ['county_operator', 'etown_operator'] },
  // Trace codes and scans (issue 6): the county generates codes and label sheets for its batches and
  // reviews scan anomalies; the province sets the anomaly threshold. The scan page itself is public.
  traceRead: {
    name: 'trace.read',
    access: ['province_admin', 'city_reviewer', 'county_operator', 'county_discipline', 'etown_operator'],
  },
  traceGenerate: { name: 'trace.generate', access: ['county_operator'] },
  /** Downloading a generation's codes (CSV) and label sheets (PDF); each download is audited. */
  traceCodesExport: { name: 'trace.codes.export', access: ['county_operator', 'county_discipline'] },
  traceReview: { name: 'trace.anomalies.review', access: ['county_operator'] },
  traceSettings: { name: 'trace.settings', access: ['province_admin'] },
  // Projects, facilities and supervision (issue 7): the e-town and its county keep projects, facilities
  // and policy documents; province, city and county inspect, and the inspector closes findings.
  projectsRead: {
    name: 'projects.read',
    access: [
      'province_admin',
      'city_reviewer',
      'county_operator',
      'county_finance',
      'county_discipline',
      'etown_operator',
    ],
  },
  projectsWrite: { name: 'projects.write', access: ['county_operator', 'etown_operator'] },
  // Compliance incidents decide #20, so the e-town never records them (separation of duties): the county
  // (or city, province) records, edits and deletes them; the e-town answers them.
  incidentsRecord: {
    name: 'compliance-incidents.record',
    access: ['province_admin', 'city_reviewer', 'county_operator'],
  },
  incidentsAnswer: { name: 'compliance-incidents.answer', access: ['etown_operator'] },
  inspectionsWrite: {
    name: 'inspections.write',
    access: ['province_admin', 'city_reviewer', 'county_operator'],
  },
  findingsRectify: { name: 'findings.rectify', access: ['county_operator', 'etown_operator'] },
  // Background jobs and the download centre: each user sees only the jobs they started.
  jobsOwn: { name: 'jobs.own', access: 'authenticated' },
  evaluationsOverview: {
    name: 'evaluations.overview',
    access: ['province_admin', 'city_reviewer', 'county_operator', 'county_discipline'],
  },
  // Funds (issue 7): policies and budgets per level; enterprises and the e-town operator apply, the county
  // reviews, pays in instalments and settles; each source is allocated by its own level (see ADR 010).
  // Where a county requires it, each instalment waits for the county finance bureau's approval.
  fundsRead: {
    name: 'funds.read',
    access: [
      'province_admin',
      'city_reviewer',
      'county_operator',
      'county_finance',
      'county_discipline',
      'etown_operator',
      'enterprise',
    ],
  },
  fundsPolicyWrite: {
    name: 'funds.policies.write',
    access: ['province_admin', 'city_reviewer', 'county_operator'],
  },
  fundsAllocate: { name: 'funds.allocate', access: ['province_admin', 'city_reviewer', 'county_operator'] },
  fundsSettings: { name: 'funds.settings', access: ['province_admin'] },
  fundsApply: { name: 'funds.apply', access: ['enterprise', 'etown_operator'] },
  fundsReview: { name: 'funds.review', access: ['county_operator'] },
  fundsDisburse: { name: 'funds.disburse', access: ['county_operator'] },
  /** 拨付需县财政局审批: the county's own switch. */
  fundsCountySettings: { name: 'funds.county-settings', access: ['county_operator'] },
  fundsDisbursementApprove: { name: 'funds.disbursements.approve', access: ['county_finance'] },
  fundsReports: {
    name: 'funds.reports',
    access: [
      'province_admin',
      'city_reviewer',
      'county_operator',
      'county_finance',
      'county_discipline',
      'etown_operator',
    ],
  },
} as const satisfies Record<string, Policy>;

/**
 * Who sees that a trainee is 脱贫户 (sensitive personal information under PIPL): the county's own roles and
 * the e-town below it; roles above the county see the category hidden.
 */
export const povertyStatusReaders: readonly Role[] = [
  'county_operator',
  ...countyOversightRoles,
  'etown_operator',
];

export function roleMayUse(policy: Policy, role: Role): boolean {
  if (policy.access === 'public' || policy.access === 'authenticated') return true;
  return policy.access.includes(role);
}
