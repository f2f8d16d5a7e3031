import { Type } from 'typebox';
import type { FieldProblem } from '../platform/http/errors';
import type { Text } from '../platform/i18n';

// The eligibility-rule language of policies (政策找人, 免申即享): a policy's conditions written as
// data, so a clerk edits them in the workbench and the engine (matcher.ts) compiles them.
// Node-free: the web app imports this file for its rule editor.
//
//   Rule      = { all: Rule[] } | { any: Rule[] } | { not: Rule } | Condition
//   Condition = { attr, op, value }
//
// A condition on a value the subject's dossier does not have (no revenue reported, no founding
// date) is false; `not` negates that, so `{ not: { attr: 'creditGrade', op: 'eq', value: 'D' } }`
// also holds for a subject without a credit grade. Write `creditGrade in [A, B, C]` to demand one.

/** 主体类型 — person or enterprise. */
export const KINDS = ['person', 'enterprise'] as const;
/** 企业规模 (工信部划型) — smallest first. */
export const SIZES = ['micro', 'small', 'medium', 'large'] as const;
/** 纳税信用等级 — best first (M counts as B here). */
export const CREDIT_GRADES = ['A', 'B', 'C', 'D'] as const;
/** 性别. */
export const SEXES = ['male', 'female'] as const;

export type Kind = (typeof KINDS)[number];
export type Size = (typeof SIZES)[number];
export type CreditGrade = (typeof CREDIT_GRADES)[number];
export type Sex = (typeof SEXES)[number];

/** How an attribute's values are stored and compared. */
export type AttrType =
  | 'region' // a region code in the tree of regions (GB/T 2260 and functional zones)
  | 'industry' // a GB/T 4754 code: section letter and up to four digits, e.g. C3911
  | 'enum' // one of a fixed list
  | 'date' // YYYY-MM-DD
  | 'years' // whole years elapsed since a date attribute, as of the match date
  | 'number'
  | 'integer'
  | 'set'; // a set of codes (licence types, tags)

/** What an attribute is, how it may be compared, and what it is called in explanations. */
export interface AttrSpec {
  type: AttrType;
  ops: readonly Op[];
  label: Text;
  /** The allowed values of an enum, in order (the order `atLeast` uses). */
  values?: readonly string[];
  /** Labels of the enum values. */
  valueLabels?: Record<string, Text>;
  /** For `years`: the date attribute the years count from. */
  from?: 'foundedOn' | 'birthDate';
  /** The unit numbers are given in. */
  unit?: Text;
}

/** Every operator of the language. */
export const OPS = [
  'eq',
  'in',
  'within',
  'prefix',
  'atLeast',
  'before',
  'after',
  'between',
  'lt',
  'lte',
  'gt',
  'gte',
  'has',
  'hasAny',
  'hasAll',
] as const;
export type Op = (typeof OPS)[number];

const NUMERIC_OPS = ['lt', 'lte', 'gt', 'gte', 'between'] as const satisfies readonly Op[];
const DATE_OPS = ['before', 'after', 'between'] as const satisfies readonly Op[];
const SET_OPS = ['has', 'hasAny', 'hasAll'] as const satisfies readonly Op[];

const labels = <T extends string>(entries: Record<T, [string, string]>): Record<string, Text> =>
  Object.fromEntries(
    Object.entries<[string, string]>(entries).map(([key, [zh, en]]) => [key, { zh, en }]),
  );

