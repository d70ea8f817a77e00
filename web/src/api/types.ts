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
/** A job of one kind: its summary is that kind's (null while it runs). */
export type JobOfKind<Kind extends Job['kind']> = Extract<Job, { kind: Kind }>;
export type LedgerImportSummary = NonNullable<JobOfKind<'ledger.import'>['summary']>;
export type LedgerImportProblem = LedgerImportSummary['warnings'][number];
export type LedgerRefusedItem = NonNullable<
  Extract<LedgerImportSummary, { counts: unknown }>['refused']
>[number];
export type MonthlyImportSummary = NonNullable<JobOfKind<'stats.monthly.import'>['summary']>;
export type MonthlyImportProblem = Extract<MonthlyImportSummary, { problems: unknown }>['problems'][number];

// Regions and e-towns
export type RegionNode = components['schemas']['RegionNode'];
export type RegionLevel = RegionNode['level'];
export type CountyTier = NonNullable<RegionNode['tier']>;
export type RegionDetail = AnswerOf<'/api/regions/{code}', 'get'>;
export type EtownSummary = AnswerOf<'/api/etowns', 'get'>[number];
export type EtownDetail = AnswerOf<'/api/etowns/{code}', 'get'>;
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

// Evaluations
export type Scorecard = AnswerOf<'/api/etowns/{code}/scorecard', 'get'>;
export type ScorecardIndicator = Scorecard['indicators'][number];
export type IndicatorOverview = AnswerOf<'/api/evaluations/overview', 'get'>;
export type Drilldown = AnswerOf<'/api/etowns/{code}/scorecard/indicators/{no}', 'get'>;
export type DrillSection = Drilldown['sections'][number];
export type DrillTableSection = Extract<DrillSection, { kind: 'table' }>;
export type DrillMonthlySection = Extract<DrillSection, { kind: 'monthly' }>;

// Brands, products and promotion
export type BrandSummary = AnswerOf<'/api/brands', 'get'>[number];
export type BrandDetail = AnswerOf<'/api/brands/{id}', 'get'>;
export type BrandKind = BrandSummary['kind'];
export type AuthorizationSummary = AnswerOf<'/api/brand-authorizations', 'get'>[number];
export type AuthorizationDetail = AnswerOf<'/api/brand-authorizations/{id}', 'get'>;
export type EffectiveAuthorizationStatus = AuthorizationSummary['effectiveStatus'];
export type ProductList = AnswerOf<'/api/products', 'get'>;
export type ProductSummary = ProductList['items'][number];
export type ProductDetail = AnswerOf<'/api/products/{id}', 'get'>;
export type BatchView = ProductDetail['batches'][number];
export type CertificationKind = ProductDetail['certifications'][number]['kind'];
export type PromotionEvent = AnswerOf<'/api/promotion/events', 'get'>[number];
export type PromotionEventKind = PromotionEvent['kind'];
export type MediaChannel = AnswerOf<'/api/promotion/media-channels', 'get'>[number];
export type MediaChannelKind = MediaChannel['kind'];

// Market entities
export type EntityList = AnswerOf<'/api/entities', 'get'>;
export type EntitySummary = EntityList['items'][number];
export type EntityDetail = AnswerOf<'/api/entities/{id}', 'get'>;
export type EntityType = EntitySummary['entityType'];
export type EntityTag = EntitySummary['tags'][number];
export type EntityStatus = EntitySummary['status'];
export type CreditGrade = EntitySummary['credit'];
export type CreditRecord = EntityDetail['creditRecords'][number];
export type CreditKind = CreditRecord['kind'];
export type SharedViolation = AnswerOf<'/api/entities/credit/violations', 'get'>['items'][number];
export type EntryApplication = AnswerOf<'/api/entities/applications', 'get'>[number];
export type EntryApplicationStatus = EntryApplication['status'];
export type EntryConditions = AnswerOf<'/api/entities/entry-conditions/{etownCode}', 'get'>;
export type InvitationView = AnswerOf<'/api/entities/{id}/invitations', 'get'>[number];
export type InvitationStatus = InvitationView['status'];
export type CreatedInvitation = AnswerOf<'/api/entities/{id}/invitations', 'post'>;
export type PublicInvitation = AnswerOf<'/api/invitations/{token}', 'get'>;

// Traceability
export type TraceBatchView = AnswerOf<'/api/trace/batches/{batchId}', 'get'>;
export type ScanAnomalyView = AnswerOf<'/api/trace/anomalies', 'get'>['items'][number];

// Funds
export type FundPolicy = AnswerOf<'/api/funds/policies', 'get'>[number];
export type FundSource = FundPolicy['source'];
export type SupportMode = FundPolicy['supportMode'];
export type BudgetOverview = AnswerOf<'/api/funds/budgets', 'get'>;
export type Allocation = BudgetOverview['allocations'][number];
export type ApplicationList = AnswerOf<'/api/funds/applications', 'get'>;
export type ApplicationSummary = ApplicationList['items'][number];
export type ApplicationStatus = ApplicationSummary['status'];
export type ApplicationDetail = AnswerOf<'/api/funds/applications/{id}', 'get'>;
export type TransactionKind = ApplicationDetail['movements'][number]['kind'];
export type UsageReport = AnswerOf<'/api/funds/reports/usage', 'get'>;

