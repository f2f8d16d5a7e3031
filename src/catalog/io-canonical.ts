import { ItemContentSchema, type ItemContent } from './schema';

// Both formats are driven by the TypeBox schema itself, so that a property added to the schema is
// exported, imported and ordered without a second list to keep in step.

/** The parts of a JSON Schema (as TypeBox builds it) that import and export walk. */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  items?: JsonSchema;
  anyOf?: readonly JsonSchema[];
  enum?: readonly unknown[];
  const?: unknown;
  pattern?: string;
  maxLength?: number;
}

/** The item schema seen as plain JSON Schema. */
export const ITEM_SCHEMA = ItemContentSchema as unknown as JsonSchema;

/** A plain object (a YAML mapping, a JSON object), not an array or null. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The object schema of a property that holds an object, or an object or null (the statutory
 * limit); undefined for anything else, including unions of several objects (material sources).
 */
export function objectSchemaOf(schema: JsonSchema): JsonSchema | undefined {
  if (schema.type === 'object' && schema.properties) return schema;
  if (!schema.anyOf) return undefined;
  const objects = schema.anyOf.filter((branch) => branch.type === 'object' && branch.properties);
  const onlyNull = schema.anyOf.every(
    (branch) => branch.type === 'object' || branch.type === 'null',
  );
  return objects.length === 1 && onlyNull ? objects[0] : undefined;
}

/** Whether a schema admits null (the statutory limit, when the law sets none). */
export function isNullable(schema: JsonSchema): boolean {
  return schema.type === 'null' || (schema.anyOf ?? []).some((branch) => branch.type === 'null');
}

/** The allowed values of an enumeration (`Type.Enum` or a union of literals), else undefined. */
export function allowedValues(schema: JsonSchema): string[] | undefined {
  if (schema.enum) return schema.enum.map(String).sort();
  if (schema.anyOf?.length && schema.anyOf.every((branch) => branch.const !== undefined)) {
    return schema.anyOf.map((branch) => String(branch.const));
  }
  return undefined;
}

// The union branch a value belongs to: the object branch whose constants (a `kind`) it carries.
function branchFor(schema: JsonSchema, value: Record<string, unknown>): JsonSchema | undefined {
  return schema.anyOf?.find(
    (branch) =>
      branch.type === 'object' &&
      Object.entries(branch.properties ?? {}).every(
        ([key, property]) => property.const === undefined || value[key] === property.const,
      ),
  );
}

function canonical(schema: JsonSchema | undefined, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((entry) => canonical(schema?.items, entry));
  if (!isRecord(value)) return value;
  const target = schema?.properties ? schema : schema?.anyOf ? branchFor(schema, value) : undefined;
  const known = target?.properties ?? {};
  const out: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(known)) {
    if (Object.hasOwn(value, key) && value[key] !== undefined) {
      out[key] = canonical(property, value[key]);
    }
  }
  // Unknown keys are kept (after the known ones) so that validation can name them; defined rather
  // than assigned so a key such as `__proto__` stays data.
  for (const [key, entry] of Object.entries(value)) {
    if (!Object.hasOwn(known, key) && entry !== undefined) {
      Object.defineProperty(out, key, {
        value: canonical(undefined, entry),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return out;
}

/**
 * A deep copy of an item with its keys in the schema's order and no `undefined` properties, so
 * that equal contents always serialise to the same text.
 */
export function canonicalItem<T = ItemContent>(item: T): T {
  return canonical(ITEM_SCHEMA, item) as T;
}

/** Items sorted by code (by code point, so the order never depends on the locale). */
export function sortByCode<T extends { code: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
