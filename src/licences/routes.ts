// E-licences over HTTP (/api/licences/*) and the handler that issues licences from decided cases.
import { Type } from 'typebox';
import { logSealing } from '../platform/crypto';
import { requestMeta, requireActor, type App, type AppContext } from '../platform/http/app';
import { errorResponses } from '../platform/http/schemas';
import type { Actor } from '../platform/auth/model';
import { applyDisclosure, maskPersonalValues, maskingFor } from '../platform/privacy';
import type { StatusAction } from './codes';
import type { CaseDecidedPayload } from './model';
import { holderOfActor, listUses } from './holdings';
import { LicenceService, type LicenceView } from './service';
import { sealLicences } from './store';
import { dossierRoutes, type CreditOf } from './dossiers';
import { sharedDataRoutes } from './shared-data';
import { LicenceShareService, SHARE_MINUTES } from './shares';

/** The stored name of the handler that issues licences (keep it stable: deliveries record it). */
export const LICENCE_HANDLER = 'licences.issue_from_case';
const CASE_DECIDED = 'cases.case_decided';

const PUBLIC = { roles: 'public', scope: 'none' } as const;
const HOLDERS = { roles: ['citizen', 'enterprise'], scope: 'own' } as const;
// Holders see their own licences, reviewers those their department issued, admins every one.
const READERS = {
  roles: ['citizen', 'enterprise', 'reviewer', 'admin'],
  scope: 'department',
} as const;
const ISSUERS = { roles: ['reviewer', 'admin'], scope: 'department' } as const;

/**
 * A licence as the caller may see it: the holder and the reviewers of the issuing department (the
 * only reviewers the service answers) see the holder's ID and the fields whole; administrators see
 * the resident ID, mobile numbers and addresses masked (docs/security.md, "Masking in replies").
 */
function licenceFor(actor: Actor, view: LicenceView): LicenceView {
  const disclosure = maskingFor(actor, {
    subjectId: view.holder.subjectId,
    handledBy: ['reviewer'],
    onRecord: true,
  });
  if (disclosure === 'full') return view;
  return {
    ...view,
    holder: applyDisclosure(view.holder, disclosure),
    fields: view.fields.map((f) => ({ ...f, value: maskPersonalValues(f.value, f.key) })),
  };
}

const params = Type.Object({ id: Type.String({ format: 'uuid', description: 'licence id' }) });
const ReasonBody = Type.Object(
  { reason: Type.String({ minLength: 2, maxLength: 500, description: '原因 — why' }) },
  { additionalProperties: false },
);

