import { lazy, Suspense } from 'react';
import type { ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router-dom';
import { Spin } from 'antd';
import { ApplicationPage } from '../features/applications/application-page';
import { AssistedPage } from '../features/applications/assisted-page';
import { IntakeDetailPage } from '../features/applications/intake-detail-page';
import { IntakeQueuePage } from '../features/applications/intake-queue-page';
import { MyApplicationsPage } from '../features/applications/my-applications-page';
import { NoticePage } from '../features/applications/notice-page';
import { StatusPage } from '../features/applications/status-page';
import { BundleAdminPage } from '../features/bundles/admin-list-page';
import { SupervisionBoardPage } from '../features/cases/board-page';
import { CasePage } from '../features/cases/case-page';
import { CaseQueuePage } from '../features/cases/queue-page';
import { BundlePage } from '../features/bundles/bundle-page';
import { BundlesPage } from '../features/bundles/bundles-page';
import { BundleEditorPage } from '../features/bundles/editor-page';
import { CatalogAdminPage } from '../features/catalog/admin-list-page';
import { EvaluationStatsPage } from '../features/evaluations/stats-page';
import { HotlineAnalysisPage } from '../features/hotline/analysis-page';
import { HotlineDeskPage } from '../features/hotline/desk-page';
import { HotlineHallPage } from '../features/hotline/hall-page';
import { HotlineIntakePage } from '../features/hotline/intake-page';
import { HotlineKeysPage } from '../features/hotline/keys-page';
import { HotlineTicketPage } from '../features/hotline/ticket-page';
import { HotlineTrackPage } from '../features/hotline/track-page';
import { ItemEditorPage } from '../features/catalog/editor-page';
import { CounterPage } from '../features/evaluations/counter-page';
import { MyRatingsPage } from '../features/evaluations/my-ratings-page';
import { RectificationPage } from '../features/evaluations/rectification-page';
import { RectificationQueuePage } from '../features/evaluations/rectification-queue-page';
import { WindowRatingPage } from '../features/evaluations/window-rating-page';
import { DossierPage, DossierSearchPage } from '../features/licences/dossier-page';
import { CertificateFreePage } from '../features/licences/scenarios-page';
import { SharedLicencePage } from '../features/licences/share-page';
import { VerifyPage } from '../features/licences/verify-page';
import { LicenceWalletPage } from '../features/licences/wallet-page';
import { GuidePage } from '../features/catalog/guide-page';
import { LedgerBoardPage } from '../features/insight/board-page';
import { LedgerListPage } from '../features/insight/list-page';
import { LedgerTaskPage } from '../features/insight/task-page';
import { PolicyAdminPage } from '../features/policies/admin-list-page';
import { PolicyEditorPage } from '../features/policies/editor-page';
import { GrantDetailPage, GrantQueuePage } from '../features/policies/grants-pages';
import { MyGrantPage, PoliciesPage, RecommendedPage } from '../features/policies/hall-pages';
import { PrintPage } from '../features/catalog/print-page';
import { ServicesPage } from '../features/catalog/services-page';
import { AuditLogPage } from '../features/platform/audit-page';
import { CalendarAdminPage } from '../features/platform/calendar-page';
import { OrganisationPage } from '../features/platform/organisation-page';
import { SignInPage } from '../features/platform/sign-in-page';
import { CheckInLinkPage } from '../features/supervision/check-in-page';
import { CreditRepairsPage } from '../features/supervision/credit-repairs-page';
import { InspectionPage } from '../features/supervision/inspection-page';
import { InspectionsPage } from '../features/supervision/inspections-page';
import { MySupervisionPage } from '../features/supervision/mine-page';
import { PlanEditorPage } from '../features/supervision/plan-editor-page';
import { PlanPage, PublicPlanPage } from '../features/supervision/plan-page';
import { PlansPage } from '../features/supervision/plans-page';
import { PublicCreditPage, ResultsPage } from '../features/supervision/public-pages';
import { HallPage } from './hall-page';
import { SecondFactorPage } from '../features/platform/second-factor-page';
import { ChangePasswordPage } from '../features/platform/password-page';
import { UsersPage } from '../features/platform/users-page';
import { AppLayout } from './layout';
import { NotFoundPage } from './not-found-page';
import { RequireEntry } from './require-entry';
import { WorkbenchHome, WorkbenchNotFound, WorkbenchPage } from './workbench-page';

// The cockpit and its report load on demand, so ECharts stays out of the main chunk.
const CockpitPage = lazy(() =>
  import('../features/insight/cockpit/cockpit-page').then((m) => ({ default: m.CockpitPage })),
);
const MonthlyReportPage = lazy(() =>
  import('../features/insight/cockpit/report-page').then((m) => ({
    default: m.MonthlyReportPage,
  })),
);

/** A lazily loaded page with a spinner while its chunk arrives. */
function Lazy({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <div className="ot-centered" role="status">
          <Spin size="large" />
        </div>
      }
    >
      {children}
    </Suspense>
  );
}

