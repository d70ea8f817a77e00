import type { Role } from './roles.ts';

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
  'etown_operator',
  'enterprise',
  'expert',
  'security_admin',
];

export const policies = {
  public: { name: 'public', access: 'public' },
  login: { name: 'login', access: 'public' },
  session: { name: 'session', access: 'authenticated', allowPendingSetup: true },
  regionsRead: { name: 'regions.read', access: regionReaders },
  countyTierWrite: { name: 'regions.tier.write', access: ['province_admin'] },
  // The security admin reads the region tree to assign scopes, but not the e-towns' business data.
  etownsRead: {
    name: 'etowns.read',
    access: ['province_admin', 'city_reviewer', 'county_operator', 'etown_operator', 'enterprise', 'expert'],
  },
  etownsWrite: { name: 'etowns.write', access: ['province_admin', 'county_operator'] },
  leadingGroupsRead: {
    name: 'leading-groups.read',
    access: ['province_admin', 'city_reviewer', 'county_operator', 'etown_operator', 'expert'],
  },
  leadingGroupsWrite: { name: 'leading-groups.write', access: ['province_admin', 'county_operator'] },
  usersManage: { name: 'users.manage', access: ['security_admin'] },
  auditRead: { name: 'audit.read', access: ['auditor'] },
  settingsRead: { name: 'settings.read', access: ['system_admin'] },
  settingsWrite: { name: 'settings.write', access: ['system_admin'] },
  // Evaluation workflow (自评 → 市级审核 → 专家评审 → 整改 → 验收); scope decides which e-towns.
  evaluationsRead: {
    name: 'evaluations.read',
    access: ['province_admin', 'city_reviewer', 'county_operator', 'expert'],
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
    access: ['province_admin', 'city_reviewer', 'county_operator', 'etown_operator', 'expert'],
  },
  // Ledger files (ezhen-ledger/1): the template, export, the rows behind a scorecard; import replaces
  // an e-town's ledger data and runs as a background job.
  ledgerRead: {
    name: 'ledger.read',
    access: ['province_admin', 'city_reviewer', 'county_operator', 'etown_operator', 'expert'],
  },
  ledgerImport: { name: 'ledger.import', access: ['county_operator', 'etown_operator'] },
  // 市场主体 registry (issue 5): the county registers and tags; an enterprise sees only its own entity.
  entitiesRead: {
    name: 'entities.read',
    access: ['province_admin', 'city_reviewer', 'county_operator', 'etown_operator', 'enterprise'],
  },
  entitiesWrite: { name: 'entities.write', access: ['county_operator'] },
  /** Accepting a credit code that fails its check character, with a documented reason. */
  entitiesCreditCodeOverride: { name: 'entities.credit-code-override', access: ['province_admin'] },
  entitiesRevealContact: { name: 'entities.contact.reveal', access: ['county_operator'] },
  entryApply: { name: 'entities.entry.apply', access: ['enterprise'] },
  entryReview: { name: 'entities.entry.review', access: ['county_operator'] },
  creditRecordsWrite: { name: 'entities.credit.write', access: ['province_admin', 'county_operator'] },
  // Monthly statistics: enterprises report their own, the county may report for them and reviews.
  statsRead: {
    name: 'stats.read',
    access: ['province_admin', 'city_reviewer', 'county_operator', 'etown_operator', 'enterprise'],
  },
  statsReport: { name: 'stats.report', access: ['enterprise', 'county_operator'] },
  statsReview: { name: 'stats.review', access: ['county_operator'] },
  statsImport: { name: 'stats.import', access: ['county_operator'] },
  statsSettings: { name: 'stats.settings', access: ['province_admin'] },
  // Background jobs and the download centre: each user sees only the jobs they started.
  jobsOwn: { name: 'jobs.own', access: 'authenticated' },
  evaluationsOverview: {
    name: 'evaluations.overview',
    access: ['province_admin', 'city_reviewer', 'county_operator'],
  },
} as const satisfies Record<string, Policy>;

export function roleMayUse(policy: Policy, role: Role): boolean {
  if (policy.access === 'public' || policy.access === 'authenticated') return true;
  return policy.access.includes(role);
}
