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
export {
  AUDIT_ACTIONS,
  AUDIT_MODULES,
  AUDIT_OBJECT_TYPES,
  auditActionLabel,
  auditModuleLabel,
  auditModuleOf,
  auditObjectTypeLabel,
  isAuditAction,
  type AuditAction,
  type AuditModule,
  type AuditObjectType,
} from './actions';
