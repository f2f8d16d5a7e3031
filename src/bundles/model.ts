import {
  applySituations,
  describeLimit,
  limitInHours,
  validateFormData,
  type Answers,
  type FormField,
  type ItemContent,
  type TimeLimit,
} from '../catalog';
import type { FieldProblem } from '../platform/http/errors';
import { checkAgainstSchema } from '../platform/http/validation';
import type { Text } from '../platform/i18n';
import {
  BundleContentSchema,
  type BundleContent,
  type BundleField,
  type BundleMaterial,
  type Member,
} from './schema';

// The pure rules of bundles: static checks of a definition, and the guide — what applies to one
// applicant given their answers. No SQL, no HTTP.

/** Hours in a working day when comparing limits in days with limits in hours. */
const HOURS_PER_DAY = 7;

/** A finding of the static checks; errors block publishing, warnings are shown. */
export interface BundleProblem extends FieldProblem {
  severity: 'error' | 'warning';
}

/** Why something is on the guide's list: always, or because of which answers. */
export interface GuideReason {
  always: boolean;
  because: { situation: string; answer: string; label: Text }[];
}

/** Which member needs a material or a field, under which of the item's own keys. */
export interface UsedBy {
  member: string;
  item: string;
  key: string;
}

/** A member item that applies, with its place on the timeline. */
export interface GuideItem {
  member: string;
  code: string;
  name: Text;
  department: string;
  /** Members it waits for (through members that do not apply, too). */
  after: string[];
  committedLimit: TimeLimit;
  statutoryLimit: TimeLimit | null;
  /** Working hours after acceptance at which it can start and by which it is committed to finish. */
  startsAfterHours: number;
  finishesAfterHours: number;
  fee: ItemContent['fee'];
  result: ItemContent['result'];
  /** The item's answers, fixed by the bundle or derived from the applicant's. */
  answers: Answers;
  reason: GuideReason;
}

/** A material of the merged list that applies. */
export type GuideMaterial = BundleMaterial & {
  /** Asked for as required by at least one member (not only conditionally). */
  usedBy: UsedBy[];
  reason: GuideReason;
};

/** A field of the merged form that applies. */
export type GuideField = BundleField & { usedBy: UsedBy[]; reason: GuideReason };

/** Everything that applies to one applicant, with why, and what it saves them. */
export interface Guide {
  items: GuideItem[];
  materials: GuideMaterial[];
  fields: GuideField[];
  fees: { totalYuan: number; items: { member: string; basis?: string; amountYuan: number }[] };
  completion: {
    /** Working hours from acceptance to the last committed result along the critical path. */
    hours: number;
    limit: TimeLimit;
    description: Text;
    criticalPath: string[];
    commitment: TimeLimit;
    withinCommitment: boolean;
  };
  /** What the applicant would face item by item, to show what the bundle saves (减环节、减材料). */
  separately: { steps: number; materials: number; fields: number; visits: number };
  /** Questions not answered, answers that do not exist. */
  problems: FieldProblem[];
  complete: boolean;
}

function text(zh: string, en: string): Text {
  return { zh, en };
}

function problem(
  severity: BundleProblem['severity'],
  path: string,
  rule: string,
  zh: string,
  en: string,
): BundleProblem {
  return { severity, path, rule, message: text(zh, en) };
}

function duplicates(keys: readonly string[]): string[] {
  return [...new Set(keys.filter((key, index) => keys.indexOf(key) !== index))];
}

/** The bundle form key that feeds an item field, and the bundle material an item material maps to. */
export function fieldKeyOf(member: Member, itemKey: string): string {
  return member.fields?.[itemKey] ?? itemKey;
}

export function materialKeyOf(member: Member, itemKey: string): string {
  return member.materials?.[itemKey] ?? itemKey;
}

/** A limit in whole working days when it is one, else in working hours. */
export function hoursToLimit(hours: number): TimeLimit {
  const days = hours / HOURS_PER_DAY;
  return Number.isInteger(days) && days >= 1
    ? { value: days, unit: 'workdays' }
    : { value: Math.round(hours * 1000) / 1000, unit: 'hours' };
}

/**
 * Orders members so that each comes after those it waits for; returns the members caught in a
 * cycle instead when there is one.
 */
