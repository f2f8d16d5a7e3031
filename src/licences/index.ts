// E-licences (电子证照): what other capabilities may use.
export {
  HOLDER_KINDS,
  LICENCE_OID,
  LICENCE_STATUSES,
  STATUS_LABELS,
  type HolderKind,
  type LicenceStatus,
} from './codes';
export {
  buildLicenceIdentifier,
  checkLicenceIdentifier,
  mod3736CheckChar,
  type IdentifierCheck,
  type IdentifierParts,
} from './identifier';
export { effectiveStatus, type LicenceType } from './model';
export { licenceRoutes, LICENCE_HANDLER } from './routes';
export { readLicenceTypes, seedDemoLicences, seedLicenceTypes } from './seed';
export { LicenceService, type LicenceView, type Verification } from './service';
export { LicenceHoldings, listUses, type LicenceUseView } from './holdings';
export {
  LicenceShareService,
  type CreatedShare,
  type SharedLicence,
  type ShareSummary,
} from './shares';
export {
  DossierService,
  computeTags,
  refreshTags,
  TAGS_CHANGED,
  type ApplicationsOf,
  type DossierApplication,
} from './dossiers';
export { tagsOfSubjects } from './dossier-store';
export {
  SharedDataService,
  readSharedDataSources,
  seedSharedDataSources,
  sharedDataRoutes,
  type SharedDataView,
} from './shared-data';
export {
  SCENARIO_TARGET,
  certificateFreeScenarios,
  type Blocker,
  type Scenario,
} from './scenarios';
export { certificateFreeCount } from './figures';