// Monthly statistics
export type MonthlyReport = AnswerOf<'/api/stats/monthly', 'get'>['items'][number];
export type MonthlyStatus = MonthlyReport['status'];
export type MonthlyValues = MonthlyReport['values'];
export type ReportingProgress = AnswerOf<'/api/stats/monthly/progress', 'get'>;
export type MonthDeadline = AnswerOf<'/api/stats/deadlines', 'get'>[number];
export type MonthlyRulesWithChange = AnswerOf<'/api/stats/rules', 'get'>;
export type MonthlyRules = BodyOf<'/api/stats/rules', 'put'>;
export type MonthlyField = keyof MonthlyRules['fields'];
export type MonthlyAggregates = AnswerOf<'/api/stats/aggregates', 'get'>;
export type AggregateSeries = MonthlyAggregates['series'];
export type AggregateCell = AggregateSeries['months'][number];
export type AggregateRows = AnswerOf<'/api/stats/aggregates/rows', 'get'>;
export type AggregateRow = AggregateRows['items'][number];
export type EvaluationSummary = AnswerOf<'/api/evaluations', 'get'>[number];
export type EvaluationStatus = EvaluationSummary['status'];
export type EvaluationDetail = AnswerOf<'/api/evaluations/{id}', 'get'>;
export type EvaluationItem = EvaluationDetail['items'][number];
export type Rectification = EvaluationDetail['rectifications'][number];
export type IndicatorStatus = ScorecardIndicator['status'];
export type StatusSummary = Scorecard['summary'];
export type LedgerJson = AnswerOf<'/api/etowns/{code}/ledger', 'get'>;

// Projects, facilities and supervision
export type ProjectList = AnswerOf<'/api/projects', 'get'>;
export type ProjectSummary = ProjectList['items'][number];
export type ProjectStatus = ProjectSummary['status'];
export type ProjectDetail = AnswerOf<'/api/projects/{id}', 'get'>;
export type StoredFile = ProjectDetail['photos'][number];
export type Facility = AnswerOf<'/api/facilities', 'get'>[number];
export type FacilityKind = Facility['kind'];
export type FacilityPlanCheck = Facility['planChecks'][number];
export type Inspection = AnswerOf<'/api/inspections', 'get'>[number];
export type InspectionKind = Inspection['kind'];
export type Finding = AnswerOf<'/api/findings', 'get'>[number];
export type FindingStatus = Finding['status'];
export type Incident = AnswerOf<'/api/compliance-incidents', 'get'>[number];
export type IncidentCategory = Incident['category'];
export type PolicyDocument = AnswerOf<'/api/policy-documents', 'get'>[number];
export type DocumentKind = PolicyDocument['kind'];
export type FacilityFeature = NonNullable<BodyOf<'/api/facilities', 'post'>['features']>[number];

// Leading groups
export type GroupDetail = AnswerOf<'/api/leading-groups/{id}', 'get'>;
export type GroupMember = GroupDetail['members'][number];
export type GroupUnit = GroupDetail['units'][number];
export type MemberPosition = GroupMember['position'];
export type DisbursementRequestItem = AnswerOf<'/api/funds/disbursement-requests', 'get'>[number];
export type CountyFundSettings = AnswerOf<'/api/funds/county-settings/{countyCode}', 'get'>;
export type FundSettings = AnswerOf<'/api/funds/settings', 'get'>;

// Talent: trainee files (一人一档)
export type TraineeSummary = AnswerOf<'/api/trainees', 'get'>['items'][number];
export type TraineeDetail = AnswerOf<'/api/trainees/{id}', 'get'>;
export type TraineeCategory = NonNullable<TraineeSummary['category']>;
export type TraineeGender = TraineeSummary['gender'];
export type TraineeFollowUp = TraineeDetail['followUps'][number];
export type TraineeFollowUpKind = TraineeFollowUp['kind'];
export type CreateTraineeBody = BodyOf<'/api/trainees', 'post'>;
export type AddFollowUpBody = BodyOf<'/api/trainees/{id}/follow-ups', 'post'>;
export type TrainingSessionSummary = AnswerOf<'/api/trainings/sessions', 'get'>['items'][number];
export type TrainingSessionDetail = AnswerOf<'/api/trainings/sessions/{id}', 'get'>;
export type TrainingAttendee = TrainingSessionDetail['attendees'][number];
export type CreateTrainingSessionBody = BodyOf<'/api/trainings/sessions', 'post'>;

export type TalentPerson = AnswerOf<'/api/talent-people', 'get'>['items'][number];
export type TalentRole = TalentPerson['role'];
export type CreateTalentPersonBody = BodyOf<'/api/talent-people', 'post'>;
