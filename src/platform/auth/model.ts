import type { Text } from '../i18n';

/** The roles of DESIGN.md, in the order the README lists them. */
export const ROLES = [
  'citizen',
  'enterprise',
  'clerk',
  'reviewer',
  'operator',
  'handler',
  'inspector',
  'supervisor',
  'admin',
] as const;

/** One role code. */
export type Role = (typeof ROLES)[number];

/** Roles that act for a subject (a person or an enterprise) rather than for a department. */
export const SUBJECT_ROLES = ['citizen', 'enterprise'] as const satisfies readonly Role[];

/** Staff roles: each staff account belongs to a department. */
export const STAFF_ROLES = [
  'clerk',
  'reviewer',
  'operator',
  'handler',
  'inspector',
  'supervisor',
  'admin',
] as const satisfies readonly Role[];

/** Role names shown to people. */
export const ROLE_LABELS: Record<Role, Text> = {
  citizen: { zh: '自然人', en: 'Citizen' },
  enterprise: { zh: '企业', en: 'Enterprise' },
  clerk: { zh: '综合窗口', en: 'Window clerk' },
  reviewer: { zh: '部门审批', en: 'Department reviewer' },
  operator: { zh: '12345话务员', en: 'Hotline operator' },
  handler: { zh: '承办单位', en: 'Handling unit' },
  inspector: { zh: '执法检查', en: 'Inspector' },
  supervisor: { zh: '效能督办', en: 'Supervisor' },
  admin: { zh: '系统管理', en: 'Administrator' },
};

/** Whether a string is a role code. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Whether a role is bound to a subject instead of a department. */
export function isSubjectRole(role: Role): boolean {
  return (SUBJECT_ROLES as readonly Role[]).includes(role);
}

/** Whether accounts of a role use a second authentication factor: staff and administrators. */
export function takesSecondFactor(role: Role): boolean {
  return !isSubjectRole(role);
}

/**
 * What a session is good for under the second-factor policy (ONETHING_SECOND_FACTOR):
 * `full` — everything its role allows; `enrol-only` — a staff account without a second factor
 * under `required` may only enrol one; `ended` — under `required`, a staff session that was not
 * opened with the account's enrolled factor (opened before it was enrolled or required) is over.
 */
export function sessionStanding(
  policy: 'optional' | 'required',
  role: Role,
  session: { secondFactor: boolean },
  enrolled: boolean,
): 'full' | 'enrol-only' | 'ended' {
  if (policy !== 'required' || !takesSecondFactor(role) || session.secondFactor) return 'full';
  return enrolled ? 'ended' : 'enrol-only';
}

/** The signed-in caller as every use case sees it. */
export interface Actor {
  userId: string;
  username: string;
  role: Role;
  regionCode: string;
  departmentId: string | null;
  subjectId: string | null;
  /**
   * Set while a citizen acts for an enterprise they represent (法人办事): `role` is then
   * `enterprise` and `subjectId` the enterprise; this names the person behind it.
   */
  actingFor?: { personSubjectId: string };
  /**
   * Set while a staff session may only enrol a second factor (ONETHING_SECOND_FACTOR=required
   * and none enrolled yet): every route not marked `secondFactorSetup` refuses it.
   */
  secondFactorSetupOnly?: true;
  /**
   * Set while the account must replace a temporary password (set by an administrator): every
   * route not marked `passwordChange` refuses it. It comes before second-factor enrolment.
   */
  passwordChangeOnly?: true;
}

/** What a route marks it serves to a session that is held back (see `heldBack`). */
export interface RouteStanding {
  /** The route serves a session that may only enrol a second factor. */
  secondFactorSetup?: boolean;
  /** The route serves a session that may only change its password. */
  passwordChange?: boolean;
}

/**
 * Why a session may not call a route, or null when it may: a session that must change its
 * password may only do that (first), one that must enrol a second factor may only enrol one.
 */
export function heldBack(
  actor: Pick<Actor, 'secondFactorSetupOnly' | 'passwordChangeOnly'>,
  route: RouteStanding,
): 'password-change' | 'second-factor' | null {
  if (actor.passwordChangeOnly) return route.passwordChange ? null : 'password-change';
  if (actor.secondFactorSetupOnly) return route.secondFactorSetup ? null : 'second-factor';
  return null;
}

/** Whether a role is a staff role (bound to a department). */
export function isStaffRole(role: string): role is (typeof STAFF_ROLES)[number] {
  return (STAFF_ROLES as readonly string[]).includes(role);
}

/** An account as the administrator guards see it. */
export interface AccountChange {
  /** The account being changed. */
  userId: string;
  role: Role;
  disabled: boolean;
  /** Its role and disabled flag after the change. */
  nextRole: Role;
  nextDisabled: boolean;
}

/**
 * Why an administrator may not make a change to an account, or null when they may: no one
 * disables or demotes their own account (they would lock themselves out mid-task), and no change
 * leaves the platform without an enabled administrator. `otherEnabledAdmins` counts the enabled
 * administrators besides the account changed.
 */
export function adminGuard(
  actorId: string,
  change: AccountChange,
  otherEnabledAdmins: number,
): 'self' | 'last-admin' | null {
  const losesAdmin =
    change.role === 'admin' &&
    !change.disabled &&
    (change.nextRole !== 'admin' || change.nextDisabled);
  if (!losesAdmin && !(change.nextDisabled && !change.disabled)) return null;
  if (change.userId === actorId) return 'self';
  if (losesAdmin && otherEnabledAdmins === 0) return 'last-admin';
  return null;
}

/** An account's standing in the administrator's list. */
export type AccountStatus = 'active' | 'disabled' | 'locked';

/** Whether an account is disabled, locked after failed sign-ins, or active. */
export function accountStatus(
  account: { disabled: boolean; lockedUntil: Date | null },
  now: Date,
): AccountStatus {
  if (account.disabled) return 'disabled';
  if (account.lockedUntil && account.lockedUntil > now) return 'locked';
  return 'active';
}

/**
 * On whose data a route works, as it promises in its declaration:
 * `none` — no personal or departmental data (public reference data, a calculation);
 * `own` — only the caller's own account, session or subject;
 * `department` — the caller's department; `region` — the caller's region and the regions below it;
 * `all` — every record (administrators).
 */
export type Scope = 'none' | 'own' | 'department' | 'region' | 'all';

/** Who may call a route: everyone (`public`), any signed-in role, or the roles listed. */
export interface RouteAccess {
  roles: 'public' | 'signed-in' | readonly Role[];
  scope: Scope;
}

/** The answer of the coarse route check: let through, or refuse as 401 or 403. */
export type AccessDecision = 'allow' | 'unauthenticated' | 'forbidden';

/** Decides whether a caller (null when anonymous) may call a route with this declaration. */
export function decideAccess(access: RouteAccess, actor: Actor | null): AccessDecision {
  if (access.roles === 'public') return 'allow';
  if (!actor) return 'unauthenticated';
  if (access.roles === 'signed-in') return 'allow';
  return access.roles.includes(actor.role) ? 'allow' : 'forbidden';
}

/** The roles a declaration admits, spelled out (for the API docs and the access matrix test). */
export function admittedRoles(access: RouteAccess): readonly Role[] {
  if (access.roles === 'public' || access.roles === 'signed-in') return ROLES;
  return access.roles;
}
