import type { Kdb } from '../db/database';
import type { Actor } from '../auth/model';
import type { RequestMeta } from '../auth/service';
import { appendAudit, verifyAuditChain, type AuditVerification } from './store';

/** A verification as the review reports it: the result, when it ran and how long it took. */
export type AuditVerificationReport = AuditVerification & { checkedAt: Date; durationMs: number };

/**
 * Checks every lane of the log (reading it all, outside any transaction) and records that it was
 * checked, with the result, as an entry of its own (`audit.verified`). The entry is written after
 * the check, so the result it records is of the log as it was before it.
 */
export async function verifyAuditLog(
  db: Kdb,
  actor: Actor,
  meta: RequestMeta,
): Promise<AuditVerificationReport> {
  const checkedAt = new Date();
  const result = await verifyAuditChain(db);
  const durationMs = Date.now() - checkedAt.getTime();
  await db.transaction().execute((trx) =>
    appendAudit(trx, {
      actorId: actor.userId,
      actorRole: actor.role,
      action: 'audit.verified',
      objectType: 'audit_log',
      objectId: null,
      ip: meta.ip,
      requestId: meta.requestId,
      detail: result.ok
        ? {
            ok: true,
            entries: result.entries,
            lanes: result.heads.length,
            headHash: result.headHash,
          }
        : { ok: false, entries: result.entries, break: { ...result.break } },
    }),
  );
  return { ...result, checkedAt, durationMs };
}
