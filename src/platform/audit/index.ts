export { appendAudit, verifyAuditChain, recentAudit, type AuditVerification } from './store';
export {
  chainHash,
  canonicalJson,
  verifyEntries,
  GENESIS_HASH,
  type AuditEntry,
  type AuditFacts,
} from './model';
