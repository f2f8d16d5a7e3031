import type {
  FormField as ServerField,
  ItemContent as ServerItem,
  Material as ServerMaterial,
  Situation as ServerSituation,
  TimeLimit as ServerLimit,
} from '../../../../src/catalog/schema';

// The content of one version of a service item: the server's own schema types (src/catalog/schema.ts),
// so the two sides cannot drift apart.

/** The whole content of one item version. */
export type ItemContent = ServerItem;
/** 事项类型 codes. */
export type ItemTypeCode = ServerItem['type'];
/** 实施层级. */
export type Level = ServerItem['level'];
/** Who an item serves: natural persons (自然人) or legal persons (法人, enterprises). */
export type Audience = ServerItem['audience'][number];
/** A time limit in working days, or working hours for the fastest items. */
export type TimeLimit = ServerLimit;
/** 申请材料. */
export type Material = ServerMaterial;
/** Where a material can come from instead of the applicant (免提交). */
export type MaterialSource = ServerMaterial['sources'][number];
/** How a material is handed in. */
export type MaterialForm = ServerMaterial['forms'][number];
/** 情形. */
export type Situation = ServerSituation;
/** One answer of a situation question. */
export type Answer = ServerSituation['answers'][number];
/** A field of the application form. */
export type FormField = ServerField;
/** A column of a table field. */
export type FormColumn = NonNullable<ServerField['columns']>[number];
/** The kinds of form field. */
export type FieldType = ServerField['type'];
/** Identifier kinds a field can check. */
export type IdKind = NonNullable<ServerField['identifierKind']>;
/** What an item's result is. */
export type ResultKind = ServerItem['result']['kind'];
