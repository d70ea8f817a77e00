/** Response shapes of the server's JSON API, as the web app reads them. */

import type { Role } from '../../src/access/roles.ts';

/** The server's roles (src/access/roles.ts has no imports, so the web app uses it as it is). */
export type { Role };

export type Me = {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  roleLabel: string;
  scope: {
    kind: 'all' | 'region' | 'etowns' | 'entity' | 'none';
    label: string;
    regionCodes: string[];
    entityId: string | null;
  };
  mustChangePassword: boolean;
  totpEnrollmentRequired: boolean;
  totpEnabled: boolean;
  sessionIdleMinutes: number;
  isDemo: boolean;
};

export type RegionLevel = 'province' | 'city' | 'county' | 'etown';
export type CountyTier = 'pilot_demo' | 'overall_advance' | 'key_support';

export type RegionNode = {
  code: string;
  name: string;
  level: RegionLevel;
  tier: CountyTier | null;
  children: RegionNode[];
};

export type RegionRef = { code: string; name: string; level: RegionLevel };

export type RegionDetail = {
  code: string;
  name: string;
  level: RegionLevel;
  tier: CountyTier | null;
  parentCode: string | null;
  ancestors: RegionRef[];
  children: (RegionRef & { tier: CountyTier | null })[];
  tierHistory: {
    tier: CountyTier;
    previousTier: CountyTier | null;
    reason: string | null;
    changedByName: string;
    changedAt: string;
  }[];
  etownCount: number;
};

export type Position = [number, number];
export type Boundary =
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

export type PhaseKey = 'launch' | 'implementation' | 'evaluation' | 'acceptance';
export type Phase = { phase: PhaseKey; startOn: string; endOn: string };

export type EtownSummary = {
  code: string;
  name: string;
  countyCode: string;
  countyName: string;
  cityCode: string;
  cityName: string;
  tier: CountyTier | null;
  landAreaKm2: string | null;
  boundaryAreaKm2: string | null;
  leadingIndustries: string[];
  operatingEntity: string | null;
};

export type EtownDetail = EtownSummary & {
  villages: string[];
  boundaryEast: string | null;
  boundaryWest: string | null;
  boundarySouth: string | null;
  boundaryNorth: string | null;
  buildingAreaM2: string | null;
  boundary: Boundary | null;
  phases: Phase[];
  version: number;
  updatedAt: string;
};

export type EtownProfileInput = {
  name?: string;
  villages?: string[];
  boundaryEast?: string | null;
  boundaryWest?: string | null;
  boundarySouth?: string | null;
  boundaryNorth?: string | null;
  landAreaKm2?: string | null;
  buildingAreaM2?: string | null;
  boundary?: Boundary | null;
  leadingIndustries?: string[];
  operatingEntity?: string | null;
  phases?: Phase[];
};

export type GroupSummary = {
  id: string;
  regionCode: string;
  regionName: string;
  name: string;
  docNo: string | null;
  establishedOn: string | null;
  activeMemberCount: number;
  unitCount: number;
};

export type MemberPosition = 'head' | 'deputy' | 'member' | 'office_director';

export type GroupUnit = { id: string; name: string; duties: string | null; sortOrder: number };

export type GroupMember = {
  id: string;
  unitId: string | null;
  unitName: string | null;
  position: MemberPosition;
  personName: string;
  title: string | null;
  since: string | null;
  until: string | null;
  replacesId: string | null;
  replacedById: string | null;
  note: string | null;
  sortOrder: number;
};

export type GroupDetail = {
  id: string;
  regionCode: string;
  regionName: string;
  name: string;
  docNo: string | null;
  establishedOn: string | null;
  responsibilities: string | null;
  officeLocation: string | null;
  memberChangeRule: string | null;
  units: GroupUnit[];
  members: GroupMember[];
};

export type UserView = {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  roleLabel: string;
  scopeRegionCode: string | null;
  scopeRegionName: string | null;
  expertEtownCodes: string[];
  disabled: boolean;
  lockedUntil: string | null;
  totpEnabled: boolean;
  mustChangePassword: boolean;
  isDemo: boolean;
  lastLoginAt: string | null;
  createdAt: string;
};

export type TemporaryPassword = { user: UserView; temporaryPassword: string };

export type AuditResult = 'success' | 'failure' | 'denied';

export type AuditRecord = {
  id: number;
  at: string;
  userId: string | null;
  username: string | null;
  role: string | null;
  ip: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  diff: Record<string, unknown> | null;
  /** The region the record concerns, when it concerns one. */
  regionCode: string | null;
  result: string;
  hash: string;
  previousHash: string;
};

export type AuditPage = { total: number; items: AuditRecord[] };

export type AuditVerification = { ok: boolean; records: number; brokenAtId?: number; reason?: string };

