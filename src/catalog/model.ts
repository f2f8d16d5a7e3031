import type { FieldProblem } from '../platform/http/errors';
import { checkAgainstSchema } from '../platform/http/validation';
import { checkIdentifier, type IdKind } from '../platform/ids';
import type { Text } from '../platform/i18n';
import {
  ItemContentSchema,
  type FormField,
  type ItemContent,
  type Material,
  type TimeLimit,
} from './schema';

/** Working hours in a working day, to compare limits given in days with limits given in hours. */
export const DEFAULT_HOURS_PER_DAY = 7;

/** A limit in working hours, whatever its unit. */
export function limitInHours(limit: TimeLimit, hoursPerDay = DEFAULT_HOURS_PER_DAY): number {
  return limit.unit === 'hours' ? limit.value : limit.value * hoursPerDay;
}

/** A limit as people read it: "20个工作日" / "20 working days", "1小时" / "1 working hour". */
export function describeLimit(limit: TimeLimit): Text {
  return limit.unit === 'workdays'
    ? {
        zh: `${limit.value}个工作日`,
        en: `${limit.value} working day${limit.value === 1 ? '' : 's'}`,
      }
    : {
        zh: `${limit.value}个工作小时`,
        en: `${limit.value} working hour${limit.value === 1 ? '' : 's'}`,
      };
}

function problem(path: string, rule: string, zh: string, en: string): FieldProblem {
  return { path, rule, message: { zh, en } };
}

function duplicates(keys: readonly string[]): string[] {
  return keys.filter((key, index) => keys.indexOf(key) !== index);
}

/**
 * Every problem with an item's content: first its shape (the schema), then the rules that cross
 * fields — committed limit within the statutory one, a reason for every visit, fee details,
 * unique keys, situations that point at real materials and fields, typed fields complete.
 * Paths are relative to the item, under `context`.
 */
