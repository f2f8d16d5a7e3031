import { Type } from 'typebox';
import { requestMeta, requireActor, type App, type AppContext } from '../http/app';
import { invalidField } from '../http/errors';
import { maskPersonalData } from '../http/redact';
import { errorResponses, TextSchema } from '../http/schemas';
import { maskPersonalValues, maskingForOverseers } from '../privacy';
import { auditActionLabel } from './actions';
import { verifyAuditLog } from './service';
import { ACTION_COUNT_CAP, auditActionCounts, listAudit, type AuditListEntry } from './store';

// The review of the audit log (等保三级 8.1.4.3 安全审计: records can be reviewed and analysed and
// are protected): a filtered, paged list for administrators and supervisors, and the check of the
// SM3 chains for administrators.

/** Administrators and supervisors read the whole log: it has no region, every record is in it. */
const REVIEWERS = { roles: ['admin', 'supervisor'], scope: 'all' } as const;

/** Verifying reads every entry: administrators only. */
const VERIFIERS = { roles: ['admin'], scope: 'all' } as const;

const MAX_PAGE = 200;

const Instant = Type.String({
  format: 'date-time',
  description: 'ISO 8601 instant with offset, e.g. 2026-11-23T00:00:00+08:00',
});

const EntrySchema = Type.Object({
  seq: Type.Integer({ description: 'place in the whole log (order only; lanes are the chains)' }),
  at: Type.String({ format: 'date-time' }),
  actor: Type.Union([
    Type.Object({
      id: Type.Union([Type.String(), Type.Null()]),
      username: Type.Union([Type.String(), Type.Null()]),
      displayName: Type.Union([Type.String(), Type.Null()]),
      role: Type.Union([Type.String(), Type.Null()], { description: 'role when acting' }),
    }),
    Type.Null(),
  ]),
  action: Type.String(),
  objectType: Type.String(),
  objectId: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown(), {
    description: 'what the action recorded; resident IDs and mobile numbers masked',
  }),
  lane: Type.Integer(),
  laneSeq: Type.Integer(),
  hash: Type.String({ description: 'SM3 over the previous hash and this entry (hex)' }),
});

const BreakSchema = Type.Object({
  lane: Type.Integer(),
  laneSeq: Type.Integer({ description: 'the first entry of the lane that does not verify' }),
  reason: Type.Union([
    Type.Literal('sequence_gap'),
    Type.Literal('prev_hash_mismatch'),
    Type.Literal('hash_mismatch'),
  ]),
});

const VerificationSchema = Type.Object({
  ok: Type.Boolean(),
  entries: Type.Integer({ description: 'entries checked (up to the break when broken)' }),
  heads: Type.Array(
    Type.Object({ lane: Type.Integer(), laneSeq: Type.Integer(), hash: Type.String() }),
    { description: 'the last entry of each lane; empty when broken' },
  ),
  headHash: Type.Union([Type.String(), Type.Null()], {
    description:
      'one SM3 hash standing for all lane heads (what a backup records); null when broken',
  }),
  break: Type.Union([BreakSchema, Type.Null()]),
  checkedAt: Type.String({ format: 'date-time' }),
  durationMs: Type.Integer(),
});

/**
 * A detail as an overseer reads it. Details are mostly ids, numbers, states and counts, but some
 * carry text staff typed (reasons, notes, titles), where a resident ID or mobile number may stand
 * inside a sentence: whole values are masked by their check digits, numbers inside text by pattern.
 */
function maskDetail(value: unknown): unknown {
  if (typeof value === 'string') return maskPersonalData(value);
  if (Array.isArray(value)) return value.map(maskDetail);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, maskDetail(v)]));
  }
  return value;
}

/** An entry as the reply carries it, personal values in its detail masked for overseers. */
function entryView(entry: AuditListEntry, masked: boolean) {
  return {
    seq: entry.seq,
    at: entry.at.toISOString(),
    actor:
      entry.actorId === null && entry.actorRole === null
        ? null
        : {
            id: entry.actorId,
            username: entry.actorUsername,
            displayName: entry.actorDisplayName,
            role: entry.actorRole,
          },
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId,
    ip: entry.ip,
    requestId: entry.requestId,
    detail: masked
      ? (maskDetail(maskPersonalValues(entry.detail)) as Record<string, unknown>)
      : entry.detail,
    lane: entry.lane,
    laneSeq: entry.laneSeq,
    hash: entry.hash,
  };
}

