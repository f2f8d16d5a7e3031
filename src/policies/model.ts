// Policies as data: what a policy says (who issues it, from which document, when it applies, what
// it gives, how it reaches people), the dossier facts other departments send, how a subject's
// dossier is assembled for the rules, what a benefit comes to, and how a grant moves.
// Pure and Node-free: the web app imports the labels and views from here.
import { Type, type Static } from 'typebox';
import type { FieldProblem } from '../platform/http/errors';
import type { Text } from '../platform/i18n';
import {
  CREDIT_GRADES,
  RuleSchema,
  SIZES,
  attrSpec,
  checkRule,
  isDate,
  type Attr,
  type Dossier,
  type Rule,
} from './rule';

/** How a policy reaches its subjects. */
export const MODES = ['apply', 'automatic', 'silent'] as const;
export type Mode = (typeof MODES)[number];

export const MODE_LABELS: Record<Mode, Text> = {
  apply: { zh: '申请享受', en: 'apply' },
  automatic: { zh: '免申即享', en: 'granted without applying' },
  silent: { zh: '静默认证', en: 'silent re-certification' },
};

export const POLICY_STATES = ['draft', 'published', 'withdrawn'] as const;
export type PolicyState = (typeof POLICY_STATES)[number];

export const POLICY_STATE_LABELS: Record<PolicyState, Text> = {
  draft: { zh: '草稿', en: 'draft' },
  published: { zh: '已发布', en: 'published' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
};

/** Attributes a benefit formula may multiply: the numeric ones. */
export const FORMULA_ATTRS = ['employees', 'revenue'] as const satisfies readonly Attr[];

const LocalText = Type.Object(
  { zh: Type.String({ minLength: 1, maxLength: 200 }), en: Type.String({ maxLength: 200 }) },
  { additionalProperties: false },
);
const LongText = Type.Object(
  { zh: Type.String({ minLength: 1, maxLength: 2000 }), en: Type.String({ maxLength: 2000 }) },
  { additionalProperties: false },
);
const Money = Type.Number({ minimum: 0, maximum: 100_000_000 });

/** What a policy gives, in yuan: a fixed amount, or a rate times a dossier number within bounds. */
export const BenefitSchema = Type.Union([
  Type.Object(
    { kind: Type.Literal('fixed'), amount: Money, per: Type.Optional(Type.Literal('month')) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('formula'),
      attr: Type.Enum(FORMULA_ATTRS),
      rate: Type.Number({ minimum: 0, maximum: 1_000_000 }),
      min: Type.Optional(Money),
      max: Type.Optional(Money),
    },
    { additionalProperties: false },
  ),
]);
export type Benefit = Static<typeof BenefitSchema>;

/** A policy as an administrator writes it. */
export const PolicyInputSchema = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$', description: 'stable code' }),
    name: LocalText,
    summary: LongText,
    departmentCode: Type.String({ minLength: 1, maxLength: 40 }),
    regionCode: Type.String({ pattern: '^\\d{6}$' }),
    sourceDocument: Type.String({ minLength: 2, maxLength: 300 }),
    validFrom: Type.String({ format: 'date' }),
    validUntil: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()])),
    tags: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20 }),
    mode: Type.Enum(MODES),
    benefit: Type.Optional(Type.Union([BenefitSchema, Type.Null()])),
    payWorkingDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 60, default: 10 })),
    recheckDays: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1, maximum: 366 }), Type.Null()]),
    ),
    applyLink: Type.Optional(
      Type.Union([Type.String({ pattern: '^/[A-Za-z0-9/_?=&.-]*$', maxLength: 200 }), Type.Null()]),
    ),
    rule: RuleSchema,
  },
  { additionalProperties: false },
);
export type PolicyInput = Static<typeof PolicyInputSchema>;

const problem = (path: string, rule: string, zh: string, en: string): FieldProblem => ({
  path,
  rule,
  message: { zh, en },
});

