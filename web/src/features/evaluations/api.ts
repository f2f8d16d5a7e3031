import type { Lang, Text } from '../../shell/i18n';
import { apiRequest } from '../platform/api';
import type {
  Channel,
  Level,
  RectificationAction,
  RectificationState,
  ServiceKind,
} from '../../../../src/evaluations/codes';

export type { Channel, Level, RectificationAction, RectificationState, ServiceKind };

/** A reason tag as the server names it. */
export interface TagView {
  key: string;
  label: Text;
}

/** A department as a rating or rectification names it. */
export interface DepartmentRef {
  code: string;
  name: Text;
}

/** The rectification of a bad rating, as the rater sees it. */
export interface RaterRectification {
  id: string;
  state: RectificationState;
  stateLabel: Text;
  answer: string | null;
  answeredAt: string | null;
  answerSatisfied: boolean | null;
  canVerdict: boolean;
}

/** A rating given (`RatingView`). */
export interface RatingView {
  id: string;
  serviceId: string;
  level: Level;
  levelLabel: Text;
  tags: TagView[];
  comment: string | null;
  channel: Channel;
  channelLabel: Text;
  ratedAt: string;
  flagged: boolean;
  rectification: RaterRectification | null;
}

/** A service given to the caller that may be rated (`ServiceView`). */
export interface ServiceView {
  id: string;
  kind: ServiceKind;
  kindLabel: Text;
  targetId: string;
  title: Text;
  number: string | null;
  department: DepartmentRef;
  completedAt: string;
  rateUntil: string;
  canRate: boolean;
  rating: RatingView | null;
  link: string | null;
}

/** A page of services (`GET /api/evaluations/mine`). */
export interface ServicePage {
  items: ServiceView[];
  total: number;
}

/** What the caller sends to rate. */
export interface RatingInput {
  level: Level;
  tags: string[];
  comment?: string;
}

/** `GET /api/evaluations/mine`: the services given to the caller, newest first. */
export function fetchMyServices(
  query: { limit?: number; offset?: number },
  lang: Lang,
  signal?: AbortSignal,
): Promise<ServicePage> {
  const params = new URLSearchParams();
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  if (query.offset !== undefined) params.set('offset', String(query.offset));
  const search = params.toString();
  return apiRequest<ServicePage>(`/api/evaluations/mine${search ? `?${search}` : ''}`, {
    lang,
    signal,
  });
}

/** `GET /api/evaluations/services?number=`: the services of an application or ticket. */
export async function fetchServicesOf(
  number: string,
  lang: Lang,
  signal?: AbortSignal,
): Promise<ServiceView[]> {
  const reply = await apiRequest<{ items: ServiceView[] }>(
    `/api/evaluations/services?number=${encodeURIComponent(number)}`,
    { lang, signal },
  );
  return reply.items;
}

/** `POST /api/ratings`: rates one service. */
export function rateService(
  serviceId: string,
  input: RatingInput,
  lang: Lang,
): Promise<RatingView> {
  return apiRequest<RatingView>('/api/ratings', {
    method: 'POST',
    body: { serviceId, ...input },
    lang,
  });
}

/** `POST /api/ratings/{id}/verdict`: the rater's verdict on the answer to a bad rating. */
export function giveVerdict(
  ratingId: string,
  input: { satisfied: boolean; comment?: string },
  lang: Lang,
): Promise<RatingView> {
  return apiRequest<RatingView>(`/api/ratings/${encodeURIComponent(ratingId)}/verdict`, {
    method: 'POST',
    body: input,
    lang,
  });
}

/** A counter visit just opened by a clerk. */
export interface CreatedVisit {
  id: string;
  token: string;
  path: string;
  expiresAt: string;
}

/** `POST /api/window-visits`: a clerk opens the counter tablet for the person at the window. */
export function openWindowVisit(
  input: { windowCode: string; applicationNumber?: string },
  lang: Lang,
): Promise<CreatedVisit> {
  return apiRequest<CreatedVisit>('/api/window-visits', { method: 'POST', body: input, lang });
}

