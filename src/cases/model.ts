import type { BundleContent, BundleMaterial, Guide } from '../bundles';
import type { Actor, Role } from '../platform/auth/model';
import { AppError, type FieldProblem } from '../platform/http/errors';
import type { Text } from '../platform/i18n';
import type { Waiver } from './waivers';

// The pure rules of applications (申请) and their intake (受理): the state machine, who may do what,
// which materials are still owed, and what a clerk's decision must state. No SQL, no HTTP.

/** Where an application stands. */
export const APPLICATION_STATUSES = {
  draft: { zh: '草稿', en: 'Draft' },
  submitted: { zh: '已提交，待预审', en: 'Submitted, awaiting pre-review' },
  accepted: { zh: '已受理', en: 'Accepted' },
  correction: { zh: '待补正', en: 'Awaiting correction' },
  refused: { zh: '不予受理', en: 'Refused' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
} as const satisfies Record<string, Text>;

/** One application status. */
export type ApplicationStatus = keyof typeof APPLICATION_STATUSES;

/** What can be done to an application; each is allowed in some statuses only. */
export type IntakeAction =
  | 'update'
  | 'upload'
  | 'submit'
  | 'withdraw'
  | 'accept'
  | 'accept-with-deficiency'
  | 'correction'
  | 'refuse';

/** The state machine: the statuses each action may start from and the status it leads to. */
export const TRANSITIONS: Record<
  IntakeAction,
  { from: ApplicationStatus[]; to: ApplicationStatus }
> = {
  update: { from: ['draft', 'correction'], to: 'draft' },
  upload: { from: ['draft', 'correction'], to: 'draft' },
  submit: { from: ['draft', 'correction'], to: 'submitted' },
  withdraw: { from: ['draft', 'submitted', 'correction'], to: 'withdrawn' },
  accept: { from: ['submitted'], to: 'accepted' },
  'accept-with-deficiency': { from: ['submitted'], to: 'accepted' },
  correction: { from: ['submitted'], to: 'correction' },
  refuse: { from: ['submitted'], to: 'refused' },
};

const ACTION_NAMES: Record<IntakeAction, Text> = {
  update: { zh: '修改', en: 'change' },
  upload: { zh: '上传材料', en: 'upload materials to' },
  submit: { zh: '提交', en: 'submit' },
  withdraw: { zh: '撤回', en: 'withdraw' },
  accept: { zh: '受理', en: 'accept' },
  'accept-with-deficiency': { zh: '容缺受理', en: 'accept with deficiency' },
  correction: { zh: '要求补正', en: 'request correction of' },
  refuse: { zh: '不予受理', en: 'refuse' },
};

/** The status an action leads to, or null when it is not allowed from this status. */
export function nextStatus(
  status: ApplicationStatus,
  action: IntakeAction,
): ApplicationStatus | null {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(status)) return null;
  // Editing keeps a correction in correction; only submitting moves it on.
  if ((action === 'update' || action === 'upload') && status === 'correction') return 'correction';
  return rule.to;
}

/** 409 `cases.invalid_state` naming the action and the status it was tried in. */
export function invalidState(status: ApplicationStatus, action: IntakeAction): AppError {
  const state = APPLICATION_STATUSES[status];
  const name = ACTION_NAMES[action];
  return new AppError(409, 'cases.invalid_state', {
    zh: `申请当前状态为「${state.zh}」，不能${name.zh}`,
    en: `the application is ${state.en.toLowerCase()}; you cannot ${name.en} it now`,
  });
}

/** The status an action leads to; 409 when the application's status does not allow it. */
export function checkTransition(
  status: ApplicationStatus,
  action: IntakeAction,
): ApplicationStatus {
  const next = nextStatus(status, action);
  if (!next) throw invalidState(status, action);
  return next;
}

// ---------------------------------------------------------------------------------------------
// Who may do what
// ---------------------------------------------------------------------------------------------

/** What access rules need to know of an application. */
export interface AccessFacts {
  status: ApplicationStatus;
  subjectId: string;
  createdBy: string;
  assistedBy: string | null;
  /** Whether the application's region is the actor's region or one below it. */
  inActorRegion: boolean;
}

/** Roles that apply for their own subject. */
export const APPLICANT_ROLES = ['citizen', 'enterprise'] as const satisfies readonly Role[];

/** Whether the actor applies for their own subject (a citizen or an enterprise). */
export function isApplicant(actor: Actor): boolean {
  return (APPLICANT_ROLES as readonly Role[]).includes(actor.role);
}