export function topologicalOrder(members: readonly Pick<Member, 'key' | 'after'>[]): {
  order: string[];
  cycle: string[];
} {
  const keys = new Set(members.map((m) => m.key));
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const byKey = new Map(members.map((m) => [m.key, m]));
  let cycle: string[] = [];
  const visit = (key: string, path: string[]): boolean => {
    const seen = state.get(key);
    if (seen === 'done') return true;
    if (seen === 'visiting') {
      cycle = [...path.slice(path.indexOf(key)), key];
      return false;
    }
    state.set(key, 'visiting');
    for (const before of byKey.get(key)?.after ?? []) {
      if (keys.has(before) && !visit(before, [...path, key])) return false;
    }
    state.set(key, 'done');
    order.push(key);
    return true;
  };
  for (const m of members) if (!visit(m.key, [])) return { order: [], cycle };
  return { order, cycle: [] };
}

/**
 * The members each selected member waits for once unselected members are taken out: a member
 * waiting for an unselected one waits for what that one waited for.
 */
function effectiveAfter(bundle: BundleContent, selected: ReadonlySet<string>) {
  const byKey = new Map(bundle.members.map((m) => [m.key, m]));
  const resolve = (key: string, seen: Set<string>): string[] => {
    if (seen.has(key)) return [];
    seen.add(key);
    if (selected.has(key)) return [key];
    return (byKey.get(key)?.after ?? []).flatMap((k) => resolve(k, seen));
  };
  const result = new Map<string, string[]>();
  for (const m of bundle.members) {
    if (!selected.has(m.key)) continue;
    const seen = new Set<string>();
    result.set(m.key, [...new Set(m.after.flatMap((k) => resolve(k, seen)))]);
  }
  return result;
}

/** Longest path through the selected members, by committed hours. */
function criticalPath(order: string[], after: Map<string, string[]>, hours: Map<string, number>) {
  const start = new Map<string, number>();
  const finish = new Map<string, number>();
  const via = new Map<string, string | null>();
  for (const key of order) {
    if (!after.has(key)) continue;
    let begin = 0;
    let prev: string | null = null;
    for (const before of after.get(key)!) {
      const f = finish.get(before) ?? 0;
      if (f > begin) [begin, prev] = [f, before];
    }
    start.set(key, begin);
    finish.set(key, begin + (hours.get(key) ?? 0));
    via.set(key, prev);
  }
  let last: string | null = null;
  let total = 0;
  for (const [key, f] of finish) if (f > total || last === null) [total, last] = [f, key];
  const path: string[] = [];
  for (let k = last; k; k = via.get(k) ?? null) path.unshift(k);
  return { start, finish, total: Math.round(total * 1000) / 1000, path };
}

/**
 * Applies an applicant's answers to a bundle: which members apply (and why), the answers each
 * member item gets, then each item's own materials and fields mapped onto the merged list and form,
 * asked once; fees; and the expected completion along the dependency graph.
 */
