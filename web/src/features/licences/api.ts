import type { Lang, Text } from '../../shell/i18n';
import { apiRequest } from '../platform/api';
import type { HolderKind, LicenceStatus } from '../../../../src/licences/codes';

export type { HolderKind, LicenceStatus };

/** One field of a licence with its value. */
export interface LicenceFieldValue {
  key: string;
  label: Text;
  type: string;
  value: string | number | null;
}

/** A licence as its holder sees it (`GET /api/licences/mine`, `GET /api/licences/{id}`). */
export interface Licence {
  id: string;
  identifier: string;
  type: { code: string; name: Text };
  holder: { kind: HolderKind; identifier: string; name: string };
  fields: LicenceFieldValue[];
  issuer: { code: string; name: Text };
  issuedAt: string;
  validFrom: string;
  validUntil: string | null;
  status: LicenceStatus;
  statusLabel: Text;
  statusReason: string | null;
}

/** What public verification tells anyone (`GET /api/licences/verify/{identifier}`). */
export interface Verification {
  identifier: string;
  valid: boolean;
  type: { code: string; name: Text };
  holder: { kind: HolderKind; name: string };
  issuer: { code: string; name: Text };
  issuedAt: string;
  validFrom: string;
  validUntil: string | null;
  status: LicenceStatus;
  statusLabel: Text;
  signature: { valid: boolean; algorithm: string; keyId: string; reason: Text | null };
  problems: { code: string; message: Text }[];
}

/** Whether a share can still be opened. */
export type ShareState = 'active' | 'expired' | 'revoked';

/** A share of a licence as its holder sees it. */
export interface ShareSummary {
  id: string;
  fields: string[];
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  state: ShareState;
  viewCount: number;
  lastViewedAt: string | null;
}

/** A share just made: the token, its link and QR code (shown once). */
export interface CreatedShare extends ShareSummary {
  token: string;
  url: string;
  absoluteUrl: string;
  qrSvg: string;
}

/** What a shown licence's page displays. */
export interface SharedLicence {
  verification: Verification;
  fields: LicenceFieldValue[];
  sharedAt: string;
  expiresAt: string;
}

/** `GET /api/licences/mine`: the caller's licences. */
export async function fetchMyLicences(lang: Lang, signal?: AbortSignal): Promise<Licence[]> {
  const reply = await apiRequest<{ items: Licence[] }>('/api/licences/mine', { lang, signal });
  return reply.items;
}

/** `GET /api/licences/{id}/shares`: a licence's shares. */
export async function fetchShares(
  id: string,
  lang: Lang,
  signal?: AbortSignal,
): Promise<ShareSummary[]> {
  const reply = await apiRequest<{ items: ShareSummary[] }>(
    `/api/licences/${encodeURIComponent(id)}/shares`,
    { lang, signal },
  );
  return reply.items;
}

/** `POST /api/licences/{id}/shares`: shows a licence with chosen fields for some minutes. */
export function createShare(
  id: string,
  body: { fields: string[]; minutes: number },
  lang: Lang,
): Promise<CreatedShare> {
  return apiRequest<CreatedShare>(`/api/licences/${encodeURIComponent(id)}/shares`, {
    method: 'POST',
    body,
    lang,
  });
}

/** `DELETE /api/licences/{id}/shares/{shareId}`: withdraws a share. */
export function revokeShare(id: string, shareId: string, lang: Lang): Promise<ShareSummary> {
  return apiRequest<ShareSummary>(
    `/api/licences/${encodeURIComponent(id)}/shares/${encodeURIComponent(shareId)}`,
    { method: 'DELETE', lang },
  );
}

/** `GET /api/licences/verify/{identifier}`: public verification. */
export function verifyLicence(
  identifier: string,
  lang: Lang,
  signal?: AbortSignal,
): Promise<Verification> {
  return apiRequest<Verification>(`/api/licences/verify/${encodeURIComponent(identifier)}`, {
    lang,
    signal,
  });
}

/** `GET /api/public/licence-shares/{token}`: a shown licence. */
export function openShare(token: string, lang: Lang, signal?: AbortSignal): Promise<SharedLicence> {
  return apiRequest<SharedLicence>(`/api/public/licence-shares/${encodeURIComponent(token)}`, {
    lang,
    signal,
  });
}

/** What a use of a licence or data was: attached at submission, or opened by staff handling it. */
export type UseAction = 'attached' | 'viewed';

/** One use of the holder's licences or data in place of a paper (用证记录). */
export interface LicenceUse {
  id: string;
  action: UseAction;
  source: {
    kind: 'licence' | 'shared-data' | 'item-result' | string;
    name: string;
    licenceId: string | null;
    identifier: string | null;
  };
  application: { id: string; number: string };
  material: { key: string; name: Text };
  actor: { name: string; role: string | null; department: Text | null };
  purpose: Text;
  at: string;
}

/** A page of the use log. */
export interface LicenceUsePage {
  items: LicenceUse[];
  total: number;
}

/** `GET /api/licences/mine/uses`: who used the caller's licences and data, newest first. */
export function fetchLicenceUses(
  query: { licence?: string; limit: number; offset: number },
  lang: Lang,
  signal?: AbortSignal,
): Promise<LicenceUsePage> {
  const params = new URLSearchParams({ limit: String(query.limit), offset: String(query.offset) });
  if (query.licence) params.set('licence', query.licence);
  return apiRequest<LicenceUsePage>(`/api/licences/mine/uses?${params.toString()}`, {
    lang,
    signal,
  });
}
