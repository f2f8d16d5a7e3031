import type { Text } from '../../shell/i18n';
import type { LicenceStatus, ShareState, UseAction } from './api';
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

/** Names and colours of the uses in the use log (用证记录). */
export const USE_ACTIONS: Record<UseAction, { label: Text; color: string }> = {
  attached: { label: { zh: '提交时调用', en: 'Attached at submission' }, color: 'blue' },
  viewed: { label: { zh: '经办人调阅', en: 'Opened by staff' }, color: 'purple' },
};

/** What kind of holding was used. */
export const USE_SOURCE_KINDS: Record<string, Text> = {
  licence: { zh: '电子证照「{name}」', en: 'e-licence "{name}"' },
  'shared-data': { zh: '共享数据「{name}」', en: 'shared data "{name}"' },
  'item-result': { zh: '已办结事项 {name} 的结果', en: 'result of item {name}' },
};

/** Texts of the use log. */
export const useLogText = {
  title: { zh: '用证记录', en: 'Use log' },
  intro: {
    zh: '您的电子证照和数据每一次被调用或调阅，都记录在这里：谁、在哪个部门、为哪件申请的哪份材料、为什么。',
    en: 'Every time your e-licences or data are attached or opened, it is recorded here: who, in which department, for which material of which application, and why.',
  },
  licenceTitle: { zh: '这张证照的用证记录', en: 'Uses of this licence' },
  none: { zh: '还没有用证记录', en: 'No uses yet' },
  at: { zh: '时间', en: 'When' },
  action: { zh: '方式', en: 'How' },
  source: { zh: '证照或数据', en: 'Licence or data' },
  application: { zh: '申请', en: 'Application' },
  material: { zh: '材料', en: 'Material' },
  actor: { zh: '使用人', en: 'By' },
  purpose: { zh: '用途', en: 'Purpose' },
  total: { zh: '共 {count} 条', en: '{count} in all' },
  failed: { zh: '用证记录加载失败：{message}', en: 'Could not load the use log: {message}' },
} satisfies Record<string, Text>;