export function guideBundle(
  bundle: BundleContent,
  items: ReadonlyMap<string, ItemContent>,
  answers: Answers,
): Guide {
  const problems: FieldProblem[] = [];
  const memberReasons = new Map<string, GuideReason['because']>();
  const removed = new Set<string>();
  const itemAnswers = new Map<string, Answers>(
    bundle.members.map((m) => [m.key, { ...(m.answers ?? {}) }]),
  );
  const because = new Map<string, GuideReason['because']>(); // per member.situation
  for (const situation of bundle.situations) {
    const chosen = answers[situation.key] ?? [];
    const path = `answers.${situation.key}`;
    if (chosen.length === 0) {
      problems.push({
        path,
        rule: 'required',
        message: text(
          `请回答：${situation.question.zh}`,
          `please answer: ${situation.question.en}`,
        ),
      });
      continue;
    }
    if (!situation.multiple && chosen.length > 1) {
      problems.push({
        path,
        rule: 'single',
        message: text('此问题只能选一项', 'choose one answer to this question'),
      });
    }
    for (const answerKey of chosen) {
      const answer = situation.answers.find((a) => a.key === answerKey);
      if (!answer) {
        problems.push({
          path,
          rule: 'enum',
          message: text(`没有选项 ${answerKey}`, `there is no answer ${answerKey}`),
        });
        continue;
      }
      const why = { situation: situation.key, answer: answer.key, label: answer.label };
      for (const key of answer.addMembers) {
        memberReasons.set(key, [...(memberReasons.get(key) ?? []), why]);
      }
      for (const key of answer.removeMembers) removed.add(key);
      for (const [target, keys] of Object.entries(answer.set)) {
        const [member, itemSituation] = target.split('.');
        const given = itemAnswers.get(member!);
        if (!given || !itemSituation) continue;
        given[itemSituation] = [
          ...new Set([...(because.has(target) ? given[itemSituation]! : []), ...keys]),
        ];
        because.set(target, [...(because.get(target) ?? []), why]);
      }
    }
  }
  for (const [key] of memberReasons)
    if (!bundle.members.some((m) => m.key === key)) memberReasons.delete(key);
  const selectedMembers = bundle.members.filter(
    (m) => !removed.has(m.key) && (!m.optional || memberReasons.has(m.key)),
  );
  const selected = new Set(selectedMembers.map((m) => m.key));
  const after = effectiveAfter(bundle, selected);
  const order = topologicalOrder(bundle.members).order;

  const materials = new Map<
    string,
    { usedBy: UsedBy[]; because: GuideReason['because']; always: boolean }
  >();
  const fields = new Map<
    string,
    { usedBy: UsedBy[]; because: GuideReason['because']; always: boolean; required: boolean }
  >();
  const hours = new Map<string, number>();
  const guideItems: GuideItem[] = [];
  const separately = { steps: 0, materials: 0, fields: 0, visits: 0 };
  const fees: Guide['fees'] = { totalYuan: 0, items: [] };
  const itemProblems: FieldProblem[] = [];

  for (const member of selectedMembers) {
    const item = items.get(member.item);
    if (!item) continue;
    const given = itemAnswers.get(member.key)!;
    const applicable = applySituations(item, given, HOURS_PER_DAY);
    // The bundle's reasons for the item's answers stand behind the item's reasons.
    const reasonsOf = (itemBecause: { situation: string }[]) =>
      itemBecause.flatMap((b) => because.get(`${member.key}.${b.situation}`) ?? []);
    for (const m of applicable.materials) {
      const key = materialKeyOf(member, m.key);
      const entry = materials.get(key) ?? { usedBy: [], because: [], always: false };
      entry.usedBy.push({ member: member.key, item: item.code, key: m.key });
      entry.always ||= m.reason.always && !memberReasons.has(member.key);
      entry.because.push(
        ...(m.reason.always ? (memberReasons.get(member.key) ?? []) : reasonsOf(m.reason.because)),
      );
      materials.set(key, entry);
    }
    for (const f of applicable.fields) {
      const key = fieldKeyOf(member, f.key);
      const entry = fields.get(key) ?? { usedBy: [], because: [], always: false, required: false };
      entry.usedBy.push({ member: member.key, item: item.code, key: f.key });
      entry.always ||= f.reason.always && !memberReasons.has(member.key);
      entry.required ||= f.required;
      entry.because.push(
        ...(f.reason.always ? (memberReasons.get(member.key) ?? []) : reasonsOf(f.reason.because)),
      );
      fields.set(key, entry);
    }
    hours.set(member.key, limitInHours(applicable.committedLimit, HOURS_PER_DAY));
    separately.steps += 1; // one application per item
    separately.materials += applicable.materials.length;
    separately.fields += applicable.fields.length;
    separately.visits += item.visits;
    if (item.fee.charged && item.fee.amountYuan) {
      fees.items.push({
        member: member.key,
        basis: item.fee.basis,
        amountYuan: item.fee.amountYuan,
      });
      fees.totalYuan += item.fee.amountYuan;
    }
    guideItems.push({
      member: member.key,
      code: item.code,
      name: item.name,
      department: item.department,
      after: after.get(member.key) ?? [],
      committedLimit: applicable.committedLimit,
      statutoryLimit: item.statutoryLimit,
      startsAfterHours: 0,
      finishesAfterHours: 0,
      fee: item.fee,
      result: item.result,
      answers: given,
      reason: { always: !member.optional, because: memberReasons.get(member.key) ?? [] },
    });
    itemProblems.push(
      ...applicable.problems.map((p) => ({ ...p, path: `members.${member.key}.${p.path}` })),
    );
  }
  // An item question left open once the applicant has answered everything is a defect of the
  // bundle (the static checks catch it); before that it only repeats the open bundle questions.
  if (problems.length === 0) problems.push(...itemProblems);
  const path = criticalPath(order, after, hours);
  for (const gi of guideItems) {
    gi.startsAfterHours = path.start.get(gi.member) ?? 0;
    gi.finishesAfterHours = path.finish.get(gi.member) ?? 0;
  }
  const dedupe = (list: GuideReason['because']) =>
    list.filter(
      (b, i) => list.findIndex((o) => o.situation === b.situation && o.answer === b.answer) === i,
    );
  const limit = hoursToLimit(path.total);
  return {
    items: guideItems,
    materials: bundle.materials.flatMap((m) => {
      const entry = materials.get(m.key);
      return entry
        ? [
            {
              ...m,
              // Without the member whose result provides it, the applicant hands it in.
              provision:
                m.provision === 'result' && !(m.from && selected.has(m.from))
                  ? ('upload' as const)
                  : m.provision,
              usedBy: entry.usedBy,
              reason: { always: entry.always, because: dedupe(entry.because) },
            },
          ]
        : [];
    }),
    fields: bundle.form.flatMap((f) => {
      const entry = fields.get(f.key);
      return entry
        ? [
            {
              ...f,
              // Filled from a result when its member applies, else asked of the applicant.
              filledBy: f.filledBy && selected.has(f.filledBy) ? f.filledBy : undefined,
              required: f.required && entry.required && !(f.filledBy && selected.has(f.filledBy)),
              usedBy: entry.usedBy,
              reason: { always: entry.always, because: dedupe(entry.because) },
            },
          ]
        : [];
    }),
    fees,
    completion: {
      hours: path.total,
      limit,
      description: describeLimit(limit),
      criticalPath: path.path,
      commitment: bundle.commitment.limit,
      withinCommitment: path.total <= limitInHours(bundle.commitment.limit, HOURS_PER_DAY) + 1e-9,
    },
    separately,
    problems,
    complete: problems.length === 0,
  };
}

