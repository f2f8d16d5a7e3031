// The policy matcher (政策找人): which subjects meet which policies' eligibility rules.
//
// Design. Rules (rule.ts) compile to a plan: one node per distinct subtree, keyed canonically
// (sorted `in` lists, sorted children of all/any), so a condition that many policies share —
// "kind = enterprise", "region within 371000" — is one node. A full match (`matchAll`) evaluates
// the plan over the dossier columns (columns.ts) into bitsets, one bit per subject in Uint32
// words, and combines them word by word:
//
//   - every leaf is one tight loop over one typed array: a lookup table over a small code (kind,
//     size, grade, sex, and region or industry through their dictionaries: `within` is a table
//     marking the dictionary entries in the target's subtree, `prefix` the codes with the prefix),
//     or an inclusive range over Float64 (revenue, growth) or Int32 (day numbers, employees;
//     `before`, `after` and the whole-years ops become day ranges as of the match date); sets
//     are inverted (one bitset per value), so `has`/`hasAny`/`hasAll` are word-wise OR/AND;
//   - evaluation carries a mask: a node computes `node ∧ mask`, and a word whose mask is zero is
//     skipped without reading the column. `all` feeds each child the conjunction so far, its
//     children ordered cheapest-first (cached and set nodes) then most selective first (measured
//     on a sample of the subjects), so later conditions touch only the words still alive; `any`
//     masks out what is already true; `not` is `mask ∧ ¬child`; a word with at most 8 bits
//     left in its mask tests just those subjects (lowest set bit first) instead of all 32;
//   - a node used more than once is evaluated once over all subjects and cached for the run.
//
// Missing values are sentinels no leaf accepts, so a condition on a missing value is false
// (and `not` of it true), the same as the row-wise reference evaluator (reference.ts).
// `matchOne` evaluates one row against every policy with the same compiled leaves (no bitsets),
// for the incremental re-match when one dossier changes, and `explain` says per condition what
// the subject has and what was needed, in zh and en.
import { AppError, type FieldProblem } from '../platform/http/errors';
import type { Text } from '../platform/i18n';
import { MISSING_INT, type Dictionary, type DossierColumns, ENUM_VALUES } from './columns';
import {
  attrSpec,
  checkRule,
  dayNumber,
  isCondition,
  wholeYears,
  yearsCutoff,
  type Attr,
  type Condition,
  type PolicyRule,
  type Rule,
} from './rule';

/** A region of the tree the rules' `within` walks: its code, its parent's, and its name. */
export interface RegionNode {
  code: string;
  parent?: string | null;
  name?: Text;
}

/** What rules are compiled against: the region tree and the day ages are counted to. */
export interface MatchContext {
  regions: readonly RegionNode[];
  /** The match date, YYYY-MM-DD: `age` and `ageYears` are whole years on this day. */
  asOf: string;
}

const MAX_INT = 2_147_483_647;
const MIN_KEPT = MISSING_INT + 1;

type EnumColumn = 'kind' | 'size' | 'creditGrade' | 'sex';
type CodeColumn = 'region' | 'industry';
type FloatColumn = 'revenue' | 'revenueGrowth';
type IntColumn = 'foundedOn' | 'birthDate' | 'employees';
type SetName = 'licences' | 'tags';

/** A compiled condition. */
type Leaf =
  | { type: 'enum'; column: EnumColumn; lut: Uint8Array }
  | {
      type: 'code';
      column: CodeColumn;
      accept: (code: string) => boolean;
      lut: Uint8Array;
      /** The dictionary the table was built for, and how many of its entries it covers. */
      dictionary: Dictionary | null;
      covered: number;
    }
  | { type: 'float'; column: FloatColumn; lo: number; hi: number }
  | { type: 'int'; column: IntColumn; lo: number; hi: number }
  | { type: 'set'; column: SetName; every: boolean; codes: string[] };

/** One node of the plan, shared by every policy whose rule has the same subtree. */
interface PlanNode {
  key: string;
  op: 'all' | 'any' | 'not' | 'leaf';
  children: PlanNode[];
  leaf?: Leaf;
  condition?: Condition;
  /** How many places in all the rules use this subtree. */
  uses: number;
}

/** A policy compiled for matching. */
export interface CompiledPolicy {
  id: string;
  rule: Rule;
  root: PlanNode;
  context: CompiledContext;
}