/** Whether the actor is the applicant of this application, or the clerk who applied for them. */
export function isOwner(actor: Actor, app: AccessFacts): boolean {
  if (isApplicant(actor)) return actor.subjectId !== null && actor.subjectId === app.subjectId;
  return actor.role === 'clerk' && app.assistedBy === actor.userId;
}

/**
 * Whether the actor may see the application: its applicant or assisting clerk always; clerks and
 * supervisors of its region and administrators once it is submitted (drafts are the applicant's).
 */
export function canRead(actor: Actor, app: AccessFacts): boolean {
  if (isOwner(actor, app)) return true;
  if (app.status === 'draft') return false;
  if (actor.role === 'admin') return true;
  return (actor.role === 'clerk' || actor.role === 'supervisor') && app.inActorRegion;
}

/** Whether the actor may take an intake decision on it: a clerk of its region. */
export function canDecide(actor: Actor, app: AccessFacts): boolean {
  return actor.role === 'clerk' && app.inActorRegion;
}

/** What the actor may do next with the application, for the buttons of the UI. */
export function allowedActions(actor: Actor, app: AccessFacts): IntakeAction[] {
  const owner = isOwner(actor, app);
  const decider = canDecide(actor, app);
  return (Object.keys(TRANSITIONS) as IntakeAction[]).filter((action) => {
    if (!nextStatus(app.status, action)) return false;
    if (['update', 'upload', 'submit', 'withdraw'].includes(action)) return owner;
    return decider;
  });
}

// ---------------------------------------------------------------------------------------------
// Materials and what still blocks submission
// ---------------------------------------------------------------------------------------------

/** An uploaded file as replies show it. */
export interface UploadView {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedAt: string;
}

/** A material of the merged list with what the applicant has provided for it. */
export interface MaterialView {
  key: string;
  name: Text;
  provision: BundleMaterial['provision'];
  /** The guide says it applies to this applicant's situation. */
  required: boolean;
  deficiencyAllowed: boolean;
  pledgeAllowed: boolean;
  /** Replaced by a signed 告知承诺 pledge. */
  pledged: boolean;
  /** Attached from what the government holds (免提交): nothing to upload. */
  waived: Waiver | null;
  uploads: UploadView[];
}

/** Every material of the merged list, marked required where the guide applies it. */
export function materialViews(
  materials: readonly BundleMaterial[],
  guide: Pick<Guide, 'materials'>,
  pledges: readonly string[],
  uploads: readonly (UploadView & { materialKey: string })[],
  waivers: Readonly<Record<string, Waiver>> = {},
): MaterialView[] {
  const applies = new Set(guide.materials.map((m) => m.key));
  return materials.map((m) => ({
    key: m.key,
    name: m.name,
    provision: m.provision,
    required: applies.has(m.key),
    deficiencyAllowed: m.deficiencyAllowed,
    pledgeAllowed: m.pledgeAllowed,
    pledged: m.pledgeAllowed && applies.has(m.key) && pledges.includes(m.key),
    waived: (applies.has(m.key) && waivers[m.key]) || null,
    uploads: uploads.filter((u) => u.materialKey === m.key).map(({ materialKey: _key, ...u }) => u),
  }));
}

/**
 * Required upload materials with no upload, no pledge and no waiver: what the applicant still owes.
 * (Those an earlier member's result provides have provision `result` and are never owed.)
 */
export function outstandingMaterials(materials: readonly MaterialView[]): MaterialView[] {
  return materials.filter(
    (m) =>
      m.required &&
      m.provision === 'upload' &&
      !m.pledged &&
      m.waived === null &&
      m.uploads.length === 0,
  );
}

/**
 * Working days the system gives for materials that may follow (容缺) when it accepts an
 * application by itself (智能受理). The seed bundles state such periods only in words (e.g. the
 * accounting-system filing "within 15 days of the licence"); 15 working days is the common one.
 */
export const AUTO_DEFICIENCY_WORKING_DAYS = 15;

/**
 * Whether a submission is accepted by the system at once: online, a bundle with automatic intake,
 * and nothing missing (materials that may follow are then listed as the deficiency).
 */
export function acceptsAutomatically(
  channel: 'online' | 'window',
  intake: BundleContent['intake'],
  missing: readonly FieldProblem[],
): boolean {
  return channel === 'online' && intake === 'auto' && missing.length === 0;
}