/** The attributes of a subject's dossier (一人一档 / 一企一档) that rules may test. */
export const ATTRIBUTES = {
  /** 注册地 / 户籍地: `within` holds for the code itself and every region below it. */
  region: {
    type: 'region',
    ops: ['within'],
    label: { zh: '注册地', en: 'Region' },
  },
  kind: {
    type: 'enum',
    ops: ['eq', 'in'],
    values: KINDS,
    valueLabels: labels({ person: ['自然人', 'person'], enterprise: ['企业', 'enterprise'] }),
    label: { zh: '主体类型', en: 'Subject kind' },
  },
  /** 国民经济行业分类 GB/T 4754: `prefix` C39 matches C3911. */
  industry: {
    type: 'industry',
    ops: ['prefix', 'in'],
    label: { zh: '行业', en: 'Industry' },
  },
  size: {
    type: 'enum',
    ops: ['eq', 'in'],
    values: SIZES,
    valueLabels: labels({
      micro: ['微型', 'micro'],
      small: ['小型', 'small'],
      medium: ['中型', 'medium'],
      large: ['大型', 'large'],
    }),
    label: { zh: '企业规模', en: 'Size' },
  },
  foundedOn: {
    type: 'date',
    ops: DATE_OPS,
    label: { zh: '成立日期', en: 'Founded on' },
  },
  /** Whole years since founding, as of the match date. */
  ageYears: {
    type: 'years',
    ops: NUMERIC_OPS,
    from: 'foundedOn',
    label: { zh: '成立年限', en: 'Years since founding' },
    unit: { zh: '年', en: ' years' },
  },
  /** 营业收入 (上年度), 万元. */
  revenue: {
    type: 'number',
    ops: NUMERIC_OPS,
    label: { zh: '营业收入', en: 'Revenue' },
    unit: { zh: '万元', en: ' ×10k CNY' },
  },
  /** 营业收入增长率, percent. */
  revenueGrowth: {
    type: 'number',
    ops: NUMERIC_OPS,
    label: { zh: '营收增长率', en: 'Revenue growth' },
    unit: { zh: '%', en: '%' },
  },
  employees: {
    type: 'integer',
    ops: NUMERIC_OPS,
    label: { zh: '从业人数', en: 'Employees' },
    unit: { zh: '人', en: '' },
  },
  creditGrade: {
    type: 'enum',
    ops: ['eq', 'in', 'atLeast'],
    values: CREDIT_GRADES,
    valueLabels: labels({ A: ['A', 'A'], B: ['B', 'B'], C: ['C', 'C'], D: ['D', 'D'] }),
    label: { zh: '纳税信用', en: 'Tax credit grade' },
  },
  /** Licence type codes held (电子证照). */
  licences: {
    type: 'set',
    ops: SET_OPS,
    label: { zh: '持有证照', en: 'Licences held' },
  },
  /** Data tags of the dossier (标签化), e.g. 高新技术企业, 退役军人. */
  tags: {
    type: 'set',
    ops: SET_OPS,
    label: { zh: '标签', en: 'Tags' },
    // the tags the platform's data sources send; others show as written
    valueLabels: labels({
      gazelle: ['瞪羚企业', 'gazelle enterprise'],
      'high-tech': ['高新技术企业', 'high-tech enterprise'],
      'little-giant': ['专精特新“小巨人”', 'specialised little giant'],
      'insured-employer': ['参保单位', 'insured employer'],
      'hired-hardship': ['吸纳就业困难人员', 'hired people facing hardship'],
      'maternity-insured': ['生育保险参保', 'maternity insurance'],
      'recent-birth': ['近期分娩', 'recently gave birth'],
      pregnant: ['孕期', 'pregnant'],
      student: ['在校学生', 'student'],
      'low-income': ['低保家庭', 'minimum living allowance'],
      'extreme-poverty': ['特困人员', 'extreme poverty'],
      orphan: ['孤儿', 'orphan'],
      'disability-family': ['残疾人家庭', 'family with disability'],
      'resident-pension-insured': ['城乡居民养老保险参保', 'resident pension insurance'],
      'flexible-employment': ['灵活就业', 'flexibly employed'],
      'talent-a': ['A类人才', 'talent class A'],
      'talent-b': ['B类人才', 'talent class B'],
      'talent-c': ['C类人才', 'talent class C'],
      deceased: ['已故', 'deceased'],
      imprisoned: ['服刑', 'imprisoned'],
    }),
  },
  birthDate: {
    type: 'date',
    ops: DATE_OPS,
    label: { zh: '出生日期', en: 'Birth date' },
  },
  /** A person's age in whole years, as of the match date. */
  age: {
    type: 'years',
    ops: NUMERIC_OPS,
    from: 'birthDate',
    label: { zh: '年龄', en: 'Age' },
    unit: { zh: '岁', en: ' years' },
  },
  sex: {
    type: 'enum',
    ops: ['eq', 'in'],
    values: SEXES,
    valueLabels: labels({ male: ['男', 'male'], female: ['女', 'female'] }),
    label: { zh: '性别', en: 'Sex' },
  },
} as const satisfies Record<string, AttrSpec>;

