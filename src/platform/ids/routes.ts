import { Type } from 'typebox';
import type { App } from '../http/app';
import { errorResponses } from '../http/schemas';
import { ID_KINDS, checkIdentifier } from './validators';

/** `GET /api/identifiers/{kind}/{value}`: checks a USCC, resident ID, region code or mobile number. */
export function identifierRoutes(app: App) {
  app.get(
    '/api/identifiers/:kind/:value',
    {
      config: { access: { roles: 'public', scope: 'none' } },
      schema: {
        tags: ['platform'],
        summary: 'Validate an identifier (证照号码校验): uscc, ric, region or mobile',
        description:
          'uscc — 统一社会信用代码 (GB 32100); ric — 公民身份号码 (GB 11643); region — 行政区划代码 (GB/T 2260); ' +
          'mobile — mainland mobile number. `reason` is one of empty, length, format, checksum, birthdate, region.',
        params: Type.Object({
          kind: Type.Enum(ID_KINDS),
          value: Type.String({ maxLength: 64 }),
        }),
        response: {
          200: Type.Object({
            kind: Type.String(),
            valid: Type.Boolean(),
            reason: Type.Union([Type.String(), Type.Null()]),
            message: Type.Union([Type.String(), Type.Null()]),
            warnings: Type.Array(Type.String()),
            normalized: Type.String(),
          }),
          ...errorResponses(422),
        },
      },
    },
    async (request) => {
      const { kind, value } = request.params;
      const check = checkIdentifier(kind, value);
      const lang = request.lang;
      return {
        kind,
        valid: check.valid,
        reason: check.reason,
        message: check.message?.[lang] ?? null,
        warnings: check.warnings.map((w) => w[lang]),
        normalized: check.normalized,
      };
    },
  );
}