interface CompiledContext {
  asOf: string;
  /** The leaf of every condition, by its canonical key. */
  leaves: Map<string, PlanNode>;
  parents: Map<string, string | null>;
  names: Map<string, Text>;
}

/** Policies compiled together, so that the conditions they share are evaluated once. */
export interface CompiledPolicies {
  policies: CompiledPolicy[];
  context: CompiledContext;
}

/** One policy's matches in a full match. */
export interface PolicyMatches {
  id: string;
  /** Bit `i` (word `i >>> 5`, bit `i & 31`) set when subject `i` matches. */
  bits: Uint32Array;
  count: number;
  /** With `nearMisses`: subjects meeting all but one top-level condition of an `all` rule. */
  nearMiss?: Uint32Array;
  nearMissCount?: number;
}

// ——— compiling ———

function conditionKey(condition: Condition): string {
  const { attr, op, value } = condition;
  const canonical =
    Array.isArray(value) && op !== 'between' ? [...new Set(value as string[])].sort() : value;
  return JSON.stringify([attr, op, canonical]);
}

function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  const buffer = new Float64Array([x]);
  const bits = new BigInt64Array(buffer.buffer);
  bits[0] = bits[0]! + (x > 0 ? 1n : -1n);
  return buffer[0]!;
}

function nextDown(x: number): number {
  return -nextUp(-x);
}

const clampInt = (x: number) => Math.min(MAX_INT, Math.max(MIN_KEPT, x));
const clampYears = (x: number) => Math.min(20_000, Math.max(-20_000, x));

/** The inclusive bounds of a numeric comparison, for reals or for integers. */
function bounds(op: string, value: unknown, integer: boolean): [number, number] {
  const [a, b] = Array.isArray(value) ? (value as [number, number]) : [value as number, 0];
  if (integer) {
    switch (op) {
      case 'lt':
        return [-Infinity, Math.ceil(a) - 1];
      case 'lte':
        return [-Infinity, Math.floor(a)];
      case 'gt':
        return [Math.floor(a) + 1, Infinity];
      case 'gte':
        return [Math.ceil(a), Infinity];
      default:
        return [Math.ceil(a), Math.floor(b)];
    }
  }
  switch (op) {
    case 'lt':
      return [-Infinity, nextDown(a)];
    case 'lte':
      return [-Infinity, a];
    case 'gt':
      return [nextUp(a), Infinity];
    case 'gte':
      return [a, Infinity];
    default:
      return [a, b];
  }
}

function enumLut(attr: EnumColumn, accept: (value: string) => boolean): Uint8Array {
  const values = ENUM_VALUES[attr] as readonly string[];
  const lut = new Uint8Array(values.length + 1);
  values.forEach((value, i) => (lut[i + 1] = accept(value) ? 1 : 0));
  return lut;
}

function compileLeaf(condition: Condition, context: CompiledContext): Leaf {
  const { attr, op, value } = condition;
  const spec = attrSpec(attr);
  const list = (Array.isArray(value) ? value : [value]) as string[];
  switch (spec.type) {
    case 'enum': {
      const values = spec.values ?? [];
      const accept =
        op === 'atLeast'
          ? (v: string) => values.indexOf(v) <= values.indexOf(value as string)
          : (v: string) => list.includes(v);
      return { type: 'enum', column: attr as EnumColumn, lut: enumLut(attr as EnumColumn, accept) };
    }
    case 'region': {
      const targets = new Set(list);
      const accept = (code: string) => {
        const seen = new Set<string>();
        for (let at: string | null | undefined = code; at && !seen.has(at);) {
          if (targets.has(at)) return true;
          seen.add(at);
          at = context.parents.get(at);
        }
        return false;
      };
      return {
        type: 'code',
        column: 'region',
        accept,
        lut: new Uint8Array(0),
        dictionary: null,
        covered: 0,
      };
    }
    case 'industry': {
      const accept =
        op === 'prefix'
          ? (code: string) => list.some((prefix) => code.startsWith(prefix))
          : (code: string) => list.includes(code);
      return {
        type: 'code',
        column: 'industry',
        accept,
        lut: new Uint8Array(0),
        dictionary: null,
        covered: 0,
      };
    }
    case 'number': {
      const [lo, hi] = bounds(op, value, false);
      return { type: 'float', column: attr as FloatColumn, lo, hi };
    }
    case 'integer': {
      const [lo, hi] = bounds(op, value, true);
      return { type: 'int', column: attr as IntColumn, lo: clampInt(lo), hi: clampInt(hi) };
    }
    case 'date': {
      const column = attr as IntColumn;
      if (op === 'before')
        return { type: 'int', column, lo: MIN_KEPT, hi: dayNumber(value as string) - 1 };
      if (op === 'after')
        return { type: 'int', column, lo: dayNumber(value as string) + 1, hi: MAX_INT };
      const [from, to] = value as [string, string];
      return { type: 'int', column, lo: dayNumber(from), hi: dayNumber(to) };
    }
    case 'years': {
      // age ≥ k ⇔ date ≤ cutoff(k); age ≤ k ⇔ date > cutoff(k + 1).
      const [least, most] = bounds(op, value, true);
      const hi = least === -Infinity ? MAX_INT : yearsCutoff(context.asOf, clampYears(least));
      const lo = most === Infinity ? MIN_KEPT : yearsCutoff(context.asOf, clampYears(most) + 1) + 1;
      return { type: 'int', column: spec.from!, lo: clampInt(lo), hi: clampInt(hi) };
    }
    case 'set':
      return {
        type: 'set',
        column: attr as SetName,
        every: op === 'hasAll',
        codes: [...new Set(list)],
      };
  }
}