export function checkItem(
  content: unknown,
  context = '',
  hoursPerDay = DEFAULT_HOURS_PER_DAY,
): FieldProblem[] {
  const shape = checkAgainstSchema(ItemContentSchema, content, context);
  if (shape.length > 0) return shape;
  const item = content as ItemContent;
  const at = (path: string) => [context, path].filter(Boolean).join('.');
  const problems: FieldProblem[] = [];

  if (
    item.statutoryLimit &&
    limitInHours(item.committedLimit, hoursPerDay) > limitInHours(item.statutoryLimit, hoursPerDay)
  ) {
    const committed = describeLimit(item.committedLimit);
    const statutory = describeLimit(item.statutoryLimit);
    problems.push(
      problem(
        at('committedLimit'),
        'within_statutory',
        `承诺时限（${committed.zh}）不得长于法定时限（${statutory.zh}）`,
        `the committed limit (${committed.en}) must not exceed the statutory limit (${statutory.en})`,
      ),
    );
  }
  if (item.visits > 0 && !item.visitsReason?.trim()) {
    problems.push(
      problem(
        at('visitsReason'),
        'required_when_visits',
        `跑动次数为 ${item.visits} 时须说明到现场的理由`,
        `a reason is required when the item needs ${item.visits} visit(s) in person`,
      ),
    );
  }
  if (item.fee.charged && (!item.fee.basis?.trim() || item.fee.amountYuan === undefined)) {
    problems.push(
      problem(
        at('fee'),
        'fee_details',
        '收费事项须写明收费依据和金额',
        'a charged item must state the fee basis and amount',
      ),
    );
  }
  if (item.result.kind === 'licence' && !item.result.licenceType) {
    problems.push(
      problem(
        at('result.licenceType'),
        'required_for_licence',
        '办理结果为证照时须写明证照类型',
        'a licence result must name its licence type',
      ),
    );
  }

  if (item.decision) problems.push(...checkDecision(item, at));

  const materialKeys = item.materials.map((m) => m.key);
  for (const key of new Set(duplicates(materialKeys))) {
    const index = materialKeys.lastIndexOf(key);
    problems.push(
      problem(
        at(`materials.${index}.key`),
        'unique',
        `材料键 ${key} 重复`,
        `material key ${key} is used twice`,
      ),
    );
  }
  const fieldKeys = item.form.map((f) => f.key);
  for (const key of new Set(duplicates(fieldKeys))) {
    const index = fieldKeys.lastIndexOf(key);
    problems.push(
      problem(
        at(`form.${index}.key`),
        'unique',
        `表单字段 ${key} 重复`,
        `form field ${key} is used twice`,
      ),
    );
  }
  const situationKeys = item.situations.map((s) => s.key);
  for (const key of new Set(duplicates(situationKeys))) {
    const index = situationKeys.lastIndexOf(key);
    problems.push(
      problem(
        at(`situations.${index}.key`),
        'unique',
        `情形 ${key} 重复`,
        `situation ${key} is used twice`,
      ),
    );
  }

  const addedMaterials = new Set<string>();
  const addedFields = new Set<string>();
  item.situations.forEach((situation, s) => {
    const answerKeys = situation.answers.map((a) => a.key);
    for (const key of new Set(duplicates(answerKeys))) {
      problems.push(
        problem(
          at(`situations.${s}.answers.${answerKeys.lastIndexOf(key)}.key`),
          'unique',
          `情形 ${situation.key} 的选项 ${key} 重复`,
          `answer ${key} of situation ${situation.key} is used twice`,
        ),
      );
    }
    situation.answers.forEach((answer, a) => {
      const base = `situations.${s}.answers.${a}`;
      for (const [list, keys, known] of [
        ['addMaterials', answer.addMaterials, materialKeys],
        ['removeMaterials', answer.removeMaterials, materialKeys],
        ['addFields', answer.addFields, fieldKeys],
      ] as const) {
        keys.forEach((key, k) => {
          if (!known.includes(key)) {
            problems.push(
              problem(
                at(`${base}.${list}.${k}`),
                'exists',
                `${key} 不是本事项的${list === 'addFields' ? '表单字段' : '材料'}`,
                `${key} is not a ${list === 'addFields' ? 'form field' : 'material'} of this item`,
              ),
            );
          }
        });
      }
      answer.addMaterials.forEach((key) => addedMaterials.add(key));
      answer.addFields.forEach((key) => addedFields.add(key));
      if (
        answer.committedLimit &&
        item.statutoryLimit &&
        limitInHours(answer.committedLimit, hoursPerDay) >
          limitInHours(item.statutoryLimit, hoursPerDay)
      ) {
        problems.push(
          problem(
            at(`${base}.committedLimit`),
            'within_statutory',
            '情形下的承诺时限不得长于法定时限',
            'a situation’s committed limit must not exceed the statutory limit',
          ),
        );
      }
    });
  });
  item.materials.forEach((material, index) => {
    if (material.requirement === 'conditional' && !addedMaterials.has(material.key)) {
      problems.push(
        problem(
          at(`materials.${index}.requirement`),
          'reachable',
          `条件性材料 ${material.key} 没有任何情形选项会要求它`,
          `conditional material ${material.key} is added by no situation answer`,
        ),
      );
    }
  });
  item.form.forEach((field, index) => {
    problems.push(...checkField(field, at(`form.${index}`)));
    if (field.conditional && !addedFields.has(field.key)) {
      problems.push(
        problem(
          at(`form.${index}.conditional`),
          'reachable',
          `条件性字段 ${field.key} 没有任何情形选项会加入它`,
          `conditional field ${field.key} is added by no situation answer`,
        ),
      );
    }
    field.columns?.forEach((column, c) => {
      problems.push(...checkField(column, at(`form.${index}.columns.${c}`)));
      if (column.type === 'table') {
        problems.push(
          problem(
            at(`form.${index}.columns.${c}.type`),
            'no_nested_table',
            '表格列不能再是表格',
            'a table column cannot be a table',
          ),
        );
      }
    });
  });
  return problems;
}

function checkField(field: FormField, path: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (field.type === 'identifier' && !field.identifierKind) {
    problems.push(
      problem(
        `${path}.identifierKind`,
        'required_for_identifier',
        '证件号码字段须写明号码类型',
        'an identifier field must name its kind',
      ),
    );
  }
  if (field.type === 'choice' && !field.options?.length) {
    problems.push(
      problem(
        `${path}.options`,
        'required_for_choice',
        '选择字段须列出选项',
        'a choice field must list its options',
      ),
    );
  }
  if (field.type === 'table' && !field.columns?.length) {
    problems.push(
      problem(
        `${path}.columns`,
        'required_for_table',
        '表格字段须列出各列',
        'a table field must list its columns',
      ),
    );
  }
  if (field.min !== undefined && field.max !== undefined && field.min > field.max) {
    problems.push(
      problem(`${path}.min`, 'min_max', '最小值不得大于最大值', 'min must not exceed max'),
    );
  }
  return problems;
}