/**
 * Checks what an applicant filled in against the merged form, then splits it into each member
 * item's own data (under the item's keys) and checks that too, so every item gets what it needs.
 */
export function splitFormData(
  bundle: BundleContent,
  guide: Guide,
  items: ReadonlyMap<string, ItemContent>,
  data: Record<string, unknown>,
): { byMember: Record<string, Record<string, unknown>>; problems: FieldProblem[] } {
  const problems = validateFormData(guide.fields, data, 'data');
  const byMember: Record<string, Record<string, unknown>> = {};
  if (problems.length > 0) return { byMember, problems };
  for (const gi of guide.items) {
    const member = bundle.members.find((m) => m.key === gi.member)!;
    const item = items.get(gi.code)!;
    const own: Record<string, unknown> = {};
    // Fields filled later from an earlier member's result are not checked at intake.
    const later = new Set(guide.fields.filter((f) => f.filledBy).map((f) => f.key));
    const fieldsOfItem = applySituations(item, gi.answers, HOURS_PER_DAY).fields.filter(
      (f) => !later.has(fieldKeyOf(member, f.key)),
    );
    for (const f of fieldsOfItem) {
      const value = data[fieldKeyOf(member, f.key)];
      if (value !== undefined) own[f.key] = value;
    }
    byMember[gi.member] = own;
    for (const p of validateFormData(fieldsOfItem, own, `data`)) {
      problems.push({
        ...p,
        path: `data.${fieldKeyOf(member, p.path.slice('data.'.length).split('.')[0]!)}`,
      });
    }
  }
  return { byMember, problems };
}

/**
 * Every problem with a bundle definition: its shape; members that exist in the catalog once each;
 * a dependency graph without cycles whose every member can be reached (optional members added by
 * some answer); every item question answered by the bundle; every required field of every member
 * fed by the merged form with a compatible field; every member material on the merged list, and no
 * material asked twice; 容缺 and 告知承诺 only where every member allows them; and the critical path of
 * committed limits, fees and visits against the bundle's commitment.
 */