/** The lookup table of a code leaf, brought up to date with the columns' dictionary. */
function codeLut(leaf: Extract<Leaf, { type: 'code' }>, columns: DossierColumns): Uint8Array {
  const dictionary = leaf.column === 'region' ? columns.regions : columns.industries;
  if (leaf.dictionary !== dictionary) {
    leaf.dictionary = dictionary;
    leaf.covered = 0;
  }
  if (leaf.covered < dictionary.size) {
    if (leaf.lut.length < dictionary.size) {
      const bigger = new Uint8Array(Math.max(16, dictionary.size * 2));
      bigger.set(leaf.lut.subarray(0, leaf.covered));
      leaf.lut = bigger;
    }
    for (let i = Math.max(1, leaf.covered); i < dictionary.size; i++)
      leaf.lut[i] = leaf.accept(dictionary.codes[i]!) ? 1 : 0;
    leaf.lut[0] = 0;
    leaf.covered = dictionary.size;
  }
  return leaf.lut;
}

/**
 * Compiles policies' rules into one plan. Throws a 422 AppError listing the problems
 * (`checkRule`, paths under `policies.<i>.rule`) when a rule is not valid.
 */
export function compilePolicies(
  policies: readonly PolicyRule[],
  context: MatchContext,
): CompiledPolicies {
  const problems: FieldProblem[] = policies.flatMap((p, i) =>
    checkRule(p.rule, `policies.${i}.rule`),
  );
  if (problems.length > 0)
    throw new AppError(
      422,
      'policies.invalid_rule',
      { zh: '政策适用规则有误', en: 'invalid eligibility rule' },
      problems,
    );
  const nodes = new Map<string, PlanNode>();
  const compiled: CompiledContext = {
    asOf: context.asOf,
    leaves: nodes,
    parents: new Map(context.regions.map((r) => [r.code, r.parent ?? null])),
    names: new Map(context.regions.flatMap((r) => (r.name ? [[r.code, r.name] as const] : []))),
  };

  const build = (rule: Rule): PlanNode => {
    let node: PlanNode;
    if (isCondition(rule)) {
      const key = conditionKey(rule);
      node = nodes.get(key) ?? {
        key,
        op: 'leaf',
        children: [],
        condition: rule,
        leaf: compileLeaf(rule, compiled),
        uses: 0,
      };
      nodes.set(key, node);
    } else {
      const op = 'all' in rule ? 'all' : 'any' in rule ? 'any' : 'not';
      const children =
        'all' in rule
          ? rule.all.map(build)
          : 'any' in rule
            ? rule.any.map(build)
            : [build(rule.not)];
      const keys = children.map((c) => c.key);
      if (op !== 'not') keys.sort();
      const key = `${op}(${keys.join(',')})`;
      node = nodes.get(key) ?? { key, op, children, uses: 0 };
      nodes.set(key, node);
    }
    node.uses++;
    return node;
  };

  return {
    context: compiled,
    policies: policies.map((p) => ({
      id: p.id,
      rule: p.rule,
      root: build(p.rule),
      context: compiled,
    })),
  };
}

// ——— row-wise evaluation ———