/** Answers to situation questions: situation key → the chosen answer keys. */
export type Answers = Record<string, string[]>;

/** Why something is on the list: always, or because of which answer. */
export interface Reason {
  always: boolean;
  because: { situation: string; answer: string; label: Text }[];
}

/** What applies to one applicant once the situations are answered. */
export interface Applicable {
  materials: (Material & { reason: Reason })[];
  fields: (FormField & { reason: Reason })[];
  committedLimit: TimeLimit;
  /** Questions not answered yet, and answers that do not exist. */
  problems: FieldProblem[];
}

/**
 * Applies answers to an item's situations: required materials and unconditional fields always,
 * conditional ones when an answer adds them, minus what an answer removes; the longest committed
 * limit among the answers (or the item's own).
 */
export function applySituations(
  item: ItemContent,
  answers: Answers,
  hoursPerDay = DEFAULT_HOURS_PER_DAY,
): Applicable {
  const problems: FieldProblem[] = [];
  const added = new Map<string, Reason['because']>();
  const removed = new Set<string>();
  const addedFields = new Map<string, Reason['because']>();
  let committedLimit = item.committedLimit;
  for (const situation of item.situations) {
    const chosen = answers[situation.key] ?? [];
    if (chosen.length === 0) {
      problems.push(
        problem(
          `answers.${situation.key}`,
          'required',
          `请回答：${situation.question.zh}`,
          `please answer: ${situation.question.en}`,
        ),
      );
      continue;
    }
    if (!situation.multiple && chosen.length > 1) {
      problems.push(
        problem(
          `answers.${situation.key}`,
          'single',
          '此问题只能选一项',
          'choose one answer to this question',
        ),
      );
    }
    for (const answerKey of chosen) {
      const answer = situation.answers.find((a) => a.key === answerKey);
      if (!answer) {
        problems.push(
          problem(
            `answers.${situation.key}`,
            'enum',
            `没有选项 ${answerKey}`,
            `there is no answer ${answerKey}`,
          ),
        );
        continue;
      }
      const because = { situation: situation.key, answer: answer.key, label: answer.label };
      for (const key of answer.addMaterials) added.set(key, [...(added.get(key) ?? []), because]);
      for (const key of answer.removeMaterials) removed.add(key);
      for (const key of answer.addFields)
        addedFields.set(key, [...(addedFields.get(key) ?? []), because]);
      if (
        answer.committedLimit &&
        limitInHours(answer.committedLimit, hoursPerDay) > limitInHours(committedLimit, hoursPerDay)
      ) {
        committedLimit = answer.committedLimit;
      }
    }
  }
  const materials = item.materials
    .filter((m) => !removed.has(m.key) && (m.requirement === 'required' || added.has(m.key)))
    .map((m) => ({
      ...m,
      reason: {
        always: m.requirement === 'required' && !added.has(m.key),
        because: added.get(m.key) ?? [],
      },
    }));
  const fields = item.form
    .filter((f) => !f.conditional || addedFields.has(f.key))
    .map((f) => ({
      ...f,
      reason: { always: !f.conditional, because: addedFields.get(f.key) ?? [] },
    }));
  return { materials, fields, committedLimit, problems };
}

/**
 * Checks what an applicant filled in against the form's fields: required fields present, types
 * right, identifiers valid by the platform's validators, choices among the options, tables row by row.
 */
