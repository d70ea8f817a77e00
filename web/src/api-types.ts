/** Response shapes of the server's JSON API, as the web app reads them. */

export type Role =
  | 'province_admin'
  | 'city_reviewer'
  | 'county_operator'
  | 'etown_operator'
  | 'enterprise'
  | 'expert'
  | 'auditor'
  | 'security_admin'
  | 'system_admin';

export type Me = {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  roleLabel: string;
  scope: { kind: 'all' | 'region' | 'etowns' | 'entity' | 'none'; label: string; regionCodes: string[] };
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
  result: string;
  hash: string;
  previousHash: string;
};

export type AuditPage = { total: number; items: AuditRecord[] };

export type AuditVerification = { ok: boolean; records: number; brokenAtId?: number; reason?: string };

export type Health = { status: 'ok'; database: 'pglite' | 'postgres'; version: string };

export type Settings = { loginNotice: string; supportContact: string };
