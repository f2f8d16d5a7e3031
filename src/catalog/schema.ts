import { Type, type Static } from 'typebox';
import { ITEM_TYPES, LEVELS, type ItemTypeCode } from './codes';
export { ITEM_TYPES, LEVELS, ONLINE_DEPTHS, type ItemTypeCode } from './codes';

// kinds.ts, not the validators: this schema is also read by the web app, which has no Node.
import { ID_KINDS } from '../platform/ids/kinds';

// The shape of a service item (政务服务事项) as the national implementation list (实施清单) records it.
// One TypeBox schema serves the API (validation and OpenAPI), YAML and Excel import, and the web form.

const Key = Type.String({
  pattern: '^[a-z][a-z0-9-]{0,62}$',
  description: 'stable key, kebab-case',
});

/** zh-CN text with its English translation. */
export const TextSchema = Type.Object(
  {
    zh: Type.String({ minLength: 1, maxLength: 500 }),
    en: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);

/** A time limit with its unit: working days, or working hours for the fastest items. */
export const TimeLimitSchema = Type.Object(
  {
    value: Type.Number({ exclusiveMinimum: 0, maximum: 3650 }),
    unit: Type.Union([Type.Literal('workdays'), Type.Literal('hours')]),
  },
  { additionalProperties: false },
);

/** Where a material can come from instead of the applicant, so it can be waived (免提交). */
export const MaterialSourceSchema = Type.Union([
  Type.Object(
    { kind: Type.Literal('licence'), licenceType: Type.String({ minLength: 1, maxLength: 100 }) },
    { additionalProperties: false, description: 'an e-licence of this type held by the applicant' },
  ),
  Type.Object(
    { kind: Type.Literal('shared-data'), source: Type.String({ minLength: 1, maxLength: 200 }) },
    { additionalProperties: false, description: 'a shared-data source of another department' },
  ),
  Type.Object(
    { kind: Type.Literal('item-result'), itemCode: Type.String({ minLength: 1, maxLength: 64 }) },
    { additionalProperties: false, description: 'the result of another item' },
  ),
]);

/** 申请材料 — one material of an item. */
export const MaterialSchema = Type.Object(
  {
    key: Key,
    name: TextSchema,
    /** required: always asked; conditional: asked only when a situation answer adds it. */
    requirement: Type.Union([Type.Literal('required'), Type.Literal('conditional')]),
    forms: Type.Array(
      Type.Union([Type.Literal('original'), Type.Literal('copy'), Type.Literal('electronic')]),
      { minItems: 1, uniqueItems: true },
    ),
    copies: Type.Integer({ minimum: 0, maximum: 100 }),
    pages: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    sources: Type.Array(MaterialSourceSchema, { maxItems: 10 }),
    /** 容缺 — may be handed in later. */
    deficiencyAllowed: Type.Boolean(),
    /** 告知承诺 — a signed pledge may replace it. */
    pledgeAllowed: Type.Boolean(),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

/** One answer of a situation question and what it changes. */
export const AnswerSchema = Type.Object(
  {
    key: Key,
    label: TextSchema,
    addMaterials: Type.Array(Key, { uniqueItems: true }),
    removeMaterials: Type.Array(Key, { uniqueItems: true }),
    addFields: Type.Array(Key, { uniqueItems: true }),
    /** A different committed limit when this answer applies (the longest applicable wins). */
    committedLimit: Type.Optional(TimeLimitSchema),
  },
  { additionalProperties: false },
);

/** 情形 — a question whose answers decide which materials, fields and limits apply. */
export const SituationSchema = Type.Object(
  {
    key: Key,
    question: TextSchema,
    multiple: Type.Boolean({ description: 'several answers may be chosen' }),
    answers: Type.Array(AnswerSchema, { minItems: 2, maxItems: 20 }),
  },
  { additionalProperties: false },
);

const FIELD_TYPES = ['text', 'number', 'date', 'region', 'identifier', 'choice', 'table'] as const;

/** The properties every form field has. */
const fieldProperties = {
  key: Key,
  label: TextSchema,
  type: Type.Enum(FIELD_TYPES),
  required: Type.Boolean(),
  /** Shown only when a situation answer adds it. */
  conditional: Type.Optional(Type.Boolean()),
  identifierKind: Type.Optional(Type.Enum(ID_KINDS)),
  options: Type.Optional(
    Type.Array(Type.Object({ value: Key, label: TextSchema }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 200,
    }),
  ),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  help: Type.Optional(TextSchema),
};

/** A column of a table field: any field type but a table. */
export const ColumnSchema = Type.Object(fieldProperties, { additionalProperties: false });

/** A field of the item's application form. */
export const FieldSchema = Type.Object(
  {
    ...fieldProperties,
    columns: Type.Optional(Type.Array(ColumnSchema, { minItems: 1, maxItems: 30 })),
  },
  { additionalProperties: false },
);

/**
 * One check of a rule-based decision (智能审批): a value the case holds, named by a path —
 * `data.<field>` (the item's form), `answers.<situation>`, `results.<member>.<key>` (a result of an
 * earlier member of the bundle) or `applicant.<kind|identifier>` (the applicant's dossier facts) — and
 * the rule it must meet. `label` is what the decision records as its reason.
 */
export const DecisionCheckSchema = Type.Object(
  {
    id: Key,
    label: TextSchema,
    path: Type.String({
      pattern: '^(data|answers|results|applicant)(\\.[a-z0-9][a-z0-9-]*){1,3}$',
    }),
    rule: Type.Union([
      Type.Object({ op: Type.Literal('present') }, { additionalProperties: false }),
      Type.Object({ op: Type.Literal('absent') }, { additionalProperties: false }),
      Type.Object(
        {
          op: Type.Union([Type.Literal('in'), Type.Literal('not-in')]),
          values: Type.Array(Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
            minItems: 1,
            maxItems: 100,
          }),
        },
        { additionalProperties: false },
      ),
      Type.Object(
        { op: Type.Union([Type.Literal('min'), Type.Literal('max')]), value: Type.Number() },
        { additionalProperties: false },
      ),
      Type.Object(
        { op: Type.Literal('pattern'), value: Type.String({ minLength: 1, maxLength: 500 }) },
        { additionalProperties: false },
      ),
      Type.Object(
        { op: Type.Literal('identifier'), kind: Type.Enum(ID_KINDS) },
        { additionalProperties: false },
      ),
      Type.Object(
        { op: Type.Literal('max-rows'), value: Type.Integer({ minimum: 0, maximum: 10_000 }) },
        { additionalProperties: false },
      ),
    ]),
  },
  { additionalProperties: false },
);

/**
 * How cases of the item are decided: by a reviewer (the default), or automatically (秒批) when every
 * check passes — a case whose checks fail goes to a reviewer with the failed checks shown. An
 * automatic approval may issue generated values (`issues`: a new unified social credit code for a
 * registration). `deemedApprovedOnTimeout` (超时默认) marks items whose rules deem a case approved
 * when the committed limit passes without a decision.
 */
export const DecisionSchema = Type.Object(
  {
    automatic: Type.Boolean(),
    /** Absent: none (an item may deem on timeout without deciding automatically). */
    checks: Type.Optional(Type.Array(DecisionCheckSchema, { maxItems: 30 })),
    issues: Type.Optional(Type.Array(Type.Literal('uscc'), { maxItems: 1, uniqueItems: true })),
    deemedApprovedOnTimeout: Type.Optional(Type.Boolean()),
    /** The legal basis of an automatic or deemed decision. */
    basis: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  },
  { additionalProperties: false },
);

/** The whole content of one version of a service item. */
export const ItemContentSchema = Type.Object(
  {
    /** 实施编码 — identifies the item as implemented here; the catalog's key. */
    code: Type.String({ pattern: '^[0-9A-Z][0-9A-Z-]{5,63}$' }),
    /** 基本编码 — the item in the national basic catalog. */
    basicCode: Type.String({ pattern: '^[0-9A-Z][0-9A-Z-]{5,63}$' }),
    name: TextSchema,
    type: Type.Enum(Object.keys(ITEM_TYPES) as ItemTypeCode[]),
    /** 服务对象 — natural persons, legal persons (enterprises), or both. */
    audience: Type.Array(Type.Union([Type.Literal('person'), Type.Literal('enterprise')]), {
      minItems: 1,
      uniqueItems: true,
    }),
    /** Themes and life events it belongs to, e.g. 企业开办, 生育, 退休. */
    themes: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 20 }),
    /** Words people use for it, for search. */
    keywords: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 50 }),
    /** Department code (platform departments) that implements the item. */
    department: Type.String({ minLength: 2, maxLength: 64 }),
    level: Type.Enum(Object.keys(LEVELS) as (keyof typeof LEVELS)[]),
    regionCode: Type.String({ minLength: 2, maxLength: 16 }),
    legalBasis: Type.Array(Type.String({ minLength: 1, maxLength: 1000 }), {
      minItems: 1,
      maxItems: 30,
    }),
    /** 受理条件 */
    conditions: Type.String({ minLength: 1, maxLength: 5000 }),
    /** 法定办结时限 — null when the law sets none. */
    statutoryLimit: Type.Union([TimeLimitSchema, Type.Null()]),
    /** 承诺办结时限 — never longer than the statutory limit. */
    committedLimit: TimeLimitSchema,
    /** 跑动次数 — visits in person; the reason is required when above zero. */
    visits: Type.Integer({ minimum: 0, maximum: 10 }),
    visitsReason: Type.Optional(Type.String({ maxLength: 500 })),
    onlineDepth: Type.Integer({ minimum: 1, maximum: 8 }),
    fee: Type.Object(
      {
        charged: Type.Boolean(),
        basis: Type.Optional(Type.String({ maxLength: 1000 })),
        amountYuan: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000_000 })),
      },
      { additionalProperties: false },
    ),
    result: Type.Object(
      {
        /** licence — an e-licence; approval, filing, payment, certificate, other. */
        kind: Type.Enum(['licence', 'approval', 'filing', 'payment', 'certificate', 'other']),
        name: Type.String({ minLength: 1, maxLength: 200 }),
        licenceType: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
      },
      { additionalProperties: false },
    ),
    /** 数量限制 */
    quantityLimit: Type.Optional(Type.String({ maxLength: 1000 })),
    /** 办理流程 — the steps, in order. */
    process: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 30 }),
    contacts: Type.Object(
      {
        consultation: Type.String({ minLength: 1, maxLength: 200 }),
        complaint: Type.String({ minLength: 1, maxLength: 200 }),
      },
      { additionalProperties: false },
    ),
    place: Type.Object(
      {
        address: Type.String({ minLength: 1, maxLength: 500 }),
        hours: Type.String({ minLength: 1, maxLength: 200 }),
      },
      { additionalProperties: false },
    ),
    materials: Type.Array(MaterialSchema, { maxItems: 100 }),
    situations: Type.Array(SituationSchema, { maxItems: 30 }),
    form: Type.Array(FieldSchema, { maxItems: 200 }),
    /** 智能审批 / 超时默认: absent means every case is decided by a reviewer. */
    decision: Type.Optional(DecisionSchema),
  },
  { additionalProperties: false },
);

/** One version's content of a service item. */
export type ItemContent = Static<typeof ItemContentSchema>;
/** A material of an item. */
export type Material = Static<typeof MaterialSchema>;
/** Where a material can come from instead of the applicant (免提交). */
export type MaterialSource = Static<typeof MaterialSourceSchema>;
/** A situation question. */
export type Situation = Static<typeof SituationSchema>;
/** A form field. */
export type FormField = Static<typeof FieldSchema>;
/** How an item's cases are decided. */
export type Decision = Static<typeof DecisionSchema>;
/** One check of a rule-based decision. */
export type DecisionCheck = Static<typeof DecisionCheckSchema>;
/** A time limit with its unit. */
export type TimeLimit = Static<typeof TimeLimitSchema>;
