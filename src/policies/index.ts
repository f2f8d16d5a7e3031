// Policies (政策找人, 免申即享, 静默认证): what other capabilities and the composition may use.
export { policyRoutes, REMATCH_HANDLER } from './routes';
export { seedPolicies, readSeedPolicies, syntheticSubjects } from './seed';
export { PolicyService, type PolicyView, type Recommendation } from './service';
export { GrantService, type GrantView } from './grants';
export { Matching, type MatchRun } from './matching';
export {
  MODES,
  MODE_LABELS,
  GRANT_STATES,
  GRANT_STATE_LABELS,
  benefitAmount,
  type Mode,
  type GrantState,
  type PolicyInput,
  type Facts,
} from './model';
export { assembleDossier, type SubjectRecord } from './dossier';
export { ATTRIBUTES, checkRule, type Rule, type Dossier } from './rule';
export {
  policyCounts,
  readMatches,
  readOverdueGrants,
  readPaidGrants,
  type GrantRecord,
  type MatchRecord,
  type PolicyCounts,
} from './figures';
