import type { Lang, Text } from '../../shell/i18n';
import { localeOf, translate } from '../../shell/i18n';

// The role list is the server's own (one source for both sides of the wire).
import { ROLES, type Role } from '../../../../src/platform/auth/model';

export { type Role };

/** The roles of OneThing, by code name (DESIGN.md, "Who uses it"). */
export const roles = ROLES;

/** The signed-in user, as `GET /api/me` and `POST /api/session` return it. */
export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  regionName: Text;
  departmentId: string | null;
  departmentName: Text | null;
  /** The natural person or enterprise the account acts for now (the enterprise while acting). */
  subjectId?: string | null;
  /** The enterprise a citizen acts for as its legal representative (法人办事); null: themselves. */
  acting?: ActingSubject | null;
  /**
   * The session may only enrol a second factor until one is enrolled (staff accounts when the
   * platform requires two-factor authentication).
   */
  secondFactorSetupRequired?: boolean;
  /**
   * The account signed in with a temporary password (set by an administrator) and may only
   * change it until it does; this comes before enrolling a second factor.
   */
  passwordChangeRequired?: boolean;
}

/** The subject a session acts for instead of the user's own. */
export interface ActingSubject {
  subjectId: string;
  name: string;
  kind: 'person' | 'enterprise';
}

/** One subject the signed-in user can act as (办事主体), as `GET /api/me/subjects` lists it. */
export interface ActableSubject {
  subjectId: string;
  kind: 'person' | 'enterprise';
  name: string;
  /** Masked for persons. */
  identifier: string;
  /** Whether the session acts as this subject now. */
  current: boolean;
}

/** Where a user works or lives: region, then department when there is one. */
export function organisationOf(user: Me): Text {
  const line = (lang: Lang) =>
    [user.regionName[lang], user.departmentName?.[lang]].filter(Boolean).join(' · ');
  return { zh: line('zh'), en: line('en') };
}

/** One field's problem in an error response. */
export interface ErrorDetail {
  /** Where in the request the problem is, e.g. `username` or `/body/username`. */
  path: string;
  rule: string;
  message: string;
}

/** The one error shape every API response uses on failure. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    details?: ErrorDetail[];
    requestId?: string;
  };
}

/** A failed API call: the server's code and message (already in the UI language), or a local one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The message for one request field, if the server named it in `details`. */
  fieldMessage(field: string): string | undefined {
    return this.details.find((detail) => fieldOfPath(detail.path) === field)?.message;
  }
}

/** Reduces a detail path (`username`, `/username`, `body.username`, `/body/username`) to its field. */
export function fieldOfPath(path: string): string {
  const parts = path.split(/[./]/).filter((part) => part.length > 0);
  if (parts[0] === 'body') parts.shift();
  return parts.join('.');
}

const localErrors = {
  network: {
    zh: '无法连接到服务器，请检查网络后重试。',
    en: 'Cannot reach the server. Check the connection and try again.',
  },
  unexpected: {
    zh: '服务器返回了无法识别的响应（HTTP {status}），请稍后重试。',
    en: 'The server sent a response that could not be read (HTTP {status}). Please try again later.',
  },
} satisfies Record<string, Text>;

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/** Options of one API request. */
export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A JSON value, or FormData sent as multipart as it is. */
  body?: unknown;
  /** The UI language, sent as `Accept-Language` so error messages come back in it. */
  lang: Lang;
  signal?: AbortSignal;
  /** Extra headers, e.g. `Idempotency-Key`. */
  headers?: Record<string, string>;
}

/** Calls the OneThing API; resolves with the JSON reply (undefined for 204) or throws ApiError. */
export async function apiRequest<T>(path: string, options: RequestOptions): Promise<T> {
  const { method = 'GET', body, lang, signal } = options;
  const multipart = body instanceof FormData;
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': localeOf(lang),
    ...options.headers,
  };
  if (body !== undefined && !multipart) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : multipart ? body : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError(0, 'client.network', translate(lang, localErrors.network));
  }

  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => undefined);
  if (response.ok && payload !== undefined) return payload as T;
  if (isErrorBody(payload)) {
    const { code, message, details, requestId } = payload.error;
    throw new ApiError(response.status, code, message, details ?? [], requestId);
  }
  throw new ApiError(
    response.status,
    'client.unexpected_response',
    translate(lang, localErrors.unexpected, { status: response.status }),
  );
}

