import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import type { FastifySchemaValidationError } from 'fastify/types/schema';
import type { Text } from '../i18n';
import { AppError, type FieldProblem } from './errors';

type Params = Record<string, unknown>;

// Messages for the JSON-Schema keywords our schemas use; anything else falls back to a generic text.
const KEYWORD_TEXT: Record<string, (p: Params) => Text> = {
  required: (p) => ({
    zh: `缺少必填字段 ${p.missingProperty}`,
    en: `${p.missingProperty} is required`,
  }),
  type: (p) => ({ zh: `类型应为 ${p.type}`, en: `must be of type ${p.type}` }),
  minLength: (p) => ({
    zh: `长度不得少于 ${p.limit} 个字符`,
    en: `must be at least ${p.limit} characters`,
  }),
  maxLength: (p) => ({
    zh: `长度不得超过 ${p.limit} 个字符`,
    en: `must be at most ${p.limit} characters`,
  }),
  pattern: (p) => ({
    zh: `格式不符合规则 ${p.pattern}`,
    en: `must match the pattern ${p.pattern}`,
  }),
  format: (p) => ({ zh: `格式应为 ${p.format}`, en: `must be a valid ${p.format}` }),
  enum: (p) => ({
    zh: `取值应为以下之一：${(p.allowedValues as unknown[]).join('、')}`,
    en: `must be one of: ${(p.allowedValues as unknown[]).join(', ')}`,
  }),
  const: (p) => ({ zh: `取值应为 ${p.allowedValue}`, en: `must be ${p.allowedValue}` }),
  minimum: (p) => ({ zh: `不得小于 ${p.limit}`, en: `must be at least ${p.limit}` }),
  maximum: (p) => ({ zh: `不得大于 ${p.limit}`, en: `must be at most ${p.limit}` }),
  exclusiveMinimum: (p) => ({ zh: `应大于 ${p.limit}`, en: `must be greater than ${p.limit}` }),
  exclusiveMaximum: (p) => ({ zh: `应小于 ${p.limit}`, en: `must be less than ${p.limit}` }),
  multipleOf: (p) => ({
    zh: `应为 ${p.multipleOf} 的整数倍`,
    en: `must be a multiple of ${p.multipleOf}`,
  }),
  minItems: (p) => ({ zh: `至少应有 ${p.limit} 项`, en: `must have at least ${p.limit} items` }),
  maxItems: (p) => ({ zh: `至多只能有 ${p.limit} 项`, en: `must have at most ${p.limit} items` }),
  additionalProperties: (p) => ({
    zh: `不允许的字段 ${p.additionalProperty}`,
    en: `unknown field ${p.additionalProperty}`,
  }),
  oneOf: () => ({ zh: '应恰好符合一种取值形式', en: 'must match exactly one allowed form' }),
  anyOf: () => ({ zh: '不符合任何允许的取值形式', en: 'must match one of the allowed forms' }),
};

function pathOf(error: FastifySchemaValidationError, context: string): string {
  const segments = error.instancePath
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = error.params as Params;
  if (error.keyword === 'required') segments.push(String(params.missingProperty));
  if (error.keyword === 'additionalProperties') segments.push(String(params.additionalProperty));
  return [context, ...segments].filter(Boolean).join('.');
}

/** Names every field and rule of a list of JSON-Schema errors, in both languages. */
export function schemaProblems(
  errors: readonly FastifySchemaValidationError[],
  context: string,
): FieldProblem[] {
  return errors.map((error) => {
    const params = error.params as Params;
    const message = KEYWORD_TEXT[error.keyword]?.(params) ?? {
      zh: `不符合规则 ${error.keyword}`,
      en: `breaks the rule ${error.keyword}`,
    };
    return { path: pathOf(error, context), rule: error.keyword, message };
  });
}

/** Turns Fastify's schema validation errors into one 422 AppError naming every field and rule. */
export function validationError(errors: FastifySchemaValidationError[], context: string): AppError {
  return invalidRequest(schemaProblems(errors, context));
}

/** One 422 AppError for a list of problems, summarised by the first. */
export function invalidRequest(details: FieldProblem[]): AppError {
  const first = details[0];
  const summary: Text = first
    ? {
        zh: `请求参数有误：${first.path} ${first.message.zh}`,
        en: `invalid request: ${first.path} ${first.message.en}`,
      }
    : { zh: '请求参数有误', en: 'invalid request' };
  return new AppError(422, 'request.invalid', summary, details);
}

/** A JSON-Schema validator with every error reported and the formats our schemas use. */
export function newAjv(coerceTypes: 'array' | false): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    removeAdditional: false,
    useDefaults: true,
    coerceTypes,
    strict: false,
  });
  ajvFormats.default(ajv);
  return ajv;
}

const strictAjv = newAjv(false);
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Checks a value against a schema outside HTTP (imports, stored data) and names every problem,
 * with paths under `context` (e.g. a sheet and row, or `items.3`).
 */
export function checkAgainstSchema(schema: object, value: unknown, context = ''): FieldProblem[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = strictAjv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return [];
  return schemaProblems(
    (validate.errors ?? []) as ErrorObject[] as FastifySchemaValidationError[],
    context,
  );
}

// PostgreSQL cannot store U+0000 in text or jsonb, and a lone surrogate has no UTF-8 form (the
// driver would silently store U+FFFD instead): both are refused up front, naming the field.
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSAFE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const UNSAFE_TEXT_MESSAGE: Text = {
  zh: '含有不允许的字符（空字符 U+0000 或不成对的 UTF-16 代理项）',
  en: 'contains a character that is not allowed (NUL U+0000 or an unpaired UTF-16 surrogate)',
};

/** Problems reported at most, so that a huge hostile body does not make a huge answer. */
const MAX_TEXT_PROBLEMS = 20;

/**
 * Every string (and object key) in a parsed request part that the database cannot store as sent:
 * NUL characters and unpaired surrogates. Walks iteratively, so a deeply nested body cannot
 * exhaust the stack.
 */
export function unsafeTextProblems(value: unknown, context: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const stack: [unknown, string][] = [[value, context]];
  // A parsed JSON body has no cycles, but a body another parser builds may (multipart parts).
  const seen = new WeakSet<object>();
  while (stack.length > 0 && problems.length < MAX_TEXT_PROBLEMS) {
    const [current, path] = stack.pop()!;
    if (current !== null && typeof current === 'object') {
      if (seen.has(current)) continue;
      seen.add(current);
    }
    if (typeof current === 'string') {
      if (UNSAFE_TEXT.test(current))
        problems.push({ path, rule: 'text', message: UNSAFE_TEXT_MESSAGE });
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push([current[i], `${path}.${i}`]);
    } else if (current !== null && typeof current === 'object' && !isBinary(current)) {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const childPath = `${path}.${UNSAFE_TEXT.test(key) ? JSON.stringify(key).slice(1, -1) : key}`;
        if (UNSAFE_TEXT.test(key)) {
          problems.push({ path: childPath, rule: 'text', message: UNSAFE_TEXT_MESSAGE });
        } else {
          stack.push([child, childPath]);
        }
      }
    }
  }
  return problems.slice(0, MAX_TEXT_PROBLEMS);
}

function isBinary(value: object): boolean {
  return (
    Buffer.isBuffer(value) ||
    ArrayBuffer.isView(value) ||
    typeof (value as { pipe?: unknown }).pipe === 'function'
  );
}
