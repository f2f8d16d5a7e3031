// Insight (the cockpit and the reform ledger): what the composition may use.
export { indicatorRoutes, indicatorsOf } from './indicator-routes';
export { rebuildRollups } from './rollups';
export { INDICATORS, type IndicatorDefinition } from './indicators';
export { panelsOf } from './panels';
export { recordsOf, RECORD_KEYS, type RecordItem, type RecordKey } from './records';
export { warningsOf, WARNING_KINDS, type WarningItem, type WarningKind } from './warnings';
export { ledgerRoutes } from './ledger-routes';
export { seedLedger } from './ledger-seed';
export { seedDemoHistory } from './demo-history';
