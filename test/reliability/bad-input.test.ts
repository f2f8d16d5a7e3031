import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { admittedRoles, type Role } from '../../src/platform/auth/model';
import type { DeclaredRoute } from '../../src/platform/http/app';
import { startTestServer } from '../support/server';

// Every write route (POST, PUT, PATCH, DELETE) is driven with generated invalid and hostile input
// by a caller the route admits: bad identifiers in the path, wrong types at the top level and per
// field (the field names come from the route's own JSON schema), huge strings, NUL and lone
// surrogates, right-to-left and zero-width marks, emoji, script and SQL fragments, deep nesting,
// huge arrays, numbers out of range, and raw bodies that are not JSON at all. The platform must
// never answer 5xx, every refusal must carry the one error shape in the caller's language, and a
// refused request must leave every table as it was (row count and newest row version, per table).
//
// Reproducible: the seed is fixed (BAD_INPUT_SEED overrides it, BAD_INPUT_RUNS the runs per route)
// and fast-check prints the seed and path of any failure.

const SEED = Number(process.env.BAD_INPUT_SEED ?? 20_261_123);
const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 4);
const DATABASE = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';

/**
 * Tables a refused request may legitimately change, each with the reason. Everything else must be
 * exactly as it was after any 4xx.
 */
const CHANGE_ON_REFUSAL: Record<string, string> = {
  // Every authenticated request may refresh its session's last-seen instant (idle timeout).
  sessions: 'a request refreshes its session’s last-seen instant, refused or not',
  // Refused sign-ins and password changes are security events: they are audited and counted for
  // the lock-out.
  audit_log: 'refused sign-ins and password changes are audited',
  users: 'failed sign-ins are counted on the account for the windowed lock-out',
};

/**
 * Routes with a known defect in a capability's own code: the test for each is expected to fail
 * (`it.fails`) until the defect is fixed; then remove the entry and the test must pass.
 */
const KNOWN_FAILURES: Record<string, string> = {};

const server = await startTestServer({
  seed: 'all',
  env: {
    // Hostile input must reach validation and the handlers, not stop at the rate limiter.
    ONETHING_RATE_LIMITS: 'off',
    // No background writers: the before/after snapshot must see only the request's own writes.
    ONETHING_SLA_SWEEP_SECONDS: '0',
    ONETHING_OUTBOX_SECONDS: '0',
  },
});

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const writeRoutes = server.app.accessTable.filter((r) => WRITE_METHODS.has(r.method));

type Json = Record<string, any>;
const openapi = server.app.swagger() as Json;

fc.configureGlobal({ seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: 60_000 });

// ---------------------------------------------------------------------------------------------
// Hostile values

const HOSTILE_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\udbff\udbff',
  '\u202eevil\u202c',
  'zero\u200bwidth\u200d\ufeff',
  '👨‍👩‍👧‍👦🏳️‍🌈',
  'e\u0301\u0301\u0301\u0301',
  '\uffff\ufffe',
  '\r\n\t\b\f\v',
  "' or 1=1 --",
  "'; drop table users; --",
  '" or ""="',
  '1; select pg_sleep(5)',
  '$$; select 1; $$',
  '\\',
  '%',
  '_',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00',
  '%2e%2e%2f',
  '${7*7}{{7*7}}#{7*7}',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '０１２３', // full-width digits
  '统一社会信用代码',
  'ﷺ',
  'İıſK', // case-folding traps
];

const HUGE_LENGTHS = [2_001, 70_000, 400_000];

const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.string({ maxLength: 8 }),
        fc.constantFrom(...HOSTILE_TEXT),
        fc.string({ maxLength: 8 }),
      )
      .map((parts) => parts.join('')),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...HUGE_LENGTHS), fc.constantFrom('x', '测', '😀', '\u0000', '\u200b'))
      .map(([n, c]) => c.repeat(Math.ceil(n / c.length))),
  },
);

