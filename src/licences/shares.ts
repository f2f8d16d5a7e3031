// Showing a licence (亮证): the holder picks fields and a lifetime, gets a random token as a link and
// a QR code, and whoever opens it sees the licence's verification and those fields only. Only the
// token's hash is stored, so a share cannot be opened from the database; every opening is counted
// so the holder sees how often it was looked at, and the holder can withdraw it at any time.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import { appendAudit } from '../platform/audit';
import type { Actor } from '../platform/auth/model';
import type { RequestMeta } from '../platform/auth/service';
import { toLocalDate } from '../platform/calendar';
import type { Kdb } from '../platform/db/database';
import { AppError, invalidField, notFound } from '../platform/http/errors';
import type { Text } from '../platform/i18n';
import { STATUS_LABELS } from './codes';
import { effectiveStatus, isHolder, type LicenceField } from './model';
import { LicenceService, type Verification } from './service';
import * as store from './store';
import type { LicenceRow, LicenceShareRow } from './store';

const LICENCE: Text = { zh: '电子证照', en: 'e-licence' };

/** Lifetimes a holder may choose, in minutes: a minute to a day; ten when not said. */
export const SHARE_MINUTES = { min: 1, max: 1440, default: 10 } as const;

/** Bytes of randomness in a token: 192 bits, well past guessing. */
const TOKEN_BYTES = 24;

/** Where the web app shows a share. */
export function sharePath(token: string): string {
  return `/licence-shares/${token}`;
}

/** A new random token (base64url, 32 characters). */
export function newShareToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** The stored form of a token: hex SHA-256. */
export function hashShareToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether a share can still be opened at a moment. */
export type ShareState = 'active' | 'expired' | 'revoked';

/** The state of a share at `now`: withdrawn first, then past its expiry. */
export function shareState(
  share: { revokedAt: Date | null; expiresAt: Date },
  now: Date,
): ShareState {
  if (share.revokedAt !== null) return 'revoked';
  return now.getTime() >= share.expiresAt.getTime() ? 'expired' : 'active';
}

/** A share as its holder sees it (the token is shown once, at creation). */
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

/** What creating a share hands the holder: the token, its link and QR code. */
export interface CreatedShare extends ShareSummary {
  token: string;
  /** Path inside the web app. */
  url: string;
  /** The absolute address the QR code holds. */
  absoluteUrl: string;
  qrSvg: string;
}

/** What a third party sees when opening a share: the verification and the chosen fields only. */
export interface SharedLicence {
  verification: Verification;
  fields: { key: string; label: Text; type: string; value: string | number | null }[];
  sharedAt: string;
  expiresAt: string;
}

const SHARE_ERRORS = {
  notFound: new AppError(404, 'licences.share_not_found', {
    zh: '亮证码无效：没有找到这次亮证，请向持证人索取新的二维码',
    en: 'this licence share does not exist; ask the holder for a new QR code',
  }),
  expired: new AppError(404, 'licences.share_expired', {
    zh: '亮证码已过期：持证人出示的有效时间已过，请向持证人索取新的二维码',
    en: 'this licence share has expired; ask the holder for a new QR code',
  }),
  revoked: new AppError(404, 'licences.share_revoked', {
    zh: '亮证码已被持证人撤回，不能再查看',
    en: 'the holder has withdrawn this licence share',
  }),
} as const;

function summary(row: LicenceShareRow, now: Date): ShareSummary {
  return {
    id: row.id,
    fields: row.fields,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    state: shareState(row, now),
    viewCount: row.viewCount,
    lastViewedAt: row.lastViewedAt?.toISOString() ?? null,
  };
}

/** 亮证: shares of a licence for its holder, and their public view. */
export class LicenceShareService {
  readonly #licences: LicenceService;

  constructor(private readonly db: Kdb) {
    this.#licences = new LicenceService(db);
  }

