import type { Lang, Text } from '../../shell/i18n';
import { apiRequest, type Role } from './api';

/** An account as the administrator's list shows it (`GET /api/users`). */
export interface Account {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  regionName: Text;
  department: { id: string; name: Text } | null;
  /** Citizen and enterprise accounts: their subject, a resident ID masked. */
  subject: { id: string; kind: 'person' | 'enterprise'; name: string; identifier: string } | null;
  status: AccountStatus;
  disabled: boolean;
  lockedUntil: string | null;
  secondFactorEnrolled: boolean;
  passwordChangeRequired: boolean;
  createdAt: string;
  lastSignedInAt: string | null;
}

/** Whether an account may sign in, is locked after failed sign-ins, or is disabled. */
export type AccountStatus = 'active' | 'disabled' | 'locked';

/** What the list is filtered by. */
export interface AccountFilter {
  q?: string;
  role?: Role;
  departmentId?: string;
  regionCode?: string;
  status?: AccountStatus;
  limit: number;
  offset: number;
}

/** An account with the temporary password it was just given (shown once). */
export interface WithTemporaryPassword {
  user: Account;
  temporaryPassword: string;
}

/** `GET /api/users`: a page of accounts and how many match. */
export function listAccounts(
  filter: AccountFilter,
  lang: Lang,
  signal?: AbortSignal,
): Promise<{ items: Account[]; total: number }> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  return apiRequest(`/api/users?${params.toString()}`, { lang, signal });
}

/** `POST /api/users`: a new staff account and its temporary password. */
export function createAccount(
  input: {
    username: string;
    displayName: string;
    role: Role;
    departmentId: string;
    regionCode?: string;
  },
  lang: Lang,
): Promise<WithTemporaryPassword> {
  return apiRequest('/api/users', { method: 'POST', body: input, lang });
}

/** `PATCH /api/users/{id}`: the account as it is afterwards. */
export async function updateAccount(
  id: string,
  change: {
    displayName?: string;
    role?: Role;
    departmentId?: string;
    regionCode?: string;
    disabled?: boolean;
  },
  lang: Lang,
): Promise<Account> {
  const reply = await apiRequest<{ user: Account }>(`/api/users/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: change,
    lang,
  });
  return reply.user;
}

/** `POST /api/users/{id}/unlock`. */
export async function unlockAccount(id: string, lang: Lang): Promise<Account> {
  const reply = await apiRequest<{ user: Account }>(`/api/users/${encodeURIComponent(id)}/unlock`, {
    method: 'POST',
    lang,
  });
  return reply.user;
}

/** `POST /api/users/{id}/password-reset`: a new temporary password. */
export function resetAccountPassword(id: string, lang: Lang): Promise<WithTemporaryPassword> {
  return apiRequest(`/api/users/${encodeURIComponent(id)}/password-reset`, {
    method: 'POST',
    lang,
  });
}

/** `DELETE /api/users/{id}/second-factor`: the account enrols again at its next sign-in. */
export async function resetAccountSecondFactor(id: string, lang: Lang): Promise<void> {
  await apiRequest<void>(`/api/users/${encodeURIComponent(id)}/second-factor`, {
    method: 'DELETE',
    lang,
  });
}

/** `PUT /api/me/password`: changes the caller's own password (the session gets a new cookie). */
export async function changeOwnPassword(
  input: { currentPassword: string; newPassword: string },
  lang: Lang,
): Promise<void> {
  await apiRequest<void>('/api/me/password', { method: 'PUT', body: input, lang });
}

/** A department as the account forms offer it (`GET /api/departments`). */
export interface DepartmentChoice {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  regionCode: string;
}

/** A region as the account forms offer it (`GET /api/regions`). */
export interface RegionChoice {
  code: string;
  nameZh: string;
  nameEn: string;
  parentCode: string | null;
}

/** The departments and regions the account forms choose from. */
export async function fetchOrganisation(
  lang: Lang,
  signal?: AbortSignal,
): Promise<{ departments: DepartmentChoice[]; regions: RegionChoice[] }> {
  const [d, r] = await Promise.all([
    apiRequest<{ departments: DepartmentChoice[] }>('/api/departments', { lang, signal }),
    apiRequest<{ regions: RegionChoice[] }>('/api/regions', { lang, signal }),
  ]);
  return { departments: d.departments, regions: r.regions };
}