const hostileNumber = fc.oneof(
  fc.constantFrom(
    -1,
    0,
    -0,
    0.5,
    -0.5,
    1.0000001,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53 + 2,
    -(2 ** 63),
    1e21,
    1e308,
    -1e308,
    5e-324,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

const hostileKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    '',
    ' ',
    '\u0000',
    '\ud800',
    '$where',
    'a.b',
    '../x',
  ),
  fc.string({ maxLength: 12 }),
);

const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileText },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);

function nested(depth: number, leaf: unknown, asObject: boolean): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = asObject ? { a: value } : [value];
  return value;
}

/** Any JSON value that no schema of ours wants, from small trees to very deep and very wide ones. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileLeaf },
  {
    weight: 3,
    arbitrary: fc.letrec((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        hostileLeaf,
        fc.array(tie('tree'), { maxLength: 4 }),
        fc.dictionary(hostileKey, tie('tree'), { maxKeys: 4 }),
      ),
    })).tree,
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(64, 1_000), fc.boolean())
      .map(([depth, asObject]) => nested(depth, '<script>', asObject)),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(10_000, 150_000)
      .map((n) => Array.from({ length: n }, (_, i) => (i % 2 ? "' or 1=1 --" : i))),
  },
  {
    weight: 1,
    arbitrary: fc
      .constant(20_000)
      .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))),
  },
);

// ---------------------------------------------------------------------------------------------
// Values shaped after the route's own schema, so that hostile content gets past the type checks
// and reaches the handlers, the stores and the database.

function resolve(schema: Json | undefined): Json | undefined {
  if (!schema || typeof schema.$ref !== 'string') return schema;
  const name = schema.$ref.split('/').pop()!;
  return resolve(openapi.components?.schemas?.[name]);
}

function enumValues(schema: Json): unknown[] | null {
  if (Array.isArray(schema.enum)) return schema.enum;
  if ('const' in schema) return [schema.const];
  const alternatives = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (alternatives?.every((a) => Array.isArray(a.enum) || 'const' in a)) {
    return alternatives.flatMap((a) => enumValues(a)!);
  }
  return null;
}

function fitText(text: string, schema: Json): string {
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const fitted = [...text].slice(0, max).join('');
  return fitted.length >= min ? fitted : fitted.padEnd(min, '\u200b');
}

const DATES = ['2026-02-29', '2024-02-29', '0001-01-01', '9999-12-31', '1900-01-01', '2026-11-23'];
const INSTANTS = [
  '2026-11-23T10:00:00Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2026-11-23T10:00:00+14:00',
  '1970-01-01T00:00:00.000000001Z',
];

/** Plausible-looking values for one schema node, edge cases included. */
function plausible(schema: Json | undefined, ids: string[], depth: number): fc.Arbitrary<unknown> {
  const node = resolve(schema);
  if (!node || depth > 3) return hostileValue;
  const values = enumValues(node);
  if (values) return fc.constantFrom(...values);
  const type = Array.isArray(node.type) ? node.type[0] : node.type;
  switch (type) {
    case 'string': {
      if (node.format === 'uuid') {
        return ids.length ? fc.oneof(fc.uuid(), fc.constantFrom(...ids)) : fc.uuid();
      }
      if (node.format === 'date') return fc.constantFrom(...DATES);
      if (node.format === 'date-time') return fc.constantFrom(...INSTANTS);
      if (typeof node.pattern === 'string') {
        return fc.oneof(
          fc.stringMatching(new RegExp(node.pattern)),
          hostileText.map((t) => fitText(t, node)),
        );
      }
      return hostileText.map((t) => fitText(t, node));
    }
    case 'integer':
    case 'number': {
      const edges = [node.minimum, node.maximum]
        .filter((n): n is number => typeof n === 'number')
        .flatMap((n) => [n, n - 1, n + 1, n + 0.5]);
      return fc.oneof(fc.constantFrom(1, ...edges), hostileNumber);
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(plausible(node.items, ids, depth + 1), {
        maxLength: typeof node.maxItems === 'number' ? node.maxItems + 1 : 5,
      });
    case 'object':
      return node.properties
        ? objectOf(node, ids, depth + 1)
        : fc.dictionary(hostileKey, hostileValue, { maxKeys: 5 });
    default:
      return hostileValue;
  }
}

/** An object after the schema: each field plausible or hostile, some missing, maybe an extra one. */
function objectOf(schema: Json, ids: string[], depth: number): fc.Arbitrary<Json> {
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const fields = Object.fromEntries(
    Object.entries(properties).map(([name, field]) => [
      name,
      fc.oneof(
        { weight: 4, arbitrary: plausible(field, ids, depth) },
        { weight: 1, arbitrary: hostileValue },
      ),
    ]),
  );
  const required = new Set<string>((schema.required as string[] | undefined) ?? []);
  return fc
    .tuple(
      fc.record(fields, { requiredKeys: [] }),
      fc.subarray([...required]),
      fc.option(fc.tuple(hostileKey, hostileValue), { freq: 4 }),
    )
    .map(([record, keep, extra]) => {
      const object: Json = { ...record };
      // Required fields are there unless dropped on purpose, so most bodies get past `required`.
      for (const name of required) {
        if (!(name in object) && keep.includes(name)) object[name] = 'x';
      }
      if (extra) Object.defineProperty(object, extra[0], { value: extra[1], enumerable: true });
      return object;
    });
}

function bodySchemaOf(route: DeclaredRoute): Json | undefined {
  const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
  const operation = openapi.paths?.[path]?.[route.method.toLowerCase()];
  return resolve(operation?.requestBody?.content?.['application/json']?.schema);
}

/** The body of one request: top-level nonsense, or an object after the route's schema. */
function bodyOf(route: DeclaredRoute, ids: string[]): fc.Arbitrary<unknown> {
  const schema = bodySchemaOf(route);
  const shaped = schema?.properties
    ? objectOf(schema, ids, 0)
    : fc.dictionary(hostileKey, hostileValue, { maxKeys: 4 });
  return fc.oneof(
    { weight: 1, arbitrary: hostileValue },
    { weight: 4, arbitrary: shaped },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

// ---------------------------------------------------------------------------------------------
// Identifiers

const BAD_IDS = [
  'x',
  '0',
  '-1',
  'null',
  ' ',
  "1' or '1'='1",
  '1; drop table cases',
  '../../etc/passwd',
  '..',
  '%00',
  '\u0000',
  '\ud800',
  '\u202e1234',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '{{id}}',
  '<script>',
  '9'.repeat(40),
  'Ａ'.repeat(60),
  'x'.repeat(99),
  'x'.repeat(101),
  'x'.repeat(4_000),
];

/** Existing rows of the tables the routes' `:id`-like parameters name, so that some requests hit real rows. */
const ID_SOURCES: [prefix: string, table: string, column: string][] = [
  ['/api/cases/', 'cases', 'id'],
  ['/api/applications/', 'applications', 'id'],
  ['/api/hotline/tickets/', 'hotline_tickets', 'id'],
  ['/api/hotline/api-keys/', 'hotline_api_keys', 'id'],
  ['/api/licences/', 'licences', 'id'],
  ['/api/ratings/', 'ratings', 'id'],
  ['/api/rectifications/', 'rectifications', 'id'],
  ['/api/supervision/inspections/', 'inspections', 'id'],
  ['/api/supervision/plans/', 'inspection_plans', 'id'],
  ['/api/supervision/credit/repairs/', 'credit_repairs', 'id'],
  ['/api/supervision/targets/', 'subjects', 'id'],
  ['/api/policies/dossiers/', 'subjects', 'id'],
  ['/api/dossiers/', 'subjects', 'id'],
  ['/api/policy-grants/', 'policy_grants', 'id'],
  ['/api/insight/ledger/tasks/', 'ledger_tasks', 'id'],
  ['/api/messages/', 'messages', 'id'],
  ['/api/policies/', 'policies', 'code'],
  ['/api/bundles/', 'bundles', 'code'],
  ['/api/catalog/items/', 'catalog_items', 'code'],
  ['/api/calendar/overrides/', 'regions', 'code'],
];

async function existingIds(url: string): Promise<string[]> {
  const source = ID_SOURCES.find(([prefix]) => url.startsWith(prefix));
  if (!source) return [];
  const [, table, column] = source;
  const { rows } = await sql<{
    v: string;
  }>`select ${sql.ref(column)}::text as v from ${sql.table(table)} limit 5`.execute(
    server.db.kysely,
  );
  return rows.map((r) => r.v);
}

function identifier(ids: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 3, arbitrary: fc.constantFrom(...BAD_IDS) },
    { weight: 2, arbitrary: hostileText.filter((t) => t.length > 0 && t.length < 200) },
    ...(ids.length ? [{ weight: 3, arbitrary: fc.constantFrom(...ids) }] : []),
  );
}

/**
 * Percent-encodes a path segment; a lone surrogate, which has no UTF-8 form, is sent as the three
 * bytes it would take (WTF-8), which are not valid UTF-8: hostile in its own right.
 */
function encodeSegment(value: string): string {
  return [...value]
    .map((char) => {
      const unit = char.charCodeAt(0);
      if (char.length > 1 || unit < 0xd800 || unit > 0xdfff) return encodeURIComponent(char);
      const bytes = [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)];
      return bytes.map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    })
    .join('');
}

