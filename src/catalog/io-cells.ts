import type { CellValue } from 'exceljs';
import type { Text } from '../platform/i18n';
import { allowedValues, isRecord, objectSchemaOf, type JsonSchema } from './io-canonical';

// How one property of an item is written into one workbook cell and read back. The encodings are
// chosen so that a person can read and edit them and so that every valid value reads back equal.

/** How a leaf property is written in a cell. */
export type Encoding =
  'text' | 'code' | 'number' | 'boolean' | 'list' | 'sources' | 'options' | 'json-lines';

/** One scalar property of an entity (a row), as one column. */
export interface Leaf {
  /** Dotted path inside the entity, also the column key: `name.zh`, `statutoryLimit.unit`. */
  key: string;
  encoding: Encoding;
  /** Required by its object: a blank cell then leaves the schema to report it. */
  required: boolean;
  /** The codes a code cell (or each entry of a list of codes) may hold. */
  allowed?: readonly string[];
  /** A list of codes or keys, which no separator can be part of: `；` `,` and spaces split too. */
  lenient?: boolean;
  /** For sources: each kind and the property that carries its value. */
  kinds?: readonly { kind: string; property: string }[];
  maxLength?: number;
}

/** What import makes of a cell: the value to put in the entity, and what is wrong with it. */
export interface Decoded {
  value: unknown;
  problem?: { rule: string; message: Text };
}

/** A cell's content reduced to what import distinguishes. */
export type Scalar = string | number | boolean | Date | { error: string } | null;

/** The leaf properties of an entity schema, nested objects flattened, child tables left out. */
export function leavesOf(schema: JsonSchema, exclude: readonly string[], prefix = ''): Leaf[] {
  const leaves: Leaf[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const key = prefix + name;
    if (exclude.includes(key)) continue;
    const object = objectSchemaOf(property);
    if (object) leaves.push(...leavesOf(object, exclude, `${key}.`));
    else leaves.push(leafOf(key, property, (schema.required ?? []).includes(name)));
  }
  return leaves;
}

function leafOf(key: string, schema: JsonSchema, required: boolean): Leaf {
  if (schema.type === 'array' && schema.items) {
    const items = schema.items;
    if (items.anyOf?.every((branch) => branch.type === 'object')) {
      const kinds = items.anyOf.map((branch) => {
        const properties = Object.keys(branch.properties ?? {});
        const property = properties.find((p) => p !== 'kind');
        const kind = branch.properties?.kind?.const;
        if (typeof kind !== 'string' || !property || properties.length !== 2) {
          throw new Error(`catalog io: no cell encoding for the union in ${key}`);
        }
        return { kind, property };
      });
      return { key, encoding: 'sources', required, kinds };
    }
    if (items.type === 'object') {
      const properties = Object.keys(items.properties ?? {}).join(',');
      // Structured entries (decision checks) are written one JSON object per line.
      if (properties !== 'value,label') return { key, encoding: 'json-lines', required };
      return { key, encoding: 'options', required };
    }
    const allowed = allowedValues(items);
    const lenient = allowed !== undefined || items.pattern !== undefined;
    return { key, encoding: 'list', required, allowed, lenient };
  }
  const allowed = allowedValues(schema);
  if (allowed) return { key, encoding: 'code', required, allowed };
  if (schema.type === 'boolean') return { key, encoding: 'boolean', required };
  if (schema.type === 'number' || schema.type === 'integer') {
    return { key, encoding: 'number', required };
  }
  if (schema.type === 'string') {
    return { key, encoding: 'text', required, maxLength: schema.maxLength };
  }
  throw new Error(`catalog io: no cell encoding for ${key}`);
}

/** What exceljs read from a cell, reduced to a scalar: rich text joined, formulas by their result. */
export function scalarOf(value: CellValue | undefined): Scalar {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) return scalarOf(value.text as CellValue);
  if ('formula' in value || 'sharedFormula' in value) {
    return scalarOf((value.result ?? null) as CellValue);
  }
  if ('error' in value) return { error: String(value.error) };
  return null;
}

/** Whether a cell is empty or only spaces (such a row is skipped). */
export function isBlank(scalar: Scalar): boolean {
  return scalar === null || (typeof scalar === 'string' && scalar.trim() === '');
}

/** A cell's content as text, for keys and headers: numbers as written, others as shown. */
export function scalarText(scalar: Scalar): string {
  if (scalar === null) return '';
  if (scalar instanceof Date) return scalar.toISOString().slice(0, 10);
  if (typeof scalar === 'object') return scalar.error;
  return String(scalar);
}

/**
 * Escapes one entry of a multi-line cell: a line break becomes `\n`, the separator `\|`, and a
 * backslash is doubled only where it would otherwise be read as an escape, so that `C:\Users`
 * stays as a person typed it.
 */
