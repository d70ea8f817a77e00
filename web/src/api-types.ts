/**
 * Response shapes of the server's JSON API typed by hand, as the web app still reads them. Being replaced
 * by the types generated from the OpenAPI document (./api/types.ts, ./api/client.ts): the names below
 * re-exported from there have no hand-written copy left.
 */
export type {
  AuditPage,
  AuditRecord,
  AuditResult,
  AuditVerification,
  Boundary,
  CountyTier,
  EtownDetail,
  EtownProfileInput,
  EtownSummary,
  Health,
  IndicatorOverview,
  Job,
  Me,
  NotificationList,
  Phase,
  PhaseKey,
  RegionDetail,
  RegionLevel,
  RegionNode,
  Role,
  Scorecard,
  ScorecardIndicator,
  Settings,
  TemporaryPassword,
  UserView,
} from './api/types.ts';
export type { LonLat as Position } from './geo.ts';

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

export type IndicatorStatus = 'met' | 'unmet' | 'pending';
export type StatusSummary = { met: number; unmet: number; pending: number };

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
