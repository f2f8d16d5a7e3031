// Cases (办件): applications for bundles and their intake. What other capabilities may use.
export { ApplicationService, type Applicant, type ApplicationView, type Consent } from './service';
export {
  APPLICATION_STATUSES,
  TRANSITIONS,
  checkTransition,
  nextStatus,
  type ApplicationStatus,
  type Correction,
  type Deficiency,
  type IntakeAction,
  type Refusal,
} from './model';
export {
  commandScanner,
  defaultScanner,
  eicarScanner,
  type MaterialScanner,
  type ScanResult,
  type UploadSettings,
} from './uploads';
export {
  approvedResultsOf,
  ensureSubject,
  insertApplicationRows,
  type ApplicationRows,
} from './store';
export { casesRoutes, type CasesRouteOptions } from './routes';
export { CaseService, type CaseInput, type CaseQuery } from './department-service';
export {
  CASE_STATES,
  CASE_TRANSITIONS,
  checkCaseTransition,
  computeDue,
  warningLevel,
  type CaseAction,
  type CaseState,
  type WarningLevel,
} from './casework';
export {
  NO_SOURCES,
  chooseWaivers,
  sourceName,
  usePurpose,
  waiverCandidates,
  wantedSources,
  type HeldSource,
  type Holder,
  type MaterialSources,
  type MaterialUse,
  type Waiver,
} from './waivers';
export {
  applicationNumbers,
  caseCountsByDepartment,
  caseCountsByItem,
  readOverdueCases,
  type DepartmentCaseCounts,
  type OverdueCase,
} from './figures';
export { bundleSavings } from './department-results';
