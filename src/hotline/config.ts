import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from 'typebox';
import { parse } from 'yaml';
import { checkAgainstSchema } from '../platform/http/validation';
import { LIMIT_UNITS, TICKET_TYPES, URGENCIES } from './codes';
import type { DeadlineProfiles } from './model';

// The hotline's data files: deadline profiles and the category taxonomy (data/hotline/), checked
// against their schemas when read, and its settings from the environment.

/** The folder of the hotline's data files. */
export const HOTLINE_DATA_DIR = fileURLToPath(new URL('../../data/hotline/', import.meta.url));

const TextSchema = Type.Object(
  { zh: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);

const LimitSchema = Type.Object(
  {
    amount: Type.Number({ exclusiveMinimum: 0, maximum: 1000 }),
    unit: Type.Union(LIMIT_UNITS.map((u) => Type.Literal(u))),
  },
  { additionalProperties: false },
);

/** The schema of data/hotline/profiles.yaml. */
export const ProfilesSchema = Type.Object(
  {
    returnWithin: LimitSchema,
    extensionMaxWorkingDays: Type.Integer({ minimum: 0, maximum: 60 }),
    callbackWithin: LimitSchema,
    callbackAttempts: Type.Integer({ minimum: 1, maximum: 10 }),
    duplicates: Type.Object(
      {
        windowDays: Type.Integer({ minimum: 1, maximum: 365 }),
        textThreshold: Type.Number({ minimum: 0.1, maximum: 1 }),
        nearMetres: Type.Number({ minimum: 1, maximum: 5000 }),
      },
      { additionalProperties: false },
    ),
    rules: Type.Array(
      Type.Object(
        {
          key: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,31}$' }),
          name: TextSchema,
          when: Type.Object(
            {
              urgency: Type.Optional(Type.Union(URGENCIES.map((u) => Type.Literal(u)))),
              enterprise: Type.Optional(Type.Boolean()),
              type: Type.Optional(
                Type.Array(Type.Union(TICKET_TYPES.map((t) => Type.Literal(t))), { minItems: 1 }),
              ),
            },
            { additionalProperties: false },
          ),
          sign: LimitSchema,
          contact: Type.Optional(LimitSchema),
          finish: LimitSchema,
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false },
);

/** Reads and checks the deadline profiles; throws naming the place of any problem. */
export function readProfiles(file = `${HOTLINE_DATA_DIR}profiles.yaml`): DeadlineProfiles {
  const data: unknown = parse(readFileSync(file, 'utf8'));
  const problems = checkAgainstSchema(ProfilesSchema, data);
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new Error(`hotline profiles ${file}: ${first.path} ${first.message.en}`);
  }
  const profiles = data as Static<typeof ProfilesSchema>;
  const keys = new Set<string>();
  for (const rule of profiles.rules) {
    if (keys.has(rule.key)) throw new Error(`hotline profiles: rule ${rule.key} appears twice`);
    keys.add(rule.key);
  }
  const last = profiles.rules[profiles.rules.length - 1]!;
  if (Object.keys(last.when).length > 0) {
    throw new Error(`hotline profiles: the last rule (${last.key}) must match every ticket`);
  }
  return profiles;
}

const AttributeSchema = Type.Object(
  {
    code: Type.String({ pattern: '^[A-Z][A-Z0-9_]{0,31}$' }),
    datatype: Type.Union(
      ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'].map((d) =>
        Type.Literal(d),
      ),
    ),
    required: Type.Boolean(),
    description: TextSchema,
    values: Type.Optional(
      Type.Array(
        Type.Object(
          { key: Type.String({ pattern: '^[a-z0-9_-]{1,32}$' }), name: TextSchema },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);

/** One Open311 attribute of a category (service definition). */
export type CategoryAttribute = Static<typeof AttributeSchema>;

const RouteSchema = Type.Object(
  {
    region: Type.String({ pattern: '^[0-9]{6}(-[A-Z0-9]+)?$' }),
    department: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' }),
  },
  { additionalProperties: false },
);

/** A category as administrators write it (taxonomy file and API). */
export const CategoryInputSchema = Type.Object(
  {
    code: Type.String({ pattern: '^[A-Z]{2}-[0-9]{2}$', description: '分类编码, e.g. CS-01' }),
    group: Type.String({ pattern: '^[A-Z]{2}$' }),
    serviceCode: Type.String({
      pattern: '^[0-9A-Za-z_-]{1,16}$',
      description: 'Open311 service_code',
    }),
    name: TextSchema,
    description: Type.Optional(
      Type.Object({ zh: Type.String(), en: Type.String() }, { additionalProperties: false }),
    ),
    keywords: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 40 }),
    ),
    attributes: Type.Optional(Type.Array(AttributeSchema, { maxItems: 20 })),
    routes: Type.Array(RouteSchema, { minItems: 1, maxItems: 50 }),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** One category input. */
export type CategoryInput = Static<typeof CategoryInputSchema>;

const TaxonomySchema = Type.Object(
  {
    groups: Type.Array(
      Type.Object(
        {
          code: Type.String({ pattern: '^[A-Z]{2}$' }),
          name: TextSchema,
          open311Group: Type.String({ pattern: '^[a-z0-9-]{1,32}$' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
    categories: Type.Array(CategoryInputSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);

/** The taxonomy file's content. */
export type Taxonomy = Static<typeof TaxonomySchema>;

/** Reads and checks the seed taxonomy; throws naming the place of any problem. */
export function readTaxonomy(file = `${HOTLINE_DATA_DIR}taxonomy.yaml`): Taxonomy {
  const data: unknown = parse(readFileSync(file, 'utf8'));
  const problems = checkAgainstSchema(TaxonomySchema, data);
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new Error(`hotline taxonomy ${file}: ${first.path} ${first.message.en}`);
  }
  const taxonomy = data as Taxonomy;
  const groups = new Set(taxonomy.groups.map((g) => g.code));
  const codes = new Set<string>();
  const services = new Set<string>();
  for (const category of taxonomy.categories) {
    if (!groups.has(category.group)) {
      throw new Error(`hotline taxonomy: ${category.code} names unknown group ${category.group}`);
    }
    if (!category.code.startsWith(`${category.group}-`)) {
      throw new Error(
        `hotline taxonomy: ${category.code} must start with its group ${category.group}`,
      );
    }
    if (codes.has(category.code)) throw new Error(`hotline taxonomy: ${category.code} twice`);
    if (services.has(category.serviceCode)) {
      throw new Error(`hotline taxonomy: service code ${category.serviceCode} twice`);
    }
    codes.add(category.code);
    services.add(category.serviceCode);
  }
  return taxonomy;
}

/** Settings of the hotline from the environment (docs/operations.md). */
export interface HotlineSettings {
  /** The Open311 jurisdiction_id this endpoint serves (ONETHING_OPEN311_JURISDICTION). */
  jurisdiction: string;
  /** The region whose tickets and calendar Open311 requests belong to by default. */
  rootRegion: string;
  /** Largest attachment in bytes (ONETHING_HOTLINE_ATTACHMENT_MAX_BYTES, default 5 MiB). */
  attachmentMaxBytes: number;
}

/** Reads the hotline settings; throws naming a bad value. */
export function loadHotlineSettings(env: NodeJS.ProcessEnv = process.env): HotlineSettings {
  const raw = env.ONETHING_HOTLINE_ATTACHMENT_MAX_BYTES;
  let attachmentMaxBytes = 5 * 1024 * 1024;
  if (raw !== undefined && raw !== '') {
    attachmentMaxBytes = Number(raw);
    if (!Number.isInteger(attachmentMaxBytes) || attachmentMaxBytes < 1) {
      throw new Error(
        `ONETHING_HOTLINE_ATTACHMENT_MAX_BYTES must be a positive integer, got "${raw}"`,
      );
    }
  }
  return {
    jurisdiction: env.ONETHING_OPEN311_JURISDICTION?.trim() || 'weihai.gov.cn',
    rootRegion: env.ONETHING_HOTLINE_REGION?.trim() || '371000',
    attachmentMaxBytes,
  };
}