function pathWith(url: string, values: Record<string, string>): string {
  return url.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeSegment(values[name] ?? 'x'));
}

function paramNames(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
}

// ---------------------------------------------------------------------------------------------
// The snapshot of every table: row count and newest row version (xmin). An insert, update or
// delete that commits changes one of them; a rolled-back one changes neither.

const tables = (
  await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
    order by table_name`.execute(server.db.kysely)
).rows.map((r) => r.name);

const snapshotQuery = sql.raw(
  tables
    .map(
      (t) =>
        `select '${t}' as t, count(*)::text as n, coalesce(max(xmin::text::bigint), 0)::text as x from "${t}"`,
    )
    .join(' union all '),
);

async function snapshot(): Promise<Map<string, string>> {
  const { rows } = await sql<{ t: string; n: string; x: string }>`${snapshotQuery}`.execute(
    server.db.kysely,
  );
  return new Map(rows.map((r) => [r.t, `${r.n}@${r.x}`]));
}

function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return tables.filter((t) => before.get(t) !== after.get(t) && !(t in CHANGE_ON_REFUSAL));
}

// ---------------------------------------------------------------------------------------------
// Sending and judging one request

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  lang: 'zh' | 'en';
}

interface Answer {
  status: number;
  contentType: string;
  requestIdHeader: string | null;
  text: string;
}

async function send(request: Sent): Promise<Answer> {
  const response = await fetch(server.url + request.path, {
    method: request.method,
    headers: { 'accept-language': request.lang === 'en' ? 'en' : 'zh-CN', ...request.headers },
    body: request.body,
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    requestIdHeader: response.headers.get('x-request-id'),
    text: await response.text(),
  };
}

const CJK = /[\u4e00-\u9fff]/;
const CODE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;

/** What is wrong with a refusal's body, measured against the one error shape; empty if nothing. */
export function shapeProblems(answer: Answer, lang: 'zh' | 'en'): string[] {
  const problems: string[] = [];
  if (!answer.contentType.startsWith('application/json')) {
    problems.push(`content-type ${answer.contentType}`);
  }
  let body: any;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return [...problems, `not JSON: ${answer.text.slice(0, 120)}`];
  }
  const error = body?.error;
  if (!error || typeof error !== 'object')
    return [...problems, `no error object: ${answer.text.slice(0, 120)}`];
  const keys = Object.keys(body).join(',');
  if (keys !== 'error') problems.push(`top-level keys ${keys}`);
  const errorKeys = Object.keys(error).sort().join(',');
  if (errorKeys !== 'code,details,message,requestId') problems.push(`error keys ${errorKeys}`);
  if (typeof error.code !== 'string' || !CODE.test(error.code)) problems.push(`code ${error.code}`);
  if (typeof error.message !== 'string' || error.message.length === 0) {
    problems.push(`message ${error.message}`);
  } else if (lang === 'zh' && !CJK.test(error.message)) {
    problems.push(`message not in Chinese: ${error.message.slice(0, 80)}`);
  } else if (lang === 'en' && !/^[A-Z]/.test(error.message)) {
    problems.push(`message not in English: ${error.message.slice(0, 80)}`);
  }
  if (typeof error.requestId !== 'string' || error.requestId !== answer.requestIdHeader) {
    problems.push(`requestId ${error.requestId} vs header ${answer.requestIdHeader}`);
  }
  if (!Array.isArray(error.details)) {
    problems.push('details is not an array');
  } else {
    for (const d of error.details) {
      const ok =
        d &&
        typeof d.path === 'string' &&
        typeof d.rule === 'string' &&
        typeof d.message === 'string' &&
        Object.keys(d).sort().join(',') === 'message,path,rule';
      if (!ok) problems.push(`detail ${JSON.stringify(d).slice(0, 120)}`);
    }
    if (error.code === 'request.invalid' && error.details.length === 0) {
      problems.push('request.invalid names no field');
    }
  }
  return problems;
}

/** Sends a request and returns what is wrong with how it was answered (empty when all is well). */
// The snapshot after one request is the snapshot before the next (nothing else writes), so each
// request costs one snapshot.
let lastSnapshot: Map<string, string> | null = null;

async function judge(request: Sent): Promise<string[]> {
  const before = lastSnapshot ?? (await snapshot());
  const answer = await send(request);
  const after = await snapshot();
  lastSnapshot = after;
  const where = `${request.method} ${request.path.slice(0, 160)} (${request.lang})`;
  if (answer.status >= 500) return [`${where}: ${answer.status} ${answer.text.slice(0, 300)}`];
  if (answer.status < 400) return [];
  const problems = shapeProblems(answer, request.lang).map(
    (p) => `${where}: ${answer.status} ${p}`,
  );
  const changed = changedTables(before, after);
  if (changed.length)
    problems.push(`${where}: refused with ${answer.status} but wrote ${changed.join(', ')}`);
  return problems;
}

/** A short printable form of a generated request (fast-check prints it on failure). */
function describeBody(body: unknown): string {
  if (body === undefined) return '(no body)';
  const text = JSON.stringify(body, (_k, v: unknown) =>
    typeof v === 'string' && v.length > 60 ? `${v.slice(0, 20)}…(${v.length} chars)` : v,
  );
  return text.length > 600 ? `${text.slice(0, 600)}…(${text.length} chars)` : text;
}

// ---------------------------------------------------------------------------------------------
// Callers

const cookies = new Map<Role, string>();
async function cookieFor(route: DeclaredRoute): Promise<string | undefined> {
  if (route.access.roles === 'public') return undefined;
  const role = admittedRoles(route.access)[0]!;
  if (!cookies.has(role)) cookies.set(role, await server.signIn(role));
  return cookies.get(role);
}

function headersFor(cookie: string | undefined, extra: Record<string, string> = {}) {
  return { ...(cookie ? { cookie } : {}), ...extra };
}

const IDEMPOTENCY_KEYS = ['', ' ', 'x'.repeat(201), "' or 1=1 --", '<script>', 'é', randomUUID()];

/** Raw bodies that are not a JSON document of any kind, or not sent as one. */
const RAW_BODIES: { name: string; contentType?: string; body: string | Uint8Array }[] = [
  { name: 'truncated JSON', contentType: 'application/json', body: '{"a":' },
  { name: 'empty JSON body', contentType: 'application/json', body: '' },
  { name: 'JSON null', contentType: 'application/json', body: 'null' },
  { name: 'trailing garbage', contentType: 'application/json', body: '{}x' },
  {
    name: 'prototype pollution',
    contentType: 'application/json',
    body: '{"__proto__":{"role":"admin"}}',
  },
  {
    name: 'constructor pollution',
    contentType: 'application/json',
    body: '{"constructor":{"prototype":{"role":"admin"}}}',
  },
  { name: 'duplicate keys', contentType: 'application/json', body: '{"note":"a","note":1}' },
  {
    name: 'NUL escape',
    contentType: 'application/json',
    body: '{"note":"\\u0000","reason":"\\u0000x"}',
  },
  {
    name: 'lone surrogate escape',
    contentType: 'application/json',
    body: '{"note":"\\ud800ab","reason":"\\udc00ab"}',
  },
  {
    name: 'invalid UTF-8',
    contentType: 'application/json',
    body: Uint8Array.from([
      0x7b, 0x22, 0x6e, 0x6f, 0x74, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0x22, 0x7d,
    ]),
  },
  {
    name: 'deep nesting',
    contentType: 'application/json',
    body: `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
  },
  {
    name: 'over the body limit',
    contentType: 'application/json',
    body: `"${'x'.repeat(1_100_000)}"`,
  },
  { name: 'UTF-16 charset', contentType: 'application/json; charset=utf-16', body: '{}' },
  { name: 'plain text', contentType: 'text/plain', body: "' or 1=1 --" },
  { name: 'form encoded', contentType: 'application/x-www-form-urlencoded', body: 'a=1&b=%00' },
  {
    name: 'XML',
    contentType: 'application/xml',
    body: '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
  },
  {
    name: 'multipart',
    contentType: 'multipart/form-data; boundary=zz',
    body: '--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--zz--\r\n',
  },
  { name: 'no content type', body: Uint8Array.from([0x7b, 0x7d]) },
  { name: 'made-up type', contentType: 'application/evil+json', body: '{}' },
];