function text(zh: string, en: string): Text {
  return { zh, en };
}

/**
 * What blocks submission: unanswered situation questions, form problems, and required upload
 * materials with neither an upload nor a pledge — except those that may be handed in later (容缺),
 * which a clerk decides on at intake.
 */
export function missingProblems(
  guide: Pick<Guide, 'problems'>,
  formProblems: readonly FieldProblem[],
  materials: readonly MaterialView[],
): FieldProblem[] {
  const problems: FieldProblem[] = [...guide.problems, ...formProblems];
  for (const m of outstandingMaterials(materials)) {
    if (m.deficiencyAllowed) continue;
    problems.push({
      path: `materials.${m.key}`,
      rule: m.pledgeAllowed ? 'upload_or_pledge' : 'upload',
      message: m.pledgeAllowed
        ? text(
            `请上传「${m.name.zh}」或签署告知承诺`,
            `upload "${m.name.en}" or sign a pledge in its place`,
          )
        : text(`请上传「${m.name.zh}」`, `upload "${m.name.en}"`),
    });
  }
  return problems;
}

/** Pledges name materials of the merged list that allow one; problems for the others. */
export function checkPledges(
  materials: readonly BundleMaterial[],
  pledges: readonly string[],
  context = 'body.pledges',
): FieldProblem[] {
  return pledges.flatMap((key, i) => {
    const m = materials.find((x) => x.key === key);
    if (!m) {
      return [
        {
          path: `${context}.${i}`,
          rule: 'exists',
          message: text(`没有材料 ${key}`, `there is no material ${key}`),
        },
      ];
    }
    if (!m.pledgeAllowed) {
      return [
        {
          path: `${context}.${i}`,
          rule: 'pledge_allowed',
          message: text(
            `「${m.name.zh}」不能以告知承诺代替`,
            `"${m.name.en}" cannot be replaced by a pledge`,
          ),
        },
      ];
    }
    return [];
  });
}

// ---------------------------------------------------------------------------------------------
// Intake decisions
// ---------------------------------------------------------------------------------------------

/** 容缺受理: materials that may follow, due by a date. */
export interface Deficiency {
  materials: string[];
  dueDate: string;
  note: string;
}

/** 补正: one notice listing everything to supply or correct. */
export interface Correction {
  requestedAt: string;
  items: { material?: string; field?: string; note: string }[];
  note: string;
}

/** 不予受理: the reason and its legal basis. */
export interface Refusal {
  reason: string;
  legalBasis: string;
}

/**
 * Checks a plain acceptance: every required upload material is provided or pledged (a clerk who
 * lets some follow later accepts with deficiency instead).
 */
export function checkAcceptance(materials: readonly MaterialView[]): FieldProblem[] {
  return outstandingMaterials(materials).map((m) => ({
    path: `materials.${m.key}`,
    rule: 'provided',
    message: m.deficiencyAllowed
      ? text(
          `「${m.name.zh}」尚未提交；如允许后补，请容缺受理`,
          `"${m.name.en}" is not provided; accept with deficiency to let it follow`,
        )
      : text(`「${m.name.zh}」尚未提交`, `"${m.name.en}" is not provided`),
  }));
}

/**
 * Checks a 容缺 acceptance: each listed material applies and allows deficiency, the due date lies
 * after today, and every material still outstanding is listed.
 */
export function checkDeficiency(
  materials: readonly MaterialView[],
  deficiency: { materials: string[]; dueDate: string },
  today: string,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  deficiency.materials.forEach((key, i) => {
    const m = materials.find((x) => x.key === key);
    const path = `body.materials.${i}`;
    if (!m || !m.required) {
      problems.push({
        path,
        rule: 'applies',
        message: text(
          `材料 ${key} 不属于本申请`,
          `material ${key} does not apply to this application`,
        ),
      });
    } else if (!m.deficiencyAllowed) {
      problems.push({
        path,
        rule: 'deficiency_allowed',
        message: text(`「${m.name.zh}」不允许容缺`, `"${m.name.en}" cannot be handed in later`),
      });
    }
  });
  if (!(deficiency.dueDate > today)) {
    problems.push({
      path: 'body.dueDate',
      rule: 'future',
      message: text(
        `补交期限应晚于今天（${today}）`,
        `the due date must be after today (${today})`,
      ),
    });
  }
  for (const m of outstandingMaterials(materials)) {
    if (!deficiency.materials.includes(m.key)) {
      problems.push({
        path: 'body.materials',
        rule: 'covers_outstanding',
        message: m.deficiencyAllowed
          ? text(
              `「${m.name.zh}」尚未提交，应列入容缺材料`,
              `"${m.name.en}" is not provided; list it among the deficient materials`,
            )
          : text(
              `「${m.name.zh}」尚未提交且不允许容缺，请要求补正`,
              `"${m.name.en}" is not provided and cannot follow later; request a correction`,
            ),
      });
    }
  }
  return problems;
}

