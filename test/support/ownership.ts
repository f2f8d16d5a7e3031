import type { Role } from '../../src/platform/auth/model';
import type { TestServer } from './server';

// Helpers of the ownership matrix (src/platform/http/ownership-matrix.test.ts): callers placed in a
// chosen region, department or subject, and request bodies that pass a route's declared schema, so
// that a refusal proves the ownership check rather than the body validation in front of it.

/** Where a test caller sits: staff in a department of a region, or a person/enterprise subject. */
export interface Placement {
  role: Role;
  region: string;
  /** Department code (staff roles). */
  department?: string;
  /** Subject id (citizen and enterprise). */
  subject?: string;
}

/** Two staff placements of one role: the one let through, and the one refused. */
type StaffPair = (role: Role, region: string, department: string) => [Placement, Placement];

/**
 * Two staff of `role` in `region`: one in `department`, one in another department (tax, or
 * police when `department` is tax).
 */
export const departmentPair: StaffPair = (role, region, department) => [
  { role, region, department },
  { role, region, department: department === 'tax' ? 'police' : 'tax' },
];

/**
 * Two staff of `role` in `department`: one in `region`, one in a region that does not cover it
 * (Huancui 371002, or the ETDZ 371072 when `region` is Huancui; a district never covers the city).
 */
export const regionPair: StaffPair = (role, region, department) => [
  { role, region, department },
  { role, region: region === '371002' ? '371072' : '371002', department },
];

/** The username a placement gets: readable in failure messages. */
export function placementName(p: Placement): string {
  const where = p.department ?? (p.subject ? p.subject.slice(0, 8) : 'none');
  return `${p.role}.${p.region}.${where}`.toLowerCase().replace(/[^a-z0-9._-]/g, '-');
}

/**
 * Creates (once) a user at a placement with the demo password, copying the demo citizen's password
 * hash, and signs them in; returns the username and the session cookie.
 */
export function placedUsers(server: TestServer) {
  const cookies = new Map<string, string>();
  return async function place(p: Placement): Promise<{ username: string; cookie: string }> {
    const username = placementName(p);
    const cached = cookies.get(username);
    if (cached) return { username, cookie: cached };
    const db = server.db.kysely;
    const exists = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirst();
    if (!exists) {
      const demo = await db
        .selectFrom('users')
        .select('passwordHash')
        .where('username', '=', 'citizen')
        .executeTakeFirstOrThrow();
      const department = p.department
        ? await db
            .selectFrom('departments')
            .select('id')
            .where('code', '=', p.department)
            .executeTakeFirstOrThrow()
        : null;
      await db
        .insertInto('users')
        .values({
          username,
          displayName: username,
          passwordHash: demo.passwordHash,
          role: p.role,
          regionCode: p.region,
          departmentId: department?.id ?? null,
          subjectId: p.subject ?? null,
        })
        .execute();
    }
    const cookie = await server.signIn(username);
    cookies.set(username, cookie);
    return { username, cookie };
  };
}

/** A JSON schema as the OpenAPI document renders it (the parts a sample needs). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  minItems?: number;
  default?: unknown;
  nullable?: boolean;
  $ref?: string;
}

/** The id a sample body gives a uuid field: no record has it. */
export const NO_RECORD = '00000000-0000-4000-8000-000000000000';

const FILLER = '核查归属的测试说明文字，内容完整清楚便于审核人员阅读理解。';

function sampleString(schema: JsonSchema): string {
  switch (schema.format) {
    case 'uuid':
      return NO_RECORD;
    case 'date':
      return '2026-12-01';
    case 'date-time':
      return '2026-12-01T09:00:00+08:00';
    case 'email':
      return 'test@example.com';
    case 'uri':
      return 'https://example.com/';
  }
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Math.max(min, 20);
  let text = FILLER;
  while (text.length < min) text += FILLER;
  return text.slice(0, Math.max(min, Math.min(max, 20)));
}

/**
 * The smallest value of a schema that passes it where it can be told from the schema alone:
 * required properties only, the first enum member, minimum lengths and counts. Patterns and domain
 * rules are not read: a route whose body needs them gets its body from the fixture.
 */
export function sampleOf(
  schema: JsonSchema,
  resolve: (ref: string) => JsonSchema,
  depth = 0,
): unknown {
  // recursive schemas (a tree of conditions) end in an empty object
  if (depth > 8) return {};
  const next = (s: JsonSchema) => sampleOf(s, resolve, depth + 1);
  if (schema.$ref) return next(resolve(schema.$ref));
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice?.length) return next(choice[0]!);
  if (schema.allOf?.length) {
    return Object.assign({}, ...schema.allOf.map((s) => next(s) as object));
  }
  const type = [schema.type ?? (schema.properties ? 'object' : 'string')].flat()[0];
  switch (type) {
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const key of schema.required ?? []) {
        const property = schema.properties?.[key];
        if (property) value[key] = next(property);
      }
      return value;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => next(schema.items ?? {}));
    case 'integer':
    case 'number': {
      const floor =
        typeof schema.exclusiveMinimum === 'number'
          ? schema.exclusiveMinimum + 1
          : (schema.minimum ?? 1);
      return schema.maximum !== undefined ? Math.min(floor, schema.maximum) : floor;
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return sampleString(schema);
  }
}

/** The OpenAPI document's request-body samples, keyed by `METHOD /api/path/:param`. */
export async function bodySamples(server: TestServer): Promise<Map<string, unknown>> {
  const doc = (await server.api('/api/openapi.json')).body as {
    paths: Record<
      string,
      Record<string, { requestBody?: { content?: Record<string, { schema: JsonSchema }> } }>
    >;
    components?: { schemas?: Record<string, JsonSchema> };
  };
  const resolve = (ref: string) => doc.components?.schemas?.[ref.split('/').pop()!] ?? {};
  const samples = new Map<string, unknown>();
  for (const [path, operations] of Object.entries(doc.paths)) {
    const url = path.replace(/\{([^}]+)\}/g, ':$1');
    for (const [method, operation] of Object.entries(operations)) {
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      if (schema) samples.set(`${method.toUpperCase()} ${url}`, sampleOf(schema, resolve));
    }
  }
  return samples;
}

/** One file of a multipart body. */
export interface MultipartFile {
  name: string;
  bytes: Buffer;
  type: string;
}

/**
 * A multipart/form-data body of a matrix check (an upload route): text fields and one file, built
 * afresh as FormData for each request so that one body can be sent by both callers.
 */
export class MultipartBody {
  constructor(
    readonly fields: Record<string, string>,
    readonly file: MultipartFile,
  ) {}

  form(): FormData {
    const form = new FormData();
    for (const [name, value] of Object.entries(this.fields)) form.append(name, value);
    form.append(
      'file',
      new Blob([new Uint8Array(this.file.bytes)], { type: this.file.type }),
      this.file.name,
    );
    return form;
  }

  /** What the NO_RECORD guard of the matrix reads: the fields, not the bytes. */
  toJSON() {
    return { fields: this.fields, file: this.file.name };
  }
}

/** Sends a multipart body over real HTTP as the server's `api` would send JSON. */
export async function sendMultipart(
  server: TestServer,
  method: string,
  path: string,
  body: MultipartBody,
  headers: Record<string, string>,
): Promise<{ status: number; body: any }> {
  const response = await fetch(server.url + path, { method, headers, body: body.form() });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed };
}