function testLeaf(leaf: Leaf, columns: DossierColumns, row: number): boolean {
  switch (leaf.type) {
    case 'enum':
      return leaf.lut[columns[leaf.column][row]!] === 1;
    case 'code':
      return codeLut(leaf, columns)[columns[leaf.column][row]!] === 1;
    case 'float': {
      const v = columns[leaf.column][row]!;
      return v >= leaf.lo && v <= leaf.hi;
    }
    case 'int': {
      const v = columns[leaf.column][row]!;
      return v >= leaf.lo && v <= leaf.hi;
    }
    case 'set': {
      const set = columns[leaf.column];
      return leaf.every
        ? leaf.codes.every((code) => set.has(row, code))
        : leaf.codes.some((code) => set.has(row, code));
    }
  }
}

function testNode(node: PlanNode, columns: DossierColumns, row: number): boolean {
  switch (node.op) {
    case 'leaf':
      return testLeaf(node.leaf!, columns, row);
    case 'all':
      for (const child of node.children) if (!testNode(child, columns, row)) return false;
      return true;
    case 'any':
      for (const child of node.children) if (testNode(child, columns, row)) return true;
      return false;
    case 'not':
      return !testNode(node.children[0]!, columns, row);
  }
}

/** The ids of the policies subject `row` meets: the incremental re-match of one dossier. */
export function matchOne(
  columns: DossierColumns,
  row: number,
  compiled: CompiledPolicies,
): string[] {
  if (row < 0 || row >= columns.length) throw new RangeError(`no subject at row ${row}`);
  const ids: string[] = [];
  for (const policy of compiled.policies)
    if (testNode(policy.root, columns, row)) ids.push(policy.id);
  return ids;
}

// ——— column-wise evaluation ———
// Every kernel writes out[w] = (leaf bits of word w) & mask[w] (mask null: all ones, within the
// subjects), skipping words whose mask is zero. `out` may be `mask` itself.

