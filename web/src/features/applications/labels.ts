import type { Text } from '../../shell/i18n';
import type { ApplicationStatus } from './api';

// The words of applications and intake, zh-CN first.

/** Where an application stands. */
export const statusLabels: Record<ApplicationStatus, Text> = {
  draft: { zh: '草稿', en: 'Draft' },
  submitted: { zh: '已提交，待预审', en: 'Submitted, awaiting pre-review' },
  accepted: { zh: '已受理', en: 'Accepted' },
  correction: { zh: '待补正', en: 'Awaiting correction' },
  refused: { zh: '不予受理', en: 'Refused' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
};

/** Tag colours of the statuses. */
export const statusColors: Record<ApplicationStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  accepted: 'success',
  correction: 'warning',
  refused: 'error',
  withdrawn: 'default',
};

/** The channel an application came in by. */
export const channelLabels: Record<'online' | 'window', Text> = {
  online: { zh: '网上申请', en: 'Online' },
  window: { zh: '窗口帮办', en: 'At the window' },
};

/** Who applies. */
export const applicantKindLabels: Record<'person' | 'enterprise', Text> = {
  person: { zh: '自然人', en: 'Natural person' },
  enterprise: { zh: '企业（法人）', en: 'Enterprise' },
};

/** How consent to assisted application was given. */
export const consentMethods: Record<string, Text> = {
  signature: { zh: '本人现场签字确认', en: 'Signed by the applicant at the window' },
  sms: { zh: '短信验证码确认', en: 'Confirmed by an SMS code' },
  written: { zh: '书面授权委托书', en: 'Written power of attorney' },
};

/** The kinds of notice. */
export const noticeKindLabels: Record<string, Text> = {
  acceptance: { zh: '受理通知书', en: 'Notice of acceptance' },
  correction: { zh: '补正材料通知书', en: 'Notice to supplement or correct' },
  refusal: { zh: '不予受理决定书', en: 'Decision not to accept' },
  result: { zh: '办结通知书', en: 'Notice of completion' },
};

/** The steps on an application's history (the server's event actions). */
export const eventLabels: Record<string, Text> = {
  created: { zh: '创建申请', en: 'Application created' },
  saved: { zh: '保存草稿', en: 'Draft saved' },
  material_uploaded: { zh: '上传材料', en: 'Material uploaded' },
  material_removed: { zh: '删除材料', en: 'Material removed' },
  submitted: { zh: '提交申请', en: 'Submitted' },
  resubmitted: { zh: '补正后重新提交', en: 'Resubmitted after correction' },
  accepted: { zh: '受理', en: 'Accepted' },
  auto_accepted: { zh: '智能受理', en: 'Accepted automatically' },
  accepted_with_deficiency: { zh: '容缺受理', en: 'Accepted with materials to follow' },
  correction_requested: { zh: '一次性告知补正', en: 'Correction requested' },
  clock_stopped: { zh: '暂停计时（补正）', en: 'Clock stopped (correction)' },
  clock_restarted: { zh: '恢复计时', en: 'Clock restarted' },
  refused: { zh: '不予受理', en: 'Refused' },
  withdrawn: { zh: '撤回申请', en: 'Withdrawn' },
};

/** The label of an event action; unknown actions show as sent. */
export function eventLabel(action: string): Text {
  return eventLabels[action] ?? { zh: action, en: action };
}

/** Materials attached from what the government holds (免提交), as applicants and staff read them. */
export const waivedText = {
  tag: { zh: '免提交', en: 'Not needed' },
  source: { zh: '已调用{source}', en: 'Taken from {source}' },
  validUntil: { zh: '有效期至 {date}', en: 'valid until {date}' },
  verify: { zh: '核验', en: 'Verify' },
  summary: {
    zh: '{count} 份材料已从您的电子证照、共享数据或已办结果中调取，免于提交。',
    en: '{count} material(s) are taken from your e-licences, shared data or earlier results: nothing to hand in.',
  },
  notice: { zh: '免提交（{list}）', en: 'not needed ({list})' },
} satisfies Record<string, Text>;
