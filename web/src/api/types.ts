// Names for the answers and bodies pages pass around, all taken from the generated OpenAPI types
// (./schema.d.ts): nothing here is typed by hand.
import type { AnswerOf, BodyOf } from './client.ts';
import type { components } from './schema.d.ts';

// Session and users
export type Me = AnswerOf<'/api/me', 'get'>;
export type Role = Me['role'];
export type UserView = AnswerOf<'/api/users', 'get'>[number];
export type TemporaryPassword = AnswerOf<'/api/users', 'post'>;
export type Job = AnswerOf<'/api/jobs', 'get'>['items'][number];

// Regions and e-towns
export type RegionNode = components['schemas']['RegionNode'];
export type RegionLevel = RegionNode['level'];
export type CountyTier = NonNullable<RegionNode['tier']>;
export type RegionDetail = AnswerOf<'/api/regions/{code}', 'get'>;
export type EtownSummary = AnswerOf<'/api/etowns', 'get'>[number];
export type EtownDetail = AnswerOf<'/api/etowns/{code}', 'get'>;
export type EtownProfileInput = BodyOf<'/api/etowns/{code}', 'patch'>;
export type Boundary = NonNullable<EtownDetail['boundary']>;
export type Position = Extract<Boundary, { type: 'Polygon' }>['coordinates'][number][number];
export type Phase = EtownDetail['phases'][number];
export type PhaseKey = Phase['phase'];

// System
export type Health = AnswerOf<'/api/health', 'get'>;
export type Settings = AnswerOf<'/api/settings', 'get'>;
export type AuditPage = AnswerOf<'/api/audit', 'get'>;
export type AuditRecord = AuditPage['items'][number];
export type AuditResult = AuditRecord['result'];
export type AuditVerification = AnswerOf<'/api/audit/verify', 'get'>;
export type NotificationList = AnswerOf<'/api/notifications', 'get'>;

// Evaluations
export type Scorecard = AnswerOf<'/api/etowns/{code}/scorecard', 'get'>;
export type ScorecardIndicator = Scorecard['indicators'][number];
export type IndicatorOverview = AnswerOf<'/api/evaluations/overview', 'get'>;