  /**
   * Makes a share of a licence the actor holds, showing `fields` for `minutes`. Anyone but the
   * holder gets 404 (a licence they may not see does not exist for them); only a licence that is
   * valid today may be shown.
   */
  async create(
    actor: Actor,
    licenceId: string,
    input: { fields: string[]; minutes?: number },
    origin: string,
    meta: RequestMeta,
    now: Date = new Date(),
  ): Promise<CreatedShare> {
    const licence = await this.#held(actor, licenceId);
    const type = await store.findLicenceType(this.db, licence.typeCode);
    const known = new Set(((type?.fields ?? []) as LicenceField[]).map((f) => f.key));
    input.fields.forEach((key, index) => {
      if (!known.has(key)) {
        throw invalidField(`body.fields.${index}`, 'licenceField', {
          zh: `证照没有「${key}」这一项`,
          en: `the licence has no field "${key}"`,
        });
      }
    });
    const minutes = input.minutes ?? SHARE_MINUTES.default;
    if (!Number.isInteger(minutes) || minutes < SHARE_MINUTES.min || minutes > SHARE_MINUTES.max) {
      throw invalidField('body.minutes', 'range', {
        zh: `有效时间应为 ${SHARE_MINUTES.min}–${SHARE_MINUTES.max} 分钟`,
        en: `minutes must be between ${SHARE_MINUTES.min} and ${SHARE_MINUTES.max}`,
      });
    }
    const status = effectiveStatus(licence.status, licence.validUntil, toLocalDate(now));
    if (status !== 'valid') {
      throw new AppError(409, 'licences.not_showable', {
        zh: `证照当前状态为「${STATUS_LABELS[status].zh}」，不能亮证`,
        en: `a licence that is ${STATUS_LABELS[status].en} cannot be shown`,
      });
    }
    // Keep the holder's order but drop repeats, so the page shows each field once.
    const fields = [...new Set(input.fields)];
    const token = newShareToken();
    const row = await this.db.transaction().execute(async (trx) => {
      const inserted = await store.insertLicenceShare(trx, {
        id: randomUUID(),
        licenceId: licence.id,
        regionCode: licence.regionCode,
        tokenHash: hashShareToken(token),
        fields: JSON.stringify(fields),
        createdBy: actor.userId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + minutes * 60_000),
        revokedAt: null,
        lastViewedAt: null,
      });
      await appendAudit(trx, {
        at: now,
        actorId: actor.userId,
        actorRole: actor.role,
        action: 'licences.share_created',
        objectType: 'licence_share',
        objectId: inserted.id,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: {
          licenceId: licence.id,
          identifier: licence.identifier,
          fields,
          expiresAt: inserted.expiresAt.toISOString(),
        },
      });
      return inserted;
    });
    const url = sharePath(token);
    const absoluteUrl = new URL(url, origin).toString();
    const qrSvg = await QRCode.toString(absoluteUrl, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
    });
    return { ...summary(row, now), token, url, absoluteUrl, qrSvg };
  }

  /** The shares of a licence the actor holds, newest first, with how often each was opened. */
  async list(actor: Actor, licenceId: string, now: Date = new Date()): Promise<ShareSummary[]> {
    const licence = await this.#held(actor, licenceId);
    const rows = await store.listLicenceShares(this.db, licence.id);
    return rows.map((row) => summary(row, now));
  }

  /** Withdraws a share before it expires (withdrawing it again changes nothing). */
  async revoke(
    actor: Actor,
    licenceId: string,
    shareId: string,
    meta: RequestMeta,
    now: Date = new Date(),
  ): Promise<ShareSummary> {
    const licence = await this.#held(actor, licenceId);
    return this.db.transaction().execute(async (trx) => {
      const share = await store.lockLicenceShare(trx, licence.id, shareId);
      if (!share) throw notFound({ zh: '亮证记录', en: 'licence share' });
      if (share.revokedAt !== null) return summary(share, now);
      await store.revokeLicenceShare(trx, share.id, now);
      await appendAudit(trx, {
        at: now,
        actorId: actor.userId,
        actorRole: actor.role,
        action: 'licences.share_revoked',
        objectType: 'licence_share',
        objectId: share.id,
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { licenceId: licence.id, identifier: licence.identifier },
      });
      return summary({ ...share, revokedAt: now }, now);
    });
  }

  /**
   * Opens a share for anyone holding its token: the licence's verification (its status as of now,
   * so a licence revoked after sharing shows as revoked) and the chosen fields. Counts the view.
   */
  async open(token: string, now: Date = new Date()): Promise<SharedLicence> {
    const share = await store.findLicenceShareByTokenHash(this.db, hashShareToken(token));
    if (!share) throw SHARE_ERRORS.notFound;
    const state = shareState(share, now);
    if (state !== 'active') throw SHARE_ERRORS[state];
    const licence = await store.findLicence(this.db, share.licenceId);
    if (!licence) throw SHARE_ERRORS.notFound;
    await this.db
      .transaction()
      .execute((trx) =>
        store.recordLicenceShareView(trx, share, { id: randomUUID(), viewedAt: now }),
      );
    const [verification, type] = await Promise.all([
      this.#licences.verify(licence.identifier, now),
      store.findLicenceType(this.db, licence.typeCode),
    ]);
    const values = (licence.fields ?? {}) as Record<string, string | number>;
    const declared = new Map(((type?.fields ?? []) as LicenceField[]).map((f) => [f.key, f]));
    return {
      verification,
      fields: share.fields.flatMap((key) => {
        const field = declared.get(key);
        return field
          ? [{ key, label: field.label, type: field.type, value: values[key] ?? null }]
          : [];
      }),
      sharedAt: share.createdAt.toISOString(),
      expiresAt: share.expiresAt.toISOString(),
    };
  }

  /** The licence when the actor's subject holds it; 404 otherwise. */
  async #held(actor: Actor, licenceId: string): Promise<LicenceRow> {
    const [licence, subject] = await Promise.all([
      store.findLicence(this.db, licenceId),
      actor.subjectId ? store.findSubject(this.db, actor.subjectId) : undefined,
    ]);
    if (!licence || !isHolder(subject ?? null, licence)) throw notFound(LICENCE);
    return licence;
  }
}