/** Checks the items of a correction request against the materials and fields of the application. */
export function checkCorrectionItems(
  items: readonly { material?: string; field?: string; note: string }[],
  materials: readonly MaterialView[],
  fields: readonly { key: string }[],
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  items.forEach((item, i) => {
    if (item.material !== undefined && !materials.some((m) => m.key === item.material)) {
      problems.push({
        path: `body.items.${i}.material`,
        rule: 'exists',
        message: text(`没有材料 ${item.material}`, `there is no material ${item.material}`),
      });
    }
    if (item.field !== undefined && !fields.some((f) => f.key === item.field)) {
      problems.push({
        path: `body.items.${i}.field`,
        rule: 'exists',
        message: text(`没有表单项 ${item.field}`, `there is no form field ${item.field}`),
      });
    }
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Prefill (一次填报, 多次复用): what the platform knows of the applicant, onto the merged form
// ---------------------------------------------------------------------------------------------

/** What the platform knows of a subject. */
export interface SubjectFacts {
  kind: 'person' | 'enterprise';
  name: string;
  identifier: string;
  mobile: string | null;
  regionCode: string;
}

/** A fact of the subject that a form field can take. */
export type SubjectFact = 'name' | 'identifier' | 'mobile' | 'regionCode';

type PrefillTable = Partial<Record<SubjectFacts['kind'], Record<string, SubjectFact>>>;

/**
 * Which merged-form fields take which fact of the signed-in subject, bundle by bundle. Explicit, by
 * field key, never guessed from labels: only fields that plainly mean the applicant are listed
 * (the 经办人's mobile, the declarant's ID), not those that mean someone else (the enterprise
 * being opened, a legal representative, a buyer). Bundles not listed use `'*'`.
 */
export const PREFILL_FIELDS: Record<string, PrefillTable> = {
  '*': {
    person: {
      'applicant-name': 'name',
      'applicant-ric': 'identifier',
      'applicant-mobile': 'mobile',
    },
    enterprise: {
      'applicant-name': 'name',
      'applicant-uscc': 'identifier',
      'applicant-mobile': 'mobile',
    },
  },
  'after-death': {
    person: {
      'declarant-name': 'name',
      'declarant-ric': 'identifier',
      'declarant-mobile': 'mobile',
    },
  },
  'base-station-5g': { enterprise: { 'builder-name': 'name', 'builder-uscc': 'identifier' } },
  birth: { person: { 'applicant-ric': 'identifier', 'applicant-mobile': 'mobile' } },
  'business-suspension': { enterprise: { uscc: 'identifier', 'contact-mobile': 'mobile' } },
  'employee-hiring': { enterprise: { uscc: 'identifier' } },
  'enterprise-opening': {
    person: { 'contact-mobile': 'mobile' },
    enterprise: { 'contact-mobile': 'mobile' },
  },
  'restaurant-opening': { enterprise: { 'operator-name': 'name', uscc: 'identifier' } },
  retirement: { person: { name: 'name', ric: 'identifier', mobile: 'mobile' } },
  'utility-connection': {
    person: { 'applicant-name': 'name', ric: 'identifier', mobile: 'mobile' },
    enterprise: { 'applicant-name': 'name', uscc: 'identifier', mobile: 'mobile' },
  },
};

/** Whether a field's type can hold a fact of a subject of this kind. */
function fits(
  field: { type: string; identifierKind?: string },
  fact: SubjectFact,
  kind: SubjectFacts['kind'],
): boolean {
  switch (fact) {
    case 'name':
      return field.type === 'text';
    case 'identifier':
      return (
        field.type === 'identifier' && field.identifierKind === (kind === 'person' ? 'ric' : 'uscc')
      );
    case 'mobile':
      return field.type === 'identifier' && field.identifierKind === 'mobile';
    case 'regionCode':
      return field.type === 'region';
  }
}

/** The merged-form values prefilled from the subject, by the explicit table above. */
export function prefillData(
  bundleCode: string,
  form: readonly { key: string; type: string; identifierKind?: string }[],
  subject: SubjectFacts,
): Record<string, unknown> {
  const table = (PREFILL_FIELDS[bundleCode] ?? PREFILL_FIELDS['*']!)[subject.kind] ?? {};
  const data: Record<string, unknown> = {};
  for (const field of form) {
    const fact = table[field.key];
    if (!fact || !fits(field, fact, subject.kind)) continue;
    const value = subject[fact];
    if (value !== null && value !== '') data[field.key] = value;
  }
  return data;
}

// ---------------------------------------------------------------------------------------------
// Small pure helpers
// ---------------------------------------------------------------------------------------------

/** A client's file name made safe to show: no path, no control characters, at most 120 chars. */
export function displayFilename(raw: string | undefined): string {
  const base = (raw ?? '').normalize('NFC').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f"<>|*?:]/g, '')
    .replace(/^\.+/, '')
    .trim();
  if (!cleaned) return 'file';
  if (cleaned.length <= 120) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return cleaned.slice(0, 120 - ext.length) + ext;
}

/** The prefix of an application number: YJS (一件事) and the local date, e.g. YJS20261122. */
export function applicationNumberPrefix(localDate: string): string {
  return `YJS${localDate.replaceAll('-', '')}`;
}

/** Notice number prefixes: 受理 SL, 补正 BZ, 不予受理 BY, 办结 BJ, then the local date. */
export function noticeNumberPrefix(kind: NoticeKind, localDate: string): string {
  const prefix = { acceptance: 'SL', correction: 'BZ', refusal: 'BY', result: 'BJ' }[kind];
  return `${prefix}${localDate.replaceAll('-', '')}`;
}

/** The kinds of notice: those intake issues, and the result notice of the combined package. */
export type NoticeKind = 'acceptance' | 'correction' | 'refusal' | 'result';

/** The title of a notice. */
export function noticeTitle(kind: NoticeKind, withDeficiency: boolean): Text {
  switch (kind) {
    case 'acceptance':
      return withDeficiency
        ? text('容缺受理通知书', 'Notice of acceptance with materials to follow')
        : text('受理通知书', 'Notice of acceptance');
    case 'correction':
      return text('补正材料通知书', 'Notice to supplement or correct materials');
    case 'refusal':
      return text('不予受理决定书', 'Decision not to accept');
    case 'result':
      return text('办结通知书', 'Notice of completion');
  }
}

/** Labels of the event actions shown on an application's history. */
export const EVENT_LABELS: Record<string, Text> = {
  created: text('创建申请', 'Application created'),
  material_uploaded: text('上传材料', 'Material uploaded'),
  material_removed: text('删除材料', 'Material removed'),
  submitted: text('提交申请', 'Submitted'),
  resubmitted: text('补正后重新提交', 'Resubmitted after correction'),
  accepted: text('受理', 'Accepted'),
  auto_accepted: text('智能受理', 'Accepted automatically'),
  accepted_with_deficiency: text('容缺受理', 'Accepted with materials to follow'),
  correction_requested: text('一次性告知补正', 'Correction requested'),
  clock_stopped: text('暂停计时（补正）', 'Clock stopped (correction)'),
  clock_restarted: text('恢复计时', 'Clock restarted'),
  refused: text('不予受理', 'Refused'),
  withdrawn: text('撤回申请', 'Withdrawn'),
};

/** The working-hours clock of intake is stopped while a correction is outstanding. */
export function clockEvents(from: ApplicationStatus, to: ApplicationStatus): string[] {
  if (to === 'correction') return ['clock_stopped'];
  if (from === 'correction' && to === 'submitted') return ['clock_restarted'];
  return [];
}

/** The content the guide and materials of an application come from. */
export type BundleFacts = Pick<
  BundleContent,
  'code' | 'name' | 'intake' | 'regionCode' | 'leadDepartment' | 'audience' | 'commitment'
> & {
  materials: readonly BundleMaterial[];
};

/** 409 `cases.idempotency_conflict`: a key reused for another request. */
export function idempotencyConflict(): AppError {
  return new AppError(
    409,
    'cases.idempotency_conflict',
    text(
      '该 Idempotency-Key 已用于内容不同的请求，请换一个新的键',
      'this Idempotency-Key was used for a different request; use a new key',
    ),
    [
      {
        path: 'headers.idempotency-key',
        rule: 'idempotency',
        message: text('键已被另一请求使用', 'the key belongs to another request'),
      },
    ],
  );
}