export type Attr = keyof typeof ATTRIBUTES;
export const ATTRS = Object.keys(ATTRIBUTES) as Attr[];

/** The spec of an attribute, typed loosely for generic code. */
export function attrSpec(attr: Attr): AttrSpec {
  return ATTRIBUTES[attr];
}

/** One test of one attribute. */
export interface Condition {
  attr: Attr;
  op: Op;
  value: unknown;
}
/** An eligibility rule: a tree of conditions. */
export type Rule = { all: Rule[] } | { any: Rule[] } | { not: Rule } | Condition;

/** A policy as the engine sees it: its id and its rule. */
export interface PolicyRule {
  id: string;
  rule: Rule;
}

/** The most nested levels a rule may have (the root is level 1). */
export const MAX_DEPTH = 8;
/** The most conditions a rule may have. */
export const MAX_CONDITIONS = 50;
/** The most values a list value (`in`, `hasAny` …) may have. */
export const MAX_VALUES = 200;

const DATE = '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$';
const INDUSTRY = '^[A-T](\\d{0,4})$';

/** A condition's shape; which op and value fit which attribute is checked by `checkRule`. */
export const ConditionSchema = Type.Object(
  {
    attr: Type.Union(
      ATTRS.map((a) => Type.Literal(a)),
      { description: 'dossier attribute' },
    ),
    op: Type.Union(
      OPS.map((o) => Type.Literal(o)),
      { description: 'operator allowed for the attribute (see ATTRIBUTES)' },
    ),
    value: Type.Unknown({
      description:
        'a code, number or YYYY-MM-DD date, a list for in/hasAny/hasAll, a [low, high] pair for between',
    }),
  },
  { additionalProperties: false },
);

/** The rule language as a JSON Schema (for the API and the editor); `checkRule` says more. */
export const RuleSchema = Type.Cyclic(
  {
    Rule: Type.Union([
      Type.Object(
        { all: Type.Array(Type.Ref('Rule'), { minItems: 1 }) },
        { additionalProperties: false },
      ),
      Type.Object(
        { any: Type.Array(Type.Ref('Rule'), { minItems: 1 }) },
        { additionalProperties: false },
      ),
      Type.Object({ not: Type.Ref('Rule') }, { additionalProperties: false }),
      ConditionSchema,
    ]),
  },
  'Rule',
);