/** The problems of a policy beyond its shape: the rule, the dates, what each mode needs. */
export function checkPolicy(input: PolicyInput, path = 'body'): FieldProblem[] {
  const problems = checkRule(input.rule, `${path}.rule`);
  if (!isDate(input.validFrom))
    problems.push(problem(`${path}.validFrom`, 'date', '不是有效日期', 'not a valid date'));
  if (input.validUntil && !isDate(input.validUntil))
    problems.push(problem(`${path}.validUntil`, 'date', '不是有效日期', 'not a valid date'));
  else if (input.validUntil && input.validUntil < input.validFrom)
    problems.push(
      problem(
        `${path}.validUntil`,
        'after_valid_from',
        '截止日期早于生效日期',
        'ends before it starts',
      ),
    );
  if (input.mode !== 'apply' && !input.benefit)
    problems.push(
      problem(
        `${path}.benefit`,
        'required_for_grants',
        '免申即享和静默认证政策须写明兑现金额',
        'a policy granted without applying needs a benefit',
      ),
    );
  if (input.mode === 'silent' && !input.recheckDays)
    problems.push(
      problem(
        `${path}.recheckDays`,
        'required_for_silent',
        '静默认证政策须写明复核周期',
        'a silently re-certified policy needs a re-check period',
      ),
    );
  if (input.mode === 'apply' && !input.applyLink)
    problems.push(
      problem(
        `${path}.applyLink`,
        'required_for_apply',
        '申请类政策须写明办理入口',
        'a policy one applies for needs a link to the service',
      ),
    );
  const benefit = input.benefit;
  if (benefit?.kind === 'formula' && benefit.min !== undefined && benefit.max !== undefined)
    if (benefit.max < benefit.min)
      problems.push(
        problem(
          `${path}.benefit.max`,
          'at_least_min',
          '上限低于下限',
          'the maximum is below the minimum',
        ),
      );
  return problems;
}

/** Whether a policy applies on a day (YYYY-MM-DD). */
export function inForce(policy: { validFrom: string; validUntil: string | null }, day: string) {
  return policy.validFrom <= day && (policy.validUntil === null || day <= policy.validUntil);
}

/**
 * What a benefit comes to for a dossier, in yuan with cents: the fixed amount, or rate × the
 * dossier's number clamped to [min, max]; null when there is no benefit or the number is missing.
 */
export function benefitAmount(
  benefit: Benefit | null | undefined,
  dossier: Dossier,
): number | null {
  if (!benefit) return null;
  if (benefit.kind === 'fixed') return benefit.amount;
  const value = dossier[benefit.attr];
  if (value === undefined) return null;
  let amount = benefit.rate * value;
  if (benefit.min !== undefined) amount = Math.max(amount, benefit.min);
  if (benefit.max !== undefined) amount = Math.min(amount, benefit.max);
  return Math.round(amount * 100) / 100;
}

/** An amount of yuan with thousands separators. */
const yuan = (amount: number) => amount.toLocaleString('en-US');

/** A benefit in words: "20000 元", "每月 200 元", "从业人数 × 500 元（上限 5 万元）". */
export function benefitText(benefit: Benefit | null | undefined): Text | null {
  if (!benefit) return null;
  if (benefit.kind === 'fixed') {
    const amount = yuan(benefit.amount);
    return benefit.per === 'month'
      ? { zh: `每月 ${amount} 元`, en: `${amount} yuan a month` }
      : { zh: `${amount} 元`, en: `${amount} yuan` };
  }
  const label = attrSpec(benefit.attr).label;
  const bounds = [
    benefit.min !== undefined
      ? [`最低 ${yuan(benefit.min)} 元`, `at least ${yuan(benefit.min)}`]
      : null,
    benefit.max !== undefined
      ? [`最高 ${yuan(benefit.max)} 元`, `at most ${yuan(benefit.max)}`]
      : null,
  ].filter((b): b is string[] => b !== null);
  const zhBounds = bounds.length ? `（${bounds.map((b) => b[0]).join('，')}）` : '';
  const enBounds = bounds.length ? ` (${bounds.map((b) => b[1]).join(', ')} yuan)` : '';
  return {
    zh: `${label.zh} × ${benefit.rate} 元${zhBounds}`,
    en: `${label.en} × ${benefit.rate} yuan${enBounds}`,
  };
}