export function checkBundle(
  content: unknown,
  items: ReadonlyMap<string, ItemContent>,
  context = '',
): BundleProblem[] {
  const shape = checkAgainstSchema(BundleContentSchema, content, context);
  if (shape.length > 0) return shape.map((p) => ({ ...p, severity: 'error' as const }));
  const bundle = content as BundleContent;
  const at = (path: string) => [context, path].filter(Boolean).join('.');
  const problems: BundleProblem[] = [];
  const error = (path: string, rule: string, zh: string, en: string) =>
    problems.push(problem('error', at(path), rule, zh, en));
  const warning = (path: string, rule: string, zh: string, en: string) =>
    problems.push(problem('warning', at(path), rule, zh, en));

  // Unique keys.
  const lists = {
    members: bundle.members.map((m) => m.key),
    situations: bundle.situations.map((s) => s.key),
    form: bundle.form.map((f) => f.key),
    materials: bundle.materials.map((m) => m.key),
  };
  for (const [list, keys] of Object.entries(lists)) {
    for (const key of duplicates(keys)) {
      error(list, 'unique', `键 ${key} 重复`, `key ${key} appears more than once`);
    }
  }
  for (const code of duplicates(bundle.members.map((m) => m.item))) {
    error('members', 'unique_item', `事项 ${code} 列入两次`, `item ${code} is a member twice`);
  }
  // Two materials of the merged list under different keys but one name are one material asked twice.
  for (const name of duplicates(bundle.materials.map((m) => m.name.zh))) {
    error(
      'materials',
      'asked_twice',
      `材料「${name}」在材料清单中出现两次`,
      `material "${name}" is listed twice`,
    );
  }

  // Members exist; the graph refers to members and has no cycle.
  const memberKeys = new Set(lists.members);
  bundle.members.forEach((m, i) => {
    if (!items.has(m.item)) {
      error(
        `members.${i}.item`,
        'exists',
        `事项 ${m.item} 不在已发布的事项目录中`,
        `item ${m.item} is not in the published catalog`,
      );
    }
    for (const before of m.after) {
      if (!memberKeys.has(before)) {
        error(
          `members.${i}.after`,
          'exists',
          `前置事项 ${before} 不是本一件事的成员`,
          `${before} is not a member of this bundle`,
        );
      }
      if (before === m.key)
        error(
          `members.${i}.after`,
          'cycle',
          '事项不能以自身为前置',
          'a member cannot wait for itself',
        );
    }
  });
  const { cycle } = topologicalOrder(bundle.members);
  if (cycle.length > 0) {
    error(
      'members',
      'cycle',
      `办理顺序成环：${cycle.join(' → ')}`,
      `the dependency graph has a cycle: ${cycle.join(' → ')}`,
    );
  }

  // Answers refer to real members, item questions and answers; optional members can be reached.
  const added = new Set<string>();
  const coveredBy = new Map<string, number>(); // member.situation → bundle situations answering it always
  const setValues = new Map<string, Set<string>>(); // member.situation → answers some bundle answer sets
  bundle.situations.forEach((s, si) => {
    const setByEvery = new Map<string, number>();
    s.answers.forEach((a, ai) => {
      const path = `situations.${si}.answers.${ai}`;
      for (const key of [...a.addMembers, ...a.removeMembers]) {
        if (!memberKeys.has(key))
          error(path, 'exists', `没有成员事项 ${key}`, `there is no member ${key}`);
      }
      for (const key of a.addMembers) {
        const m = bundle.members.find((x) => x.key === key);
        if (m && !m.optional)
          warning(
            path,
            'not_optional',
            `成员 ${key} 本就必办，无需添加`,
            `member ${key} always applies; adding it does nothing`,
          );
        added.add(key);
      }
      for (const [target, keys] of Object.entries(a.set)) {
        const [memberKey, situationKey] = target.split('.');
        const member = bundle.members.find((x) => x.key === memberKey);
        const item = member && items.get(member.item);
        const itemSituation = item?.situations.find((x) => x.key === situationKey);
        if (!member || !situationKey || (item && !itemSituation)) {
          error(
            `${path}.set`,
            'exists',
            `${target} 不是成员事项的情形`,
            `${target} is not a question of a member item`,
          );
          continue;
        }
        for (const k of keys) {
          if (itemSituation && !itemSituation.answers.some((x) => x.key === k)) {
            error(
              `${path}.set`,
              'exists',
              `${target} 没有选项 ${k}`,
              `${target} has no answer ${k}`,
            );
          }
        }
        setByEvery.set(target, (setByEvery.get(target) ?? 0) + 1);
        setValues.set(target, new Set([...(setValues.get(target) ?? []), ...keys]));
      }
    });
    for (const [target, count] of setByEvery) {
      if (count === s.answers.length) coveredBy.set(target, si);
    }
  });
  bundle.members.forEach((m, i) => {
    if (m.optional && !added.has(m.key)) {
      error(
        `members.${i}`,
        'reachable',
        `可选成员 ${m.key} 没有任何回答会选中它`,
        `optional member ${m.key} is added by no answer`,
      );
    }
    const item = items.get(m.item);
    if (!item) return;
    for (const [situationKey, keys] of Object.entries(m.answers ?? {})) {
      const s = item.situations.find((x) => x.key === situationKey);
      if (!s)
        error(
          `members.${i}.answers`,
          'exists',
          `事项没有情形 ${situationKey}`,
          `the item has no question ${situationKey}`,
        );
      for (const k of keys) {
        if (s && !s.answers.some((x) => x.key === k)) {
          error(
            `members.${i}.answers`,
            'exists',
            `情形 ${situationKey} 没有选项 ${k}`,
            `question ${situationKey} has no answer ${k}`,
          );
        }
      }
    }
    for (const s of item.situations) {
      if (!m.answers?.[s.key] && !coveredBy.has(`${m.key}.${s.key}`)) {
        error(
          `members.${i}.answers`,
          'answered',
          `事项「${item.name.zh}」的情形「${s.question.zh}」没有由一件事的问题回答`,
          `question "${s.question.en}" of ${item.name.en} is not answered by the bundle`,
        );
      }
    }
  });

  // The answers each member item can get: its fixed ones and those bundle answers set; only what
  // they can add must be on the merged lists, and only their limits count for the critical path.
  const reachable = (m: Member, item: ItemContent) =>
    item.situations.flatMap((s) => {
      const possible = new Set([
        ...(m.answers?.[s.key] ?? []),
        ...(setValues.get(`${m.key}.${s.key}`) ?? []),
      ]);
      return s.answers.filter((a) => possible.size === 0 || possible.has(a.key));
    });

  // Fields: every field of every member is fed by a compatible field of the merged form.
  const formByKey = new Map(bundle.form.map((f) => [f.key, f]));
  const fedFields = new Set<string>();
  const usedMaterials = new Set<string>();
  const fieldUsers = new Map<string, string[]>();
  const materialUsers = new Map<string, string[]>();
  const materialByKey = new Map(bundle.materials.map((m) => [m.key, m]));
  bundle.members.forEach((m, i) => {
    const item = items.get(m.item);
    if (!item) return;
    for (const key of Object.keys(m.fields ?? {})) {
      if (!item.form.some((f) => f.key === key)) {
        error(
          `members.${i}.fields`,
          'exists',
          `事项没有表单项 ${key}`,
          `the item has no field ${key}`,
        );
      }
    }
    for (const key of Object.keys(m.materials ?? {})) {
      if (!item.materials.some((x) => x.key === key)) {
        error(
          `members.${i}.materials`,
          'exists',
          `事项没有材料 ${key}`,
          `the item has no material ${key}`,
        );
      }
    }
    const answersOf = reachable(m, item);
    const addedFields = new Set(answersOf.flatMap((a) => a.addFields));
    const addedMaterials = new Set(answersOf.flatMap((a) => a.addMaterials));
    for (const f of item.form) {
      if (f.conditional && !addedFields.has(f.key)) continue;
      const key = fieldKeyOf(m, f.key);
      const merged = formByKey.get(key);
      if (!merged) {
        if (f.required) {
          error(
            `members.${i}.fields`,
            'fed',
            `事项「${item.name.zh}」的必填项「${f.label.zh}」没有合并表单项提供（${key}）`,
            `required field "${f.label.en}" of ${item.name.en} is fed by no field of the merged form (${key})`,
          );
        } else {
          warning(
            `members.${i}.fields`,
            'fed',
            `事项「${item.name.zh}」的选填项「${f.label.zh}」不在合并表单中`,
            `optional field "${f.label.en}" of ${item.name.en} is not on the merged form`,
          );
        }
        continue;
      }
      fedFields.add(key);
      fieldUsers.set(key, [...(fieldUsers.get(key) ?? []), m.key]);
      const mismatch = fieldMismatch(merged, f);
      if (mismatch) {
        error(
          `form.${bundle.form.indexOf(merged)}`,
          'compatible',
          `合并表单项「${merged.label.zh}」与事项「${item.name.zh}」的「${f.label.zh}」不一致：${mismatch.zh}`,
          `merged field "${merged.label.en}" does not fit "${f.label.en}" of ${item.name.en}: ${mismatch.en}`,
        );
      }
    }
    for (const x of item.materials) {
      if (x.requirement === 'conditional' && !addedMaterials.has(x.key)) continue;
      const key = materialKeyOf(m, x.key);
      const merged = materialByKey.get(key);
      if (!merged) {
        error(
          `members.${i}.materials`,
          'listed',
          `事项「${item.name.zh}」的材料「${x.name.zh}」不在一套材料中（${key}）`,
          `material "${x.name.en}" of ${item.name.en} is not on the merged list (${key})`,
        );
        continue;
      }
      usedMaterials.add(key);
      materialUsers.set(key, [...(materialUsers.get(key) ?? []), m.key]);
      const path = `materials.${bundle.materials.indexOf(merged)}`;
      if (merged.deficiencyAllowed && !x.deficiencyAllowed) {
        error(
          path,
          'deficiency',
          `「${merged.name.zh}」不能容缺：事项「${item.name.zh}」不允许`,
          `"${merged.name.en}" cannot be handed in later: ${item.name.en} does not allow it`,
        );
      }
      if (merged.pledgeAllowed && !x.pledgeAllowed) {
        error(
          path,
          'pledge',
          `「${merged.name.zh}」不能以承诺代替：事项「${item.name.zh}」不允许`,
          `"${merged.name.en}" cannot be replaced by a pledge: ${item.name.en} does not allow it`,
        );
      }
    }
  });
  // A result feeds only the members that wait for the member producing it.
  const before = ancestorsOf(bundle);
  const fedByResult = (path: string, from: string | undefined, users: string[], name: Text) => {
    if (!from || !memberKeys.has(from)) {
      error(
        path,
        'result_source',
        `「${name.zh}」应指明由哪个成员事项的结果提供`,
        `"${name.en}" must name the member whose result provides it`,
      );
      return;
    }
    for (const user of users.filter((u) => !before.get(u)?.has(from))) {
      error(
        path,
        'result_source',
        `「${name.zh}」由 ${from} 的结果提供，但 ${user} 不在 ${from} 之后办理`,
        `"${name.en}" comes from the result of ${from}, but ${user} does not wait for ${from}`,
      );
    }
  };
  bundle.materials.forEach((m, i) => {
    if (m.provision === 'result') {
      fedByResult(`materials.${i}.from`, m.from, materialUsers.get(m.key) ?? [], m.name);
    } else if (m.from) {
      error(
        `materials.${i}.from`,
        'result_source',
        '只有由结果提供的材料才能指明来源成员',
        'only a material provided by a result names a member',
      );
    }
  });
  bundle.form.forEach((f, i) => {
    if (f.filledBy !== undefined) {
      fedByResult(`form.${i}.filledBy`, f.filledBy, fieldUsers.get(f.key) ?? [], f.label);
    }
  });
  bundle.form.forEach((f, i) => {
    if (!fedFields.has(f.key))
      warning(
        `form.${i}`,
        'used',
        `表单项「${f.label.zh}」没有成员事项使用`,
        `field "${f.label.en}" feeds no member`,
      );
  });
  bundle.materials.forEach((m, i) => {
    if (!usedMaterials.has(m.key))
      warning(
        `materials.${i}`,
        'used',
        `材料「${m.name.zh}」没有成员事项需要`,
        `material "${m.name.en}" is needed by no member`,
      );
  });

  // Commitment: the critical path with every member and the longest answers, fees, visits.
  if (cycle.length === 0) {
    const all = new Set(lists.members);
    const hours = new Map<string, number>();
    let fee = 0;
    let charged = false;
    for (const m of bundle.members) {
      const item = items.get(m.item);
      if (!item) continue;
      const limits = [
        item.committedLimit,
        ...reachable(m, item).flatMap((a) => (a.committedLimit ? [a.committedLimit] : [])),
      ];
      hours.set(m.key, Math.max(...limits.map((l) => limitInHours(l, HOURS_PER_DAY))));
      if (item.fee.charged) {
        charged = true;
        fee += item.fee.amountYuan ?? 0;
      }
      if (item.visits > bundle.commitment.visits) {
        warning(
          `members.${bundle.members.indexOf(m)}`,
          'visits',
          `事项「${item.name.zh}」需跑动 ${item.visits} 次，超过一件事承诺的 ${bundle.commitment.visits} 次`,
          `${item.name.en} needs ${item.visits} visits, more than the bundle's ${bundle.commitment.visits}`,
        );
      }
    }
    const path = criticalPath(
      topologicalOrder(bundle.members).order,
      effectiveAfter(bundle, all),
      hours,
    );
    const promised = limitInHours(bundle.commitment.limit, HOURS_PER_DAY);
    if (path.total > promised + 1e-9) {
      const need = describeLimit(hoursToLimit(path.total));
      const said = describeLimit(bundle.commitment.limit);
      error(
        'commitment.limit',
        'critical_path',
        `承诺${said.zh}办结，但关键路径（${path.path.join(' → ')}）需要${need.zh}`,
        `the bundle promises ${said.en} but its critical path (${path.path.join(' → ')}) needs ${need.en}`,
      );
    }
    if (charged && fee > bundle.commitment.costYuan) {
      error(
        'commitment.costYuan',
        'cost',
        `承诺费用 ${bundle.commitment.costYuan} 元，但成员事项收费 ${fee} 元`,
        `the bundle promises a cost of ${bundle.commitment.costYuan} yuan but its members charge ${fee} yuan`,
      );
    }
  }
  return problems;
}

