import type { Text } from '../../shell/i18n';
import { BUNDLE_CLUSTERS, INTAKE_MODES, MATERIAL_PROVISIONS } from '../../../../src/bundles/codes';
import { describeLimit } from '../catalog/labels';
import type { Cluster, Commitment, IntakeMode } from './api';

// Labels of the bundles' codes: the server's own lists (src/bundles/codes.ts) and the web's words
// for the rest.

/** 民事 / 企事 / 政事, in the order the hall shows them. */
export const clusterLabels: Record<Cluster, Text> = BUNDLE_CLUSTERS;
export const clusterOrder = Object.keys(BUNDLE_CLUSTERS) as Cluster[];

/** What each cluster is about, under its heading in the hall. */
export const clusterHints: Record<Cluster, Text> = {
  civil: { zh: '个人全生命周期：出生、落户、就业、退休、身后', en: 'A person’s life events' },
  enterprise: {
    zh: '企业全生命周期：开办、经营、变更、注销',
    en: 'An enterprise’s life: opening, operating, changing, closing',
  },
  government: { zh: '跨部门协同办理的政务事项', en: 'Matters handled across departments' },
};

/** How applications are taken in. */
export const intakeLabels: Record<IntakeMode, Text> = INTAKE_MODES;

/** Short intake labels for tags. */
export const intakeShort: Record<IntakeMode, Text> = {
  auto: { zh: '智能受理', en: 'Automatic intake' },
  window: { zh: '窗口预审', en: 'Window pre-review' },
};

/** How a material is provided. */
export const provisionLabels = MATERIAL_PROVISIONS;

/** Numbers in Chinese the way commitments are written (1个环节, 0成本); Arabic numerals read fine. */
function yuan(cost: number): Text {
  return cost === 0 ? { zh: '0成本', en: 'no cost' } : { zh: `${cost}元`, en: `CNY ${cost}` };
}

/** A commitment as the seeds write it: "1个环节 · 0成本 · 1小时办结". */
export function describeCommitment(commitment: Commitment): Text {
  const limit = describeLimit(commitment.limit);
  const steps: Text = {
    zh: `${commitment.steps}个环节`,
    en: `${commitment.steps} step${commitment.steps === 1 ? '' : 's'}`,
  };
  const cost = yuan(commitment.costYuan);
  const done: Text = {
    zh: `${limit.zh.replace(/\s+/g, '')}办结`,
    en: `done in ${limit.en}`,
  };
  return {
    zh: [steps.zh, cost.zh, done.zh].join(' · '),
    en: [steps.en, cost.en, done.en].join(' · '),
  };
}

/** Visits in person as a short fact. */
export function describeVisitsShort(visits: number): Text {
  return visits === 0
    ? { zh: '零跑动', en: 'no visit' }
    : { zh: `最多跑${visits}次`, en: `at most ${visits} visit${visits === 1 ? '' : 's'}` };
}

/** Hours after acceptance as people read them: "第 0 小时", "3 个工作日". */
export function describeHours(hours: number): Text {
  if (hours === 0) return { zh: '受理即办', en: 'at once' };
  const days = hours / 7;
  if (Number.isInteger(days)) {
    return { zh: `${days} 个工作日`, en: `${days} working day${days === 1 ? '' : 's'}` };
  }
  if (hours < 1) {
    const minutes = Math.round(hours * 60);
    return { zh: `${minutes} 分钟`, en: `${minutes} min` };
  }
  const rounded = Math.round(hours * 10) / 10;
  return { zh: `${rounded} 小时`, en: `${rounded} h` };
}

/** Version status tags. */
export const bundleStatusLabels: Record<'draft' | 'published' | 'superseded', Text> = {
  draft: { zh: '草稿', en: 'Draft' },
  published: { zh: '已发布', en: 'Published' },
  superseded: { zh: '已替代', en: 'Superseded' },
};

export const bundleStatusColors: Record<'draft' | 'published' | 'superseded', string> = {
  draft: 'orange',
  published: 'green',
  superseded: 'default',
};
