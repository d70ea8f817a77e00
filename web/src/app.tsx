import { App as AntApp, ConfigProvider, Result, type ThemeConfig } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { lazy, type ReactNode, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import type { Role } from './api/types.ts';
import { AppLayout } from './components/app-layout.tsx';
import { LoadingState, NotFoundState } from './components/states.tsx';
import { ChangePasswordPage } from './pages/account/change-password-page.tsx';
import { TotpEnrollmentPage } from './pages/account/totp-enrollment-page.tsx';
import { AuditPage } from './pages/audit/audit-page.tsx';
import { BrandDetailPage } from './pages/brands/brand-detail-page.tsx';
import { BrandListPage } from './pages/brands/brand-list-page.tsx';
import { ProductDetailPage } from './pages/brands/product-detail-page.tsx';
import { ProductListPage } from './pages/brands/product-list-page.tsx';
import { PromotionPage } from './pages/brands/promotion-page.tsx';
import { DownloadsPage } from './pages/downloads/downloads-page.tsx';
import { EntityDetailPage } from './pages/entities/entity-detail-page.tsx';
import { EntityListPage } from './pages/entities/entity-list-page.tsx';
import { EntryApplicationsPage } from './pages/entities/entry-applications-page.tsx';
import { EtownListPage } from './pages/etowns/etown-list-page.tsx';
import { EtownProfilePage } from './pages/etowns/etown-profile-page.tsx';
import { EtownScorecardPage } from './pages/evaluations/etown-scorecard-page.tsx';
import { EvaluationDetailPage } from './pages/evaluations/evaluation-detail-page.tsx';
import { EvaluationListPage } from './pages/evaluations/evaluation-list-page.tsx';
import { FundApplicationDetailPage } from './pages/funds/fund-application-detail-page.tsx';
import { FundApplicationsPage } from './pages/funds/fund-applications-page.tsx';
import { FundBudgetsPage } from './pages/funds/fund-budgets-page.tsx';
import { FundDisbursementRequestsPage } from './pages/funds/fund-disbursement-requests-page.tsx';
import { FundPoliciesPage } from './pages/funds/fund-policies-page.tsx';
import { FundDisclosurePage, FundReportsPage } from './pages/funds/fund-reports-page.tsx';
import { InvitationPage } from './pages/invitations/invitation-page.tsx';
import { LeadingGroupDetailPage } from './pages/leading-groups/leading-group-detail-page.tsx';
import { LeadingGroupListPage } from './pages/leading-groups/leading-group-list-page.tsx';
import { LedgerPage } from './pages/ledger/ledger-page.tsx';
import { LoginPage } from './pages/login/login-page.tsx';
import { FacilityDetailPage } from './pages/projects/facility-detail-page.tsx';
import { FacilityListPage } from './pages/projects/facility-list-page.tsx';
import { ProjectDetailPage } from './pages/projects/project-detail-page.tsx';
import { ProjectListPage } from './pages/projects/project-list-page.tsx';
import { SupervisionPage } from './pages/projects/supervision-page.tsx';
import { RegionPage } from './pages/regions/region-page.tsx';
import { SettingsPage } from './pages/settings/settings-page.tsx';
import { AggregatesPage } from './pages/stats/aggregates-page.tsx';
import { CityOutputGrowthPage } from './pages/stats/city-output-growth-page.tsx';
import { MonthlyStatsPage } from './pages/stats/monthly-stats-page.tsx';
import { StatsSettingsPage } from './pages/stats/stats-settings-page.tsx';
import { TalentPeoplePage } from './pages/talent/talent-people-page.tsx';
import { TraineeDetailPage } from './pages/talent/trainee-detail-page.tsx';
import { TraineeListPage } from './pages/talent/trainee-list-page.tsx';
import { TrainingSessionDetailPage } from './pages/talent/training-session-detail-page.tsx';
import { TrainingSessionListPage } from './pages/talent/training-session-list-page.tsx';
import { TraceAnalyticsPage } from './pages/trace/trace-analytics-page.tsx';
import { TraceBatchPage } from './pages/trace/trace-batch-page.tsx';
import { UsersPage } from './pages/users/users-page.tsx';
import { can, homePath } from './permissions.ts';
import { type LoginLocationState, SessionProvider, useSession } from './session.tsx';
import './time.ts';

const InspectionDetailPage = lazy(() =>
  import('./pages/projects/inspection-detail-page.tsx').then((module) => ({
    default: module.InspectionDetailPage,
  })),
);

// The overview carries ECharts; it loads when opened, not with every page.
const IndicatorOverviewPage = lazy(() =>
  import('./pages/evaluations/indicator-overview-page.tsx').then((module) => ({
    default: module.IndicatorOverviewPage,
  })),
);

/** Business pages need a session with the password changed and, for admin roles, TOTP bound. */
function RequireSession({ children }: { children: ReactNode }) {
  const { me, loading } = useSession();
  const location = useLocation();
  if (loading) return <LoadingState tip="正在确认登录状态…" />;
  if (!me) {
    const state: LoginLocationState = { from: `${location.pathname}${location.search}` };
    return <Navigate to="/login" replace state={state} />;
  }
  if (me.mustChangePassword) return <Navigate to="/setup/password" replace />;
  if (me.totpEnrollmentRequired) return <Navigate to="/setup/totp" replace />;
  return children;
}

/** Setup pages: signed in, but allowed while the password change or TOTP enrolment is still owed. */
function RequireSetupSession({ children }: { children: ReactNode }) {
  const { me, loading } = useSession();
  if (loading) return <LoadingState tip="正在确认登录状态…" />;
  if (!me) return <Navigate to="/login" replace />;
  return children;
}

function RoleGate({ allow, children }: { allow: (role: Role) => boolean; children: ReactNode }) {
  const { me } = useSession();
  if (!me || !allow(me.role)) {
    return (
      <Result status="403" title="无权访问" subTitle="当前角色不能使用此功能。" data-testid="forbidden" />
    );
  }
  return children;
}

function HomeRedirect() {
  const { me } = useSession();
  return <Navigate to={me ? homePath(me.role) : '/login'} replace />;
}

/** The signed-in pages; a page with `allow` shows only to the roles it names (others see 无权访问). */
type AppRoute = { path: string; allow?: (role: Role) => boolean; page: ReactNode };

const appRoutes: AppRoute[] = [
  { path: 'regions/:code?', allow: can.readRegions, page: <RegionPage /> },
  { path: 'etowns', allow: can.readEtowns, page: <EtownListPage /> },
  { path: 'etowns/:code', allow: can.readRegions, page: <EtownProfilePage /> },
  { path: 'leading-groups', allow: can.readLeadingGroups, page: <LeadingGroupListPage /> },
  { path: 'leading-groups/:id', allow: can.readLeadingGroups, page: <LeadingGroupDetailPage /> },
  { path: 'etowns/:code/scorecard', allow: can.readScorecards, page: <EtownScorecardPage /> },
  { path: 'etowns/:code/ledger', allow: can.readLedger, page: <LedgerPage /> },
  { path: 'downloads', page: <DownloadsPage /> },
  { path: 'entities', allow: can.readEntities, page: <EntityListPage /> },
  { path: 'entities/applications', allow: can.readEntities, page: <EntryApplicationsPage /> },
  { path: 'entities/:id', allow: can.readEntities, page: <EntityDetailPage /> },
  { path: 'trainees', allow: can.readTrainees, page: <TraineeListPage /> },
  { path: 'trainees/:id', allow: can.readTrainees, page: <TraineeDetailPage /> },
  { path: 'trainings', allow: can.readTrainings, page: <TrainingSessionListPage /> },
  { path: 'trainings/:id', allow: can.readTrainings, page: <TrainingSessionDetailPage /> },
  { path: 'talent-people', allow: can.readTalentPeople, page: <TalentPeoplePage /> },
  { path: 'brands', allow: can.readBrands, page: <BrandListPage /> },
  { path: 'brands/products', allow: can.readBrands, page: <ProductListPage /> },
  { path: 'brands/products/:id', allow: can.readBrands, page: <ProductDetailPage /> },
  { path: 'projects', allow: can.readProjects, page: <ProjectListPage /> },
  { path: 'projects/facilities', allow: can.readProjects, page: <FacilityListPage /> },
  { path: 'projects/facilities/:id', allow: can.readProjects, page: <FacilityDetailPage /> },
  { path: 'projects/:id', allow: can.readProjects, page: <ProjectDetailPage /> },
  { path: 'supervision', allow: can.readProjects, page: <SupervisionPage /> },
  {
    path: 'supervision/inspections/:id',
    allow: can.readProjects,
    page: (
      <Suspense fallback={<LoadingState />}>
        <InspectionDetailPage />
      </Suspense>
    ),
  },
  { path: 'trace', allow: can.readTrace, page: <TraceAnalyticsPage /> },
  { path: 'trace/batches/:batchId', allow: can.readTrace, page: <TraceBatchPage /> },
  { path: 'brands/:id', allow: can.readBrands, page: <BrandDetailPage /> },
  { path: 'promotion', allow: can.readPromotion, page: <PromotionPage /> },
  { path: 'stats/monthly', allow: can.readStats, page: <MonthlyStatsPage /> },
  { path: 'stats/aggregates', allow: can.readStats, page: <AggregatesPage /> },
  { path: 'stats/city-output-growth', allow: can.readCityOutputGrowth, page: <CityOutputGrowthPage /> },
  { path: 'stats/settings', allow: can.manageStatsSettings, page: <StatsSettingsPage /> },
  { path: 'funds', page: <Navigate to="/funds/applications" replace /> },
  { path: 'funds/applications', allow: can.readFunds, page: <FundApplicationsPage /> },
  { path: 'funds/applications/:id', allow: can.readFunds, page: <FundApplicationDetailPage /> },
  { path: 'funds/budgets', allow: can.readFunds, page: <FundBudgetsPage /> },
  { path: 'funds/policies', allow: can.readFunds, page: <FundPoliciesPage /> },
  {
    path: 'funds/disbursement-requests',
    allow: can.readDisbursementRequests,
    page: <FundDisbursementRequestsPage />,
  },
  { path: 'funds/reports', allow: can.readFundReports, page: <FundReportsPage /> },
  { path: 'funds/disclosure', allow: can.readFundReports, page: <FundDisclosurePage /> },
  {
    path: 'overview',
    allow: can.readOverview,
    page: (
      <Suspense fallback={<LoadingState />}>
        <IndicatorOverviewPage />
      </Suspense>
    ),
  },
  { path: 'evaluations', allow: can.readEvaluations, page: <EvaluationListPage /> },
  { path: 'evaluations/:id', allow: can.readEvaluations, page: <EvaluationDetailPage /> },
  { path: 'users', allow: can.manageUsers, page: <UsersPage /> },
  { path: 'audit', allow: can.readAudit, page: <AuditPage /> },
  { path: 'settings', allow: can.manageSettings, page: <SettingsPage /> },
];

const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1f6f5c',
    // The generated palette turns grey for a dark seed colour, so the light shades are given explicitly.
    colorPrimaryBg: '#e7f3ee',
    colorPrimaryBgHover: '#d2e9e0',
    colorPrimaryBorder: '#9fcdbb',
    colorPrimaryBorderHover: '#76b39c',
    colorPrimaryHover: '#2b8a72',
    colorPrimaryActive: '#175646',
    colorPrimaryTextHover: '#2b8a72',
    colorPrimaryText: '#1f6f5c',
    colorPrimaryTextActive: '#175646',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Segoe UI', sans-serif",
  },
};

export function App() {
  return (
    <ConfigProvider locale={zhCN} theme={theme}>
      <AntApp>
        <BrowserRouter>
          <SessionProvider>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route path="/invite/:token" element={<InvitationPage />} />
              <Route
                path="/setup/password"
                element={
                  <RequireSetupSession>
                    <ChangePasswordPage />
                  </RequireSetupSession>
                }
              />
              <Route
                path="/setup/totp"
                element={
                  <RequireSetupSession>
                    <TotpEnrollmentPage />
                  </RequireSetupSession>
                }
              />
              <Route
                element={
                  <RequireSession>
                    <AppLayout />
                  </RequireSession>
                }
              >
                <Route index element={<HomeRedirect />} />
                {appRoutes.map(({ path, allow, page }) => (
                  <Route
                    key={path}
                    path={path}
                    element={allow ? <RoleGate allow={allow}>{page}</RoleGate> : page}
                  />
                ))}
                <Route path="*" element={<NotFoundState what="页面" backTo="/" backLabel="返回首页" />} />
              </Route>
            </Routes>
          </SessionProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}