export function escapeEntry(text: string, separator = ''): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '\n') out += '\\n';
    else if (separator !== '' && c === separator) out += `\\${c}`;
    else if (c === '\\') {
      const ambiguous =
        next === undefined ||
        next === '\\' ||
        next === 'n' ||
        next === '\n' ||
        (separator !== '' && next === separator);
      out += ambiguous ? '\\\\' : '\\';
    } else out += c;
  }
  return out;
}

/** Splits one line of a multi-line cell at unescaped separators and undoes `escapeEntry`. */
export function splitEscaped(line: string, separator = ''): string[] {
  const parts = [''];
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    const next = line[i + 1];
    if (
      c === '\\' &&
      next !== undefined &&
      (next === '\\' || next === 'n' || (separator !== '' && next === separator))
    ) {
      parts[parts.length - 1] += next === 'n' ? '\n' : next;
      i++;
    } else if (separator !== '' && c === separator) parts.push('');
    else parts[parts.length - 1] += c;
  }
  return parts;
}

function linesOf(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line.trim() !== '');
}

/** The value of a leaf as it is written into its cell; null leaves the cell empty. */
export function encodeCell(leaf: Leaf, value: unknown): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  switch (leaf.encoding) {
    case 'list': {
      const entries = (value as unknown[]).map(String);
      return entries.length === 0
        ? null
        : entries.map((e) => (leaf.lenient ? e : escapeEntry(e))).join('\n');
    }
    case 'sources': {
      const lines = (value as Record<string, unknown>[]).map((source) => {
        const property = leaf.kinds?.find((k) => k.kind === source.kind)?.property ?? '';
        return `${String(source.kind)}:${escapeEntry(String(source[property] ?? ''))}`;
      });
      return lines.length === 0 ? null : lines.join('\n');
    }
    case 'options':
      return (value as { value: string; label: Partial<Text> }[])
        .map((option) => {
          const zh = escapeEntry(option.label.zh ?? '', '|');
          const en = option.label.en === undefined ? '' : `|${escapeEntry(option.label.en, '|')}`;
          return `${option.value}=${zh}${en}`;
        })
        .join('\n');
    case 'json-lines': {
      const lines = (value as unknown[]).map((entry) => JSON.stringify(entry));
      return lines.length === 0 ? null : lines.join('\n');
    }
    default:
      return value as string | number | boolean;
  }
}