/** `GET /api/me`: the signed-in user, or null when nobody is signed in (401). */
export async function fetchMe(lang: Lang, signal?: AbortSignal): Promise<Me | null> {
  try {
    const reply = await apiRequest<{ user: Me }>('/api/me', { lang, signal });
    return reply.user;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** `POST /api/session`: signs in; the server sets an HTTP-only session cookie. */
export async function createSession(
  credentials: { username: string; password: string },
  lang: Lang,
): Promise<Me> {
  const reply = await apiRequest<{ user: Me }>('/api/session', {
    method: 'POST',
    body: credentials,
    lang,
  });
  return reply.user;
}

/** The answer that completes a sign-in after the password: a TOTP code or one recovery code. */
export type SecondFactorAnswer = { code: string } | { recoveryCode: string };

/** What an authenticator code looks like as typed: 6 digits, a space allowed between them. */
export const TOTP_CODE_TYPED = /^\s*\d(\s?\d){5}\s*$/;

/** The error code of a right password on an account that needs its second factor. */
export const SECOND_FACTOR_REQUIRED = 'auth.second_factor_required';

/** `POST /api/session/second-factor`: finishes a sign-in with the authenticator code. */
export async function completeSecondFactor(answer: SecondFactorAnswer, lang: Lang): Promise<Me> {
  const reply = await apiRequest<{ user: Me }>('/api/session/second-factor', {
    method: 'POST',
    body: answer,
    lang,
  });
  return reply.user;
}

/** Where the caller's second factor stands (`GET /api/me/second-factor`). */
export interface SecondFactorStatus {
  enrolled: boolean;
  pending: boolean;
  confirmedAt: string | null;
  recoveryCodesLeft: number;
  policy: 'optional' | 'required';
}

/** `GET /api/me/second-factor`. */
export function fetchSecondFactor(lang: Lang, signal?: AbortSignal): Promise<SecondFactorStatus> {
  return apiRequest<SecondFactorStatus>('/api/me/second-factor', { lang, signal });
}

/** `POST /api/me/second-factor`: a new secret and its otpauth URI, shown once. */
export function startSecondFactorEnrolment(lang: Lang): Promise<{ secret: string; uri: string }> {
  return apiRequest<{ secret: string; uri: string }>('/api/me/second-factor', {
    method: 'POST',
    lang,
  });
}

/** `POST /api/me/second-factor/confirmation`: confirms with a code; recovery codes shown once. */
export function confirmSecondFactorEnrolment(
  code: string,
  lang: Lang,
): Promise<{ recoveryCodes: string[]; user: Me }> {
  return apiRequest<{ recoveryCodes: string[]; user: Me }>('/api/me/second-factor/confirmation', {
    method: 'POST',
    body: { code },
    lang,
  });
}

/** `POST /api/me/second-factor/recovery-codes`: new recovery codes for a current code, shown once. */
export async function renewRecoveryCodes(code: string, lang: Lang): Promise<string[]> {
  const reply = await apiRequest<{ recoveryCodes: string[] }>(
    '/api/me/second-factor/recovery-codes',
    { method: 'POST', body: { code }, lang },
  );
  return reply.recoveryCodes;
}

/** `DELETE /api/session`: signs out and clears the session cookie. */
export async function deleteSession(lang: Lang): Promise<void> {
  await apiRequest<void>('/api/session', { method: 'DELETE', lang });
}

/** `GET /api/me/subjects`: the signed-in user themselves first, then the enterprises they represent. */
export async function fetchActableSubjects(
  lang: Lang,
  signal?: AbortSignal,
): Promise<ActableSubject[]> {
  const reply = await apiRequest<{ subjects: ActableSubject[] }>('/api/me/subjects', {
    lang,
    signal,
  });
  return reply.subjects;
}

/**
 * `PUT /api/session/subject`: act for an enterprise one represents, or as oneself (null);
 * resolves with the user as they are afterwards.
 */
export async function switchSessionSubject(subjectId: string | null, lang: Lang): Promise<Me> {
  const reply = await apiRequest<{ user: Me }>('/api/session/subject', {
    method: 'PUT',
    body: { subjectId },
    lang,
  });
  return reply.user;
}

/** One in-app message (站内消息), as `GET /api/messages` returns it. */
export interface InboxMessage {
  id: string;
  kind: string;
  title: Text;
  body: Text;
  /** A path inside the app the message leads to. */
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

/** A page of the signed-in user's messages. */
export interface InboxPage {
  messages: InboxMessage[];
  total: number;
  unread: number;
}

/** `GET /api/messages`: the signed-in user's messages, newest first. */
export function fetchMessages(
  query: { unread?: boolean; limit?: number; offset?: number },
  lang: Lang,
  signal?: AbortSignal,
): Promise<InboxPage> {
  const params = new URLSearchParams();
  if (query.unread) params.set('unread', 'true');
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  if (query.offset !== undefined) params.set('offset', String(query.offset));
  const search = params.toString();
  return apiRequest<InboxPage>(`/api/messages${search ? `?${search}` : ''}`, { lang, signal });
}

/** `GET /api/messages/unread-count`. */
export async function fetchUnreadCount(lang: Lang, signal?: AbortSignal): Promise<number> {
  const reply = await apiRequest<{ unread: number }>('/api/messages/unread-count', {
    lang,
    signal,
  });
  return reply.unread;
}

/** `POST /api/messages/{id}/read`. */
export function markMessageRead(id: string, lang: Lang): Promise<InboxMessage> {
  return apiRequest<InboxMessage>(`/api/messages/${encodeURIComponent(id)}/read`, {
    method: 'POST',
    lang,
  });
}

/** `POST /api/messages/read-all`: returns how many messages it marked. */
export async function markAllMessagesRead(lang: Lang): Promise<number> {
  const reply = await apiRequest<{ marked: number }>('/api/messages/read-all', {
    method: 'POST',
    lang,
  });
  return reply.marked;
}