// ——— dossier facts and assembly ———

/** Facts another department's system holds about a subject, as data exchange delivers them. */
export const FactsSchema = Type.Object(
  {
    industry: Type.Optional(Type.String({ pattern: '^[A-T](\\d{0,4})$' })),
    size: Type.Optional(Type.Enum(SIZES)),
    foundedOn: Type.Optional(Type.String({ format: 'date' })),
    revenue: Type.Optional(Type.Number({ minimum: 0, maximum: 1e9 })),
    revenueGrowth: Type.Optional(Type.Number({ minimum: -100, maximum: 10_000 })),
    employees: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    creditGrade: Type.Optional(Type.Enum(CREDIT_GRADES)),
    tags: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,39}$' }), { maxItems: 50 }),
    ),
  },
  { additionalProperties: false },
);
export type Facts = Static<typeof FactsSchema>;

// ——— grants ———

export const GRANT_STATES = ['pending', 'confirmed', 'paid', 'rejected', 'suspended'] as const;
export type GrantState = (typeof GRANT_STATES)[number];

export const GRANT_STATE_LABELS: Record<GrantState, Text> = {
  pending: { zh: '待确认', en: 'awaiting confirmation' },
  confirmed: { zh: '待拨付', en: 'awaiting payment' },
  paid: { zh: '已兑现', en: 'paid' },
  rejected: { zh: '不予兑现', en: 'rejected' },
  suspended: { zh: '已暂停', en: 'suspended' },
};

/** What the issuing department does with a grant, and from which states. */
export const GRANT_ACTIONS = {
  confirm: { from: ['pending'], to: 'confirmed', label: { zh: '确认', en: 'confirm' } },
  pay: { from: ['confirmed'], to: 'paid', label: { zh: '拨付', en: 'pay' } },
  reject: {
    from: ['pending', 'confirmed'],
    to: 'rejected',
    label: { zh: '不予兑现', en: 'reject' },
  },
} as const satisfies Record<string, { from: readonly GrantState[]; to: GrantState; label: Text }>;
export type GrantAction = keyof typeof GRANT_ACTIONS;

export const LEDGER_ACTION_LABELS: Record<string, Text> = {
  created: { zh: '比对生成', en: 'created by data comparison' },
  confirmed: { zh: '部门确认', en: 'confirmed by the department' },
  paid: { zh: '拨付到账', en: 'paid' },
  rejected: { zh: '不予兑现', en: 'rejected' },
  recertified: { zh: '静默认证通过', en: 're-certified silently' },
  suspended: { zh: '暂停发放', en: 'suspended' },
  resumed: { zh: '恢复发放', en: 'resumed' },
};

/** The state an action leads to, or null when the grant's state does not allow it. */
export function grantTransition(state: GrantState, action: GrantAction): GrantState | null {
  const step = GRANT_ACTIONS[action];
  return (step.from as readonly GrantState[]).includes(state) ? step.to : null;
}

/**
 * What a silent re-check does with a grant: an eligible suspended grant resumes, an ineligible
 * paid (or confirmed) one is suspended, otherwise it is re-certified or left as it is.
 */
export function recheckOutcome(
  state: GrantState,
  eligible: boolean,
): 'recertified' | 'suspended' | 'resumed' | null {
  if (state === 'suspended') return eligible ? 'resumed' : null;
  if (state === 'rejected') return null;
  return eligible ? 'recertified' : 'suspended';
}

/** A rule as stored, typed (stored rules were checked when written). */
export function storedRule(value: unknown): Rule {
  return value as Rule;
}
