import { Type, type Static } from 'typebox';
import { FieldSchema, TextSchema, TimeLimitSchema } from '../catalog/schema';
import { BUNDLE_CLUSTERS, INTAKE_MODES, MATERIAL_PROVISIONS } from './codes';

export { BUNDLE_CLUSTERS, INTAKE_MODES, MATERIAL_PROVISIONS } from './codes';

// The shape of a bundle (一件事): several service items applied for as one matter. One TypeBox
// schema serves the API, the YAML seed files and the workbench editor. The web app reads it too,
// so nothing here may import Node modules.

const Key = Type.String({
  pattern: '^[a-z][a-z0-9-]{0,62}$',
  description: 'stable key, kebab-case',
});
const Keys = Type.Array(Key, { uniqueItems: true, maxItems: 50 });

/** One member item of the bundle and how the bundle feeds it. */
export const MemberSchema = Type.Object(
  {
    /** The member's key inside the bundle, e.g. `registration`. */
    key: Key,
    /** 实施编码 of the catalog item. */
    item: Type.String({ pattern: '^[0-9A-Z][0-9A-Z-]{5,63}$' }),
    /** Members that must be done first; their results are inputs of this one. */
    after: Keys,
    /** Applied for only when a situation answer adds it. */
    optional: Type.Boolean(),
    /** Fixed answers to the item's own situation questions, where the bundle implies them. */
    answers: Type.Optional(Type.Record(Type.String(), Type.Array(Key, { minItems: 1 }))),
    /** Item field key → bundle form field key, where the keys differ (same key otherwise). */
    fields: Type.Optional(Type.Record(Type.String(), Key)),
    /** Item material key → bundle material key, where the keys differ (same key otherwise). */
    materials: Type.Optional(Type.Record(Type.String(), Key)),
  },
  { additionalProperties: false },
);

/** One answer of a bundle question and what it changes. */
export const BundleAnswerSchema = Type.Object(
  {
    key: Key,
    label: TextSchema,
    /** Optional members this answer adds. */
    addMembers: Keys,
    /** Members this answer takes out. */
    removeMembers: Keys,
    /** Answers it gives to member items' own questions: `member.situation` → answer keys. */
    set: Type.Record(Type.String(), Type.Array(Key, { minItems: 1 })),
  },
  { additionalProperties: false },
);

/** A question asked once for the whole bundle (情形引导). */
export const BundleSituationSchema = Type.Object(
  {
    key: Key,
    question: TextSchema,
    multiple: Type.Boolean(),
    answers: Type.Array(BundleAnswerSchema, { minItems: 2, maxItems: 20 }),
  },
  { additionalProperties: false },
);

/** One material of the merged list (一套材料): asked once, whichever members need it. */
export const BundleMaterialSchema = Type.Object(
  {
    key: Key,
    name: TextSchema,
    forms: Type.Array(
      Type.Union([Type.Literal('original'), Type.Literal('copy'), Type.Literal('electronic')]),
      { minItems: 1, uniqueItems: true },
    ),
    copies: Type.Integer({ minimum: 0, maximum: 100 }),
    /**
     * upload: the applicant hands it in; online-sign: signed on the form; identity: real-name
     * check; result: the result of the member named in `from` (e.g. the business licence).
     */
    provision: Type.Enum(Object.keys(MATERIAL_PROVISIONS) as (keyof typeof MATERIAL_PROVISIONS)[]),
    from: Type.Optional(Key),
    /** 容缺 — may be handed in later; only where every member that needs it allows that. */
    deficiencyAllowed: Type.Boolean(),
    /** 告知承诺 — a signed pledge may replace it; only where every member allows that. */
    pledgeAllowed: Type.Boolean(),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

/** A field of the merged form (一表申请): a catalog form field, possibly filled by a result. */
export const BundleFieldSchema = Type.Object(
  {
    ...FieldSchema.properties,
    /** Filled by the platform from this member's result (e.g. the new enterprise's credit code). */
    filledBy: Type.Optional(Key),
  },
  { additionalProperties: false },
);

/** What the bundle promises: steps, cost, time and visits (e.g. 1个环节、0成本、1小时办结). */
export const CommitmentSchema = Type.Object(
  {
    steps: Type.Integer({ minimum: 1, maximum: 20 }),
    costYuan: Type.Number({ minimum: 0, maximum: 100_000_000 }),
    limit: TimeLimitSchema,
    visits: Type.Integer({ minimum: 0, maximum: 10 }),
  },
  { additionalProperties: false },
);

/** The whole content of one version of a bundle. */
export const BundleContentSchema = Type.Object(
  {
    code: Key,
    name: TextSchema,
    summary: TextSchema,
    /** 民事 / 企事 / 政事 */
    cluster: Type.Enum(Object.keys(BUNDLE_CLUSTERS) as (keyof typeof BUNDLE_CLUSTERS)[]),
    /** The life event or enterprise stage it serves, e.g. 企业开办, 出生, 退休. */
    lifeEvent: TextSchema,
    audience: Type.Array(Type.Union([Type.Literal('person'), Type.Literal('enterprise')]), {
      minItems: 1,
      uniqueItems: true,
    }),
    /** Department code of the lead unit (牵头单位). */
    leadDepartment: Type.String({ minLength: 2, maxLength: 64 }),
    regionCode: Type.String({ minLength: 2, maxLength: 16 }),
    /** Where the seeds ask for it, e.g. `A§1(1)`. */
    sources: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
      minItems: 1,
      maxItems: 20,
    }),
    keywords: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 50 }),
    commitment: CommitmentSchema,
    /** auto: a complete online application is accepted at once (智能审批); window: a clerk pre-reviews. */
    intake: Type.Enum(Object.keys(INTAKE_MODES) as (keyof typeof INTAKE_MODES)[]),
    members: Type.Array(MemberSchema, { minItems: 2, maxItems: 40 }),
    situations: Type.Array(BundleSituationSchema, { maxItems: 30 }),
    /** The merged form (一表申请). */
    form: Type.Array(BundleFieldSchema, { maxItems: 300 }),
    /** The merged material list (一套材料). */
    materials: Type.Array(BundleMaterialSchema, { maxItems: 200 }),
  },
  { additionalProperties: false },
);

/** One version's content of a bundle. */
export type BundleContent = Static<typeof BundleContentSchema>;
/** A member of a bundle. */
export type Member = Static<typeof MemberSchema>;
/** A bundle question. */
export type BundleSituation = Static<typeof BundleSituationSchema>;
/** A material of the merged list. */
export type BundleMaterial = Static<typeof BundleMaterialSchema>;
/** A field of the merged form. */
export type BundleField = Static<typeof BundleFieldSchema>;
/** What a bundle promises. */
export type Commitment = Static<typeof CommitmentSchema>;
