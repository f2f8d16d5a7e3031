export {
  appendAudit,
  verifyAuditChain,
  recentAudit,
  listAudit,
  type AuditFilter,
  type AuditVerification,
} from './store';
export { verifyAuditLog } from './service';
export {
  chainHash,
  canonicalJson,
  verifyEntries,
  GENESIS_HASH,
  type AuditEntry,
  type AuditFacts,
} from './model';
