// Credit (信用) rules apart from SQL: the kinds and severities of credit records, how long each is
// published (公示期) and from when its subject may ask for repair (信用修复), the time a department
// has to decide a repair, and the grade (A/B/C/D) computed from the records still published on a
// day. Every rule carries zh/en labels so that the public page can publish it as it is applied.
//
// Source of the figures: 《失信行为纠正后的信用信息修复管理办法（试行）》(国家发展改革委令第58号,
// 2023), as far as OneThing's authors know it — an administrative penalty for a general dishonest
// act is published at least 3 months and at most 1 year, one for a serious dishonest act at least
// 1 year and at most 3 years; an abnormal-operation listing (经营异常名录) is removed once the
// subject has corrected it, and is kept at most 3 years (《企业信息公示暂行条例》: uncorrected after
// 3 years it moves to the list of serious violations). What the order does not fix is marked as a
// platform choice. The grade's points are a platform choice, published with the rules.
import type { Text } from '../platform/i18n';

export const CREDIT_KINDS = ['penalty', 'abnormal', 'commendation'] as const;
/** 行政处罚 · 经营异常名录 · 表彰奖励 */
export type CreditKind = (typeof CREDIT_KINDS)[number];

export const CREDIT_SEVERITIES = ['minor', 'general', 'serious'] as const;
/** 轻微 · 一般 · 严重 (for a commendation: municipal, provincial, national level). */
export type CreditSeverity = (typeof CREDIT_SEVERITIES)[number];

export const CREDIT_GRADES = ['A', 'B', 'C', 'D'] as const;
/** 信用等级 — the tiers of a draw. */
export type CreditGrade = (typeof CREDIT_GRADES)[number];

export const CREDIT_RECORD_STATES = ['published', 'repaired'] as const;
export type CreditRecordState = (typeof CREDIT_RECORD_STATES)[number];

export const CREDIT_REPAIR_STATES = ['submitted', 'approved', 'rejected'] as const;
export type CreditRepairState = (typeof CREDIT_REPAIR_STATES)[number];

export const KIND_LABELS: Record<CreditKind, Text> = {
  penalty: { zh: '行政处罚', en: 'administrative penalty' },
  abnormal: { zh: '经营异常名录', en: 'abnormal-operation listing' },
  commendation: { zh: '表彰奖励', en: 'commendation' },
};

export const SEVERITY_LABELS: Record<CreditSeverity, Text> = {
  minor: { zh: '轻微', en: 'minor' },
  general: { zh: '一般', en: 'general' },
  serious: { zh: '严重', en: 'serious' },
};

export const RECORD_STATE_LABELS: Record<CreditRecordState, Text> = {
  published: { zh: '公示中', en: 'published' },
  repaired: { zh: '已修复', en: 'repaired' },
};

export const REPAIR_STATE_LABELS: Record<CreditRepairState, Text> = {
  submitted: { zh: '待审核', en: 'awaiting decision' },
  approved: { zh: '已修复', en: 'approved' },
  rejected: { zh: '不予修复', en: 'rejected' },
};

export const GRADE_LABELS: Record<CreditGrade, Text> = {
  A: { zh: 'A 级（守信）', en: 'A (trustworthy)' },
  B: { zh: 'B 级（基本守信）', en: 'B (mostly trustworthy)' },
  C: { zh: 'C 级（失信）', en: 'C (dishonest acts)' },
  D: { zh: 'D 级（严重失信）', en: 'D (serious dishonest acts)' },
};

/**
 * 信用修复决定时限 — working days a department has to decide a repair, counted from submission on
 * the subject's region's calendar. 58号令 gives the credit platform 2 working days to accept and 5
 * to decide a repair of penalty information (as recalled); OneThing accepts at once, so the 5
 * decision days run from submission.
 */
export const CREDIT_REPAIR_DECISION_WORKING_DAYS = 5;

/** How one kind and severity is published and repaired. */
export interface PublicationRule {
  /** 最短公示期 — months before repair may be asked for; 0: as soon as corrected. */
  minMonths: number;
  /** 最长公示期 — months after the decision when publication ends by itself. */
  maxMonths: number;
  repairable: boolean;
  /** Where the figures come from. */
  basis: Text;
}

const ORDER_58: Text = {
  zh: '《失信行为纠正后的信用信息修复管理办法（试行）》（国家发展改革委令第58号）',
  en: 'Measures on Repairing Credit Information after Dishonest Acts Are Corrected (NDRC Order No. 58)',
};
const PLATFORM_CHOICE: Text = { zh: '本平台规则', en: 'platform rule' };
const ABNORMAL_BASIS: Text = {
  zh: '《企业信息公示暂行条例》第十七条：改正后移出经营异常名录，满三年未改正列入严重违法失信名单',
  en: 'Interim Regulations on Enterprise Information Publicity, art. 17: removed once corrected; after 3 years uncorrected, listed as a serious violator',
};