function problem(path: string, rule: string, zh: string, en: string): FieldProblem {
  return { path, rule, message: { zh, en } };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether `text` is a real calendar date written YYYY-MM-DD. */
export function isDate(text: unknown): text is string {
  if (typeof text !== 'string' || !new RegExp(DATE).test(text)) return false;
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  return d <= monthLength(y, m);
}

// Date.UTC reads years 0–99 as 1900–1999; setUTCFullYear does not.
function utcDays(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.round(date.getTime() / 86_400_000);
}

function monthLength(year: number, month: number): number {
  return utcDays(year, month + 1, 1) - utcDays(year, month, 1);
}

function checkValue(attr: Attr, op: Op, value: unknown, at: string): FieldProblem[] {
  const spec = attrSpec(attr);
  const bad = (zh: string, en: string) => [problem(at, 'value', zh, en)];
  const code = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 64;
  const list = (v: unknown, item: (x: unknown) => boolean) =>
    Array.isArray(v) && v.length >= 1 && v.length <= MAX_VALUES && v.every(item);
  const enumValue = (v: unknown) => typeof v === 'string' && (spec.values ?? []).includes(v);
  const number = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const choices = (spec.values ?? []).join(', ');

  switch (op) {
    case 'eq':
    case 'atLeast':
      return enumValue(value) ? [] : bad(`取值应为 ${choices} 之一`, `must be one of ${choices}`);
    case 'in':
      if (spec.type === 'industry')
        return list(value, (v) => typeof v === 'string' && new RegExp(INDUSTRY).test(v))
          ? []
          : bad('应为行业代码列表（如 C3911）', 'must be a list of industry codes (e.g. C3911)');
      return list(value, enumValue)
        ? []
        : bad(`应为 ${choices} 中取值的列表`, `must be a list of values from ${choices}`);
    case 'within':
      return code(value) || list(value, code)
        ? []
        : bad('应为区划代码或其列表', 'must be a region code or a list of them');
    case 'prefix': {
      const ok = (v: unknown) => typeof v === 'string' && new RegExp(INDUSTRY).test(v);
      return ok(value) || list(value, ok)
        ? []
        : bad(
            '应为行业代码前缀（门类字母加数字，如 C39）或其列表',
            'must be an industry code prefix (section letter and digits, e.g. C39) or a list',
          );
    }
    case 'before':
    case 'after':
      return isDate(value) ? [] : bad('应为日期 YYYY-MM-DD', 'must be a date YYYY-MM-DD');
    case 'between': {
      const item = spec.type === 'date' ? isDate : number;
      if (!Array.isArray(value) || value.length !== 2 || !value.every(item))
        return spec.type === 'date'
          ? bad('应为两个日期 [起, 止]', 'must be two dates [from, to]')
          : bad('应为两个数 [下限, 上限]', 'must be two numbers [low, high]');
      return (value[0] as string | number) <= (value[1] as string | number)
        ? []
        : bad('下限不得大于上限', 'the low end must not exceed the high end');
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return number(value) ? [] : bad('应为数值', 'must be a number');
    case 'has':
      return code(value) ? [] : bad('应为一个代码', 'must be one code');
    case 'hasAny':
    case 'hasAll':
      return list(value, code) ? [] : bad('应为代码列表', 'must be a list of codes');
  }
}

/**
 * Every problem with a rule, each naming the path in it (`rule.all.2.value`): unknown attributes
 * or operators, an operator the attribute does not allow, a value of the wrong type, an empty
 * `all`/`any`, more than MAX_DEPTH levels or MAX_CONDITIONS conditions. Empty when it compiles.
 */
export function checkRule(rule: unknown, path = 'rule'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  let conditions = 0;
  let tooDeep = false;

  const visit = (node: unknown, at: string, depth: number): void => {
    if (depth > MAX_DEPTH) {
      if (!tooDeep)
        problems.push(
          problem(
            at,
            'maxDepth',
            `规则嵌套不得超过 ${MAX_DEPTH} 层`,
            `rules may nest at most ${MAX_DEPTH} levels`,
          ),
        );
      tooDeep = true;
      return;
    }
    if (!isObject(node)) {
      problems.push(
        problem(at, 'type', '应为规则对象', 'must be a rule object (all, any, not or a condition)'),
      );
      return;
    }
    const keys = Object.keys(node);
    for (const group of ['all', 'any'] as const) {
      if (!(group in node)) continue;
      if (keys.length !== 1) {
        problems.push(
          problem(at, 'shape', `${group} 不能与其他字段并列`, `${group} must stand alone`),
        );
        return;
      }
      const children = node[group];
      if (!Array.isArray(children) || children.length === 0) {
        problems.push(
          problem(
            `${at}.${group}`,
            'minItems',
            `${group} 至少应包含一条规则`,
            `${group} must hold at least one rule`,
          ),
        );
        return;
      }
      children.forEach((child, i) => visit(child, `${at}.${group}.${i}`, depth + 1));
      return;
    }
    if ('not' in node) {
      if (keys.length !== 1) {
        problems.push(problem(at, 'shape', 'not 不能与其他字段并列', 'not must stand alone'));
        return;
      }
      visit(node.not, `${at}.not`, depth + 1);
      return;
    }
    conditions++;
    const extra = keys.filter((k) => k !== 'attr' && k !== 'op' && k !== 'value');
    for (const key of extra)
      problems.push(
        problem(
          `${at}.${key}`,
          'additionalProperties',
          `不允许的字段 ${key}`,
          `unknown field ${key}`,
        ),
      );
    const { attr, op } = node;
    if (typeof attr !== 'string' || !(ATTRS as string[]).includes(attr)) {
      problems.push(
        problem(
          `${at}.attr`,
          'enum',
          `未知属性 ${String(attr)}，可用：${ATTRS.join('、')}`,
          `unknown attribute ${String(attr)}; known: ${ATTRS.join(', ')}`,
        ),
      );
      return;
    }
    const spec = attrSpec(attr as Attr);
    if (typeof op !== 'string' || !spec.ops.includes(op as Op)) {
      problems.push(
        problem(
          `${at}.op`,
          'enum',
          `属性 ${attr}（${spec.label.zh}）不支持运算 ${String(op)}，可用：${spec.ops.join('、')}`,
          `attribute ${attr} does not allow op ${String(op)}; allowed: ${spec.ops.join(', ')}`,
        ),
      );
      return;
    }
    if (!('value' in node)) {
      problems.push(problem(`${at}.value`, 'required', '缺少必填字段 value', 'value is required'));
      return;
    }
    problems.push(...checkValue(attr as Attr, op as Op, node.value, `${at}.value`));
  };

  visit(rule, path, 1);
  if (conditions > MAX_CONDITIONS)
    problems.push(
      problem(
        path,
        'maxConditions',
        `一条规则至多 ${MAX_CONDITIONS} 个条件（现有 ${conditions} 个）`,
        `a rule may have at most ${MAX_CONDITIONS} conditions (it has ${conditions})`,
      ),
    );
  return problems;
}

/** Whether a rule node is a condition (not all/any/not). */
export function isCondition(rule: Rule): rule is Condition {
  return 'attr' in rule;
}

/** A subject's dossier as the matcher reads it; any attribute may be missing. */
export interface Dossier {
  kind?: Kind;
  region?: string;
  industry?: string;
  size?: Size;
  foundedOn?: string;
  revenue?: number;
  revenueGrowth?: number;
  employees?: number;
  creditGrade?: CreditGrade;
  licences?: readonly string[];
  tags?: readonly string[];
  birthDate?: string;
  sex?: Sex;
}

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
export function dayNumber(date: string): number {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return utcDays(y, m, d);
}

/** The YYYY-MM-DD date of a day number. */
export function dayDate(day: number): string {
  const date = new Date(day * 86_400_000);
  const y = date.getUTCFullYear();
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(y, 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/**
 * The last birth (or founding) day that is at least `years` whole years before `asOf`: the same
 * month and day `years` earlier, Feb 29 falling back to Feb 28 in common years. `age ≥ n` holds
 * exactly when the date is on or before `yearsCutoff(asOf, n)`.
 */
export function yearsCutoff(asOf: string, years: number): number {
  const y = Number(asOf.slice(0, 4)) - years;
  const m = Number(asOf.slice(5, 7));
  const d = Math.min(Number(asOf.slice(8, 10)), monthLength(y, m));
  return utcDays(y, m, d);
}

/** Whole years from `date` to `asOf` (a person's age on that day). */
export function wholeYears(date: string, asOf: string): number {
  const years = Number(asOf.slice(0, 4)) - Number(date.slice(0, 4));
  return asOf.slice(5) < date.slice(5) ? years - 1 : years;
}
