// The catalog's code lists with their labels. No imports with effects: the web app uses them too.

/** 事项类型 — the national item type codes. */
export const ITEM_TYPES = {
  '01': { zh: '行政许可', en: 'Administrative licensing' },
  '02': { zh: '行政处罚', en: 'Administrative penalty' },
  '03': { zh: '行政强制', en: 'Administrative compulsion' },
  '04': { zh: '行政征收', en: 'Administrative levy' },
  '05': { zh: '行政给付', en: 'Administrative benefit' },
  '06': { zh: '行政检查', en: 'Administrative inspection' },
  '07': { zh: '行政确认', en: 'Administrative confirmation' },
  '08': { zh: '行政奖励', en: 'Administrative reward' },
  '09': { zh: '行政裁决', en: 'Administrative adjudication' },
  '10': { zh: '其他行政权力', en: 'Other administrative power' },
  '20': { zh: '公共服务', en: 'Public service' },
} as const;

/** One item type code. */
export type ItemTypeCode = keyof typeof ITEM_TYPES;

/** 实施层级 — the level of government that implements the item. */
export const LEVELS = {
  national: { zh: '国家级', en: 'National' },
  provincial: { zh: '省级', en: 'Provincial' },
  city: { zh: '市级', en: 'City' },
  county: { zh: '县级', en: 'County' },
  township: { zh: '乡镇级', en: 'Township' },
  village: { zh: '村级', en: 'Village' },
} as const;

/** 网办深度 — how far the item can be done online, 1 (consultation) to 8 (fully online). */
export const ONLINE_DEPTHS = {
  1: { zh: '网上咨询', en: 'Online consultation' },
  2: { zh: '网上预约', en: 'Online appointment' },
  3: { zh: '网上预审', en: 'Online pre-review' },
  4: { zh: '网上受理', en: 'Online acceptance' },
  5: { zh: '网上办理', en: 'Online handling' },
  6: { zh: '网上反馈结果', en: 'Result delivered online' },
  7: { zh: '电子证照反馈', en: 'Result as an e-licence' },
  8: { zh: '全程网办', en: 'Fully online, no visit' },
} as const;
