// Insight (the cockpit and the reform ledger): what the composition may use.
export { indicatorRoutes, indicatorsOf } from './indicator-routes';
export { rebuildRollups } from './rollups';
export { INDICATORS, type IndicatorDefinition } from './indicators';
export { ledgerRoutes } from './ledger-routes';
export { seedLedger } from './ledger-seed';