/** 公示期与修复条件 per kind and severity. */
export const PUBLICATION_RULES: Record<CreditKind, Record<CreditSeverity, PublicationRule>> = {
  penalty: {
    // 58号令 does not publish warnings and 通报批评 on 信用中国; OneThing keeps them 3 months on the
    // subject's page and lets them be repaired at once.
    minor: { minMonths: 0, maxMonths: 3, repairable: true, basis: PLATFORM_CHOICE },
    general: { minMonths: 3, maxMonths: 12, repairable: true, basis: ORDER_58 },
    serious: { minMonths: 12, maxMonths: 36, repairable: true, basis: ORDER_58 },
  },
  abnormal: {
    minor: { minMonths: 0, maxMonths: 36, repairable: true, basis: ABNORMAL_BASIS },
    general: { minMonths: 0, maxMonths: 36, repairable: true, basis: ABNORMAL_BASIS },
    serious: { minMonths: 0, maxMonths: 36, repairable: true, basis: ABNORMAL_BASIS },
  },
  // commendations are good news: nothing to repair; shown 3 years (a platform choice)
  commendation: {
    minor: { minMonths: 0, maxMonths: 36, repairable: false, basis: PLATFORM_CHOICE },
    general: { minMonths: 0, maxMonths: 36, repairable: false, basis: PLATFORM_CHOICE },
    serious: { minMonths: 0, maxMonths: 36, repairable: false, basis: PLATFORM_CHOICE },
  },
};

/** Every subject starts with this score; a subject without records has it (grade A). */
export const BASE_SCORE = 100;
/** The score never exceeds this: commendations only offset deductions. */
export const MAX_SCORE = 100;

/** Points per record still published: negative deductions, positive bonuses (platform choice). */
export const SCORE_POINTS: Record<CreditKind, Record<CreditSeverity, number>> = {
  penalty: { minor: -5, general: -15, serious: -45 },
  abnormal: { minor: -5, general: -15, serious: -25 },
  commendation: { minor: 2, general: 5, serious: 10 },
};

/** The lowest score of each grade, best first; below the last one is D. */
export const GRADE_THRESHOLDS: readonly { grade: CreditGrade; minScore: number }[] = [
  { grade: 'A', minScore: 90 },
  { grade: 'B', minScore: 75 },
  { grade: 'C', minScore: 60 },
];

/** The dates a new record gets from the rules. */
export function recordDates(
  kind: CreditKind,
  severity: CreditSeverity,
  decidedOn: string,
): { publishUntil: string; repairableFrom: string } {
  const rule = PUBLICATION_RULES[kind][severity];
  const publishUntil = addMonths(decidedOn, rule.maxMonths);
  return {
    publishUntil,
    // a record that cannot be repaired is never repairable before its publication ends
    repairableFrom: rule.repairable ? addMonths(decidedOn, rule.minMonths) : publishUntil,
  };
}

