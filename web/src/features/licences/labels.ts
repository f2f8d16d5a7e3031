import type { Text } from '../../shell/i18n';
import type { LicenceStatus, ShareState } from './api';
// The status names are the server's own (one source for both sides of the wire).
export { STATUS_LABELS } from '../../../../src/licences/codes';

/** Tag colours of licence statuses: valid green, suspended orange, revoked red. */
export const STATUS_COLORS: Record<LicenceStatus, string> = {
  valid: 'green',
  suspended: 'orange',
  revoked: 'red',
  expired: 'default',
  replaced: 'blue',
};

/** Names and colours of a share's states. */
export const SHARE_STATES: Record<ShareState, { label: Text; color: string }> = {
  active: { label: { zh: '可查看', en: 'open' }, color: 'green' },
  expired: { label: { zh: '已过期', en: 'expired' }, color: 'default' },
  revoked: { label: { zh: '已撤回', en: 'withdrawn' }, color: 'red' },
};

/** Lifetimes offered when showing a licence, in minutes. */
export const SHARE_MINUTES_OPTIONS = [5, 10, 30, 60, 1440] as const;

/** A lifetime in words. */
export function minutesLabel(minutes: number): Text {
  if (minutes >= 60 && minutes % 60 === 0) {
    const hours = minutes / 60;
    return { zh: `${hours} 小时`, en: hours === 1 ? '1 hour' : `${hours} hours` };
  }
  return { zh: `${minutes} 分钟`, en: `${minutes} min` };
}

/** Texts the licence pages share. */
export const licenceText = {
  identifier: { zh: '证照标识', en: 'Identifier' },
  issuer: { zh: '发证机关', en: 'Issued by' },
  holder: { zh: '持证主体', en: 'Holder' },
  issuedAt: { zh: '签发时间', en: 'Issued' },
  validity: { zh: '有效期', en: 'Valid' },
  validRange: { zh: '{from} 至 {until}', en: '{from} to {until}' },
  longTerm: { zh: '长期', en: 'no end date' },
  status: { zh: '状态', en: 'Status' },
  signature: { zh: '签名', en: 'Signature' },
  signatureOk: { zh: '{algorithm} 签名校验通过', en: '{algorithm} signature verified' },
  signatureBad: { zh: '签名校验未通过', en: 'signature check failed' },
  valid: { zh: '核验通过：证照真实有效', en: 'Verified: the licence is genuine and valid' },
  invalid: { zh: '核验未通过', en: 'Verification failed' },
} satisfies Record<string, Text>;
