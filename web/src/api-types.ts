/**
 * Response shapes of the server's JSON API typed by hand, as the web app still reads them. Being replaced
 * by the types generated from the OpenAPI document (./api/types.ts, ./api/client.ts): the names below
 * re-exported from there have no hand-written copy left.
 */
export type {
  IndicatorOverview,
  Job,
  Me,
  Role,
  Scorecard,
  ScorecardIndicator,
  TemporaryPassword,
  UserView,
} from './api/types.ts';

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
  /** Problems of the saved boundary for #24 (e.g. not 集中连片); saving still works. */
  boundaryWarnings: string[];
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

/** Where a problem of a rejected ledger file is: sheet / row / column for XLSX, the field path for JSON. */
export type LedgerProblem = {
  sheet: string;
  row: number | null;
  column: string | null;
  path: string;
  code: string;
  message: string;
};

/** A change a ledger file asked for in records another role reviews, refused by the import. */
export type LedgerRefusedItem = {
  list: 'etown' | 'documents' | 'entities' | 'monthlyStats' | 'complianceIncidents';
  /** The row in the file (`entities[3]`), empty for a platform record the file leaves out. */
  path: string;
  action: 'add' | 'change' | 'remove';
  item: string;
  reason: string;
};

export type LedgerImportJobSummary =
  | {
      etownCode: string;
      year: number;
      counts: Record<string, number>;
      /** Absent in summaries of imports made before imports refused other roles' records. */
      refusedCount?: number;
      refused?: LedgerRefusedItem[];
      keptEntities: string[];
      /** Absent in summaries of imports made before brands and products were merged. */
      keptBrands?: string[];
      keptProducts?: string[];
      keptInvestments?: string[];
      keptFacilities?: string[];
      warnings: LedgerProblem[];
    }
  | { problemCount: number; problems: LedgerProblem[]; warnings: LedgerProblem[] };