/**
 * A local date (YYYY-MM-DD) some months later, clamped to the month's last day (01-31 + 1 month
 * is 02-28 or 02-29).
 */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(d, last))}`;
}

/** What the rules need of a record. */
export interface CreditFacts {
  kind: CreditKind;
  severity: CreditSeverity;
  decidedOn: string;
  publishUntil: string;
  state: CreditRecordState;
}

/** Whether a record is in publication on a day: decided by then, not repaired, not yet ended. */
export function publishedOn(record: CreditFacts, day: string): boolean {
  return record.state === 'published' && record.decidedOn <= day && day < record.publishUntil;
}

/** The score and grade of a subject from its records, on a day. */
export function gradeOf(
  records: readonly CreditFacts[],
  day: string,
): { score: number; grade: CreditGrade } {
  let score = BASE_SCORE;
  for (const r of records) if (publishedOn(r, day)) score += SCORE_POINTS[r.kind][r.severity];
  score = Math.max(0, Math.min(MAX_SCORE, score));
  return { score, grade: gradeOfScore(score) };
}

/** The grade of a score. */
export function gradeOfScore(score: number): CreditGrade {
  return GRADE_THRESHOLDS.find((t) => score >= t.minScore)?.grade ?? 'D';
}

/** Why a repair may not be asked for (the rule named in the 422), or null when it may. */
export type RepairRefusal =
  | { rule: 'not_repairable'; message: Text }
  | { rule: 'already_repaired'; message: Text }
  | { rule: 'min_publication'; message: Text }
  | { rule: 'publication_ended'; message: Text };

/** Whether the subject may ask to repair a record on a day, and if not which rule says no. */
export function repairRefusal(
  record: CreditFacts & { repairableFrom: string },
  day: string,
): RepairRefusal | null {
  const rule = PUBLICATION_RULES[record.kind][record.severity];
  const what = `${SEVERITY_LABELS[record.severity].zh}${KIND_LABELS[record.kind].zh}`;
  const whatEn = `a ${SEVERITY_LABELS[record.severity].en} ${KIND_LABELS[record.kind].en}`;
  if (!rule.repairable)
    return {
      rule: 'not_repairable',
      message: { zh: `${what}不属于可修复的失信信息`, en: `${whatEn} is not subject to repair` },
    };
  if (record.state === 'repaired')
    return {
      rule: 'already_repaired',
      message: { zh: '该信用记录已修复', en: 'this credit record has already been repaired' },
    };
  if (day < record.repairableFrom)
    return {
      rule: 'min_publication',
      message: {
        zh: `${what}最短公示期为 ${rule.minMonths} 个月（${rule.basis.zh}），${record.repairableFrom} 起方可申请修复`,
        en: `${whatEn} is published at least ${rule.minMonths} months (${rule.basis.en}); repair may be asked for from ${record.repairableFrom}`,
      },
    };
  if (day >= record.publishUntil)
    return {
      rule: 'publication_ended',
      message: {
        zh: `该记录已于 ${record.publishUntil} 结束公示，无需修复`,
        en: `publication of this record ended on ${record.publishUntil}; there is nothing to repair`,
      },
    };
  return null;
}

const months = (n: number): Text =>
  n === 0
    ? { zh: '纠正后即可', en: 'as soon as corrected' }
    : { zh: `${n} 个月`, en: `${n} months` };

/** The published rules: what a page shows under 信用评价规则 and 信用修复规则. */
export function publishedRules() {
  return {
    grading: {
      baseScore: BASE_SCORE,
      maxScore: MAX_SCORE,
      description: {
        zh: `基础分 ${BASE_SCORE} 分，按公示期内的信用记录加减分，最高 ${MAX_SCORE} 分、最低 0 分；已修复或公示期满的记录不计分。无记录的主体为 A 级。`,
        en: `Every subject starts at ${BASE_SCORE}; records still published add or deduct points, capped at ${MAX_SCORE} and floored at 0; repaired or expired records do not count. A subject without records is grade A.`,
      },
      points: CREDIT_KINDS.flatMap((kind) =>
        CREDIT_SEVERITIES.map((severity) => ({
          kind,
          kindName: KIND_LABELS[kind],
          severity,
          severityName: SEVERITY_LABELS[severity],
          points: SCORE_POINTS[kind][severity],
        })),
      ),
      grades: CREDIT_GRADES.map((grade, i) => {
        const minScore = GRADE_THRESHOLDS[i]?.minScore ?? 0;
        const above = GRADE_THRESHOLDS[i - 1]?.minScore;
        const range = above === undefined ? `≥ ${minScore}` : `${minScore}–${above - 1}`;
        return { grade, name: GRADE_LABELS[grade], minScore, range };
      }),
      basis: PLATFORM_CHOICE,
    },
    repair: {
      decisionWorkingDays: CREDIT_REPAIR_DECISION_WORKING_DAYS,
      description: {
        zh: `失信行为纠正且最短公示期届满后，主体可在线申请信用修复；认定部门在 ${CREDIT_REPAIR_DECISION_WORKING_DAYS} 个工作日内作出决定，同意修复的记录即停止公示、不再计分。同一记录同时只能有一项待审核的申请。`,
        en: `Once the dishonest act is corrected and the shortest publication period has passed, the subject may apply online; the deciding department decides within ${CREDIT_REPAIR_DECISION_WORKING_DAYS} working days. A repaired record is no longer published nor scored. One open application per record at a time.`,
      },
      basis: ORDER_58,
      periods: CREDIT_KINDS.flatMap((kind) =>
        CREDIT_SEVERITIES.map((severity) => {
          const rule = PUBLICATION_RULES[kind][severity];
          return {
            kind,
            kindName: KIND_LABELS[kind],
            severity,
            severityName: SEVERITY_LABELS[severity],
            minMonths: rule.minMonths,
            maxMonths: rule.maxMonths,
            repairable: rule.repairable,
            minPublication: rule.repairable
              ? months(rule.minMonths)
              : { zh: '不适用修复', en: 'not repairable' },
            maxPublication: months(rule.maxMonths),
            basis: rule.basis,
          };
        }),
      ),
    },
  };
}