const TRUE_WORDS = new Set(['true', '是', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', '否', 'no', 'n', '0']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function shown(scalar: Scalar): string {
  const text = scalarText(scalar);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function wrongType(scalar: Scalar, zh: string, en: string): Decoded {
  const value = scalar instanceof Date ? scalarText(scalar) : scalar;
  if (scalar instanceof Date) {
    return {
      value,
      problem: {
        rule: 'type',
        message: {
          zh: `单元格是日期，此列应为${zh}；请将单元格格式设为文本后重新输入`,
          en: `the cell holds a date where ${en} belongs; format the cell as text and type it again`,
        },
      },
    };
  }
  return {
    value: typeof value === 'object' && value !== null ? value.error : value,
    problem: {
      rule: 'type',
      message: {
        zh: `应为${zh}，单元格中是「${shown(scalar)}」`,
        en: `must be ${en}, the cell holds "${shown(scalar)}"`,
      },
    },
  };
}

function resolveCode(
  raw: string,
  allowed: readonly string[],
  labels: Record<string, Text> | undefined,
): string | undefined {
  if (allowed.includes(raw)) return raw;
  const lower = raw.toLowerCase();
  for (const [code, label] of Object.entries(labels ?? {})) {
    if (raw === label.zh || lower === label.en.toLowerCase()) return code;
  }
  return allowed.find((code) => code.toLowerCase() === lower);
}

function unknownCodes(raw: readonly string[], allowed: readonly string[]): Decoded['problem'] {
  return {
    rule: 'enum',
    message: {
      zh: `「${raw.join('、')}」不是可用的代码，应为：${allowed.join('、')}`,
      en: `"${raw.join('", "')}" ${raw.length === 1 ? 'is not a known code' : 'are not known codes'}; use one of: ${allowed.join(', ')}`,
    },
  };
}

/**
 * Reads one cell for a leaf: undefined when the property is absent (a blank cell; an empty list
 * for required lists). A cell that cannot be read keeps its raw content as the value, so the
 * item's own check fails on the same cell, and carries the problem in words a person understands.
 */
export function decodeCell(
  leaf: Leaf,
  scalar: Scalar,
  labels?: Record<string, Text>,
): Decoded | undefined {
  const blank = scalar === null || (leaf.encoding !== 'text' && isBlank(scalar));
  if (blank) {
    const list = ['list', 'sources', 'json-lines'].includes(leaf.encoding);
    return list && leaf.required ? { value: [] } : undefined;
  }
  if (isRecord(scalar) && !(scalar instanceof Date)) {
    return {
      value: scalar.error,
      problem: {
        rule: 'type',
        message: {
          zh: `单元格是错误值 ${scalar.error}`,
          en: `the cell holds the error ${scalar.error}`,
        },
      },
    };
  }
  switch (leaf.encoding) {
    case 'text':
      if (typeof scalar === 'string') return { value: scalar };
      // Excel turns digits typed into a General cell into a number: the text is what was meant.
      if (typeof scalar === 'number') return { value: String(scalar) };
      return wrongType(scalar, '文字', 'text');
    case 'number': {
      if (typeof scalar === 'number') return { value: scalar };
      const text = typeof scalar === 'string' ? scalar.trim() : '';
      if (NUMBER.test(text)) return { value: Number(text) };
      return wrongType(scalar, '数字', 'a number');
    }
    case 'boolean': {
      if (typeof scalar === 'boolean') return { value: scalar };
      const word = typeof scalar === 'string' || typeof scalar === 'number' ? String(scalar) : '';
      if (TRUE_WORDS.has(word.trim().toLowerCase())) return { value: true };
      if (FALSE_WORDS.has(word.trim().toLowerCase())) return { value: false };
      return wrongType(scalar, '是/否（或 TRUE/FALSE）', 'TRUE/FALSE (or 是/否)');
    }
    case 'code': {
      if (typeof scalar !== 'string' && typeof scalar !== 'number') {
        return wrongType(scalar, '代码', 'a code');
      }
      const raw = String(scalar).trim();
      const allowed = leaf.allowed ?? [];
      // A code such as 01 typed into a General cell arrives as the number 1.
      const padded = typeof scalar === 'number' ? raw.padStart(2, '0') : raw;
      const code = resolveCode(raw, allowed, labels) ?? resolveCode(padded, allowed, labels);
      return code === undefined
        ? { value: raw, problem: unknownCodes([raw], allowed) }
        : { value: code };
    }
    case 'list': {
      if (typeof scalar !== 'string' && typeof scalar !== 'number') {
        return wrongType(scalar, '每行一项的列表', 'a list, one entry per line');
      }
      const text = String(scalar);
      const entries = leaf.lenient
        ? text.split(/[\s;；,，、]+/).filter(Boolean)
        : linesOf(text).map((line) => splitEscaped(line).join(''));
      if (!leaf.allowed) return { value: entries };
      const allowed = leaf.allowed;
      const codes = entries.map((entry) => resolveCode(entry, allowed, labels) ?? entry);
      const unknown = codes.filter((code) => !allowed.includes(code));
      return unknown.length === 0
        ? { value: codes }
        : { value: codes, problem: unknownCodes(unknown, allowed) };
    }
    case 'sources':
      return decodeLines(scalar, (line, n) => {
        const match = /^\s*([^:：]*?)\s*[:：](.*)$/s.exec(line);
        const kinds = leaf.kinds ?? [];
        const raw = match?.[1] ?? '';
        const kind = resolveCode(
          raw,
          kinds.map((k) => k.kind),
          labels,
        );
        const property = kinds.find((k) => k.kind === kind)?.property;
        if (!match || !property) {
          const names = kinds.map((k) => k.kind);
          return {
            problem: {
              rule: match ? 'enum' : 'format',
              message: {
                zh: `第 ${n} 行「${line}」应写成 类型:内容，类型为 ${names.join('、')}`,
                en: `line ${n} "${line}" must read kind:value, the kind one of ${names.join(', ')}`,
              },
            },
          };
        }
        return { entry: { kind, [property]: splitEscaped(match[2] ?? '').join('') } };
      });
    case 'options':
      return decodeLines(scalar, (line, n) => {
        const match = /^\s*([^=＝]*?)\s*[=＝](.*)$/s.exec(line);
        if (!match) {
          return {
            problem: {
              rule: 'format',
              message: {
                zh: `第 ${n} 行「${line}」应写成 值=中文|English`,
                en: `line ${n} "${line}" must read value=中文|English`,
              },
            },
          };
        }
        const [zh = '', ...en] = splitEscaped(match[2] ?? '', '|');
        const label: Partial<Text> = { zh };
        if (en.length > 0) label.en = en.join('|');
        return { entry: { value: match[1], label } };
      });
    case 'json-lines':
      return decodeLines(scalar, (line, n) => {
        try {
          return { entry: JSON.parse(line) as unknown };
        } catch {
          return {
            problem: {
              rule: 'format',
              message: {
                zh: `第 ${n} 行不是有效的 JSON 对象`,
                en: `line ${n} is not a valid JSON object`,
              },
            },
          };
        }
      });
  }
}

// A cell of one entry per line; a line that cannot be read stays as its text, so that the item's
// check also fails there, and the first such line is reported.
function decodeLines(
  scalar: Exclude<Scalar, null | { error: string }>,
  read: (line: string, n: number) => { entry: unknown } | { problem: Decoded['problem'] },
): Decoded {
  if (typeof scalar !== 'string')
    return wrongType(scalar, '每行一项的列表', 'a list, one per line');
  let problem: Decoded['problem'];
  const value = linesOf(scalar).map((line, index) => {
    const outcome = read(line, index + 1);
    if ('entry' in outcome) return outcome.entry;
    problem ??= outcome.problem;
    return line;
  });
  return problem ? { value, problem } : { value };
}
