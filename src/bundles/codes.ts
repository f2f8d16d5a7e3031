// The bundles' code lists with their labels. No imports with effects: the web app uses them too.

/** 一件事 clusters: matters of people, of enterprises, of government bodies. */
export const BUNDLE_CLUSTERS = {
  civil: { zh: '民事', en: 'Civil matters' },
  enterprise: { zh: '企事', en: 'Enterprise matters' },
  government: { zh: '政事', en: 'Government matters' },
} as const;

/** How an application of the bundle is taken in. */
export const INTAKE_MODES = {
  auto: { zh: '智能受理（材料齐全即受理）', en: 'Automatic (accepted at once when complete)' },
  window: { zh: '窗口预审后受理', en: 'Pre-reviewed by a window clerk' },
} as const;

/** How a material of the merged list is provided. */
export const MATERIAL_PROVISIONS = {
  upload: { zh: '上传', en: 'Uploaded' },
  'online-sign': { zh: '在线签署', en: 'Signed online' },
  identity: { zh: '实名核验', en: 'Verified by real-name sign-in' },
  result: { zh: '由前序事项结果提供', en: 'Provided by the result of an earlier item' },
} as const;