const RAW_SHARES = 3;

// ---------------------------------------------------------------------------------------------

describe(`bad input on every write route (${DATABASE}, seed ${SEED}, ${RUNS} runs a route)`, () => {
  afterAll(() => server.close());

  it('finds the write routes and the tables to watch', () => {
    expect(writeRoutes.length).toBeGreaterThanOrEqual(80);
    expect(tables).toContain('audit_log');
    expect(tables.length).toBeGreaterThanOrEqual(60);
  });

  for (const [routeIndex, route] of writeRoutes.entries()) {
    const name = `${route.method} ${route.url}`;
    const known = KNOWN_FAILURES[name];
    const test = known ? it.fails : it;

    // A batch route that takes no input (rebuilds, rematches) has nothing for generated input to
    // reach, and each accepted call runs the whole batch: it gets the raw bodies only.
    const takesInput = paramNames(route.url).length > 0 || bodySchemaOf(route) !== undefined;
    if (takesInput)
      test(`${name}: generated hostile input is refused cleanly${known ? ` (known failure: ${known})` : ''}`, async () => {
        const cookie = await cookieFor(route);
        const ids = await existingIds(route.url);
        const names = paramNames(route.url);
        const input = fc
          .record({
            params: fc.tuple(...names.map(() => identifier(ids))),
            body: bodyOf(route, ids),
            lang: fc.constantFrom('zh' as const, 'en' as const),
            idempotencyKey: fc.option(fc.constantFrom(...IDEMPOTENCY_KEYS), { freq: 3 }),
          })
          .map((v) => ({
            ...v,
            [fc.toStringMethod]: () =>
              `params ${JSON.stringify(v.params)} body ${describeBody(v.body)} lang ${v.lang} key ${v.idempotencyKey}`,
          }));
        await fc.assert(
          fc.asyncProperty(input, async ({ params, body, lang, idempotencyKey }) => {
            const values = Object.fromEntries(names.map((n, i) => [n, params[i]!]));
            const headers: Record<string, string> = headersFor(cookie);
            if (idempotencyKey !== null) headers['idempotency-key'] = idempotencyKey;
            if (body !== undefined) headers['content-type'] = 'application/json';
            const problems = await judge({
              method: route.method,
              path: pathWith(route.url, values),
              headers,
              body: body === undefined ? undefined : JSON.stringify(body),
              lang,
            });
            if (problems.length) throw new Error(problems.join('\n'));
          }),
        );
      }, 240_000);

    test(`${name}: raw bodies that are not JSON are refused cleanly${known ? ` (known failure: ${known})` : ''}`, async () => {
      const cookie = await cookieFor(route);
      const ids = await existingIds(route.url);
      const path = pathWith(
        route.url,
        Object.fromEntries(paramNames(route.url).map((n) => [n, ids[0] ?? randomUUID()])),
      );
      const problems: string[] = [];
      // Each route gets a third of the raw bodies, in turn, so that all are sent on every kind of
      // route while the file stays within minutes.
      const share = RAW_BODIES.filter((_raw, i) => i % RAW_SHARES === routeIndex % RAW_SHARES);
      for (const [i, raw] of share.entries()) {
        const headers = headersFor(
          cookie,
          raw.contentType ? { 'content-type': raw.contentType } : {},
        );
        const found = await judge({
          method: route.method,
          path,
          headers,
          body: raw.body,
          lang: i % 2 ? 'en' : 'zh',
        });
        problems.push(...found.map((p) => `${raw.name}: ${p}`));
      }
      expect(problems).toEqual([]);
    }, 120_000);
  }

  it('tells the one error shape from Fastify’s own error bodies', () => {
    const fastifyDefault: Answer = {
      status: 400,
      contentType: 'application/json; charset=utf-8',
      requestIdHeader: 'r1',
      text: '{"error":"Bad Request","code":"FST_ERR_BAD_URL","message":"bad","statusCode":400}',
    };
    expect(shapeProblems(fastifyDefault, 'en').length).toBeGreaterThan(0);
    const ours: Answer = {
      ...fastifyDefault,
      text: JSON.stringify({
        error: { code: 'request.bad_url', message: 'Bad URL', details: [], requestId: 'r1' },
      }),
    };
    expect(shapeProblems(ours, 'en')).toEqual([]);
    expect(shapeProblems(ours, 'zh')).toEqual(['message not in Chinese: Bad URL']);
  });

  it('answers a path parameter over the router’s length limit in the one shape', async () => {
    const problems = await judge({
      method: 'POST',
      path: `/api/cases/${'x'.repeat(5_000)}/accept`,
      headers: {},
      lang: 'en',
    });
    expect(problems).toEqual([]);
  });

  it('answers a malformed percent-encoding in the path in the one shape', async () => {
    const problems = await judge({
      method: 'POST',
      path: '/api/cases/%E0%A4%A/accept',
      headers: {},
      lang: 'zh',
    });
    expect(problems).toEqual([]);
  });

  it('answers headers over the size limit in the one shape', async () => {
    const answer = await send({
      method: 'POST',
      path: '/api/session',
      headers: { 'x-padding': 'x'.repeat(20_000) },
      lang: 'en',
    });
    expect(answer.status).toBe(431);
    // No request was parsed, so Accept-Language is unknown: the default language (zh-CN) it is.
    expect(shapeProblems(answer, 'zh')).toEqual([]);
  });
});