/** The app's routes: the three entries, sign-in, and a not-found page, all in one layout. */
export const router = createBrowserRouter([
  {
    element: <AppLayout />,
    children: [
      { index: true, element: <HallPage /> },
      { path: 'services', element: <ServicesPage /> },
      { path: 'services/:code', element: <GuidePage /> },
      { path: 'hotline', element: <HotlineHallPage /> },
      { path: 'hotline/track', element: <HotlineTrackPage /> },
      { path: 'hotline/track/:code', element: <HotlineTrackPage /> },
      { path: 'bundles', element: <BundlesPage /> },
      { path: 'bundles/:code', element: <BundlePage /> },
      { path: 'applications', element: <MyApplicationsPage /> },
      { path: 'applications/:id', element: <ApplicationPage /> },
      { path: 'status/:token', element: <StatusPage /> },
      { path: 'licences', element: <LicenceWalletPage /> },
      { path: 'licences/:id', element: <LicenceWalletPage /> },
      { path: 'verify', element: <VerifyPage /> },
      { path: 'verify/:identifier', element: <VerifyPage /> },
      { path: 'licence-shares/:token', element: <SharedLicencePage /> },
      { path: 'evaluations', element: <MyRatingsPage /> },
      { path: 'policies', element: <PoliciesPage /> },
      { path: 'policies/mine', element: <RecommendedPage /> },
      { path: 'policies/grants/:id', element: <MyGrantPage /> },
      { path: 'supervision/results', element: <ResultsPage /> },
      { path: 'supervision/plans/:id', element: <PublicPlanPage /> },
      { path: 'supervision/credit/:subjectId', element: <PublicCreditPage /> },
      { path: 'supervision/mine', element: <MySupervisionPage /> },
      { path: 'supervision/check-in/:id', element: <CheckInLinkPage /> },
      // the credit messages' link (src/supervision/credit-service.ts)
      { path: 'credit/mine', element: <Navigate to="/supervision/mine" replace /> },
      {
        path: 'workbench',
        element: (
          <RequireEntry entry="workbench">
            <WorkbenchPage />
          </RequireEntry>
        ),
        children: [
          { index: true, element: <WorkbenchHome /> },
          { path: 'catalog', element: <CatalogAdminPage /> },
          { path: 'catalog/new', element: <ItemEditorPage /> },
          { path: 'catalog/:code/edit', element: <ItemEditorPage /> },
          { path: 'hotline', element: <HotlineDeskPage /> },
          { path: 'hotline/new', element: <HotlineIntakePage /> },
          { path: 'hotline/tickets/:id', element: <HotlineTicketPage /> },
          { path: 'hotline/analysis', element: <HotlineAnalysisPage /> },
          { path: 'hotline/keys', element: <HotlineKeysPage /> },
          { path: 'intake', element: <IntakeQueuePage /> },
          { path: 'intake/new', element: <AssistedPage /> },
          { path: 'intake/:id', element: <IntakeDetailPage /> },
          { path: 'cases', element: <CaseQueuePage /> },
          { path: 'cases/:id', element: <CasePage /> },
          { path: 'supervision', element: <SupervisionBoardPage /> },
          { path: 'supervision/plans', element: <PlansPage /> },
          { path: 'supervision/plans/new', element: <PlanEditorPage /> },
          { path: 'supervision/plans/:id', element: <PlanPage /> },
          { path: 'inspections', element: <InspectionsPage /> },
          { path: 'inspections/:id', element: <InspectionPage /> },
          { path: 'credit-repairs', element: <CreditRepairsPage /> },
          { path: 'credit-repairs/:id', element: <CreditRepairsPage /> },
          { path: 'bundles', element: <BundleAdminPage /> },
          { path: 'bundles/new', element: <BundleEditorPage /> },
          { path: 'bundles/:code/edit', element: <BundleEditorPage /> },
          { path: 'dossiers', element: <DossierSearchPage /> },
          { path: 'dossiers/:subject', element: <DossierPage /> },
          { path: 'certificate-free', element: <CertificateFreePage /> },
          { path: 'evaluations/stats', element: <EvaluationStatsPage /> },
          { path: 'rectifications', element: <RectificationQueuePage /> },
          { path: 'rectifications/:id', element: <RectificationPage /> },
          { path: 'window-rating', element: <WindowRatingPage /> },
          { path: 'policies', element: <PolicyAdminPage /> },
          { path: 'policies/new', element: <PolicyEditorPage /> },
          { path: 'policies/:code', element: <PolicyEditorPage /> },
          { path: 'policy-grants', element: <GrantQueuePage /> },
          { path: 'policy-grants/:id', element: <GrantDetailPage /> },
          { path: 'ledger', element: <LedgerBoardPage /> },
          { path: 'ledger/tasks', element: <LedgerListPage /> },
          { path: 'ledger/tasks/:id', element: <LedgerTaskPage /> },
          { path: 'security', element: <SecondFactorPage /> },
          { path: 'audit', element: <AuditLogPage /> },
          { path: 'calendar', element: <CalendarAdminPage /> },
          { path: 'password', element: <ChangePasswordPage /> },
          { path: 'users', element: <UsersPage /> },
          { path: 'organisation', element: <OrganisationPage /> },
          { path: '*', element: <WorkbenchNotFound /> },
        ],
      },
      {
        path: 'cockpit/hotline',
        element: (
          <RequireEntry entry="cockpit">
            <div className="ot-page-width ot-section">
              <HotlineAnalysisPage />
            </div>
          </RequireEntry>
        ),
      },
      {
        path: 'cockpit/*',
        element: (
          <RequireEntry entry="cockpit">
            <Lazy>
              <CockpitPage />
            </Lazy>
          </RequireEntry>
        ),
      },
      // Citizens and enterprises change their password here (staff in the workbench).
      {
        path: 'account/password',
        element: (
          <div className="ot-page-width ot-section">
            <ChangePasswordPage />
          </div>
        ),
      },
      { path: 'signin', element: <SignInPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
  // The monthly report is printed: no header, navigation or footer.
  {
    path: 'cockpit/report',
    element: (
      <RequireEntry entry="cockpit">
        <Lazy>
          <MonthlyReportPage />
        </Lazy>
      </RequireEntry>
    ),
  },
  // The printable guide stands alone: no header, navigation or footer on paper.
  { path: 'services/:code/print', element: <PrintPage /> },
  // Notices are printed the same way.
  { path: 'applications/:id/notices/:noticeId', element: <NoticePage /> },
  // The counter tablet faces the person at the window: full screen, nothing but the rating.
  { path: 'counter/:token', element: <CounterPage /> },
]);