/** What the counter tablet shows of a visit. */
export interface PublicVisit {
  clerkName: string;
  department: DepartmentRef;
  windowCode: string;
  startedAt: string;
  expiresAt: string;
  rated: boolean;
}

/** `GET /api/public/window-visits/{token}`. */
export function fetchVisit(token: string, lang: Lang, signal?: AbortSignal): Promise<PublicVisit> {
  return apiRequest<PublicVisit>(`/api/public/window-visits/${encodeURIComponent(token)}`, {
    lang,
    signal,
  });
}

/** `POST /api/public/window-visits/{token}/rating`: the rating given on the counter tablet. */
export function rateVisit(
  token: string,
  input: RatingInput,
  lang: Lang,
): Promise<{ level: Level; levelLabel: Text }> {
  return apiRequest<{ level: Level; levelLabel: Text }>(
    `/api/public/window-visits/${encodeURIComponent(token)}/rating`,
    { method: 'POST', body: input, lang },
  );
}

/** A rectification in the queue (`Summary`). */
export interface RectificationSummary {
  id: string;
  state: RectificationState;
  stateLabel: Text;
  dueAt: string;
  /** The due time is provisional (the working-day calendar does not reach it yet). */
  dueProvisional?: boolean;
  overdue: boolean;
  department: DepartmentRef;
  rating: {
    id?: string;
    level: Level;
    levelLabel: Text;
    tags: TagView[];
    comment: string | null;
    channel: Channel;
    channelLabel: Text;
    /** Whether the rater is known (实名): a callback is then required before submitting. */
    realName: boolean;
    flagged?: boolean;
    ratedAt: string;
  };
  service: { kind: ServiceKind; kindLabel: Text; title: Text; number: string | null };
}

/** One step of a rectification. */
export interface RectificationEvent {
  action: string;
  actorName: string | null;
  note: string | null;
  at: string;
}

/** A rectification in full (`GET /api/rectifications/{id}`). */
export interface RectificationDetail extends RectificationSummary {
  explanation: string | null;
  fix: string | null;
  answer: string | null;
  callbackAt: string | null;
  callbackNote: string | null;
  submittedAt: string | null;
  reviewNote: string | null;
  reviewedAt: string | null;
  appealReason: string | null;
  appealNote: string | null;
  answerSatisfied: boolean | null;
  answerComment: string | null;
  onTime: boolean | null;
  closedAt: string | null;
  events: RectificationEvent[];
  actions: RectificationAction[];
}

/** `GET /api/rectifications`. */
export function listRectifications(
  query: { state?: RectificationState; limit?: number; offset?: number },
  lang: Lang,
  signal?: AbortSignal,
): Promise<{ items: RectificationSummary[]; total: number }> {
  const params = new URLSearchParams();
  if (query.state) params.set('state', query.state);
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  if (query.offset !== undefined) params.set('offset', String(query.offset));
  const search = params.toString();
  return apiRequest(`/api/rectifications${search ? `?${search}` : ''}`, { lang, signal });
}

/** `GET /api/rectifications/{id}`. */
export function fetchRectification(
  id: string,
  lang: Lang,
  signal?: AbortSignal,
): Promise<RectificationDetail> {
  return apiRequest<RectificationDetail>(`/api/rectifications/${encodeURIComponent(id)}`, {
    lang,
    signal,
  });
}

/** What each action on a rectification takes. */
export interface RectificationBodies {
  submit: {
    explanation: string;
    fix: string;
    answer: string;
    callback?: { at: string; note: string };
  };
  approve: { note?: string };
  return: { note: string };
  appeal: { reason: string };
  uphold: { note: string };
  reject: { note: string };
}

/** `POST /api/rectifications/{id}/{action}`: replies with the rectification afterwards. */
export function actOnRectification<A extends keyof RectificationBodies>(
  id: string,
  action: A,
  body: RectificationBodies[A],
  lang: Lang,
): Promise<RectificationDetail> {
  return apiRequest<RectificationDetail>(
    `/api/rectifications/${encodeURIComponent(id)}/${action}`,
    { method: 'POST', body, lang },
  );
}
