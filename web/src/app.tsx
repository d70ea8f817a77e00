import { App as AntApp, ConfigProvider, Result } from 'antd';
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

export function App() {
  return (
    <ConfigProvider
      locale={zhCN}
      theme={{
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
      }}
    >
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
                <Route
                  path="regions/:code?"
                  element={
                    <RoleGate allow={can.readRegions}>
                      <RegionPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="etowns"
                  element={
                    <RoleGate allow={can.readEtowns}>
                      <EtownListPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="etowns/:code"
                  element={
                    <RoleGate allow={can.readRegions}>
                      <EtownProfilePage />
                    </RoleGate>
                  }
                />
                <Route
                  path="leading-groups"
                  element={
                    <RoleGate allow={can.readLeadingGroups}>
                      <LeadingGroupListPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="leading-groups/:id"
                  element={
                    <RoleGate allow={can.readLeadingGroups}>
                      <LeadingGroupDetailPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="etowns/:code/scorecard"
                  element={
                    <RoleGate allow={can.readScorecards}>
                      <EtownScorecardPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="etowns/:code/ledger"
                  element={
                    <RoleGate allow={can.readLedger}>
                      <LedgerPage />
                    </RoleGate>
                  }
                />
                <Route path="downloads" element={<DownloadsPage />} />
                <Route
                  path="entities"
                  element={
                    <RoleGate allow={can.readEntities}>
                      <EntityListPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="entities/applications"
                  element={
                    <RoleGate allow={can.readEntities}>
                      <EntryApplicationsPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="entities/:id"
                  element={
                    <RoleGate allow={can.readEntities}>
                      <EntityDetailPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="brands"
                  element={
                    <RoleGate allow={can.readBrands}>
                      <BrandListPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="brands/products"
                  element={
                    <RoleGate allow={can.readBrands}>
                      <ProductListPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="brands/products/:id"
                  element={
                    <RoleGate allow={can.readBrands}>
                      <ProductDetailPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="projects"
                  element={
                    <RoleGate allow={can.readProjects}>
                      <ProjectListPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="projects/facilities"
                  element={
                    <RoleGate allow={can.readProjects}>
                      <FacilityListPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="projects/facilities/:id"
                  element={
                    <RoleGate allow={can.readProjects}>
                      <FacilityDetailPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="projects/:id"
                  element={
                    <RoleGate allow={can.readProjects}>
                      <ProjectDetailPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="supervision"
                  element={
                    <RoleGate allow={can.readProjects}>
                      <SupervisionPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="supervision/inspections/:id"
                  element={
                    <RoleGate allow={can.readProjects}>
                      <Suspense fallback={<LoadingState />}>
                        <InspectionDetailPage />
                      </Suspense>
                    </RoleGate>
                  }
                />
                <Route
                  path="trace"
                  element={
                    <RoleGate allow={can.readTrace}>
                      <TraceAnalyticsPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="trace/batches/:batchId"
                  element={
                    <RoleGate allow={can.readTrace}>
                      <TraceBatchPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="brands/:id"
                  element={
                    <RoleGate allow={can.readBrands}>
                      <BrandDetailPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="promotion"
                  element={
                    <RoleGate allow={can.readPromotion}>
                      <PromotionPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="stats/monthly"
                  element={
                    <RoleGate allow={can.readStats}>
                      <MonthlyStatsPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="stats/aggregates"
                  element={
                    <RoleGate allow={can.readStats}>
                      <AggregatesPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="stats/city-output-growth"
                  element={
                    <RoleGate allow={can.readCityOutputGrowth}>
                      <CityOutputGrowthPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="stats/settings"
                  element={
                    <RoleGate allow={can.manageStatsSettings}>
                      <StatsSettingsPage />
                    </RoleGate>
                  }
                />
                <Route path="funds" element={<Navigate to="/funds/applications" replace />} />
                <Route
                  path="funds/applications"
                  element={
                    <RoleGate allow={can.readFunds}>
                      <FundApplicationsPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="funds/applications/:id"
                  element={
                    <RoleGate allow={can.readFunds}>
                      <FundApplicationDetailPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="funds/budgets"
                  element={
                    <RoleGate allow={can.readFunds}>
                      <FundBudgetsPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="funds/policies"
                  element={
                    <RoleGate allow={can.readFunds}>
                      <FundPoliciesPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="funds/disbursement-requests"
                  element={
                    <RoleGate allow={can.readDisbursementRequests}>
                      <FundDisbursementRequestsPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="funds/reports"
                  element={
                    <RoleGate allow={can.readFundReports}>
                      <FundReportsPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="funds/disclosure"
                  element={
                    <RoleGate allow={can.readFundReports}>
                      <FundDisclosurePage />
                    </RoleGate>
                  }
                />
                <Route
                  path="overview"
                  element={
                    <RoleGate allow={can.readOverview}>
                      <Suspense fallback={<LoadingState />}>
                        <IndicatorOverviewPage />
                      </Suspense>
                    </RoleGate>
                  }
                />
                <Route
                  path="evaluations"
                  element={
                    <RoleGate allow={can.readEvaluations}>
                      <EvaluationListPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="evaluations/:id"
                  element={
                    <RoleGate allow={can.readEvaluations}>
                      <EvaluationDetailPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="users"
                  element={
                    <RoleGate allow={can.manageUsers}>
                      <UsersPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="audit"
                  element={
                    <RoleGate allow={can.readAudit}>
                      <AuditPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="settings"
                  element={
                    <RoleGate allow={can.manageSettings}>
                      <SettingsPage />
                    </RoleGate>
                  }
                />
                <Route path="*" element={<NotFoundState what="页面" backTo="/" backLabel="返回首页" />} />
              </Route>
            </Routes>
          </SessionProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}
