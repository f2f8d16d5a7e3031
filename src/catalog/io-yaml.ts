import {
  Document,
  LineCounter,
  Scalar,
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  type Node,
  type YAMLError,
} from 'yaml';
import type { ImportProblem, ImportResult } from './io';
import { canonicalItem, isRecord, sortByCode } from './io-canonical';
import { checkItem } from './model';
import type { ItemContent } from './schema';

/** The whole catalog as one YAML document `items: [...]`, items sorted by code, keys in schema order. */
export function exportCatalogYaml(items: readonly ItemContent[]): string {
  // No anchors: two equal sub-objects are written out twice, as a person would.
  const doc = new Document(
    { items: sortByCode(items).map((item) => canonicalItem(item)) },
    { aliasDuplicateObjects: false },
  );
  // yaml 2.9 writes a text of blank lines such as " \n" as a block scalar that reads back without
  // its spaces; such texts, and any multi-line text starting with a space, go in double quotes.
  visit(doc, {
    Scalar(_key, node) {
      const value = node.value;
      if (typeof value === 'string' && value.includes('\n') && BLOCK_UNSAFE.test(value)) {
        node.type = Scalar.QUOTE_DOUBLE;
      }
    },
  });
  // No folding: a long legal basis stays on one line, so a diff shows what changed.
  return doc.toString({ lineWidth: 0 });
}

const BLOCK_UNSAFE = /^\s|(^|\n)[ \t]+(\n|$)/;

/**
 * Reads a YAML catalog: syntax errors first (then nothing else, since what follows a syntax error
 * cannot be trusted), else the document's shape, codes used twice, and every item's problems by
 * `checkItem`, each with the item, its code and the line of the offending value.
 */
export function importCatalogYaml(text: string): ImportResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const lineOf = (offset: number) => lines.linePos(offset).line;
  const syntax = [...doc.errors, ...doc.warnings].map((error) => syntaxProblem(error, lines));
  if (syntax.length > 0) return { items: [], problems: syntax };

  const root = doc.contents;
  if (!isMap(root)) {
    return {
      items: [],
      problems: [
        {
          location: 'line 1',
          path: '',
          rule: 'type',
          message: {
            zh: '文件应是一个含 items 列表的映射：items: [...]',
            en: 'the document must be a mapping with a list of items: items: [...]',
          },
        },
      ],
    };
  }
  const problems: ImportProblem[] = [];
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    if (key !== 'items') {
      problems.push({
        location: `line ${lineOf(startOf(pair.key as Node | null) ?? 0)}`,
        path: String(key),
        rule: 'additionalProperties',
        message: { zh: `不允许的字段 ${String(key)}`, en: `unknown field ${String(key)}` },
      });
    }
  }
  const list = root.get('items', true);
  if (!isSeq(list)) {
    problems.push({
      location: `line ${lineOf(startOf(list as Node | undefined) ?? root.range?.[0] ?? 0)}`,
      path: 'items',
      rule: list === undefined ? 'required' : 'type',
      message: { zh: 'items 应为事项列表', en: 'items must be a list of items' },
    });
    return { items: [], problems };
  }

  let values: unknown[];
  try {
    values = (doc.toJS() as { items: unknown[] }).items;
  } catch (error) {
    // Too many aliases (a "billion laughs" document) stop here rather than exhaust memory.
    problems.push({
      location: 'line 1',
      path: 'items',
      rule: 'syntax',
      message: {
        zh: `YAML 无法读取：${(error as Error).message}`,
        en: `the YAML cannot be read: ${(error as Error).message}`,
      },
    });
    return { items: [], problems };
  }

  const items: ItemContent[] = [];
  const firstIndex = new Map<string, number>();
  values.forEach((value, index) => {
    const node = list.items[index] as Node | null;
    const code = isRecord(value) && typeof value.code === 'string' ? value.code : undefined;
    const name = `items[${index}]${code === undefined ? '' : ` (code ${code})`}`;
    const at = (path: string) => {
      const offset = offsetAt(doc, node, path);
      return offset === undefined ? name : `${name}, line ${lineOf(offset)}`;
    };
    const item = canonicalItem(value) as ItemContent;
    items.push(item);
    if (code !== undefined) {
      const first = firstIndex.get(code);
      if (first === undefined) firstIndex.set(code, index);
      else {
        problems.push({
          location: at('code'),
          path: 'code',
          rule: 'unique',
          message: {
            zh: `实施编码 ${code} 与 items[${first}] 重复`,
            en: `code ${code} is already used by items[${first}]`,
          },
        });
      }
    }
    for (const problem of checkItem(item)) {
      problems.push({ location: at(problem.path), ...problem });
    }
  });
  return { items, problems };
}

function syntaxProblem(error: YAMLError, lines: LineCounter): ImportProblem {
  const { line, col } = lines.linePos(error.pos[0]);
  return {
    location: `line ${line}, column ${col}`,
    path: '',
    rule: 'syntax',
    message: {
      zh: `YAML 语法错误（${error.code}）：${error.message}`,
      en: `YAML syntax error (${error.code}): ${error.message}`,
    },
  };
}

function startOf(node: Node | null | undefined): number | undefined {
  return node?.range?.[0];
}

// Where a problem's path starts in the text: the key of the property itself when it exists, else
// the nearest mapping or list that should have held it (a missing property is reported on the
// line of the object that lacks it).
function offsetAt(doc: Document, start: Node | null, path: string): number | undefined {
  let node: unknown = start;
  let offset = startOf(start);
  for (const segment of path.split('.').filter(Boolean)) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) break;
      offset = startOf(pair.key as Node) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && /^\d+$/.test(segment)) {
      const entry = node.items[Number(segment)];
      if (!isNode(entry)) break;
      offset = startOf(entry) ?? offset;
      node = entry;
    } else break;
  }
  return offset;
}