export type Health = { status: 'ok'; database: 'pglite' | 'postgres'; version: string };

export type Settings = { loginNotice: string; supportContact: string };

export type EvaluationStatus =
  | 'draft'
  | 'submitted'
  | 'returned'
  | 'approved'
  | 'expert_review'
  | 'rectification'
  | 'accepted';

export type EvaluationSummary = {
  id: string;
  etownCode: string;
  etownName: string;
  year: number;
  status: EvaluationStatus;
  statusLabel: string;
  catalog: { id: string; version: number };
  summary: { met: number; unmet: number; pending: number };
  reopenCount: number;
  submissionCount: number;
  updatedAt: string;
};

export type EvaluationEvidence = {
  id: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  uploadedAt: string;
};

export type EvaluationItem = {
  indicatorNo: number;
  title: string;
  computedStatus: string;
  facts: Record<string, string | number | boolean | null | string[]>;
  reasons: string[];
  selfScore: number | null;
  statement: string | null;
  reviewStatus: 'pending' | 'approved' | 'returned';
  returnReason: string | null;
  history: { kind: string; reason: string | null; actorName: string; at: string }[];
  evidence: EvaluationEvidence[];
  expertScores: { expertId: string; expertName: string; score: number; finding: string | null }[];
  panel: { count: number; mean: number | null; median: number | null; outlierExpertIds: string[] } | null;
};

export type Rectification = {
  id: string;
  indicatorNo: number | null;
  finding: string;
  owner: string;
  deadline: string;
  status: 'open' | 'in_progress' | 'closed';
  overdue: boolean;
  note: string | null;
  closedAt: string | null;
};

export type EvaluationDetail = EvaluationSummary & {
  tier: string;
  items: EvaluationItem[];
  addOns: unknown[];
  experts: { id: string; name: string; submittedAt: string | null }[];
  rectifications: Rectification[];
  acceptance: { acceptedOn: string; conclusion: string } | null;
  submittedAt: string | null;
  approvedAt: string | null;
};

export type NotificationList = {
  unreadCount: number;
  items: {
    id: string;
    kind: string;
    title: string;
    body: string;
    evaluationId: string | null;
    read: boolean;
    createdAt: string;
  }[];
};

export type IndicatorStatus = 'met' | 'unmet' | 'pending';
export type StatusSummary = { met: number; unmet: number; pending: number };

export type ScorecardIndicator = {
  no: number;
  title: string;
  category: string;
  content: string;
  standard: string;
  status: IndicatorStatus;
  values: string[];
  facts: Record<string, unknown>;
  reasons: string[];
  previousStatus: IndicatorStatus | null;
};

export type Scorecard = {
  etown: { code: string; name: string };
  year: number;
  tier: CountyTier;
  catalog: { id: string; version: number };
  summary: StatusSummary;
  indicators: ScorecardIndicator[];
  trend: { asOf: string; summary: StatusSummary };
  addOns: {
    catalog: { id: string; version: number; title: string };
    summary: StatusSummary;
    indicators: ScorecardIndicator[];
  }[];
};

export type IndicatorOverview = {
  year: number;
  indicators: { no: number; title: string; category: string }[];
  etowns: {
    code: string;
    name: string;
    county: { code: string; name: string };
    city: { code: string; name: string };
    tier: CountyTier;
    statuses: IndicatorStatus[];
    summary: StatusSummary;
  }[];
  totals: { no: number; met: number; unmet: number; pending: number }[];
  notEvaluated: { code: string; name: string; reason: string }[];
};

/** A background job (导入、导出、批量评价) as the download centre lists it. */
export type Job = {
  id: string;
  kind: string;
  title: string;
  regionCode: string | null;
  status: 'running' | 'succeeded' | 'failed';
  stage: string;
  progress: { done: number; total: number };
  summary: unknown;
  error: { code: string; message: string } | null;
  file: { name: string; mediaType: string; sizeBytes: number } | null;
  createdAt: string;
  finishedAt: string | null;
};

/** Where a problem of a rejected ledger file is: sheet / row / column for XLSX, the field path for JSON. */
export type LedgerProblem = {
  sheet: string;
  row: number | null;
  column: string | null;
  path: string;
  code: string;
  message: string;
};

export type LedgerImportJobSummary =
  | {
      etownCode: string;
      year: number;
      counts: Record<string, number>;
      keptEntities: string[];
      /** Absent in summaries of imports made before brands and products were merged. */
      keptBrands?: string[];
      keptProducts?: string[];
      keptInvestments?: string[];
      keptFacilities?: string[];
      warnings: LedgerProblem[];
    }
  | { problemCount: number; problems: LedgerProblem[]; warnings: LedgerProblem[] };
