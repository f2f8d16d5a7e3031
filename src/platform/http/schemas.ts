import { Type, type TSchema } from 'typebox';

/** A zh-CN / en text pair as the API returns it. */
export const TextSchema = Type.Object(
  { zh: Type.String(), en: Type.String() },
  { description: 'zh-CN text with its English translation' },
);

/** The one error shape every route answers with. */
export const ErrorSchema = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'stable dotted code, e.g. auth.invalid_credentials' }),
    message: Type.String({ description: 'in the language of Accept-Language' }),
    details: Type.Array(
      Type.Object({ path: Type.String(), rule: Type.String(), message: Type.String() }),
    ),
    requestId: Type.String(),
  }),
});

/** Response schemas for the error statuses a route may answer with, for the OpenAPI document. */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorSchema]));
}