/** Every member's transitive predecessors in the dependency graph. */
function ancestorsOf(bundle: BundleContent): Map<string, Set<string>> {
  const byKey = new Map(bundle.members.map((m) => [m.key, m]));
  const result = new Map<string, Set<string>>();
  const visit = (key: string, seen: Set<string>): Set<string> => {
    const known = result.get(key);
    if (known) return known;
    const all = new Set<string>();
    if (seen.has(key)) return all; // a cycle, reported elsewhere
    seen.add(key);
    for (const b of byKey.get(key)?.after ?? []) {
      all.add(b);
      for (const a of visit(b, seen)) all.add(a);
    }
    result.set(key, all);
    return all;
  };
  for (const m of bundle.members) visit(m.key, new Set());
  return result;
}

/** Why a merged field cannot feed an item field, or null when it can. */
function fieldMismatch(merged: FormField, own: FormField): Text | null {
  if (merged.type !== own.type)
    return text(`类型 ${merged.type} ≠ ${own.type}`, `type ${merged.type} ≠ ${own.type}`);
  if (own.type === 'identifier' && merged.identifierKind !== own.identifierKind) {
    return text('证件类型不同', 'identifier kinds differ');
  }
  if (own.type === 'choice') {
    const offered = new Set((merged.options ?? []).map((o) => o.value));
    const foreign = (merged.options ?? []).filter(
      (o) => !(own.options ?? []).some((x) => x.value === o.value),
    );
    if (foreign.length > 0)
      return text(
        `选项 ${foreign.map((o) => o.value).join('、')} 不被事项接受`,
        `options ${foreign.map((o) => o.value).join(', ')} are not accepted by the item`,
      );
    if (offered.size === 0) return text('没有选项', 'no options');
  }
  if (own.type === 'table') {
    for (const column of own.columns ?? []) {
      const mine = merged.columns?.find((c) => c.key === column.key);
      if (!mine) {
        if (column.required) return text(`缺少列 ${column.key}`, `column ${column.key} is missing`);
        continue;
      }
      const inner = fieldMismatch(mine, column);
      if (inner) return inner;
    }
  }
  if (
    own.maxLength &&
    (!merged.maxLength || merged.maxLength > own.maxLength) &&
    own.type === 'text'
  ) {
    return text(`长度上限应不超过 ${own.maxLength}`, `maxLength must be at most ${own.maxLength}`);
  }
  if (own.min !== undefined && (merged.min === undefined || merged.min < own.min)) {
    return text(`下限应不小于 ${own.min}`, `min must be at least ${own.min}`);
  }
  if (own.max !== undefined && (merged.max === undefined || merged.max > own.max)) {
    return text(`上限应不大于 ${own.max}`, `max must be at most ${own.max}`);
  }
  return null;
}
