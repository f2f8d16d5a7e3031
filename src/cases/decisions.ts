import { randomInt } from 'node:crypto';
import type { Decision, DecisionCheck } from '../catalog/schema';
import type { Text } from '../platform/i18n';
import { checkIdentifier, organisationCodeCheckChar, usccCheckChar } from '../platform/ids';

// Rule-based decisions (智能审批 / 秒批): the checks an item declares, evaluated over what a case
// holds, each recorded with its outcome as the reason of the decision. Pure but for the random
// serial of a generated credit code.

/** What a case holds that checks may read. */
export interface DecisionContext {
  data: Record<string, unknown>;
  answers: Record<string, string[]>;
  /** Results of the earlier members, by member key. */
  results: Record<string, unknown>;
  applicant: { kind: string; identifier: string };
}

/** One check as recorded with the decision. */
export interface CheckOutcome {
  id: string;
  label: Text;
  passed: boolean;
  /** Why it failed, when it did. */
  detail: Text | null;
}

function text(zh: string, en: string): Text {
  return { zh, en };
}

/** The value a check's path names, or undefined. */
export function valueAt(ctx: DecisionContext, path: string): unknown {
  const [root, ...keys] = path.split('.');
  let value: unknown = (ctx as unknown as Record<string, unknown>)[root ?? ''];
  for (const key of keys) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

function shown(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** Whether one check passes, and why not. */
export function evaluateCheck(check: DecisionCheck, ctx: DecisionContext): CheckOutcome {
  const value = valueAt(ctx, check.path);
  const fail = (zh: string, en: string): CheckOutcome => ({
    id: check.id,
    label: check.label,
    passed: false,
    detail: text(zh, en),
  });
  const pass: CheckOutcome = { id: check.id, label: check.label, passed: true, detail: null };
  const rule = check.rule;
  if (rule.op === 'absent') {
    return isEmpty(value)
      ? pass
      : fail(`不应填写（${shown(value)}）`, `must be empty (${shown(value)})`);
  }
  if (isEmpty(value)) return fail('未提供', 'not given');
  switch (rule.op) {
    case 'present':
      return pass;
    case 'in':
    case 'not-in': {
      const values = Array.isArray(value) ? value : [value];
      const inside = values.map((v) => (rule.values as unknown[]).includes(v));
      const ok = rule.op === 'in' ? inside.every(Boolean) : !inside.some(Boolean);
      if (ok) return pass;
      return rule.op === 'in'
        ? fail(
            `${shown(value)} 不在允许的取值内`,
            `${shown(value)} is not among the allowed values`,
          )
        : fail(`${shown(value)} 属于不允许的取值`, `${shown(value)} is among the excluded values`);
    }
    case 'min':
    case 'max': {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) return fail('不是数值', 'not a number');
      const ok = rule.op === 'min' ? n >= rule.value : n <= rule.value;
      return ok
        ? pass
        : fail(
            `${n} ${rule.op === 'min' ? '小于' : '大于'} ${rule.value}`,
            `${n} is ${rule.op === 'min' ? 'below' : 'above'} ${rule.value}`,
          );
    }
    case 'pattern':
      return typeof value === 'string' && new RegExp(rule.value, 'u').test(value)
        ? pass
        : fail(`${shown(value)} 格式不符`, `${shown(value)} does not match the required form`);
    case 'identifier': {
      const result = typeof value === 'string' ? checkIdentifier(rule.kind, value) : null;
      return result?.valid ? pass : fail('证件号码校验未通过', 'the identifier does not verify');
    }
    case 'max-rows': {
      const rows = Array.isArray(value) ? value.length : 1;
      return rows <= rule.value
        ? pass
        : fail(`共 ${rows} 行，超过 ${rule.value} 行`, `${rows} rows, more than ${rule.value}`);
    }
  }
}

/** The outcome of an item's decision rules over a case: approved without a person or not. */
export function evaluateDecision(
  decision: Decision,
  ctx: DecisionContext,
): { approve: boolean; checks: CheckOutcome[] } {
  const checks = (decision.checks ?? []).map((c) => evaluateCheck(c, ctx));
  return { approve: decision.automatic && checks.every((c) => c.passed), checks };
}

/** Characters of the serial of a newly assigned organisation code (GB 32100 set, no I O S V Z). */
const SERIAL_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/**
 * A new unified social credit code for an enterprise registered in a region (GB 32100): registered
 * by market regulation (9), an enterprise (1), the region's six digits, a new organisation code
 * (`MA` and six random characters, with its GB 11714 check character) and the check character.
 */
export function newEnterpriseUscc(regionCode: string, random = randomInt): string {
  const region = regionCode.padEnd(6, '0').slice(0, 6);
  let body = 'MA';
  for (let i = 0; i < 6; i++) body += SERIAL_CHARS.charAt(random(SERIAL_CHARS.length));
  const organisation = body + organisationCodeCheckChar(body);
  const first17 = `91${region}${organisation}`;
  return first17 + usccCheckChar(first17);
}