/** The audit review: `GET /api/audit`, `GET /api/audit/actions`, `POST /api/audit/verification`. */
export function auditRoutes(app: App, { db }: AppContext) {
  app.get(
    '/api/audit',
    {
      config: { access: REVIEWERS },
      schema: {
        tags: ['platform'],
        summary: 'The audit log, newest first, filtered and paged (审计日志查询)',
        description:
          'Every filter narrows the list. `action` is one action by name, or every action under a ' +
          'prefix when it ends in a dot (`auth.`). `from` and `to` are inclusive. Pages are keyset ' +
          'pages: pass the `nextBefore` of a reply as `before` for the next one. Resident IDs and ' +
          'mobile numbers in `detail` are masked (supervisors and administrators oversee records ' +
          'rather than work them; src/platform/privacy.ts).',
        querystring: Type.Object(
          {
            action: Type.Optional(
              Type.String({ pattern: '^[A-Za-z0-9_.-]{1,100}$', description: 'name or prefix.' }),
            ),
            objectType: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            objectId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            actorId: Type.Optional(Type.String({ format: 'uuid' })),
            actorUsername: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            from: Type.Optional(Instant),
            to: Type.Optional(Instant),
            before: Type.Optional(Type.Integer({ minimum: 1, description: 'seq cursor' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 50 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            entries: Type.Array(EntrySchema),
            nextBefore: Type.Union([Type.Integer(), Type.Null()], {
              description: '`before` of the next page; null on the last page',
            }),
            masked: Type.Boolean({ description: 'whether personal values in details are masked' }),
          }),
          ...errorResponses(401, 403, 422),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const from = q.from === undefined ? undefined : new Date(q.from);
      const to = q.to === undefined ? undefined : new Date(q.to);
      if (from && to && to < from) {
        throw invalidField('querystring.to', 'range', {
          zh: `结束时间 to 不能早于开始时间 from（${q.from}）`,
          en: `to must not be earlier than from (${q.from})`,
        });
      }
      const prefix = q.action?.endsWith('.') ? q.action : undefined;
      const { entries, nextBefore } = await listAudit(db.kysely, {
        ...(prefix ? { actionPrefix: prefix } : q.action ? { action: q.action } : {}),
        objectType: q.objectType,
        objectId: q.objectId,
        actorId: q.actorId,
        actorUsername: q.actorUsername?.trim().toLowerCase(),
        from,
        to,
        before: q.before,
        limit: q.limit ?? 50,
      });
      const masked = maskingForOverseers(requireActor(request)) === 'masked';
      return { entries: entries.map((entry) => entryView(entry, masked)), nextBefore, masked };
    },
  );

  app.get(
    '/api/audit/actions',
    {
      config: { access: REVIEWERS },
      schema: {
        tags: ['platform'],
        summary: 'The actions in the audit log with their counts (审计动作)',
        description:
          `The distinct action names (a skip scan of the action index), each with its label and ` +
          `its number of entries counted up to ${ACTION_COUNT_CAP}; \`capped\` says there are ` +
          `more. An action this version does not write (an older version's) is labelled by its ` +
          `module and code.`,
        response: {
          200: Type.Object({
            actions: Type.Array(
              Type.Object({
                action: Type.String(),
                label: TextSchema,
                count: Type.Integer(),
                capped: Type.Boolean(),
              }),
            ),
          }),
          ...errorResponses(401, 403),
        },
      },
    },
    async () => ({
      actions: (await auditActionCounts(db.kysely)).map((entry) => ({
        ...entry,
        label: auditActionLabel(entry.action),
      })),
    }),
  );

  app.post(
    '/api/audit/verification',
    {
      config: { access: VERIFIERS },
      schema: {
        tags: ['platform'],
        summary: 'Verify the SM3 chains of the audit log (审计链验证)',
        description:
          'Reads every entry of every lane and checks each link, as `onething audit verify` does; ' +
          'names the first broken entry. It reads the whole log, so it takes a while on a large one. ' +
          'The check itself is audited (`audit.verified`). Takes no body.',
        response: { 200: VerificationSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const report = await verifyAuditLog(db.kysely, requireActor(request), requestMeta(request));
      return {
        ok: report.ok,
        entries: report.entries,
        heads: report.ok
          ? report.heads.map((head) => ({ lane: head.lane, laneSeq: head.seq, hash: head.hash }))
          : [],
        headHash: report.ok ? report.headHash : null,
        break: report.ok
          ? null
          : { lane: report.break.lane, laneSeq: report.break.seq, reason: report.break.reason },
        checkedAt: report.checkedAt.toISOString(),
        durationMs: report.durationMs,
      };
    },
  );
}