/** /api/licences: types, public keys, verification, the holder's wallet, status changes. */
export function licenceRoutes(
  app: App,
  ctx: AppContext,
  { creditOf = null }: { creditOf?: CreditOf | null } = {},
) {
  const { db } = ctx;
  // 一人一档 / 一企一档: dossiers and tags (dossiers.ts), with supervision's credit grades
  dossierRoutes(app, ctx, creditOf);
  // 共享数据源 and 无证明场景 (shared-data.ts)
  sharedDataRoutes(app, ctx);
  const licences = new LicenceService(db.kysely);
  // Holders' ID numbers, fields and signing keys stored plain or under an earlier data key are
  // sealed in place under the key in use (src/platform/crypto).
  app.addHook('onReady', async () => {
    logSealing(app.log, { licences: await sealLicences(db.kysely) });
  });
  const shares = new LicenceShareService(db.kysely);

  app.events.on(CASE_DECIDED, LICENCE_HANDLER, async (trx, event) => {
    await licences.issueFromCase(
      trx,
      event.payload as unknown as CaseDecidedPayload,
      event.regionCode,
      new Date(),
    );
  });

  app.get(
    '/api/licences/types',
    {
      config: { access: PUBLIC },
      schema: { tags: ['licences'], summary: 'Licence types with their fields (证照类型)' },
    },
    async () => ({ types: await licences.types() }),
  );

  app.get(
    '/api/licences/keys',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['licences'],
        summary: 'The SM2 public keys that verify licence signatures (签名公钥)',
      },
    },
    async () => ({ keys: await licences.publicKeys() }),
  );

  app.get(
    '/api/licences/verify/:identifier',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['licences'],
        summary: 'Verify an e-licence by its identifier: signature and status (证照核验)',
        params: Type.Object({
          identifier: Type.String({ minLength: 1, maxLength: 300, description: '电子证照标识' }),
        }),
        response: errorResponses(404, 422),
      },
    },
    async (request) => licences.verify(request.params.identifier),
  );

  app.get(
    '/api/licences/mine',
    {
      config: { access: HOLDERS },
      schema: {
        tags: ['licences'],
        summary: "The caller's licences (我的证照)",
        response: errorResponses(401, 403),
      },
    },
    async (request) => ({ items: await licences.mine(requireActor(request)) }),
  );

  app.get(
    '/api/licences/mine/uses',
    {
      config: { access: HOLDERS },
      schema: {
        tags: ['licences'],
        summary: 'Who used your licences and data in place of a paper (用证记录), newest first',
        description:
          'Each attachment to an application at submission (免提交) and each opening by the staff ' +
          'handling it: which licence or data source, which application and material, who, why.',
        querystring: Type.Object(
          {
            licence: Type.Optional(
              Type.String({ format: 'uuid', description: 'one licence only' }),
            ),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 422),
      },
    },
    async (request) => {
      const holder = await holderOfActor(db.kysely, requireActor(request));
      if (!holder) return { items: [], total: 0 };
      return listUses(db.kysely, holder, {
        limit: request.query.limit ?? 20,
        offset: request.query.offset ?? 0,
        licenceId: request.query.licence,
      });
    },
  );

  app.get(
    '/api/licences/:id',
    {
      config: { access: READERS },
      schema: {
        tags: ['licences'],
        summary: 'One licence, for its holder or the issuing department',
        params,
        response: errorResponses(401, 403, 404),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return licenceFor(actor, await licences.get(actor, request.params.id));
    },
  );

  for (const action of ['suspend', 'revoke', 'reinstate'] as const satisfies StatusAction[]) {
    app.post(
      `/api/licences/:id/${action}`,
      {
        config: { access: ISSUERS },
        schema: {
          tags: ['licences'],
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} a licence (issuing department)`,
          params,
          body: ReasonBody,
          response: errorResponses(401, 403, 404, 409, 422),
        },
      },
      async (request) => {
        const actor = requireActor(request);
        return licenceFor(
          actor,
          await licences.changeStatus(
            actor,
            request.params.id,
            action,
            request.body.reason.trim(),
            requestMeta(request),
          ),
        );
      },
    );
  }

  app.post(
    '/api/licences/:id/replace',
    {
      config: { access: ISSUERS },
      schema: {
        tags: ['licences'],
        summary: 'Replace a valid licence with a new version (换发; issuing department)',
        description:
          'Issues the next version under the same serial with the changed fields applied and a ' +
          'new signature; the old licence becomes `replaced` and names its successor. Identifier ' +
          'fields (the holder’s ID or credit code) cannot change. Replies with the new licence.',
        params,
        body: Type.Object(
          {
            reason: ReasonBody.properties.reason,
            fields: Type.Optional(
              Type.Record(
                Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$' }),
                Type.Union([Type.String({ minLength: 1, maxLength: 2000 }), Type.Number()]),
                { maxProperties: 50 },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 404, 409, 422),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return licenceFor(
        actor,
        await licences.replace(
          actor,
          request.params.id,
          { reason: request.body.reason.trim(), fields: request.body.fields },
          requestMeta(request),
        ),
      );
    },
  );

  // 亮证: the holder's time-limited shares of a licence, and their public page.
  const shareParams = Type.Object({
    id: Type.String({ format: 'uuid', description: 'licence id' }),
    shareId: Type.String({ format: 'uuid', description: 'share id' }),
  });

  app.post(
    '/api/licences/:id/shares',
    {
      config: { access: HOLDERS },
      schema: {
        tags: ['licences'],
        summary: 'Show a licence: a time-limited link and QR code with chosen fields (亮证)',
        description:
          'Holder only (others 404). The token is returned once; only its SHA-256 is stored.',
        params,
        body: Type.Object(
          {
            fields: Type.Array(
              Type.String({ minLength: 1, maxLength: 64, description: 'field key of the type' }),
              { maxItems: 50, description: '要出示的证照项 — the fields to show' },
            ),
            minutes: Type.Optional(
              Type.Integer({
                minimum: SHARE_MINUTES.min,
                maximum: SHARE_MINUTES.max,
                description: `有效时间（分钟）— lifetime, default ${SHARE_MINUTES.default}`,
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(401, 403, 404, 409, 422),
      },
    },
    async (request, reply) => {
      const created = await shares.create(
        requireActor(request),
        request.params.id,
        request.body,
        `${request.protocol}://${request.host}`,
        requestMeta(request),
      );
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/licences/:id/shares',
    {
      config: { access: HOLDERS },
      schema: {
        tags: ['licences'],
        summary: "A licence's shares with how often each was opened (holder only)",
        params,
        response: errorResponses(401, 403, 404),
      },
    },
    async (request) => ({ items: await shares.list(requireActor(request), request.params.id) }),
  );

  app.delete(
    '/api/licences/:id/shares/:shareId',
    {
      config: { access: HOLDERS },
      schema: {
        tags: ['licences'],
        summary: 'Withdraw a share before it expires (holder only)',
        params: shareParams,
        response: errorResponses(401, 403, 404),
      },
    },
    async (request) =>
      shares.revoke(
        requireActor(request),
        request.params.id,
        request.params.shareId,
        requestMeta(request),
      ),
  );

  app.get(
    '/api/public/licence-shares/:token',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['licences'],
        summary: 'A shown licence: its verification and the fields its holder chose (亮证查看)',
        description: 'Unknown, expired or withdrawn tokens answer 404 with a code saying which.',
        params: Type.Object({
          token: Type.String({ pattern: '^[A-Za-z0-9_-]{16,100}$', description: '亮证码' }),
        }),
        response: errorResponses(404, 422),
      },
    },
    async (request) => shares.open(request.params.token),
  );
}