export function validateFormData(
  fields: readonly FormField[],
  data: Record<string, unknown>,
  context = 'data',
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const field of fields) {
    const path = `${context}.${field.key}`;
    const value = data[field.key];
    if (value === undefined || value === null || value === '') {
      if (field.required) {
        problems.push(
          problem(path, 'required', `请填写「${field.label.zh}」`, `${field.label.en} is required`),
        );
      }
      continue;
    }
    problems.push(...checkValue(field, value, path));
  }
  return problems;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function checkValue(field: FormField, value: unknown, path: string): FieldProblem[] {
  const label = field.label;
  switch (field.type) {
    case 'text': {
      if (typeof value !== 'string')
        return [problem(path, 'type', `「${label.zh}」应为文字`, `${label.en} must be text`)];
      if (field.maxLength && value.length > field.maxLength) {
        return [
          problem(
            path,
            'maxLength',
            `「${label.zh}」不得超过 ${field.maxLength} 个字符`,
            `${label.en} must be at most ${field.maxLength} characters`,
          ),
        ];
      }
      return [];
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return [problem(path, 'type', `「${label.zh}」应为数字`, `${label.en} must be a number`)];
      }
      if (field.min !== undefined && value < field.min) {
        return [
          problem(
            path,
            'minimum',
            `「${label.zh}」不得小于 ${field.min}`,
            `${label.en} must be at least ${field.min}`,
          ),
        ];
      }
      if (field.max !== undefined && value > field.max) {
        return [
          problem(
            path,
            'maximum',
            `「${label.zh}」不得大于 ${field.max}`,
            `${label.en} must be at most ${field.max}`,
          ),
        ];
      }
      return [];
    }
    case 'date': {
      const ok =
        typeof value === 'string' &&
        DATE.test(value) &&
        !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
        new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
      return ok
        ? []
        : [
            problem(
              path,
              'format',
              `「${label.zh}」应为日期 YYYY-MM-DD`,
              `${label.en} must be a date YYYY-MM-DD`,
            ),
          ];
    }
    case 'region':
    case 'identifier': {
      const kind: IdKind = field.type === 'region' ? 'region' : field.identifierKind!;
      if (typeof value !== 'string')
        return [problem(path, 'type', `「${label.zh}」应为文字`, `${label.en} must be text`)];
      const check = checkIdentifier(kind, value);
      return check.valid
        ? []
        : [{ path, rule: check.reason ?? 'invalid', message: check.message! }];
    }
    case 'choice': {
      const allowed = (field.options ?? []).map((o) => o.value);
      return typeof value === 'string' && allowed.includes(value)
        ? []
        : [
            problem(
              path,
              'enum',
              `「${label.zh}」应为所列选项之一`,
              `${label.en} must be one of the listed options`,
            ),
          ];
    }
    case 'table': {
      if (!Array.isArray(value))
        return [
          problem(
            path,
            'type',
            `「${label.zh}」应为表格行的列表`,
            `${label.en} must be a list of rows`,
          ),
        ];
      return value.flatMap((row, index) =>
        row && typeof row === 'object' && !Array.isArray(row)
          ? validateFormData(
              field.columns ?? [],
              row as Record<string, unknown>,
              `${path}.${index}`,
            )
          : [
              problem(
                `${path}.${index}`,
                'type',
                '表格的每一行应为对象',
                'each table row must be an object',
              ),
            ],
      );
    }
  }
}

/** The decision rules of an item: checks that name what the item holds, patterns that compile. */
function checkDecision(item: ItemContent, at: (path: string) => string): FieldProblem[] {
  const decision = item.decision!;
  const checks = decision.checks ?? [];
  const problems: FieldProblem[] = [];
  if (decision.automatic && checks.length === 0) {
    problems.push(
      problem(
        at('decision.checks'),
        'required_for_automatic',
        '智能审批须至少设一项校验规则，作为准予的理由',
        'an automatic decision needs at least one check, recorded as its reason',
      ),
    );
  }
  const ids = checks.map((c) => c.id);
  for (const id of new Set(duplicates(ids))) {
    problems.push(
      problem(
        at(`decision.checks.${ids.lastIndexOf(id)}.id`),
        'unique',
        `校验规则 ${id} 重复`,
        `check ${id} is used twice`,
      ),
    );
  }
  checks.forEach((check, i) => {
    const [root, key, ...rest] = check.path.split('.');
    const known =
      root === 'data'
        ? item.form.some((f) => f.key === key) && rest.length === 0
        : root === 'answers'
          ? item.situations.some((s) => s.key === key) && rest.length === 0
          : root === 'applicant'
            ? (key === 'kind' || key === 'identifier') && rest.length === 0
            : rest.length === 1;
    if (!known) {
      problems.push(
        problem(
          at(`decision.checks.${i}.path`),
          'exists',
          `${check.path} 不是本事项的表单字段、情形、前置结果或申请人信息`,
          `${check.path} names no form field, situation, earlier result or applicant fact of this item`,
        ),
      );
    }
    if (check.rule.op === 'pattern') {
      try {
        new RegExp(check.rule.value, 'u');
      } catch {
        problems.push(
          problem(
            at(`decision.checks.${i}.rule.value`),
            'pattern',
            '正则表达式无效',
            'the regular expression does not compile',
          ),
        );
      }
    }
  });
  return problems;
}