/** Whether a mask word has at most 8 bits set. */
function sparse(m: number): boolean {
  let v = m - ((m >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24 <= 8;
}

function kernelLut8(
  col: Uint8Array,
  lut: Uint8Array,
  n: number,
  mask: Uint32Array | null,
  out: Uint32Array,
): void {
  const words = (n + 31) >>> 5;
  for (let w = 0; w < words; w++) {
    const m = mask === null ? -1 : mask[w]!;
    if (m === 0) {
      out[w] = 0;
      continue;
    }
    const base = w << 5;
    if (m !== -1 && sparse(m)) {
      // Few subjects left in this word: test just those.
      let bits = 0;
      for (let rest = m; rest !== 0; rest &= rest - 1) {
        const low = rest & -rest;
        const row = base + 31 - Math.clz32(low);
        if (lut[col[row]!] === 1) bits |= low;
      }
      out[w] = bits;
      continue;
    }
    const end = Math.min(32, n - base);
    let bits = 0;
    for (let b = 0; b < end; b++) bits |= lut[col[base + b]!]! << b;
    out[w] = bits & m;
  }
}

function kernelLut32(
  col: Int32Array,
  lut: Uint8Array,
  n: number,
  mask: Uint32Array | null,
  out: Uint32Array,
): void {
  const words = (n + 31) >>> 5;
  for (let w = 0; w < words; w++) {
    const m = mask === null ? -1 : mask[w]!;
    if (m === 0) {
      out[w] = 0;
      continue;
    }
    const base = w << 5;
    if (m !== -1 && sparse(m)) {
      // Few subjects left in this word: test just those.
      let bits = 0;
      for (let rest = m; rest !== 0; rest &= rest - 1) {
        const low = rest & -rest;
        const row = base + 31 - Math.clz32(low);
        if (lut[col[row]!] === 1) bits |= low;
      }
      out[w] = bits;
      continue;
    }
    const end = Math.min(32, n - base);
    let bits = 0;
    for (let b = 0; b < end; b++) bits |= lut[col[base + b]!]! << b;
    out[w] = bits & m;
  }
}

function kernelFloat(
  col: Float64Array,
  lo: number,
  hi: number,
  n: number,
  mask: Uint32Array | null,
  out: Uint32Array,
): void {
  const words = (n + 31) >>> 5;
  for (let w = 0; w < words; w++) {
    const m = mask === null ? -1 : mask[w]!;
    if (m === 0) {
      out[w] = 0;
      continue;
    }
    const base = w << 5;
    if (m !== -1 && sparse(m)) {
      // Few subjects left in this word: test just those.
      let bits = 0;
      for (let rest = m; rest !== 0; rest &= rest - 1) {
        const low = rest & -rest;
        const row = base + 31 - Math.clz32(low);
        if (col[row]! >= lo && col[row]! <= hi) bits |= low;
      }
      out[w] = bits;
      continue;
    }
    const end = Math.min(32, n - base);
    let bits = 0;
    for (let b = 0; b < end; b++) {
      const v = col[base + b]!;
      if (v >= lo && v <= hi) bits |= 1 << b;
    }
    out[w] = bits & m;
  }
}

function kernelInt(
  col: Int32Array,
  lo: number,
  hi: number,
  n: number,
  mask: Uint32Array | null,
  out: Uint32Array,
): void {
  const words = (n + 31) >>> 5;
  // One unsigned comparison tests lo ≤ v ≤ hi.
  const span = (hi - lo) >>> 0;
  if (hi < lo) {
    out.fill(0, 0, words);
    return;
  }
  for (let w = 0; w < words; w++) {
    const m = mask === null ? -1 : mask[w]!;
    if (m === 0) {
      out[w] = 0;
      continue;
    }
    const base = w << 5;
    if (m !== -1 && sparse(m)) {
      // Few subjects left in this word: test just those.
      let bits = 0;
      for (let rest = m; rest !== 0; rest &= rest - 1) {
        const low = rest & -rest;
        const row = base + 31 - Math.clz32(low);
        if ((col[row]! - lo) >>> 0 <= span) bits |= low;
      }
      out[w] = bits;
      continue;
    }
    const end = Math.min(32, n - base);
    let bits = 0;
    for (let b = 0; b < end; b++) if ((col[base + b]! - lo) >>> 0 <= span) bits |= 1 << b;
    out[w] = bits & m;
  }
}

function kernelSet(
  leaf: Extract<Leaf, { type: 'set' }>,
  columns: DossierColumns,
  mask: Uint32Array | null,
  out: Uint32Array,
): void {
  const words = columns.words;
  const set = columns[leaf.column];
  const postings = leaf.codes.map((code) => set.posting(code));
  if (leaf.every ? postings.some((p) => !p) : postings.every((p) => !p)) {
    out.fill(0, 0, words);
    return;
  }
  const present = postings.filter((p): p is Uint32Array => p !== undefined);
  const first = present[0]!;
  for (let w = 0; w < words; w++) {
    let bits = first[w]!;
    for (let i = 1; i < present.length; i++)
      bits = leaf.every ? bits & present[i]![w]! : bits | present[i]![w]!;
    out[w] = mask === null ? bits : bits & mask[w]!;
  }
}

function tailMask(n: number): number {
  return n % 32 === 0 ? -1 : (1 << (n % 32)) - 1;
}

class Evaluation {
  readonly #cache = new Map<PlanNode, Uint32Array>();
  readonly #order = new Map<PlanNode, PlanNode[]>();
  readonly #selectivity = new Map<PlanNode, number>();
  readonly #sample: number[];
  readonly words: number;

  constructor(readonly columns: DossierColumns) {
    this.words = columns.words;
    const step = Math.max(1, Math.floor(columns.length / 512));
    this.#sample = [];
    for (let row = 0; row < columns.length; row += step) this.#sample.push(row);
  }

  /** A zeroed bitset. */
  bitset(): Uint32Array {
    return new Uint32Array(this.words);
  }

  /** The share of the sampled subjects a node holds for. */
  #selective(node: PlanNode): number {
    let share = this.#selectivity.get(node);
    if (share === undefined) {
      let hits = 0;
      for (const row of this.#sample) if (testNode(node, this.columns, row)) hits++;
      share = hits / Math.max(1, this.#sample.length);
      this.#selectivity.set(node, share);
    }
    return share;
  }

  #cheap(node: PlanNode): boolean {
    return this.#cache.has(node) || node.uses > 1 || node.leaf?.type === 'set';
  }

  /** Children of all/any: cheap ones first, then the most selective (all) or least (any). */
  ordered(node: PlanNode): PlanNode[] {
    let order = this.#order.get(node);
    if (!order) {
      const sign = node.op === 'any' ? -1 : 1;
      order = [...node.children].sort(
        (a, b) =>
          Number(this.#cheap(b)) - Number(this.#cheap(a)) ||
          sign * (this.#selective(a) - this.#selective(b)),
      );
      this.#order.set(node, order);
    }
    return order;
  }

  /** out := node ∧ mask (mask null: every subject). `out` may be `mask`. */
  into(node: PlanNode, mask: Uint32Array | null, out: Uint32Array): void {
    if (node.uses > 1) {
      let full = this.#cache.get(node);
      if (!full) {
        full = this.bitset();
        this.#compute(node, null, full);
        this.#cache.set(node, full);
      }
      if (mask === null) out.set(full);
      else for (let w = 0; w < this.words; w++) out[w] = full[w]! & mask[w]!;
      return;
    }
    this.#compute(node, mask, out);
  }

  #compute(node: PlanNode, mask: Uint32Array | null, out: Uint32Array): void {
    const { columns } = this;
    const n = columns.length;
    switch (node.op) {
      case 'leaf': {
        const leaf = node.leaf!;
        if (leaf.type === 'enum') kernelLut8(columns[leaf.column], leaf.lut, n, mask, out);
        else if (leaf.type === 'code')
          kernelLut32(columns[leaf.column], codeLut(leaf, columns), n, mask, out);
        else if (leaf.type === 'float')
          kernelFloat(columns[leaf.column], leaf.lo, leaf.hi, n, mask, out);
        else if (leaf.type === 'int')
          kernelInt(columns[leaf.column], leaf.lo, leaf.hi, n, mask, out);
        else kernelSet(leaf, columns, mask, out);
        return;
      }
      case 'all': {
        const [first, ...rest] = this.ordered(node);
        this.into(first!, mask, out);
        for (const child of rest) this.into(child, out, out);
        return;
      }
      case 'any': {
        // The mask is read after `out` is written: keep a copy when they are one array.
        if (mask === out) mask = mask.slice();
        const [first, ...rest] = this.ordered(node);
        this.into(first!, mask, out);
        const open = this.bitset();
        const hit = this.bitset();
        const tail = tailMask(n);
        for (const child of rest) {
          // Only the subjects not yet known to match.
          for (let w = 0; w < this.words; w++) {
            const m = mask === null ? (w === this.words - 1 ? tail : -1) : mask[w]!;
            open[w] = m & ~out[w]!;
          }
          this.into(child, open, hit);
          for (let w = 0; w < this.words; w++) out[w]! |= hit[w]!;
        }
        return;
      }
      case 'not': {
        const inner = this.bitset();
        this.into(node.children[0]!, mask, inner);
        const tail = tailMask(n);
        for (let w = 0; w < this.words; w++) {
          const m = mask === null ? (w === this.words - 1 ? tail : -1) : mask[w]!;
          out[w] = m & ~inner[w]!;
        }
        return;
      }
    }
  }
}

function popcount(bits: Uint32Array): number {
  let count = 0;
  for (let w = 0; w < bits.length; w++) {
    let v = bits[w]!;
    v = v - ((v >>> 1) & 0x55555555);
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    count += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return count;
}

/**
 * Every subject against every policy: per policy the bitset of the subjects that meet its rule,
 * and with `nearMisses` also those meeting all but one top-level condition of an `all` rule.
 */
export function matchAll(
  columns: DossierColumns,
  compiled: CompiledPolicies,
  options: { nearMisses?: boolean } = {},
): PolicyMatches[] {
  const evaluation = new Evaluation(columns);
  const { words } = evaluation;
  const tail = tailMask(columns.length);
  return compiled.policies.map((policy) => {
    const { root } = policy;
    if (!options.nearMisses || root.op !== 'all' || root.children.length < 2) {
      const bits = evaluation.bitset();
      evaluation.into(root, null, bits);
      return { id: policy.id, bits, count: popcount(bits) };
    }
    // all: counts "every child so far" and "all but one so far" word-wise, over the subjects
    // still in either.
    const bits = evaluation.bitset().fill(-1 >>> 0);
    if (words > 0) bits[words - 1] = tail;
    const near = evaluation.bitset();
    const alive = evaluation.bitset();
    const child = evaluation.bitset();
    for (const part of evaluation.ordered(root)) {
      for (let w = 0; w < words; w++) alive[w] = bits[w]! | near[w]!;
      evaluation.into(part, alive, child);
      for (let w = 0; w < words; w++) {
        const c = child[w]!;
        near[w] = (near[w]! & c) | (bits[w]! & ~c);
        bits[w]! &= c;
      }
    }
    return {
      id: policy.id,
      bits,
      count: popcount(bits),
      nearMiss: near,
      nearMissCount: popcount(near),
    };
  });
}

/** Whether bit `row` of a match bitset is set. */
export function hasBit(bits: Uint32Array, row: number): boolean {
  return ((bits[row >>> 5]! >>> (row & 31)) & 1) === 1;
}

// ——— explanations ———

/** One line of an explanation: a condition (or a group) with ✓/✗. */
export interface ExplainLine {
  /** Where the node sits in the rule, e.g. `all.2` ('' for the root). */
  path: string;
  depth: number;
  kind: 'all' | 'any' | 'not' | 'condition';
  ok: boolean;
  /** For conditions: the attribute, the subject's value and what was needed. */
  attr?: Attr;
  actual?: Text;
  needed?: Text;
  text: Text;
}

/** Why a subject does or does not meet a policy. */
export interface Explanation {
  policyId: string;
  matched: boolean;
  /** The rule is an `all` and exactly one of its top-level parts fails. */
  nearMiss: boolean;
  /** The failing top-level parts (paths) when the rule is an `all`. */
  failing: string[];
  lines: ExplainLine[];
  /** The top-level parts on one line: "注册地 环翠区 ✓ · 纳税信用 B ✗ 需 A". */
  summary: Text;
}

const NOT_ON_FILE: Text = { zh: '未登记', en: 'not on file' };

function joined(values: readonly Text[], zhSep: string, enSep: string): Text {
  return { zh: values.map((v) => v.zh).join(zhSep), en: values.map((v) => v.en).join(enSep) };
}

function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 100) / 100);
}

function valueText(attr: Attr, value: string, context: CompiledContext): Text {
  const spec = attrSpec(attr);
  if (spec.type === 'region') return context.names.get(value) ?? { zh: value, en: value };
  return spec.valueLabels?.[value] ?? { zh: value, en: value };
}

function neededText(condition: Condition, context: CompiledContext): Text {
  const { attr, op, value } = condition;
  const spec = attrSpec(attr);
  const unit = spec.unit ?? { zh: '', en: '' };
  const list = (Array.isArray(value) ? value : [value]) as string[];
  const values = (sepZh: string, sepEn: string) =>
    joined(
      list.map((v) => valueText(attr, v, context)),
      sepZh,
      sepEn,
    );
  const num = (x: unknown) => ({
    zh: `${formatNumber(x as number)}${unit.zh}`,
    en: `${formatNumber(x as number)}${unit.en}`,
  });
  const sym = (s: string, x: unknown) => ({ zh: `${s} ${num(x).zh}`, en: `${s} ${num(x).en}` });
  switch (op) {
    case 'eq':
    case 'in':
      return values('或', ' or ');
    case 'atLeast': {
      const v = valueText(attr, value as string, context);
      return { zh: `${v.zh} 级及以上`, en: `${v.en} or better` };
    }
    case 'within': {
      const v = values('、', ', ');
      return { zh: `属于 ${v.zh}`, en: `within ${v.en}` };
    }
    case 'prefix':
      return { zh: `以 ${list.join('、')} 开头`, en: `starting with ${list.join(', ')}` };
    case 'before':
      return { zh: `早于 ${String(value)}`, en: `before ${String(value)}` };
    case 'after':
      return { zh: `晚于 ${String(value)}`, en: `after ${String(value)}` };
    case 'between': {
      const [a, b] = value as [unknown, unknown];
      if (spec.type === 'date')
        return { zh: `${String(a)} 至 ${String(b)}`, en: `${String(a)} to ${String(b)}` };
      return { zh: `${num(a).zh} 至 ${num(b).zh}`, en: `${num(a).en} to ${num(b).en}` };
    }
    case 'lt':
      return sym('<', value);
    case 'lte':
      return sym('≤', value);
    case 'gt':
      return sym('>', value);
    case 'gte':
      return sym('≥', value);
    case 'has':
      return { zh: `持有 ${list[0]}`, en: `has ${list[0]}` };
    case 'hasAny':
      return { zh: `任一：${list.join('、')}`, en: `any of ${list.join(', ')}` };
    case 'hasAll':
      return { zh: `全部：${list.join('、')}`, en: `all of ${list.join(', ')}` };
  }
}

function actualText(
  attr: Attr,
  columns: DossierColumns,
  row: number,
  context: CompiledContext,
): Text {
  const spec = attrSpec(attr);
  const unit = spec.unit ?? { zh: '', en: '' };
  const dossier = columns.dossier(row);
  if (spec.type === 'years') {
    const date = dossier[spec.from!];
    if (date === undefined) return NOT_ON_FILE;
    const years = wholeYears(date, context.asOf);
    return { zh: `${years}${unit.zh}`, en: `${years}${unit.en}` };
  }
  const value = dossier[attr as keyof typeof dossier];
  if (value === undefined) return spec.type === 'set' ? { zh: '无', en: 'none' } : NOT_ON_FILE;
  if (typeof value === 'number')
    return { zh: `${formatNumber(value)}${unit.zh}`, en: `${formatNumber(value)}${unit.en}` };
  if (Array.isArray(value)) return { zh: value.join('、'), en: value.join(', ') };
  return valueText(attr, value as string, context);
}

const GROUP_TEXT: Record<'all' | 'any' | 'not', Text> = {
  all: { zh: '同时满足以下各项', en: 'all of the following' },
  any: { zh: '满足以下任一项', en: 'any of the following' },
  not: { zh: '不满足以下条件', en: 'not the following' },
};

/**
 * Why subject `row` does or does not meet `policy`: per condition ✓/✗ with the subject's value
 * and what was needed ("纳税信用 B ✗ 需 A" / "Tax credit grade B ✗ needs A"), and whether it is
 * a near miss.
 */
export function explain(columns: DossierColumns, row: number, policy: CompiledPolicy): Explanation {
  if (row < 0 || row >= columns.length) throw new RangeError(`no subject at row ${row}`);
  const { context } = policy;
  const lines: ExplainLine[] = [];
  // Walks the rule as written (the plan may share a node whose children came in another order).
  const visit = (rule: Rule, path: string, depth: number): ExplainLine => {
    if (isCondition(rule)) {
      const ok = testLeaf(context.leaves.get(conditionKey(rule))!.leaf!, columns, row);
      const spec = attrSpec(rule.attr);
      const actual = actualText(rule.attr, columns, row, context);
      const needed = neededText(rule, context);
      const text = ok
        ? {
            zh: `${spec.label.zh} ${actual.zh} ✓（${needed.zh}）`,
            en: `${spec.label.en} ${actual.en} ✓ (${needed.en})`,
          }
        : {
            zh: `${spec.label.zh} ${actual.zh} ✗ 需 ${needed.zh}`,
            en: `${spec.label.en} ${actual.en} ✗ needs ${needed.en}`,
          };
      const line: ExplainLine = {
        path,
        depth,
        kind: 'condition',
        ok,
        attr: rule.attr,
        actual,
        needed,
        text,
      };
      lines.push(line);
      return line;
    }
    const kind = 'all' in rule ? 'all' : 'any' in rule ? 'any' : 'not';
    const line: ExplainLine = { path, depth, kind, ok: false, text: GROUP_TEXT[kind] };
    lines.push(line);
    const children = 'all' in rule ? rule.all : 'any' in rule ? rule.any : [rule.not];
    const at = (i: number) =>
      [path, kind === 'not' ? 'not' : `${kind}.${i}`].filter(Boolean).join('.');
    const parts = children.map((child, i) => visit(child, at(i), depth + 1));
    line.ok =
      kind === 'all'
        ? parts.every((p) => p.ok)
        : kind === 'any'
          ? parts.some((p) => p.ok)
          : !parts[0]!.ok;
    const mark = line.ok ? '✓' : '✗';
    line.text = { zh: `${GROUP_TEXT[kind].zh} ${mark}`, en: `${GROUP_TEXT[kind].en} ${mark}` };
    return line;
  };
  const root = visit(policy.rule, '', 0);
  const isAll = 'all' in policy.rule;
  const top = isAll ? lines.filter((l) => l.depth === 1) : [root];
  const failing = isAll ? top.filter((l) => !l.ok).map((l) => l.path) : [];
  return {
    policyId: policy.id,
    matched: root.ok,
    nearMiss: isAll && failing.length === 1,
    failing,
    lines,
    summary: joined(
      top.map((l) => l.text),
      ' · ',
      ' · ',
    ),
  };
}
